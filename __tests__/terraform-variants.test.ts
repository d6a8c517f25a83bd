/**
 * The real Terraform CLI and the real hashicorp/aws provider on every stack
 * we synthesize: init without backend, validate, and an offline plan under
 * `terraform test` whose assertions read the planned values. Set
 * TERRAFORM_PROVIDER_MIRROR to a local provider mirror to run offline.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { declaration } from "./helpers/synth";
import { FAKE_INSTANCE_ID, offlinePlanTest } from "./helpers/plan-test";
import { checkStack, planOnly, synthesized } from "./helpers/stack-check";
import { init, planTest } from "./helpers/terraform";
import { S3_STORAGE_TYPES, STREAMING_STORAGE_TYPES, STREAMING_STORAGE_TYPE_INFO } from "../modules/config/storage-types";

test("an adopted instance with every storage type, CTRs on Kinesis, provisioned streams and every key role validates and plans offline", () => {
  const storage = Object.fromEntries(S3_STORAGE_TYPES.map((t) => [t, { enabled: true }]));
  const [stack] = synthesized(
    declaration({
      instance: { adopt: { instance: FAKE_INSTANCE_ID } },
      storage: {
        ...storage,
        CONTACT_TRACE_RECORDS: { destination: "kinesis", capacityMode: "PROVISIONED", shardCount: 2, retentionHours: 168 },
        REAL_TIME_CONTACT_ANALYSIS_SEGMENTS: { enabled: true },
        MEDIA_STREAMS: { prefix: "acme-media", retentionHours: 0 },
      },
      streams: { consumerRoleArns: ["arn:aws:iam::123456789012:role/CtrConsumer"] },
      key: {
        administratorArns: ["arn:aws:iam::123456789012:role/KeyAdmin"],
        userArns: ["arn:aws:iam::123456789012:role/Analytics"],
        deployerArns: ["arn:aws:iam::123456789012:role/TerraformDeployer"],
      },
    }),
  );
  const defaultStreaming = STREAMING_STORAGE_TYPES.filter((t) => STREAMING_STORAGE_TYPE_INFO[t].enabledByDefault);
  expect(Object.keys(stack.stack.resource.aws_connect_instance_storage_config)).toHaveLength(
    S3_STORAGE_TYPES.length + defaultStreaming.length + 1,
  );
  expect(stack.stack.resource.aws_kinesis_firehose_delivery_stream).toBeUndefined();
  checkStack(stack, [
    `  assert {\n    condition     = alltrue([for c in [${Object.keys(stack.stack.resource.aws_connect_instance_storage_config)
      .map((n) => `aws_connect_instance_storage_config.${n}`)
      .join(
        ", ",
      )}] : c.instance_id == "${FAKE_INSTANCE_ID}"])\n    error_message = "every association must attach to the adopted instance"\n  }`,
  ]);
});

test("the harness's own assertions fail a storage config on another key's ARN and a key policy that allows {AWS = *} without a condition", () => {
  const [stack] = synthesized(declaration());
  init(stack.dir, { shareProviders: true });
  const broken = JSON.parse(JSON.stringify(stack.stack));
  // A well-formed ARN, so the provider's validation lets it through: only our assertion can refuse it.
  const config = broken.resource.aws_connect_instance_storage_config.storage_call_recordings;
  expect(broken.resource.aws_kms_key.key_alerts_key).toBeDefined();
  config.storage_config.s3_config.encryption_config.key_id = "${aws_kms_key.key_alerts_key.arn}";
  // Principal {"AWS": "*"} (not the bare "*"), allowed without a condition.
  const key = broken.resource.aws_kms_key.key;
  expect(key.policy).toContain('"Statement" = [');
  key.policy = key.policy.replace(
    '"Statement" = [',
    '"Statement" = [{"Sid" = "Open", "Effect" = "Allow", "Principal" = {"AWS" = "*"}, "Action" = "kms:Decrypt", "Resource" = "*"}, ',
  );
  writeFileSync(join(stack.dir, "cdk.tf.json"), JSON.stringify(broken, null, 2));
  let failure = "";
  try {
    planOnly({ ...stack, stack: broken });
  } catch (error) {
    failure = (error as Error).message.replace(/\s+/g, " "); // Terraform wraps long messages
  }
  expect(failure).toContain("aws_connect_instance_storage_config.storage_call_recordings must encrypt with the key's full ARN");
  expect(failure).toContain("aws_kms_key.key must not allow * without a condition");
  expect(failure).not.toMatch(/invalid ARN/);
});

test("an adopted instance with recorded associations imports each declared one in place: Terraform validates the import blocks and plans them (with the read of the existing association overridden)", () => {
  const id = (digit: string): string => digit.repeat(64);
  const recorded = {
    CALL_RECORDINGS: id("a"),
    CHAT_TRANSCRIPTS: id("b"),
    SCHEDULED_REPORTS: id("c"), // left off by the declaration: not imported
    CONTACT_TRACE_RECORDS: id("d"),
    AGENT_EVENTS: id("e"),
    MEDIA_STREAMS: id("f"),
  };
  const taken = Object.entries(recorded).filter(([type]) => type !== "SCHEDULED_REPORTS");
  // Key-misuse alerts are left to the other variants: this one is about the imports.
  const [stack] = synthesized(
    declaration({ instance: { adopt: { instance: FAKE_INSTANCE_ID, existingAssociations: recorded } }, alerts: { enabled: false } }),
  );
  const address = (type: string): string => `aws_connect_instance_storage_config.storage_${type.toLowerCase()}`;
  expect(stack.stack.import).toEqual(
    taken.map(([type, associationId]) => ({ to: address(type), id: `${FAKE_INSTANCE_ID}:${associationId}:${type}` })),
  );
  for (const { to } of stack.stack.import) expect(stack.stack.resource.aws_connect_instance_storage_config[to.split(".")[1]]).toBeDefined();

  init(stack.dir, { shareProviders: true });
  // terraform test validates first (import blocks included), then plans. The imported associations keep their IDs and are updated to the declared bucket, prefix and key
  // (the key and destination assertions of the harness cover every association, imported or not).
  planOnly(
    stack,
    taken.map(
      ([type, associationId]) =>
        `  assert {\n    condition     = ${address(type)}.association_id == "${associationId}"\n    error_message = "${type} must be the existing association, imported"\n  }`,
    ),
  );

  // Offline, the import itself cannot be planned: the provider reads the existing association
  // (DescribeInstanceStorageConfig), and its request shows how it parsed the import ID.
  const unreadable = (): unknown =>
    planTest(stack.dir, "import_offline", offlinePlanTest(stack.stack, stack.region, [], { overrideImports: false }));
  expect(unreadable).toThrow(
    new RegExp(
      `reading Connect Instance Storage Config \\(${FAKE_INSTANCE_ID}:[a-f]{64}:[A-Z_]+\\): operation error Connect: DescribeInstanceStorageConfig`,
    ),
  );
});
