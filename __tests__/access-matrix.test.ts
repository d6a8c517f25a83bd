/**
 * Access matrix: who can do what to the synthesized keys, buckets, topics,
 * queues and roles, EVALUATED by an IAM engine (@cloud-copilot/iam-simulate)
 * from the policies in the synthesized Terraform JSON, with the request
 * context each AWS service documents sending. Each row cites the page it
 * rests on. Helpers: __tests__/helpers/access/ (HCL subset parser, reference
 * resolver, encryption-context shim, grant model).
 *
 * Denials are asserted against callers whose own IAM policies allow
 * everything (`allowAll`), so a denial is the resource side's doing.
 */
import * as fs from "fs";
import { Fixtures, OTHER_ACCOUNT, MINIMAL, PROD, REGION, DR_REGION, STATE, synthesizeFixtures } from "./helpers/access/fixtures";
import { grantInEffect } from "../modules/invariants/grants";
import type { Context } from "../modules/invariants/iam-engine";
import type { BucketModel, PolicyDocument, StackModel } from "../modules/invariants/stack-model";
import { NO_TLS, Requests, TLS, allowAll, connectServiceRolePolicy, sseKms, throughS3 } from "../modules/invariants/requests";

let f: Fixtures;
let prod: Requests;
let minimal: Requests;
let state: Requests;

beforeAll(() => {
  f = synthesizeFixtures();
  prod = new Requests(f.prod);
  minimal = new Requests(f.minimal);
  state = new Requests(f.state);
});

afterAll(() => {
  if (f) fs.rmSync(f.outdir, { recursive: true, force: true });
});

/** The key that encrypts Connect's content: the default key of the buckets Connect writes to. */
function contentKeyArn(model: StackModel): string {
  const keys = new Set(model.storageConfigs().flatMap((c) => (c.keyArn ? [c.keyArn] : [])));
  if (keys.size !== 1) throw new Error(`expected one content key, found ${[...keys].join(", ")}`);
  return [...keys][0];
}

function storageConfig(model: StackModel, resourceType: string) {
  const config = model.storageConfigs().find((c) => c.resourceType === resourceType);
  if (!config) throw new Error(`no storage config for ${resourceType}`);
  return config;
}

const S3_CONTENT_TYPES = [
  "CALL_RECORDINGS",
  "CHAT_TRANSCRIPTS",
  "SCREEN_RECORDINGS",
  "ATTACHMENTS",
  "EMAIL_MESSAGES",
  "CONTACT_EVALUATIONS",
  "SCHEDULED_REPORTS",
];
const KINESIS_TYPES = ["AGENT_EVENTS", "REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS", "REAL_TIME_CONTACT_ANALYSIS_CHAT_SEGMENTS"];

const fixtures = (): [string, () => Requests][] => [
  ["minimal", () => minimal],
  ["prod", () => prod],
  ["state", () => state],
];

describe("Connect's service-linked role writes every content type", () => {
  test("the prod fixture associates exactly the S3 content types the matrix covers", () => {
    const types = f.prod
      .storageConfigs()
      .filter((c) => c.storageType === "S3")
      .map((c) => c.resourceType);
    expect(types.sort()).toEqual([...S3_CONTENT_TYPES].sort());
  });

  // Connect creates, with the caller's permissions, a grant for the instance's
  // service-linked role at association time and writes with SSE-KMS under the
  // associated key; S3 calls KMS on its behalf (ViaService s3, Bucket Key context).
  // https://docs.aws.amazon.com/connect/latest/adminguide/key-management.html
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
  test.each(S3_CONTENT_TYPES)("prod: %s is written to S3 under the content key (bucket policy + association grant)", async (type) => {
    const config = storageConfig(f.prod, type);
    const bucket = f.prod.bucket(config.bucketName!);
    const object = `${config.prefix}/2026/12/01/contact.wav`;
    const slr = PROD.connectServiceRole;
    expect(config.keyArn).toBe(bucket.encryption?.kmsKeyArn);
    expect(
      await prod.s3(slr, "s3:PutObject", bucket, object, { ...TLS, ...sseKms(config.keyArn!) }, [connectServiceRolePolicy(f.prod)]),
    ).toBe("Allowed");
    const viaS3 = throughS3(bucket, object, prod.account);
    const write = await prod.kms(slr, "kms:GenerateDataKey", config.keyArn!, viaS3);
    expect(write.decision).toBe("Allowed");
    expect(write.by).toMatch(/^grant connect-association:/);
    // This association's own grant suffices (the others are identical in the model).
    const ownGrant = prod.withGrants((g) => g.source === `connect-association:${type}`);
    expect(await ownGrant.kmsDecision(slr, "kms:GenerateDataKey", config.keyArn!, viaS3)).toBe("Allowed");
    expect(await prod.kmsDecision(slr, "kms:Decrypt", config.keyArn!, viaS3)).toBe("Allowed");
  });

  // Without the association grant the key policy alone does not let the role in.
  // https://docs.aws.amazon.com/kms/latest/developerguide/grants.html
  test("prod: the service-linked role has no key-policy access of its own (only the grants)", async () => {
    const key = f.prod.key(contentKeyArn(f.prod));
    const bucket = f.prod.bucket(storageConfig(f.prod, "CALL_RECORDINGS").bucketName!);
    const noGrants = prod.withGrants(() => false);
    expect(await noGrants.kmsDecision(PROD.connectServiceRole, "kms:GenerateDataKey", key.arn, throughS3(bucket, "x", prod.account))).toBe(
      "ImplicitlyDenied",
    );
  });

  // Connect makes no grant for Kinesis data streams: Terraform's aws_kms_grant
  // (GenerateDataKey, context aws:kinesis:arn) lets the role produce records.
  // https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html
  // https://docs.aws.amazon.com/connect/latest/adminguide/data-streaming.html
  test.each(KINESIS_TYPES)("prod: %s is written to its KMS-encrypted Kinesis stream via the aws_kms_grant", async (type) => {
    const config = storageConfig(f.prod, type);
    const key = contentKeyArn(f.prod);
    const context = {
      "kms:ViaService": `kinesis.${REGION}.amazonaws.com`,
      "kms:CallerAccount": prod.account,
      "kms:EncryptionContext:aws:kinesis:arn": config.streamArn!,
    };
    const result = await prod.kms(PROD.connectServiceRole, "kms:GenerateDataKey", key, context);
    expect(result.decision).toBe("Allowed");
    expect(result.by).toMatch(/^grant aws_kms_grant\./);
  });

  // The grant is scoped to one stream's encryption context and to GenerateDataKey.
  // (Evaluated with the aws_kms_grant grants only: Connect's own association grants, modelled
  // without constraints, would cover any context; see the grants helper.)
  // https://docs.aws.amazon.com/kms/latest/developerguide/grants.html#terms-grant-constraint
  test("prod: a stream grant does not cover another stream or Decrypt", async () => {
    const key = contentKeyArn(f.prod);
    const streamGrantsOnly = prod.withGrants((g) => g.source.startsWith("aws_kms_grant."));
    const stream = storageConfig(f.prod, "AGENT_EVENTS").streamArn!;
    const via = { "kms:ViaService": `kinesis.${REGION}.amazonaws.com`, "kms:CallerAccount": prod.account };
    const other = `arn:aws:kinesis:${REGION}:${prod.account}:stream/someone-elses-stream`;
    const slr = PROD.connectServiceRole;
    expect(
      await streamGrantsOnly.kmsDecision(slr, "kms:GenerateDataKey", key, { ...via, "kms:EncryptionContext:aws:kinesis:arn": stream }),
    ).toBe("Allowed");
    expect(
      await streamGrantsOnly.kmsDecision(slr, "kms:GenerateDataKey", key, { ...via, "kms:EncryptionContext:aws:kinesis:arn": other }),
    ).toBe("ImplicitlyDenied");
    expect(await streamGrantsOnly.kmsDecision(slr, "kms:Decrypt", key, { ...via, "kms:EncryptionContext:aws:kinesis:arn": stream })).toBe(
      "ImplicitlyDenied",
    );
  });

  // Terraform (the deployer) creates the stream grants itself; the key policy must allow that CreateGrant.
  // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-operations
  test.each([["minimal"], ["prod"]])("%s: every grant the stack relies on can be created under the key policy", async (name) => {
    const requests = name === "prod" ? prod : minimal;
    expect(requests.grants.length).toBeGreaterThan(0);
    for (const grant of requests.grants) {
      expect([grant.source, await grantInEffect(grant, requests.model.key(grant.keyArn))]).toEqual([grant.source, true]);
    }
  });

  // Live media streaming: Connect creates Kinesis Video streams under the key and
  // a grant for its role at association, like S3.
  // https://docs.aws.amazon.com/connect/latest/adminguide/enable-live-media-streams.html
  // https://docs.aws.amazon.com/kinesisvideostreams/latest/dg/how-kms.html
  test("prod: MEDIA_STREAMS (Kinesis Video Streams) are encrypted through the association grant", async () => {
    const config = storageConfig(f.prod, "MEDIA_STREAMS");
    const result = await prod.kms(PROD.connectServiceRole, "kms:GenerateDataKey", config.keyArn!, {
      "kms:ViaService": `kinesisvideo.${REGION}.amazonaws.com`,
      "kms:CallerAccount": prod.account,
    });
    expect(result.decision).toBe("Allowed");
    const ownGrant = prod.withGrants((g) => g.source === "connect-association:MEDIA_STREAMS");
    expect(
      await ownGrant.kmsDecision(PROD.connectServiceRole, "kms:GenerateDataKey", config.keyArn!, {
        "kms:ViaService": `kinesisvideo.${REGION}.amazonaws.com`,
        "kms:CallerAccount": prod.account,
      }),
    ).toBe("Allowed");
  });
});

describe("Firehose delivers contact trace records", () => {
  const firehose = () => {
    const role = f.prod.roles().find((r) => r.trust.Statement.some((s) => s.Principal?.Service === "firehose.amazonaws.com"));
    if (!role) throw new Error("no Firehose role");
    const [address, block] = f.prod.resources("aws_kinesis_firehose_delivery_stream")[0];
    const s3 = block.extended_s3_configuration;
    return {
      role,
      address,
      bucket: f.prod.bucket(f.prod.string(s3.bucket_arn, "bucket_arn")),
      keyArn: f.prod.string(s3.kms_key_arn, "kms_key_arn"),
      prefix: String(f.prod.value(s3.prefix)).split("/year=")[0],
    };
  };

  // Firehose assumes its role with the account as external ID.
  // https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3
  test("prod: Firehose of this account assumes the delivery role; with another external ID it cannot", async () => {
    const { role } = firehose();
    expect(await prod.assumeRole("firehose.amazonaws.com", role.arn, { "sts:ExternalId": prod.account })).toBe("Allowed");
    expect(await prod.assumeRole("firehose.amazonaws.com", role.arn, { "sts:ExternalId": OTHER_ACCOUNT })).toBe("ImplicitlyDenied");
  });

  // The role writes objects with SSE-KMS (kms_key_arn) under its prefix; S3 uses the key on its behalf.
  // https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
  test("prod: the delivery role writes under its prefix and uses the key through S3", async () => {
    const { role, bucket, keyArn, prefix } = firehose();
    const object = `${prefix}/year=2026/month=12/day=01/ctr-1`;
    expect(await prod.s3(role.arn, "s3:PutObject", bucket, object, { ...TLS, ...sseKms(keyArn) }, role.inline)).toBe("Allowed");
    expect(await prod.kmsDecision(role.arn, "kms:GenerateDataKey", keyArn, throughS3(bucket, object, prod.account), role.inline)).toBe(
      "Allowed",
    );
  });

  test("prod: the delivery role cannot write call recordings or use the key outside S3", async () => {
    const { role, bucket, keyArn } = firehose();
    const object = `${storageConfig(f.prod, "CALL_RECORDINGS").prefix}/forged.wav`;
    expect(await prod.s3(role.arn, "s3:PutObject", bucket, object, { ...TLS, ...sseKms(keyArn) }, role.inline)).not.toBe("Allowed");
    expect(await prod.kmsDecision(role.arn, "kms:Decrypt", keyArn, { "kms:CallerAccount": prod.account }, role.inline)).not.toBe("Allowed");
  });

  // Server-side encryption of the delivery stream: Firehose creates its own grant with the
  // caller's credentials (kms:ViaService firehose, kms:GrantIsForAWSResource).
  // https://docs.aws.amazon.com/firehose/latest/APIReference/API_DeliveryStreamEncryptionConfigurationInput.html
  test("prod: Firehose's own grant is in effect and lets Firehose encrypt the stream", async () => {
    const { keyArn } = firehose();
    const result = await prod.kms("firehose.amazonaws.com", "kms:GenerateDataKey", keyArn, {});
    expect(result.by).toMatch(/^grant firehose-sse:/);
    expect(result.decision).toBe("Allowed");
  });
});

describe("S3 replication to the DR Region (with S3 Bucket Keys)", () => {
  const replicated = (model: StackModel) => {
    const configs = model.replications().filter((r) => r.destinations.some((d) => d.replicaKeyArn));
    if (configs.length === 0) throw new Error("no KMS replication");
    return configs.map((config) => {
      const source = model.bucket(config.sourceBucket);
      const destination = model.bucket(config.destinations[0].bucketArn);
      return { config, source, destination, sourceKey: source.encryption!.kmsKeyArn!, replicaKey: config.destinations[0].replicaKeyArn! };
    });
  };
  const models: [string, () => Requests][] = [
    ["prod", () => prod],
    ["state", () => state],
  ];

  // S3 assumes the replication role for buckets of this account.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
  test.each(models)("%s: S3 of this account assumes the replication role, S3 on behalf of another account cannot", async (_, r) => {
    for (const { config } of replicated(r().model)) {
      expect(await r().assumeRole("s3.amazonaws.com", config.roleArn, { "aws:SourceAccount": r().account })).toBe("Allowed");
      expect(await r().assumeRole("s3.amazonaws.com", config.roleArn, { "aws:SourceAccount": OTHER_ACCOUNT })).toBe("ImplicitlyDenied");
    }
  });

  // Read the source version and decrypt it with the source key through S3 in the source Region.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
  test.each(models)("%s: the replication role reads source objects and decrypts them with the source key", async (_, r) => {
    for (const { config, source, sourceKey } of replicated(r().model)) {
      const role = r().model.role(config.roleArn);
      const object = "connect/CallRecordings/a.wav";
      expect(await r().s3(role.arn, "s3:GetObjectVersionForReplication", source, object, TLS, role.inline)).toBe("Allowed");
      expect(await r().kmsDecision(role.arn, "kms:Decrypt", sourceKey, throughS3(source, object, r().account), role.inline)).toBe(
        "Allowed",
      );
    }
  });

  // Write the replica and encrypt it with the destination key through S3 in the destination Region.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
  test.each(models)("%s: the replication role writes replicas and encrypts them with the destination key", async (_, r) => {
    for (const { config, destination, replicaKey } of replicated(r().model)) {
      const role = r().model.role(config.roleArn);
      const object = "connect/CallRecordings/a.wav";
      expect(destination.region).toBe(DR_REGION);
      expect(await r().s3(role.arn, "s3:ReplicateObject", destination, object, TLS, role.inline)).toBe("Allowed");
      const context = throughS3(destination, object, r().account);
      expect(await r().kmsDecision(role.arn, "kms:GenerateDataKey", replicaKey, context, role.inline)).toBe("Allowed");
      expect(await r().kmsDecision(role.arn, "kms:Encrypt", replicaKey, context, role.inline)).toBe("Allowed");
    }
  });

  // "S3 Bucket Keys and replication": with a Bucket Key on the destination, the
  // replication role also needs kms:Decrypt on the DESTINATION key.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html#bk-replication
  test.each(models)("%s: with S3 Bucket Keys the replication role can also Decrypt with the destination key", async (_, r) => {
    for (const { config, destination, replicaKey } of replicated(r().model)) {
      const role = r().model.role(config.roleArn);
      expect(destination.encryption?.bucketKey).toBe(true);
      const context = throughS3(destination, "connect/CallRecordings/a.wav", r().account);
      expect(await r().kmsDecision(role.arn, "kms:Decrypt", replicaKey, context, role.inline)).toBe("Allowed");
    }
  });

  test.each(models)("%s: the replication role cannot use the keys outside S3 or read replicas back", async (_, r) => {
    for (const { config, sourceKey, replicaKey, destination } of replicated(r().model)) {
      const role = r().model.role(config.roleArn);
      expect(await r().kmsDecision(role.arn, "kms:Decrypt", sourceKey, { "kms:CallerAccount": r().account }, role.inline)).not.toBe(
        "Allowed",
      );
      expect(
        await r().kmsDecision(role.arn, "kms:GenerateDataKey", replicaKey, { "kms:CallerAccount": r().account }, role.inline),
      ).not.toBe("Allowed");
      expect(await r().s3(role.arn, "s3:GetObject", destination, "connect/CallRecordings/a.wav", TLS, role.inline)).not.toBe("Allowed");
    }
  });
});

describe("CloudWatch Logs encrypts the Firehose error log group", () => {
  // logs.<region>.amazonaws.com with kms:EncryptionContext:aws:logs:arn = the log group ARN.
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
  test.each([["minimal"], ["prod"]])("%s: CloudWatch Logs uses the key for its log group only", async (name) => {
    const r = name === "prod" ? prod : minimal;
    const groups = r.model.described("aws_cloudwatch_log_group", ["arn", "kms_key_id"]).filter((g) => g.kms_key_id);
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) {
      const key = String(group.kms_key_id);
      const logs = `logs.${REGION}.amazonaws.com`;
      const own = { "kms:EncryptionContext:aws:logs:arn": group.arn! };
      const other = { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${REGION}:${r.account}:log-group:/not/this/one` };
      expect(await r.kmsDecision(logs, "kms:GenerateDataKey", key, own)).toBe("Allowed");
      expect(await r.kmsDecision(logs, "kms:Decrypt", key, own)).toBe("Allowed");
      expect(await r.kmsDecision(logs, "kms:GenerateDataKey", key, other)).toBe("ImplicitlyDenied");
      expect(await r.kmsDecision(`logs.${DR_REGION}.amazonaws.com`, "kms:GenerateDataKey", key, own)).toBe("ImplicitlyDenied");
    }
  });
});

describe("Key-misuse alerts: EventBridge to an encrypted SNS topic (and dead-letter queue)", () => {
  const alerting = (model: StackModel) => {
    const rules = model.described("aws_cloudwatch_event_rule", ["arn", "name"]);
    const targets = model.resources("aws_cloudwatch_event_target").map(([, block]) => ({
      rule: String(model.value(block.rule)),
      arn: String(model.value(block.arn)),
      deadLetter: block.dead_letter_config ? String(model.value(block.dead_letter_config.arn)) : undefined,
    }));
    const topic = model.topics()[0];
    if (!topic) throw new Error("no alert topic");
    const target = targets.find((t) => t.arn === topic.arn);
    if (!target) throw new Error("no rule targets the topic");
    const rule = rules.find((r) => r.name === target.rule || r.arn === target.rule);
    if (!rule) throw new Error(`no rule ${target.rule}`);
    return { topic, ruleArn: rule.arn!, deadLetter: target.deadLetter };
  };
  const otherRule = (r: Requests) => `arn:aws:events:${REGION}:${r.account}:rule/someone-elses-rule`;
  const sourced = (r: Requests, ruleArn: string) => ({ "aws:SourceArn": ruleArn, "aws:SourceAccount": r.account, ...TLS });

  // EventBridge publishes to the topic, scoped to this rule.
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
  test.each([["minimal"], ["prod"]])("%s: only this rule publishes to the alert topic", async (name) => {
    const r = name === "prod" ? prod : minimal;
    const { topic, ruleArn } = alerting(r.model);
    expect(await r.withResourcePolicy("events.amazonaws.com", "sns:Publish", topic.arn, topic.policy, sourced(r, ruleArn))).toBe("Allowed");
    expect(await r.withResourcePolicy("events.amazonaws.com", "sns:Publish", topic.arn, topic.policy, sourced(r, otherRule(r)))).not.toBe(
      "Allowed",
    );
  });

  // The topic's key must let EventBridge GenerateDataKey/Decrypt; a separate key keeps alerts
  // flowing when the content key is disabled or re-policied (the events the rule watches).
  // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#sns-what-permissions-for-sse
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-encryption-key-policy.html
  test.each([["minimal"], ["prod"]])("%s: EventBridge encrypts alerts with the topic's own key, scoped to the rule", async (name) => {
    const r = name === "prod" ? prod : minimal;
    const { topic, ruleArn } = alerting(r.model);
    expect(topic.kmsKeyArn).toBeDefined();
    expect(topic.kmsKeyArn).not.toBe(contentKeyArn(r.model));
    const via = { "kms:ViaService": `sns.${REGION}.amazonaws.com` };
    for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
      expect(
        await r.kmsDecision("events.amazonaws.com", action, topic.kmsKeyArn!, {
          ...via,
          "aws:SourceArn": ruleArn,
          "aws:SourceAccount": r.account,
        }),
      ).toBe("Allowed");
      expect(
        await r.kmsDecision("events.amazonaws.com", action, topic.kmsKeyArn!, {
          ...via,
          "aws:SourceArn": otherRule(r),
          "aws:SourceAccount": r.account,
        }),
      ).toBe("ImplicitlyDenied");
    }
  });

  // Undelivered events go to an encrypted SQS dead-letter queue that only this rule may send to.
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html
  test.each([["minimal"], ["prod"]])(
    "%s: the dead-letter queue takes this rule's undelivered alerts, over TLS, encrypted",
    async (name) => {
      const r = name === "prod" ? prod : minimal;
      const { ruleArn, deadLetter } = alerting(r.model);
      const queue = r.model.queues().find((q) => q.arn === deadLetter);
      expect(queue).toBeDefined();
      expect(queue!.kmsKeyArn).toBeDefined();
      expect(await r.withResourcePolicy("events.amazonaws.com", "sqs:SendMessage", queue!.arn, queue!.policy, sourced(r, ruleArn))).toBe(
        "Allowed",
      );
      expect(
        await r.withResourcePolicy("events.amazonaws.com", "sqs:SendMessage", queue!.arn, queue!.policy, sourced(r, otherRule(r))),
      ).not.toBe("Allowed");
      expect(
        await r.withResourcePolicy("events.amazonaws.com", "sqs:SendMessage", queue!.arn, queue!.policy, {
          ...sourced(r, ruleArn),
          ...NO_TLS,
        }),
      ).toBe("ExplicitlyDenied");
      const context = { "aws:SourceArn": ruleArn, "aws:SourceAccount": r.account, "kms:ViaService": `sqs.${REGION}.amazonaws.com` };
      expect(await r.kmsDecision("events.amazonaws.com", "kms:GenerateDataKey", queue!.kmsKeyArn!, context)).toBe("Allowed");
    },
  );
});

describe("Customer Profiles domain under the content key", () => {
  const domainArn = () => `arn:aws:profile:${REGION}:${prod.account}:domains/${PROD.profilesDomain}`;

  // Customer Profiles needs GenerateDataKey, CreateGrant and Decrypt, scoped by
  // aws:SourceAccount / aws:SourceArn (confused-deputy prevention).
  // https://docs.aws.amazon.com/connect/latest/adminguide/enable-customer-profiles.html
  // https://docs.aws.amazon.com/connect/latest/adminguide/cross-service-confused-deputy-prevention.html
  test.each(["kms:GenerateDataKey", "kms:CreateGrant", "kms:Decrypt"])(
    "prod: profile.amazonaws.com may %s for this domain",
    async (action) => {
      const context = { "aws:SourceAccount": prod.account, "aws:SourceArn": domainArn() };
      expect(await prod.kmsDecision("profile.amazonaws.com", action, contentKeyArn(f.prod), context)).toBe("Allowed");
    },
  );

  test("prod: profile.amazonaws.com may not use the key for another domain or account", async () => {
    const key = contentKeyArn(f.prod);
    const otherDomain = {
      "aws:SourceAccount": prod.account,
      "aws:SourceArn": `arn:aws:profile:${REGION}:${prod.account}:domains/other-domain`,
    };
    const otherAccount = {
      "aws:SourceAccount": OTHER_ACCOUNT,
      "aws:SourceArn": `arn:aws:profile:${REGION}:${OTHER_ACCOUNT}:domains/${PROD.profilesDomain}`,
    };
    expect(await prod.kmsDecision("profile.amazonaws.com", "kms:Decrypt", key, otherDomain)).toBe("ImplicitlyDenied");
    expect(await prod.kmsDecision("profile.amazonaws.com", "kms:Decrypt", key, otherAccount)).toBe("ImplicitlyDenied");
  });

  // Creating the domain with DefaultEncryptionKey: Customer Profiles uses the key with the
  // caller's credentials (kms:ViaService profile.<region>); without the account root
  // statement the key policy must name the deployer.
  // https://docs.aws.amazon.com/customerprofiles/latest/APIReference/API_CreateDomain.html
  test("prod: the deployer can create the domain with the key, through Customer Profiles only", async () => {
    const key = contentKeyArn(f.prod);
    const via = { "kms:ViaService": `profile.${REGION}.amazonaws.com`, "kms:CallerAccount": prod.account };
    for (const action of ["kms:DescribeKey", "kms:GenerateDataKey"]) {
      expect(await prod.kmsDecision(PROD.deployer, action, key, via)).toBe("Allowed");
    }
    expect(await prod.kmsDecision(PROD.deployer, "kms:GenerateDataKey", key, { "kms:CallerAccount": prod.account })).toBe(
      "ImplicitlyDenied",
    );
  });
});

describe("People: administrators, users, auditors, consumers, deployer", () => {
  // Key administrators manage the key but cannot use it; with allowAccountRoot false their
  // IAM policies add nothing. https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-administrators
  test.each([
    "kms:PutKeyPolicy",
    "kms:ScheduleKeyDeletion",
    "kms:DisableKey",
    "kms:EnableKeyRotation",
    "kms:RevokeGrant",
    "kms:TagResource",
  ])("prod: a key administrator may %s", async (action) => {
    expect(await prod.kmsDecision(PROD.administrator, action, contentKeyArn(f.prod))).toBe("Allowed");
  });

  test.each(["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:CreateGrant"])(
    "prod: a key administrator may not %s (even with IAM kms:*, directly or through S3)",
    async (action) => {
      const bucket = f.prod.bucket(storageConfig(f.prod, "CALL_RECORDINGS").bucketName!);
      const key = contentKeyArn(f.prod);
      expect(await prod.kmsDecision(PROD.administrator, action, key, {}, [allowAll("kms")])).toBe("ImplicitlyDenied");
      expect(await prod.kmsDecision(PROD.administrator, action, key, throughS3(bucket, "a", prod.account), [allowAll("kms")])).toBe(
        "ImplicitlyDenied",
      );
    },
  );

  // Key users use the key for data, nothing else.
  // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-users
  test("prod: a key user may encrypt and decrypt but not manage the key", async () => {
    const key = contentKeyArn(f.prod);
    expect(await prod.kmsDecision(PROD.user, "kms:Decrypt", key)).toBe("Allowed");
    expect(await prod.kmsDecision(PROD.user, "kms:GenerateDataKey", key)).toBe("Allowed");
    expect(await prod.kmsDecision(PROD.user, "kms:PutKeyPolicy", key, {}, [allowAll("kms")])).toBe("ImplicitlyDenied");
    expect(await prod.kmsDecision(PROD.user, "kms:ScheduleKeyDeletion", key, {}, [allowAll("kms")])).toBe("ImplicitlyDenied");
  });

  // Auditors and downstream consumers decrypt only through S3 in this Region and account.
  // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
  // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account
  test.each([
    ["auditor", PROD.auditor],
    ["consumer", PROD.consumer],
  ])("prod: the %s decrypts through S3 in the Region, and in no other way", async (_, who) => {
    const key = contentKeyArn(f.prod);
    const bucket = f.prod.bucket(storageConfig(f.prod, "CALL_RECORDINGS").bucketName!);
    const via = throughS3(bucket, "connect/CallRecordings/a.wav", prod.account);
    const all = [allowAll("kms")];
    expect(await prod.kmsDecision(who, "kms:Decrypt", key, via, all)).toBe("Allowed");
    expect(await prod.kmsDecision(who, "kms:Decrypt", key, { "kms:CallerAccount": prod.account }, all)).toBe("ImplicitlyDenied");
    expect(await prod.kmsDecision(who, "kms:Decrypt", key, { ...via, "kms:ViaService": `s3.${DR_REGION}.amazonaws.com` }, all)).toBe(
      "ImplicitlyDenied",
    );
    expect(await prod.kmsDecision(who, "kms:Decrypt", key, { ...via, "kms:ViaService": `kinesis.${REGION}.amazonaws.com` }, all)).toBe(
      "ImplicitlyDenied",
    );
    expect(await prod.kmsDecision(who, "kms:GenerateDataKey", key, via, all)).toBe("ImplicitlyDenied");
    expect(await prod.kmsDecision(who, "kms:Encrypt", key, via, all)).toBe("ImplicitlyDenied");
  });

  // Stream consumers decrypt through Kinesis, for this deployment's streams only.
  // https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html
  test("prod: a stream consumer decrypts this deployment's streams through Kinesis only", async () => {
    const key = contentKeyArn(f.prod);
    const stream = storageConfig(f.prod, "AGENT_EVENTS").streamArn!;
    const via = { "kms:ViaService": `kinesis.${REGION}.amazonaws.com`, "kms:CallerAccount": prod.account };
    expect(
      await prod.kmsDecision(PROD.streamConsumer, "kms:Decrypt", key, { ...via, "kms:EncryptionContext:aws:kinesis:arn": stream }),
    ).toBe("Allowed");
    const foreign = `arn:aws:kinesis:${REGION}:${prod.account}:stream/another-team-stream`;
    expect(
      await prod.kmsDecision(PROD.streamConsumer, "kms:Decrypt", key, { ...via, "kms:EncryptionContext:aws:kinesis:arn": foreign }),
    ).toBe("ImplicitlyDenied");
    const bucket = f.prod.bucket(storageConfig(f.prod, "CALL_RECORDINGS").bucketName!);
    expect(await prod.kmsDecision(PROD.streamConsumer, "kms:Decrypt", key, throughS3(bucket, "a", prod.account))).toBe("ImplicitlyDenied");
  });

  // The deployer's reach in the key policy: describe, manage grants, associate Connect storage.
  // https://docs.aws.amazon.com/connect/latest/adminguide/key-management.html
  // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource
  test.each([
    ["prod", () => prod, PROD.deployer, PROD.connectServiceRole],
    ["minimal", () => minimal, MINIMAL.deployer, MINIMAL.connectServiceRole],
  ] as const)(
    "%s: the deployer describes the key, lists and revokes grants, lets Connect create its grant",
    async (_, r, deployer, slr) => {
      const key = contentKeyArn(r().model);
      expect(await r().kmsDecision(deployer, "kms:DescribeKey", key)).toBe("Allowed");
      expect(await r().kmsDecision(deployer, "kms:ListGrants", key)).toBe("Allowed");
      expect(await r().kmsDecision(deployer, "kms:RevokeGrant", key)).toBe("Allowed");
      const connectGrant = {
        "kms:GranteePrincipal": slr,
        "kms:GrantIsForAWSResource": "true",
        "kms:GrantOperations": ["Decrypt", "GenerateDataKey"],
      };
      expect(await r().kmsDecision(deployer, "kms:CreateGrant", key, connectGrant)).toBe("Allowed");
    },
  );

  // With the account root statement (minimal), IAM policies of the account can grant key use;
  // without it (prod), they cannot. https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
  test("minimal: a role of the account whose IAM policy allows kms:* may use the key (root delegation on)", async () => {
    const someone = `arn:aws:iam::${minimal.account}:role/DataScientist`;
    expect(await minimal.kmsDecision(someone, "kms:Decrypt", contentKeyArn(f.minimal), {}, [allowAll("kms")])).toBe("Allowed");
    expect(await minimal.kmsDecision(someone, "kms:Decrypt", contentKeyArn(f.minimal))).toBe("ImplicitlyDenied");
  });

  test("prod: a role of the account whose IAM policy allows kms:* may not use the key (root delegation off)", async () => {
    const someone = `arn:aws:iam::${prod.account}:role/DataScientist`;
    for (const key of [contentKeyArn(f.prod), alertKey(f.prod)]) {
      expect(await prod.kmsDecision(someone, "kms:Decrypt", key, {}, [allowAll("kms")])).toBe("ImplicitlyDenied");
    }
  });
});

function alertKey(model: StackModel): string {
  const key = model.topics()[0]?.kmsKeyArn;
  if (!key) throw new Error("no alert topic key");
  return key;
}

describe("S3 server access logs", () => {
  // S3 log delivery (logging.s3.amazonaws.com) writes into the target bucket under the target
  // prefix, scoped by aws:SourceArn (the logged bucket) and aws:SourceAccount.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general
  test.each(fixtures())("%s: every logged bucket's logs can be delivered, and only for that bucket", async (_, r) => {
    const model = r().model;
    const logging = model.resources("aws_s3_bucket_logging");
    expect(logging.length).toBeGreaterThan(0);
    for (const [address, block] of logging) {
      const source = model.bucket(model.string(block.bucket, `${address}.bucket`));
      const target = model.bucket(model.string(block.target_bucket, `${address}.target_bucket`));
      const object = `${model.string(block.target_prefix, `${address}.target_prefix`)}2026-12-01-00-00-00-ABCDEF`;
      const context = { ...TLS, "aws:SourceArn": source.arn, "aws:SourceAccount": r().account };
      expect([address, await r().s3("logging.s3.amazonaws.com", "s3:PutObject", target, object, context)]).toEqual([address, "Allowed"]);
      const forged = { ...context, "aws:SourceArn": "arn:aws:s3:::someone-elses-bucket" };
      expect([address, await r().s3("logging.s3.amazonaws.com", "s3:PutObject", target, object, forged)]).toEqual([
        address,
        "ImplicitlyDenied",
      ]);
    }
  });
});

describe("the DR copy is no easier to read than the source", () => {
  // With allowAccountRoot false the content key does not delegate to IAM; the DR replica key,
  // which holds a copy of the same content, must not either, or any role of the account whose
  // IAM policy allows kms:Decrypt would read the DR copy through S3.
  // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
  test("prod: with allowAccountRoot false, the replica key does not let IAM policies grant Decrypt either", async () => {
    const someone = `arn:aws:iam::${prod.account}:role/DataScientist`;
    const replication = f.prod.replications().find((r) => r.destinations[0].replicaKeyArn)!;
    const destination = f.prod.bucket(replication.destinations[0].bucketArn);
    const context = throughS3(destination, "connect/CallRecordings/a.wav", prod.account);
    expect(await prod.kmsDecision(someone, "kms:Decrypt", replication.destinations[0].replicaKeyArn!, context, [allowAll("kms")])).toBe(
      "ImplicitlyDenied",
    );
  });
});

describe("Denials", () => {
  // Another account: neither key nor bucket policies name it.
  // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html
  test.each(fixtures())("%s: another account's principal cannot use any key or read any bucket", async (_, r) => {
    const outsider = `arn:aws:iam::${OTHER_ACCOUNT}:role/Admin`;
    for (const key of r().model.keys()) {
      for (const action of ["kms:Decrypt", "kms:GenerateDataKey", "kms:CreateGrant", "kms:PutKeyPolicy"]) {
        expect([
          key.address,
          action,
          await r().kmsDecision(outsider, action, key.arn, { "kms:CallerAccount": OTHER_ACCOUNT }, [allowAll("kms")]),
        ]).toEqual([key.address, action, "ImplicitlyDenied"]);
      }
    }
    for (const bucket of r().model.buckets()) {
      expect([bucket.name, await r().s3(outsider, "s3:GetObject", bucket, "any", TLS, [allowAll("s3")])]).toEqual([
        bucket.name,
        "ImplicitlyDenied",
      ]);
    }
  });

  // An unconditioned principal (anonymous, or a role of the account named nowhere, with no IAM
  // policy) gets nothing. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
  test.each(fixtures())("%s: an unnamed principal and anonymous callers get nothing", async (_, r) => {
    const nobody = `arn:aws:iam::${r().account}:role/Nobody`;
    for (const key of r().model.keys()) {
      expect([key.address, await r().kmsDecision(nobody, "kms:Decrypt", key.arn)]).toEqual([key.address, "ImplicitlyDenied"]);
    }
    for (const bucket of r().model.buckets()) {
      expect([bucket.name, await r().s3(nobody, "s3:GetObject", bucket, "any", TLS)]).toEqual([bucket.name, "ImplicitlyDenied"]);
      expect([bucket.name, await r().s3("anonymous", "s3:GetObject", bucket, "any", TLS)]).toEqual([bucket.name, "ImplicitlyDenied"]);
    }
  });

  // Every bucket refuses requests not made over TLS, even from principals allowed s3:*.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
  test.each(fixtures())("%s: every bucket refuses non-TLS requests (aws:SecureTransport false)", async (_, r) => {
    const admin = `arn:aws:iam::${r().account}:role/StorageAdmin`;
    expect(r().model.buckets().length).toBeGreaterThan(0);
    for (const bucket of r().model.buckets()) {
      expect(bucket.policy).toBeDefined();
      expect([bucket.name, await r().s3(admin, "s3:GetObject", bucket, "a", TLS, [allowAll("s3")])]).toEqual([bucket.name, "Allowed"]);
      for (const [action, object] of [
        ["s3:GetObject", "a"],
        ["s3:PutObject", "a"],
        ["s3:ListBucket", undefined],
      ] as const) {
        expect([bucket.name, action, await r().s3(admin, action, bucket, object, NO_TLS, [allowAll("s3")])]).toEqual([
          bucket.name,
          action,
          "ExplicitlyDenied",
        ]);
      }
    }
  });

  // SSE-KMS buckets accept only their own key: another KMS key, AES256 or SSE-C is refused;
  // no header (default encryption) is fine. https://docs.aws.amazon.com/AmazonS3/latest/userguide/specifying-kms-encryption.html
  test.each(fixtures())("%s: PutObject with another KMS key, with AES256 or with SSE-C is refused", async (_, r) => {
    const writer = `arn:aws:iam::${r().account}:role/Writer`;
    const buckets = r().kmsBuckets();
    expect(buckets.length).toBeGreaterThan(0);
    const put = (bucket: BucketModel, context: Context) =>
      r().s3(writer, "s3:PutObject", bucket, "x", { ...TLS, ...context }, [allowAll("s3")]);
    for (const bucket of buckets) {
      const ownKey = bucket.encryption!.kmsKeyArn!;
      const otherKey = `arn:aws:kms:${bucket.region}:${r().account}:key/00000000-1111-2222-3333-444444444444`;
      expect([bucket.name, await put(bucket, sseKms(ownKey))]).toEqual([bucket.name, "Allowed"]);
      expect([bucket.name, await put(bucket, {})]).toEqual([bucket.name, "Allowed"]);
      expect([bucket.name, await put(bucket, sseKms(otherKey))]).toEqual([bucket.name, "ExplicitlyDenied"]);
      expect([bucket.name, await put(bucket, { "s3:x-amz-server-side-encryption": "AES256" })]).toEqual([bucket.name, "ExplicitlyDenied"]);
      expect([bucket.name, await put(bucket, { "s3:x-amz-server-side-encryption-customer-algorithm": "AES256" })]).toEqual([
        bucket.name,
        "ExplicitlyDenied",
      ]);
    }
  });

  // The deployer runs Terraform; it must not be able to read content.
  // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
  test.each([
    ["prod", () => prod, PROD.deployer],
    ["minimal", () => minimal, MINIMAL.deployer],
  ] as const)("%s: the deployer cannot decrypt content under the key policy (directly, through S3 or Kinesis)", async (_, r, deployer) => {
    const key = contentKeyArn(r().model);
    const bucket = r().model.bucket(storageConfig(r().model, "CALL_RECORDINGS").bucketName!);
    const contexts = [
      {},
      throughS3(bucket, "connect/CallRecordings/a.wav", r().account),
      { "kms:ViaService": `kinesis.${REGION}.amazonaws.com`, "kms:CallerAccount": r().account },
    ];
    for (const context of contexts) {
      expect(await r().kmsDecision(deployer, "kms:Decrypt", key, context)).toBe("ImplicitlyDenied");
    }
    if (r() === prod) {
      // allowAccountRoot false: the deployer's own IAM policies add nothing.
      expect(await prod.kmsDecision(deployer, "kms:Decrypt", key, contexts[1], [allowAll("kms")])).toBe("ImplicitlyDenied");
    }
  });

  // CreateGrant to any grantee but Connect's service-linked role is refused, whether asked
  // directly or through S3 (services that create their own grants, Firehose and Customer
  // Profiles, are allowed through their own ViaService only).
  // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grantee-principal
  test.each([
    ["prod", () => prod, PROD.deployer, PROD.connectServiceRole],
    ["minimal", () => minimal, MINIMAL.deployer, MINIMAL.connectServiceRole],
  ] as const)("%s: the deployer cannot CreateGrant for any grantee other than Connect's role", async (_, r, deployer, slr) => {
    const key = contentKeyArn(r().model);
    const grantees = [
      `arn:aws:iam::${r().account}:role/Attacker`,
      deployer,
      `arn:aws:iam::${OTHER_ACCOUNT}:root`,
      `arn:aws:iam::${OTHER_ACCOUNT}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_x`,
    ];
    const bucket = r().model.bucket(storageConfig(r().model, "CALL_RECORDINGS").bucketName!);
    for (const grantee of grantees) {
      for (const extra of [
        { "kms:GrantIsForAWSResource": "true" },
        { "kms:GrantIsForAWSResource": "false" },
        { "kms:GrantIsForAWSResource": "true", ...throughS3(bucket, "a", r().account) },
      ]) {
        const context = { "kms:GranteePrincipal": grantee, "kms:GrantOperations": ["Decrypt"], ...extra };
        expect([grantee, extra, await r().kmsDecision(deployer, "kms:CreateGrant", key, context)]).toEqual([
          grantee,
          extra,
          "ImplicitlyDenied",
        ]);
      }
    }
    // Connect's role, but made directly and for Decrypt: not what the stream grants allow.
    const direct = {
      "kms:GranteePrincipal": slr,
      "kms:GrantOperations": ["Decrypt"],
      "kms:GrantIsForAWSResource": "false",
      "kms:GrantConstraintType": "EncryptionContextSubset",
    };
    expect(await r().kmsDecision(deployer, "kms:CreateGrant", key, direct)).toBe("ImplicitlyDenied");
  });
});

describe("The generated deployer IAM policy, evaluated with the key and bucket policies", () => {
  // modules/deployer-policy.ts writes deployer-iam-policy.json beside each stack; here it is the
  // deployer's identity policy. With the account root statement (minimal) it is all that limits the
  // deployer on the key; without it (prod) the key policy must name the deployer too.
  // https://docs.aws.amazon.com/kms/latest/developerguide/determining-access-key-policy.html
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
  const cases = [
    ["minimal", () => minimal, MINIMAL.deployer, MINIMAL.connectServiceRole, () => f.deployerPolicies.minimal],
    ["prod", () => prod, PROD.deployer, PROD.connectServiceRole, () => f.deployerPolicies.prod],
  ] as const;
  const policyOf = (get: () => PolicyDocument | undefined): PolicyDocument => {
    const policy = get();
    if (!policy) throw new Error(`no generated deployer policy: ${f.deployerPolicies.error}`);
    return policy;
  };

  test.each(cases)(
    "%s: the deployer may manage every key, bucket, role, topic, queue and rule of the stack",
    async (_, r, deployer, __, get) => {
      const identity = [policyOf(get)];
      const model = r().model;
      for (const key of model.keys()) {
        for (const action of ["kms:PutKeyPolicy", "kms:DescribeKey", "kms:EnableKeyRotation", "kms:TagResource"]) {
          expect([key.address, action, await r().kmsDecision(deployer, action, key.arn, {}, identity)]).toEqual([
            key.address,
            action,
            "Allowed",
          ]);
        }
      }
      for (const bucket of model.buckets()) {
        for (const action of ["s3:PutBucketPolicy", "s3:PutEncryptionConfiguration", "s3:PutBucketVersioning"]) {
          expect([bucket.name, action, await r().s3(deployer, action, bucket, undefined, TLS, identity)]).toEqual([
            bucket.name,
            action,
            "Allowed",
          ]);
        }
      }
      for (const role of model.roles()) {
        expect([role.arn, await r().withResourcePolicy(deployer, "iam:PutRolePolicy", role.arn, undefined, {}, identity)]).toEqual([
          role.arn,
          "Allowed",
        ]);
      }
      for (const topic of model.topics()) {
        expect(await r().withResourcePolicy(deployer, "sns:SetTopicAttributes", topic.arn, topic.policy, TLS, identity)).toBe("Allowed");
      }
      for (const queue of model.queues()) {
        expect(await r().withResourcePolicy(deployer, "sqs:SetQueueAttributes", queue.arn, queue.policy, TLS, identity)).toBe("Allowed");
      }
      for (const rule of model.described("aws_cloudwatch_event_rule", ["arn"])) {
        expect(await r().withResourcePolicy(deployer, "events:PutRule", rule.arn!, undefined, {}, identity)).toBe("Allowed");
      }
    },
  );

  // Connect's association grant (kms:GrantIsForAWSResource, grantee Connect's role) and the
  // Terraform-made stream grants need the deployer's CreateGrant on both sides.
  // https://docs.aws.amazon.com/connect/latest/adminguide/key-management.html
  test.each(cases)("%s: the deployer may let Connect create its grant, and create the stream grants", async (_, r, deployer, slr, get) => {
    const identity = [policyOf(get)];
    const key = contentKeyArn(r().model);
    const association = {
      "kms:GranteePrincipal": slr,
      "kms:GrantIsForAWSResource": "true",
      "kms:GrantOperations": ["Decrypt", "GenerateDataKey"],
    };
    expect(await r().kmsDecision(deployer, "kms:CreateGrant", key, association, identity)).toBe("Allowed");
    const stream = {
      "kms:GranteePrincipal": slr,
      "kms:GrantIsForAWSResource": "false",
      "kms:GrantOperations": ["GenerateDataKey"],
      "kms:GrantConstraintType": "EncryptionContextSubset",
    };
    expect(await r().kmsDecision(deployer, "kms:CreateGrant", key, stream, identity)).toBe("Allowed");
  });

  test.each(cases)(
    "%s: the deployer may not decrypt content, read objects, or grant to anyone but Connect's role",
    async (_, r, deployer, __, get) => {
      const identity = [policyOf(get)];
      const key = contentKeyArn(r().model);
      const bucket = r().model.bucket(storageConfig(r().model, "CALL_RECORDINGS").bucketName!);
      const object = "connect/CallRecordings/2026/12/01/a.wav";
      for (const context of [{}, throughS3(bucket, object, r().account)]) {
        expect(await r().kmsDecision(deployer, "kms:Decrypt", key, context, identity)).not.toBe("Allowed");
        expect(await r().kmsDecision(deployer, "kms:ReEncryptFrom", key, context, identity)).not.toBe("Allowed");
      }
      expect(await r().s3(deployer, "s3:GetObject", bucket, object, TLS, identity)).not.toBe("Allowed");
      for (const grantee of [`arn:aws:iam::${r().account}:role/Attacker`, deployer]) {
        for (const isForAwsResource of ["true", "false"]) {
          const context = {
            "kms:GranteePrincipal": grantee,
            "kms:GrantIsForAWSResource": isForAwsResource,
            "kms:GrantOperations": ["Decrypt"],
          };
          expect([grantee, isForAwsResource, await r().kmsDecision(deployer, "kms:CreateGrant", key, context, identity)]).toEqual([
            grantee,
            isForAwsResource,
            "ImplicitlyDenied",
          ]);
        }
      }
    },
  );

  // The role passes only to the service that uses it.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
  test("prod: the deployer passes the Firehose and replication roles only to their services", async () => {
    const identity = [policyOf(() => f.deployerPolicies.prod)];
    for (const role of f.prod.roles()) {
      const service = role.trust.Statement[0].Principal.Service as string;
      expect(
        await prod.withResourcePolicy(PROD.deployer, "iam:PassRole", role.arn, undefined, { "iam:PassedToService": service }, identity),
      ).toBe("Allowed");
      expect(
        await prod.withResourcePolicy(
          PROD.deployer,
          "iam:PassRole",
          role.arn,
          undefined,
          { "iam:PassedToService": "lambda.amazonaws.com" },
          identity,
        ),
      ).toBe("ImplicitlyDenied");
    }
  });

  test("state: the deployer may manage the state buckets and keys but not another stack's bucket", async () => {
    const identity = [policyOf(() => f.deployerPolicies.state)];
    for (const bucket of f.state.buckets()) {
      expect([bucket.name, await state.s3(STATE.deployer, "s3:PutBucketPolicy", bucket, undefined, TLS, identity)]).toEqual([
        bucket.name,
        "Allowed",
      ]);
    }
    for (const key of f.state.keys()) {
      expect([key.address, await state.kmsDecision(STATE.deployer, "kms:PutKeyPolicy", key.arn, {}, identity)]).toEqual([
        key.address,
        "Allowed",
      ]);
    }
    const foreign = { ...f.state.buckets()[0], name: "someone-elses-bucket", arn: "arn:aws:s3:::someone-elses-bucket", policy: undefined };
    expect(await state.s3(STATE.deployer, "s3:PutBucketPolicy", foreign, undefined, TLS, identity)).toBe("ImplicitlyDenied");
  });
});
