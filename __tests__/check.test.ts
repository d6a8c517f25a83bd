/**
 * `npm run check`: the user's declaration through synthesis, the guardrails
 * and Terraform. Here with a fake Terraform (what the command does with each
 * answer); terraform-stacks.test.ts runs the real command on the example.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import {
  CHECK_OPTIONS,
  CHECK_USAGE,
  CheckIo,
  InvariantRunner,
  PARALLEL_PLANS,
  TerraformRunner,
  checkMain,
  checkSynthesized,
  errorLines,
  realInvariants,
} from "../modules/cli/check/check";
import { InvariantError, Violation } from "../modules/invariants/invariant";
import { MIRROR_ENV, OFFLINE_HINT, TerraformError, mirrorCliConfig } from "../modules/cli/check/terraform";
import { synthesizeDeclaration } from "../modules/stacks/synthesis";
import { GuardrailError, checkStack } from "../modules/guardrails/check";
import { declaration, synth } from "./helpers/synth";
import {
  buildEntries,
  declarationElsewhere,
  runEntry,
  undocumentedOptions,
  undocumentedVariables,
  variablesRead,
} from "./helpers/commands";
import { exampleCdktfJson } from "./helpers/example";

const ROOT = resolve(__dirname, "..");

function configWith(connectEncryption: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), "connect-kms-check-test-")), "cdktf.json");
  writeFileSync(path, JSON.stringify({ context: { connectEncryption } }));
  return path;
}

const TWO = configWith({
  ...declaration(),
  // The trail is someone else's here: no warning about it in the runs below.
  defaults: { ...declaration().defaults, alerts: { createTrail: false } },
  environments: {
    dev: { instance: { create: { alias: "acme-dev" } } },
    prod: { instance: { create: { alias: "acme-prod" } } },
  },
});

const PASSED =
  'tests/offline_plan.tftest.hcl... in progress\n  run "offline_plan"... pass\ntests/offline_plan.tftest.hcl... tearing down\n\nSuccess! 1 passed, 0 failed.\n';
const ASSERTION_FAILED = [
  "tests/offline_plan.tftest.hcl... in progress",
  '  run "offline_plan"... fail',
  "╷",
  "│ Error: Test assertion failed",
  "│ ",
  '│   on tests/offline_plan.tftest.hcl line 61, in run "offline_plan":',
  '│   61:     condition     = aws_kinesis_stream.agent_events_stream.encryption_type == "KMS"',
  "│ ",
  "│ aws_kinesis_stream.agent_events_stream must be encrypted with the key",
  "╵",
  "Failure! 0 passed, 1 failed.",
].join("\n");

function fakeTerraform(answers: { plan?: (dir: string) => string } = {}): TerraformRunner & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    init: (dir) => void calls.push(`init ${dir.split("/").pop()}`),
    planTest: (dir, hcl) => {
      calls.push(`plan ${dir.split("/").pop()}`);
      expect(hcl).toContain('run "offline_plan"');
      return answers.plan ? answers.plan(dir) : PASSED;
    },
  };
}

async function run(
  argv: string[],
  terraform: TerraformRunner,
  config = TWO,
  synthesize?: CheckIo["synthesize"],
  invariants: InvariantRunner = realInvariants,
) {
  let out = "";
  let err = "";
  const io: CheckIo = {
    out: (t) => (out += `${t}\n`),
    err: (t) => (err += `${t}\n`),
    terraform,
    invariants,
    synthesize:
      synthesize ??
      ((path, requested) =>
        synthesizeDeclaration(path, { requested, outdir: join(mkdtempSync(join(tmpdir(), "connect-kms-check-out-")), "cdktf.out") })),
  };
  const code = await checkMain(argv, io, config);
  return { code, out, err };
}

test("every stack passes: one line per stack, then the count, exit 0; Terraform runs init, validate and the plan on each", async () => {
  const terraform = fakeTerraform();
  const { code, out } = await run([], terraform);
  expect(out.split("\n").filter(Boolean)).toEqual([
    expect.stringMatching(/^PASS connect-encryption-dev {3}validate ✓ {2}plan ✓ \(\d+ resources\) {2}guardrails ✓ {2}invariants ✓$/),
    expect.stringMatching(/^PASS connect-encryption-prod  validate ✓ {2}plan ✓ \(\d+ resources\) {2}guardrails ✓ {2}invariants ✓$/),
    "2 passed, 0 failed",
  ]);
  // Every init first (the first installs the provider, the others share it), then the plans.
  expect(terraform.calls).toEqual([
    "init connect-encryption-dev",
    "init connect-encryption-prod",
    "plan connect-encryption-dev",
    "plan connect-encryption-prod",
  ]);
  expect(code).toBe(0);
});

test("the plans run side by side, no more at once than asked, and each result stays with its stack", async () => {
  const written = synthesizeDeclaration(TWO, { outdir: join(mkdtempSync(join(tmpdir(), "connect-kms-check-out-")), "cdktf.out") }).stacks;
  const stacks = [...written, ...written, ...written];
  let running = 0;
  let most = 0;
  const runner: TerraformRunner = {
    init: () => undefined,
    planTest: async (dir) => {
      most = Math.max(most, ++running);
      // The later stacks finish first.
      await new Promise((resolve) => setTimeout(resolve, dir.endsWith("-dev") ? 30 : 5));
      running--;
      return dir.endsWith("-dev") ? PASSED : ASSERTION_FAILED;
    },
  };
  const checks = await checkSynthesized(stacks, runner, 2);
  expect(most).toBe(2);
  expect(checks.map((c) => [c.stackName, c.plan])).toEqual(
    stacks.map((s) => [s.stackName, s.stackName.endsWith("-dev") ? "pass" : "fail"]),
  );
  expect(PARALLEL_PLANS).toBeGreaterThanOrEqual(1);
  expect(PARALLEL_PLANS).toBeLessThanOrEqual(4);
});

test("after a plan that cannot get the provider no other plan starts, and the failure comes once the running ones finish", async () => {
  const written = synthesizeDeclaration(TWO, { outdir: join(mkdtempSync(join(tmpdir(), "connect-kms-check-out-")), "cdktf.out") }).stacks;
  const stacks = [...written, ...written, ...written];
  const events: string[] = [];
  const offline = new TerraformError("plan failed", "Failed to install provider", true);
  const runner: TerraformRunner = {
    init: () => undefined,
    planTest: async (dir) => {
      const name = dir.split("-").pop();
      events.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, name === "dev" ? 5 : 30));
      events.push(`end ${name}`);
      if (name === "dev") throw offline;
      return PASSED;
    },
  };
  await expect(checkSynthesized(stacks, runner, 2)).rejects.toBe(offline);
  expect(events).toEqual(["start dev", "start prod", "end dev", "end prod"]);
});

test("the IAM engine evaluates the invariants while Terraform plans", async () => {
  const events: string[] = [];
  let release: () => void = () => undefined;
  const planned = new Promise<void>((resolve) => (release = resolve));
  const runner: TerraformRunner = {
    init: () => undefined,
    planTest: async () => {
      events.push("plan started");
      await planned;
      events.push("plan done");
      return PASSED;
    },
  };
  const invariants: InvariantRunner = async (stacks) => {
    events.push("invariants started");
    release();
    return realInvariants(stacks);
  };
  expect((await run(["prod"], runner, TWO, undefined, invariants)).code).toBe(0);
  expect(events).toEqual(["plan started", "invariants started", "plan done"]);
});

test("named environments narrow the check as they narrow synthesis", async () => {
  const terraform = fakeTerraform();
  expect((await run(["prod"], terraform)).code).toBe(0);
  expect(terraform.calls).toEqual(["init connect-encryption-prod", "plan connect-encryption-prod"]);
});

test("a failed assertion fails its stack with Terraform's message, and the run exits 1; the other stacks are still checked", async () => {
  const terraform = fakeTerraform({ plan: (dir) => (dir.endsWith("-dev") ? ASSERTION_FAILED : PASSED) });
  const { code, out } = await run([], terraform);
  expect(out).toContain(
    "FAIL connect-encryption-dev   validate ✓  plan ✗  guardrails ✓  invariants ✓\n       Error: Test assertion failed: aws_kinesis_stream.agent_events_stream must be encrypted with the key\n",
  );
  expect(out).toMatch(/PASS connect-encryption-prod/);
  expect(out).toContain("1 passed, 1 failed");
  expect(code).toBe(1);
});

test("a stack whose configuration does not validate is reported as such, the plan not run", async () => {
  const invalid = new TerraformError(
    "terraform test failed",
    '╷\n│ Error: Unsupported argument\n│ \n│ An argument named "bogus" is not expected here.\n╵',
    false,
  );
  const terraform = fakeTerraform({
    plan: (dir) => {
      if (dir.endsWith("-prod")) throw invalid;
      return PASSED;
    },
  });
  const { code, out } = await run([], terraform);
  expect(out).toContain(
    'FAIL connect-encryption-prod  validate ✗  plan -  guardrails ✓  invariants ✓\n       Error: Unsupported argument: An argument named "bogus" is not expected here.\n',
  );
  expect(code).toBe(1);
});

test("without the provider (no network, no mirror) it stops once with the one-line hint, exit 2", async () => {
  const offline = new TerraformError("init failed", "Failed to query available provider packages", true);
  const { code, out, err } = await run([], {
    init: () => {
      throw offline;
    },
    planTest: () => PASSED,
  });
  expect(err).toBe(`check: ${OFFLINE_HINT}\n`);
  expect(out).toBe("");
  expect(code).toBe(2);
});

test("npm run check without the provider, its plans failing while the IAM engine still runs: the one-line hint and exit 2, not a crash", () => {
  execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs")]);
  const config = exampleCdktfJson();
  // A CLI configuration whose only source of providers is an empty mirror: init fails at once, as offline.
  const cliConfig = join(mkdtempSync(join(tmpdir(), "connect-kms-no-provider-")), "terraform.tfrc");
  writeFileSync(cliConfig, mirrorCliConfig(dirname(cliConfig)));
  const env: NodeJS.ProcessEnv = { ...process.env, CONNECT_ENCRYPTION_CONFIG: config, TF_CLI_CONFIG_FILE: cliConfig };
  delete env[MIRROR_ENV];
  const result = spawnSync(process.execPath, [join(ROOT, "dist", "check.js"), "dev"], { cwd: dirname(config), encoding: "utf8", env });
  expect([result.status, result.stderr.split("\n").filter((line) => line.startsWith("check:")), result.stdout]).toEqual([
    2,
    [`check: ${OFFLINE_HINT}`],
    "",
  ]);
});

test("a guardrail violation fails the stack before Terraform runs; an invalid declaration is refused with its message", async () => {
  const broken = synth();
  broken.stack.toTerraform().resource.aws_kms_key.key.enable_key_rotation = false;
  const violation = new GuardrailError(
    checkStack(broken.stack)
      .results.filter((r) => r.status === "fail")
      .map((result) => ({ stackName: "connect-encryption-test", result })),
  );
  const terraform = fakeTerraform();
  const refused = await run([], terraform, TWO, () => {
    throw violation;
  });
  expect(refused.out).toBe("FAIL connect-encryption-test  validate -  plan -  guardrails ✗  invariants -\n");
  expect(refused.err).toContain("[CE08 key-rotation-enabled]");
  expect(refused.code).toBe(1);
  expect(terraform.calls).toEqual([]);

  const invalid = await run([], terraform, configWith(declaration({ key: { rotationPeriodInDays: 30 } })));
  expect(invalid.err).toContain("key.rotationPeriodInDays: 30 is out of range");
  expect(invalid.code).toBe(1);
});

test("--help and -h print the usage and exit 0; an unknown option exits 2 with it", async () => {
  for (const flag of ["--help", "-h"]) expect(await run([flag], fakeTerraform())).toEqual({ code: 0, out: `${CHECK_USAGE}\n`, err: "" });
  const unknown = await run(["--bogus"], fakeTerraform());
  expect(unknown.code).toBe(2);
  expect(unknown.err).toContain("check: unknown option --bogus");
});

test("errorLines keeps each diagnostic's title and message, and falls back to the last lines", async () => {
  expect(errorLines(ASSERTION_FAILED)).toEqual([
    "Error: Test assertion failed: aws_kinesis_stream.agent_events_stream must be encrypted with the key",
  ]);
  expect(errorLines("a\nb\n\nc")).toEqual(["a", "b", "c"]);
});

const VIOLATION: Violation = {
  invariant: "data-flow",
  stack: "connect-encryption-dev",
  resource: "aws_sqs_queue.key_alerts_dead_letters",
  message: "nobody the declaration names can read the alerts' dead-letter queue",
  source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html",
  field: "context.connectEncryption.environments.dev.alerts.readerArns",
};

test("an evaluated invariant's violation fails its stack, with the violation and the field to change under it", async () => {
  const { code, out } = await run([], fakeTerraform(), TWO, undefined, async () => [VIOLATION]);
  expect(out).toContain("FAIL connect-encryption-dev   validate ✓  plan ✓ (");
  expect(out).toContain(
    "guardrails ✓  invariants ✗\n       aws_sqs_queue.key_alerts_dead_letters [data-flow] nobody the declaration names can read the alerts' dead-letter queue. Change: context.connectEncryption.environments.dev.alerts.readerArns. (https://docs.aws.amazon.com/",
  );
  expect(out).toMatch(/PASS connect-encryption-prod .* invariants ✓/);
  expect(out).toContain("1 passed, 1 failed");
  expect(code).toBe(1);
});

test("without the IAM engine (a production-only install) the evaluated invariants are not run, and the check says so", async () => {
  const { code, out, err } = await run([], fakeTerraform(), TWO, undefined, async () => ({
    unavailable: "the IAM engine is not installed",
  }));
  expect(err).toContain("check: invariants not evaluated: the IAM engine is not installed");
  expect(out).toMatch(/PASS connect-encryption-dev .* guardrails ✓ {2}invariants -/);
  expect(code).toBe(0);
});

test("a static invariant's violation stops synthesis: the stack fails before Terraform runs, with the violation under it", async () => {
  const terraform = fakeTerraform();
  const refused = await run([], terraform, TWO, () => {
    throw new InvariantError([{ ...VIOLATION, invariant: "api-constraints" }]);
  });
  expect(refused.out).toBe(
    `FAIL connect-encryption-dev  validate -  plan -  guardrails ✓  invariants ✗\n       aws_sqs_queue.key_alerts_dead_letters [api-constraints] ${VIOLATION.message}. Change: ${VIOLATION.field}. (${VIOLATION.source})\n`,
  );
  expect(refused.code).toBe(1);
  expect(terraform.calls).toEqual([]);
});

test("the help documents every option the parser accepts, every environment variable check reads, and an example", () => {
  expect(undocumentedOptions(CHECK_USAGE, CHECK_OPTIONS)).toEqual([]);
  const read = variablesRead("modules/cli/check/main.ts");
  expect(read).toEqual(["CONNECT_ENCRYPTION_CONFIG", "TERRAFORM_PROVIDER_MIRROR", "TF_PLUGIN_CACHE_DIR"]);
  expect(undocumentedVariables(CHECK_USAGE, read)).toEqual([]);
  expect(CHECK_USAGE).toMatch(/\nExample:\n {2}.*npm run check -- \S+/);
});

describe("the built entry point (dist/check.js)", () => {
  beforeAll(buildEntries);

  test("reads the declaration CONNECT_ENCRYPTION_CONFIG names, relative to the working directory or absolute", () => {
    const { cwd, relative, absolute } = declarationElsewhere();
    for (const config of [relative, absolute]) {
      const result = runEntry("check", ["nosuch"], cwd, config);
      expect([result.status, result.stderr]).toEqual([
        1,
        `Invalid configuration in ${config}:\n  - environment selection: "nosuch" is not a declared environment; declared: dev, live\n`,
      ]);
    }
  });
});
