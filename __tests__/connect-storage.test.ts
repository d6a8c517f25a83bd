import { synth, only, Json } from "./helpers/synth";
import { S3_STORAGE_TYPES } from "../modules/config/storage-types";
import { renderVersionsFile } from "../modules/stacks/base-stack";

const INSTANCE_ID = "11111111-2222-3333-4444-555555555555";
const INSTANCE_ARN = `arn:aws:connect:eu-west-2:123456789012:instance/${INSTANCE_ID}`;

const storageConfigs = (json: Json): Record<string, Json> => json.resource.aws_connect_instance_storage_config ?? {};
const s3Configs = (json: Json): Json[] => Object.values(storageConfigs(json)).filter((c) => c.storage_config.storage_type === "S3");

describe("Connect instance", () => {
  test("is created with Contact Lens, flow logs and calls on by default, and protected from destroy", () => {
    const instance = only(synth().json, "aws_connect_instance");
    expect(instance).toMatchObject({
      instance_alias: "acme-connect-test",
      identity_management_type: "CONNECT_MANAGED",
      inbound_calls_enabled: true,
      outbound_calls_enabled: true,
      contact_flow_logs_enabled: true,
      contact_lens_enabled: true,
      lifecycle: { prevent_destroy: true },
    });
  });

  test("takes identity management, directory and feature switches from the configuration", () => {
    const instance = only(
      synth({
        instance: {
          create: {
            alias: "acme-ad",
            identityManagementType: "EXISTING_DIRECTORY",
            directoryId: "d-1234567890",
            outboundCallsEnabled: false,
            contactLensEnabled: false,
            preventDestroy: false,
          },
        },
      }).json,
      "aws_connect_instance",
    );
    expect(instance).toMatchObject({
      identity_management_type: "EXISTING_DIRECTORY",
      directory_id: "d-1234567890",
      outbound_calls_enabled: false,
      contact_lens_enabled: false,
      lifecycle: { prevent_destroy: false },
    });
  });

  test.each([
    ["an instance ID", INSTANCE_ID],
    ["an instance ARN", INSTANCE_ARN],
  ])("is adopted by %s: nothing is created and everything attaches to it", (_, given) => {
    const { json } = synth({ instance: { adopt: { instance: given } } });
    expect(json.resource.aws_connect_instance).toBeUndefined();
    expect(json.data.aws_connect_instance.connect.instance_id).toBe(INSTANCE_ID);
    const configs = Object.values(storageConfigs(json));
    expect(configs.length).toBeGreaterThan(0);
    for (const config of configs) expect(config.instance_id).toBe("${data.aws_connect_instance.connect.id}");
    expect(json.output.connect_service_role_arn.value).toBe("${data.aws_connect_instance.connect.service_role}");
  });
});

describe("S3 storage associations", () => {
  const { json } = synth();

  test("associate call recordings, chat transcripts, screen recordings and attachments by default", () => {
    expect(
      s3Configs(json)
        .map((c) => c.resource_type)
        .sort(),
    ).toEqual(["ATTACHMENTS", "CALL_RECORDINGS", "CHAT_TRANSCRIPTS", "SCREEN_RECORDINGS"]);
  });

  test("each write to the recordings bucket under its own prefix, encrypted with the key's full ARN", () => {
    const prefixes = new Set<string>();
    for (const config of s3Configs(json)) {
      expect(config.instance_id).toBe("${aws_connect_instance.connect.id}");
      expect(config.storage_config.s3_config.bucket_name).toBe("${aws_s3_bucket.recordings.bucket}");
      // `.arn`, never `.key_id` or `.id`: Connect rejects anything but the full ARN.
      expect(config.storage_config.s3_config.encryption_config).toEqual({
        encryption_type: "KMS",
        key_id: "${aws_kms_key.key.arn}",
      });
      prefixes.add(config.storage_config.s3_config.bucket_prefix);
    }
    expect(prefixes.size).toBe(4);
  });

  test("every S3 type can be switched on, each with its own prefix", () => {
    const storage = Object.fromEntries(S3_STORAGE_TYPES.map((t) => [t, { enabled: true, prefix: `cc/${t.toLowerCase()}` }]));
    const configs = s3Configs(synth({ storage }).json);
    expect(configs.map((c) => c.resource_type).sort()).toEqual([...S3_STORAGE_TYPES].sort());
    for (const c of configs) expect(c.storage_config.s3_config.bucket_prefix).toBe(`cc/${c.resource_type.toLowerCase()}`);
  });

  test("a type switched off is not associated", () => {
    const configs = s3Configs(synth({ storage: { SCREEN_RECORDINGS: { enabled: false } } }).json);
    expect(configs.map((c) => c.resource_type)).not.toContain("SCREEN_RECORDINGS");
    expect(configs).toHaveLength(3);
  });

  test("are created one at a time, the first only after the bucket is locked down", () => {
    const storage = Object.fromEntries(S3_STORAGE_TYPES.map((t) => [t, { enabled: true }]));
    const configs = storageConfigs(synth({ storage }).json);
    const names = Object.keys(configs);
    const first = names.filter((n) => !configs[n].depends_on.some((d: string) => d.startsWith("aws_connect_instance_storage_config.")));
    expect(first).toHaveLength(1);
    expect([...configs[first[0]].depends_on].sort()).toEqual([
      "aws_s3_bucket_ownership_controls.recordings_ownership",
      "aws_s3_bucket_policy.recordings_policy",
      "aws_s3_bucket_public_access_block.recordings_public_access",
      "aws_s3_bucket_server_side_encryption_configuration.recordings_encryption",
      "aws_s3_bucket_versioning.recordings_versioning",
    ]);
    // Walk the chain from the first: it must visit every association exactly once.
    const next = new Map<string, string>();
    for (const name of names) {
      for (const d of configs[name].depends_on) {
        if (d.startsWith("aws_connect_instance_storage_config.")) {
          const previous = d.split(".")[1];
          expect(next.has(previous)).toBe(false);
          next.set(previous, name);
        }
      }
    }
    const order = [first[0]];
    while (next.has(order[order.length - 1])) order.push(next.get(order[order.length - 1])!);
    expect(order.sort()).toEqual([...names].sort());
  });
});

describe("outputs", () => {
  test("name the key, bucket, instance, service-linked role, every association and every stream", () => {
    const { json } = synth();
    const { encryption_configuration: evidence, ...values } = Object.fromEntries(
      Object.entries<Json>(json.output).map(([k, v]) => [k, v.value]),
    );
    expect(evidence).toMatchObject({
      key_arn: "${aws_kms_key.key.arn}",
      key_rotation_enabled: "${aws_kms_key.key.enable_key_rotation}",
      bucket: {
        sse_algorithm:
          "${one(aws_s3_bucket_server_side_encryption_configuration.recordings_encryption.rule[*].apply_server_side_encryption_by_default[0].sse_algorithm)}",
      },
      storage_key_ids: {
        CALL_RECORDINGS:
          "${aws_connect_instance_storage_config.storage_call_recordings.storage_config[0].s3_config[0].encryption_config[0].key_id}",
        MEDIA_STREAMS:
          "${aws_connect_instance_storage_config.storage_media_streams.storage_config[0].kinesis_video_stream_config[0].encryption_config[0].key_id}",
      },
      kinesis_streams: { AGENT_EVENTS: { kms_key_id: "${aws_kinesis_stream.agent_events_stream.kms_key_id}" } },
      firehose_delivery_streams: {
        CONTACT_TRACE_RECORDS: {
          server_side_encryption_key_type: "${aws_kinesis_firehose_delivery_stream.ctr_firehose.server_side_encryption[0].key_type}",
        },
      },
    });
    expect(Object.keys(evidence.storage_key_ids).sort()).toEqual([
      "ATTACHMENTS",
      "CALL_RECORDINGS",
      "CHAT_TRANSCRIPTS",
      "MEDIA_STREAMS",
      "SCREEN_RECORDINGS",
    ]);
    expect(values).toEqual({
      key_arn: "${aws_kms_key.key.arn}",
      key_id: "${aws_kms_key.key.key_id}",
      key_alias: "${aws_kms_alias.key_alias.name}",
      s3_bucket_id: "${aws_s3_bucket.recordings.bucket}",
      s3_bucket_arn: "${aws_s3_bucket.recordings.arn}",
      connect_instance_id: "${aws_connect_instance.connect.id}",
      connect_instance_arn: "${aws_connect_instance.connect.arn}",
      connect_service_role_arn: "${aws_connect_instance.connect.service_role}",
      storage_association_ids: {
        ATTACHMENTS: "${aws_connect_instance_storage_config.storage_attachments.association_id}",
        CALL_RECORDINGS: "${aws_connect_instance_storage_config.storage_call_recordings.association_id}",
        CHAT_TRANSCRIPTS: "${aws_connect_instance_storage_config.storage_chat_transcripts.association_id}",
        SCREEN_RECORDINGS: "${aws_connect_instance_storage_config.storage_screen_recordings.association_id}",
        CONTACT_TRACE_RECORDS: "${aws_connect_instance_storage_config.storage_contact_trace_records.association_id}",
        AGENT_EVENTS: "${aws_connect_instance_storage_config.storage_agent_events.association_id}",
        REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS:
          "${aws_connect_instance_storage_config.storage_real_time_contact_analysis_voice_segments.association_id}",
        REAL_TIME_CONTACT_ANALYSIS_CHAT_SEGMENTS:
          "${aws_connect_instance_storage_config.storage_real_time_contact_analysis_chat_segments.association_id}",
        MEDIA_STREAMS: "${aws_connect_instance_storage_config.storage_media_streams.association_id}",
      },
      s3_storage_bucket_ids: {
        ATTACHMENTS: "${aws_s3_bucket.recordings.bucket}",
        CALL_RECORDINGS: "${aws_s3_bucket.recordings.bucket}",
        CHAT_TRANSCRIPTS: "${aws_s3_bucket.recordings.bucket}",
        SCREEN_RECORDINGS: "${aws_s3_bucket.recordings.bucket}",
      },
      kinesis_stream_arns: {
        AGENT_EVENTS: "${aws_kinesis_stream.agent_events_stream.arn}",
        REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS: "${aws_kinesis_stream.rtca_voice_stream.arn}",
        REAL_TIME_CONTACT_ANALYSIS_CHAT_SEGMENTS: "${aws_kinesis_stream.rtca_chat_stream.arn}",
      },
      connect_stream_grant_ids: {
        AGENT_EVENTS: "${aws_kms_grant.agent_events_stream_connect_grant.grant_id}",
        REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS: "${aws_kms_grant.rtca_voice_stream_connect_grant.grant_id}",
        REAL_TIME_CONTACT_ANALYSIS_CHAT_SEGMENTS: "${aws_kms_grant.rtca_chat_stream_connect_grant.grant_id}",
      },
      firehose_delivery_stream_arns: { CONTACT_TRACE_RECORDS: "${aws_kinesis_firehose_delivery_stream.ctr_firehose.arn}" },
      firehose_role_arns: { CONTACT_TRACE_RECORDS: "${aws_iam_role.ctr_firehose_role.arn}" },
      alerts_topic_arn: "${aws_sns_topic.key_alerts_topic.arn}",
      alerts_key_arn: "${aws_kms_key.key_alerts_key.arn}",
      alerts_dead_letter_queue_arn: "${aws_sqs_queue.key_alerts_dead_letters.arn}",
    });
    for (const output of Object.values<Json>(json.output)) expect(output.description).toBeTruthy();
  });
});

describe("stack", () => {
  const { json } = synth({ tags: { CostCentre: "cc-42" } });

  test("admits AWS provider 5.100.x and 6.x and Terraform with S3-native locking", () => {
    expect(json.terraform.required_providers.aws).toEqual({ source: "hashicorp/aws", version: ">= 5.100.0, < 7.0.0" });
    expect(renderVersionsFile()).toMatch(/^terraform \{\n  required_version = ">= 1\.10\.0"\n\}$/m);
  });

  test("keeps every entry of the JSON terraform block an object, which Checkov's JSON parser requires (checkov#7454)", () => {
    expect(json.terraform.required_version).toBeUndefined();
    for (const [name, value] of Object.entries(json.terraform)) expect([name, typeof value]).toEqual([name, "object"]);
  });

  test("configures the provider's Region and default tags naming the environment", () => {
    expect(json.provider.aws).toEqual([
      {
        region: "eu-west-2",
        default_tags: [{ tags: { CostCentre: "cc-42", Environment: "test", ManagedBy: "connect-kms-encryption" } }],
      },
    ]);
  });

  test("keeps local state in a relative path, one file per environment", () => {
    expect(json.terraform.backend).toEqual({ local: { path: "../../../terraform.connect-encryption-test.tfstate" } });
  });

  test("gives every resource a readable address without hash suffixes", () => {
    for (const byName of Object.values<Json>(json.resource)) {
      for (const name of Object.keys(byName)) expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
    }
    expect(Object.keys(json.resource.aws_kms_key)).toEqual(["key", "key_alerts_key"]);
    expect(Object.keys(json.resource.aws_s3_bucket)).toEqual(["access_logs", "recordings"]);
  });
});
