// What `npm test` needs before it spends time: Terraform on the PATH, and the
// hashicorp/aws provider from the mirror named by TERRAFORM_PROVIDER_MIRROR
// or, without one, from the registry. scripts/test.mjs runs it before the
// type check and the suite; jest's global setup runs it too (for `npx jest`).
// Returns the one line that says what is missing, or undefined.
const { execFileSync } = require("node:child_process");
const { existsSync, mkdtempSync, rmSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");

const MIRROR_ENV = "TERRAFORM_PROVIDER_MIRROR";
// The same words as OFFLINE_HINT in modules/cli/check/terraform.ts (a test keeps them equal).
const OFFLINE_HINT = `Terraform could not download the AWS provider. Without network access, point ${MIRROR_ENV} at a local provider mirror (a directory holding registry.terraform.io/hashicorp/aws/<version>/<os_arch>/).`;

function preflight(env = process.env) {
  try {
    execFileSync("terraform", ["version"], { stdio: "ignore", env });
  } catch {
    return "Terraform is not on the PATH: install Terraform >= 1.10 (docs/tests.md, Prerequisites), then run npm test again.";
  }
  const mirror = env[MIRROR_ENV];
  if (mirror) {
    if (existsSync(join(mirror, "registry.terraform.io", "hashicorp", "aws"))) return undefined;
    return `${MIRROR_ENV}=${mirror} holds no registry.terraform.io/hashicorp/aws/<version>/<os_arch>/: point it at a provider mirror.`;
  }
  // No mirror: ask Terraform for the smallest hashicorp provider, which fails within seconds without network.
  const dir = mkdtempSync(join(tmpdir(), "connect-kms-registry-probe-"));
  try {
    writeFileSync(join(dir, "main.tf"), 'terraform {\n  required_providers {\n    null = { source = "hashicorp/null" }\n  }\n}\n');
    execFileSync("terraform", ["init", "-backend=false", "-input=false", "-no-color"], {
      cwd: dir,
      stdio: "ignore",
      timeout: 120_000,
      env: { ...env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" },
    });
    return undefined;
  } catch {
    return OFFLINE_HINT;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { preflight, OFFLINE_HINT, MIRROR_ENV };
