/**
 * The real Terraform CLI and the real hashicorp/aws provider on every stack
 * we synthesize: init without backend, validate, and an offline plan under
 * `terraform test` whose assertions read the planned values. Set
 * TERRAFORM_PROVIDER_MIRROR to a local provider mirror to run offline.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { terraform } from "./helpers/terraform";
import { checkStack, synthesized } from "./helpers/stack-check";

test("terraform is installed", () => {
  expect(terraform(tmpdir(), ["version"]).output).toMatch(/Terraform v1\.\d+/);
});

describe("every stack of the repository's cdktf.json", () => {
  const { context } = JSON.parse(readFileSync(join(__dirname, "..", "cdktf.json"), "utf8"));
  const stacks = synthesized(context.connectEncryption);

  test.each(stacks.map((s) => [s.stack["//"].metadata.stackName, s]))(
    "%s validates and plans offline, every encryption property holding on planned values",
    (_, stack) => checkStack(stack as any),
  );
});
