/**
 * `npm run check [-- <environment> ...]`: the user's own declaration, checked
 * as the test suite checks the package's. It synthesizes the declaration (every
 * environment, or those named) into a scratch directory with the guardrails,
 * then runs real Terraform on every stack: `init -backend=false`, `validate`,
 * and an offline plan under `terraform test` (fake credentials, data sources
 * overridden) whose assertions read the planned values of every key, bucket,
 * stream and storage association; and every invariant (docs/invariants.md):
 * the static ones in synthesis, the evaluated ones with the IAM engine.
 * One line per stack; exit 1 when any stack fails, 2 when the check could
 * not run (no Terraform, no provider).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../config/validation";
import { GuardrailError } from "../../guardrails/check";
import { checkAllInvariants, evaluatedUnavailable } from "../../invariants/evaluated";
import { CheckedStack, InvariantError, Violation, formatViolation } from "../../invariants/invariant";
import { SynthesisResult, WrittenStack, synthesizeDeclaration } from "../../stacks/synthesis";
import { offlinePlanTest } from "./plan-test";
import { MIRROR_ENV, OFFLINE_HINT, TerraformError, init, planTestAsync } from "./terraform";
import { CliOption, parseCommandLine, wantsHelp } from "../options";

/** The options `checkMain` accepts; CHECK_USAGE documents each (check.test.ts). */
export const CHECK_OPTIONS: readonly CliOption[] = [{ name: "--help", short: "-h" }];

export const CHECK_USAGE = `Usage: npm run check [-- <environment> ...]

Checks the stacks of your declaration with real Terraform, without AWS
credentials: synthesis with the guardrails, then for every stack terraform
init -backend=false, terraform validate, and an offline plan under terraform
test whose assertions read the planned values (the stacks side by side, up
to four at once); and every invariant (docs/invariants.md), the IAM engine
deciding who may do what.

  <environment> ...   check only these (\`state\` names the state bootstrap
                      stack); default: every stack of the declaration
  -h, --help          this help

Environment:
  CONNECT_ENCRYPTION_CONFIG  the declaration file (default: cdktf.json),
                      absolute or relative to the working directory
  ${MIRROR_ENV}  a local provider mirror (a directory holding
                      registry.terraform.io/hashicorp/aws/...); without it,
                      providers come from the registry
  TF_PLUGIN_CACHE_DIR  Terraform's plugin cache, when there is no mirror
                      (default: a scratch directory)

Example:
  ${MIRROR_ENV}=/opt/tf-plugins npm run check -- dev prod

Exit status: 0 every stack passed, 1 a stack failed, 2 the check could not run.`;

/** What the check needs from Terraform (a fake in unit tests). */
export interface TerraformRunner {
  /** `terraform init -backend=false` (the first stack downloads; the others may share its providers). */
  init(dir: string): void;
  /**
   * Runs the offline plan test file; returns what `terraform test` printed.
   * `terraform test` validates the configuration before it plans (a
   * separate `terraform validate` would load the 700 MB provider once more).
   */
  planTest(dir: string, hcl: string): string | Promise<string>;
}

export const realTerraform: TerraformRunner = {
  init: (dir) => init(dir, { shareProviders: true }),
  planTest: async (dir, hcl) => (await planTestAsync(dir, "offline_plan", hcl)).output,
};

/**
 * How many stacks' plans run at once: one per processor, and at most four, because each plan's
 * provider may hold up to 1 GiB (terraformEnv's GOMEMLIMIT).
 */
export const PARALLEL_PLANS = Math.max(1, Math.min(availableParallelism(), 4));

/**
 * `work` over `items`, at most `limit` at a time; the results in the items' order. After a failure
 * no item is started, and the failure is thrown once the items already started have finished.
 */
async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failure) {
      const index = next++;
      try {
        results[index] = await work(items[index]);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}

type Step = "pass" | "fail" | "not run";

export interface StackCheck {
  readonly stackName: string;
  readonly resources: number;
  readonly validate: Step;
  readonly plan: Step;
  readonly guardrails: Step;
  readonly invariants: Step;
  /** Why it failed: Terraform's own error lines, and the invariants' violations. */
  readonly details: readonly string[];
}

/** Terraform's diagnostics, one line each (`Error: Test assertion failed: <its error_message>`), without the rest of its output. */
export function errorLines(printed: string): string[] {
  const blocks = [...printed.matchAll(/╷\n([\s\S]*?)\n╵/g)].map((m) =>
    m[1]
      .split("\n")
      .map((l) => l.replace(/^│ ?/, "").trim())
      .filter(Boolean),
  );
  const lines = blocks
    .map((block) => {
      const title = block.find((l) => l.startsWith("Error: "));
      const last = block[block.length - 1];
      return title === undefined ? undefined : title === last ? title : `${title}: ${last}`;
    })
    .filter((l): l is string => l !== undefined);
  return (
    lines.length > 0
      ? lines
      : printed
          .split("\n")
          .filter((l) => l.trim())
          .slice(-5)
  ).slice(0, 12);
}

/** The configuration validated when `terraform test` got as far as running the plan. */
const RAN = /run "offline_plan"\.\.\./;

/**
 * Runs Terraform on each synthesized stack: init (one after the other: the first installs the
 * provider, the others share it), then the plan tests, which validate first, side by side.
 */
export async function checkSynthesized(
  stacks: readonly WrittenStack[],
  runner: TerraformRunner,
  parallel = PARALLEL_PLANS,
): Promise<Omit<StackCheck, "invariants">[]> {
  const initialized = stacks.map((written) => {
    try {
      runner.init(written.dir);
      return undefined;
    } catch (error) {
      if (error instanceof TerraformError && error.offline) throw error;
      return printedOf(error);
    }
  });
  return inParallel(
    stacks.map((written, index) => ({ written, initFailed: initialized[index] })),
    parallel,
    async ({ written, initFailed }) => {
      const base = { stackName: written.stackName, resources: written.resources, guardrails: "pass" as Step };
      let printed = initFailed;
      if (printed === undefined) {
        try {
          const json = JSON.parse(readFileSync(join(written.dir, "cdk.tf.json"), "utf8"));
          printed = await runner.planTest(written.dir, offlinePlanTest(json, written.region));
          if (/run "offline_plan"\.\.\. pass/.test(printed) && /1 passed, 0 failed/.test(printed)) {
            return { ...base, validate: "pass", plan: "pass", details: [] };
          }
        } catch (error) {
          if (error instanceof TerraformError && error.offline) throw error;
          printed = printedOf(error);
        }
      }
      return RAN.test(printed)
        ? { ...base, validate: "pass", plan: "fail", details: errorLines(printed) }
        : { ...base, validate: "fail", plan: "not run", details: errorLines(printed) };
    },
  );
}

function printedOf(error: unknown): string {
  return error instanceof TerraformError ? error.printed : String((error as Error).message ?? error);
}

const mark = (step: Step): string => (step === "pass" ? "✓" : step === "fail" ? "✗" : "-");

const passed = (c: StackCheck): boolean => c.validate === "pass" && c.plan === "pass" && c.guardrails === "pass" && c.invariants !== "fail";

/** `PASS connect-encryption-prod  validate ✓  plan ✓ (88 resources)  guardrails ✓  invariants ✓`, and the reasons under a failure. */
export function summaryLines(checks: readonly StackCheck[]): string[] {
  const width = Math.max(...checks.map((c) => c.stackName.length));
  return checks.flatMap((c) => {
    const plan = c.plan === "pass" ? `plan ✓ (${c.resources} resources)` : `plan ${mark(c.plan)}`;
    const steps = `validate ${mark(c.validate)}  ${plan}  guardrails ${mark(c.guardrails)}  invariants ${mark(c.invariants)}`;
    return [`${passed(c) ? "PASS" : "FAIL"} ${c.stackName.padEnd(width)}  ${steps}`, ...c.details.map((d) => `       ${d}`)];
  });
}

/** A violation as a detail line of its stack (the stack's name is on the line above). */
const detailOf = (v: Violation): string => formatViolation(v).slice(v.stack.length + 2);

/**
 * The evaluated invariants (with the static ones, which synthesis has passed)
 * on every stack; `unavailable` when the IAM engine is not installed.
 */
export type InvariantRunner = (stacks: readonly CheckedStack[]) => Promise<readonly Violation[] | { unavailable: string }>;

export const realInvariants: InvariantRunner = async (stacks) => {
  const unavailable = evaluatedUnavailable();
  return unavailable ? { unavailable } : checkAllInvariants(stacks);
};

export interface CheckIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly terraform: TerraformRunner;
  readonly invariants: InvariantRunner;
  /** Synthesizes into a directory of its own (a scratch one by default). */
  readonly synthesize: (configPath: string, requested: readonly string[]) => SynthesisResult;
}

export const defaultCheckIo: CheckIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  terraform: realTerraform,
  invariants: realInvariants,
  synthesize: (configPath, requested) =>
    synthesizeDeclaration(configPath, { requested, outdir: join(mkdtempSync(join(tmpdir(), "connect-kms-check-")), "cdktf.out") }),
};

/** Runs the check; returns the exit code (0 all passed, 1 a stack failed, 2 it could not run). */
export async function checkMain(argv: readonly string[], io: CheckIo = defaultCheckIo, configPath = "cdktf.json"): Promise<number> {
  if (wantsHelp(argv)) {
    io.out(CHECK_USAGE);
    return 0;
  }
  let environments: readonly string[];
  try {
    environments = parseCommandLine(argv, CHECK_OPTIONS).positionals;
  } catch (error) {
    io.err(`check: ${(error as Error).message}\n\n${CHECK_USAGE}`);
    return 2;
  }
  const synthesized = synthesizeOrReport(io, configPath, environments);
  if (typeof synthesized === "number") return synthesized;
  for (const warning of synthesized.warnings) io.err(`Warning: ${warning}`);
  let checks: StackCheck[];
  // Terraform's plans run in processes of their own while the IAM engine evaluates the invariants here.
  const planned = checkSynthesized(synthesized.stacks, io.terraform);
  // Handled here too: a failure (no provider) may come while the engine still runs, before it is awaited.
  planned.catch(() => undefined);
  try {
    const invariants = await io.invariants(synthesized.invariantStacks());
    if ("unavailable" in invariants) io.err(`check: invariants not evaluated: ${invariants.unavailable}`);
    const violations = "unavailable" in invariants ? undefined : invariants;
    checks = (await planned).map((check) => withInvariants(check, violations));
  } catch (error) {
    // The plans still running finish before their directories are removed.
    await planned.catch(() => undefined);
    io.err(`check: ${error instanceof TerraformError && error.offline ? OFFLINE_HINT : (error as Error).message}`);
    return 2;
  } finally {
    if (io === defaultCheckIo) rmSync(join(synthesized.outdir, ".."), { recursive: true, force: true });
  }
  for (const line of summaryLines(checks)) io.out(line);
  const failed = checks.filter((c) => !passed(c)).length;
  io.out(`${checks.length - failed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

/** A stack's check with its invariants' result: its violations under it (not run when the engine is missing). */
function withInvariants(check: Omit<StackCheck, "invariants">, violations: readonly Violation[] | undefined): StackCheck {
  if (!violations) return { ...check, invariants: "not run" };
  const own = violations.filter((v) => v.stack === check.stackName);
  return { ...check, invariants: own.length > 0 ? "fail" : "pass", details: [...check.details, ...own.map(detailOf)] };
}

/** Synthesis, or the exit code when it refused: a guardrail, an invariant or the declaration. */
function synthesizeOrReport(io: CheckIo, configPath: string, argv: readonly string[]): SynthesisResult | number {
  try {
    return io.synthesize(configPath, argv);
  } catch (error) {
    if (error instanceof GuardrailError) {
      io.err(error.message);
      for (const name of [...new Set(error.failures.map((f) => f.stackName))]) {
        io.out(`FAIL ${name}  validate -  plan -  guardrails ✗  invariants -`);
      }
      return 1;
    }
    if (error instanceof InvariantError) {
      for (const name of [...new Set(error.violations.map((v) => v.stack))]) {
        io.out(`FAIL ${name}  validate -  plan -  guardrails ✓  invariants ✗`);
        for (const v of error.violations.filter((x) => x.stack === name)) io.out(`       ${detailOf(v)}`);
      }
      return 1;
    }
    if (error instanceof ConfigError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
}
