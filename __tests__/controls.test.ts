import { KEY_MISUSE_EVENTS } from "../modules/constructs/key-misuse-alerts";
import { Requests, allowAll } from "../modules/invariants/requests";
import { declarationStacks } from "./helpers/invariants";
import { declaration, refuses, synth, Json } from "./helpers/synth";

const ENV = "context.connectEncryption.environments.test";
const ADMIN = "arn:aws:iam::123456789012:role/KeyAdmin";
const DEPLOYER = "arn:aws:iam::123456789012:role/Deployer";
const AUDITOR = "arn:aws:iam::123456789012:role/Auditor";
const READER = "arn:aws:iam::123456789012:role/AlertReader";
const STREAM_READER = "arn:aws:iam::123456789012:role/StreamReader";

const statement = (doc: Json, sid: string): Json | undefined => doc.Statement.find((s: Json) => s.Sid === sid);
const policyOf = (resource: Json): string => String(resource.policy);

describe("key policy by role", () => {
  const { stack, resolve } = synth({
    key: {
      auditorArns: ["arn:aws:iam::123456789012:role/Auditor"],
      consumerArns: ["arn:aws:iam::123456789012:role/Athena"],
    },
  });
  const doc = resolve(stack.encryptionKey.policyDocument);
  const throughS3 = {
    StringEquals: {
      "kms:ViaService": "s3.eu-west-2.amazonaws.com",
      "kms:CallerAccount": "${data.aws_caller_identity.account_caller.account_id}",
    },
  };

  test("auditors may only decrypt (and describe the key), through S3 in this Region and account", () => {
    expect(statement(doc, "KeyAuditorsDecryptThroughS3")).toEqual({
      Sid: "KeyAuditorsDecryptThroughS3",
      Effect: "Allow",
      Principal: { AWS: ["arn:aws:iam::123456789012:role/Auditor"] },
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Resource: "*",
      Condition: throughS3,
    });
  });

  test("downstream consumers may only decrypt, through S3 in this Region and account", () => {
    expect(statement(doc, "DownstreamConsumersDecryptThroughS3")).toMatchObject({
      Principal: { AWS: ["arn:aws:iam::123456789012:role/Athena"] },
      Action: "kms:Decrypt",
      Condition: throughS3,
    });
  });

  test("kms:* is given to the account root only, and dropped when asked, leaving named administrators", () => {
    const everyStarAction = doc.Statement.filter((s: Json) => [s.Action].flat().includes("kms:*"));
    expect(everyStarAction.map((s: Json) => s.Sid)).toEqual(["AccountRootAdministersKey"]);
    const rootless = synth({
      key: { allowAccountRoot: false, administratorArns: [ADMIN, DEPLOYER], deployerArns: [DEPLOYER], auditorArns: [AUDITOR] },
      streams: { consumerRoleArns: [STREAM_READER] },
    });
    const rootlessDoc = rootless.resolve(rootless.stack.encryptionKey.policyDocument);
    expect(statement(rootlessDoc, "AccountRootAdministersKey")).toBeUndefined();
    expect(statement(rootlessDoc, "KeyAdministrators")!.Principal).toEqual({ AWS: [ADMIN, DEPLOYER] });
    // Service roles that used to get key access through IAM are named in the key policy.
    expect(statement(rootlessDoc, "FirehoseWritesThroughS3")).toMatchObject({
      Principal: { AWS: "${aws_iam_role.ctr_firehose_role.arn}" },
      Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-2.amazonaws.com" } },
    });
  });

  test("dropping the root is refused when it would lock everyone out, or lock Terraform out", () => {
    expect(refuses({ key: { allowAccountRoot: false } })).toEqual([
      `${ENV}.key.allowAccountRoot: false would lock everyone out: name key.administratorArns first (they then manage the key instead of the account root)`,
    ]);
    expect(refuses({ key: { allowAccountRoot: false, administratorArns: [ADMIN] } })[0]).toContain(
      `${ENV}.key.deployerArns: missing; with allowAccountRoot false`,
    );
    expect(refuses({ key: { allowAccountRoot: false, administratorArns: [ADMIN], deployerArns: [DEPLOYER] } })).toEqual([
      `${ENV}.key.administratorArns: does not list the deployer ${DEPLOYER}; with allowAccountRoot false, KMS refuses a key policy that the principal applying it could not change afterwards`,
    ]);
  });
});

describe("without the account root, every store has a reader the declaration names", () => {
  const rootless = { allowAccountRoot: false, administratorArns: [ADMIN, DEPLOYER], deployerArns: [DEPLOYER] };

  // KMS developer guide, "Key policies": without the root statement, IAM policies alone grant nothing.
  test("a root-less key with no reader of the content, the streams or the alerts is refused, at each field", () => {
    expect(refuses({ key: rootless })).toEqual([
      `${ENV}.key.allowAccountRoot: false leaves the recordings, transcripts and Firehose deliveries of environment test readable by nobody: name key.auditorArns, key.consumerArns or key.userArns (they decrypt through S3), or keep the account root`,
      `${ENV}.streams.consumerRoleArns: missing; with key.allowAccountRoot false nobody could read AGENT_EVENTS, REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS, REAL_TIME_CONTACT_ANALYSIS_CHAT_SEGMENTS, MEDIA_STREAMS of environment test: name the roles that read the streams here (they decrypt through Kinesis and Kinesis Video Streams), or key.userArns, or turn those storage types off`,
      `${ENV}.alerts.readerArns: missing; with key.allowAccountRoot false nobody could read the alerts' dead-letter queue of environment test: name the roles that read them here (key.auditorArns is the default), or keep the account root`,
    ]);
    // The auditors read the content and, by default, the alerts; the streams still need their consumers.
    expect(refuses({ key: { ...rootless, auditorArns: [AUDITOR] } })).toEqual([
      expect.stringContaining(`${ENV}.streams.consumerRoleArns: missing`),
    ]);
    expect(
      synth({ key: { ...rootless, auditorArns: [AUDITOR] }, streams: { consumerRoleArns: [STREAM_READER] } }).json.resource,
    ).toBeDefined();
  });

  test("alerts.readerArns defaults to the key's auditors and is refused with the alerts off", () => {
    const { stack } = synth({ key: { auditorArns: [AUDITOR] } });
    expect(stack.settings.alerts.readerArns).toEqual([AUDITOR]);
    expect(synth({ alerts: { readerArns: [READER] }, key: { auditorArns: [AUDITOR] } }).stack.settings.alerts.readerArns).toEqual([READER]);
    expect(refuses({ alerts: { enabled: false, readerArns: [READER] } })).toEqual([
      `${ENV}.alerts.readerArns: readers of the alerts need alerts.enabled = true`,
    ]);
  });

  // SQS developer guide, "Key management"; CloudTrail user guide, "Granting decrypt permissions".
  test("the alerts key lets the readers decrypt the dead-letter queue through SQS and the trail's files through S3, nothing else", () => {
    const s = synth({ alerts: { readerArns: [READER], createTrail: true } });
    const doc = s.resolve(s.stack.encryption.alerts!.key.policyDocument);
    expect(statement(doc, "AlertReadersDecryptDeadLetters")).toMatchObject({
      Principal: { AWS: [READER] },
      Action: "kms:Decrypt",
      Condition: { StringEquals: { "kms:ViaService": "sqs.eu-west-2.amazonaws.com" } },
    });
    expect(statement(doc, "AlertReadersDecryptTrailFiles")).toMatchObject({
      Principal: { AWS: [READER] },
      Action: "kms:Decrypt",
      Condition: {
        StringEquals: { "kms:ViaService": "s3.eu-west-2.amazonaws.com" },
        StringLike: {
          "kms:EncryptionContext:aws:cloudtrail:arn": expect.stringMatching(
            /^arn:\$\{data\.aws_partition\.[a-z_]+\.partition\}:cloudtrail:\*:/,
          ),
        },
      },
    });
    const withoutTrail = synth({ alerts: { readerArns: [READER] } });
    expect(
      statement(withoutTrail.resolve(withoutTrail.stack.encryption.alerts!.key.policyDocument), "AlertReadersDecryptTrailFiles"),
    ).toBeUndefined();
  });

  // Issue 21, decided by the IAM engine on a root-less environment's alerts key.
  test("the engine lets the alert readers decrypt the queue's messages through SQS only; the key's administrators and deployer not at all", async () => {
    const decl = declaration({
      accountId: "123456789012",
      key: { allowAccountRoot: false, administratorArns: [ADMIN, DEPLOYER], deployerArns: [DEPLOYER], auditorArns: [AUDITOR] },
      streams: { consumerRoleArns: [STREAM_READER] },
      alerts: { readerArns: [READER], createTrail: false },
    });
    const [stack] = declarationStacks(decl);
    const requests = new Requests(stack.model);
    const alertsKey = stack.model.keys().find((k) => k.address === "aws_kms_key.key_alerts_key")!;
    const viaSqs = { "kms:ViaService": "sqs.eu-west-2.amazonaws.com", "kms:CallerAccount": "123456789012" };
    const decrypt = (principal: string, context: Record<string, string>) =>
      requests.kmsDecision(principal, "kms:Decrypt", alertsKey.arn, context, [allowAll("kms")]);
    expect(await decrypt(READER, viaSqs)).toBe("Allowed");
    expect(await decrypt(READER, { "kms:CallerAccount": "123456789012" })).toBe("ImplicitlyDenied");
    for (const principal of [ADMIN, DEPLOYER, AUDITOR])
      expect([principal, await decrypt(principal, viaSqs)]).toEqual([principal, "ImplicitlyDenied"]);
  });

  // Kinesis Video Streams developer guide, "Data protection": consumers of an encrypted stream need kms:Decrypt.
  test("stream consumers decrypt live media through Kinesis Video Streams only when media is streamed", () => {
    const s = synth({ streams: { consumerRoleArns: [STREAM_READER] } });
    expect(statement(s.resolve(s.stack.encryptionKey.policyDocument), "StreamConsumersDecryptThroughKinesisVideo")).toMatchObject({
      Principal: { AWS: [STREAM_READER] },
      Condition: { StringEquals: { "kms:ViaService": "kinesisvideo.eu-west-2.amazonaws.com" } },
    });
    const noMedia = synth({ streams: { consumerRoleArns: [STREAM_READER] }, storage: { MEDIA_STREAMS: { enabled: false } } });
    expect(
      statement(noMedia.resolve(noMedia.stack.encryptionKey.policyDocument), "StreamConsumersDecryptThroughKinesisVideo"),
    ).toBeUndefined();
  });

  // The copy holds the same content: whoever reads the originals reads the copies, through S3 in the DR Region.
  test("the replica key lets the key's users, auditors and consumers decrypt the copies through S3", () => {
    const s = synth({ key: { auditorArns: [AUDITOR], consumerArns: [READER] }, bucket: { replication: { region: "eu-west-1" } } });
    const doc = s.resolve(s.stack.encryption.replication!.site!.replicaKey.policyDocument);
    expect(statement(doc, "KeyAuditorsDecryptThroughS3")).toMatchObject({
      Principal: { AWS: [AUDITOR, READER] },
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
    });
  });
});

describe("retention lifecycle", () => {
  test("by default only incomplete multipart uploads go (after 7 days); nothing expires", () => {
    const { json } = synth();
    expect(json.resource.aws_s3_bucket_lifecycle_configuration.recordings_lifecycle.rule).toEqual([
      {
        id: "bucket-wide-retention",
        status: "Enabled",
        filter: [{ prefix: "" }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
    ]);
  });

  test("transition to GLACIER_IR, expiry after the retention window, superseded versions, and shorter retention under a prefix", () => {
    const { json } = synth({
      bucket: {
        lifecycle: {
          transitionToGlacierIrAfterDays: 90,
          expireAfterDays: 2557,
          noncurrentVersionExpirationDays: 30,
          abortIncompleteMultipartUploadDays: 3,
          prefixRules: [{ prefix: "Analysis/", expireAfterDays: 400 }],
        },
      },
    });
    const lifecycle = json.resource.aws_s3_bucket_lifecycle_configuration.recordings_lifecycle;
    expect(lifecycle.depends_on).toEqual(["aws_s3_bucket_versioning.recordings_versioning"]);
    expect(lifecycle.rule).toEqual([
      {
        id: "bucket-wide-retention",
        status: "Enabled",
        filter: [{ prefix: "" }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 3 }],
        transition: [{ days: 90, storage_class: "GLACIER_IR" }],
        expiration: [{ days: 2557 }],
        noncurrent_version_expiration: [{ noncurrent_days: 30 }],
      },
      { id: "prefix-1-Analysis", status: "Enabled", filter: [{ prefix: "Analysis/" }], expiration: [{ days: 400 }] },
    ]);
  });

  test.each([
    [
      { transitionToGlacierIrAfterDays: 400, expireAfterDays: 300 },
      "expireAfterDays: 300 is not after the transition to GLACIER_IR at 400 days",
    ],
    [
      { transitionToGlacierIrAfterDays: 30, expireAfterDays: 60 },
      "expireAfterDays: objects would stay 30 days in GLACIER_IR, which bills 90 at least; expire at 120 days or later",
    ],
    [
      { expireAfterDays: 365, prefixRules: [{ prefix: "Analysis/", expireAfterDays: 400 }] },
      "prefixRules[0].expireAfterDays: 400 has no effect: the bucket-wide expiry at 365 days comes first",
    ],
    [{ prefixRules: [{ prefix: "Analysis/" }] }, "prefixRules[0]: sets neither expireAfterDays nor transitionToGlacierIrAfterDays"],
    [{ prefixRules: [{ expireAfterDays: 30 }] }, "prefixRules[0].prefix: missing"],
    [
      { abortIncompleteMultipartUploadDays: 0 },
      "abortIncompleteMultipartUploadDays: 0 is out of range; allowed: an integer from 1 to 365 (days)",
    ],
  ])("refuses %j", (lifecycle, message) => {
    expect(refuses({ bucket: { lifecycle } }).join("\n")).toContain(`${ENV}.bucket.lifecycle.${message}`);
  });
});

describe("Object Lock", () => {
  test("is enabled when the bucket is created, with the default retention", () => {
    const { json } = synth({ bucket: { objectLock: { mode: "COMPLIANCE", years: 7, lockedTypes: ["CALL_RECORDINGS"] } } });
    expect(json.resource.aws_s3_bucket.recordings.object_lock_enabled).toBe(true);
    expect(json.resource.aws_s3_bucket_object_lock_configuration.recordings_object_lock).toMatchObject({
      bucket: "${aws_s3_bucket.recordings.id}",
      rule: { default_retention: { mode: "COMPLIANCE", years: 7 } },
    });
    expect(synth().json.resource.aws_s3_bucket.recordings.object_lock_enabled).toBeUndefined();
  });

  test("never holds chat attachments: they get a bucket of their own, under the key, with CORS and without Object Lock", () => {
    const { json } = synth({
      bucket: { objectLock: { mode: "COMPLIANCE", years: 7, lockedTypes: ["CALL_RECORDINGS"] } },
      storage: { ATTACHMENTS: { enabled: true, corsAllowedOrigins: ["https://www.example.com"] } },
    });
    const attachments = json.resource.aws_s3_bucket.attachments;
    expect(attachments.bucket).toBe("acme-test-attach-${data.aws_caller_identity.account_caller.account_id}");
    expect(attachments.object_lock_enabled).toBeUndefined();
    expect(json.resource.aws_s3_bucket_object_lock_configuration.attachments_object_lock).toBeUndefined();
    expect(json.resource.aws_s3_bucket_server_side_encryption_configuration.attachments_encryption.rule[0]).toMatchObject({
      apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.key.arn}" },
      bucket_key_enabled: true,
    });
    const association = json.resource.aws_connect_instance_storage_config.storage_attachments;
    expect(association.storage_config.s3_config.bucket_name).toBe("${aws_s3_bucket.attachments.bucket}");
    expect(json.resource.aws_connect_instance_storage_config.storage_call_recordings.storage_config.s3_config.bucket_name).toBe(
      "${aws_s3_bucket.recordings.bucket}",
    );
    expect(Object.keys(json.resource.aws_s3_bucket_cors_configuration)).toEqual(["attachments_cors"]);
    expect(json.resource.aws_s3_bucket_cors_configuration.attachments_cors.cors_rule[0]).toMatchObject({
      allowed_methods: ["GET", "PUT"],
      allowed_origins: ["https://${aws_connect_instance.connect.instance_alias}.my.connect.aws", "https://www.example.com"],
    });
  });

  // Issue 21: a copy keeps the lock status of its source.
  test("with a disaster-recovery copy, what is not locked is copied into a replica without Object Lock, under the DR key", () => {
    const { json } = synth({
      bucket: { objectLock: { mode: "GOVERNANCE", days: 30, lockedTypes: ["CALL_RECORDINGS"] }, replication: { region: "eu-west-1" } },
      storage: { ATTACHMENTS: { enabled: true } },
    });
    const copy = json.resource.aws_s3_bucket_replication_configuration.replica_additional_replication;
    expect(copy).toMatchObject({ bucket: "${aws_s3_bucket.attachments.id}", role: "${aws_iam_role.replica_role.arn}" });
    expect(copy.rule[0].destination).toMatchObject({
      bucket: "${aws_s3_bucket.replica_unlocked_bucket.arn}",
      encryption_configuration: { replica_kms_key_id: "${aws_kms_key.replica_key.arn}" },
    });
    const buckets = json.resource.aws_s3_bucket;
    expect(buckets.replica_unlocked_bucket.bucket).toBe("acme-test-drattach-${data.aws_caller_identity.account_caller.account_id}");
    expect(buckets.replica_unlocked_bucket.object_lock_enabled).toBeUndefined();
    expect(buckets.replica_bucket.object_lock_enabled).toBe(true);
    const locks = Object.keys(json.resource.aws_s3_bucket_object_lock_configuration).sort();
    expect(locks).toEqual(["recordings_object_lock", "replica_bucket_object_lock"]);
    const policy = json.resource.aws_iam_role_policy.replica_role_policy.policy;
    for (const sid of ["DecryptAdditionalSourceThroughS3", "WriteAdditionalReplicas", "EncryptAdditionalReplicasThroughS3"])
      expect(policy).toContain(`"Sid" = "${sid}"`);
    expect(json.resource.aws_s3_bucket_replication_configuration.replica.rule[0].destination.bucket).toBe(
      "${aws_s3_bucket.replica_bucket.arn}",
    );
  });

  // Issue 21: Connect recommends a dedicated bucket for call recordings, "as all objects will be locked".
  describe("only the types bucket.objectLock.lockedTypes lists are written to the locked bucket", () => {
    const bucketOf = (json: Json, type: string) =>
      json.resource.aws_connect_instance_storage_config[`storage_${type.toLowerCase()}`].storage_config.s3_config.bucket_name;
    test("call recordings alone: every other type, and the Firehose contact trace records, go to the bucket without Object Lock", () => {
      const { json } = synth({ bucket: { objectLock: { mode: "COMPLIANCE", years: 7, lockedTypes: ["CALL_RECORDINGS"] } } });
      expect(bucketOf(json, "CALL_RECORDINGS")).toBe("${aws_s3_bucket.recordings.bucket}");
      for (const type of ["CHAT_TRANSCRIPTS", "SCREEN_RECORDINGS", "ATTACHMENTS"])
        expect([type, bucketOf(json, type)]).toEqual([type, "${aws_s3_bucket.attachments.bucket}"]);
      const firehose = json.resource.aws_kinesis_firehose_delivery_stream.ctr_firehose;
      expect(firehose.extended_s3_configuration.bucket_arn).toBe("${aws_s3_bucket.attachments.arn}");
      expect(json.resource.aws_s3_bucket.attachments.object_lock_enabled).toBeUndefined();
    });

    test("listed types, the contact trace records among them, stay in the locked bucket", () => {
      const { json } = synth({
        bucket: {
          objectLock: { mode: "COMPLIANCE", years: 7, lockedTypes: ["CALL_RECORDINGS", "CHAT_TRANSCRIPTS", "CONTACT_TRACE_RECORDS"] },
        },
      });
      for (const type of ["CALL_RECORDINGS", "CHAT_TRANSCRIPTS"]) expect(bucketOf(json, type)).toBe("${aws_s3_bucket.recordings.bucket}");
      expect(bucketOf(json, "SCREEN_RECORDINGS")).toBe("${aws_s3_bucket.attachments.bucket}");
      expect(json.resource.aws_kinesis_firehose_delivery_stream.ctr_firehose.extended_s3_configuration.bucket_arn).toBe(
        "${aws_s3_bucket.recordings.arn}",
      );
    });

    test("a declaration that stores other types and does not say which it locks is refused, with both ways on", () => {
      const [problem] = refuses({ bucket: { objectLock: { mode: "COMPLIANCE", years: 7 } } });
      expect(problem).toBe(
        `${ENV}.bucket.objectLock.lockedTypes: missing; with Object Lock, only the types listed here are written to the locked bucket, the others (here CHAT_TRANSCRIPTS, SCREEN_RECORDINGS, CONTACT_TRACE_RECORDS) to acme-test-attach-<account> under the same key without Object Lock. Connect recommends locking call recordings alone: write ["CALL_RECORDINGS"]. To keep every type locked, as before this field existed, write ["CALL_RECORDINGS","CHAT_TRANSCRIPTS","SCREEN_RECORDINGS","CONTACT_TRACE_RECORDS"]`,
      );
      const only = {
        CHAT_TRANSCRIPTS: { enabled: false },
        SCREEN_RECORDINGS: { enabled: false },
        ATTACHMENTS: { enabled: true },
        CONTACT_TRACE_RECORDS: { enabled: false },
      };
      expect(
        synth({ bucket: { objectLock: { mode: "COMPLIANCE", years: 7 } }, storage: only }).json.resource.aws_s3_bucket.recordings
          .object_lock_enabled,
      ).toBe(true);
    });

    test.each([
      [["ATTACHMENTS"], 'lockedTypes[0]: "ATTACHMENTS" is not allowed'],
      [["EMAIL_MESSAGES"], 'lockedTypes: "EMAIL_MESSAGES" is not stored by environment test'],
      [[], "lockedTypes: lists no type"],
    ])("refuses lockedTypes %j", (lockedTypes, message) => {
      expect(refuses({ bucket: { objectLock: { mode: "COMPLIANCE", years: 7, lockedTypes } } }).join("\n")).toContain(
        `${ENV}.bucket.objectLock.${message}`,
      );
    });
  });

  test("without Object Lock, attachments share the recordings bucket, which then carries the CORS rule", () => {
    const { json } = synth({ storage: { ATTACHMENTS: { enabled: true } } });
    expect(json.resource.aws_s3_bucket.attachments).toBeUndefined();
    expect(Object.keys(json.resource.aws_s3_bucket_cors_configuration)).toEqual(["recordings_cors"]);
    expect(synth({ storage: { ATTACHMENTS: { enabled: false } } }).json.resource.aws_s3_bucket_cors_configuration).toBeUndefined();
    expect(refuses({ storage: { ATTACHMENTS: { corsAllowedOrigins: ["http://example.com/chat"] } } })[0]).toContain(
      `${ENV}.storage.ATTACHMENTS.corsAllowedOrigins[0]: "http://example.com/chat" is not allowed`,
    );
  });

  test.each([
    [{ mode: "COMPLIANCE" }, "bucket.objectLock: set exactly one of days or years for the default retention"],
    [{ mode: "COMPLIANCE", days: 1, years: 1 }, "bucket.objectLock: set exactly one of days or years for the default retention"],
    [{ years: 1 }, "bucket.objectLock.mode: missing; allowed: COMPLIANCE"],
    [{ mode: "LEGAL_HOLD", days: 1 }, 'bucket.objectLock.mode: "LEGAL_HOLD" is not allowed; allowed: COMPLIANCE, GOVERNANCE'],
  ])("refuses %j", (objectLock, message) => {
    expect(refuses({ bucket: { objectLock } }).join("\n")).toContain(`${ENV}.${message}`);
  });

  test("refuses an expiry that would come before the lock ends", () => {
    expect(
      refuses({
        bucket: { objectLock: { mode: "GOVERNANCE", years: 7, lockedTypes: ["CALL_RECORDINGS"] }, lifecycle: { expireAfterDays: 365 } },
      }),
    ).toEqual([
      `${ENV}.bucket.lifecycle.expireAfterDays: 365 is shorter than the Object Lock retention (2555 days): locked versions cannot expire before it; expire at 2555 days or later`,
    ]);
  });
});

describe("cross-Region replication", () => {
  const { json, stack, resolve } = synth({
    key: { administratorArns: [ADMIN] },
    bucket: {
      replication: { region: "eu-west-1", deleteMarkerReplication: true },
      objectLock: { mode: "GOVERNANCE", days: 30, lockedTypes: ["CALL_RECORDINGS"] },
    },
  });
  const replication = json.resource.aws_s3_bucket_replication_configuration.replica;

  test("uses a second, aliased provider in the DR Region, pinned like the main one", () => {
    expect(json.provider.aws[1]).toMatchObject({ alias: "dr", region: "eu-west-1" });
    expect(json.data.aws_caller_identity.replica_account_caller.provider).toBe("aws.dr");
  });

  test("copies into a bucket hardened like the source, under its own key in the DR Region", () => {
    const key = json.resource.aws_kms_key.replica_key;
    expect(key).toMatchObject({ provider: "aws.dr", enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    expect(json.resource.aws_kms_alias.replica_key_alias.name).toBe("alias/acme-test-connect-dr");
    expect(json.resource.aws_s3_bucket.replica_bucket).toMatchObject({
      provider: "aws.dr",
      force_destroy: false,
      object_lock_enabled: true,
      lifecycle: { prevent_destroy: true },
      bucket: "acme-test-dr-${data.aws_caller_identity.account_caller.account_id}",
    });
    expect(json.resource.aws_s3_bucket_server_side_encryption_configuration.replica_bucket_encryption.rule[0]).toEqual({
      apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.replica_key.arn}" },
      bucket_key_enabled: true,
    });
    expect(json.resource.aws_s3_bucket_public_access_block.replica_bucket_public_access.restrict_public_buckets).toBe(true);
    expect(json.resource.aws_s3_bucket_versioning.replica_bucket_versioning.versioning_configuration.status).toBe("Enabled");
    expect(json.resource.aws_s3_bucket_policy.replica_bucket_policy.policy).toContain('"aws:SecureTransport" = "false"');
    // Locked objects can only replicate into a locked bucket.
    expect(json.resource.aws_s3_bucket_object_lock_configuration.replica_bucket_object_lock.rule.default_retention).toEqual({
      mode: "GOVERNANCE",
      days: 30,
    });
  });

  test("replicates the SSE-KMS objects, re-encrypted with the DR key, and delete markers as configured", () => {
    expect(replication.rule[0]).toMatchObject({
      status: "Enabled",
      filter: { prefix: "" },
      source_selection_criteria: { sse_kms_encrypted_objects: { status: "Enabled" } },
      delete_marker_replication: { status: "Enabled" },
      destination: {
        bucket: "${aws_s3_bucket.replica_bucket.arn}",
        encryption_configuration: { replica_kms_key_id: "${aws_kms_key.replica_key.arn}" },
        storage_class: "STANDARD",
      },
    });
    expect(replication.depends_on).toEqual(
      expect.arrayContaining(["aws_s3_bucket_versioning.recordings_versioning", "aws_s3_bucket_versioning.replica_bucket_versioning"]),
    );
  });

  test("the replication role decrypts the source only through S3 there, and encrypts copies only through S3 in the DR Region", () => {
    const rolePolicy = policyOf(json.resource.aws_iam_role_policy.replica_role_policy);
    expect(rolePolicy).not.toMatch(/"[a-z0-9]+:\*"/);
    expect(rolePolicy).toContain(
      '"Action" = "kms:Decrypt", "Resource" = aws_kms_key.key.arn, "Condition" = {"StringEquals" = {"kms:ViaService" = "s3.eu-west-2.amazonaws.com"}',
    );
    expect(rolePolicy).toContain(
      '"Action" = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], "Resource" = aws_kms_key.replica_key.arn, "Condition" = {"StringEquals" = {"kms:ViaService" = "s3.eu-west-1.amazonaws.com"}',
    );
    expect(json.resource.aws_iam_role.replica_role.assume_role_policy).toContain('"Service" = "s3.amazonaws.com"');
    const sourceKey = resolve(stack.encryptionKey.policyDocument);
    expect(statement(sourceKey, "ReplicationReadsThroughS3")).toMatchObject({
      Principal: { AWS: "${aws_iam_role.replica_role.arn}" },
      Action: ["kms:Decrypt"],
    });
  });

  test("logs the copy's access in the DR Region, and copies the source's access logs there too (PCI DSS 10.3.3)", () => {
    const r = json.resource;
    expect(r.aws_s3_bucket.replica_logs).toMatchObject({ provider: "aws.dr", lifecycle: { prevent_destroy: true } });
    expect(r.aws_s3_bucket.replica_logs.object_lock_enabled).toBeUndefined(); // log delivery refuses Object Lock targets
    expect(r.aws_s3_bucket_logging.replica_bucket_access_logs).toEqual({
      bucket: "${aws_s3_bucket.replica_bucket.id}",
      depends_on: ["aws_s3_bucket_policy.replica_logs_policy"],
      target_bucket: "${aws_s3_bucket.replica_logs.bucket}",
      target_prefix: "replica/",
      provider: "aws.dr",
    });
    expect(r.aws_s3_bucket_replication_configuration.replica_logs_replication).toMatchObject({
      bucket: "${aws_s3_bucket.access_logs.id}",
      role: "${aws_iam_role.replica_role.arn}",
      rule: [
        {
          status: "Enabled",
          delete_marker_replication: { status: "Disabled" },
          destination: { bucket: "${aws_s3_bucket.replica_logs.arn}" },
        },
      ],
    });
    const rolePolicy = policyOf(r.aws_iam_role_policy.replica_role_policy);
    expect(rolePolicy).toContain('"Sid" = "ReadLogVersions"');
    expect(rolePolicy).toContain(
      '"Action" = ["s3:ReplicateObject", "s3:ReplicateTags"], "Resource" = "${aws_s3_bucket.replica_logs.arn}/*"',
    );
    expect(r.aws_iam_role_policy.replica_role_policy.name).toBe("replicate-recordings");
  });

  test("refuses a DR copy in the environment's own Region, and a missing Region", () => {
    expect(refuses({ bucket: { replication: { region: "eu-west-2" } } })).toEqual([
      `${ENV}.bucket.replication.region: "eu-west-2" is the environment's own Region; a disaster-recovery copy must be in another Region`,
    ]);
    expect(refuses({ bucket: { replication: {} } })[0]).toContain(`${ENV}.bucket.replication.region: missing`);
  });
});

describe("server access logs", () => {
  const { json } = synth();

  test("go by default to a dedicated log bucket: SSE-S3 (log delivery cannot use SSE-KMS), otherwise hardened the same way", () => {
    expect(json.resource.aws_s3_bucket.access_logs).toMatchObject({ force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(json.resource.aws_s3_bucket_server_side_encryption_configuration.access_logs_encryption.rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
    expect(json.resource.aws_s3_bucket_public_access_block.access_logs_public_access.block_public_policy).toBe(true);
    expect(json.resource.aws_s3_bucket_versioning.access_logs_versioning.versioning_configuration.status).toBe("Enabled");
    expect(json.resource.aws_s3_bucket_ownership_controls.access_logs_ownership.rule.object_ownership).toBe("BucketOwnerEnforced");
    expect(json.resource.aws_s3_bucket_logging.recordings_access_logs).toEqual({
      bucket: "${aws_s3_bucket.recordings.id}",
      // Ordered after the target's policy: S3 refuses the configuration until log delivery may write.
      depends_on: ["aws_s3_bucket_policy.access_logs_policy"],
      target_bucket: "${aws_s3_bucket.access_logs.bucket}",
      target_prefix: "recordings/",
    });
  });

  test("the log bucket accepts logs only from S3 log delivery for the recordings bucket of this account, and only over TLS", () => {
    const policy = policyOf(json.resource.aws_s3_bucket_policy.access_logs_policy);
    expect(policy).toContain(
      '"Principal" = {"Service" = "logging.s3.amazonaws.com"}, "Action" = "s3:PutObject", "Resource" = "${aws_s3_bucket.access_logs.arn}/recordings/*"',
    );
    expect(policy).toContain('"aws:SourceArn" = aws_s3_bucket.recordings.arn');
    expect(policy).toContain('"aws:SourceAccount" = data.aws_caller_identity.account_caller.account_id');
    expect(policy).toContain('"aws:SecureTransport" = "false"');
  });

  test("every bucket sends its object events to EventBridge, unless another tool owns the recordings bucket's notifications", () => {
    const notifications = json.resource.aws_s3_bucket_notification;
    expect(notifications).toEqual({
      access_logs_notifications: { bucket: "${aws_s3_bucket.access_logs.id}", eventbridge: true },
      recordings_notifications: { bucket: "${aws_s3_bucket.recordings.id}", eventbridge: true },
    });
    const off = synth({ bucket: { eventBridgeNotifications: false } }).json;
    expect(Object.keys(off.resource.aws_s3_bucket_notification)).toEqual(["access_logs_notifications"]);
    expect(refuses({ bucket: { eventBridgeNotifications: "no" } })[0]).toContain(`${ENV}.bucket.eventBridgeNotifications`);
  });

  test("can go to an existing bucket, or nowhere", () => {
    const existing = synth({ bucket: { accessLogs: { destination: "existing", bucketName: "acme-central-logs" } } }).json;
    expect(existing.resource.aws_s3_bucket.access_logs).toBeUndefined();
    expect(existing.resource.aws_s3_bucket_logging.recordings_access_logs.target_bucket).toBe("acme-central-logs");
    const none = synth({
      bucket: { accessLogs: { destination: "none", reason: "Logged centrally by CloudTrail data events for this bucket." } },
    }).json;
    expect(none.resource.aws_s3_bucket_logging).toBeUndefined();
    expect(refuses({ bucket: { accessLogs: { destination: "existing" } } })).toEqual([
      `${ENV}.bucket.accessLogs.bucketName: missing; destination existing needs the name of the bucket that receives the logs`,
    ]);
  });
});

describe("key-misuse alerts", () => {
  const { json, stack, resolve } = synth({ alerts: { emails: ["soc@example.com"] } });

  test("an EventBridge rule matches this key's disable, deletion, policy and grant-removal calls from CloudTrail", () => {
    const rule = json.resource.aws_cloudwatch_event_rule.key_alerts;
    expect(rule.name).toBe("acme-test-key-misuse");
    expect(rule.event_pattern).toBe(
      `\${jsonencode({"source" = ["aws.kms"], "detail-type" = ["AWS API Call via CloudTrail"], "detail" = {"eventSource" = ["kms.amazonaws.com"], "eventName" = [${KEY_MISUSE_EVENTS.map((e) => `"${e}"`).join(", ")}], "resources" = {"ARN" = [aws_kms_key.key.arn]}}})}`,
    );
    expect([...KEY_MISUSE_EVENTS]).toEqual(["DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy", "RevokeGrant", "RetireGrant"]);
    expect(json.resource.aws_cloudwatch_event_target.key_alerts_target).toMatchObject({ arn: "${aws_sns_topic.key_alerts_topic.arn}" });
  });

  test("go to an SNS topic encrypted with a separate alerts key, which only this rule may publish to", () => {
    expect(json.resource.aws_sns_topic.key_alerts_topic.kms_master_key_id).toBe("${aws_kms_key.key_alerts_key.arn}");
    expect(json.resource.aws_kms_key.key_alerts_key).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    expect(json.resource.aws_kms_alias.key_alerts_key_alias.name).toBe("alias/acme-test-connect-alerts");
    const topicPolicy = policyOf(json.resource.aws_sns_topic_policy.key_alerts_topic_policy);
    expect(topicPolicy).toContain('"Principal" = {"Service" = "events.amazonaws.com"}, "Action" = "sns:Publish"');
    expect(topicPolicy).toContain(
      '"ArnEquals" = {"aws:SourceArn" = "arn:${data.aws_partition.account_partition.partition}:events:eu-west-2:${data.aws_caller_identity.account_caller.account_id}:rule/acme-test-key-misuse"}',
    );
    // The watched key names no alerting service: nothing about it can silence the alert.
    expect(resolve(stack.encryptionKey.policyDocument).Statement.map((s: Json) => s.Sid)).not.toContain(
      "EventBridgePublishesAlertsThroughSns",
    );
    expect(statement(resolve(stack.encryption.alerts!.key.policyDocument), "EventBridgeDeliversThisRulesAlerts")).toEqual({
      Sid: "EventBridgeDeliversThisRulesAlerts",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceAccount": "${data.aws_caller_identity.account_caller.account_id}" },
        ArnEquals: {
          "aws:SourceArn":
            "arn:${data.aws_partition.account_partition.partition}:events:eu-west-2:${data.aws_caller_identity.account_caller.account_id}:rule/acme-test-key-misuse",
        },
      },
    });
    expect(json.resource.aws_sns_topic_subscription.key_alerts_email_1).toMatchObject({ protocol: "email", endpoint: "soc@example.com" });
  });

  test("undeliverable alerts go to an encrypted dead-letter queue only this rule may send to", () => {
    const queue = json.resource.aws_sqs_queue.key_alerts_dead_letters;
    expect(queue.kms_master_key_id).toBe("${aws_kms_key.key_alerts_key.arn}");
    expect(json.resource.aws_cloudwatch_event_target.key_alerts_target.dead_letter_config).toEqual({
      arn: "${aws_sqs_queue.key_alerts_dead_letters.arn}",
    });
    const queuePolicy = policyOf(json.resource.aws_sqs_queue_policy.key_alerts_dead_letters_policy);
    expect(queuePolicy).toContain('"Principal" = {"Service" = "events.amazonaws.com"}, "Action" = "sqs:SendMessage"');
    expect(queuePolicy).toContain('"aws:SecureTransport" = "false"');
  });

  test("no trail unless asked; createTrail adds a multi-Region, validated trail encrypted with the alerts key", () => {
    expect(json.resource.aws_cloudtrail).toBeUndefined();
    const withTrail = synth({ alerts: { createTrail: true } });
    const trail = withTrail.json.resource.aws_cloudtrail.key_alerts_trail;
    expect(trail).toMatchObject({
      name: "acme-test-management-events",
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      kms_key_id: "${aws_kms_key.key_alerts_key.arn}",
      s3_bucket_name: "${aws_s3_bucket.key_alerts_trail_bucket.bucket}",
    });
    const alertsKey = withTrail.resolve(withTrail.stack.encryption.alerts!.key.policyDocument);
    expect(statement(alertsKey, "CloudTrailEncryptsThisTrailsLogs")?.Action).toEqual(["kms:GenerateDataKey*"]);
    const bucketPolicy = policyOf(withTrail.json.resource.aws_s3_bucket_policy.key_alerts_trail_bucket_policy);
    expect(bucketPolicy).toContain('"Sid" = "CloudTrailWritesLogFiles"');
    expect(refuses({ alerts: { enabled: false, createTrail: true } })).toEqual([
      `${ENV}.alerts.createTrail: the trail feeds the alerts; it needs alerts.enabled = true`,
    ]);
  });

  test("can be switched off; subscriptions without alerts are refused", () => {
    expect(synth({ alerts: { enabled: false } }).json.resource.aws_cloudwatch_event_rule).toBeUndefined();
    expect(refuses({ alerts: { enabled: false, emails: ["soc@example.com"] } })).toEqual([
      `${ENV}.alerts.emails: e-mail subscriptions need alerts.enabled = true`,
    ]);
    expect(refuses({ alerts: { emails: ["not-an-address"] } })[0]).toContain(`${ENV}.alerts.emails[0]: "not-an-address" is not allowed`);
  });
});

describe("Customer Profiles", () => {
  test("off by default; when on, a domain whose default encryption key is the customer-managed key", () => {
    expect(synth().json.resource.aws_customerprofiles_domain).toBeUndefined();
    const { json, stack, resolve } = synth({ customerProfiles: { enabled: true, defaultExpirationDays: 730 } });
    expect(json.resource.aws_customerprofiles_domain.customer_profiles).toMatchObject({
      domain_name: "acme-test",
      default_encryption_key: "${aws_kms_key.key.arn}",
      default_expiration_days: 730,
    });
    const policy = resolve(stack.encryptionKey.policyDocument);
    expect(statement(policy, "CustomerProfilesEncryptsProfiles")).toMatchObject({
      Principal: { Service: "profile.amazonaws.com" },
      Action: ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey"],
      Condition: {
        StringEquals: { "aws:SourceAccount": "${data.aws_caller_identity.account_caller.account_id}" },
        ArnEquals: {
          "aws:SourceArn":
            "arn:${data.aws_partition.account_partition.partition}:profile:eu-west-2:${data.aws_caller_identity.account_caller.account_id}:domains/acme-test",
        },
      },
    });
    expect(statement(policy, "DeployerCreatesProfilesDomainWithKey")).toMatchObject({
      Action: ["kms:CreateGrant", "kms:DescribeKey", "kms:GenerateDataKey"],
      Condition: { StringEquals: { "kms:ViaService": "profile.eu-west-2.amazonaws.com" } },
    });
    expect(json.output.customer_profiles_integration_command.value).toBe(
      "aws customer-profiles put-integration --domain-name ${aws_customerprofiles_domain.customer_profiles.domain_name} --uri ${aws_connect_instance.connect.arn}",
    );
  });

  test("settings without enabled are refused", () => {
    expect(refuses({ customerProfiles: { domainName: "acme" } })).toEqual([
      `${ENV}.customerProfiles: settings given but enabled is not true; set enabled: true or remove them`,
    ]);
  });
});
