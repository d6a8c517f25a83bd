/**
 * One AWS provider process for the whole suite, for the Terraform commands that only read its schema
 * (`validate`, and `terraform test` files that mock every provider): each would otherwise start the
 * provider for itself, about 2 s of CPU that builds the same schema again (docs/tests.md). The process
 * is the mirror's own binary, started in the provider's debug mode, which prints the reattach
 * configuration that Terraform's TF_REATTACH_PROVIDERS takes. Commands that configure the provider
 * (plans with fake credentials, apply) still start their own, as for a user.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { MIRROR_ENV } from "../../modules/cli/check/terraform";

/** Carries the shared provider's reattach configuration from the global setup to every test worker. */
export const SHARED_PROVIDER_ENV = "CONNECT_KMS_TEST_SHARED_AWS_PROVIDER";

const STARTED = /TF_REATTACH_PROVIDERS='([^']+)'/;
const START_TIMEOUT_MS = 60_000;

const byVersion = (a: string, b: string): number => {
  const [x, y] = [a, b].map((v) => v.split(/[.-]/).map((part) => Number(part) || 0));
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
};

/** The newest hashicorp/aws binary of the mirror for this platform, the one `terraform init` would install; undefined without one. */
export function mirroredAwsProvider(mirror: string | undefined): string | undefined {
  if (!mirror) return undefined;
  const root = join(mirror, "registry.terraform.io", "hashicorp", "aws");
  const platform = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;
  if (!existsSync(root)) return undefined;
  for (const version of readdirSync(root).sort(byVersion).reverse()) {
    const dir = join(root, version, platform);
    const binary = existsSync(dir) && readdirSync(dir).find((file) => file.startsWith("terraform-provider-aws"));
    if (binary) return join(dir, binary);
  }
  return undefined;
}

type Started = { process: ChildProcess; reattach: string } | { failed: string };

/** Starts the provider and resolves with its reattach configuration, or with the reason it did not start. */
export function startSharedProvider(binary: string): Promise<Started> {
  return new Promise((resolve) => {
    const child = spawn(binary, ["-debug"], {
      // The same garbage-collection settings as every other Terraform command (terraform.ts, terraformEnv).
      env: { GOGC: "off", GOMEMLIMIT: "1GiB", ...process.env },
      // Its log goes nowhere: a pipe nobody read would fill and stop it.
      stdio: ["ignore", "pipe", "ignore"],
    });
    let printed = "";
    let settled = false;
    const finish = (result: Started): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if ("failed" in result) child.kill();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ failed: `no reattach line within ${START_TIMEOUT_MS / 1000} s` }), START_TIMEOUT_MS);
    child.stdout?.on("data", (chunk: Buffer) => {
      if (settled) return;
      printed += chunk.toString();
      const found = STARTED.exec(printed);
      if (found) finish({ process: child, reattach: found[1] });
    });
    child.on("error", (error) => finish({ failed: error.message }));
    child.on("exit", (code) => finish({ failed: `it exited (${code}) before it printed its reattach line` }));
    child.unref();
  });
}

/** Starts the shared provider for this run and publishes it to every worker through the environment; returns how to stop it. */
export async function shareProviderForRun(): Promise<(() => void) | undefined> {
  if (process.env[SHARED_PROVIDER_ENV] !== undefined) return undefined;
  const binary = mirroredAwsProvider(process.env[MIRROR_ENV]);
  if (!binary) return undefined;
  const started = await startSharedProvider(binary);
  if ("failed" in started) {
    process.stderr.write(`\nThe shared AWS provider did not start (${started.failed}): every Terraform command starts its own.\n`);
    return undefined;
  }
  process.env[SHARED_PROVIDER_ENV] = started.reattach;
  const stop = (): void => {
    started.process.kill();
  };
  process.once("exit", stop);
  return stop;
}
