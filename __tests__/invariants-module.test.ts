/**
 * The invariants over the rendered Terraform MODULE, under representative
 * inputs: the module evaluated per input set as `terraform plan` would
 * decide its counts and conditionals (helpers/access/module-eval.ts), each
 * evaluation read by the same invariants as a synthesized stack. Apply
 * order is judged on the module's own dependency graph, count-0 blocks
 * included (Terraform orders through them). Not here: uniqueness (one
 * module call is one set of names; a caller's second call is the caller's
 * to name) and deploy completeness (the module ships no deployer policy: a
 * caller runs it with their own, docs/terraform-module.md).
 */
import { API_CONSTRAINTS } from "../modules/invariants/api-constraints";
import { APPLY_ORDER } from "../modules/invariants/apply-order";
import { DATA_FLOW } from "../modules/invariants/data-flow";
import { IAM_METADATA } from "../modules/invariants/iam-policies";
import type { CheckedStack, Invariant } from "../modules/invariants/invariant";
import type { Facts } from "../modules/invariants/stack-model";
import { renderModule } from "../modules/terraform-module/module-files";
import { MINIMAL, MINIMAL_ACCOUNT, PROD, PROD_ACCOUNT, PROD_MODULE_ROLES, REGION, stackFacts } from "./helpers/access/fixtures";
import { evaluateModule } from "./helpers/access/module-eval";
import { composeModules } from "./helpers/access/compose";
import type { Json } from "./helpers/synth";

const INVARIANTS: readonly Invariant[] = [API_CONSTRAINTS, APPLY_ORDER, DATA_FLOW, IAM_METADATA];

const MINIMAL_FACTS = stackFacts(MINIMAL_ACCOUNT, MINIMAL.deployer, MINIMAL.connectServiceRole);
const PROD_FACTS = stackFacts(PROD_ACCOUNT, PROD.deployer, PROD.connectServiceRole);

const EVERY_S3_TYPE = {
  CALL_RECORDINGS: {},
  CHAT_TRANSCRIPTS: { prefix: "connect/ChatTranscripts" },
  SCREEN_RECORDINGS: {},
  ATTACHMENTS: { prefix: "connect/Attachments" },
  EMAIL_MESSAGES: {},
  CONTACT_EVALUATIONS: {},
  SCHEDULED_REPORTS: {},
};

const INPUT_SETS: Record<string, { inputs: Json; facts: Facts }> = {
  "minimal (name only: every default)": { inputs: { name: "acme-connect-min" }, facts: MINIMAL_FACTS },
  "every option: key roles, alerts with a trail and two addresses, Object Lock, Customer Profiles, every storage type": {
    inputs: {
      name: "acme-connect-prod",
      instance_alias: "acme-connect-prod",
      ...PROD_MODULE_ROLES,
      alert_emails: ["security-alerts@example.com", "soc@example.com"],
      alerts_create_trail: true,
      alert_reader_arns: [PROD.auditor],
      customer_profiles_domain_name: PROD.profilesDomain,
      object_lock: { mode: "COMPLIANCE", years: 7, locked_types: ["CALL_RECORDINGS", "CHAT_TRANSCRIPTS"] },
      s3_storage: EVERY_S3_TYPE,
      media_streams_enabled: true,
      agent_events_enabled: true,
      realtime_chat_segments_enabled: true,
      realtime_voice_segments_enabled: true,
      attachments_cors_allowed_origins: ["https://agents.example.com"],
      tags: { CostCentre: "contact-centre" },
    },
    facts: PROD_FACTS,
  },
  "contact trace records on a Kinesis stream, alerts and access logs off, no notifications": {
    inputs: {
      name: "acme-connect-stream",
      contact_trace_records_destination: "kinesis",
      stream_consumer_role_arns: [PROD.streamConsumer],
      key_misuse_alerts_enabled: false,
      access_logs_enabled: false,
      bucket_eventbridge_notifications: false,
    },
    facts: PROD_FACTS,
  },
  "an adopted instance, Object Lock in governance mode": {
    inputs: {
      name: "acme-connect-adopted",
      create_instance: false,
      instance_id: `arn:aws:connect:${REGION}:${MINIMAL_ACCOUNT}:instance/11111111-2222-3333-4444-555555555555`,
      object_lock: { mode: "GOVERNANCE", days: 30, locked_types: ["CALL_RECORDINGS"] },
      s3_storage: { CALL_RECORDINGS: {}, ATTACHMENTS: {} },
    },
    facts: MINIMAL_FACTS,
  },
};

let moduleJson: Json;
beforeAll(() => {
  moduleJson = JSON.parse(renderModule());
});

/** The module under `inputs` as the invariants read a stack: its evaluation, and its own graph for the order. */
function moduleStack(name: string, inputs: Json, facts: Facts): CheckedStack {
  const evaluated = evaluateModule(moduleJson, inputs, facts, REGION);
  return { name, json: moduleJson, model: evaluated.model };
}

describe.each(Object.entries(INPUT_SETS))("the module, %s", (label, { inputs, facts }) => {
  test.each(INVARIANTS.map((i) => [i.id, i] as const))("%s holds", async (_id, invariant) => {
    const stack = moduleStack(label, inputs, facts);
    expect(await invariant.check(stack)).toEqual([]);
  });
});

test("the module is held, not waved through: its evaluation reads resources of every kind the invariants judge", () => {
  const { model } = evaluateModule(moduleJson, INPUT_SETS[Object.keys(INPUT_SETS)[1]].inputs, PROD_FACTS, REGION);
  expect(model.buckets().length).toBeGreaterThanOrEqual(4);
  expect(model.keys().length).toBe(2);
  expect(model.resources("aws_sns_topic_subscription").map(([name]) => name)).toEqual(["key_alerts_email[0]", "key_alerts_email[1]"]);
  expect(model.resources("aws_connect_instance_storage_config").length).toBeGreaterThanOrEqual(9);
});

test("a module whose key policy lets only the deployer use the key fails data-flow: Firehose cannot write, nobody named can read", async () => {
  const broken = structuredClone(moduleJson);
  broken.resource.aws_kms_key.key.policy = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "DeployerOnly", Effect: "Allow", Principal: { AWS: MINIMAL.deployer }, Action: "kms:*", Resource: "*" }],
  });
  const evaluated = evaluateModule(broken, { name: "acme-connect-min" }, MINIMAL_FACTS, REGION);
  const findings = await DATA_FLOW.check({ name: "broken", json: broken, model: evaluated.model });
  const said = (resource: string, pattern: RegExp) => findings.some((f) => f.resource === resource && pattern.test(f.message));
  expect(
    said(
      "aws_kinesis_firehose_delivery_stream.ctr_firehose",
      /cannot write Firehose deliveries .*kms:GenerateDataKey through S3 is ImplicitlyDenied/,
    ),
  ).toBe(true);
  expect(
    said("aws_connect_instance_storage_config.storage_call_recordings", /nobody the declaration names can read CALL_RECORDINGS objects/),
  ).toBe(true);
  expect(said("aws_cloudwatch_log_group.ctr_firehose_logs", /CloudWatch Logs for the log group cannot write/)).toBe(true);
});

test("the key policy is read from its policy document: without the account root and the Firehose statement, data-flow fails", async () => {
  const broken = structuredClone(moduleJson);
  const document = broken.data.aws_iam_policy_document.key_policy_document;
  // The account root delegates to IAM policies (the Firehose role's would then suffice): take it out too.
  document.statement = (document.statement as Json[]).filter((s) => s.sid !== "AccountRootAdministersKey");
  const optional = broken.data.aws_iam_policy_document.key_policy_document.dynamic.statement as Json[];
  const firehose = optional.find((d) => d.content.sid === "FirehoseWritesThroughS3")!;
  expect(firehose).toBeDefined();
  firehose.for_each = "${[]}";
  const evaluated = evaluateModule(broken, { name: "acme-connect-min" }, MINIMAL_FACTS, REGION);
  const findings = await DATA_FLOW.check({ name: "broken", json: broken, model: evaluated.model });
  expect(
    findings.some(
      (f) =>
        f.resource === "aws_kinesis_firehose_delivery_stream.ctr_firehose" &&
        /kms:GenerateDataKey through S3 is ImplicitlyDenied/.test(f.message),
    ),
  ).toBe(true);
  // ... and the unbroken document holds.
  const whole = evaluateModule(moduleJson, { name: "acme-connect-min" }, MINIMAL_FACTS, REGION);
  expect(await DATA_FLOW.check({ name: "whole", json: moduleJson, model: whole.model })).toEqual([]);
});

describe("the module beside the replica module (a disaster-recovery copy, with Object Lock and the bucket without it)", () => {
  const DR_REGION = "eu-west-1";
  const inputs = {
    name: "acme-connect-dr",
    ...PROD_MODULE_ROLES,
    object_lock: { mode: "COMPLIANCE", days: 365, locked_types: ["CALL_RECORDINGS"] },
    s3_storage: { CALL_RECORDINGS: {}, CHAT_TRANSCRIPTS: {}, ATTACHMENTS: {} },
  };
  const composed = () => composeModules(moduleJson, JSON.parse(renderModule("replica")));
  const evaluate = () => evaluateModule(composed(), inputs, PROD_FACTS, REGION, [{ alias: "dr", region: DR_REGION }]);

  test.each(INVARIANTS.map((i) => [i.id, i] as const))("%s holds", async (_id, invariant) => {
    const json = composed();
    expect(await invariant.check({ name: "composed", json, model: evaluate().model })).toEqual([]);
  });

  test("the replica module's key policy is read: without its statement for the replication role (and the account root), the copies cannot be written", async () => {
    const json = composed();
    const document = json.data.aws_iam_policy_document.dr_key_policy_document;
    document.statement = (document.statement as Json[]).filter(
      (s) => !["ReplicationWritesThroughS3", "AccountRootAdministersKey"].includes(s.sid),
    );
    const model = evaluateModule(json, inputs, PROD_FACTS, REGION, [{ alias: "dr", region: DR_REGION }]).model;
    const findings = await DATA_FLOW.check({ name: "broken", json, model });
    expect(findings.filter((f) => f.resource === "aws_s3_bucket_replication_configuration.replica").map((f) => f.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/with the replica key is (Implicitly|Explicitly)Denied/)]),
    );
  });

  test("not vacuous: three copies into the DR Region, under the DR key, by the role the replica module made", () => {
    const { model } = evaluate();
    const replications = model.replications();
    expect(replications.map((r) => r.address).sort()).toEqual([
      "aws_s3_bucket_replication_configuration.replica",
      "aws_s3_bucket_replication_configuration.replica_additional_replication",
      "aws_s3_bucket_replication_configuration.replica_logs_replication",
    ]);
    for (const config of replications) {
      expect(config.roleArn).toBe(`arn:aws:iam::${PROD_ACCOUNT}:role/acme-connect-dr-replication`);
      for (const destination of config.destinations) expect(model.bucket(destination.bucketArn).region).toBe(DR_REGION);
    }
    expect(model.keys().map((k) => [k.address, k.region])).toEqual(expect.arrayContaining([["aws_kms_key.dr_key", DR_REGION]]));
  });
});
