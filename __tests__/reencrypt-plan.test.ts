/**
 * `npm run reencrypt-plan` against recorded AWS answers (aws-sdk-client-mock,
 * no network): the survey of the adopted instance's old S3 destinations, the
 * Batch Operations jobs, role policies and runbook it writes, and that it
 * writes nothing when it cannot run. The declarations are fixtures built
 * here, never the repository's cdktf.json. A few rows evaluate the written
 * role policy with the IAM engine the access-matrix tests use.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mockClient } from "aws-sdk-client-mock";
import { ConnectClient, InstanceStorageConfig, ListInstanceStorageConfigsCommand } from "@aws-sdk/client-connect";
import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import {
  HeadObjectCommand,
  HeadObjectCommandOutput,
  ListBucketInventoryConfigurationsCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { REENCRYPT_OPTIONS, REENCRYPT_USAGE, ReencryptIo, defaultReencryptIo, reencryptMain } from "../modules/cli/reencrypt/cli";
import {
  buildEntries,
  declarationElsewhere,
  runEntry,
  undocumentedOptions,
  undocumentedVariables,
  variablesRead,
} from "./helpers/commands";
import { decide } from "../modules/invariants/iam-engine";

type Json = Record<string, any>;

const ACCOUNT = "333333333333";
const REGION = "eu-west-2";
const INSTANCE = "8c0e6b4f-3a2d-4e5f-9a1b-2c3d4e5f6a7b";
const OLD_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const OTHER_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/99999999-12ab-34cd-56ef-1234567890ab`;
const NEW_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0a1b2c3d-0000-4000-8000-000000000001`;
const ALIAS = "alias/acme-prod-connect";
const OLD_BUCKET = "amazon-connect-0123456789ab";
const NEW_BUCKET = `acme-prod-${ACCOUNT}-${REGION}`;
const LOG_BUCKET = `acme-prod-logs-${ACCOUNT}`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/acme-prod-reencrypt`;
const RECORDINGS = "connect/acme/CallRecordings/";
const id = (c: string): string => c.repeat(64);

const connect = mockClient(ConnectClient);
const kms = mockClient(KMSClient);
const sts = mockClient(STSClient);
const s3 = mockClient(S3Client);

function fixture(): Json {
  return {
    language: "typescript",
    app: "node dist/main.js",
    context: {
      connectEncryption: {
        defaults: { region: REGION, namePrefix: "acme" },
        environments: {
          dev: { instance: { create: { alias: "acme-dev" } } },
          prod: { accountId: ACCOUNT, instance: { adopt: { instance: INSTANCE, existingAssociations: {} } } },
        },
      },
    },
  };
}

function workspace(): { config: string; out: string } {
  const dir = mkdtempSync(join(tmpdir(), "connect-reencrypt-"));
  const config = join(dir, "cdktf.json");
  writeFileSync(config, JSON.stringify(fixture(), null, 2));
  return { config, out: join(dir, "cdktf.out", "reencrypt") };
}

async function run(args: string[], ws = workspace()): Promise<{ code: number; out: string; err: string; folder: string }> {
  let out = "";
  let err = "";
  const io: ReencryptIo = { ...defaultReencryptIo, out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) };
  const code = await reencryptMain(args, io, ws.config, ws.out);
  return { code, out, err, folder: join(ws.out, args[0]) };
}

const read = (folder: string, name: string): string => readFileSync(join(folder, name), "utf8");
const readJson = (folder: string, name: string): Json => JSON.parse(read(folder, name));

/** An instance whose S3 associations are those given; the key exists; no bucket has an inventory. */
function instance(associations: Partial<Record<string, { bucket: string; prefix: string; key?: string }>>): void {
  for (const m of [connect, kms, sts, s3]) m.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Planner/me` });
  kms.on(DescribeKeyCommand, { KeyId: ALIAS }).resolves({ KeyMetadata: { KeyId: "k", Arn: NEW_KEY } });
  connect.on(ListInstanceStorageConfigsCommand).resolves({ StorageConfigs: [] });
  for (const [type, a] of Object.entries(associations)) {
    const config: InstanceStorageConfig = {
      AssociationId: id(type.length.toString(16).slice(-1)),
      StorageType: "S3",
      S3Config: {
        BucketName: a!.bucket,
        BucketPrefix: a!.prefix,
        EncryptionConfig: a!.key ? { EncryptionType: "KMS", KeyId: a!.key } : undefined,
      },
    };
    connect
      .on(ListInstanceStorageConfigsCommand, { InstanceId: INSTANCE, ResourceType: type as never })
      .resolves({ StorageConfigs: [config] });
  }
  s3.on(ListBucketInventoryConfigurationsCommand).resolves({ IsTruncated: false, InventoryConfigurationList: [] });
}

/** Objects under a bucket and prefix, listed in one page, each with its encryption. */
function objects(
  bucket: string,
  entries: { key: string; head: Partial<HeadObjectCommandOutput>; storageClass?: string; size?: number }[],
): void {
  s3.on(ListObjectsV2Command, { Bucket: bucket }).resolves({
    IsTruncated: false,
    Contents: entries.map((e) => ({ Key: e.key, Size: e.size ?? 1024, StorageClass: (e.storageClass ?? "STANDARD") as never })),
  });
  for (const e of entries) s3.on(HeadObjectCommand, { Bucket: bucket, Key: e.key }).resolves(e.head as HeadObjectCommandOutput);
}

const SSE_S3 = { ServerSideEncryption: "AES256" as const };
const under = (key: string) => ({ ServerSideEncryption: "aws:kms" as const, SSEKMSKeyId: key, BucketKeyEnabled: true });

describe("npm run reencrypt-plan", () => {
  test("an instance with no S3 association: nothing to re-encrypt, nothing written", async () => {
    instance({});
    const { code, out, err, folder } = await run(["prod"]);
    expect(err).not.toMatch(/reencrypt-plan:/);
    expect(code).toBe(0);
    expect(out).toContain(`New key: ${NEW_KEY}; copies go to ${NEW_BUCKET}`);
    expect(out).toContain("The instance has no S3 association: no old destination to re-encrypt.");
    expect(out).toContain("Nothing to re-encrypt: no job written.");
    expect(existsSync(folder)).toBe(false);
    expect(s3.commandCalls(ListObjectsV2Command)).toHaveLength(0);
  });

  test("an old destination all under SSE-S3: a copy job into the environment's bucket under the new key, its manifest, role and runbook", async () => {
    instance({ CALL_RECORDINGS: { bucket: OLD_BUCKET, prefix: "connect/acme/CallRecordings" } });
    const keys = [`${RECORDINGS}2024/01/02/a.wav`, `${RECORDINGS}2024/01/02/b c+d.wav`, `${RECORDINGS}2024/01/03/e.wav`];
    objects(
      OLD_BUCKET,
      keys.map((key) => ({ key, head: SSE_S3 })),
    );
    const { code, out, folder } = await run(["prod"]);
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`s3://${OLD_BUCKET}/${RECORDINGS}\\s+CALL_RECORDINGS\\s+3\\s+3\\s+SSE-S3: 3\\n`));
    expect(out).toContain(`Wrote 1 Batch Operations job(s), the role acme-prod-reencrypt's policies and the runbook to ${folder}/`);
    expect(readdirSync(folder).sort()).toEqual([
      "README.md",
      "job-CALL_RECORDINGS.json",
      "manifest-CALL_RECORDINGS.csv",
      "permissions-policy.json",
      "trust-policy.json",
    ]);
    // The listing asked for the association's prefix as a folder.
    expect(s3.commandCalls(ListObjectsV2Command)[0].args[0].input).toMatchObject({ Bucket: OLD_BUCKET, Prefix: RECORDINGS });

    const manifest = read(folder, "manifest-CALL_RECORDINGS.csv");
    expect(manifest).toBe(
      [
        `${OLD_BUCKET},connect%2Facme%2FCallRecordings%2F2024%2F01%2F02%2Fa.wav`,
        `${OLD_BUCKET},connect%2Facme%2FCallRecordings%2F2024%2F01%2F02%2Fb%20c%2Bd.wav`,
        `${OLD_BUCKET},connect%2Facme%2FCallRecordings%2F2024%2F01%2F03%2Fe.wav`,
        "",
      ].join("\n"),
    );
    const manifestKey = "batch-reencrypt/manifests/prod/manifest-CALL_RECORDINGS.csv";
    const job = readJson(folder, "job-CALL_RECORDINGS.json");
    const { ClientRequestToken, ...rest } = job;
    expect(ClientRequestToken).toMatch(/^[0-9a-f]{64}$/);
    expect(rest).toEqual({
      AccountId: ACCOUNT,
      ConfirmationRequired: true,
      Operation: {
        S3PutObjectCopy: {
          TargetResource: `arn:aws:s3:::${NEW_BUCKET}`,
          MetadataDirective: "COPY",
          NewObjectMetadata: { SSEAlgorithm: "KMS" },
          SSEAwsKmsKeyId: NEW_KEY,
          BucketKeyEnabled: true,
          StorageClass: "STANDARD",
        },
      },
      Manifest: {
        Spec: { Format: "S3BatchOperations_CSV_20180820", Fields: ["Bucket", "Key"] },
        Location: { ObjectArn: `arn:aws:s3:::${LOG_BUCKET}/${manifestKey}`, ETag: createHash("md5").update(manifest).digest("hex") },
      },
      Report: {
        Bucket: `arn:aws:s3:::${LOG_BUCKET}`,
        Prefix: "batch-reencrypt",
        Format: "Report_CSV_20180820",
        Enabled: true,
        ReportScope: "AllTasks",
      },
      Priority: 10,
      RoleArn: ROLE,
      Description: "acme-prod re-encrypt CALL_RECORDINGS",
    });

    expect(readJson(folder, "trust-policy.json")).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "BatchOperationsOfThisAccount",
          Effect: "Allow",
          Principal: { Service: "batchoperations.s3.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
        },
      ],
    });
    const viaS3 = { StringEquals: { "kms:ViaService": `s3.${REGION}.amazonaws.com` } };
    expect(readJson(folder, "permissions-policy.json").Statement).toEqual([
      {
        Sid: "ReadTheOldObjects",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:GetObjectTagging"],
        Resource: [`arn:aws:s3:::${OLD_BUCKET}/${RECORDINGS}*`],
      },
      {
        Sid: "WriteTheCopiesUnderTheNewKey",
        Effect: "Allow",
        Action: "s3:PutObject",
        Resource: [`arn:aws:s3:::${NEW_BUCKET}/${RECORDINGS}*`],
        Condition: {
          StringEquals: { "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": NEW_KEY },
        },
      },
      { Sid: "CopyTheTags", Effect: "Allow", Action: "s3:PutObjectTagging", Resource: [`arn:aws:s3:::${NEW_BUCKET}/${RECORDINGS}*`] },
      {
        Sid: "ReadTheManifests",
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: [`arn:aws:s3:::${LOG_BUCKET}/batch-reencrypt/manifests/prod/*`],
      },
      {
        Sid: "WriteTheCompletionReports",
        Effect: "Allow",
        Action: "s3:PutObject",
        Resource: `arn:aws:s3:::${LOG_BUCKET}/batch-reencrypt/job-*`,
      },
      // SSE-S3 objects: no old key to decrypt with.
      {
        Sid: "EncryptTheCopiesThroughS3",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt"],
        Resource: NEW_KEY,
        Condition: viaS3,
      },
    ]);

    const readme = read(folder, "README.md");
    expect(readme).toContain(`aws s3 cp manifest-CALL_RECORDINGS.csv s3://${LOG_BUCKET}/${manifestKey}`);
    expect(readme).toContain(`aws s3control create-job --region ${REGION} --cli-input-json file://job-CALL_RECORDINGS.json`);
    expect(readme).toContain(`aws iam create-role --role-name acme-prod-reencrypt --assume-role-policy-document file://trust-policy.json`);
    expect(readme).toContain("Object Lock");
    expect(readme).toContain("replicated to the disaster-recovery copy");
    // Read-only: nothing but reads was sent.
    for (const m of [connect, kms, s3]) {
      for (const c of m.calls()) expect(c.args[0].constructor.name).toMatch(/^(List|Describe|Head)/);
    }
  });

  test("mixed keys and storage classes: counted by encryption, one job per storage class, Decrypt on each old key; --json", async () => {
    instance({
      CALL_RECORDINGS: { bucket: OLD_BUCKET, prefix: "connect/acme/CallRecordings", key: OLD_KEY },
      CHAT_TRANSCRIPTS: { bucket: NEW_BUCKET, prefix: "connect/ChatTranscripts", key: NEW_KEY },
    });
    objects(OLD_BUCKET, [
      { key: `${RECORDINGS}1.wav`, head: under(OLD_KEY) },
      { key: `${RECORDINGS}2.wav`, head: under(OLD_KEY), storageClass: "STANDARD_IA" },
      { key: `${RECORDINGS}3.wav`, head: under(OTHER_KEY) },
      { key: `${RECORDINGS}4.wav`, head: SSE_S3 },
      { key: `${RECORDINGS}5.wav`, head: {} },
      { key: `${RECORDINGS}6.wav`, head: under(NEW_KEY) },
      { key: `${RECORDINGS}7.wav`, head: SSE_S3, storageClass: "DEEP_ARCHIVE" },
      { key: `${RECORDINGS}8.wav`, head: SSE_S3, size: 6 * 1024 ** 3 },
    ]);
    objects(NEW_BUCKET, [
      { key: "connect/ChatTranscripts/a.json", head: SSE_S3 },
      { key: "connect/ChatTranscripts/b.json", head: under(NEW_KEY) },
    ]);
    const { code, out, folder } = await run(["prod"]);
    expect(code).toBe(0);
    expect(out).toContain(`SSE-KMS ${OLD_KEY}: 2; SSE-KMS ${OTHER_KEY}: 1; SSE-S3: 3; unencrypted: 1; new key: 1`);
    expect(out).toContain("1 object(s) in S3 Glacier Flexible Retrieval or Deep Archive must be restored");
    expect(out).toContain("1 object(s) are larger than 5 GB");
    expect(
      readdirSync(folder)
        .filter((f) => f.startsWith("job-"))
        .sort(),
    ).toEqual(["job-CALL_RECORDINGS-STANDARD.json", "job-CALL_RECORDINGS-STANDARD_IA.json", "job-CHAT_TRANSCRIPTS.json"]);
    expect(read(folder, "manifest-CALL_RECORDINGS-STANDARD.csv").trim().split("\n")).toHaveLength(4); // 1, 3, 4, 5
    expect(read(folder, "manifest-CALL_RECORDINGS-STANDARD_IA.csv")).toBe(`${OLD_BUCKET},connect%2Facme%2FCallRecordings%2F2.wav\n`);
    expect(readJson(folder, "job-CALL_RECORDINGS-STANDARD_IA.json").Operation.S3PutObjectCopy.StorageClass).toBe("STANDARD_IA");
    // In place: the chat transcripts' bucket is the environment's bucket.
    expect(readJson(folder, "job-CHAT_TRANSCRIPTS.json").Operation.S3PutObjectCopy.TargetResource).toBe(`arn:aws:s3:::${NEW_BUCKET}`);
    expect(read(folder, "manifest-CHAT_TRANSCRIPTS.csv")).toBe(`${NEW_BUCKET},connect%2FChatTranscripts%2Fa.json\n`);
    const statements = readJson(folder, "permissions-policy.json").Statement;
    expect(statements.find((s: Json) => s.Sid === "DecryptTheOldObjectsThroughS3")).toEqual({
      Sid: "DecryptTheOldObjectsThroughS3",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: [OLD_KEY, OTHER_KEY].sort(),
      Condition: { StringEquals: { "kms:ViaService": `s3.${REGION}.amazonaws.com` } },
    });
    expect(statements.find((s: Json) => s.Sid === "ReadTheOldObjects").Resource).toEqual([
      `arn:aws:s3:::${OLD_BUCKET}/${RECORDINGS}*`,
      `arn:aws:s3:::${NEW_BUCKET}/connect/ChatTranscripts/*`,
    ]);

    const machine = await run(["prod", "--json"]);
    const report = JSON.parse(machine.out);
    expect(report).toMatchObject({ environment: "prod", newKey: NEW_KEY, targetBucket: NEW_BUCKET });
    expect(report.destinations.map((d: Json) => [d.types, d.sampled, d.notUnderKey, d.underKey, d.inPlace])).toEqual([
      [["CALL_RECORDINGS"], 8, 7, 1, false],
      [["CHAT_TRANSCRIPTS"], 2, 1, 1, true],
    ]);
    expect(report.destinations[0].jobs).toEqual(["job-CALL_RECORDINGS-STANDARD.json", "job-CALL_RECORDINGS-STANDARD_IA.json"]);
  });

  test("a destination already all under the new key: no job written, and it says so", async () => {
    instance({ CALL_RECORDINGS: { bucket: NEW_BUCKET, prefix: "connect/CallRecordings", key: NEW_KEY } });
    objects(NEW_BUCKET, [
      { key: "connect/CallRecordings/a.wav", head: under(NEW_KEY) },
      { key: "connect/CallRecordings/b.wav", head: under(NEW_KEY) },
    ]);
    const { code, out, folder } = await run(["prod"]);
    expect(code).toBe(0);
    expect(out).toMatch(/CALL_RECORDINGS\s+2\s+0\s+new key: 2/);
    expect(out).toContain("Everything sampled is already under the new key: no job written.");
    expect(existsSync(folder)).toBe(false);
    expect(s3.commandCalls(ListBucketInventoryConfigurationsCommand)).toHaveLength(0);
  });

  test("pagination: the listing follows continuation tokens and stops at --max-objects, saying the counts are of a sample", async () => {
    instance({ CALL_RECORDINGS: { bucket: OLD_BUCKET, prefix: RECORDINGS } });
    const page = (n: number, next?: string) => ({
      IsTruncated: next !== undefined,
      NextContinuationToken: next,
      Contents: [0, 1].map((i) => ({ Key: `${RECORDINGS}${n}-${i}.wav`, Size: 10, StorageClass: "STANDARD" as never })),
    });
    s3.on(ListObjectsV2Command, { Bucket: OLD_BUCKET, ContinuationToken: undefined }).resolves(page(1, "t2"));
    s3.on(ListObjectsV2Command, { Bucket: OLD_BUCKET, ContinuationToken: "t2" }).resolves(page(2, "t3"));
    s3.on(ListObjectsV2Command, { Bucket: OLD_BUCKET, ContinuationToken: "t3" }).resolves(page(3));
    s3.on(HeadObjectCommand).resolves(SSE_S3);

    const all = await run(["prod"]);
    expect(all.out).toMatch(/CALL_RECORDINGS\s+6\s+6\s+SSE-S3: 6/);
    expect(read(all.folder, "manifest-CALL_RECORDINGS.csv").trim().split("\n")).toHaveLength(6);

    s3.resetHistory();
    const sample = await run(["prod", "--max-objects", "3"]);
    expect(sample.code).toBe(0);
    expect(sample.out).toMatch(/CALL_RECORDINGS\s+3\+\s+3\s+SSE-S3: 3/);
    expect(sample.out).toContain("more objects than --max-objects 3; the counts are of the sample");
    expect(s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input.MaxKeys)).toEqual([3, 1]);
    expect(s3.commandCalls(HeadObjectCommand)).toHaveLength(3);
    expect(read(sample.folder, "README.md")).toContain("run the plan again with a larger one");
  });

  test("a bucket with a CSV S3 Inventory that reports encryption status: the job's manifest is that inventory", async () => {
    instance({ CALL_RECORDINGS: { bucket: OLD_BUCKET, prefix: RECORDINGS } });
    objects(OLD_BUCKET, [{ key: `${RECORDINGS}a.wav`, head: SSE_S3 }]);
    s3.on(ListBucketInventoryConfigurationsCommand, { Bucket: OLD_BUCKET }).resolves({
      IsTruncated: false,
      InventoryConfigurationList: [
        {
          Id: "parquet",
          IsEnabled: true,
          IncludedObjectVersions: "Current",
          Schedule: { Frequency: "Daily" },
          OptionalFields: ["EncryptionStatus"],
          Destination: { S3BucketDestination: { Bucket: "arn:aws:s3:::inventories", Format: "Parquet" } },
        },
        {
          Id: "daily",
          IsEnabled: true,
          IncludedObjectVersions: "Current",
          Schedule: { Frequency: "Daily" },
          OptionalFields: ["Size", "EncryptionStatus", "BucketKeyStatus"],
          Filter: { Prefix: "connect/" },
          Destination: { S3BucketDestination: { Bucket: "arn:aws:s3:::inventories", Prefix: "inv", Format: "CSV", AccountId: ACCOUNT } },
        },
      ],
    });
    const { code, out, folder } = await run(["prod"]);
    expect(code).toBe(0);
    expect(out).toContain(`S3 Inventory daily (s3://inventories/inv/${OLD_BUCKET}/daily/) reports each object's encryption status`);
    expect(readdirSync(folder).some((f) => f.startsWith("manifest-"))).toBe(false);
    expect(readJson(folder, "job-CALL_RECORDINGS.json").Manifest).toEqual({
      Spec: { Format: "S3InventoryReport_CSV_20161130" },
      Location: {
        ObjectArn: `arn:aws:s3:::inventories/inv/${OLD_BUCKET}/daily/<YYYY-MM-DDTHH-MMZ>/manifest.json`,
        ETag: "<ETag of that manifest.json>",
      },
    });
    expect(readJson(folder, "permissions-policy.json").Statement.find((s: Json) => s.Sid === "ReadTheManifests").Resource).toEqual([
      `arn:aws:s3:::inventories/inv/${OLD_BUCKET}/daily/*`,
    ]);
    expect(read(folder, "README.md")).toContain("reads the S3 Inventory report `daily` (Daily)");
  });

  test("a missing permission names the IAM action, exits 2, and writes nothing (not even over an earlier plan)", async () => {
    instance({ CALL_RECORDINGS: { bucket: OLD_BUCKET, prefix: RECORDINGS } });
    objects(OLD_BUCKET, [{ key: `${RECORDINGS}a.wav`, head: SSE_S3 }]);
    const ws = workspace();
    expect((await run(["prod"], ws)).code).toBe(0);
    const earlier = read(join(ws.out, "prod"), "job-CALL_RECORDINGS.json");

    s3.on(HeadObjectCommand).rejects(Object.assign(new Error("Forbidden"), { name: "403", $metadata: { httpStatusCode: 403 } }));
    const denied = await run(["prod"], ws);
    expect(denied.code).toBe(2);
    expect(denied.out).toBe("");
    expect(denied.err).toContain("reencrypt-plan: missing permission s3:GetObject: allow it to the role you run reencrypt-plan with");
    expect(read(join(ws.out, "prod"), "job-CALL_RECORDINGS.json")).toBe(earlier);

    connect
      .on(ListInstanceStorageConfigsCommand)
      .rejects(Object.assign(new Error("not authorized"), { name: "AccessDeniedException", $metadata: { httpStatusCode: 403 } }));
    const fresh = await run(["prod"]);
    expect(fresh).toMatchObject({ code: 2, out: "" });
    expect(fresh.err).toContain("reencrypt-plan: missing permission connect:ListInstanceStorageConfigs");
    expect(existsSync(fresh.folder)).toBe(false);
  });

  test("a key not created yet writes no job; credentials for another account, a created instance and no log bucket stop it, writing nothing", async () => {
    instance({ CALL_RECORDINGS: { bucket: OLD_BUCKET, prefix: RECORDINGS } });
    objects(OLD_BUCKET, [{ key: `${RECORDINGS}a.wav`, head: SSE_S3 }]);
    kms.on(DescribeKeyCommand, { KeyId: ALIAS }).rejects(Object.assign(new Error("not found"), { name: "NotFoundException" }));
    // Before the first apply: the old destinations are counted, no job is written, and the --source flags for after it are named.
    const noKey = await run(["prod"]);
    expect(noKey.code).toBe(0);
    expect(noKey.out).toContain(`New key: ${ALIAS} (does not exist yet: created on the first apply)`);
    expect(noKey.out).toMatch(/CALL_RECORDINGS\s+1\s+1\s+SSE-S3: 1/);
    expect(noKey.out).toContain(`No job written: the copies are encrypted under ${ALIAS}, which does not exist yet.`);
    expect(noKey.out).toContain(`npm run reencrypt-plan -- prod --source s3://${OLD_BUCKET}/${RECORDINGS}`);
    expect(existsSync(noKey.folder)).toBe(false);

    sts.on(GetCallerIdentityCommand).resolves({ Account: "444444444444", Arn: "arn:aws:sts::444444444444:assumed-role/X/me" });
    expect((await run(["prod"])).err).toContain("the credentials are for account 444444444444 but prod is in account 333333333333");
    expect(await run(["dev"])).toMatchObject({ code: 2, err: expect.stringContaining("dev creates its instance (instance.create)") });
    expect(await run(["prod", "--max-objects", "0"])).toMatchObject({ code: 2, err: expect.stringContaining("--max-objects 0") });

    instance({});
    const ws = workspace();
    const decl = fixture();
    decl.context.connectEncryption.environments.prod.bucket = {
      accessLogs: { destination: "none", reason: "an organisation trail logs data events" },
    };
    writeFileSync(ws.config, JSON.stringify(decl));
    const noLogs = await run(["prod"], ws);
    expect(noLogs.code).toBe(2);
    expect(noLogs.err).toContain("name a bucket for the manifests and completion reports with --report-bucket");
  });

  test("--source adds an old location the associations no longer name (after the take-over)", async () => {
    instance({ CALL_RECORDINGS: { bucket: NEW_BUCKET, prefix: "connect/CallRecordings", key: NEW_KEY } });
    objects(NEW_BUCKET, [{ key: "connect/CallRecordings/a.wav", head: under(NEW_KEY) }]);
    objects(OLD_BUCKET, [{ key: `${RECORDINGS}a.wav`, head: under(OLD_KEY) }]);
    const { code, out, folder } = await run(["prod", "--source", `s3://${OLD_BUCKET}/connect/acme/CallRecordings`]);
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`s3://${OLD_BUCKET}/${RECORDINGS}\\s+\\(--source\\)\\s+1\\s+1`));
    expect(readdirSync(folder)).toContain("job-source-2.json");
  });
});

describe("the written role policy, evaluated by the IAM engine", () => {
  let policy: Json;
  beforeAll(async () => {
    instance({ CALL_RECORDINGS: { bucket: OLD_BUCKET, prefix: "connect/acme/CallRecordings", key: OLD_KEY } });
    objects(OLD_BUCKET, [{ key: `${RECORDINGS}a.wav`, head: under(OLD_KEY) }]);
    const { folder } = await run(["prod"]);
    policy = readJson(folder, "permissions-policy.json");
  });
  // A key policy that lets IAM policies grant the key's use (the stack's AccountRootAdministersKey), so the role policy decides.
  const keyPolicy = {
    Version: "2012-10-17",
    Statement: [
      { Sid: "AccountRoot", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" },
    ],
  };
  const evaluate = (action: string, resource: string, context: Record<string, string> = {}) =>
    decide({
      principal: ROLE,
      action,
      resource,
      resourceAccount: ACCOUNT,
      context,
      identityPolicies: [policy as never],
      resourcePolicy: action.startsWith("kms:") ? keyPolicy : undefined,
    });

  test("allows the copy: write under the target prefix with the new key, and the key through S3", async () => {
    const put = await evaluate("s3:PutObject", `arn:aws:s3:::${NEW_BUCKET}/${RECORDINGS}a.wav`, {
      "s3:x-amz-server-side-encryption": "aws:kms",
      "s3:x-amz-server-side-encryption-aws-kms-key-id": NEW_KEY,
    });
    expect(put.decision).toBe("Allowed");
    for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
      expect((await evaluate(action, NEW_KEY, { "kms:ViaService": `s3.${REGION}.amazonaws.com` })).decision).toBe("Allowed");
    }
    expect((await evaluate("kms:Decrypt", OLD_KEY, { "kms:ViaService": `s3.${REGION}.amazonaws.com` })).decision).toBe("Allowed");
  });

  test("denies Decrypt outside S3, writes outside the target prefix, and writes under another key", async () => {
    expect((await evaluate("kms:Decrypt", OLD_KEY)).decision).toBe("ImplicitlyDenied");
    expect((await evaluate("kms:Decrypt", NEW_KEY, { "kms:ViaService": `sqs.${REGION}.amazonaws.com` })).decision).toBe("ImplicitlyDenied");
    const headers = { "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": NEW_KEY };
    expect((await evaluate("s3:PutObject", `arn:aws:s3:::${NEW_BUCKET}/other/a.wav`, headers)).decision).toBe("ImplicitlyDenied");
    expect((await evaluate("s3:PutObject", `arn:aws:s3:::${OLD_BUCKET}/${RECORDINGS}a.wav`, headers)).decision).toBe("ImplicitlyDenied");
    expect(
      (
        await evaluate("s3:PutObject", `arn:aws:s3:::${NEW_BUCKET}/${RECORDINGS}a.wav`, {
          "s3:x-amz-server-side-encryption": "aws:kms",
          "s3:x-amz-server-side-encryption-aws-kms-key-id": OLD_KEY,
        })
      ).decision,
    ).toBe("ImplicitlyDenied");
  });
});

test("--help and -h print the usage and exit 0, before the declaration is read or AWS is asked", async () => {
  for (const m of [connect, kms, sts, s3]) m.reset();
  for (const flag of ["--help", "-h"]) {
    let out = "";
    const io: ReencryptIo = { ...defaultReencryptIo, out: (t) => (out += `${t}\n`), err: () => undefined };
    expect(await reencryptMain(["prod", flag], io, "no-such-cdktf.json")).toBe(0);
    expect(out).toBe(`${REENCRYPT_USAGE}\n`);
  }
  expect(sts.calls()).toHaveLength(0);
});

test("the help documents every option the parser accepts, every environment variable reencrypt-plan reads, and an example", () => {
  expect(undocumentedOptions(REENCRYPT_USAGE, REENCRYPT_OPTIONS)).toEqual([]);
  const read = variablesRead("modules/cli/reencrypt/main.ts");
  expect(read).toEqual(["CONNECT_ENCRYPTION_CONFIG"]);
  // The AWS SDK reads the credentials' variables itself; the help names them by AWS_PROFILE.
  expect(undocumentedVariables(REENCRYPT_USAGE, [...read, "AWS_PROFILE"])).toEqual([]);
  expect(REENCRYPT_USAGE).toMatch(/\nExample:\n {2}.*npm run reencrypt-plan -- \S+/);
});

describe("the built entry point (dist/reencrypt-plan.js)", () => {
  beforeAll(buildEntries);

  test("reads the declaration CONNECT_ENCRYPTION_CONFIG names, relative to the working directory or absolute", () => {
    const { cwd, relative, absolute } = declarationElsewhere();
    for (const config of [relative, absolute]) {
      const result = runEntry("reencrypt-plan", ["nosuch"], cwd, config);
      expect([result.status, result.stderr]).toEqual([
        2,
        `reencrypt-plan: nosuch is not an environment of ${config}; declared: dev, live\n`,
      ]);
    }
  });
});
