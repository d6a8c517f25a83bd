/**
 * Mirror-only organisations: the documented CLI configuration
 * (examples/terraformrc-mirror.hcl) is the one every Terraform run of this
 * suite and of `npm run check` uses when TERRAFORM_PROVIDER_MIRROR is set, so
 * each `terraform init` here tests it against the local mirror; and the cdktf
 * flag it tells users to pass exists in the cdktf CLI this project pins.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { mirrorCliConfig } from "../modules/cli/check/terraform";

const ROOT = resolve(__dirname, "..");
const EXAMPLE = readFileSync(join(ROOT, "examples", "terraformrc-mirror.hcl"), "utf8");

test("the documented configuration is the suite's own, with the mirror's path as a placeholder", () => {
  const body = `${EXAMPLE.split("\n")
    .filter((line) => !line.startsWith("#"))
    .join("\n")
    .trim()}\n`;
  const path = /path\s+=\s+"([^"]+)"/.exec(body)![1];
  expect(body).toBe(mirrorCliConfig(path));
});

test.each(["diff", "deploy"])("cdktf %s takes --skip-provider-lock, which the documentation relies on", (command) => {
  const help = spawnSync(process.execPath, [join(ROOT, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf"), command, "--help"], {
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "1" },
  });
  expect(`${help.stdout}${help.stderr}`).toContain("--skip-provider-lock");
});
