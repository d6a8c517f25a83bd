/**
 * The module's inputs and the declaration's fields accept the same values:
 * for every module input that corresponds to a declaration field, boundary
 * values generated from the schema's rules go through the cdktf resolver and
 * through the module's own variable blocks under real Terraform, and the two
 * must agree. One `terraform test` file, one `run` per value, one process.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ENVIRONMENT_NAME, NAME_PREFIX } from "../modules/config/config-schema";
import { MODULE_DIRECTORY } from "../modules/terraform-module/connect-encryption-module";
import { REPLICA_MODULE_DIRECTORY } from "../modules/terraform-module/replica-module";
import {
  ENVIRONMENT_NAME_MAX,
  MODULE_NAME,
  NAME_PREFIX_MAX,
  FieldRules,
  fieldRules,
  schemaField,
  toRe2,
} from "../modules/terraform-module/module-variables";
import { valueSource } from "../modules/terraform-module/hcl";
import { ConfigError } from "../modules/config/validation";
import { resolveDeclaration } from "../modules/config/config";
import { declaration, Json } from "./helpers/synth";
import { terraform } from "./helpers/terraform";

const ROOT = resolve(__dirname, "..");

/** A module input, the declaration field it corresponds to, and how a value is written on each side. */
interface Mapping {
  readonly input: string;
  readonly field: readonly string[];
  /** Module inputs besides `name`, and the wrapping of the value (default: the input itself). */
  readonly module?: (value: unknown) => Json;
  /** The environment's overrides (default: the field set to the value). */
  readonly env?: (value: unknown) => Json;
  /** Values of the declaration that mean something else in the module (key_deployers: [] is "the caller"). */
  readonly skip?: (value: unknown) => boolean;
  /** Valid examples the candidates grow from. */
  readonly examples?: readonly unknown[];
  /** Inputs whose rules depend on each other share a group: never two of its values in one run. */
  readonly group?: string;
}

const at = (path: readonly string[], value: unknown): Json => path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Json;
const ARN = "arn:aws:iam::111122223333:role/Example";
const UUID = "11111111-2222-3333-4444-555555555555";

const MAPPINGS: readonly Mapping[] = [
  { input: "key_alias", field: ["key", "alias"], examples: ["alias/connect-prod", "connect-prod"] },
  { input: "key_description", field: ["key", "description"], examples: ["Connect key"] },
  { input: "key_rotation_period_in_days", field: ["key", "rotationPeriodInDays"] },
  { input: "key_deletion_window_in_days", field: ["key", "deletionWindowInDays"] },
  { input: "key_administrators", field: ["key", "administratorArns"], examples: [[ARN]] },
  { input: "key_users", field: ["key", "userArns"], examples: [[ARN]] },
  { input: "key_auditors", field: ["key", "auditorArns"], examples: [[ARN]] },
  { input: "key_consumers", field: ["key", "consumerArns"], examples: [[ARN]] },
  { input: "key_deployers", field: ["key", "deployerArns"], examples: [[ARN]], skip: (v) => Array.isArray(v) && v.length === 0 },
  {
    input: "instance_alias",
    group: "instance",
    field: ["instance", "create", "alias"],
    examples: ["acme-connect", "a1"],
    env: (value) => ({ instance: { create: { alias: value } } }),
  },
  {
    input: "directory_id",
    group: "directory",
    field: ["instance", "create", "directoryId"],
    examples: ["d-1234567890"],
    module: (value) => ({ identity_management_type: "EXISTING_DIRECTORY", directory_id: value }),
    env: (value) => ({ instance: { create: { alias: "acme", identityManagementType: "EXISTING_DIRECTORY", directoryId: value } } }),
  },
  {
    input: "identity_management_type",
    group: "directory",
    field: ["instance", "create", "identityManagementType"],
    env: (value) => ({ instance: { create: { alias: "acme", identityManagementType: value } } }),
    skip: (value) => value === "EXISTING_DIRECTORY", // needs a directory on both sides
  },
  {
    input: "instance_id",
    group: "instance",
    field: ["instance", "adopt", "instance"],
    examples: [UUID, `arn:aws:connect:eu-west-2:111122223333:instance/${UUID}`],
    module: (value) => ({ create_instance: false, instance_id: value }),
    // The declaration also refuses an ARN outside the environment's Region or account; the module cannot read its provider's (see its description).
    skip: (value) => String(value).includes("eu-west-1"),
    env: (value) => ({ instance: { adopt: { instance: value, existingAssociations: {} } } }),
  },
  // name's rule reads bucket_name; the name cases that set it share its group.
  { input: "bucket_name", field: ["bucket", "name"], examples: ["acme-recordings"] },
  { group: "lifecycle", input: "transition_to_glacier_ir_after_days", field: ["bucket", "lifecycle", "transitionToGlacierIrAfterDays"] },
  { group: "lifecycle", input: "expire_after_days", field: ["bucket", "lifecycle", "expireAfterDays"] },
  { group: "lifecycle", input: "noncurrent_version_expiration_days", field: ["bucket", "lifecycle", "noncurrentVersionExpirationDays"] },
  { input: "abort_incomplete_multipart_upload_days", field: ["bucket", "lifecycle", "abortIncompleteMultipartUploadDays"] },
  ...(["days", "years"] as const).map((attribute) => ({
    input: `object_lock.${attribute}`,
    group: "lifecycle",
    field: ["bucket", "objectLock", attribute],
    module: (value: unknown) => ({ object_lock: { mode: "GOVERNANCE", [attribute]: value, locked_types: ["CALL_RECORDINGS"] } }),
    env: (value: unknown) => ({ bucket: { objectLock: { mode: "GOVERNANCE", [attribute]: value, lockedTypes: ["CALL_RECORDINGS"] } } }),
  })),
  {
    input: "object_lock.mode",
    group: "lifecycle",
    field: ["bucket", "objectLock", "mode"],
    module: (value) => ({ object_lock: { mode: value, days: 1, locked_types: ["CALL_RECORDINGS"] } }),
    env: (value) => ({ bucket: { objectLock: { mode: value, days: 1, lockedTypes: ["CALL_RECORDINGS"] } } }),
  },
  {
    input: "object_lock.locked_types",
    group: "lifecycle",
    field: ["bucket", "objectLock", "lockedTypes"],
    examples: [
      ["CALL_RECORDINGS"],
      ["CALL_RECORDINGS", "CHAT_TRANSCRIPTS"],
      ["ATTACHMENTS"],
      ["EMAIL_MESSAGES"],
      [],
      ["CALL_RECORDINGS", "CALL_RECORDINGS"],
    ],
    module: (value) => ({ object_lock: { mode: "GOVERNANCE", days: 1, locked_types: value } }),
    env: (value) => ({ bucket: { objectLock: { mode: "GOVERNANCE", days: 1, lockedTypes: value } } }),
  },
  {
    input: "replication_bucket_name",
    field: ["bucket", "replication", "bucketName"],
    examples: ["acme-copy"],
    env: (value) => ({ bucket: { replication: { region: "eu-west-1", bucketName: value } } }),
  },
  {
    input: "replication_storage_class",
    field: ["bucket", "replication", "storageClass"],
    env: (value) => ({ bucket: { replication: { region: "eu-west-1", storageClass: value } } }),
  },
  { input: "alert_emails", field: ["alerts", "emails"], examples: [["ops@example.com"]] },
  {
    input: "customer_profiles_domain_name",
    field: ["customerProfiles", "domainName"],
    examples: ["acme-profiles"],
    env: (value) => ({ customerProfiles: { enabled: true, domainName: value } }),
  },
  {
    input: "customer_profiles_expiration_days",
    field: ["customerProfiles", "defaultExpirationDays"],
    env: (value) => ({ customerProfiles: { enabled: true, defaultExpirationDays: value } }),
  },
  {
    input: "attachments_cors_allowed_origins",
    field: ["storage", "ATTACHMENTS", "corsAllowedOrigins"],
    examples: [["https://www.example.com"]],
  },
  {
    input: "s3_storage.prefix",
    field: ["storage", "CALL_RECORDINGS", "prefix"],
    examples: ["recordings/calls", "Analysis/x", "AnalysisX"],
    module: (value) => ({ s3_storage: { CALL_RECORDINGS: { prefix: value } } }),
  },
  { input: "ctr_prefix", field: ["storage", "CONTACT_TRACE_RECORDS", "prefix"], examples: ["ctr/records", "Analysis"] },
  { input: "ctr_error_prefix", field: ["storage", "CONTACT_TRACE_RECORDS", "errorPrefix"], examples: ["ctr/errors"] },
  { input: "ctr_buffering_size_mib", field: ["storage", "CONTACT_TRACE_RECORDS", "bufferingSizeMib"] },
  { input: "ctr_buffering_interval_seconds", field: ["storage", "CONTACT_TRACE_RECORDS", "bufferingIntervalSeconds"] },
  { input: "media_streams_prefix", field: ["storage", "MEDIA_STREAMS", "prefix"], examples: ["acme-media"] },
  { input: "media_streams_retention_hours", field: ["storage", "MEDIA_STREAMS", "retentionHours"] },
  { group: "streams", input: "stream_capacity_mode", field: ["streams", "capacityMode"], skip: (value) => value === "PROVISIONED" },
  {
    input: "stream_shard_count",
    group: "streams",
    field: ["streams", "shardCount"],
    module: (value) => ({ stream_capacity_mode: "PROVISIONED", stream_shard_count: value }),
    env: (value) => ({ streams: { capacityMode: "PROVISIONED", shardCount: value } }),
  },
  { input: "stream_retention_hours", field: ["streams", "retentionHours"] },
  { input: "stream_consumer_role_arns", field: ["streams", "consumerRoleArns"], examples: [[ARN]] },
  { input: "tags", field: ["tags"], examples: [{ Team: "contact-centre" }] },
];

/** Boundary and rule-breaking values of a text field, grown from valid examples and the field's patterns. */
function textCandidates(rules: FieldRules, examples: readonly string[]): string[] {
  const lengths = [...(rules.pattern ?? "").matchAll(/\{(\d+),(\d+)\}/g)].flatMap((m) => [Number(m[1]), Number(m[2])]);
  const bounds = [...new Set([1, 2, 3, ...lengths.flatMap((n) => [n, n + 1])])].filter((n) => n > 0 && n <= 600);
  const [example = ""] = examples;
  const grown = bounds.map((n) => example.padEnd(n, "a").slice(0, n));
  const forbidden = (rules.forbidden ?? []).map((f) => f.pattern);
  const rulebreakers = [
    example.toUpperCase(),
    `-${example}`,
    `${example}-`,
    `${example} x`,
    `${example}//x`,
    `/${example}`,
    `${example}/`,
    `d-${example}`,
    `alias/aws/${example}`,
    `aws/${example}`,
    `xn--${example}`,
    `sthree-${example}`,
    `${example}-s3alias`,
    `${example}--ol-s3`,
    `${example}..x`,
    `${example}\t`,
    `${example}\u00a0x`,
    `${example}é`,
    `${example.replace(/:aws:/, ":aws-fake:")}`,
    `${example.replace(/eu-west-2/, "eu-west-1")}`,
  ];
  return [...new Set(["", "1.2.3.4", ...examples, ...grown, ...rulebreakers, ...forbidden.filter((f) => /^\^[a-z:-]+$/.test(f))])];
}

function candidates(mapping: Mapping): unknown[] {
  const rules = fieldRules(schemaField(...mapping.field));
  switch (rules.kind) {
    case "integer": {
      const { min = 0, max = 0 } = rules;
      return [min - 1, min, min + 1, max - 1, max, max + 1, min + 0.5];
    }
    case "oneOf":
      return [...(rules.options ?? []), "", (rules.options ?? [""])[0].toLowerCase(), "OTHER"];
    case "text":
      return textCandidates(rules, (mapping.examples ?? []) as string[]);
    case "list": {
      const [example] = (mapping.examples ?? [[]]) as string[][];
      const items = textCandidates(rules.item as FieldRules, example).slice(0, 40);
      return [[], example, [...example, ...example], ...items.map((item) => [item])];
    }
    case "map": {
      const [example] = (mapping.examples ?? [{}]) as Json[];
      const [key] = Object.keys(example);
      return [
        {},
        example,
        { [`${key} x`]: "v" },
        { "aws:x": "v" },
        { ["k".repeat(128)]: "v" },
        { ["k".repeat(129)]: "v" },
        { [key]: "v".repeat(256) },
        { [key]: "v".repeat(257) },
        { [key]: "a\u00a0b" },
        { [key]: "a#b" },
        { "": "v" },
        // Issue 22: AWS's characters, not JavaScript's \s; aws: in any case; keys that differ only in case.
        { "AWS:x": "v" },
        { "Aws:x": "v" },
        { [key]: "a\tb" },
        { [key]: "a\nb" },
        { [key]: "a\u2028b" },
        { [key]: "a\ufeffb" },
        { [key]: "a\u3000b" },
        { ["\u{1F600}".repeat(128)]: "v" },
        { [key]: "a", [key.toLowerCase()]: "b" },
      ];
    }
    default:
      return [];
  }
}

/** Whether cdktf refuses the value: a problem at the field (or none, accepted). */
function cdktfAccepts(mapping: Mapping, value: unknown): boolean {
  const env = mapping.env ? mapping.env(value) : at(mapping.field, value);
  try {
    resolveDeclaration(declaration(env), "cdktf.json");
    return true;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return false;
  }
}

interface Case {
  readonly label: string;
  readonly variables: Json;
  readonly accepted: boolean;
  /** The input Terraform must refuse (expect_failures), when refused. */
  readonly input: string;
  readonly group: string;
}

const cases: Case[] = [];
for (const mapping of MAPPINGS) {
  for (const value of candidates(mapping)) {
    if (mapping.skip?.(value)) continue;
    const module = mapping.module ? mapping.module(value) : { [mapping.input]: value };
    cases.push({
      label: `${mapping.input} = ${JSON.stringify(value)}`,
      variables: { name: "acme-test", ...module },
      accepted: cdktfAccepts(mapping, value),
      input: mapping.input.split(".")[0],
      group: mapping.group ?? mapping.input,
    });
  }
}

// name ↔ <namePrefix>-<environment>: every declaration's is a valid name; names of the module's own rule at its bounds.
const prefixes = ["a", "a".repeat(NAME_PREFIX_MAX), "acme-connect"];
const environments = ["p", "p".repeat(ENVIRONMENT_NAME_MAX), "prod2"];
for (const prefix of prefixes)
  for (const environment of environments)
    cases.push({
      label: `name = "${prefix}-${environment}" (a declaration's)`,
      variables: {
        name: `${prefix}-${environment}`,
        ...(prefix.length + environment.length >= 35 ? { bucket_name: "acme-recordings" } : {}),
      },
      accepted: true,
      input: "name",
      group: prefix.length + environment.length >= 35 ? "bucket_name" : "name",
    });
for (const [name, accepted, bucketName] of [
  ["a".repeat(MODULE_NAME.min), true],
  ["a".repeat(MODULE_NAME.min - 1), false],
  ["a".repeat(MODULE_NAME.max), true, "acme-recordings"],
  ["a".repeat(MODULE_NAME.max + 1), false, "acme-recordings"],
  ["xn--acme", false],
  ["Acme", false],
  ["acme-", false],
] as const)
  cases.push({
    label: `name = "${name}"`,
    variables: { name, ...(bucketName ? { bucket_name: bucketName } : {}) },
    accepted,
    input: "name",
    group: bucketName ? "bucket_name" : "name",
  });

/** Which inputs each input's validation blocks read (directly or through others), from the committed variables.tf. */
function dependencies(variablesTf: string): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const block of variablesTf.split(/^variable "/m).slice(1)) {
    const name = block.slice(0, block.indexOf('"'));
    const reads = [...block.matchAll(/var\.([a-z0-9_]+)/g)].map((m) => m[1]).filter((other) => other !== name);
    result.set(name, new Set(reads));
  }
  // Transitively: a block waits for the inputs it reads, and they for theirs.
  for (let changed = true; changed;) {
    changed = false;
    for (const reads of result.values())
      for (const read of [...reads])
        for (const further of result.get(read) ?? [])
          if (!reads.has(further)) {
            reads.add(further);
            changed = true;
          }
  }
  return result;
}

/**
 * Runs: Terraform checks every variable of a run, so values of independent
 * inputs share one. Not in one run: two values of a group, nor a refused
 * value with an input whose blocks read it (Terraform skips those blocks).
 */
function runsOf(all: readonly Case[], reads: Map<string, Set<string>>): Case[][] {
  const runs: Case[][] = [];
  const depends = (a: string, b: string): boolean => reads.get(a)?.has(b) ?? false;
  const fits = (run: Case[], c: Case): boolean =>
    run.every(
      (o) =>
        o.group !== c.group &&
        !(o.input === c.input) &&
        !(!c.accepted && depends(o.input, c.input)) &&
        !(!o.accepted && depends(c.input, o.input)),
    );
  for (const c of all) {
    const run = runs.find((r) => fits(r, c));
    if (run) run.push(c);
    else runs.push([c]);
  }
  return runs;
}

test("the name bounds are those of namePrefix and environment names", () => {
  expect(NAME_PREFIX.test("a".repeat(NAME_PREFIX_MAX))).toBe(true);
  expect(NAME_PREFIX.test("a".repeat(NAME_PREFIX_MAX + 1))).toBe(false);
  expect(ENVIRONMENT_NAME.test("a".repeat(ENVIRONMENT_NAME_MAX))).toBe(true);
  expect(ENVIRONMENT_NAME.test("a".repeat(ENVIRONMENT_NAME_MAX + 1))).toBe(false);
});

test("the schema's patterns translate to RE2 (lookaheads become forbidden patterns)", () => {
  expect(toRe2(/^(?!d-)[0-9A-Za-z](?:[0-9A-Za-z-]{0,43}[0-9A-Za-z])?$/)).toEqual({
    pattern: "^[0-9A-Za-z](?:[0-9A-Za-z-]{0,43}[0-9A-Za-z])?$",
    forbidden: ["^d-"],
    unbounded: false,
  });
  expect(toRe2(/^[^\u0000-\u001f]{0,8192}$/)).toMatchObject({ pattern: "^[^\\x{0000}-\\x{001f}]*$", maxLength: 8192 });
  expect(() => toRe2(/^a(?=b)$/)).toThrow(/no RE2 equivalent/);
});

test(`the module's variable blocks accept exactly what the declaration accepts (${cases.length} values, one terraform test)`, () => {
  // The module's variables.tf, and the replica module's bucket_name under the name of the input it replaced
  // (replication_bucket_name, which the cases use); variables alone plan in no time.
  const dir = mkdtempSync(join(tmpdir(), "connect-kms-parity-"));
  const replicaBucketName = /^variable "bucket_name" \{\n[\s\S]*?^\}\n/m
    .exec(readFileSync(join(ROOT, REPLICA_MODULE_DIRECTORY, "variables.tf"), "utf8"))![0]
    .replace(/\bbucket_name\b/g, "replication_bucket_name");
  writeFileSync(join(dir, "variables.tf"), `${readFileSync(join(ROOT, MODULE_DIRECTORY, "variables.tf"), "utf8")}\n${replicaBucketName}`);
  writeFileSync(join(dir, "main.tf"), 'terraform {\n  required_version = ">= 1.10.0"\n}\n');
  const runs = runsOf(cases, dependencies(readFileSync(join(dir, "variables.tf"), "utf8")));
  const blocks = runs.map((run, index) => {
    const variables: Json = Object.assign({ name: "acme-test" }, ...run.map((c) => c.variables));
    const refused = [...new Set(run.filter((c) => !c.accepted).map((c) => `var.${c.input}`))];
    return [
      `run "run_${index}" {`,
      "  command = plan",
      // A state of its own: a failed run then does not skip the runs after it.
      `  state_key = "run_${index}"`,
      "  variables {",
      ...Object.entries(variables).map(([name, value]) => `    ${name} = ${valueSource(value, true)}`),
      "  }",
      ...(refused.length > 0 ? [`  expect_failures = [${refused.join(", ")}]`] : []),
      "}",
    ].join("\n");
  });
  writeFileSync(join(dir, "parity.tftest.hcl"), `${blocks.join("\n\n")}\n`);
  terraform(dir, ["init", "-backend=false", "-input=false"]);
  let output: string;
  try {
    output = terraform(dir, ["test"]).output;
  } catch (error) {
    output = String((error as Error).message);
  }
  // A failed run names the inputs Terraform judged otherwise than cdktf; its values are listed with cdktf's verdict.
  const failed = [...output.matchAll(/run "run_(\d+)"\.\.\. fail/g)].flatMap((m) =>
    runs[Number(m[1])].map((c) => `run_${m[1]}: ${c.label} (cdktf ${c.accepted ? "accepts" : "refuses"})`),
  );
  expect(failed).toEqual([]);
  expect(output).toContain(`${runs.length} passed, 0 failed`);
  // Both outcomes are exercised for every mapped input.
  for (const mapping of MAPPINGS) {
    const outcomes = new Set(cases.filter((c) => c.label.startsWith(`${mapping.input} = `)).map((c) => c.accepted));
    expect([mapping.input, outcomes.size]).toEqual([mapping.input, 2]);
  }
});

test("an input's rules are one validation block, whose message is the failing rule's own (real Terraform)", () => {
  const dir = mkdtempSync(join(tmpdir(), "connect-kms-messages-"));
  writeFileSync(join(dir, "variables.tf"), readFileSync(join(ROOT, MODULE_DIRECTORY, "variables.tf"), "utf8"));
  writeFileSync(join(dir, "main.tf"), 'terraform {\n  required_version = ">= 1.10.0"\n}\n');
  terraform(dir, ["init", "-backend=false", "-input=false"]);
  const values: Record<string, string> = {
    name: "acme-test",
    key_users: `["${ARN}", "${ARN}"]`,
    key_auditors: '["nope"]',
    key_deletion_window_in_days: "3",
    key_rotation_period_in_days: "100.5",
  };
  let printed = "";
  try {
    terraform(dir, ["plan", "-json", "-input=false", ...Object.entries(values).flatMap(([k, v]) => ["-var", `${k}=${v}`])]);
  } catch (error) {
    printed = (error as { printed: string }).printed;
  }
  const details = printed
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { diagnostic?: { detail?: string } })
    .flatMap((entry) => (entry.diagnostic?.detail ? [entry.diagnostic.detail.split("\n")[0]] : []));
  expect(details.sort()).toEqual(
    [
      `key_users: ${JSON.stringify([ARN])} is listed twice; list each entry once.`,
      'key_auditors: ["nope"] is not allowed; allowed: IAM role or user ARNs such as arn:aws:iam::123456789012:role/ConnectKeyAdmin.',
      "key_deletion_window_in_days: 3 is out of range; allowed: an integer from 7 to 30 (days).",
      "key_rotation_period_in_days: 100.5 is not an integer; allowed: an integer from 90 to 2560 (days).",
    ].sort(),
  );
  // A rule that reads another input stays a block of its own (Terraform skips it while that input is invalid).
  const instanceId = /^variable "instance_id" \{[\s\S]*?^\}$/m.exec(readFileSync(join(dir, "variables.tf"), "utf8"))![0];
  expect(instanceId.match(/^ {2}validation \{/gm)).toHaveLength(2);
  // An object input: one block per attribute, so each reads as that attribute's rule.
  const objectLock = /^variable "object_lock" \{[\s\S]*?^\}$/m.exec(readFileSync(join(dir, "variables.tf"), "utf8"))![0];
  const blockOf = (attribute: string) =>
    objectLock.split(/^ {2}validation \{/m).findIndex((block) => block.includes(`"object_lock.${attribute}:`));
  expect(new Set(["mode", "days", "years"].map(blockOf)).size).toBe(3);
});
