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
import { Io, defaultIo, main } from "../modules/verify/cli";

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

function healthy(): void {
  for (const m of [kms, connect, s3, kinesis, firehose, sts]) m.reset();
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
  const code = await main(args, io);
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
  expect((await run(["--bogus"])).err).toContain("unknown option --bogus");
  expect((await run([])).err).toContain("name an environment");
  expect((await run(["staging-eu"])).err).toContain("verify: staging-eu is not an environment of cdktf.json");
  expect(sts.calls()).toHaveLength(0);
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
