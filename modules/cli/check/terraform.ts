/**
 * Runs the real Terraform CLI on synthesized output: init (without backend),
 * validate, and an offline plan under `terraform test` with fake credentials.
 * Shared by the test suite and `npm run check`.
 *
 * Provider installation: when TERRAFORM_PROVIDER_MIRROR names a local
 * filesystem mirror (a directory holding registry.terraform.io/hashicorp/aws/...),
 * a CLI configuration that installs hashicorp providers only from it is
 * written to a temporary directory and passed through TF_CLI_CONFIG_FILE.
 * Without it, Terraform installs providers normally (network), through a
 * plugin cache shared by every run of the process.
 */
import { execFile, execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const MIRROR_ENV = "TERRAFORM_PROVIDER_MIRROR";

/** The one line that says what to do when Terraform cannot get the AWS provider. */
export const OFFLINE_HINT = `Terraform could not download the AWS provider. Without network access, point ${MIRROR_ENV} at a local provider mirror (a directory holding registry.terraform.io/hashicorp/aws/<version>/<os_arch>/).`;

/** A Terraform CLI configuration that installs hashicorp providers from a filesystem mirror only, the others directly. */
export function mirrorCliConfig(mirror: string): string {
  return [
    "provider_installation {",
    "  filesystem_mirror {",
    `    path    = ${JSON.stringify(mirror)}`,
    '    include = ["registry.terraform.io/hashicorp/*"]',
    "  }",
    "  direct {",
    '    exclude = ["registry.terraform.io/hashicorp/*"]',
    "  }",
    "}",
    "",
  ].join("\n");
}

let cachedEnv: NodeJS.ProcessEnv | undefined;

/** The environment Terraform runs with: the mirror's CLI configuration, or a shared plugin cache. */
export function terraformEnv(): NodeJS.ProcessEnv {
  if (cachedEnv) return cachedEnv;
  // The AWS provider spends about 40% of its start-up CPU in Go's garbage collector building its
  // schema; every run here is short-lived, so collection waits until a process holds 1 GiB (the
  // environment reaches the plugin): a `terraform test` of several runs then takes about a fifth
  // less CPU than with Go's default, and half the memory of no collection at all. A user's own
  // GOGC and GOMEMLIMIT win.
  const base = { GOGC: "off", GOMEMLIMIT: "1GiB", ...process.env, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" };
  const mirror = process.env[MIRROR_ENV];
  const dir = mkdtempSync(join(tmpdir(), "connect-kms-tf-"));
  if (mirror) {
    const config = join(dir, "terraform.tfrc");
    writeFileSync(config, mirrorCliConfig(mirror));
    cachedEnv = { ...base, TF_CLI_CONFIG_FILE: config };
  } else {
    const cache = join(dir, "plugin-cache");
    mkdirSync(cache);
    cachedEnv = { ...base, TF_PLUGIN_CACHE_DIR: process.env.TF_PLUGIN_CACHE_DIR ?? cache };
  }
  return cachedEnv;
}

export interface TerraformResult {
  readonly output: string;
}

/** A failed Terraform command, with everything it printed; `offline` when it could not get the provider. */
export class TerraformError extends Error {
  constructor(
    message: string,
    readonly printed: string,
    readonly offline: boolean,
  ) {
    super(message);
    this.name = "TerraformError";
  }
}

const OFFLINE = /Failed to query available provider packages|could not connect|no such host|Failed to install provider/i;

let sharedProvider: string | undefined;

/**
 * Lets the schema-only commands (see TerraformOptions) use one running provider process, given by its
 * reattach configuration (the JSON of Terraform's TF_REATTACH_PROVIDERS); the test suite starts one
 * (__tests__/helpers/shared-provider.ts). Undefined, the default: every command starts its own
 * provider, as Terraform does for a user.
 */
export function shareProvider(reattach: string | undefined): void {
  sharedProvider = reattach;
}

export interface TerraformOptions {
  /**
   * Every provider the command would use is a `mock_provider` of its `terraform test` files: Terraform
   * then asks the real provider only for its schema and to validate, and never configures it, so the
   * command may use the shared provider process. `validate` is always such a command. A configured
   * provider cannot be shared: a second configuration in one process fails. Default false.
   */
  readonly mockedProviders?: boolean;
}

/** Whether the command leaves the provider unconfigured; a claim of mocked providers is checked against the test files. */
function usesProviderSchemaOnly(dir: string, args: string[], options: TerraformOptions): boolean {
  if (args[0] === "validate") return true;
  if (!options.mockedProviders) return false;
  const tests = join(dir, "tests");
  const files = existsSync(tests) ? readdirSync(tests).filter((file) => file.endsWith(".tftest.hcl")) : [];
  const configured = files.filter((file) => /^\s*provider\s+"/m.test(readFileSync(join(tests, file), "utf8")));
  if (files.length === 0 || configured.length > 0)
    throw new Error(
      `terraform ${args[0]} in ${dir}: mockedProviders, but ${configured.length > 0 ? `${configured.join(", ")} configure a real provider` : "no tests/*.tftest.hcl mocks one"}`,
    );
  return true;
}

/** How terraform runs in `dir`: its environment (the shared provider for schema-only commands) and its output limits. */
function runOptions(dir: string, args: string[], options: TerraformOptions) {
  const schemaOnly = usesProviderSchemaOnly(dir, args, options);
  const env = sharedProvider && schemaOnly ? { ...terraformEnv(), TF_REATTACH_PROVIDERS: sharedProvider } : terraformEnv();
  return { cwd: dir, env, encoding: "utf8" as const, maxBuffer: 64 * 1024 * 1024 };
}

/** A failed run as a TerraformError with everything Terraform printed, and the offline hint when it could not get the provider. */
function failure(dir: string, args: string[], error: unknown): TerraformError {
  const failed = error as { stdout?: string; stderr?: string; message: string };
  const printed = `${failed.stdout ?? ""}\n${failed.stderr ?? failed.message}`;
  const offline = !process.env[MIRROR_ENV] && OFFLINE.test(printed);
  return new TerraformError(
    `terraform ${args.join(" ")} failed in ${dir}:\n${printed}${offline ? `\n${OFFLINE_HINT}` : ""}`,
    printed,
    offline,
  );
}

/** Runs terraform in `dir`; on failure throws a TerraformError with everything Terraform printed. */
export function terraform(dir: string, args: string[], options: TerraformOptions = {}): TerraformResult {
  try {
    return {
      output: execFileSync("terraform", [...args, "-no-color"], { ...runOptions(dir, args, options), stdio: ["ignore", "pipe", "pipe"] }),
    };
  } catch (error) {
    throw failure(dir, args, error);
  }
}

/** `terraform` without waiting: several can run side by side (each in a process of its own). */
export function terraformAsync(dir: string, args: string[], options: TerraformOptions = {}): Promise<TerraformResult> {
  return new Promise((resolve, reject) => {
    const child = execFile("terraform", [...args, "-no-color"], runOptions(dir, args, options), (error, stdout, stderr) =>
      error ? reject(failure(dir, args, { stdout, stderr, message: error.message })) : resolve({ output: stdout }),
    );
    child.stdin?.end();
  });
}

let initializedRoot: string | undefined;

/**
 * `terraform init -backend=false`, then `terraform validate`. Synthesized
 * stacks use no modules and the same provider, so after the first one is
 * initialized the others reuse its lock file and provider directory instead
 * of hashing the 700 MB provider again (`shareProviders`).
 */
export function initAndValidate(dir: string, options: { shareProviders?: boolean } = {}): TerraformResult {
  init(dir, options);
  return terraform(dir, ["validate"]);
}

/** `terraform init -backend=false` alone (see initAndValidate for `shareProviders`). */
export function init(dir: string, options: { shareProviders?: boolean } = {}): void {
  if (options.shareProviders && initializedRoot) {
    copyFileSync(join(initializedRoot, ".terraform.lock.hcl"), join(dir, ".terraform.lock.hcl"));
    mkdirSync(join(dir, ".terraform"), { recursive: true });
    symlinkSync(join(initializedRoot, ".terraform", "providers"), join(dir, ".terraform", "providers"));
  } else {
    terraform(dir, ["init", "-backend=false", "-input=false"]);
    if (options.shareProviders) initializedRoot = dir;
  }
}

/** Writes `<name>.tftest.hcl` into `dir`; returns the arguments that run `terraform test` on it alone. */
function writePlanTest(dir: string, name: string, hcl: string): string[] {
  mkdirSync(join(dir, "tests"), { recursive: true });
  writeFileSync(join(dir, "tests", `${name}.tftest.hcl`), hcl);
  return ["test", `-filter=tests/${name}.tftest.hcl`];
}

/** Writes `<name>.tftest.hcl` into `dir` and runs `terraform test` on it alone. */
export function planTest(dir: string, name: string, hcl: string): TerraformResult {
  return terraform(dir, writePlanTest(dir, name, hcl));
}

/** planTest without waiting. */
export function planTestAsync(dir: string, name: string, hcl: string): Promise<TerraformResult> {
  return terraformAsync(dir, writePlanTest(dir, name, hcl));
}
