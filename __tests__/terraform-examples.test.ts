/**
 * The examples under examples/, tested as users test their own roots:
 * `terraform fmt -check`, `init`, `validate` and `terraform test` files
 * that plan against mock providers (no credentials, fake or real, in any
 * file) and assert on planned values through the module's outputs.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { MODULE_DIRECTORY } from "../modules/terraform-module/connect-encryption-module";
import { init, terraform } from "./helpers/terraform";

const ROOT = resolve(__dirname, "..");
const EXAMPLES = join(ROOT, "examples");

function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const path = join(directory, entry);
    if (entry === ".terraform") return [];
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The example beside a copy of the module, in the repository's layout (examples refer to ../../module). */
function workspaceFor(example: string): string {
  const workspace = mkdtempSync(join(tmpdir(), `connect-kms-${example}-`));
  cpSync(join(ROOT, MODULE_DIRECTORY), join(workspace, MODULE_DIRECTORY), { recursive: true });
  cpSync(join(EXAMPLES, example), join(workspace, "examples", example), { recursive: true });
  // The tests' shared mock answers (mock_provider "aws" { source = "../mocks/<region>" }).
  cpSync(join(EXAMPLES, "mocks"), join(workspace, "examples", "mocks"), { recursive: true });
  // The generated policies beside the examples (examples/hcp-deploy-roles reads them).
  for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith(".json")))
    cpSync(join(EXAMPLES, file), join(workspace, "examples", file));
  return join(workspace, "examples", example);
}

test("no file under examples/ holds an access key or secret key, fake or real", () => {
  for (const file of filesUnder(EXAMPLES)) {
    const text = readFileSync(file, "utf8");
    expect([relative(ROOT, file), /access_key|secret_key|AKIA[0-9A-Z]{16}|aws_secret_access_key/i.test(text)]).toEqual([
      relative(ROOT, file),
      false,
    ]);
  }
});

test("the examples' tests mock by resource type, not by the module's internal names (adoption imports aside)", () => {
  for (const example of ["minimal", "complete", "replication", "terraform-first"]) {
    for (const file of filesUnder(join(EXAMPLES, example)).filter((f) => f.endsWith(".tftest.hcl"))) {
      const text = readFileSync(file, "utf8");
      expect([relative(ROOT, file), /override_(data|resource|module)\s*\{|target\s*=\s*module\./.test(text)]).toEqual([
        relative(ROOT, file),
        false,
      ]);
      expect(text).toContain('mock_provider "aws"');
    }
  }
});

describe.each([
  ["minimal", ["only_the_name_plans_with_everything_under_the_key"]],
  ["complete", ["every_option_plans_under_the_key"]],
  ["replication", ["the_copy_is_made_in_the_second_region_under_its_own_key"]],
  [
    "terraform-first",
    [
      "two_contact_centres_plan_under_their_keys",
      "bad_inputs_for_a_new_instance_are_refused",
      "an_existing_instance_without_its_id",
      "both_an_alias_and_an_existing_instance",
      "valid_inputs_plan",
      "access_logs_and_alerts_can_be_switched_off",
    ],
  ],
  [
    "hcp-deploy-roles",
    [
      "the_example_gives_the_workspace_variables",
      "the_trust_policies_name_the_phase_and_workspace",
      "the_oidc_provider_can_be_reused",
      "a_missing_provider_arn_is_refused",
    ],
  ],
])("examples/%s", (example, runs) => {
  test("is fmt-clean, and its terraform test (which validates first) plans pass against mock providers", () => {
    const dir = workspaceFor(example);
    terraform(dir, ["fmt", "-check", "-recursive"]);
    init(dir);
    // (terraform test validates the configuration first: no separate validate run.)
    const result = terraform(dir, ["test"], { mockedProviders: true });
    for (const run of runs) expect(result.output).toMatch(new RegExp(`run "${run}"\\.\\.\\. pass`));
    expect(result.output).toMatch(/Success! \d+ passed, 0 failed\./);
  });
});

test("examples/hcp-terraform-workspace (a cloud block, variable-driven workspaces) initializes without a backend and validates", () => {
  const dir = workspaceFor("hcp-terraform-workspace");
  const text = readFileSync(join(dir, "main.tf"), "utf8");
  expect(text).toMatch(/cloud \{\n\s+organization = "acme"/);
  expect(text).toMatch(/workspaces \{\n\s+project = "contact-centre"\n\s+tags\s+= \["connect-encryption"\]/);
  terraform(dir, ["fmt", "-check"]);
  init(dir);
  expect(terraform(dir, ["validate"]).output).toContain("The configuration is valid.");
});
