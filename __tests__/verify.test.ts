/**
 * The verifier against recorded AWS answers (aws-sdk-client-mock): a healthy
 * environment, each kind of failure, missing permissions, and the paths where
 * it cannot run at all. No network.
 */
import { mockClient } from "aws-sdk-client-mock";
import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, KMSClient, ListGrantsCommand } from "@aws-sdk/client-kms";
import { ConnectClient, ListInstanceStorageConfigsCommand } from "@aws-sdk/client-connect";
import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketReplicationCommand,
  GetObjectLockConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import { DescribeStreamSummaryCommand, KinesisClient } from "@aws-sdk/client-kinesis";
import { DescribeDeliveryStreamCommand, FirehoseClient } from "@aws-sdk/client-firehose";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from "@aws-sdk/client-cloudtrail";
import { GetTopicAttributesCommand, SNSClient } from "@aws-sdk/client-sns";
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from "@aws-sdk/client-sqs";
import { CustomerProfilesClient, GetDomainCommand } from "@aws-sdk/client-customer-profiles";
import { readFileSync, readdirSync } from "node:fs";
import { Io, VERIFY_OPTIONS, VERIFY_USAGE, defaultIo, main } from "../modules/cli/verify/cli";
import {
  buildEntries,
  declarationElsewhere,
  runEntry,
  undocumentedOptions,
  undocumentedVariables,
  variablesRead,
} from "./helpers/commands";
import { OutputKind, VERIFIED_OUTPUTS } from "../modules/cli/verify/model";
import { exampleCdktfJson } from "./helpers/example";

/** The example declaration (prod adopts an instance, rotates every 180 days, has every control), never the user's cdktf.json. */
const CONFIG = exampleCdktfJson();

const ACCOUNT = "333333333333";
const KEY = `arn:aws:kms:eu-west-2:${ACCOUNT}:key/0a1b2c3d-0000-4000-8000-000000000001`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_X`;
const BUCKET = "acme-connect-prod-333333333333-eu-west-2";
const STREAM = `arn:aws:kinesis:eu-west-2:${ACCOUNT}:stream/acme-connect-prod-agent-events`;
const FIREHOSE = `arn:aws:firehose:eu-west-2:${ACCOUNT}:deliverystream/acme-connect-prod-ctr`;
const NOW = new Date("2026-11-28T12:00:00Z");

const OUTPUTS = {
  key_arn: { value: KEY },
  s3_bucket_id: { value: BUCKET },
  connect_instance_id: { value: "11111111-2222-3333-4444-555555555555" },
  connect_service_role_arn: { value: ROLE },
  storage_association_ids: {
    value: { CALL_RECORDINGS: "a-call", MEDIA_STREAMS: "a-media", AGENT_EVENTS: "a-agent", CONTACT_TRACE_RECORDS: "a-ctr" },
  },
  kinesis_stream_arns: { value: { AGENT_EVENTS: STREAM } },
  connect_stream_grant_ids: { value: { AGENT_EVENTS: "grant-agent" } },
  firehose_delivery_stream_arns: { value: { CONTACT_TRACE_RECORDS: FIREHOSE } },
};

const kms = mockClient(KMSClient);
const connect = mockClient(ConnectClient);
const s3 = mockClient(S3Client);
const kinesis = mockClient(KinesisClient);
const firehose = mockClient(FirehoseClient);
const sts = mockClient(STSClient);
const cloudtrail = mockClient(CloudTrailClient);
const sns = mockClient(SNSClient);
const sqs = mockClient(SQSClient);
const profiles = mockClient(CustomerProfilesClient);

function healthy(): void {
  for (const m of [kms, connect, s3, kinesis, firehose, sts, cloudtrail, sns, sqs, profiles]) m.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Auditor/me` });
  kms
    .on(DescribeKeyCommand)
    .resolves({ KeyMetadata: { KeyId: "k", Arn: KEY, KeyState: "Enabled", KeySpec: "SYMMETRIC_DEFAULT", KeyManager: "CUSTOMER" } });
  kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true, RotationPeriodInDays: 365 });
  kms.on(GetKeyPolicyCommand).resolves({
    Policy: JSON.stringify({
      Statement: [
        { Sid: "AccountRootAdministersKey", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*" },
      ],
    }),
  });
  // Two pages: the stream grant is on the second.
  kms
    .on(ListGrantsCommand)
    .resolvesOnce({
      Grants: [{ GrantId: "grant-s3", GranteePrincipal: ROLE, Operations: ["Encrypt", "Decrypt", "GenerateDataKey"] }],
      Truncated: true,
      NextMarker: "m",
    })
    .resolvesOnce({ Grants: [{ GrantId: "grant-agent", GranteePrincipal: ROLE, Operations: ["GenerateDataKey"] }], Truncated: false });
  connect.on(ListInstanceStorageConfigsCommand, { ResourceType: "CALL_RECORDINGS" }).resolves({
    StorageConfigs: [
      {
        AssociationId: "a-call",
        StorageType: "S3",
        S3Config: { BucketName: BUCKET, BucketPrefix: "connect/CallRecordings", EncryptionConfig: { EncryptionType: "KMS", KeyId: KEY } },
      },
    ],
  });
  connect.on(ListInstanceStorageConfigsCommand, { ResourceType: "MEDIA_STREAMS" }).resolves({
    StorageConfigs: [
      {
        AssociationId: "a-media",
        StorageType: "KINESIS_VIDEO_STREAM",
        KinesisVideoStreamConfig: { Prefix: "acme", RetentionPeriodHours: 24, EncryptionConfig: { EncryptionType: "KMS", KeyId: KEY } },
      },
    ],
  });
  connect.on(ListInstanceStorageConfigsCommand, { ResourceType: "AGENT_EVENTS" }).resolves({
    StorageConfigs: [{ AssociationId: "a-agent", StorageType: "KINESIS_STREAM", KinesisStreamConfig: { StreamArn: STREAM } }],
  });
  connect.on(ListInstanceStorageConfigsCommand, { ResourceType: "CONTACT_TRACE_RECORDS" }).resolves({
    StorageConfigs: [{ AssociationId: "a-ctr", StorageType: "KINESIS_FIREHOSE", KinesisFirehoseConfig: { FirehoseArn: FIREHOSE } }],
  });
  s3.on(GetBucketEncryptionCommand).resolves({
    ServerSideEncryptionConfiguration: {
      Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: KEY }, BucketKeyEnabled: true }],
    },
  });
  s3.on(GetPublicAccessBlockCommand).resolves({
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
  });
  s3.on(GetBucketPolicyCommand).resolves({
    Policy: JSON.stringify({ Statement: [{ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }] }),
  });
  s3.on(GetBucketVersioningCommand).resolves({ Status: "Enabled" });
  s3.on(ListObjectsV2Command).resolves({ Contents: [] });
  s3.on(ListObjectsV2Command, { Prefix: "connect/CallRecordings/2026/11/27/" }).resolves({
    Contents: [
      { Key: "connect/CallRecordings/2026/11/27/older.wav", LastModified: new Date("2026-11-27T08:00:00Z") },
      { Key: "connect/CallRecordings/2026/11/27/newest.wav", LastModified: new Date("2026-11-27T09:00:00Z") },
    ],
  });
  s3.on(ListObjectsV2Command, { Prefix: "Analysis/Voice/2026/11/28/" }).resolves({
    Contents: [{ Key: "Analysis/Voice/2026/11/28/c_analysis.json", LastModified: new Date("2026-11-28T10:00:00Z") }],
  });
  s3.on(HeadObjectCommand).resolves({ ServerSideEncryption: "aws:kms", SSEKMSKeyId: KEY, BucketKeyEnabled: true });
  kinesis.on(DescribeStreamSummaryCommand).resolves({ StreamDescriptionSummary: { EncryptionType: "KMS", KeyId: KEY } as never });
  firehose.on(DescribeDeliveryStreamCommand).resolves({
    DeliveryStreamDescription: {
      DeliveryStreamEncryptionConfiguration: { Status: "ENABLED", KeyType: "CUSTOMER_MANAGED_CMK", KeyARN: KEY },
      Destinations: [
        {
          DestinationId: "d",
          ExtendedS3DestinationDescription: { EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: KEY } } } as never,
        },
      ],
    } as never,
  });
}

async function run(
  args: string[] = ["--outputs", "outputs.json"],
  outputs: unknown = OUTPUTS,
): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: Io = {
    ...defaultIo,
    out: (t) => (out += `${t}\n`),
    err: (t) => (err += `${t}\n`),
    readOutputs: () => outputs,
    terraformOutputs: (dir) => {
      expect(dir).toBe("cdktf.out/stacks/connect-encryption-prod");
      return outputs;
    },
    now: () => NOW,
  };
  const code = await main(args, io, CONFIG);
  return { code, out, err };
}

const statusOf = (out: string, id: string): string => {
  const line = out.split("\n").find((l) => l.includes(` ${id} `));
  return line ? line.trim().split(/\s{2,}/)[0] : "(missing)";
};

beforeEach(healthy);

test("a healthy environment passes every check, with evidence, and 'not yet' where nothing was written", async () => {
  const { code, out, err } = await run();
  expect(code).toBe(0);
  for (const id of [
    "key.state",
    "key.rotation",
    "key.policy",
    "key.grants",
    "storage.CALL_RECORDINGS",
    "storage.MEDIA_STREAMS",
    "storage.AGENT_EVENTS",
    "storage.CONTACT_TRACE_RECORDS",
    "bucket.encryption",
    "bucket.public-access",
    "bucket.tls",
    "bucket.versioning",
    "object.CALL_RECORDINGS",
    "object.ANALYSIS_VOICE",
    "kinesis.AGENT_EVENTS",
    "firehose.CONTACT_TRACE_RECORDS",
  ]) {
    expect([id, statusOf(out, id)]).toEqual([id, "PASS"]);
  }
  expect(statusOf(out, "object.ANALYSIS_CHAT")).toBe("NOT YET");
  expect(out).toContain("connect/CallRecordings/2026/11/27/newest.wav: aws:kms " + KEY + ", Bucket Key true");
  expect(out).toMatch(/16 passed, 0 failed, 1 not yet, 0 could not be checked/);
  expect(err).toContain("... checking the key, its rotation, policy and grants");
  expect(`${out}${err}`).not.toContain("kms:*"); // policies are judged, never printed
});

test("--json gives the same checks for CI", async () => {
  const { code, out } = await run(["--outputs", "o.json", "--json"]);
  expect(code).toBe(0);
  const report = JSON.parse(out);
  expect(report).toMatchObject({ region: "eu-west-2", key: KEY, bucket: BUCKET, summary: { pass: 16, fail: 0, "not-yet": 1, error: 0 } });
  expect(report.checks.find((c: { id: string }) => c.id === "key.rotation")).toEqual({
    id: "key.rotation",
    title: "Key rotation is on with the configured period",
    status: "pass",
    evidence: "enabled true, every 365 days",
  });
});

test.each([
  [
    "key.state",
    () =>
      kms
        .on(DescribeKeyCommand)
        .resolves({ KeyMetadata: { KeyId: "k", Arn: KEY, KeyState: "Disabled", KeySpec: "SYMMETRIC_DEFAULT", KeyManager: "CUSTOMER" } }),
  ],
  ["key.rotation", () => kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false })],
  [
    "key.policy",
    () =>
      kms
        .on(GetKeyPolicyCommand)
        .resolves({ Policy: JSON.stringify({ Statement: [{ Sid: "Open", Effect: "Allow", Principal: "*", Action: "kms:Decrypt" }] }) }),
  ],
  ["key.grants", () => kms.on(ListGrantsCommand).resolves({ Grants: [] })],
  [
    "storage.CALL_RECORDINGS",
    () =>
      connect.on(ListInstanceStorageConfigsCommand, { ResourceType: "CALL_RECORDINGS" }).resolves({
        StorageConfigs: [
          {
            AssociationId: "a-call",
            StorageType: "S3",
            S3Config: {
              BucketName: BUCKET,
              BucketPrefix: "connect/CallRecordings",
              EncryptionConfig: { EncryptionType: "KMS", KeyId: "0a1b2c3d-0000-4000-8000-000000000001" },
            },
          },
        ],
      }),
  ],
  [
    "storage.MEDIA_STREAMS",
    () => connect.on(ListInstanceStorageConfigsCommand, { ResourceType: "MEDIA_STREAMS" }).resolves({ StorageConfigs: [] }),
  ],
  [
    "bucket.encryption",
    () =>
      s3
        .on(GetBucketEncryptionCommand)
        .resolves({ ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }] } }),
  ],
  [
    "bucket.public-access",
    () =>
      s3.on(GetPublicAccessBlockCommand).resolves({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: false,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      }),
  ],
  ["bucket.tls", () => s3.on(GetBucketPolicyCommand).resolves({ Policy: JSON.stringify({ Statement: [] }) })],
  ["bucket.versioning", () => s3.on(GetBucketVersioningCommand).resolves({ Status: "Suspended" })],
  ["object.CALL_RECORDINGS", () => s3.on(HeadObjectCommand).resolves({ ServerSideEncryption: "AES256" })],
  [
    "kinesis.AGENT_EVENTS",
    () => kinesis.on(DescribeStreamSummaryCommand).resolves({ StreamDescriptionSummary: { EncryptionType: "NONE" } as never }),
  ],
  [
    "firehose.CONTACT_TRACE_RECORDS",
    () =>
      firehose.on(DescribeDeliveryStreamCommand).resolves({
        DeliveryStreamDescription: { DeliveryStreamEncryptionConfiguration: { Status: "ENABLED", KeyType: "AWS_OWNED_CMK" } } as never,
      }),
  ],
])("%s fails when AWS shows it broken, and the run exits 1", async (id, breakIt) => {
  breakIt();
  const { code, out } = await run();
  expect(statusOf(out, id)).toBe("FAIL");
  expect(code).toBe(1);
});

test("a missing permission is reported on its check, naming the IAM action, and the others still run", async () => {
  kms
    .on(GetKeyPolicyCommand)
    .rejects(Object.assign(new Error("User is not authorized to perform kms:GetKeyPolicy"), { name: "AccessDeniedException" }));
  s3.on(GetBucketPolicyCommand).rejects(
    Object.assign(new Error("Access Denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }),
  );
  const { code, out } = await run();
  expect(code).toBe(1);
  expect(statusOf(out, "key.policy")).toBe("ERROR");
  expect(out).toContain("missing permission kms:GetKeyPolicy");
  expect(out).toContain("missing permission s3:GetBucketPolicy");
  expect(statusOf(out, "bucket.encryption")).toBe("PASS");
});

test("no credentials: one clear line, exit 2", async () => {
  sts
    .on(GetCallerIdentityCommand)
    .rejects(Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }));
  const { code, out, err } = await run();
  expect(code).toBe(2);
  expect(out).toBe("");
  expect(err.trim().split("\n")).toEqual([
    "verify: no usable AWS credentials (CredentialsProviderError): sign in (e.g. aws sso login) or set AWS_PROFILE, then run again",
  ]);
});

test("credentials of another account, or the wrong Region: one clear line, exit 2", async () => {
  sts.on(GetCallerIdentityCommand).resolves({ Account: "111111111111" });
  expect(await run()).toMatchObject({
    code: 2,
    err: "verify: the credentials are for account 111111111111 but the environment is in account 333333333333\n",
  });
  healthy();
  expect(await run(["--outputs", "o.json", "--region", "us-east-1"])).toMatchObject({
    code: 2,
    err: "verify: the key is in eu-west-2 but the checks would run in us-east-1; use --region eu-west-2\n",
  });
});

test("outputs that lack what the checks need, and bad arguments, are refused before any AWS call", async () => {
  expect(await run(["--outputs", "o.json"], { key_arn: { value: KEY } })).toMatchObject({
    code: 2,
    err: "verify: the outputs lack s3_bucket_id, connect_instance_id, connect_service_role_arn, storage_association_ids (give the stack's or the module's outputs)\n",
  });
  expect((await run(["--bogus"])).err).toBe(
    "verify: unknown option --bogus; allowed: --outputs <file>, --region <region>, --json, --help\n",
  );
  expect((await run(["--outputs"])).err).toBe("verify: --outputs needs a value: --outputs <file>\n");
  expect((await run(["prod", "--region", "eu-west-2", "--region", "eu-west-1"])).err).toBe(
    "verify: --region is given twice; give it once\n",
  );
  expect((await run([])).err).toContain("name an environment");
  expect((await run(["staging-eu"])).err).toContain(`verify: staging-eu is not an environment of ${CONFIG}; declared: dev, prod, staging`);
  expect(sts.calls()).toHaveLength(0);
});

/** Every call any mocked AWS client received: none, when verify refuses its outputs. */
const awsCalls = (): number =>
  [kms, connect, s3, kinesis, firehose, sts, cloudtrail, sns, sqs, profiles].reduce((n, m) => n + m.calls().length, 0);

/** The refusal's words for each kind, spelled here so that the test pins the message, not the table. */
const EXPECTED_WORDS: Record<OutputKind, string> = {
  string: "a string",
  "kms-key-arn": "a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)",
  map: "a map from storage type to a string or null",
};

/** Values of another type per kind, each with how the refusal names it. */
const WRONG_VALUES: Record<OutputKind, [unknown, string][]> = {
  string: [
    [42, "a number"],
    [[BUCKET], "a list"],
    [{ id: BUCKET }, "an object"],
    [true, "a boolean"],
  ],
  "kms-key-arn": [
    [42, "a number"],
    [[KEY], "a list"],
    ["alias/acme-connect-prod", '"alias/acme-connect-prod"'],
    ["0a1b2c3d-0000-4000-8000-000000000001", '"0a1b2c3d-0000-4000-8000-000000000001"'],
  ],
  map: [
    [["a-call"], "a list"],
    ["a-call", "a string"],
    [7, "a number"],
    [{ AGENT_EVENTS: 42, CALL_RECORDINGS: "a-call" }, "AGENT_EVENTS: 42"],
    [{ CALL_RECORDINGS: ["a-call"] }, 'CALL_RECORDINGS: ["a-call"]'],
    // Keyed by storage type: a typo in an edited outputs file is not silently ignored.
    [{ CALL_RECORDING: "a-call" }, 'CALL_RECORDING: "a-call"'],
  ],
};

/** Every output at its healthy value, wrapped as `terraform output -json` prints them. */
const EVERY_OUTPUT = {
  ...OUTPUTS,
  attachments_bucket_id: { value: `${BUCKET}-attachments` },
  s3_storage_bucket_ids: { value: { CALL_RECORDINGS: BUCKET } },
  replica_bucket_id: { value: `${BUCKET}-replica` },
  replica_key_arn: { value: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0a1b2c3d-0000-4000-8000-000000000002` },
  replica_unlocked_bucket_id: { value: `${BUCKET}-replica-unlocked` },
  alerts_topic_arn: { value: `arn:aws:sns:eu-west-2:${ACCOUNT}:acme-connect-prod-key-misuse` },
  alerts_key_arn: { value: `arn:aws:kms:eu-west-2:${ACCOUNT}:key/0a1b2c3d-0000-4000-8000-000000000003` },
  alerts_dead_letter_queue_arn: { value: `arn:aws:sqs:eu-west-2:${ACCOUNT}:acme-connect-prod-key-misuse-dlq` },
  alerts_trail_arn: { value: `arn:aws:cloudtrail:eu-west-2:${ACCOUNT}:trail/acme-connect-prod-management` },
  customer_profiles_domain_name: { value: "acme-connect-prod" },
};
/** The same outputs as a plain map, as `terraform output -json connect_encryption` of a module caller prints them. */
const plainOf = (wrapped: Record<string, { value: unknown }>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(wrapped).map(([name, output]) => [name, output.value]));

test("the table of outputs lists every output the verifier's code reads, and each healthy value is accepted", async () => {
  const dir = "modules/cli/verify";
  const sources = readdirSync(dir).map((file) => readFileSync(`${dir}/${file}`, "utf8"));
  const read = sources.flatMap((source) => [...source.matchAll(/\boutputs\??\.([a-z0-9_]+)/g)].map((m) => m[1]));
  expect(new Set(read)).toEqual(new Set(Object.keys(VERIFIED_OUTPUTS)));
  expect(Object.keys(EVERY_OUTPUT).sort()).toEqual(Object.keys(VERIFIED_OUTPUTS).sort());
  // Past the outputs, in both shapes: the checks start with the account check.
  for (const outputs of [EVERY_OUTPUT, plainOf(EVERY_OUTPUT)])
    expect((await run(["--outputs", "o.json"], outputs)).err).not.toContain("output");
  expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(2);
});

const WRONG_TYPES = Object.entries(VERIFIED_OUTPUTS).flatMap(([name, { kind, required }]) =>
  [...WRONG_VALUES[kind], ...(required ? [[null, "null"] as [unknown, string]] : [])].map(
    ([value, what]) => [name, JSON.stringify(value), kind, value, what] as const,
  ),
);

test.each(WRONG_TYPES)(
  "%s as %s is refused before any AWS call, naming it and its type, in either shape",
  async (name, _, kind, value, what) => {
    const refusal = {
      code: 2,
      out: "",
      err: `verify: the output ${name} is not ${EXPECTED_WORDS[kind]} (${what}) (give the stack's or the module's outputs)\n`,
    };
    expect(await run(["--outputs", "o.json"], { ...EVERY_OUTPUT, [name]: { value } })).toEqual(refusal);
    expect(await run(["--outputs", "o.json"], { ...plainOf(EVERY_OUTPUT), [name]: value })).toEqual(refusal);
    expect(awsCalls()).toBe(0);
  },
);

test("outputs that are not an object, several wrong at once, or a caller's whole terraform output -json: one line, exit 2, no AWS call", async () => {
  for (const [raw, what] of [
    [[], "a list"],
    ["outputs", "a string"],
    [null, "null"],
    [42, "a number"],
  ]) {
    expect(await run(["--outputs", "o.json"], raw)).toEqual({
      code: 2,
      out: "",
      err: `verify: the outputs are not a JSON object (${what})\n`,
    });
  }
  // From the environment's stack as from a file; every problem on the one line.
  expect(await run(["prod"], { ...OUTPUTS, key_arn: { value: 42 }, kinesis_stream_arns: { value: { AGENT_EVENTS: 7 } } })).toEqual({
    code: 2,
    out: "",
    err:
      "verify: the output key_arn is not a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>) (a number); " +
      "the output kinesis_stream_arns is not a map from storage type to a string or null (AGENT_EVENTS: 7) (give the stack's or the module's outputs)\n",
  });
  const caller = { connect_encryption: { sensitive: false, type: ["object", {}], value: plainOf(OUTPUTS) } };
  expect(await run(["--outputs", "o.json"], caller)).toEqual({
    code: 2,
    out: "",
    err: "verify: the outputs lack key_arn, s3_bucket_id, connect_instance_id, connect_service_role_arn, storage_association_ids; the output connect_encryption holds them: give terraform output -json connect_encryption\n",
  });
  expect(awsCalls()).toBe(0);
});

test("the plain map of a module caller's terraform output -json connect_encryption is read as the wrapped one is", async () => {
  const { code, out } = await run(["--outputs", "o.json"], plainOf(OUTPUTS));
  expect(statusOf(out, "key.grants")).toBe("PASS");
  expect(code).toBe(0);
});

test("for an environment of cdktf.json, outputs come from its stack and the configured controls are checked too", async () => {
  s3.on(GetBucketLifecycleConfigurationCommand).resolves({ Rules: [{ ID: "bucket-wide-retention", Status: "Enabled" }] });
  s3.on(GetObjectLockConfigurationCommand).resolves({
    ObjectLockConfiguration: { ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: "COMPLIANCE", Years: 7 } } },
  });
  s3.on(GetBucketReplicationCommand).resolves({
    ReplicationConfiguration: {
      Role: "r",
      Rules: [
        {
          Status: "Enabled",
          SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: "Enabled" } },
          Destination: {
            Bucket: "arn:aws:s3:::dr",
            EncryptionConfiguration: { ReplicaKmsKeyID: "arn:aws:kms:eu-west-1:333333333333:key/dr" },
          },
        },
      ],
    },
  });
  const { code, out } = await run(["prod"]);
  for (const id of ["bucket.lifecycle", "bucket.object-lock", "bucket.replication"]) expect([id, statusOf(out, id)]).toEqual([id, "PASS"]);
  // prod's configuration rotates every 180 days; the recorded key rotates every 365.
  expect(statusOf(out, "key.rotation")).toBe("FAIL");
  expect(out).toContain("enabled true, every 365 days (configured 180)");
  expect(code).toBe(1);
});

test("outputs that terraform cannot read give one line saying where to get them", () => {
  expect(() => defaultIo.terraformOutputs("cdktf.out/stacks/connect-encryption-nowhere")).toThrow(
    "cannot read the outputs in cdktf.out/stacks/connect-encryption-nowhere with terraform output -json (synthesize and deploy from here first, or give --outputs <file>)",
  );
});

// --- the optional controls: replication, key-misuse alerts and their trail, Customer Profiles ---

const REPLICA = `${BUCKET}-replica`;
const REPLICA_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0a1b2c3d-0000-4000-8000-000000000002`;
const ALERTS_KEY = `arn:aws:kms:eu-west-2:${ACCOUNT}:key/0a1b2c3d-0000-4000-8000-000000000003`;
const TRAIL_KEY = `arn:aws:kms:eu-west-2:${ACCOUNT}:key/0a1b2c3d-0000-4000-8000-000000000004`;
const AWS_MANAGED_SNS_KEY = `arn:aws:kms:eu-west-2:${ACCOUNT}:key/0a1b2c3d-0000-4000-8000-000000000005`;
const TOPIC = `arn:aws:sns:eu-west-2:${ACCOUNT}:acme-connect-prod-key-misuse`;
const QUEUE = `arn:aws:sqs:eu-west-2:${ACCOUNT}:acme-connect-prod-key-misuse-dlq`;
/** What an emulator behind AWS_ENDPOINT_URL answers to GetQueueUrl: a host no ARN spells, so a hand-built URL cannot match it. */
const QUEUE_URL = `http://sqs.eu-west-2.localhost.localstack.cloud:4566/${ACCOUNT}/acme-connect-prod-key-misuse-dlq`;
const TRAIL = `arn:aws:cloudtrail:eu-west-2:${ACCOUNT}:trail/acme-connect-prod-management`;
const DOMAIN = "acme-connect-prod";
const NEWEST = "Analysis/Voice/2026/11/28/c_analysis.json";
const CONTROL_IDS = [
  "replication.object",
  "alerts.topic-key",
  "alerts.key",
  "alerts.dead-letter-queue",
  "alerts.trail",
  "alerts.own-trail",
  "profiles.domain",
];

const CONTROLS = {
  ...OUTPUTS,
  replica_bucket_id: { value: REPLICA },
  replica_key_arn: { value: REPLICA_KEY },
  alerts_topic_arn: { value: TOPIC },
  alerts_key_arn: { value: ALERTS_KEY },
  alerts_dead_letter_queue_arn: { value: QUEUE },
  alerts_trail_arn: { value: TRAIL },
  customer_profiles_domain_name: { value: DOMAIN },
};

const OWN_TRAIL = {
  Name: "acme-connect-prod-management",
  TrailARN: TRAIL,
  HomeRegion: "eu-west-2",
  IsMultiRegionTrail: true,
  LogFileValidationEnabled: true,
  KmsKeyId: TRAIL_KEY,
};
const ALL_MANAGEMENT_EVENTS = { EventSelectors: [{ ReadWriteType: "All" as const, IncludeManagementEvents: true, DataResources: [] }] };

function controlled(): void {
  s3.on(HeadObjectCommand, { Bucket: BUCKET }).resolves({
    ServerSideEncryption: "aws:kms",
    SSEKMSKeyId: KEY,
    BucketKeyEnabled: true,
    ReplicationStatus: "COMPLETED",
  });
  s3.on(HeadObjectCommand, { Bucket: REPLICA }).resolves({
    ServerSideEncryption: "aws:kms",
    SSEKMSKeyId: REPLICA_KEY,
    BucketKeyEnabled: true,
    ReplicationStatus: "REPLICA",
  });
  kms.on(DescribeKeyCommand, { KeyId: ALERTS_KEY }).resolves({
    KeyMetadata: { KeyId: "a", Arn: ALERTS_KEY, KeyState: "Enabled", KeySpec: "SYMMETRIC_DEFAULT", KeyManager: "CUSTOMER" },
  });
  kms.on(GetKeyRotationStatusCommand, { KeyId: ALERTS_KEY }).resolves({ KeyRotationEnabled: true, RotationPeriodInDays: 365 });
  sns.on(GetTopicAttributesCommand).resolves({ Attributes: { TopicArn: TOPIC, KmsMasterKeyId: ALERTS_KEY } });
  sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: QUEUE_URL });
  sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { KmsMasterKeyId: ALERTS_KEY } });
  cloudtrail.on(DescribeTrailsCommand).resolves({ trailList: [OWN_TRAIL] });
  cloudtrail.on(GetTrailStatusCommand).resolves({ IsLogging: true });
  cloudtrail.on(GetEventSelectorsCommand).resolves({ TrailARN: TRAIL, ...ALL_MANAGEMENT_EVENTS });
  profiles.on(GetDomainCommand).resolves({
    DomainName: DOMAIN,
    DefaultEncryptionKey: KEY,
    DefaultExpirationDays: 366,
    CreatedAt: NOW,
    LastUpdatedAt: NOW,
  });
}

const evidenceOf = (out: string, id: string): string => {
  const lines = out.split("\n");
  const at = lines.findIndex((l) => l.includes(` ${id} `));
  return at < 0 ? "(missing)" : lines[at + 1].trim();
};

const denied = (action: string, name = "AccessDeniedException"): Error =>
  Object.assign(new Error(`User is not authorized to perform ${action}`), { name, $metadata: { httpStatusCode: 403 } });

// --- attachments in a bucket of their own (Object Lock on the recordings bucket) ---

const ATTACH = `acme-connect-prod-attach-${ACCOUNT}`;
/** The checks every bucket of Connect's content gets; on a bucket other than the recordings bucket, their IDs end with its name. */
const HARDENING = ["bucket.encryption", "bucket.public-access", "bucket.tls", "bucket.versioning"];
const ATTACHMENT = "connect/Attachments/2026/11/28/chat-upload.pdf";
/** An older upload left in the recordings bucket under S3's own key: read there, the newest-object check would fail. */
const DECOY = "connect/Attachments/2026/11/28/from-before-object-lock.pdf";
const WITH_ATTACHMENTS = {
  ...OUTPUTS,
  storage_association_ids: { value: { ...OUTPUTS.storage_association_ids.value, ATTACHMENTS: "a-attach" } },
  attachments_bucket_id: { value: ATTACH },
};

/** Connect's ATTACHMENTS association to `bucket`, and each bucket's own answers under the attachments' prefix. */
function attachmentsAssociatedTo(bucket: string): void {
  connect.on(ListInstanceStorageConfigsCommand, { ResourceType: "ATTACHMENTS" }).resolves({
    StorageConfigs: [
      {
        AssociationId: "a-attach",
        StorageType: "S3",
        S3Config: { BucketName: bucket, BucketPrefix: "connect/Attachments", EncryptionConfig: { EncryptionType: "KMS", KeyId: KEY } },
      },
    ],
  });
  s3.on(ListObjectsV2Command, { Bucket: ATTACH, Prefix: "connect/Attachments/2026/11/28/" }).resolves({
    Contents: [{ Key: ATTACHMENT, LastModified: new Date("2026-11-28T11:00:00Z") }],
  });
  s3.on(ListObjectsV2Command, { Bucket: BUCKET, Prefix: "connect/Attachments/2026/11/28/" }).resolves({
    Contents: [{ Key: DECOY, LastModified: new Date("2026-11-28T11:30:00Z") }],
  });
  s3.on(HeadObjectCommand, { Bucket: BUCKET, Key: DECOY }).resolves({ ServerSideEncryption: "AES256" });
}

/** The disaster-recovery copy of the bucket without Object Lock (`<prefix>-<env>-drattach-<account>`), in the replica's Region. */
const UNLOCKED_REPLICA = `acme-connect-prod-drattach-${ACCOUNT}`;

/** The replication rule S3 answers for the attachments' bucket, and the copy its destination holds. */
function unlockedReplicatesTo(destination: string): void {
  s3.on(GetBucketReplicationCommand, { Bucket: ATTACH }).resolves({
    ReplicationConfiguration: {
      Role: "r",
      Rules: [{ Status: "Enabled", Destination: { Bucket: destination, EncryptionConfiguration: { ReplicaKmsKeyID: REPLICA_KEY } } }],
    },
  });
  s3.on(HeadObjectCommand, { Bucket: UNLOCKED_REPLICA }).resolves({
    ServerSideEncryption: "aws:kms",
    SSEKMSKeyId: REPLICA_KEY,
    BucketKeyEnabled: true,
    ReplicationStatus: "REPLICA",
  });
}

test("attachments in a bucket of their own are checked in that bucket: their association and their newest object", async () => {
  attachmentsAssociatedTo(ATTACH);
  const { code, out } = await run(["--outputs", "o.json"], WITH_ATTACHMENTS);
  expect(statusOf(out, "storage.ATTACHMENTS")).toBe("PASS");
  expect(evidenceOf(out, "storage.ATTACHMENTS")).toBe(`s3://${ATTACH}/connect/Attachments with KMS ${KEY}`);
  expect(statusOf(out, "object.ATTACHMENTS")).toBe("PASS");
  expect(evidenceOf(out, "object.ATTACHMENTS")).toBe(`s3://${ATTACH}/${ATTACHMENT}: aws:kms ${KEY}, Bucket Key true`);
  // Every listing under the attachments' prefix went to their bucket; the recordings' prefixes stayed in the recordings bucket.
  const listed = s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input);
  const attachmentListings = listed.filter((input) => input.Prefix?.startsWith("connect/Attachments/"));
  expect(attachmentListings.length).toBeGreaterThan(0);
  expect(new Set(attachmentListings.map((input) => input.Bucket))).toEqual(new Set([ATTACH]));
  expect(new Set(listed.filter((input) => !input.Prefix?.startsWith("connect/Attachments/")).map((input) => input.Bucket))).toEqual(
    new Set([BUCKET]),
  );
  expect(s3.commandCalls(HeadObjectCommand, { Bucket: BUCKET, Key: DECOY })).toHaveLength(0);
  expect(s3.commandCalls(HeadObjectCommand, { Bucket: ATTACH, Key: ATTACHMENT })).toHaveLength(1);
  expect(statusOf(out, "object.CALL_RECORDINGS")).toBe("PASS");
  // The attachments' bucket is hardened like the recordings bucket: its four checks name it.
  for (const id of HARDENING) expect([id, statusOf(out, `${id}.${ATTACH}`)]).toEqual([id, "PASS"]);
  expect(out).toMatch(/22 passed, 0 failed, 1 not yet, 0 could not be checked/);
  expect(code).toBe(0);
});

test.each<[string, Record<string, unknown>, string, string, string]>([
  [
    "with their own bucket, an association to the recordings bucket fails",
    WITH_ATTACHMENTS,
    BUCKET,
    "FAIL",
    `; the stack gives it ${ATTACH}`,
  ],
  [
    "without one (null, as the module gives it), an association to another bucket fails",
    { ...WITH_ATTACHMENTS, attachments_bucket_id: { value: null } },
    ATTACH,
    "FAIL",
    `; the stack gives it ${BUCKET}`,
  ],
  [
    "without one, attachments belong in the recordings bucket",
    { ...WITH_ATTACHMENTS, attachments_bucket_id: { value: null } },
    BUCKET,
    "PASS",
    "",
  ],
])("storage.ATTACHMENTS: %s", async (_, outputs, associated, status, expectedBucket) => {
  attachmentsAssociatedTo(associated);
  s3.on(HeadObjectCommand, { Bucket: BUCKET, Key: DECOY }).resolves({
    ServerSideEncryption: "aws:kms",
    SSEKMSKeyId: KEY,
    BucketKeyEnabled: true,
  });
  const { out } = await run(["--outputs", "o.json"], outputs);
  expect(statusOf(out, "storage.ATTACHMENTS")).toBe(status);
  expect(evidenceOf(out, "storage.ATTACHMENTS")).toBe(`s3://${associated}/connect/Attachments with KMS ${KEY}${expectedBucket}`);
});

// --- each S3 type in the bucket s3_storage_bucket_ids gives it (Object Lock on call recordings only) ---

const TRANSCRIPT = "connect/ChatTranscripts/2026/11/28/chat.json";
/** A transcript written before the types were split across buckets, in the bucket the type is no longer in: read there, it would fail. */
const TRANSCRIPT_DECOY = "connect/ChatTranscripts/2026/11/28/from-before-the-split.json";
const CHAT_ANALYSIS = "Analysis/Chat/2026/11/28/chat_analysis.json";
/** A stack with the bucket without Object Lock, deployed before s3_storage_bucket_ids existed. */
const BEFORE_THE_OUTPUT = {
  ...OUTPUTS,
  storage_association_ids: { value: { ...OUTPUTS.storage_association_ids.value, CHAT_TRANSCRIPTS: "a-chat" } },
  attachments_bucket_id: { value: ATTACH },
};
/** What the stack outputs with Object Lock locking CALL_RECORDINGS alone: chat transcripts go to the bucket without it. */
const BY_TYPE = {
  ...BEFORE_THE_OUTPUT,
  s3_storage_bucket_ids: { value: { CALL_RECORDINGS: BUCKET, CHAT_TRANSCRIPTS: ATTACH, SCREEN_RECORDINGS: null } },
};
/** Connect's CHAT_TRANSCRIPTS association to `associated`; the newest transcript and its Contact Lens output in `holder`, a decoy in the other. */
function chatTranscriptsIn(associated: string, holder = associated): void {
  connect.on(ListInstanceStorageConfigsCommand, { ResourceType: "CHAT_TRANSCRIPTS" }).resolves({
    StorageConfigs: [
      {
        AssociationId: "a-chat",
        StorageType: "S3",
        S3Config: {
          BucketName: associated,
          BucketPrefix: "connect/ChatTranscripts",
          EncryptionConfig: { EncryptionType: "KMS", KeyId: KEY },
        },
      },
    ],
  });
  const other = holder === BUCKET ? ATTACH : BUCKET;
  s3.on(ListObjectsV2Command, { Bucket: holder, Prefix: "connect/ChatTranscripts/2026/11/28/" }).resolves({
    Contents: [{ Key: TRANSCRIPT, LastModified: new Date("2026-11-28T11:00:00Z") }],
  });
  s3.on(ListObjectsV2Command, { Bucket: holder, Prefix: "Analysis/Chat/2026/11/28/" }).resolves({
    Contents: [{ Key: CHAT_ANALYSIS, LastModified: new Date("2026-11-28T11:05:00Z") }],
  });
  s3.on(ListObjectsV2Command, { Bucket: other, Prefix: "connect/ChatTranscripts/2026/11/28/" }).resolves({
    Contents: [{ Key: TRANSCRIPT_DECOY, LastModified: new Date("2026-11-28T11:30:00Z") }],
  });
  s3.on(HeadObjectCommand, { Key: TRANSCRIPT_DECOY }).resolves({ ServerSideEncryption: "AES256" });
}

/** The buckets each S3 request of `command` went to, in order of the calls. */
const bucketsAsked = (command: Parameters<typeof s3.commandCalls>[0]): string[] =>
  s3.commandCalls(command).map((c) => (c.args[0].input as { Bucket: string }).Bucket);

test("each S3 type is checked in the bucket s3_storage_bucket_ids gives it: chat transcripts unlocked, call recordings locked", async () => {
  chatTranscriptsIn(ATTACH);
  const { code, out, err } = await run(["--outputs", "o.json"], BY_TYPE);
  expect(evidenceOf(out, "storage.CHAT_TRANSCRIPTS")).toBe(`s3://${ATTACH}/connect/ChatTranscripts with KMS ${KEY}`);
  expect(evidenceOf(out, "storage.CALL_RECORDINGS")).toBe(`s3://${BUCKET}/connect/CallRecordings with KMS ${KEY}`);
  // Objects elsewhere than the recordings bucket name their bucket; Contact Lens chat output follows the transcripts.
  expect(evidenceOf(out, "object.CHAT_TRANSCRIPTS")).toBe(`s3://${ATTACH}/${TRANSCRIPT}: aws:kms ${KEY}, Bucket Key true`);
  expect(evidenceOf(out, "object.ANALYSIS_CHAT")).toBe(`s3://${ATTACH}/${CHAT_ANALYSIS}: aws:kms ${KEY}, Bucket Key true`);
  expect(evidenceOf(out, "object.CALL_RECORDINGS")).toBe(`connect/CallRecordings/2026/11/27/newest.wav: aws:kms ${KEY}, Bucket Key true`);
  for (const id of ["storage.CHAT_TRANSCRIPTS", "storage.CALL_RECORDINGS", "object.CHAT_TRANSCRIPTS", "object.ANALYSIS_CHAT"])
    expect([id, statusOf(out, id)]).toEqual([id, "PASS"]);
  const listed = s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input);
  const bucketsUnder = (prefix: string) => new Set(listed.filter((input) => input.Prefix?.startsWith(prefix)).map((input) => input.Bucket));
  expect(bucketsUnder("connect/ChatTranscripts/")).toEqual(new Set([ATTACH]));
  expect(bucketsUnder("Analysis/Chat/")).toEqual(new Set([ATTACH]));
  expect(bucketsUnder("connect/CallRecordings/")).toEqual(new Set([BUCKET]));
  expect(bucketsUnder("Analysis/Voice/")).toEqual(new Set([BUCKET]));
  expect(s3.commandCalls(HeadObjectCommand, { Key: TRANSCRIPT_DECOY })).toHaveLength(0);
  // Both buckets hardened, each once, though attachments_bucket_id and the map both name the one without Object Lock.
  for (const command of [GetBucketEncryptionCommand, GetPublicAccessBlockCommand, GetBucketPolicyCommand, GetBucketVersioningCommand])
    expect(bucketsAsked(command)).toEqual([BUCKET, ATTACH]);
  for (const id of HARDENING) expect([id, statusOf(out, id), statusOf(out, `${id}.${ATTACH}`)]).toEqual([id, "PASS", "PASS"]);
  expect(evidenceOf(out, `bucket.encryption.${ATTACH}`)).toBe(`${ATTACH}: aws:kms ${KEY}, Bucket Key true`);
  expect(evidenceOf(out, "bucket.encryption")).toBe(`aws:kms ${KEY}, Bucket Key true`);
  expect(err).toContain(`... checking bucket ${ATTACH}`);
  expect(out).toMatch(/23 passed, 0 failed, 0 not yet, 0 could not be checked/);
  expect(code).toBe(0);
});

test.each<[string, () => void, string, string]>([
  [
    "chat transcripts associated with the locked bucket",
    () => chatTranscriptsIn(BUCKET, ATTACH),
    "CHAT_TRANSCRIPTS",
    `s3://${BUCKET}/connect/ChatTranscripts with KMS ${KEY}; the stack gives it ${ATTACH}`,
  ],
  [
    "call recordings associated with the bucket without Object Lock",
    () => {
      chatTranscriptsIn(ATTACH);
      connect.on(ListInstanceStorageConfigsCommand, { ResourceType: "CALL_RECORDINGS" }).resolves({
        StorageConfigs: [
          {
            AssociationId: "a-call",
            StorageType: "S3",
            S3Config: {
              BucketName: ATTACH,
              BucketPrefix: "connect/CallRecordings",
              EncryptionConfig: { EncryptionType: "KMS", KeyId: KEY },
            },
          },
        ],
      });
    },
    "CALL_RECORDINGS",
    `s3://${ATTACH}/connect/CallRecordings with KMS ${KEY}; the stack gives it ${BUCKET}`,
  ],
])("with s3_storage_bucket_ids, %s fails, naming the bucket the stack gives the type", async (_, associate, type, evidence) => {
  associate();
  const { code, out } = await run(["--outputs", "o.json"], BY_TYPE);
  expect(statusOf(out, `storage.${type}`)).toBe("FAIL");
  expect(evidenceOf(out, `storage.${type}`)).toBe(evidence);
  expect(code).toBe(1);
});

test.each([
  ["absent", BEFORE_THE_OUTPUT],
  ["null", { ...BEFORE_THE_OUTPUT, s3_storage_bucket_ids: { value: null } }],
])("without s3_storage_bucket_ids (%s: a stack deployed before it), types are checked as before", async (_, outputs) => {
  // Then attachments had their bucket, and every other type was in the recordings bucket.
  chatTranscriptsIn(BUCKET);
  attachmentsAssociatedTo(ATTACH);
  const withAttachments = {
    ...outputs,
    storage_association_ids: { value: { ...outputs.storage_association_ids.value, ATTACHMENTS: "a-attach" } },
  };
  const { code, out } = await run(["--outputs", "o.json"], withAttachments);
  for (const id of [
    "storage.CHAT_TRANSCRIPTS",
    "object.CHAT_TRANSCRIPTS",
    "object.ANALYSIS_CHAT",
    "storage.ATTACHMENTS",
    "object.ATTACHMENTS",
  ])
    expect([id, statusOf(out, id)]).toEqual([id, "PASS"]);
  expect(evidenceOf(out, "object.CHAT_TRANSCRIPTS")).toBe(`${TRANSCRIPT}: aws:kms ${KEY}, Bucket Key true`);
  expect(evidenceOf(out, "object.ATTACHMENTS")).toBe(`s3://${ATTACH}/${ATTACHMENT}: aws:kms ${KEY}, Bucket Key true`);
  // attachments_bucket_id alone still names a bucket to harden.
  expect(bucketsAsked(GetBucketEncryptionCommand)).toEqual([BUCKET, ATTACH]);
  expect(code).toBe(0);
});

test.each<[string, unknown, string]>([
  ["a list", [BUCKET, ATTACH], "a list"],
  ["a string", BUCKET, "a string"],
  ["a number for a type", { CALL_RECORDINGS: 42, CHAT_TRANSCRIPTS: ATTACH }, "CALL_RECORDINGS: 42"],
  ["an object for a type", { CALL_RECORDINGS: BUCKET, CHAT_TRANSCRIPTS: { bucket: ATTACH } }, `CHAT_TRANSCRIPTS: {"bucket":"${ATTACH}"}`],
])("s3_storage_bucket_ids as %s is refused before any AWS call, saying what it is", async (_, value, what) => {
  expect(await run(["--outputs", "o.json"], { ...BY_TYPE, s3_storage_bucket_ids: { value } })).toEqual({
    code: 2,
    out: "",
    err: `verify: the output s3_storage_bucket_ids is not a map from storage type to a string or null (${what}) (give the stack's or the module's outputs)\n`,
  });
  expect(sts.calls()).toHaveLength(0);
});

test.each<[string, () => void, string]>([
  [
    "bucket.encryption",
    () =>
      s3
        .on(GetBucketEncryptionCommand, { Bucket: ATTACH })
        .resolves({ ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }] } }),
    `${ATTACH}: AES256`,
  ],
  [
    "bucket.public-access",
    () =>
      s3.on(GetPublicAccessBlockCommand, { Bucket: ATTACH }).resolves({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: false,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      }),
    `${ATTACH}: blocks: on, off, on, on`,
  ],
  [
    "bucket.tls",
    () => s3.on(GetBucketPolicyCommand, { Bucket: ATTACH }).resolves({ Policy: JSON.stringify({ Statement: [] }) }),
    `${ATTACH}: no Deny on aws:SecureTransport = false`,
  ],
  [
    "bucket.versioning",
    () => s3.on(GetBucketVersioningCommand, { Bucket: ATTACH }).resolves({ Status: "Suspended" }),
    `${ATTACH}: versioning Suspended`,
  ],
])(
  "%s fails on the bucket without Object Lock under an ID naming it, while the recordings bucket passes",
  async (id, breakIt, evidence) => {
    chatTranscriptsIn(ATTACH);
    breakIt();
    const { code, out } = await run(["--outputs", "o.json"], BY_TYPE);
    expect(statusOf(out, `${id}.${ATTACH}`)).toBe("FAIL");
    expect(evidenceOf(out, `${id}.${ATTACH}`)).toContain(evidence);
    expect(statusOf(out, id)).toBe("PASS");
    expect(code).toBe(1);
  },
);

test("a missing permission on the bucket without Object Lock is an error on its own check, naming the bucket and the action", async () => {
  chatTranscriptsIn(ATTACH);
  s3.on(GetBucketPolicyCommand, { Bucket: ATTACH }).rejects(
    Object.assign(new Error("Access Denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }),
  );
  const { code, out } = await run(["--outputs", "o.json"], BY_TYPE);
  expect(statusOf(out, `bucket.tls.${ATTACH}`)).toBe("ERROR");
  expect(evidenceOf(out, `bucket.tls.${ATTACH}`)).toBe("missing permission s3:GetBucketPolicy");
  expect(statusOf(out, "bucket.tls")).toBe("PASS");
  expect(code).toBe(1);
});

// --- lifecycle and replication on the bucket without Object Lock (prod configures both) ---

/** A stack of this version with both buckets and a disaster-recovery copy: each bucket has its own replica. */
const BOTH_COPIED = {
  ...BY_TYPE,
  replica_bucket_id: { value: REPLICA },
  replica_key_arn: { value: REPLICA_KEY },
  replica_unlocked_bucket_id: { value: UNLOCKED_REPLICA },
};

/** The replication configuration S3 answers for a bucket whose one rule copies SSE-KMS objects into `replica`. */
const replicationTo = (replica: string) => ({
  ReplicationConfiguration: {
    Role: "r",
    Rules: [
      {
        Status: "Enabled" as const,
        SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: "Enabled" as const } },
        Destination: { Bucket: `arn:aws:s3:::${replica}`, EncryptionConfiguration: { ReplicaKmsKeyID: REPLICA_KEY } },
      },
    ],
  },
});

const notFound = (name: string): Error => Object.assign(new Error(`${name} (recorded)`), { name, $metadata: { httpStatusCode: 404 } });

/**
 * prod's controls answered healthy for both buckets: lifecycle rules, Object
 * Lock on the recordings bucket, each bucket's rule into its own replica. The
 * newest object is chat analysis in the bucket without Object Lock, copied
 * into that bucket's replica; prod rotates every 180 days.
 */
function controlsOnBothBuckets(): void {
  chatTranscriptsIn(ATTACH);
  kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true, RotationPeriodInDays: 180 });
  s3.on(GetBucketLifecycleConfigurationCommand).resolves({ Rules: [{ ID: "bucket-wide-retention", Status: "Enabled" }] });
  s3.on(GetObjectLockConfigurationCommand, { Bucket: BUCKET }).resolves({
    ObjectLockConfiguration: { ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: "COMPLIANCE", Years: 7 } } },
  });
  s3.on(GetBucketReplicationCommand, { Bucket: BUCKET }).resolves(replicationTo(REPLICA));
  s3.on(GetBucketReplicationCommand, { Bucket: ATTACH }).resolves(replicationTo(UNLOCKED_REPLICA));
  s3.on(HeadObjectCommand, { Bucket: ATTACH }).resolves({
    ServerSideEncryption: "aws:kms",
    SSEKMSKeyId: KEY,
    BucketKeyEnabled: true,
    ReplicationStatus: "COMPLETED",
  });
  s3.on(HeadObjectCommand, { Bucket: UNLOCKED_REPLICA }).resolves({
    ServerSideEncryption: "aws:kms",
    SSEKMSKeyId: REPLICA_KEY,
    BucketKeyEnabled: true,
    ReplicationStatus: "REPLICA",
  });
}

test("with both buckets, lifecycle and replication are checked on each, once; the bucket without Object Lock's under IDs naming it", async () => {
  controlsOnBothBuckets();
  const { code, out } = await run(["prod"], BOTH_COPIED);
  for (const id of ["bucket.lifecycle", "bucket.replication"])
    expect([id, statusOf(out, id), statusOf(out, `${id}.${ATTACH}`)]).toEqual([id, "PASS", "PASS"]);
  // The recordings bucket's evidence as before; the other's starts with its name, and its copy goes to its own replica.
  expect(evidenceOf(out, "bucket.lifecycle")).toBe("1 enabled rule(s): bucket-wide-retention");
  expect(evidenceOf(out, `bucket.lifecycle.${ATTACH}`)).toBe(`${ATTACH}: 1 enabled rule(s): bucket-wide-retention`);
  expect(evidenceOf(out, "bucket.replication")).toBe(`to arn:aws:s3:::${REPLICA} under ${REPLICA_KEY}`);
  expect(evidenceOf(out, `bucket.replication.${ATTACH}`)).toBe(`${ATTACH}: to arn:aws:s3:::${UNLOCKED_REPLICA} under ${REPLICA_KEY}`);
  // Object Lock is the recordings bucket's alone: the other bucket is the one without it.
  expect(statusOf(out, "bucket.object-lock")).toBe("PASS");
  expect(statusOf(out, `bucket.object-lock.${ATTACH}`)).toBe("(missing)");
  expect(bucketsAsked(GetObjectLockConfigurationCommand)).toEqual([BUCKET]);
  // Each bucket once, though attachments_bucket_id and s3_storage_bucket_ids both name the one without Object Lock.
  expect(bucketsAsked(GetBucketLifecycleConfigurationCommand)).toEqual([BUCKET, ATTACH]);
  // The last: replication.object reading where the newest object's copy is.
  expect(bucketsAsked(GetBucketReplicationCommand)).toEqual([BUCKET, ATTACH, ATTACH]);
  expect(statusOf(out, "replication.object")).toBe("PASS");
  expect(code).toBe(0);
});

test.each<[string, Record<string, unknown>, string, string]>([
  [
    "into the locked replica fails, saying why",
    BOTH_COPIED,
    REPLICA,
    `; that is the replica with Object Lock (replica_bucket_id), whose default retention would lock every copy; the stack gives it ${UNLOCKED_REPLICA}`,
  ],
  [
    "into the locked replica, for a stack from before replica_unlocked_bucket_id, fails too",
    { ...BOTH_COPIED, replica_unlocked_bucket_id: { value: null } },
    REPLICA,
    "; that is the replica with Object Lock (replica_bucket_id), whose default retention would lock every copy",
  ],
  [
    "into a bucket other than replica_unlocked_bucket_id fails, naming the one the stack gives it",
    BOTH_COPIED,
    `${UNLOCKED_REPLICA}-old`,
    `; the stack gives it ${UNLOCKED_REPLICA}`,
  ],
])("the bucket without Object Lock replicating %s", async (_, outputs, destination, why) => {
  controlsOnBothBuckets();
  s3.on(GetBucketReplicationCommand, { Bucket: ATTACH }).resolves(replicationTo(destination));
  const { code, out } = await run(["prod"], outputs);
  expect(statusOf(out, `bucket.replication.${ATTACH}`)).toBe("FAIL");
  expect(evidenceOf(out, `bucket.replication.${ATTACH}`)).toBe(`${ATTACH}: to arn:aws:s3:::${destination} under ${REPLICA_KEY}${why}`);
  expect(statusOf(out, "bucket.replication")).toBe("PASS");
  expect(code).toBe(1);
});

test("without replica_unlocked_bucket_id (a stack from before it), a replica other than the locked one passes", async () => {
  controlsOnBothBuckets();
  const { out } = await run(["prod"], { ...BOTH_COPIED, replica_unlocked_bucket_id: { value: null } });
  expect(statusOf(out, `bucket.replication.${ATTACH}`)).toBe("PASS");
  expect(evidenceOf(out, `bucket.replication.${ATTACH}`)).toBe(`${ATTACH}: to arn:aws:s3:::${UNLOCKED_REPLICA} under ${REPLICA_KEY}`);
});

test.each<[string, string, () => void, string]>([
  [
    "bucket.lifecycle",
    "no lifecycle configuration",
    () => s3.on(GetBucketLifecycleConfigurationCommand, { Bucket: ATTACH }).rejects(notFound("NoSuchLifecycleConfiguration")),
    `${ATTACH}: no lifecycle configuration`,
  ],
  [
    "bucket.lifecycle",
    "only disabled lifecycle rules",
    () =>
      s3
        .on(GetBucketLifecycleConfigurationCommand, { Bucket: ATTACH })
        .resolves({ Rules: [{ ID: "bucket-wide-retention", Status: "Disabled" }] }),
    `${ATTACH}: 0 enabled rule(s):`,
  ],
  [
    "bucket.replication",
    "no replication configuration",
    () => s3.on(GetBucketReplicationCommand, { Bucket: ATTACH }).rejects(notFound("ReplicationConfigurationNotFoundError")),
    `${ATTACH}: no replication configuration`,
  ],
])(
  "%s fails on the bucket without Object Lock under its own ID with %s, while the recordings bucket passes",
  async (id, _, breakIt, evidence) => {
    controlsOnBothBuckets();
    breakIt();
    const { code, out } = await run(["prod"], BOTH_COPIED);
    expect(statusOf(out, `${id}.${ATTACH}`)).toBe("FAIL");
    expect(evidenceOf(out, `${id}.${ATTACH}`)).toBe(evidence);
    expect(statusOf(out, id)).toBe("PASS");
    expect(code).toBe(1);
  },
);

test("without the second bucket (absent, or null as the module gives it), prod's checks are those of before, on the recordings bucket only", async () => {
  const replicated = { ...OUTPUTS, replica_bucket_id: { value: REPLICA }, replica_key_arn: { value: REPLICA_KEY } };
  const moduleWithout = {
    ...replicated,
    attachments_bucket_id: { value: null },
    s3_storage_bucket_ids: { value: { CALL_RECORDINGS: BUCKET, CHAT_TRANSCRIPTS: null } },
    replica_unlocked_bucket_id: { value: null },
  };
  const reports = [];
  for (const outputs of [replicated, moduleWithout]) {
    // Afresh for each run: the recorded grants are answered once, page by page.
    healthy();
    controlsOnBothBuckets();
    s3.on(HeadObjectCommand, { Bucket: BUCKET }).resolves({
      ServerSideEncryption: "aws:kms",
      SSEKMSKeyId: KEY,
      BucketKeyEnabled: true,
      ReplicationStatus: "COMPLETED",
    });
    s3.on(HeadObjectCommand, { Bucket: REPLICA }).resolves({
      ServerSideEncryption: "aws:kms",
      SSEKMSKeyId: REPLICA_KEY,
      ReplicationStatus: "REPLICA",
    });
    const { code, out } = await run(["prod", "--json"], outputs);
    expect(code).toBe(0);
    for (const command of [GetBucketLifecycleConfigurationCommand, GetObjectLockConfigurationCommand, GetBucketReplicationCommand])
      expect(bucketsAsked(command)).toEqual([BUCKET]);
    reports.push(JSON.parse(out).checks);
  }
  expect(reports[1]).toEqual(reports[0]);
  expect(reports[0].map((c: { id: string }) => c.id)).toEqual([
    "key.state",
    "key.rotation",
    "key.policy",
    "key.grants",
    "storage.CALL_RECORDINGS",
    "storage.MEDIA_STREAMS",
    "storage.AGENT_EVENTS",
    "storage.CONTACT_TRACE_RECORDS",
    "bucket.encryption",
    "bucket.public-access",
    "bucket.tls",
    "bucket.versioning",
    "bucket.lifecycle",
    "bucket.object-lock",
    "bucket.replication",
    "object.CALL_RECORDINGS",
    "object.ANALYSIS_VOICE",
    "object.ANALYSIS_CHAT",
    "kinesis.AGENT_EVENTS",
    "firehose.CONTACT_TRACE_RECORDS",
    "replication.object",
  ]);
});

describe("the optional controls", () => {
  beforeEach(controlled);

  test("with every control on, each control passes with its evidence", async () => {
    const { code, out, err } = await run(["--outputs", "o.json"], CONTROLS);
    for (const id of CONTROL_IDS) expect([id, statusOf(out, id)]).toEqual([id, "PASS"]);
    expect(code).toBe(0);
    expect(out).toMatch(/23 passed, 0 failed, 1 not yet, 0 could not be checked/);
    // the newest object of the bucket, whichever prefix it is under; its copy in the replica's Region
    expect(evidenceOf(out, "replication.object")).toBe(
      `${NEWEST}: replication COMPLETED; s3://${REPLICA}/${NEWEST}: REPLICA, aws:kms ${REPLICA_KEY}`,
    );
    const replicaHead = s3.commandCalls(HeadObjectCommand, { Bucket: REPLICA });
    expect(replicaHead).toHaveLength(1);
    expect(await (replicaHead[0].thisValue as S3Client).config.region()).toBe("eu-west-1");
    expect(evidenceOf(out, "alerts.topic-key")).toBe(`${TOPIC}: ${ALERTS_KEY}`);
    expect(evidenceOf(out, "alerts.key")).toBe(`${ALERTS_KEY}: Enabled, rotation true`);
    expect(evidenceOf(out, "alerts.dead-letter-queue")).toBe(`${QUEUE}: ${ALERTS_KEY}`);
    // The queue's URL is asked of SQS, by name and owner from the ARN, and the answer is what is read.
    const [urlCall, ...moreUrlCalls] = sqs.commandCalls(GetQueueUrlCommand);
    expect(moreUrlCalls).toHaveLength(0);
    expect(urlCall.args[0].input).toEqual({ QueueName: "acme-connect-prod-key-misuse-dlq", QueueOwnerAWSAccountId: ACCOUNT });
    const [attributesCall, ...moreAttributeCalls] = sqs.commandCalls(GetQueueAttributesCommand);
    expect(moreAttributeCalls).toHaveLength(0);
    expect(attributesCall.args[0].input).toEqual({ QueueUrl: QUEUE_URL, AttributeNames: ["KmsMasterKeyId"] });
    // Both through the one SQS client, so whatever endpoint it is configured with answers both.
    expect(attributesCall.thisValue).toBe(urlCall.thisValue);
    expect(sqs.calls().map((c) => c.args[0].constructor)).toEqual([GetQueueUrlCommand, GetQueueAttributesCommand]);
    expect(evidenceOf(out, "alerts.trail")).toBe(`${TRAIL}: logging write management events of every Region`);
    expect(cloudtrail.commandCalls(DescribeTrailsCommand, { includeShadowTrails: true })).toHaveLength(2);
    expect(evidenceOf(out, "alerts.own-trail")).toBe(
      `${TRAIL}: logging write management events, multi-Region true, log file validation true, ${TRAIL_KEY}`,
    );
    expect(evidenceOf(out, "profiles.domain")).toBe(`${DOMAIN}: ${KEY}`);
    expect(err).toContain("... checking the key-misuse alerts and the trail that feeds them");
  });

  test("the newest object, an attachment in its own bucket, is headed there, and its copy in that bucket's own replica", async () => {
    attachmentsAssociatedTo(ATTACH);
    s3.on(HeadObjectCommand, { Bucket: ATTACH }).resolves({
      ServerSideEncryption: "aws:kms",
      SSEKMSKeyId: KEY,
      BucketKeyEnabled: true,
      ReplicationStatus: "COMPLETED",
    });
    // The bucket without Object Lock replicates into a replica without it, which no output names: its rule says where.
    unlockedReplicatesTo(`arn:aws:s3:::${UNLOCKED_REPLICA}`);
    const { code, out } = await run(["--outputs", "o.json"], { ...CONTROLS, ...WITH_ATTACHMENTS });
    expect(evidenceOf(out, "replication.object")).toBe(
      `s3://${ATTACH}/${ATTACHMENT}: replication COMPLETED; s3://${UNLOCKED_REPLICA}/${ATTACHMENT}: REPLICA, aws:kms ${REPLICA_KEY}`,
    );
    expect(s3.commandCalls(HeadObjectCommand, { Bucket: BUCKET, Key: ATTACHMENT })).toHaveLength(0);
    expect(s3.commandCalls(HeadObjectCommand, { Bucket: ATTACH, Key: ATTACHMENT })).toHaveLength(2);
    expect(s3.commandCalls(HeadObjectCommand, { Bucket: REPLICA })).toHaveLength(0);
    const replicaHead = s3.commandCalls(HeadObjectCommand, { Bucket: UNLOCKED_REPLICA, Key: ATTACHMENT });
    expect(replicaHead).toHaveLength(1);
    expect(await (replicaHead[0].thisValue as S3Client).config.region()).toBe("eu-west-1");
    expect(statusOf(out, "replication.object")).toBe("PASS");
    expect(code).toBe(0);
  });

  test("an object in the bucket without Object Lock, which has no replication rule, fails replication naming that bucket", async () => {
    attachmentsAssociatedTo(ATTACH);
    s3.on(HeadObjectCommand, { Bucket: ATTACH }).resolves({
      ServerSideEncryption: "aws:kms",
      SSEKMSKeyId: KEY,
      BucketKeyEnabled: true,
      ReplicationStatus: "COMPLETED",
    });
    s3.on(GetBucketReplicationCommand, { Bucket: ATTACH }).rejects(
      Object.assign(new Error("The replication configuration was not found"), {
        name: "ReplicationConfigurationNotFoundError",
        $metadata: { httpStatusCode: 404 },
      }),
    );
    const { code, out } = await run(["--outputs", "o.json"], { ...CONTROLS, ...WITH_ATTACHMENTS });
    expect(statusOf(out, "replication.object")).toBe("FAIL");
    expect(evidenceOf(out, "replication.object")).toBe(
      `s3://${ATTACH}/${ATTACHMENT}: replication COMPLETED, but ${ATTACH} has no enabled replication rule naming its replica`,
    );
    expect(code).toBe(1);
  });

  test("keys stored as an alias or an ID are compared as ARNs; a shadow trail of every Region with advanced selectors counts", async () => {
    sns.on(GetTopicAttributesCommand).resolves({ Attributes: { KmsMasterKeyId: "alias/acme-connect-prod-alerts" } });
    kms.on(DescribeKeyCommand, { KeyId: "alias/acme-connect-prod-alerts" }).resolves({ KeyMetadata: { KeyId: "a", Arn: ALERTS_KEY } });
    profiles.on(GetDomainCommand).resolves({ DefaultEncryptionKey: "0a1b2c3d-0000-4000-8000-000000000001" } as never);
    const shadow = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/organization`;
    cloudtrail.on(DescribeTrailsCommand).resolves({
      trailList: [
        { TrailARN: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/ireland-only`, HomeRegion: "eu-west-1", IsMultiRegionTrail: false },
        { TrailARN: shadow, HomeRegion: "us-east-1", IsMultiRegionTrail: true },
      ],
    });
    cloudtrail.on(GetEventSelectorsCommand).resolves({
      AdvancedEventSelectors: [
        {
          Name: "Management events",
          FieldSelectors: [
            { Field: "eventCategory", Equals: ["Management"] },
            { Field: "eventSource", NotEquals: ["rdsdata.amazonaws.com"] },
          ],
        },
      ],
    });
    const { code, out } = await run(["--outputs", "o.json"], { ...CONTROLS, alerts_trail_arn: { value: null } });
    expect(code).toBe(0);
    expect(evidenceOf(out, "alerts.topic-key")).toBe(`${TOPIC}: alias/acme-connect-prod-alerts (${ALERTS_KEY})`);
    expect(evidenceOf(out, "profiles.domain")).toBe(`${DOMAIN}: 0a1b2c3d-0000-4000-8000-000000000001 (${KEY})`);
    expect(evidenceOf(out, "alerts.trail")).toBe(`${shadow}: logging write management events of every Region`);
    // the Ireland-only trail does not cover eu-west-2, so it is not asked about
    expect(cloudtrail.commandCalls(GetTrailStatusCommand).map((c) => c.args[0].input)).toEqual([{ Name: shadow }]);
  });

  test.each<[string, () => void, string]>([
    [
      "replication.object",
      () => s3.on(HeadObjectCommand, { Bucket: BUCKET }).resolves({ ServerSideEncryption: "aws:kms", ReplicationStatus: "FAILED" }),
      `${NEWEST}: replication FAILED: S3 could not copy it`,
    ],
    [
      "replication.object",
      () => s3.on(HeadObjectCommand, { Bucket: BUCKET }).resolves({ ServerSideEncryption: "aws:kms" }),
      `${NEWEST}: replication status absent: no replication rule covers it, though replication is configured`,
    ],
    [
      "replication.object",
      () =>
        s3
          .on(HeadObjectCommand, { Bucket: REPLICA })
          .resolves({ ServerSideEncryption: "aws:kms", SSEKMSKeyId: KEY, ReplicationStatus: "REPLICA" }),
      `s3://${REPLICA}/${NEWEST}: REPLICA, aws:kms ${KEY}`,
    ],
    [
      "replication.object",
      () =>
        s3
          .on(HeadObjectCommand, { Bucket: REPLICA })
          .rejects(Object.assign(new Error("NotFound"), { name: "NotFound", $metadata: { httpStatusCode: 404 } })),
      `${NEWEST}: replication COMPLETED, but s3://${REPLICA}/${NEWEST} is not there`,
    ],
    [
      "alerts.topic-key",
      () => sns.on(GetTopicAttributesCommand).resolves({ Attributes: { KmsMasterKeyId: KEY } }),
      `${TOPIC}: ${KEY}, the key the alerts watch`,
    ],
    [
      "alerts.topic-key",
      () => sns.on(GetTopicAttributesCommand).resolves({ Attributes: {} }),
      `${TOPIC}: not encrypted (no KmsMasterKeyId)`,
    ],
    [
      "alerts.topic-key",
      () => {
        sns.on(GetTopicAttributesCommand).resolves({ Attributes: { KmsMasterKeyId: "alias/aws/sns" } });
        kms.on(DescribeKeyCommand, { KeyId: "alias/aws/sns" }).resolves({ KeyMetadata: { KeyId: "m", Arn: AWS_MANAGED_SNS_KEY } });
      },
      `${TOPIC}: alias/aws/sns (${AWS_MANAGED_SNS_KEY})`,
    ],
    [
      "alerts.key",
      () =>
        kms
          .on(DescribeKeyCommand, { KeyId: ALERTS_KEY })
          .resolves({ KeyMetadata: { KeyId: "a", Arn: ALERTS_KEY, KeyState: "PendingDeletion" } }),
      `${ALERTS_KEY}: PendingDeletion, rotation true`,
    ],
    [
      "alerts.key",
      () => kms.on(GetKeyRotationStatusCommand, { KeyId: ALERTS_KEY }).resolves({ KeyRotationEnabled: false }),
      `${ALERTS_KEY}: Enabled, rotation false`,
    ],
    [
      "alerts.dead-letter-queue",
      () => sqs.on(GetQueueAttributesCommand).resolves({ Attributes: {} }),
      `${QUEUE}: no KmsMasterKeyId (not SSE-KMS)`,
    ],
    [
      "alerts.dead-letter-queue",
      () =>
        sqs
          .on(GetQueueUrlCommand)
          .rejects(Object.assign(new Error("The specified queue does not exist."), { name: "QueueDoesNotExist", $metadata: {} })),
      `${QUEUE}: not found (GetQueueUrl knows no such queue)`,
    ],
    [
      "alerts.trail",
      () =>
        cloudtrail.on(DescribeTrailsCommand, { includeShadowTrails: true, trailNameList: undefined }).resolves({
          trailList: [{ TrailARN: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/ireland-only`, HomeRegion: "eu-west-1" }],
        }),
      "key-misuse alerts need a CloudTrail trail recording management events; set alerts.createTrail or create one; 1 trail(s) of other Regions only",
    ],
    ["alerts.trail", () => cloudtrail.on(GetTrailStatusCommand).resolves({ IsLogging: false }), `${TRAIL}: not logging`],
    [
      "alerts.trail",
      () =>
        cloudtrail
          .on(GetEventSelectorsCommand)
          .resolves({ EventSelectors: [{ ReadWriteType: "ReadOnly", IncludeManagementEvents: true }] }),
      `${TRAIL}: no write management events of KMS`,
    ],
    [
      "alerts.trail",
      () =>
        cloudtrail.on(GetEventSelectorsCommand).resolves({
          EventSelectors: [{ ReadWriteType: "All", IncludeManagementEvents: true, ExcludeManagementEventSources: ["kms.amazonaws.com"] }],
        }),
      `${TRAIL}: no write management events of KMS`,
    ],
    [
      "alerts.trail",
      () =>
        cloudtrail.on(GetEventSelectorsCommand).resolves({
          AdvancedEventSelectors: [
            {
              FieldSelectors: [
                { Field: "eventCategory", Equals: ["Data"] },
                { Field: "resources.type", Equals: ["AWS::S3::Object"] },
              ],
            },
          ],
        }),
      `${TRAIL}: no write management events of KMS`,
    ],
    [
      "alerts.own-trail",
      () =>
        cloudtrail
          .on(DescribeTrailsCommand)
          .resolves({ trailList: [{ ...OWN_TRAIL, IsMultiRegionTrail: false, LogFileValidationEnabled: false, KmsKeyId: undefined }] }),
      `${TRAIL}: logging write management events, multi-Region false, log file validation false, no KMS key`,
    ],
    [
      "alerts.own-trail",
      () => cloudtrail.on(DescribeTrailsCommand, { trailNameList: [TRAIL] }).resolves({ trailList: [] }),
      `${TRAIL}: not found`,
    ],
    [
      "profiles.domain",
      () => profiles.on(GetDomainCommand).resolves({ DefaultEncryptionKey: ALERTS_KEY } as never),
      `${DOMAIN}: ${ALERTS_KEY}`,
    ],
    [
      "profiles.domain",
      () => profiles.on(GetDomainCommand).resolves({ DomainName: DOMAIN } as never),
      `${DOMAIN}: no DefaultEncryptionKey (an AWS owned key)`,
    ],
  ])("%s fails when AWS shows it broken, with the evidence, and the run exits 1", async (id, breakIt, evidence) => {
    breakIt();
    const { code, out } = await run(["--outputs", "o.json"], CONTROLS);
    expect(statusOf(out, id)).toBe("FAIL");
    expect(evidenceOf(out, id)).toContain(evidence);
    expect(code).toBe(1);
  });

  test("replication still under way, or nothing written yet, is 'not yet', not a failure", async () => {
    s3.on(HeadObjectCommand, { Bucket: BUCKET }).resolves({
      ServerSideEncryption: "aws:kms",
      SSEKMSKeyId: KEY,
      BucketKeyEnabled: true,
      ReplicationStatus: "PENDING",
    });
    const pending = await run(["--outputs", "o.json"], CONTROLS);
    expect(statusOf(pending.out, "replication.object")).toBe("NOT YET");
    expect(evidenceOf(pending.out, "replication.object")).toBe(`${NEWEST}: replication PENDING (S3 is still copying it)`);
    expect(s3.commandCalls(HeadObjectCommand, { Bucket: REPLICA })).toHaveLength(0);
    expect(pending.code).toBe(0);

    healthy(); // the recorded grants are answered once per run
    controlled();
    s3.on(ListObjectsV2Command).resolves({ Contents: [] });
    const empty = await run(["--outputs", "o.json"], CONTROLS);
    expect(statusOf(empty.out, "replication.object")).toBe("NOT YET");
    expect(evidenceOf(empty.out, "replication.object")).toBe(
      "no object to see replicated yet (before the first contact, this is expected)",
    );
    expect(empty.code).toBe(0);
  });

  test.each([
    ["absent", OUTPUTS],
    ["null", Object.fromEntries(Object.entries(CONTROLS).map(([name, value]) => [name, name in OUTPUTS ? value : { value: null }]))],
  ])("controls whose outputs are %s are off: their checks are skipped, and their services never called", async (_, outputs) => {
    const { code, out } = await run(["--outputs", "o.json"], outputs);
    expect(code).toBe(0);
    for (const id of CONTROL_IDS) expect([id, statusOf(out, id)]).toEqual([id, "(missing)"]);
    expect(out).toMatch(/16 passed, 0 failed, 1 not yet, 0 could not be checked/);
    for (const m of [cloudtrail, sns, sqs, profiles]) expect(m.calls()).toHaveLength(0);
    expect(s3.commandCalls(HeadObjectCommand, { Bucket: REPLICA })).toHaveLength(0);
  });

  test("the trail check runs whenever the alerts exist, even when the stack created no trail", async () => {
    const { code, out } = await run(["--outputs", "o.json"], {
      ...OUTPUTS,
      alerts_topic_arn: { value: TOPIC },
      alerts_key_arn: { value: ALERTS_KEY },
    });
    expect(code).toBe(0);
    for (const id of ["alerts.topic-key", "alerts.key", "alerts.trail"]) expect([id, statusOf(out, id)]).toEqual([id, "PASS"]);
    for (const id of ["alerts.dead-letter-queue", "alerts.own-trail", "replication.object", "profiles.domain"])
      expect(statusOf(out, id)).toBe("(missing)");
  });

  test.each<[string, string, () => void]>([
    [
      "replication.object",
      "s3:GetObject",
      () => s3.on(HeadObjectCommand, { Bucket: REPLICA }).rejects(denied("s3:GetObject", "AccessDenied")),
    ],
    [
      "alerts.topic-key",
      "sns:GetTopicAttributes",
      () => sns.on(GetTopicAttributesCommand).rejects(denied("sns:GetTopicAttributes", "AuthorizationErrorException")),
    ],
    [
      "alerts.topic-key",
      "kms:DescribeKey",
      () => {
        sns.on(GetTopicAttributesCommand).resolves({ Attributes: { KmsMasterKeyId: "alias/acme-connect-prod-alerts" } });
        kms.on(DescribeKeyCommand, { KeyId: "alias/acme-connect-prod-alerts" }).rejects(denied("kms:DescribeKey"));
      },
    ],
    [
      "alerts.key",
      "kms:GetKeyRotationStatus",
      () => kms.on(GetKeyRotationStatusCommand, { KeyId: ALERTS_KEY }).rejects(denied("kms:GetKeyRotationStatus")),
    ],
    [
      "alerts.dead-letter-queue",
      "sqs:GetQueueAttributes",
      () => sqs.on(GetQueueAttributesCommand).rejects(denied("sqs:GetQueueAttributes", "AccessDenied")),
    ],
    ["alerts.dead-letter-queue", "sqs:GetQueueUrl", () => sqs.on(GetQueueUrlCommand).rejects(denied("sqs:GetQueueUrl", "AccessDenied"))],
    ["alerts.trail", "cloudtrail:DescribeTrails", () => cloudtrail.on(DescribeTrailsCommand).rejects(denied("cloudtrail:DescribeTrails"))],
    ["alerts.trail", "cloudtrail:GetTrailStatus", () => cloudtrail.on(GetTrailStatusCommand).rejects(denied("cloudtrail:GetTrailStatus"))],
    [
      "alerts.own-trail",
      "cloudtrail:GetEventSelectors",
      () => cloudtrail.on(GetEventSelectorsCommand).rejects(denied("cloudtrail:GetEventSelectors")),
    ],
    ["profiles.domain", "profile:GetDomain", () => profiles.on(GetDomainCommand).rejects(denied("profile:GetDomain"))],
  ])("%s reports a missing %s on itself, and the other checks still run", async (id, action, deny) => {
    deny();
    const { code, out } = await run(["--outputs", "o.json"], CONTROLS);
    expect(statusOf(out, id)).toBe("ERROR");
    expect(evidenceOf(out, id)).toBe(`missing permission ${action}`);
    expect(statusOf(out, "bucket.encryption")).toBe("PASS");
    expect(code).toBe(1);
  });

  test("an SQS error on GetQueueUrl is the dead-letter check's one line, and no queue is read at a guessed URL", async () => {
    sqs.on(GetQueueUrlCommand).rejects(
      Object.assign(new Error("The address is not valid for this endpoint."), {
        name: "InvalidAddress",
        $metadata: { httpStatusCode: 404 },
      }),
    );
    const { code, out } = await run(["--outputs", "o.json"], CONTROLS);
    expect(statusOf(out, "alerts.dead-letter-queue")).toBe("ERROR");
    expect(evidenceOf(out, "alerts.dead-letter-queue")).toBe("InvalidAddress: The address is not valid for this endpoint.");
    expect(sqs.commandCalls(GetQueueAttributesCommand)).toHaveLength(0);
    expect(statusOf(out, "alerts.topic-key")).toBe("PASS");
    expect(code).toBe(1);
  });

  test("an optional output that is not a string is refused before any AWS call", async () => {
    expect(await run(["--outputs", "o.json"], { ...OUTPUTS, alerts_topic_arn: { value: { arn: TOPIC } } })).toMatchObject({
      code: 2,
      err: "verify: the output alerts_topic_arn is not a string (an object) (give the stack's or the module's outputs)\n",
    });
    expect(sts.calls()).toHaveLength(0);
  });

  test("the verifier's IAM policy grants every action the control checks call", () => {
    const policy = JSON.parse(readFileSync("examples/verifier-iam-policy.json", "utf8"));
    const granted: string[] = policy.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
    const called = [...readFileSync("modules/cli/verify/checks-controls.ts", "utf8").matchAll(/call\("([a-z0-9]+:[A-Za-z]+)"/g)].map(
      (m) => m[1],
    );
    expect(new Set(called)).toEqual(
      new Set([
        "kms:DescribeKey",
        "kms:GetKeyRotationStatus",
        "s3:GetObject",
        "s3:GetReplicationConfiguration",
        "sns:GetTopicAttributes",
        "sqs:GetQueueUrl",
        "sqs:GetQueueAttributes",
        "cloudtrail:DescribeTrails",
        "cloudtrail:GetTrailStatus",
        "cloudtrail:GetEventSelectors",
        "profile:GetDomain",
      ]),
    );
    for (const action of called) expect(granted).toContain(action);
  });
});

test("--help and -h print the usage and exit 0, before anything is read", async () => {
  for (const flag of ["--help", "-h"]) {
    const result = await run([flag]);
    expect(result).toEqual({ code: 0, out: `${VERIFY_USAGE}\n`, err: "" });
  }
  expect(VERIFY_USAGE).toMatch(/^Usage: npm run verify -- <environment>/);
  expect(sts.calls()).toHaveLength(0);
});

test("an environment that was never deployed says so, with the command that deploys it", async () => {
  for (const never of [{}, undefined]) {
    let err = "";
    const io: Io = {
      ...defaultIo,
      out: () => undefined,
      err: (t) => (err += `${t}\n`),
      terraformOutputs: () => {
        if (never === undefined) throw new Error("no state");
        return never;
      },
    };
    expect(await main(["dev"], io, CONFIG)).toBe(2);
    expect(err).toBe(
      "verify: dev is not deployed yet (no outputs in cdktf.out/stacks/connect-encryption-dev): deploy it with npx cdktf deploy connect-encryption-dev, then run npm run verify -- dev again (or give --outputs <file>)\n",
    );
  }
});

test("the help documents every option the parser accepts, every environment variable verify reads, and an example", () => {
  expect(undocumentedOptions(VERIFY_USAGE, VERIFY_OPTIONS)).toEqual([]);
  const read = variablesRead("modules/cli/verify/main.ts");
  expect(read).toEqual(["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED", "CONNECT_ENCRYPTION_CONFIG"]);
  // The AWS SDK reads the credentials' variables itself; the help names them by AWS_PROFILE.
  expect(undocumentedVariables(VERIFY_USAGE, [...read, "AWS_PROFILE"])).toEqual([]);
  expect(VERIFY_USAGE).toMatch(/\nExample:\n {2}.*npm run verify -- \S+/);
});

describe("the built entry point (dist/verify.js)", () => {
  beforeAll(buildEntries);

  test("reads the declaration CONNECT_ENCRYPTION_CONFIG names, relative to the working directory or absolute", () => {
    const { cwd, relative, absolute } = declarationElsewhere();
    for (const config of [relative, absolute]) {
      const result = runEntry("verify", ["nosuch"], cwd, config);
      expect([result.status, result.stderr]).toEqual([2, `verify: nosuch is not an environment of ${config}; declared: dev, live\n`]);
    }
  });
});
