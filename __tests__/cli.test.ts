/**
 * The app as users run it (`npm run synth` = build + `node dist/main.js`), in
 * a scratch directory holding its own cdktf.json.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { declaration, Json } from "./helpers/synth";
import { exampleDeclaration } from "./helpers/example";
import { textsUnder } from "./helpers/files";

const ROOT = resolve(__dirname, "..");
const MAIN = join(ROOT, "dist", "main.js");
const EXAMPLE_DECLARATION = exampleDeclaration();

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs")]);
});

function projectWith(connectEncryption: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "connect-kms-cli-"));
  writeFileSync(
    join(dir, "cdktf.json"),
    JSON.stringify({ language: "typescript", app: "node dist/main.js", context: { connectEncryption } }),
  );
  return dir;
}

function runSynth(dir: string) {
  const env = { ...process.env };
  delete env.CDKTF_OUTDIR; // as when run outside the cdktf CLI: output goes to ./cdktf.out
  return spawnSync(process.execPath, [MAIN], { cwd: dir, encoding: "utf8", env });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe("synth from the command line", () => {
  test("an invalid declaration exits non-zero, names each field, and writes nothing", () => {
    const dir = projectWith(
      declaration({ key: { rotationPeriodInDays: 30 }, storage: { CALL_RECORDINGZ: {} }, instance: { adopt: { instance: "i-123" } } }),
    );
    const result = runSynth(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Invalid configuration in cdktf.json:");
    expect(result.stderr).toContain(
      "environments.test.key.rotationPeriodInDays: 30 is out of range; allowed: an integer from 90 to 2560 (days)",
    );
    expect(result.stderr).toContain("environments.test.storage.CALL_RECORDINGZ: unknown storage type");
    expect(result.stderr).toContain('environments.test.instance.adopt.instance: "i-123" is neither an instance ID nor an instance ARN');
    expect(result.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(existsSync(join(dir, "cdktf.out"))).toBe(false);
  });

  // One bad input of each kind the issues name; every one must stop synthesis the same way.
  test.each([
    ["unknown storage type", { storage: { CALL_RECORDING: {} } }, "storage.CALL_RECORDING: unknown storage type"],
    ["alias Connect rejects", { instance: { create: { alias: "d-contact" } } }, 'instance.create.alias: "d-contact" is not allowed'],
    ["rotation out of range", { key: { rotationPeriodInDays: 2561 } }, "key.rotationPeriodInDays: 2561 is out of range"],
    [
      "adopt ID that is no ID or ARN",
      { instance: { adopt: { instance: "i-123" } } },
      'instance.adopt.instance: "i-123" is neither an instance ID nor an instance ARN',
    ],
    ["unknown field", { colour: "blue" }, "colour: unknown field"],
    [
      "Firehose fed by Kinesis",
      { storage: { CONTACT_TRACE_RECORDS: { destination: "kinesis-firehose" } } },
      'storage.CONTACT_TRACE_RECORDS.destination: "kinesis-firehose" is refused',
    ],
    ["stream retention out of range", { streams: { retentionHours: 23 } }, "streams.retentionHours: 23 is out of range"],
    ["account ID not 12 digits", { accountId: "1234" }, 'accountId: "1234" is not allowed'],
    ["unknown Region", { region: "eu-west-9" }, 'region: "eu-west-9" is not allowed'],
    ["backend missing a field", { state: { backend: "s3", bucket: "acme-state", region: "eu-west-2" } }, "state.kmsKeyId: missing"],
    ["lock-out key policy", { key: { allowAccountRoot: false } }, "key.allowAccountRoot: false would lock everyone out"],
    [
      "Object Lock without retention",
      { bucket: { objectLock: { mode: "COMPLIANCE" } } },
      "bucket.objectLock: set exactly one of days or years",
    ],
    ["access logs off without a reason", { bucket: { accessLogs: { destination: "none" } } }, "bucket.accessLogs.reason: missing"],
  ])("%s: exit 1, the field named, nothing written", (_, env, message) => {
    const dir = projectWith(declaration(env as Json));
    const result = runSynth(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`context.connectEncryption.environments.test.${message}`);
    expect(existsSync(join(dir, "cdktf.out"))).toBe(false);
    expect(existsSync(join(dir, "module"))).toBe(false);
  });

  test("a cdktf.json that is not JSON is refused the same way", () => {
    const dir = mkdtempSync(join(tmpdir(), "connect-kms-cli-"));
    writeFileSync(join(dir, "cdktf.json"), "{ not json");
    const result = runSynth(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("cdktf.json: cannot be read as JSON");
    expect(existsSync(join(dir, "cdktf.out"))).toBe(false);
  });

  describe("a valid declaration", () => {
    const decl: Json = declaration({ key: { administratorArns: ["arn:aws:iam::123456789012:role/KeyAdmin"] } });
    let first: string;
    let second: string;

    beforeAll(() => {
      first = projectWith(decl);
      second = projectWith(decl);
      expect(runSynth(first).status).toBe(0);
      expect(runSynth(second).status).toBe(0);
    });

    test("writes one stack directory per environment", () => {
      expect(readdirSync(join(first, "cdktf.out", "stacks"))).toEqual(["connect-encryption-test"]);
      // The Terraform version constraint sits beside the JSON, where Terraform merges it.
      expect(readdirSync(join(first, "cdktf.out", "stacks", "connect-encryption-test")).sort()).toEqual([
        "cdk.tf.json",
        "deployer-iam-policy.json",
        "versions.tf",
      ]);
      const stack = JSON.parse(readFileSync(join(first, "cdktf.out", "stacks", "connect-encryption-test", "cdk.tf.json"), "utf8"));
      expect(stack.resource.aws_kms_key.key.enable_key_rotation).toBe(true);
      // The compliance report is written beside the synthesized output.
      expect(readdirSync(join(first, "cdktf.out", "compliance")).sort()).toEqual([
        "connect-encryption-test.json",
        "connect-encryption-test.md",
      ]);
      const report = JSON.parse(readFileSync(join(first, "cdktf.out", "compliance", "connect-encryption-test.json"), "utf8"));
      expect(report.rules.every((r: Json) => ["pass", "suppressed", "not applicable"].includes(r.status))).toBe(true);
    });

    test("is deterministic: two synths give byte-identical files", () => {
      const a = filesUnder(join(first, "cdktf.out")).map((f) => f.slice(first.length));
      const b = filesUnder(join(second, "cdktf.out")).map((f) => f.slice(second.length));
      expect(a).toEqual(b);
      for (const file of a) {
        expect(readFileSync(join(second, file), "utf8")).toBe(readFileSync(join(first, file), "utf8"));
      }
    });

    test("needs neither AWS credentials nor Terraform", () => {
      const bin = mkdtempSync(join(tmpdir(), "connect-kms-bin-"));
      symlinkSync(process.execPath, join(bin, "node"));
      const dir = projectWith(EXAMPLE_DECLARATION);
      const env: NodeJS.ProcessEnv = { PATH: bin, HOME: dir };
      const result = spawnSync(process.execPath, [MAIN], { cwd: dir, encoding: "utf8", env });
      // The example's prod adopts its instance without recorded discovery, and no environment says whether a trail exists:
      // each warning names the field and the command that checks.
      const trailWarning = (env: string) =>
        expect.stringMatching(
          new RegExp(
            `^Warning: context\\.connectEncryption\\.environments\\.${env}\\.alerts\\.createTrail: not set, .*\`npm run verify -- ${env}\``,
          ),
        );
      expect(result.stderr.split("\n").filter(Boolean)).toEqual([
        trailWarning("dev"),
        trailWarning("prod"),
        expect.stringMatching(
          /^Warning: context\.connectEncryption\.environments\.prod\.instance\.adopt\.existingAssociations: not recorded; .*`npm run discover -- prod`/,
        ),
        trailWarning("staging"),
      ]);
      expect(result.status).toBe(0);
      expect(readdirSync(join(dir, "cdktf.out", "stacks")).sort()).toEqual([
        "connect-encryption-dev",
        "connect-encryption-prod",
        "connect-encryption-staging",
        "connect-encryption-state",
      ]);
    });

    test("contains no machine paths", () => {
      for (const file of filesUnder(join(first, "cdktf.out"))) {
        const text = readFileSync(file, "utf8");
        expect(text).not.toContain(first);
        expect(text).not.toContain(ROOT);
        expect(text).not.toContain(tmpdir());
        expect(text).not.toMatch(/"(path|workingDirectory|synthesizedStackPath)":\s*"\//);
      }
    });
  });
});

// Issue 23: what a newcomer runs first works without guessing.
describe("the project's own commands", () => {
  test("help is executable, in the working tree and in git", () => {
    expect(statSync(join(ROOT, "help")).mode & 0o111).not.toBe(0);
    expect(execFileSync("git", ["ls-files", "-s", "help"], { cwd: ROOT, encoding: "utf8" })).toMatch(/^100755 /);
  });

  test("npm test stops before the type check when Terraform is missing, with the line that says what to do", () => {
    const bin = mkdtempSync(join(tmpdir(), "connect-kms-no-terraform-"));
    symlinkSync(process.execPath, join(bin, "node"));
    const result = spawnSync(process.execPath, [join(ROOT, "scripts", "test.mjs")], { cwd: ROOT, encoding: "utf8", env: { PATH: bin } });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("npm test cannot run the Terraform tests: Terraform is not on the PATH");
    expect(result.stdout).not.toContain("tsc --noEmit");
    expect(result.stdout + result.stderr).not.toContain("Test Suites");
  });

  test("the preflight's offline hint is the one npm run check prints", () => {
    const { OFFLINE_HINT: preflightHint } = require("../scripts/preflight.cjs");
    const { OFFLINE_HINT } = require("../modules/cli/check/terraform");
    expect(preflightHint).toBe(OFFLINE_HINT);
  });

  test.each(["deploy", "diff", "destroy", "list"])(
    "npm run %s runs cdktf with its telemetry off, unless you set CHECKPOINT_DISABLE yourself",
    (command) => {
      const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts;
      expect(scripts[command]).toBe(`node scripts/cdktf.mjs ${command}`);
      const dir = mkdtempSync(join(tmpdir(), "connect-kms-cdktf-"));
      const standIn = join(dir, "cdktf");
      writeFileSync(
        standIn,
        `#!${process.execPath}\nconsole.log(JSON.stringify({ args: process.argv.slice(2), checkpoint: process.env.CHECKPOINT_DISABLE }));\n`,
        { mode: 0o755 },
      );
      const run = (extra: NodeJS.ProcessEnv) =>
        JSON.parse(
          execFileSync(process.execPath, [join(ROOT, "scripts", "cdktf.mjs"), command, "connect-encryption-dev"], {
            encoding: "utf8",
            env: { PATH: process.env.PATH, CDKTF_BIN: standIn, ...extra },
          }),
        );
      expect(run({})).toEqual({ args: [command, "connect-encryption-dev"], checkpoint: "1" });
      expect(run({ CHECKPOINT_DISABLE: "0" }).checkpoint).toBe("0");
    },
  );
});

describe("npm run <command>: one process that builds only when a source changed (scripts/run.cjs)", () => {
  const RUN = join(ROOT, "scripts", "run.cjs");

  test("every command's script is scripts/run.cjs with its entry point", () => {
    const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts;
    for (const command of ["synth", "render", "verify", "discover", "publish", "check", "reencrypt-plan"]) {
      const entry = command === "synth" ? "main" : command;
      // Synthesis runs with a young generation of 2 MiB: faster, and a smaller peak (docs/performance.md).
      const flags = command === "synth" ? "--max-semi-space-size=2 " : "";
      expect([command, scripts[command]]).toEqual([command, `node ${flags}scripts/run.cjs ${entry}`]);
      expect(existsSync(join(ROOT, "dist", `${entry}.js`))).toBe(true);
    }
  });

  test('"main" synthesizes the cdktf.json of the working directory, with the arguments after it', () => {
    const dir = projectWith(EXAMPLE_DECLARATION);
    const env = { ...process.env };
    delete env.CDKTF_OUTDIR;
    const some = spawnSync(process.execPath, [RUN, "main", "dev"], { cwd: dir, encoding: "utf8", env });
    expect(some.status).toBe(0);
    expect(readdirSync(join(dir, "cdktf.out", "stacks"))).toEqual(["connect-encryption-dev"]);
    const unknown = spawnSync(process.execPath, [RUN, "main", "nosuchenv"], { cwd: dir, encoding: "utf8", env });
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain("nosuchenv");
    const bad = spawnSync(process.execPath, [RUN, "../main"], { cwd: dir, encoding: "utf8", env });
    expect([bad.status, bad.stderr]).toEqual([2, "usage: node scripts/run.cjs <command> [args]\n"]);
  });

  test("synthesis through the code cache writes what dist/main.js alone writes, whether the cache is new or taken", () => {
    const env = { ...process.env };
    delete env.CDKTF_OUTDIR;
    const [alone, first, second] = [[MAIN], [RUN, "main"], [RUN, "main"]].map((args, run) => {
      if (run === 1)
        for (const file of readdirSync(join(ROOT, "dist")).filter((f) => f.endsWith(".v8-cache")))
          rmSync(join(ROOT, "dist", file), { force: true });
      // One environment with a trail: every kind of file synthesis writes, at a third of the example's cost.
      const dir = projectWith(declaration({ alerts: { createTrail: true } }));
      expect(spawnSync(process.execPath, ["--max-semi-space-size=2", ...args], { cwd: dir, env }).status).toBe(0);
      return textsUnder(join(dir, "cdktf.out"));
    });
    expect(Object.keys(alone)).toEqual(expect.arrayContaining(["manifest.json", "stacks/connect-encryption-test/cdk.tf.json"]));
    expect(first).toEqual(alone);
    expect(second).toEqual(alone);
  });

  test("synthesis does not load Node's child_process, which cdktf requires for what it does not run; the stand-in loads it on first use", () => {
    const probe = [
      `process.chdir(${JSON.stringify(projectWith(EXAMPLE_DECLARATION))});`,
      `require(${JSON.stringify(MAIN)});`,
      'process.on("exit", () => console.error(JSON.stringify(process.moduleLoadList.filter((m) => /^NativeModule (child_process|archiver)$/.test(m)))));',
    ].join("\n");
    const env = { ...process.env };
    delete env.CDKTF_OUTDIR;
    const run = spawnSync(process.execPath, ["-e", probe], { encoding: "utf8", env });
    expect([run.status, run.stderr.trim().split("\n").pop()]).toEqual([0, "[]"]);
    const standIn = require(join(ROOT, "scripts", "lazy-child-process.cjs")) as typeof import("node:child_process");
    expect(standIn.execFileSync(process.execPath, ["-e", "process.stdout.write('ran')"], { encoding: "utf8" })).toBe("ran");
    expect("spawn" in standIn && Object.keys(standIn)).toEqual(expect.arrayContaining(["spawn", "execFile"]));
  });

  test("an up-to-date build does not load esbuild", () => {
    const probe = [
      `const { buildIfStale } = require(${JSON.stringify(join(ROOT, "scripts", "build.cjs"))});`,
      "buildIfStale();",
      'console.log(Object.keys(require.cache).filter((p) => p.includes("/esbuild/")).length);',
    ].join("\n");
    expect(execFileSync(process.execPath, ["-e", probe], { cwd: ROOT, encoding: "utf8" }).trim()).toBe("0");
  });
});

describe("the code cache a bundle runs through (scripts/code-cache.cjs)", () => {
  const CODE_CACHE = join(ROOT, "scripts", "code-cache.cjs");

  /** A module beside a module it requires, and a process that loads it through the cache and prints what it saw. */
  function bundle(): { load: (flags?: string[]) => Json; dir: string } {
    const dir = mkdtempSync(join(tmpdir(), "connect-kms-code-cache-"));
    mkdirSync(join(dir, "lib"));
    writeFileSync(join(dir, "lib", "part.js"), "module.exports = 41;\n");
    writeFileSync(
      join(dir, "bundle.js"),
      "exports.value = require('./lib/part') + 1;\nexports.where = [__filename, __dirname, module.id === __filename];\n",
    );
    const probe = [
      `const { requireWithCodeCache } = require(${JSON.stringify(CODE_CACHE)});`,
      `const { exports, cached } = requireWithCodeCache(${JSON.stringify(join(dir, "bundle.js"))});`,
      "console.log(JSON.stringify({ ...exports, cached }));",
    ].join("\n");
    const load = (flags: string[] = []): Json => JSON.parse(execFileSync(process.execPath, [...flags, "-e", probe], { encoding: "utf8" }));
    return { load, dir };
  }
  const caches = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith(".v8-cache"));

  test("runs the module as require would; the first run writes the cache and the next one takes it", () => {
    const { load, dir } = bundle();
    const module = { value: 42, where: [join(dir, "bundle.js"), dir, true] };
    expect(load()).toEqual({ ...module, cached: false });
    expect(caches(dir)).toEqual([expect.stringMatching(/^bundle\.js\.\d+\.\d+\.[0-9a-f]{12}\.v8-cache$/)]);
    expect(load()).toEqual({ ...module, cached: true });
  });

  test("other V8 flags have a cache of their own, so that runs of both do not overwrite each other's", () => {
    const { load, dir } = bundle();
    load();
    expect(load(["--max-semi-space-size=2"]).cached).toBe(false);
    expect(caches(dir)).toHaveLength(2);
    expect([load().cached, load(["--max-semi-space-size=2"]).cached]).toEqual([true, true]);
  });

  test("a rebuilt bundle runs its own code, not the cache of the one before, even at the same length", () => {
    const { load, dir } = bundle();
    load();
    const file = join(dir, "bundle.js");
    writeFileSync(file, readFileSync(file, "utf8").replace("+ 1;", "+ 2;"));
    expect(load()).toEqual(expect.objectContaining({ value: 43, cached: false }));
  });

  test("a damaged cache is refused, the module still runs, and the cache is written again", () => {
    const { load, dir } = bundle();
    load();
    const [cache] = caches(dir);
    writeFileSync(join(dir, cache), "not a code cache");
    expect(load()).toEqual(expect.objectContaining({ value: 42, cached: false }));
    expect(load().cached).toBe(true);
  });
});
