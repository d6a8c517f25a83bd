import { renderConfigTable } from "../modules/config/config-docs";
import {
  DESTINATION_FIELDS,
  S3_STORAGE_TYPE_INFO,
  STORAGE_TYPES,
  STREAMING_STORAGE_TYPES,
  STREAMING_STORAGE_TYPE_INFO,
  StreamingStorageType,
} from "../modules/config/storage-types";
import { synth, resolveOne, declaration, only, refuses, Json } from "./helpers/synth";

const KEY_ARN = "${aws_kms_key.key.arn}";
const SERVICE_ROLE = "${aws_connect_instance.connect.service_role}";
const ENV = "context.connectEncryption.environments.test";

const configsByType = (json: Json): Record<string, Json> =>
  Object.fromEntries(Object.values<Json>(json.resource.aws_connect_instance_storage_config).map((c) => [c.resource_type, c]));
const sid = (doc: Json, name: string): Json | undefined => doc.Statement.find((s: Json) => s.Sid === name);

describe("streaming destinations in the default configuration", () => {
  const { json, stack, resolve } = synth();
  const configs = configsByType(json);
  const keyPolicy = resolve(stack.encryptionKey.policyDocument);

  test("every streaming type but the deprecated one is associated", () => {
    expect(configs.CONTACT_TRACE_RECORDS.storage_config.storage_type).toBe("KINESIS_FIREHOSE");
    expect(configs.AGENT_EVENTS.storage_config.storage_type).toBe("KINESIS_STREAM");
    expect(configs.REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS.storage_config.storage_type).toBe("KINESIS_STREAM");
    expect(configs.REAL_TIME_CONTACT_ANALYSIS_CHAT_SEGMENTS.storage_config.storage_type).toBe("KINESIS_STREAM");
    expect(configs.MEDIA_STREAMS.storage_config.storage_type).toBe("KINESIS_VIDEO_STREAM");
    expect(configs.REAL_TIME_CONTACT_ANALYSIS_SEGMENTS).toBeUndefined();
  });

  test("every Kinesis data stream is encrypted with the key, on demand, 24 hours", () => {
    const streams = Object.values<Json>(json.resource.aws_kinesis_stream);
    expect(streams).toHaveLength(3);
    for (const stream of streams) {
      expect(stream).toMatchObject({ encryption_type: "KMS", kms_key_id: KEY_ARN, retention_period: 24 });
      expect(stream.stream_mode_details).toEqual({ stream_mode: "ON_DEMAND" });
      expect(stream.shard_count).toBeUndefined();
    }
    expect(streams.map((s) => s.name).sort()).toEqual(["acme-test-agent-events", "acme-test-rtca-chat", "acme-test-rtca-voice"]);
  });

  test("each data-stream association points at its stream and waits for Connect's grant", () => {
    for (const [type, short] of [
      ["AGENT_EVENTS", "agent_events"],
      ["REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS", "rtca_voice"],
      ["REAL_TIME_CONTACT_ANALYSIS_CHAT_SEGMENTS", "rtca_chat"],
    ]) {
      expect(configs[type].storage_config.kinesis_stream_config).toEqual({ stream_arn: `\${aws_kinesis_stream.${short}_stream.arn}` });
      expect(configs[type].depends_on).toContain(`aws_kms_grant.${short}_stream_connect_grant`);
    }
  });

  test("Connect gets a KMS grant per data stream: GenerateDataKey only, bound to that stream", () => {
    const grants = json.resource.aws_kms_grant;
    expect(Object.keys(grants).sort()).toEqual([
      "agent_events_stream_connect_grant",
      "rtca_chat_stream_connect_grant",
      "rtca_voice_stream_connect_grant",
    ]);
    expect(grants.agent_events_stream_connect_grant).toMatchObject({
      key_id: KEY_ARN,
      grantee_principal: SERVICE_ROLE,
      operations: ["GenerateDataKey"],
      constraints: [{ encryption_context_subset: { "aws:kinesis:arn": "${aws_kinesis_stream.agent_events_stream.arn}" } }],
    });
  });

  test("the deployer may create exactly such grants, and Firehose's own grant", () => {
    expect(sid(keyPolicy, "DeployerGrantsConnectStreamWrites")).toMatchObject({
      Action: "kms:CreateGrant",
      Condition: {
        StringLike: {
          "kms:GranteePrincipal": expect.stringContaining("role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_*"),
        },
        "ForAllValues:StringEquals": { "kms:GrantOperations": ["GenerateDataKey"] },
        StringEquals: { "kms:GrantConstraintType": "EncryptionContextSubset" },
      },
    });
    expect(sid(keyPolicy, "DeployerLetsFirehoseCreateItsGrant")).toMatchObject({
      Action: "kms:CreateGrant",
      Condition: { Bool: { "kms:GrantIsForAWSResource": "true" }, StringEquals: { "kms:ViaService": "firehose.eu-west-2.amazonaws.com" } },
    });
  });

  test("contact trace records go through a Direct PUT Firehose encrypted with the key into the bucket", () => {
    const firehose = only(json, "aws_kinesis_firehose_delivery_stream");
    expect(firehose.kinesis_source_configuration).toBeUndefined();
    expect(firehose.server_side_encryption).toEqual({ enabled: true, key_type: "CUSTOMER_MANAGED_CMK", key_arn: KEY_ARN });
    expect(firehose.destination).toBe("extended_s3");
    expect(firehose.extended_s3_configuration).toMatchObject({
      bucket_arn: "${aws_s3_bucket.recordings.arn}",
      kms_key_arn: KEY_ARN,
      prefix: "connect/ContactTraceRecords/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/",
      error_output_prefix:
        "connect/ContactTraceRecordsErrors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/",
      buffering_size: 5,
      buffering_interval: 300,
      role_arn: "${aws_iam_role.ctr_firehose_role.arn}",
    });
    expect(configs.CONTACT_TRACE_RECORDS.storage_config.kinesis_firehose_config).toEqual({
      firehose_arn: "${aws_kinesis_firehose_delivery_stream.ctr_firehose.arn}",
    });
  });

  test("Firehose's role is assumable only by Firehose for this account", () => {
    const trust = resolve(stack.firehoses.get("CONTACT_TRACE_RECORDS")![0].role.assumeRolePolicyInput);
    expect(trust).toContain('"firehose.amazonaws.com"');
    expect(trust).toContain('"sts:ExternalId" = data.aws_caller_identity.account_caller.account_id');
    expect(trust).not.toContain('"Resource"');
  });

  test("Firehose's role writes only under its prefixes and uses the key only through S3 for this bucket", () => {
    const policy = only(json, "aws_iam_role_policy").policy as string;
    expect(policy).not.toMatch(/"Action" = "[a-z0-9]+:\*"|"[a-z0-9]+:\*"/);
    expect(policy).toContain('"${aws_s3_bucket.recordings.arn}/connect/ContactTraceRecords/*"');
    expect(policy).toContain('"${aws_s3_bucket.recordings.arn}/connect/ContactTraceRecordsErrors/*"');
    expect(policy).toContain('"kms:ViaService" = "s3.eu-west-2.amazonaws.com"');
    expect(policy).toContain('"kms:EncryptionContext:aws:s3:arn" = [aws_s3_bucket.recordings.arn');
    expect(policy).toContain('"Resource" = aws_kms_key.key.arn');
    expect(policy).toContain('"Action" = "logs:PutLogEvents"');
  });

  test("Firehose delivery errors are logged to a log group encrypted with the key", () => {
    const group = only(json, "aws_cloudwatch_log_group");
    expect(group).toMatchObject({ name: "/aws/kinesisfirehose/acme-test-ctr", kms_key_id: KEY_ARN, retention_in_days: 365 });
    expect(sid(keyPolicy, "CloudWatchLogsEncryptsCtrFirehoseLogs")).toMatchObject({
      Principal: { Service: "logs.eu-west-2.amazonaws.com" },
      Condition: {
        ArnEquals: {
          "kms:EncryptionContext:aws:logs:arn": expect.stringMatching(
            /:logs:eu-west-2:.*:log-group:\/aws\/kinesisfirehose\/acme-test-ctr$/,
          ),
        },
      },
    });
  });

  test("live media goes to Kinesis Video Streams that Connect creates under the key's full ARN", () => {
    expect(configs.MEDIA_STREAMS.storage_config.kinesis_video_stream_config).toEqual({
      prefix: "acme-test",
      retention_period_hours: 24,
      encryption_config: { encryption_type: "KMS", key_id: KEY_ARN },
    });
    expect(json.resource.aws_kinesis_video_stream).toBeUndefined();
  });

  test("streaming associations join the same one-at-a-time chain as the S3 ones", () => {
    const all = Object.values<Json>(json.resource.aws_connect_instance_storage_config);
    const chained = all.filter((c) => c.depends_on.some((d: string) => d.startsWith("aws_connect_instance_storage_config.")));
    expect(chained).toHaveLength(all.length - 1);
  });

  test("no consumer statement unless consumer roles are named", () => {
    expect(sid(keyPolicy, "StreamConsumersDecryptThroughKinesis")).toBeUndefined();
  });
});

describe("streaming options", () => {
  test("consumers may decrypt only through Kinesis in this Region and account, for this environment's streams", () => {
    const consumer = "arn:aws:iam::123456789012:role/CtrConsumer";
    const { stack, resolve } = synth({ streams: { consumerRoleArns: [consumer] } });
    const statement = sid(resolve(stack.encryptionKey.policyDocument), "StreamConsumersDecryptThroughKinesis");
    expect(statement).toEqual({
      Sid: "StreamConsumersDecryptThroughKinesis",
      Effect: "Allow",
      Principal: { AWS: [consumer] },
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: {
        StringEquals: {
          "kms:ViaService": "kinesis.eu-west-2.amazonaws.com",
          "kms:CallerAccount": "${data.aws_caller_identity.account_caller.account_id}",
        },
        StringLike: {
          "kms:EncryptionContext:aws:kinesis:arn":
            "arn:${data.aws_partition.account_partition.partition}:kinesis:eu-west-2:${data.aws_caller_identity.account_caller.account_id}:stream/acme-test-*",
        },
      },
    });
  });

  test("contact trace records can go to a Kinesis data stream instead, provisioned and retained longer", () => {
    const { json } = synth({
      storage: { CONTACT_TRACE_RECORDS: { destination: "kinesis", capacityMode: "PROVISIONED", shardCount: 4, retentionHours: 168 } },
    });
    expect(json.resource.aws_kinesis_firehose_delivery_stream).toBeUndefined();
    expect(json.resource.aws_kinesis_stream.ctr_stream).toMatchObject({
      name: "acme-test-ctr",
      encryption_type: "KMS",
      kms_key_id: KEY_ARN,
      shard_count: 4,
      retention_period: 168,
      stream_mode_details: { stream_mode: "PROVISIONED" },
    });
    expect(json.resource.aws_kms_grant.ctr_stream_connect_grant.grantee_principal).toBe(SERVICE_ROLE);
  });

  test("shared stream settings apply to every data stream, per-type settings win", () => {
    const { json } = synth({
      streams: { capacityMode: "PROVISIONED", shardCount: 2, retentionHours: 48 },
      storage: { AGENT_EVENTS: { capacityMode: "ON_DEMAND", retentionHours: 72 } },
    });
    expect(json.resource.aws_kinesis_stream.rtca_voice_stream).toMatchObject({ shard_count: 2, retention_period: 48 });
    expect(json.resource.aws_kinesis_stream.agent_events_stream).toMatchObject({
      retention_period: 72,
      stream_mode_details: { stream_mode: "ON_DEMAND" },
    });
    expect(json.resource.aws_kinesis_stream.agent_events_stream.shard_count).toBeUndefined();
  });

  test("an adopted instance's service-linked role, read from the instance, receives the grants", () => {
    const { json } = synth({ instance: { adopt: { instance: "11111111-2222-3333-4444-555555555555" } } });
    for (const grant of Object.values<Json>(json.resource.aws_kms_grant)) {
      expect(grant.grantee_principal).toBe("${data.aws_connect_instance.connect.service_role}");
    }
  });

  test("each streaming type can be switched off", () => {
    const { json } = synth({
      storage: {
        CONTACT_TRACE_RECORDS: { enabled: false },
        AGENT_EVENTS: { enabled: false },
        REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS: { enabled: false },
        REAL_TIME_CONTACT_ANALYSIS_CHAT_SEGMENTS: { enabled: false },
        MEDIA_STREAMS: { enabled: false },
      },
    });
    expect(
      Object.values<Json>(json.resource.aws_connect_instance_storage_config).every((c) => c.storage_config.storage_type === "S3"),
    ).toBe(true);
    expect(json.resource.aws_kinesis_stream).toBeUndefined();
    expect(json.resource.aws_kms_grant).toBeUndefined();
    expect(json.resource.aws_kinesis_firehose_delivery_stream).toBeUndefined();
  });

  test("media retention and prefix, and Firehose buffering and logging, are configurable", () => {
    const { json } = synth({
      storage: {
        MEDIA_STREAMS: { prefix: "acme-live", retentionHours: 0 },
        CONTACT_TRACE_RECORDS: {
          bufferingSizeMib: 64,
          bufferingIntervalSeconds: 60,
          errorLogging: false,
          prefix: "ctr",
          errorPrefix: "ctr-errors",
        },
      },
    });
    expect(configsByType(json).MEDIA_STREAMS.storage_config.kinesis_video_stream_config).toMatchObject({
      prefix: "acme-live",
      retention_period_hours: 0,
    });
    const firehose = only(json, "aws_kinesis_firehose_delivery_stream").extended_s3_configuration;
    expect(firehose).toMatchObject({ buffering_size: 64, buffering_interval: 60, cloudwatch_logging_options: { enabled: false } });
    expect(firehose.prefix.startsWith("ctr/year=")).toBe(true);
    expect(json.resource.aws_cloudwatch_log_group).toBeUndefined();
  });

  test("the deprecated REAL_TIME_CONTACT_ANALYSIS_SEGMENTS is accepted with a warning", () => {
    const env = resolveOne(declaration({ storage: { REAL_TIME_CONTACT_ANALYSIS_SEGMENTS: { enabled: true } } }));
    const streamWarnings = (warnings: readonly string[]) => warnings.filter((w) => w.includes(".storage."));
    expect(streamWarnings(env.warnings)).toEqual([
      `${ENV}.storage.REAL_TIME_CONTACT_ANALYSIS_SEGMENTS: REAL_TIME_CONTACT_ANALYSIS_SEGMENTS is deprecated by AWS; use REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS (it is associated as configured)`,
    ]);
    expect(env.streamingStorage.map((s) => s.type)).toContain("REAL_TIME_CONTACT_ANALYSIS_SEGMENTS");
    expect(streamWarnings(resolveOne(declaration()).warnings)).toEqual([]);
  });
});

describe("streaming configuration: refused with the field, the value and what is allowed", () => {
  test("a Firehose fed by a Kinesis data stream, which cannot be encrypted", () => {
    expect(refuses({ storage: { CONTACT_TRACE_RECORDS: { destination: "kinesis-firehose" } } })).toEqual([
      `${ENV}.storage.CONTACT_TRACE_RECORDS.destination: "kinesis-firehose" is refused: a Firehose that reads from a Kinesis data stream cannot have server-side encryption (AWS allows it only for Direct PUT), so its buffered records would be under an AWS-owned key; allowed: firehose, kinesis`,
    ]);
  });

  test("a destination the type does not support", () => {
    expect(refuses({ storage: { AGENT_EVENTS: { destination: "firehose" } } })).toEqual([
      `${ENV}.storage.AGENT_EVENTS.destination: "firehose" is not allowed; allowed: kinesis`,
    ]);
  });

  // A type's schema holds the fields of its destinations only (the configuration table lists no other).
  test("a field no destination of the type takes is unknown there; one another destination of the type takes does not apply", () => {
    expect(refuses({ storage: { AGENT_EVENTS: { prefix: "x" } } })).toEqual([
      `${ENV}.storage.AGENT_EVENTS.prefix: unknown field; allowed fields: enabled, destination, capacityMode, shardCount, retentionHours`,
    ]);
    expect(refuses({ storage: { MEDIA_STREAMS: { errorLogging: false } } })).toEqual([
      `${ENV}.storage.MEDIA_STREAMS.errorLogging: unknown field; allowed fields: enabled, destination, retentionHours, prefix`,
    ]);
    expect(refuses({ storage: { CONTACT_TRACE_RECORDS: { destination: "kinesis", prefix: "x" } } })).toEqual([
      `${ENV}.storage.CONTACT_TRACE_RECORDS.prefix: does not apply to destination kinesis; fields for kinesis: capacityMode, shardCount, retentionHours`,
    ]);
  });

  test("shard counts that contradict the capacity mode", () => {
    expect(refuses({ storage: { AGENT_EVENTS: { shardCount: 2 } } })).toEqual([
      `${ENV}.storage.AGENT_EVENTS.shardCount: only applies with capacityMode PROVISIONED; on-demand streams scale by themselves`,
    ]);
    expect(refuses({ storage: { AGENT_EVENTS: { capacityMode: "PROVISIONED" } } })).toEqual([
      `${ENV}.storage.AGENT_EVENTS.shardCount: missing; capacityMode PROVISIONED needs a shardCount from 1 to 10000`,
    ]);
    expect(refuses({ streams: { capacityMode: "PROVISIONED" } })).toEqual([
      `${ENV}.streams.shardCount: missing; capacityMode PROVISIONED needs a shardCount from 1 to 10000`,
    ]);
  });

  test.each([
    [{ streams: { retentionHours: 23 } }, "streams.retentionHours: 23 is out of range; allowed: an integer from 24 to 8760 (hours)"],
    [
      { storage: { AGENT_EVENTS: { retentionHours: 8761 } } },
      "storage.AGENT_EVENTS.retentionHours: 8761 is out of range; allowed: an integer from 24 to 8760 (hours)",
    ],
    [
      { storage: { MEDIA_STREAMS: { retentionHours: 87601 } } },
      "storage.MEDIA_STREAMS.retentionHours: 87601 is out of range; allowed: an integer from 0 to 87600 (hours; 0 keeps no media)",
    ],
    [
      { storage: { CONTACT_TRACE_RECORDS: { bufferingSizeMib: 129 } } },
      "storage.CONTACT_TRACE_RECORDS.bufferingSizeMib: 129 is out of range; allowed: an integer from 1 to 128 (MiB)",
    ],
    [
      { storage: { CONTACT_TRACE_RECORDS: { bufferingIntervalSeconds: 901 } } },
      "storage.CONTACT_TRACE_RECORDS.bufferingIntervalSeconds: 901 is out of range; allowed: an integer from 0 to 900 (seconds)",
    ],
    [{ streams: { capacityMode: "SERVERLESS" } }, 'streams.capacityMode: "SERVERLESS" is not allowed; allowed: ON_DEMAND, PROVISIONED'],
    [{ storage: { MEDIA_STREAMS: { prefix: "has/slash" } } }, 'storage.MEDIA_STREAMS.prefix: "has/slash" is not allowed'],
    [
      { streams: { consumerRoleArns: ["arn:aws:iam::123456789012:user/bob"] } },
      'streams.consumerRoleArns[0]: "arn:aws:iam::123456789012:user/bob" is not allowed; allowed: IAM role ARNs',
    ],
  ])("%j", (env, message) => {
    const [problem] = refuses(env);
    expect(problem).toContain(`${ENV}.${message}`);
  });

  test("a Firehose prefix that overlaps a recording prefix or Contact Lens output", () => {
    expect(refuses({ storage: { CONTACT_TRACE_RECORDS: { prefix: "connect/CallRecordings/ctr" } } })).toEqual([
      `${ENV}.storage.CONTACT_TRACE_RECORDS.prefix: "connect/CallRecordings/ctr" overlaps the prefix "connect/CallRecordings" of CALL_RECORDINGS; each storage type needs its own prefix`,
    ]);
    expect(refuses({ storage: { CONTACT_TRACE_RECORDS: { errorPrefix: "Analysis/errors" } } })[0]).toContain(
      "is reserved: Contact Lens writes its output under Analysis/",
    );
  });
});

// Issue 23: the configuration table tells each storage type's real default, and only the fields it takes.
describe("the configuration table of storage types", () => {
  const table = renderConfigTable();
  const rows = (type: string) => [...table.matchAll(new RegExp(`^\\| \`storage\\.${type}\\.([A-Za-z]+)\` \\| ([^|]+) \\|`, "gm"))];
  test.each(STORAGE_TYPES)("%s: enabled shows the vocabulary's default", (type) => {
    const info =
      (S3_STORAGE_TYPE_INFO as Record<string, { enabledByDefault: boolean }>)[type] ??
      STREAMING_STORAGE_TYPE_INFO[type as StreamingStorageType];
    const enabled = rows(type).find((m) => m[1] === "enabled");
    expect(enabled?.[2].trim()).toBe(`\`${info.enabledByDefault}\``);
  });
  test.each(STREAMING_STORAGE_TYPES)("%s: only the fields of its destinations, its first destination as the default", (type) => {
    const info = STREAMING_STORAGE_TYPE_INFO[type];
    const fields = new Set(["enabled", "destination", ...info.destinations.flatMap((d) => DESTINATION_FIELDS[d])]);
    expect(new Set(rows(type).map((m) => m[1]))).toEqual(fields);
    expect(
      rows(type)
        .find((m) => m[1] === "destination")?.[2]
        .trim(),
    ).toBe(`\`${info.destinations[0]}\``);
  });
});
