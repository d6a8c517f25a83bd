/**
 * Terraform-first adoption: `import` blocks cannot live in a child module, so
 * callers write them in their root module against the module's storage-config
 * addresses. Those addresses are part of the module's interface: this test
 * fails when they change, checks that the example's import blocks and the
 * adoption guide name them, and runs the example with real Terraform.
 */
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MODULE_DIRECTORY } from "../modules/terraform-module/connect-encryption-module";
import { renderModule } from "../modules/terraform-module/module-files";
import { STORAGE_TYPES } from "../modules/config/storage-types";
import { init, terraform } from "./helpers/terraform";

const ROOT = join(__dirname, "..");
const EXAMPLE = join("examples", "adopt-existing-instance");
const read = (path: string): string => readFileSync(join(ROOT, path), "utf8");

/** The address callers import into, per storage type (and, for contact trace records, per destination). Changing one breaks callers. */
const STABLE_ADDRESSES: Record<string, string> = {
  CALL_RECORDINGS: "storage_call_recordings",
  CHAT_TRANSCRIPTS: "storage_chat_transcripts",
  SCREEN_RECORDINGS: "storage_screen_recordings",
  ATTACHMENTS: "storage_attachments",
  EMAIL_MESSAGES: "storage_email_messages",
  CONTACT_EVALUATIONS: "storage_contact_evaluations",
  SCHEDULED_REPORTS: "storage_scheduled_reports",
  "CONTACT_TRACE_RECORDS (firehose)": "storage_contact_trace_records",
  "CONTACT_TRACE_RECORDS (kinesis)": "storage_contact_trace_records_kinesis_stream",
  AGENT_EVENTS: "storage_agent_events",
  REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS: "storage_real_time_contact_analysis_voice_segments",
  REAL_TIME_CONTACT_ANALYSIS_CHAT_SEGMENTS: "storage_real_time_contact_analysis_chat_segments",
  MEDIA_STREAMS: "storage_media_streams",
};

const storageConfigs = (): Record<string, { resource_type: string; count?: string; storage_config: Record<string, unknown> }> =>
  JSON.parse(renderModule()).resource.aws_connect_instance_storage_config;

test("the module's storage-config addresses are stable, and each is counted so that callers import into [0]", () => {
  const configs = storageConfigs();
  expect(Object.keys(configs).sort()).toEqual(Object.values(STABLE_ADDRESSES).sort());
  for (const [label, name] of Object.entries(STABLE_ADDRESSES)) {
    expect([label, configs[name].resource_type]).toEqual([label, label.split(" ")[0]]);
    expect(configs[name].count).toMatch(/\? 1 : 0\}$/);
  }
  expect(configs.storage_contact_trace_records.storage_config.kinesis_firehose_config).toBeDefined();
  expect(configs.storage_contact_trace_records_kinesis_stream.storage_config.kinesis_stream_config).toBeDefined();
  // Every type the module can associate has its address here (the deprecated REAL_TIME_CONTACT_ANALYSIS_SEGMENTS is not offered by the module).
  const labelled = new Set(Object.keys(STABLE_ADDRESSES).map((l) => l.split(" ")[0]));
  expect(STORAGE_TYPES.filter((t) => !labelled.has(t))).toEqual(["REAL_TIME_CONTACT_ANALYSIS_SEGMENTS"]);
});

test("the example's import blocks target those addresses with the provider's import ID, and the guide lists every address", () => {
  const configs = storageConfigs();
  const blocks = [...read(join(EXAMPLE, "main.tf")).matchAll(/import \{\n\s+to = ([^\n]+)\n\s+id = "([^\n]+)"\n\}/g)];
  expect(blocks.length).toBe(4);
  for (const [, to, id] of blocks) {
    const name = /^module\.contact_centre\.aws_connect_instance_storage_config\.([a-z_]+)\[0\]$/.exec(to)?.[1];
    expect(name && configs[name]).toBeTruthy();
    expect(id).toMatch(
      new RegExp(
        `^\\$\\{var\\.instance_id\\}:\\$\\{var\\.existing_associations\\["${configs[name!].resource_type}"\\]\\}:${configs[name!].resource_type}$`,
      ),
    );
  }
  const guide = read(join("docs", "adopting.md"));
  for (const name of Object.values(STABLE_ADDRESSES)) expect(guide).toContain(`aws_connect_instance_storage_config.${name}[0]`);
});

test("the example validates and its adoption plans offline under terraform test (imports read through overrides)", () => {
  const workspace = mkdtempSync(join(tmpdir(), "connect-kms-adopt-"));
  cpSync(join(ROOT, MODULE_DIRECTORY), join(workspace, MODULE_DIRECTORY), { recursive: true });
  cpSync(join(ROOT, EXAMPLE), join(workspace, EXAMPLE), { recursive: true });
  const example = join(workspace, EXAMPLE);
  terraform(example, ["fmt", "-check", "-recursive"]);
  init(example);
  // terraform test validates the configuration (import blocks included) before it plans.
  const result = terraform(example, ["test", "-verbose"], { mockedProviders: true });
  expect(result.output).toMatch(/run "existing_associations_are_taken_over_in_place"\.\.\. pass/);
  for (const name of ["storage_call_recordings", "storage_chat_transcripts", "storage_contact_trace_records", "storage_media_streams"]) {
    expect(result.output).toContain(`module.contact_centre.aws_connect_instance_storage_config.${name}[0] will be imported`);
  }
  expect(result.output).toMatch(/Plan: 4 to import, \d+ to add, 0 to change, 0 to destroy\./);
});
