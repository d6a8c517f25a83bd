/**
 * The Terraform module in module/: generated from the same construct as the
 * stacks, committed, and used the way Terraform-first teams use it (the
 * example root module, planned offline against the real provider).
 */
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { MODULE_DIRECTORY, renderModuleFiles } from "../modules/connect-encryption-module";
import { moduleTables, withModuleTables } from "../modules/module-docs";
import { initAndValidate, terraform } from "./helpers/terraform";
import { synth, Json } from "./helpers/synth";

const ROOT = resolve(__dirname, "..");
const files = renderModuleFiles();
const tfModule: Json = JSON.parse(files["main.tf.json"]);

describe("the module artifact", () => {
  test.each(Object.keys(files))("module/%s is committed and up to date (run `npm run synth` if this fails)", (file) => {
    expect(readFileSync(join(ROOT, MODULE_DIRECTORY, file), "utf8")).toBe(files[file]);
  });

  test("configures no provider, backend or cloud block, and requires Terraform and an AWS provider that admit 5.100 and 6.x", () => {
    expect(tfModule.provider).toBeUndefined();
    expect(tfModule.terraform).toEqual({
      required_providers: { aws: { source: "hashicorp/aws", version: ">= 5.100.0, < 7.0.0" } },
    });
    expect(files["versions.tf"]).toContain('required_version = ">= 1.10.0"');
    expect(JSON.stringify(tfModule)).not.toMatch(/"\/\/"|"backend"|"cloud"|\/work\/|\/tmp\//);
  });

  test("has the same outputs as a stack with every option on (null where an option is off)", () => {
    const everything = synth({
      bucket: { objectLock: { mode: "GOVERNANCE", days: 30 }, replication: { region: "eu-west-1" } },
      storage: { ATTACHMENTS: { enabled: true } },
      alerts: { createTrail: true },
      customerProfiles: { enabled: true },
    });
    // Cross-Region replication is stack-only until the module takes a second provider.
    const stackOnly = ["replica_bucket_id", "replica_key_arn"];
    expect(Object.keys(tfModule.output).sort()).toEqual(
      Object.keys(everything.json.output)
        .filter((name) => !stackOnly.includes(name))
        .sort(),
    );
  });

  test("reads account, partition and Region from the caller's provider", () => {
    expect(Object.keys(tfModule.data).sort()).toEqual(expect.arrayContaining(["aws_caller_identity", "aws_partition", "aws_region"]));
    expect(files["main.tf.json"]).not.toMatch(/"(eu|us|ap|ca|sa|me|af)-[a-z]+-[0-9]"/);
  });

  test("documents every input and output, and validates the risky ones", () => {
    for (const [name, variable] of Object.entries<Json>(tfModule.variable)) {
      expect([name, variable.description]).toEqual([name, expect.stringMatching(/\w/)]);
      expect(variable.type).toBeTruthy();
    }
    for (const name of [
      "name",
      "instance_alias",
      "instance_id",
      "key_alias",
      "key_rotation_period_in_days",
      "key_deletion_window_in_days",
      "key_administrators",
      "key_users",
      "s3_storage",
      "stream_retention_hours",
      "media_streams_retention_hours",
      "contact_trace_records_destination",
    ]) {
      expect([name, tfModule.variable[name].validation?.length ?? 0]).toEqual([name, expect.any(Number)]);
      expect(tfModule.variable[name].validation.length).toBeGreaterThan(0);
    }
    expect(tfModule.variable.s3_storage.default).toEqual({
      ATTACHMENTS: {},
      CALL_RECORDINGS: {},
      CHAT_TRANSCRIPTS: {},
      SCREEN_RECORDINGS: {},
    });
    for (const output of Object.values<Json>(tfModule.output)) expect(output.description).toMatch(/\w/);
  });

  test("the repository README carries the same generated tables (run `npm run synth` if this fails)", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect(withModuleTables(readme, moduleTables(tfModule))).toBe(readme);
    expect(readme).toContain("| key_rotation_period_in_days |");
  });

  test("the README's tables list every input and output", () => {
    const readme = files["README.md"];
    for (const name of [...Object.keys(tfModule.variable), ...Object.keys(tfModule.output)]) expect(readme).toContain(`| ${name} |`);
  });

  test("makes every optional part conditional on the inputs instead of leaving it out", () => {
    expect(tfModule.resource.aws_connect_instance.connect.count).toBe("${var.create_instance ? 1 : 0}");
    expect(tfModule.data.aws_connect_instance.connect_existing.count).toBe("${!var.create_instance ? 1 : 0}");
    expect(tfModule.resource.aws_kinesis_firehose_delivery_stream.ctr_firehose.count).toBe(
      '${(var.contact_trace_records_destination == "firehose") ? 1 : 0}',
    );
    expect(tfModule.resource.aws_connect_instance_storage_config.storage_email_messages.count).toBe(
      '${contains(keys(var.s3_storage), "EMAIL_MESSAGES") ? 1 : 0}',
    );
    // The key and the bucket are never conditional, and never destroyable.
    expect(tfModule.resource.aws_kms_key.key.count).toBeUndefined();
    expect(tfModule.resource.aws_kms_key.key.lifecycle).toEqual({ prevent_destroy: true });
    expect(tfModule.resource.aws_s3_bucket.recordings.lifecycle).toEqual({ prevent_destroy: true });
  });
});

describe("the module with real Terraform", () => {
  // The example refers to the module as ../../module: copy both, keeping that layout.
  const workspace = mkdtempSync(join(tmpdir(), "connect-kms-module-"));
  cpSync(join(ROOT, MODULE_DIRECTORY), join(workspace, MODULE_DIRECTORY), { recursive: true });
  cpSync(join(ROOT, "examples", "terraform-first"), join(workspace, "examples", "terraform-first"), { recursive: true });

  test("validates on its own", () => {
    expect(initAndValidate(join(workspace, MODULE_DIRECTORY)).output).toContain("The configuration is valid.");
  });

  test("the Terraform-first example (for_each, aliased provider) plans offline with every encryption assertion, and bad inputs are refused", () => {
    const example = join(workspace, "examples", "terraform-first");
    terraform(example, ["fmt", "-check", "-recursive"]); // fails on unformatted HCL
    expect(initAndValidate(example).output).toContain("The configuration is valid.");
    const result = terraform(example, ["test"]);
    expect(result.output).toMatch(/run "two_contact_centres_plan_under_their_keys"\.\.\. pass/);
    expect(result.output).toMatch(/run "bad_inputs_for_a_new_instance_are_refused"\.\.\. pass/);
    expect(result.output).toMatch(/run "valid_inputs_plan"\.\.\. pass/);
    expect(result.output).toMatch(/run "access_logs_and_alerts_can_be_switched_off"\.\.\. pass/);
    expect(result.output).toMatch(/7 passed, 0 failed/);
  });
});
