/**
 * The read-only checks against a deployed environment. Each check is one
 * function that calls AWS (SDK v3, with its standard retries and backoff),
 * and reports pass / fail / not-yet with the evidence it saw. A missing
 * permission becomes that check's error, naming the IAM action.
 */
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  paginateListGrants,
  GrantListEntry,
} from "@aws-sdk/client-kms";
import {
  ConnectClient,
  InstanceStorageConfig,
  paginateListInstanceStorageConfigs,
  InstanceStorageResourceType,
} from "@aws-sdk/client-connect";
import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  _Object,
} from "@aws-sdk/client-s3";
import { DescribeStreamSummaryCommand, KinesisClient } from "@aws-sdk/client-kinesis";
import { DescribeDeliveryStreamCommand, FirehoseClient } from "@aws-sdk/client-firehose";
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { CustomerProfilesClient } from "@aws-sdk/client-customer-profiles";
import { CheckResult, CheckStatus, DeployedOutputs, Expectations, s3BucketOf } from "./model";
import { CREDENTIAL_ERRORS, MissingPermission, call } from "../aws/calls";

export interface AwsClients {
  readonly kms: KMSClient;
  readonly connect: ConnectClient;
  readonly s3: S3Client;
  readonly kinesis: KinesisClient;
  readonly firehose: FirehoseClient;
  readonly cloudtrail: CloudTrailClient;
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  readonly profiles: CustomerProfilesClient;
  /** S3 in another Region (the replica bucket's). */
  readonly s3In: (region: string) => S3Client;
}

export const result = (id: string, title: string, status: CheckStatus, evidence: string): CheckResult => ({ id, title, status, evidence });

/** Runs a check; permissions and API errors become that check's error, credential errors stop the run. */
export async function attempt(id: string, title: string, check: () => Promise<CheckResult | CheckResult[]>): Promise<CheckResult[]> {
  try {
    return [await check()].flat();
  } catch (error) {
    if (error instanceof MissingPermission) return [result(id, title, "error", error.message)];
    const name = (error as { name?: string }).name ?? "Error";
    if (CREDENTIAL_ERRORS.has(name)) throw error;
    return [result(id, title, "error", `${name}: ${(error as Error).message}`)];
  }
}

export const verdict = (ok: boolean): CheckStatus => (ok ? "pass" : "fail");

// --- the key -----------------------------------------------------------------

export async function checkKey(aws: AwsClients, outputs: DeployedOutputs, expected: Expectations): Promise<CheckResult[]> {
  const keyId = outputs.key_arn;
  return [
    ...(await attempt("key.state", "Key is enabled, symmetric and customer-managed", async () => {
      const { KeyMetadata: key } = await call("kms:DescribeKey", () => aws.kms.send(new DescribeKeyCommand({ KeyId: keyId })));
      const ok = key?.KeyState === "Enabled" && key.KeySpec === "SYMMETRIC_DEFAULT" && key.KeyManager === "CUSTOMER" && key.Arn === keyId;
      return result(
        "key.state",
        "Key is enabled, symmetric and customer-managed",
        verdict(ok),
        `${key?.Arn}: ${key?.KeyState}, ${key?.KeySpec}, ${key?.KeyManager}`,
      );
    })),
    ...(await attempt("key.rotation", "Key rotation is on with the configured period", async () => {
      const rotation = await call("kms:GetKeyRotationStatus", () => aws.kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId })));
      const periodOk = expected.rotationPeriodInDays === undefined || rotation.RotationPeriodInDays === expected.rotationPeriodInDays;
      return result(
        "key.rotation",
        "Key rotation is on with the configured period",
        verdict(rotation.KeyRotationEnabled === true && periodOk),
        `enabled ${rotation.KeyRotationEnabled}, every ${rotation.RotationPeriodInDays ?? "?"} days${expected.rotationPeriodInDays ? ` (configured ${expected.rotationPeriodInDays})` : ""}`,
      );
    })),
    ...(await attempt("key.policy", "Key policy allows no unconditioned * principal", async () => {
      const { Policy } = await call("kms:GetKeyPolicy", () =>
        aws.kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: "default" })),
      );
      const statements: { Sid?: string; Effect?: string; Principal?: unknown; Condition?: unknown }[] = [
        JSON.parse(Policy ?? "{}").Statement ?? [],
      ].flat();
      const open = statements.filter((s) => {
        const principal = s.Principal as string | { AWS?: string | string[] } | undefined;
        const everyone = principal === "*" || [typeof principal === "object" ? principal.AWS : undefined].flat().includes("*");
        return s.Effect === "Allow" && everyone && !s.Condition;
      });
      return result(
        "key.policy",
        "Key policy allows no unconditioned * principal",
        verdict(open.length === 0),
        open.length === 0
          ? `${statements.length} statements, none open to *`
          : `open to *: ${open.map((s) => s.Sid ?? "(no Sid)").join(", ")}`,
      );
    })),
    ...(await attempt("key.grants", "Connect's service-linked role holds grants on the key", async () => {
      const grants: GrantListEntry[] = [];
      for await (const page of paginateListGrants({ client: aws.kms }, { KeyId: keyId })) grants.push(...(page.Grants ?? []));
      const connect = grants.filter((g) => g.GranteePrincipal === outputs.connect_service_role_arn);
      const expectedStreamGrants = Object.entries(outputs.connect_stream_grant_ids ?? {}).filter(([, id]) => id);
      const missing = expectedStreamGrants.filter(
        ([, id]) => !connect.some((g) => g.GrantId === id && g.Operations?.includes("GenerateDataKey")),
      );
      const associations = Object.values(outputs.storage_association_ids).filter(Boolean).length;
      const ok = missing.length === 0 && (associations === 0 || connect.length > 0);
      return result(
        "key.grants",
        "Connect's service-linked role holds grants on the key",
        verdict(ok),
        `${connect.length} grant(s) to ${outputs.connect_service_role_arn}${missing.length ? `; missing the stream grant(s) of ${missing.map(([t]) => t).join(", ")}` : ""}`,
      );
    })),
  ];
}

// --- storage configs -----------------------------------------------------------

export async function checkStorageConfigs(
  aws: AwsClients,
  outputs: DeployedOutputs,
): Promise<{ results: CheckResult[]; s3Prefixes: Map<string, string> }> {
  const s3Prefixes = new Map<string, string>();
  const results: CheckResult[] = [];
  for (const [type, associationId] of Object.entries(outputs.storage_association_ids)) {
    if (!associationId) continue;
    const id = `storage.${type}`;
    const title = `${type} is associated to its destination under the key`;
    results.push(
      ...(await attempt(id, title, async () => {
        const configs: InstanceStorageConfig[] = [];
        for await (const page of paginateListInstanceStorageConfigs(
          { client: aws.connect },
          { InstanceId: outputs.connect_instance_id, ResourceType: type as InstanceStorageResourceType },
        )) {
          configs.push(...(page.StorageConfigs ?? []));
        }
        const config = configs.find((c) => c.AssociationId === associationId);
        if (!config)
          return result(id, title, "fail", `association ${associationId} not found (${configs.length} association(s) of ${type})`);
        switch (config.StorageType) {
          case "S3": {
            const s3 = config.S3Config;
            if (s3?.BucketPrefix) s3Prefixes.set(type, s3.BucketPrefix);
            // Each type against the bucket the stack gave it: with Object Lock, only the locked types are in the recordings bucket.
            const expectedBucket = s3BucketOf(outputs, type);
            const ok =
              s3?.BucketName === expectedBucket &&
              s3.EncryptionConfig?.EncryptionType === "KMS" &&
              s3.EncryptionConfig.KeyId === outputs.key_arn;
            // On the wrong bucket, name the one the stack gives the type, so the evidence shows both sides of the mismatch.
            const elsewhere = s3?.BucketName === expectedBucket ? "" : `; the stack gives it ${expectedBucket}`;
            return result(
              id,
              title,
              verdict(ok),
              `s3://${s3?.BucketName}/${s3?.BucketPrefix} with ${s3?.EncryptionConfig?.EncryptionType ?? "no encryption"} ${s3?.EncryptionConfig?.KeyId ?? ""}`.trim() +
                elsewhere,
            );
          }
          case "KINESIS_VIDEO_STREAM": {
            const video = config.KinesisVideoStreamConfig;
            const ok = video?.EncryptionConfig?.EncryptionType === "KMS" && video.EncryptionConfig.KeyId === outputs.key_arn;
            return result(id, title, verdict(ok), `video streams ${video?.Prefix}* with ${video?.EncryptionConfig?.KeyId ?? "no key"}`);
          }
          case "KINESIS_STREAM": {
            const arn = config.KinesisStreamConfig?.StreamArn;
            return result(id, title, verdict(arn === outputs.kinesis_stream_arns?.[type]), `stream ${arn}`);
          }
          case "KINESIS_FIREHOSE": {
            const arn = config.KinesisFirehoseConfig?.FirehoseArn;
            return result(id, title, verdict(arn === outputs.firehose_delivery_stream_arns?.[type]), `delivery stream ${arn}`);
          }
          default:
            return result(id, title, "fail", `unexpected storage type ${config.StorageType}`);
        }
      })),
    );
  }
  return { results, s3Prefixes };
}

// --- the bucket ----------------------------------------------------------------

/** The bucket's hardening, then the controls the declaration asks for; all read at once. */
export async function checkBucket(aws: AwsClients, outputs: DeployedOutputs, expected: Expectations): Promise<CheckResult[]> {
  const bucket = outputs.s3_bucket_id;
  const checks = [...bucketHardeningChecks(aws, bucket, outputs.key_arn), ...bucketControlChecks(aws, outputs, bucket, expected)];
  return (await Promise.all(checks)).flat();
}

/**
 * Another bucket of Connect's content (the one without Object Lock): the same
 * hardening as the recordings bucket, since it holds the same content under
 * the same key, and the same lifecycle and replication where the declaration
 * configures them, since the stack gives it the recordings bucket's rules and
 * a disaster-recovery copy of its own. Object Lock stays the recordings
 * bucket's check: this bucket is the one without it.
 */
export async function checkOtherBucket(
  aws: AwsClients,
  outputs: DeployedOutputs,
  bucket: string,
  expected: Expectations,
): Promise<CheckResult[]> {
  const checks = [
    ...bucketHardeningChecks(aws, bucket, outputs.key_arn, true),
    ...bucketControlChecks(aws, outputs, bucket, expected, true),
  ];
  return (await Promise.all(checks)).flat();
}

type BucketCheck = (id: string, title: string, run: () => Promise<{ ok: boolean; evidence: string }>) => Promise<CheckResult[]>;

/**
 * One check of a bucket of Connect's content. The recordings bucket's checks
 * keep their short IDs and evidence (the JSON report's `bucket` names it);
 * another bucket's IDs end with its name and its evidence starts with it, so
 * that each result says which bucket it is about.
 */
function bucketCheck(Bucket: string, named: boolean): BucketCheck {
  return (id, title, run) => {
    const shownId = named ? `${id}.${Bucket}` : id;
    return attempt(shownId, title, async () => {
      const { ok, evidence } = await run();
      return result(shownId, title, verdict(ok), named ? `${Bucket}: ${evidence}` : evidence);
    });
  };
}

/**
 * S3 answers an error, not an empty configuration, for a bucket that has none
 * (NoSuchLifecycleConfiguration, ReplicationConfigurationNotFoundError): that
 * is what the check is looking for, a finding, so it becomes undefined here
 * instead of the check's error.
 */
async function unlessAbsent<T>(absent: string, request: () => Promise<T>): Promise<T | undefined> {
  try {
    return await request();
  } catch (error) {
    if ((error as { name?: string }).name === absent) return undefined;
    throw error;
  }
}

/** What every bucket of Connect's content has: SSE-KMS with the key and a Bucket Key, no public access, TLS only, versioning. */
function bucketHardeningChecks(aws: AwsClients, Bucket: string, keyArn: string, named = false): Promise<CheckResult[]>[] {
  const check = bucketCheck(Bucket, named);
  return [
    check("bucket.encryption", "Bucket defaults to SSE-KMS with the key and a Bucket Key", async () => {
      const { ServerSideEncryptionConfiguration: sse } = await call("s3:GetEncryptionConfiguration", () =>
        aws.s3.send(new GetBucketEncryptionCommand({ Bucket })),
      );
      const rule = sse?.Rules?.[0];
      const byDefault = rule?.ApplyServerSideEncryptionByDefault;
      return {
        ok: byDefault?.SSEAlgorithm === "aws:kms" && byDefault.KMSMasterKeyID === keyArn && rule?.BucketKeyEnabled === true,
        evidence: `${byDefault?.SSEAlgorithm} ${byDefault?.KMSMasterKeyID ?? ""}, Bucket Key ${rule?.BucketKeyEnabled ?? false}`,
      };
    }),
    check("bucket.public-access", "Bucket blocks all public access", async () => {
      const { PublicAccessBlockConfiguration: pab } = await call("s3:GetBucketPublicAccessBlock", () =>
        aws.s3.send(new GetPublicAccessBlockCommand({ Bucket })),
      );
      const flags = [pab?.BlockPublicAcls, pab?.BlockPublicPolicy, pab?.IgnorePublicAcls, pab?.RestrictPublicBuckets];
      return { ok: flags.every((f) => f === true), evidence: `blocks: ${flags.map((f) => (f ? "on" : "off")).join(", ")}` };
    }),
    check("bucket.tls", "Bucket policy denies requests without TLS", async () => {
      const { Policy } = await call("s3:GetBucketPolicy", () => aws.s3.send(new GetBucketPolicyCommand({ Bucket })));
      const statements: { Effect?: string; Condition?: { Bool?: Record<string, string> } }[] = [
        JSON.parse(Policy ?? "{}").Statement ?? [],
      ].flat();
      const ok = statements.some((s) => s.Effect === "Deny" && String(s.Condition?.Bool?.["aws:SecureTransport"]) === "false");
      return { ok, evidence: ok ? "Deny on aws:SecureTransport = false" : "no Deny on aws:SecureTransport = false" };
    }),
    check("bucket.versioning", "Bucket versioning is enabled", async () => {
      const { Status } = await call("s3:GetBucketVersioning", () => aws.s3.send(new GetBucketVersioningCommand({ Bucket })));
      return { ok: Status === "Enabled", evidence: `versioning ${Status ?? "never enabled"}` };
    }),
  ];
}

/**
 * Lifecycle, Object Lock and replication: checked only where the declaration
 * asks for them; Object Lock on the recordings bucket only (`named`: another
 * bucket, which is without it).
 */
function bucketControlChecks(
  aws: AwsClients,
  outputs: DeployedOutputs,
  Bucket: string,
  expected: Expectations,
  named = false,
): Promise<CheckResult[]>[] {
  const check = bucketCheck(Bucket, named);
  const checks: Promise<CheckResult[]>[] = [];
  if (expected.lifecycle) {
    checks.push(
      check("bucket.lifecycle", "Bucket lifecycle rules are in place", async () => {
        const answer = await unlessAbsent("NoSuchLifecycleConfiguration", () =>
          call("s3:GetLifecycleConfiguration", () => aws.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))),
        );
        if (!answer) return { ok: false, evidence: "no lifecycle configuration" };
        const enabled = (answer.Rules ?? []).filter((r) => r.Status === "Enabled");
        return { ok: enabled.length > 0, evidence: `${enabled.length} enabled rule(s): ${enabled.map((r) => r.ID).join(", ")}` };
      }),
    );
  }
  if (expected.objectLock && !named) {
    checks.push(
      check("bucket.object-lock", "Object Lock is on with a default retention", async () => {
        const { ObjectLockConfiguration: lock } = await call("s3:GetBucketObjectLockConfiguration", () =>
          aws.s3.send(new GetObjectLockConfigurationCommand({ Bucket })),
        );
        const retention = lock?.Rule?.DefaultRetention;
        return {
          ok: lock?.ObjectLockEnabled === "Enabled" && !!retention?.Mode,
          evidence:
            `${retention?.Mode ?? "no"} retention ${retention?.Days ?? retention?.Years ?? ""}${retention?.Days ? " days" : retention?.Years ? " years" : ""}`.trim(),
        };
      }),
    );
  }
  if (expected.replication) checks.push(checkReplication(aws, outputs, Bucket, named));
  return checks;
}

/**
 * The bucket's replication rule: SSE-KMS objects copied under the replica's
 * key. For a bucket without Object Lock (`named`), also where to: not into the
 * locked replica, and into `replica_unlocked_bucket_id` when the outputs name it.
 */
function checkReplication(aws: AwsClients, outputs: DeployedOutputs, Bucket: string, named: boolean): Promise<CheckResult[]> {
  return bucketCheck(Bucket, named)("bucket.replication", "SSE-KMS objects replicate, re-encrypted with the replica's key", async () => {
    const answer = await unlessAbsent("ReplicationConfigurationNotFoundError", () =>
      call("s3:GetReplicationConfiguration", () => aws.s3.send(new GetBucketReplicationCommand({ Bucket }))),
    );
    if (!answer) return { ok: false, evidence: "no replication configuration" };
    const rule = answer.ReplicationConfiguration?.Rules?.[0];
    const ok =
      rule?.Status === "Enabled" &&
      rule.SourceSelectionCriteria?.SseKmsEncryptedObjects?.Status === "Enabled" &&
      !!rule.Destination?.EncryptionConfiguration?.ReplicaKmsKeyID;
    const evidence = `to ${rule?.Destination?.Bucket ?? "nowhere"} under ${rule?.Destination?.EncryptionConfiguration?.ReplicaKmsKeyID ?? "no key"}`;
    const wrong = named ? unlockedDestinationProblem(outputs, rule?.Destination?.Bucket) : undefined;
    return { ok: ok && !wrong, evidence: wrong ? `${evidence}; ${wrong}` : evidence };
  });
}

/**
 * Why a bucket without Object Lock must not replicate to `destination` (the
 * rule's bucket ARN, arn:<partition>:s3:::<name>); undefined when it may. Its
 * copies keep its lock status: written into the locked replica, each would
 * take that bucket's default retention (S3 user guide, "Object Lock": it
 * applies to every new object placed in the bucket), which the stack keeps
 * for what must be locked.
 */
function unlockedDestinationProblem(outputs: DeployedOutputs, destination: string | undefined): string | undefined {
  const name = destination?.split(":").pop();
  const wanted = outputs.replica_unlocked_bucket_id ?? undefined;
  const given = wanted ? `; the stack gives it ${wanted}` : "";
  if (name !== undefined && name === outputs.replica_bucket_id)
    return `that is the replica with Object Lock (replica_bucket_id), whose default retention would lock every copy${given}`;
  // Stacks deployed before the output existed name no unlocked replica: only the locked one is ruled out.
  if (wanted && name !== wanted) return `the stack gives it ${wanted}`;
  return undefined;
}

// --- the newest object under each prefix ------------------------------------------

/** Connect writes `<prefix>/YYYY/MM/DD/...`; Firehose here writes `<prefix>/year=YYYY/month=MM/day=DD/...`. */
function dayPrefixes(prefix: string, day: Date): string[] {
  const [y, m, d] = [day.getUTCFullYear(), String(day.getUTCMonth() + 1).padStart(2, "0"), String(day.getUTCDate()).padStart(2, "0")];
  const base = prefix.replace(/\/+$/, "");
  return [`${base}/${y}/${m}/${d}/`, `${base}/year=${y}/month=${m}/day=${d}/`];
}

/** The newest object seen under a prefix, with the bucket it is in (the replication check heads it there). */
export interface NewestObject {
  readonly bucket: string;
  readonly object: _Object;
}

export async function checkNewestObject(
  aws: AwsClients,
  outputs: DeployedOutputs,
  label: string,
  prefix: string,
  now: Date,
  days = 31,
  found: (newest: NewestObject) => void = () => undefined,
): Promise<CheckResult[]> {
  const id = `object.${label}`;
  const title = `Newest object under ${prefix}/ is under the key`;
  // Where the stack sends this type, not always the recordings bucket: attachments may have their own.
  const Bucket = s3BucketOf(outputs, label);
  return attempt(id, title, async () => {
    let newest: _Object | undefined;
    for (let back = 0; back < days && !newest; back++) {
      const day = new Date(now.getTime() - back * 86_400_000);
      for (const dayPrefix of dayPrefixes(prefix, day)) {
        let token: string | undefined;
        do {
          const page = await call("s3:ListBucket", () =>
            aws.s3.send(new ListObjectsV2Command({ Bucket, Prefix: dayPrefix, ContinuationToken: token })),
          );
          for (const object of page.Contents ?? []) {
            if (!newest || (object.LastModified ?? 0) > (newest.LastModified ?? 0)) newest = object;
          }
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
      }
    }
    if (!newest?.Key)
      return result(id, title, "not-yet", `no object in the last ${days} days (before the first contact, this is expected)`);
    found({ bucket: Bucket, object: newest });
    const head = await call("s3:GetObject", () => aws.s3.send(new HeadObjectCommand({ Bucket, Key: newest!.Key })));
    const ok = head.ServerSideEncryption === "aws:kms" && head.SSEKMSKeyId === outputs.key_arn && head.BucketKeyEnabled === true;
    // Objects of the recordings bucket (the JSON report's `bucket`) keep their short evidence; one elsewhere names its bucket.
    const where = Bucket === outputs.s3_bucket_id ? newest.Key : `s3://${Bucket}/${newest.Key}`;
    return result(
      id,
      title,
      verdict(ok),
      `${where}: ${head.ServerSideEncryption} ${head.SSEKMSKeyId ?? ""}, Bucket Key ${head.BucketKeyEnabled ?? false}`,
    );
  });
}

// --- streams -----------------------------------------------------------------

export async function checkStreams(aws: AwsClients, outputs: DeployedOutputs): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [type, arn] of Object.entries(outputs.kinesis_stream_arns ?? {})) {
    if (!arn) continue;
    const id = `kinesis.${type}`;
    const title = `Kinesis data stream of ${type} is encrypted with the key`;
    results.push(
      ...(await attempt(id, title, async () => {
        const { StreamDescriptionSummary: s } = await call("kinesis:DescribeStreamSummary", () =>
          aws.kinesis.send(new DescribeStreamSummaryCommand({ StreamARN: arn })),
        );
        return result(
          id,
          title,
          verdict(s?.EncryptionType === "KMS" && s.KeyId === outputs.key_arn),
          `${arn}: ${s?.EncryptionType} ${s?.KeyId ?? ""}`.trim(),
        );
      })),
    );
  }
  for (const [type, arn] of Object.entries(outputs.firehose_delivery_stream_arns ?? {})) {
    if (!arn) continue;
    const id = `firehose.${type}`;
    const title = `Firehose of ${type} encrypts buffered records and delivered objects with the key`;
    results.push(
      ...(await attempt(id, title, async () => {
        const name = arn.split("/").pop()!;
        const { DeliveryStreamDescription: d } = await call("firehose:DescribeDeliveryStream", () =>
          aws.firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name })),
        );
        const sse = d?.DeliveryStreamEncryptionConfiguration;
        const objectsKey =
          d?.Destinations?.[0]?.ExtendedS3DestinationDescription?.EncryptionConfiguration?.KMSEncryptionConfig?.AWSKMSKeyARN;
        const ok =
          sse?.Status === "ENABLED" &&
          sse.KeyType === "CUSTOMER_MANAGED_CMK" &&
          sse.KeyARN === outputs.key_arn &&
          objectsKey === outputs.key_arn;
        return result(
          id,
          title,
          verdict(ok),
          `${name}: ${sse?.Status} ${sse?.KeyType} ${sse?.KeyARN ?? ""}; objects under ${objectsKey ?? "no key"}`,
        );
      })),
    );
  }
  return results;
}
