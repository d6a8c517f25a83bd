/**
 * Upgrading a root from module/replicated (as released in 0.1.0, kept under
 * fixtures/module-v0.1.0/) to module/ beside module/modules/replica: a
 * `terraform test` applies the old layout against mock providers, then plans
 * the new layout (examples/migrate-from-replicated, with its generated
 * moved.tf) on the same state (`state_key`). Nothing may be created,
 * replaced or destroyed; every resource of the copy is moved. The same for
 * a caller that never enabled the copy: the old call planned as module/.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Json } from "./helpers/synth";
import { MODULE_DIRECTORY } from "../modules/terraform-module/connect-encryption-module";
import { synthesizeModule } from "../modules/terraform-module/module-files";
import { MIGRATION_EXAMPLE_MOVED_FILE, replicaMoves, REPLICATED_STUB } from "../modules/terraform-module/migration";
import { TerraformError, init, terraform } from "./helpers/terraform";

const ROOT = resolve(__dirname, "..");
const OLD_MODULE = join(__dirname, "fixtures", "module-v0.1.0", "replicated");

const OLD_ROOT = (replication: boolean) => `terraform {
  required_providers {
    aws = { source = "hashicorp/aws", configuration_aliases = [aws.dr] }
  }
}

module "connect_encryption" {
  source    = "../../../fixture/replicated"
  providers = { aws = aws, aws.dr = aws.dr }

  name                = "acme-connect-prod"
  replication_enabled = ${replication}
}
`;

// The old call's data sources in the DR Region stay in state until one apply forgets them; their provider must still be configured then.
const NEW_ROOT_WITHOUT_COPY = `terraform {
  required_providers {
    aws = { source = "hashicorp/aws", configuration_aliases = [aws.dr] }
  }
}

module "connect_encryption" {
  source = "../../../module"
  name   = "acme-connect-prod"
}
`;

const MIGRATION_TEST = `mock_provider "aws" {
  source = "../mocks/aws-eu-west-2"
}

mock_provider "aws" {
  alias  = "dr"
  source = "../mocks/aws-eu-west-1"
}

run "old_layout_with_copy" {
  state_key = "with_copy"
  module {
    source = "./old-with-copy"
  }
}

run "new_layout_with_copy" {
  state_key = "with_copy"
  command   = plan
}

run "old_layout_without_copy" {
  state_key = "without_copy"
  module {
    source = "./old-without-copy"
  }
}

run "new_layout_without_copy" {
  state_key = "without_copy"
  command   = plan
  module {
    source = "./new-without-copy"
  }
}
`;

interface TestMessage {
  readonly type: string;
  readonly "@testrun"?: string;
  readonly "@message": string;
  readonly test_plan?: {
    resource_changes: { address: string; previous_address?: string; change: { actions: string[]; before?: Json; after?: Json } }[];
  };
  readonly diagnostic?: { summary: string; detail?: string };
}

/** The example root beside a copy of module/, the old module and the shared mocks; the old roots and the test file written here. */
function runMigration(): TestMessage[] {
  const workspace = mkdtempSync(join(tmpdir(), "connect-kms-migration-"));
  cpSync(join(ROOT, MODULE_DIRECTORY), join(workspace, MODULE_DIRECTORY), { recursive: true });
  cpSync(OLD_MODULE, join(workspace, "fixture", "replicated"), { recursive: true });
  cpSync(join(ROOT, "examples", "mocks"), join(workspace, "examples", "mocks"), { recursive: true });
  const dir = join(workspace, "examples", "migrate-from-replicated");
  cpSync(join(ROOT, "examples", "migrate-from-replicated"), dir, { recursive: true });
  for (const [folder, text] of [
    ["old-with-copy", OLD_ROOT(true)],
    ["old-without-copy", OLD_ROOT(false)],
    ["new-without-copy", NEW_ROOT_WITHOUT_COPY],
  ]) {
    mkdirSync(join(dir, folder));
    writeFileSync(join(dir, folder, "main.tf"), text);
  }
  mkdirSync(join(dir, "tests"));
  writeFileSync(join(dir, "tests", "migration.tftest.hcl"), MIGRATION_TEST);
  // The example as committed is what users copy: fmt-clean.
  for (const file of ["main.tf", "moved.tf"]) terraform(dir, ["fmt", "-check", file]);
  init(dir);
  let printed: string;
  try {
    printed = terraform(dir, ["test", "-json", "-verbose"], { mockedProviders: true }).output;
  } catch (error) {
    // The teardown cannot destroy the old layout's keys and buckets (prevent_destroy): asserted below.
    if (!(error instanceof TerraformError)) throw error;
    printed = error.printed;
  }
  return printed
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as TestMessage);
}

const messages = runMigration();
const planOf = (run: string) => messages.find((m) => m.type === "test_plan" && m["@testrun"] === run)!.test_plan!.resource_changes;

test("every run passes: the old layouts apply, and the new ones plan on their state", () => {
  const runs = messages.filter((m) => m.type === "test_run" && / (pass|fail|error)$/.test(m["@message"]));
  expect(runs.map((m) => m["@message"].trim())).toEqual([
    '"old_layout_with_copy"... pass',
    '"new_layout_with_copy"... pass',
    '"old_layout_without_copy"... pass',
    '"new_layout_without_copy"... pass',
  ]);
});

/** The attributes an in-place update changes. */
const changedAttributes = (change: { before?: Json; after?: Json }): string[] =>
  Object.keys({ ...change.before, ...change.after }).filter(
    (key) => JSON.stringify(change.before?.[key]) !== JSON.stringify(change.after?.[key]),
  );

// The policies are aws_iam_policy_document data sources now; under mock providers every document reads as the
// mocks' empty one, so a policy shows as updated. That is all that may change: no other attribute, no replacement.
// (That each new document grants what the old jsonencode did is the access matrix's and invariants' business.)
const POLICY_ATTRIBUTES = ["policy", "assume_role_policy"];

test.each(["new_layout_with_copy", "new_layout_without_copy"])("%s creates, replaces and destroys nothing", (run) => {
  const changes = planOf(run);
  expect(changes.length).toBeGreaterThan(40);
  // Data sources are read, not changed (a policy document that waits on a resource is read during apply).
  const others = changes.filter((c) => c.change.actions.join() !== "no-op" && !/(^|\.)data\./.test(c.address));
  expect(others.filter((c) => c.change.actions.join() !== "update").map((c) => [c.address, c.change.actions])).toEqual([]);
  for (const c of others)
    expect([c.address, changedAttributes(c.change).filter((a) => !POLICY_ATTRIBUTES.includes(a))]).toEqual([c.address, []]);
});

test("every resource of the copy moves from the old call into the replica module's, as moved.tf says", () => {
  const moved = planOf("new_layout_with_copy")
    .filter((c) => c.previous_address !== undefined)
    .map((c) => ({ from: c.previous_address, to: c.address }));
  const expected = replicaMoves(synthesizeModule("replica").json)
    .map(({ from, to }) => ({ from: `module.connect_encryption.${from}`, to: `module.connect_encryption_dr.${to}` }))
    // The conditional parts of the copy (Object Lock, the copy of the bucket without it) are not in this call.
    .filter(({ to }) => !to.endsWith("[0]"));
  const byTarget = (a: { to: string }, b: { to: string }) => (a.to < b.to ? -1 : 1);
  expect(moved.sort(byTarget)).toEqual(expected.sort(byTarget));
  expect(readFileSync(join(ROOT, MIGRATION_EXAMPLE_MOVED_FILE), "utf8")).toContain(
    "from = module.connect_encryption.aws_kms_key.replica_key[0]\n  to   = module.connect_encryption_dr.aws_kms_key.key",
  );
});

test("the only teardown errors are prevent_destroy keeping the old layout's keys, buckets and instance", () => {
  const diagnostics = messages.filter((m) => m.type === "diagnostic" && m.diagnostic);
  expect(diagnostics.length).toBeGreaterThan(0);
  for (const m of diagnostics) {
    expect(m.diagnostic!.summary).toBe("Instance cannot be destroyed");
    expect(m.diagnostic!.detail).toMatch(/aws_(kms_key|s3_bucket|connect_instance)\.[a-z_]+(\[0\])? has lifecycle\.prevent_destroy set/);
  }
});

test("module/replicated is a stub whose init failure names the upgrade steps", () => {
  expect(readFileSync(join(ROOT, MODULE_DIRECTORY, "replicated", "versions.tf"), "utf8")).toBe(REPLICATED_STUB);
  const dir = mkdtempSync(join(tmpdir(), "connect-kms-replicated-stub-"));
  cpSync(join(ROOT, MODULE_DIRECTORY, "replicated"), join(dir, "module", "replicated"), { recursive: true });
  mkdirSync(join(dir, "root"));
  writeFileSync(
    join(dir, "root", "main.tf"),
    'module "old" {\n  source              = "../module/replicated"\n  name                = "x"\n  replication_enabled = true\n}\n',
  );
  let printed = "";
  try {
    terraform(join(dir, "root"), ["init", "-backend=false", "-input=false"]);
  } catch (error) {
    printed = (error as TerraformError).printed;
  }
  expect(printed).toContain("Unsupported Terraform Core version");
  expect(printed).toContain('see docs/terraform-module.md, "Migrating from module/replicated"');
});
