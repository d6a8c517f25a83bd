/**
 * The read-only checks of the optional controls: cross-Region replication of
 * the newest object, the key-misuse alerts (their topic's key, their dead-letter
 * queue, a trail that feeds them) and the Customer Profiles domain. A control
 * whose outputs are absent or null is off, and its checks are skipped; the
 * trail check runs whenever the alerts exist.
 */
import { DescribeKeyCommand, GetKeyRotationStatusCommand } from "@aws-sdk/client-kms";
import { GetBucketReplicationCommand, HeadObjectCommand, HeadObjectCommandOutput } from "@aws-sdk/client-s3";
import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetEventSelectorsCommandOutput,
  GetTrailStatusCommand,
  Trail,
} from "@aws-sdk/client-cloudtrail";
import { GetTopicAttributesCommand } from "@aws-sdk/client-sns";
import { GetQueueAttributesCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { GetDomainCommand } from "@aws-sdk/client-customer-profiles";
import { AwsClients, NewestObject, attempt, result, verdict } from "./checks";
import { call } from "../aws/calls";
import { CheckResult, DeployedOutputs } from "./model";

const KEY_ARN = /^arn:[a-z-]+:kms:[a-z0-9-]+:\d{12}:key\//;

/** A key's ARN from an ARN, a key ID or an alias, as the service stored it (DescribeKey unless it is already a key ARN). */
async function keyArnOf(aws: AwsClients, keyId: string): Promise<string | undefined> {
  if (KEY_ARN.test(keyId)) return keyId;
  const { KeyMetadata } = await call("kms:DescribeKey", () => aws.kms.send(new DescribeKeyCommand({ KeyId: keyId })));
  return KeyMetadata?.Arn;
}

const shown = (keyId: string, arn: string | undefined): string => (arn && arn !== keyId ? `${keyId} (${arn})` : keyId);

// --- replication of the newest object ---------------------------------------------

/** The replica's copy of `key`, or undefined when the replica bucket does not have it. */
async function replicaHead(aws: AwsClients, bucket: string, region: string, key: string): Promise<HeadObjectCommandOutput | undefined> {
  try {
    return await call("s3:GetObject", () => aws.s3In(region).send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if ((error as { name?: string }).name === "NotFound" || status === 404) return undefined;
    throw error;
  }
}

/**
 * Where S3 copies `bucket`'s objects. The recordings bucket's copy is
 * `replica_bucket_id`. The bucket without Object Lock replicates into a
 * replica of its own, also without Object Lock (a copy keeps its source's lock
 * status), which stacks deployed before `replica_unlocked_bucket_id` do not
 * name: its replication rule says where S3 copies to (the bucket's replication
 * check holds that rule to the output when there is one). Undefined when the
 * bucket has no enabled rule.
 */
async function replicaBucketOf(aws: AwsClients, outputs: DeployedOutputs, bucket: string): Promise<string | undefined> {
  if (bucket === outputs.s3_bucket_id) return outputs.replica_bucket_id ?? undefined;
  try {
    const { ReplicationConfiguration } = await call("s3:GetReplicationConfiguration", () =>
      aws.s3.send(new GetBucketReplicationCommand({ Bucket: bucket })),
    );
    // The destination is the bucket's ARN, arn:<partition>:s3:::<name>.
    const destination = ReplicationConfiguration?.Rules?.find((rule) => rule.Status === "Enabled")?.Destination?.Bucket;
    return destination?.split(":").pop();
  } catch (error) {
    if ((error as { name?: string }).name === "ReplicationConfigurationNotFoundError") return undefined;
    throw error;
  }
}

export async function checkReplicatedObject(
  aws: AwsClients,
  outputs: DeployedOutputs,
  newest: NewestObject | undefined,
): Promise<CheckResult[]> {
  if (!outputs.replica_bucket_id) return [];
  const id = "replication.object";
  const title = "Newest object is replicated, under the replica key";
  return attempt(id, title, async () => {
    if (!outputs.replica_key_arn) return result(id, title, "error", "the outputs give replica_bucket_id but not replica_key_arn");
    if (!newest?.object.Key)
      return result(id, title, "not-yet", "no object to see replicated yet (before the first contact, this is expected)");
    const key = newest.object.Key;
    // Headed in the bucket it was found in: the newest object may be in the bucket without Object Lock.
    const source = await call("s3:GetObject", () => aws.s3.send(new HeadObjectCommand({ Bucket: newest.bucket, Key: key })));
    const status = source.ReplicationStatus;
    const where = newest.bucket === outputs.s3_bucket_id ? key : `s3://${newest.bucket}/${key}`;
    const seen = `${where}: replication ${status ?? "status absent"}`;
    if (status === "PENDING") return result(id, title, "not-yet", `${seen} (S3 is still copying it)`);
    if (status === "FAILED")
      return result(id, title, "fail", `${seen}: S3 could not copy it (the replication role's access to both buckets and keys)`);
    if (status !== "COMPLETED" && status !== "COMPLETE")
      return result(id, title, "fail", `${seen}: no replication rule covers it, though replication is configured`);
    const replica = await replicaBucketOf(aws, outputs, newest.bucket);
    if (!replica) return result(id, title, "fail", `${seen}, but ${newest.bucket} has no enabled replication rule naming its replica`);
    // Both replicas are in the replica key's Region, under that key.
    const copy = await replicaHead(aws, replica, outputs.replica_key_arn.split(":")[3], key);
    if (!copy) return result(id, title, "fail", `${seen}, but s3://${replica}/${key} is not there`);
    const ok =
      copy.ReplicationStatus === "REPLICA" && copy.ServerSideEncryption === "aws:kms" && copy.SSEKMSKeyId === outputs.replica_key_arn;
    return result(
      id,
      title,
      verdict(ok),
      `${seen}; s3://${replica}/${key}: ${copy.ReplicationStatus ?? "not a replica"}, ${copy.ServerSideEncryption} ${copy.SSEKMSKeyId ?? ""}`.trim(),
    );
  });
}

// --- the key-misuse alerts -------------------------------------------------------

export async function checkAlertsTopicKey(aws: AwsClients, outputs: DeployedOutputs): Promise<CheckResult[]> {
  const topic = outputs.alerts_topic_arn;
  if (!topic) return [];
  const id = "alerts.topic-key";
  const title = "Alert topic is encrypted with the alerts key, not the key it watches";
  return attempt(id, title, async () => {
    const { Attributes } = await call("sns:GetTopicAttributes", () => aws.sns.send(new GetTopicAttributesCommand({ TopicArn: topic })));
    const keyId = Attributes?.KmsMasterKeyId;
    if (!keyId) return result(id, title, "fail", `${topic}: not encrypted (no KmsMasterKeyId)`);
    const arn = await keyArnOf(aws, keyId);
    const watched = arn === outputs.key_arn;
    const ok = !watched && (outputs.alerts_key_arn ? arn === outputs.alerts_key_arn : arn !== undefined);
    return result(id, title, verdict(ok), `${topic}: ${shown(keyId, arn)}${watched ? ", the key the alerts watch" : ""}`);
  });
}

export async function checkAlertsKey(aws: AwsClients, outputs: DeployedOutputs): Promise<CheckResult[]> {
  const keyId = outputs.alerts_key_arn;
  if (!keyId) return [];
  const id = "alerts.key";
  const title = "Alerts key is enabled, with rotation on";
  return attempt(id, title, async () => {
    const { KeyMetadata: key } = await call("kms:DescribeKey", () => aws.kms.send(new DescribeKeyCommand({ KeyId: keyId })));
    const rotation = await call("kms:GetKeyRotationStatus", () => aws.kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId })));
    const ok = key?.KeyState === "Enabled" && rotation.KeyRotationEnabled === true && keyId !== outputs.key_arn;
    const watched = keyId === outputs.key_arn ? ", the key the alerts watch" : "";
    return result(id, title, verdict(ok), `${key?.Arn ?? keyId}: ${key?.KeyState}, rotation ${rotation.KeyRotationEnabled}${watched}`);
  });
}

/**
 * The queue's URL as the SQS client's own endpoint answers it, so that a
 * configured endpoint (AWS_ENDPOINT_URL, FIPS, another partition) is the one
 * asked, rather than a host spelled here. GetQueueUrl takes the queue's name
 * and its owner's account, both in its ARN `arn:<partition>:sqs:<region>:<account>:<name>`
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueUrl.html).
 * Undefined when SQS says there is no such queue.
 */
async function queueUrlOf(aws: AwsClients, arn: string): Promise<string | undefined> {
  const [, , , , QueueOwnerAWSAccountId, QueueName] = arn.split(":");
  try {
    const { QueueUrl } = await call("sqs:GetQueueUrl", () => aws.sqs.send(new GetQueueUrlCommand({ QueueName, QueueOwnerAWSAccountId })));
    return QueueUrl;
  } catch (error) {
    if ((error as { name?: string }).name === "QueueDoesNotExist") return undefined;
    throw error;
  }
}

export async function checkAlertsDeadLetterQueue(aws: AwsClients, outputs: DeployedOutputs): Promise<CheckResult[]> {
  const queue = outputs.alerts_dead_letter_queue_arn;
  if (!queue) return [];
  const id = "alerts.dead-letter-queue";
  const title = "Alerts' dead-letter queue is encrypted with SSE-KMS";
  return attempt(id, title, async () => {
    const QueueUrl = await queueUrlOf(aws, queue);
    if (!QueueUrl) return result(id, title, "fail", `${queue}: not found (GetQueueUrl knows no such queue)`);
    const { Attributes } = await call("sqs:GetQueueAttributes", () =>
      aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["KmsMasterKeyId"] })),
    );
    const keyId = Attributes?.KmsMasterKeyId;
    return result(id, title, verdict(!!keyId), `${queue}: ${keyId ?? "no KmsMasterKeyId (not SSE-KMS)"}`);
  });
}

// --- the trail that feeds the alerts ----------------------------------------------

/** Whether the selectors record write management events, KMS's included. */
function recordsManagementWrites(selectors: GetEventSelectorsCommandOutput): boolean {
  const basic = (selectors.EventSelectors ?? []).some(
    (s) =>
      s.IncludeManagementEvents === true &&
      (s.ReadWriteType === "All" || s.ReadWriteType === "WriteOnly") &&
      !(s.ExcludeManagementEventSources ?? []).includes("kms.amazonaws.com"),
  );
  const advanced = (selectors.AdvancedEventSelectors ?? []).some((s) => {
    const field = (name: string) => s.FieldSelectors?.find((f) => f.Field === name);
    const source = field("eventSource");
    return (
      field("eventCategory")?.Equals?.includes("Management") === true &&
      !field("readOnly")?.Equals?.includes("true") &&
      (!source?.Equals || source.Equals.includes("kms.amazonaws.com")) &&
      !source?.NotEquals?.includes("kms.amazonaws.com")
    );
  });
  return basic || advanced;
}

/** What keeps the trail from feeding the alerts: not logging, no management events; empty when it feeds them. */
async function trailProblems(aws: AwsClients, arn: string): Promise<string[]> {
  const status = await call("cloudtrail:GetTrailStatus", () => aws.cloudtrail.send(new GetTrailStatusCommand({ Name: arn })));
  const selectors = await call("cloudtrail:GetEventSelectors", () => aws.cloudtrail.send(new GetEventSelectorsCommand({ TrailName: arn })));
  return [
    ...(status.IsLogging === true ? [] : ["not logging"]),
    ...(recordsManagementWrites(selectors) ? [] : ["no write management events of KMS"]),
  ];
}

export const NO_TRAIL = "key-misuse alerts need a CloudTrail trail recording management events; set alerts.createTrail or create one";

export async function checkTrail(aws: AwsClients, outputs: DeployedOutputs, region: string): Promise<CheckResult[]> {
  if (!outputs.alerts_topic_arn) return [];
  const id = "alerts.trail";
  const title = `A CloudTrail trail records ${region}'s management events`;
  return attempt(id, title, async () => {
    const { trailList } = await call("cloudtrail:DescribeTrails", () =>
      aws.cloudtrail.send(new DescribeTrailsCommand({ includeShadowTrails: true })),
    );
    const covering = (trailList ?? []).filter((t) => t.TrailARN && (t.IsMultiRegionTrail === true || t.HomeRegion === region));
    const seen: string[] = [];
    for (const trail of covering) {
      const problems = await trailProblems(aws, trail.TrailARN!);
      if (problems.length === 0)
        return result(
          id,
          title,
          "pass",
          `${trail.TrailARN}: logging write management events${trail.IsMultiRegionTrail ? " of every Region" : ""}`,
        );
      seen.push(`${trail.TrailARN}: ${problems.join(", ")}`);
    }
    const others = (trailList ?? []).length - covering.length;
    return result(id, title, "fail", [NO_TRAIL, ...seen, ...(others > 0 ? [`${others} trail(s) of other Regions only`] : [])].join("; "));
  });
}

export async function checkAlertsTrail(aws: AwsClients, outputs: DeployedOutputs): Promise<CheckResult[]> {
  const arn = outputs.alerts_trail_arn;
  if (!arn) return [];
  const id = "alerts.own-trail";
  const title = "The alerts' trail logs every Region, validates log files and is encrypted";
  return attempt(id, title, async () => {
    const { trailList } = await call("cloudtrail:DescribeTrails", () =>
      aws.cloudtrail.send(new DescribeTrailsCommand({ trailNameList: [arn], includeShadowTrails: true })),
    );
    const trail: Trail | undefined = (trailList ?? []).find((t) => t.TrailARN === arn);
    if (!trail) return result(id, title, "fail", `${arn}: not found`);
    const problems = await trailProblems(aws, arn);
    const ok = problems.length === 0 && trail.IsMultiRegionTrail === true && trail.LogFileValidationEnabled === true && !!trail.KmsKeyId;
    return result(
      id,
      title,
      verdict(ok),
      `${arn}: ${problems.length ? problems.join(", ") : "logging write management events"}, multi-Region ${trail.IsMultiRegionTrail ?? false}, log file validation ${trail.LogFileValidationEnabled ?? false}, ${trail.KmsKeyId ?? "no KMS key"}`,
    );
  });
}

// --- Customer Profiles --------------------------------------------------------------

export async function checkProfilesDomain(aws: AwsClients, outputs: DeployedOutputs): Promise<CheckResult[]> {
  const domain = outputs.customer_profiles_domain_name;
  if (!domain) return [];
  const id = "profiles.domain";
  const title = "Customer Profiles domain encrypts with the key";
  return attempt(id, title, async () => {
    const { DefaultEncryptionKey } = await call("profile:GetDomain", () => aws.profiles.send(new GetDomainCommand({ DomainName: domain })));
    if (!DefaultEncryptionKey) return result(id, title, "fail", `${domain}: no DefaultEncryptionKey (an AWS owned key)`);
    const arn = await keyArnOf(aws, DefaultEncryptionKey);
    return result(id, title, verdict(arn === outputs.key_arn), `${domain}: ${shown(DefaultEncryptionKey, arn)}`);
  });
}
