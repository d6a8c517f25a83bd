/**
 * Runs once before the suite: a good part of it needs Terraform and the
 * hashicorp/aws provider. When they cannot be had (no Terraform, a mirror
 * that is not one, no network and no mirror), the run stops here with one
 * line saying what to do, instead of the same Terraform error in every test.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MIRROR_ENV, OFFLINE_HINT } from "../../modules/cli/terraform-check/terraform";

/** Stops the run with one line (no stack trace: the line says it all). */
function stop(line: string): never {
  process.stderr.write(`\nnpm test cannot run the Terraform tests: ${line}\n\n`);
  process.exit(1);
}

export default function globalSetup(): void {
  try {
    execFileSync("terraform", ["version"], { stdio: "ignore" });
  } catch {
    stop("Terraform is not on the PATH: install Terraform >= 1.10 (docs/tests.md, Prerequisites), then run npm test again.");
  }
  const mirror = process.env[MIRROR_ENV];
  if (mirror) {
    if (!existsSync(join(mirror, "registry.terraform.io", "hashicorp", "aws"))) {
      stop(`${MIRROR_ENV}=${mirror} holds no registry.terraform.io/hashicorp/aws/<version>/<os_arch>/: point it at a provider mirror.`);
    }
    return;
  }
  // No mirror: the provider comes from the registry. Ask Terraform for the
  // smallest hashicorp provider, which fails within seconds without network.
  const dir = mkdtempSync(join(tmpdir(), "connect-kms-registry-probe-"));
  try {
    writeFileSync(join(dir, "main.tf"), 'terraform {\n  required_providers {\n    null = { source = "hashicorp/null" }\n  }\n}\n');
    execFileSync("terraform", ["init", "-backend=false", "-input=false", "-no-color"], {
      cwd: dir,
      stdio: "ignore",
      timeout: 120_000,
      env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" },
    });
  } catch {
    stop(OFFLINE_HINT);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
