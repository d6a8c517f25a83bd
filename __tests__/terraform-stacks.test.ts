/**
 * The real Terraform CLI and the real hashicorp/aws provider on every stack
 * of a declaration, through `npm run check` as users run it: synthesis with
 * the guardrails, then init without backend, validate, and an offline plan
 * under `terraform test` whose assertions read the planned values. Set
 * TERRAFORM_PROVIDER_MIRROR to a local provider mirror to run offline.
 *
 * The declaration is the example fixture (__tests__/fixtures), written to a
 * scratch file: never the repository's cdktf.json, which is the user's.
 * That a user's first edit (an environment added to the example declaration) leaves
 * the suite and every stack valid is shown in your-declaration.test.ts.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { terraform } from "./helpers/terraform";
import { exampleCdktfJson } from "./helpers/example";

const ROOT = resolve(__dirname, "..");

test("terraform is installed", () => {
  expect(terraform(tmpdir(), ["version"]).output).toMatch(/Terraform v1\.\d+/);
});

test("npm run check passes every stack of the example: validate, offline plan, guardrails, invariants", () => {
  execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs")]);
  const config = exampleCdktfJson();
  const result = spawnSync(process.execPath, [join(ROOT, "dist", "check.js")], {
    cwd: dirname(config),
    encoding: "utf8",
    env: { ...process.env, CONNECT_ENCRYPTION_CONFIG: config },
  });
  const lines = result.stdout.split("\n").filter(Boolean);
  const stacks = ["state", "dev", "prod", "staging"].map((env) => `connect-encryption-${env}`);
  expect({ status: result.status, lines }).toEqual({
    status: 0,
    lines: [
      ...stacks.map((stack) =>
        expect.stringMatching(new RegExp(`^PASS ${stack} +validate ✓  plan ✓ \\(\\d+ resources\\)  guardrails ✓  invariants ✓$`)),
      ),
      "4 passed, 0 failed",
    ],
  });
});
