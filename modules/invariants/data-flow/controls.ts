/**
 * Stores of the production controls: disaster-recovery copies, access-log
 * buckets, the alerts' dead-letter queue and topic, the trail's log and
 * digest files, CloudWatch log groups, the Customer Profiles domain, and
 * any other bucket under a key of the stack (the Terraform state bucket).
 */
import { Context } from "../iam-engine";
import { Requests, TLS, allowAll, sseKms, throughS3 } from "../requests";
import type { BucketModel, Json } from "../stack-model";
import { s3ObjectReads } from "./content";
import { Store, StoreFinder, step } from "./store";

const object = "connect/CallRecordings/2026/12/01/contact-1";

/** Objects S3 replication copies into a replica bucket, re-encrypted under the replica key (or as they are, for logs). */
const replicas: StoreFinder = (requests) =>
  requests.model.replications().flatMap((config) =>
    config.destinations.map((destination): Store => {
      const model = requests.model;
      const replica = model.bucket(destination.bucketArn);
      const role = model.role(config.roleArn);
      const key = destination.replicaKeyArn;
      const writes = [
        step(`s3:ReplicateObject into ${replica.name}`, () =>
          requests.s3(role.arn, "s3:ReplicateObject", replica, object, TLS, role.policies),
        ),
        ...(key
          ? ["kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt"].map((action) =>
              step(`${action} through S3 with the replica key`, () =>
                requests.kmsDecision(role.arn, action, key, throughS3(replica, object, requests.account), role.policies),
              ),
            )
          : []),
      ];
      return {
        resource: config.address,
        what: `the disaster-recovery copies in ${replica.name}`,
        writer: "the S3 replication role",
        writes,
        reads: key ? s3ObjectReads(requests, replica, key, object) : plainReads(requests, replica, object),
        readerField: ["key", "auditorArns"],
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html",
      };
    }),
  );

/** An object of an SSE-S3 bucket: S3 decrypts for whoever may read it. */
function plainReads(requests: Requests, bucket: BucketModel, key: string) {
  return (reader: string) => [
    step(`s3:GetObject on ${bucket.name}/${key}`, () => requests.s3(reader, "s3:GetObject", bucket, key, TLS, [allowAll("s3")])),
  ];
}

/** Server access logs S3 delivers into a log bucket of the stack. */
const accessLogs: StoreFinder = (requests) =>
  requests.model.resources("aws_s3_bucket_logging").flatMap(([name, block]): Store[] => {
    const model = requests.model;
    const target = model.buckets().find((b) => b.name === model.value(block.target_bucket));
    if (!target) return [];
    const source = model.bucket(model.string(block.bucket, "bucket"));
    const key = `${model.string(block.target_prefix, "target_prefix")}2026-12-01-00-00-00-EXAMPLE`;
    const context: Context = { ...TLS, "aws:SourceArn": source.arn, "aws:SourceAccount": requests.account };
    return [
      {
        resource: `aws_s3_bucket_logging.${name}`,
        what: `the server access logs of ${source.name} in ${target.name}`,
        writer: "S3 log delivery (logging.s3.amazonaws.com)",
        writes: [
          step(`s3:PutObject of ${target.name}/${key}`, () =>
            requests.s3("logging.s3.amazonaws.com", "s3:PutObject", target, key, context),
          ),
        ],
        reads: plainReads(requests, target, key),
        readerField: ["bucket", "accessLogs"],
        source:
          "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general",
      },
    ];
  });

/** The ARN of the rule whose target (or its dead-letter queue) is `arn`. */
function ruleDelivering(requests: Requests, arn: string): string | undefined {
  const model = requests.model;
  for (const [, target] of model.resources("aws_cloudwatch_event_target")) {
    const dlq = [target.dead_letter_config ?? []].flat()[0] as Json | undefined;
    if (model.value(target.arn) !== arn && !(dlq && model.value(dlq.arn) === arn)) continue;
    const ruleName = model.value(target.rule);
    const rule = model.described("aws_cloudwatch_event_rule", ["arn", "name"]).find((r) => r.name === ruleName);
    if (rule) return rule.arn;
  }
  return undefined;
}

/** The alerts EventBridge could not deliver, kept in the encrypted dead-letter queue. */
const deadLetters: StoreFinder = (requests) =>
  requests.model.queues().flatMap((queue): Store[] => {
    const rule = ruleDelivering(requests, queue.arn);
    if (!queue.kmsKeyArn || !rule) return [];
    const fromRule: Context = { "aws:SourceArn": rule, "aws:SourceAccount": requests.account };
    const key = queue.kmsKeyArn;
    return [
      {
        resource: queue.address,
        what: `the undelivered alerts in ${queue.arn}`,
        writer: "EventBridge (events.amazonaws.com) for its rule",
        writes: [
          step("sqs:SendMessage", () =>
            requests.withResourcePolicy("events.amazonaws.com", "sqs:SendMessage", queue.arn, queue.policy, { ...TLS, ...fromRule }),
          ),
          ...["kms:GenerateDataKey", "kms:Decrypt"].map((action) =>
            step(`${action} with the queue's key`, () => requests.kmsDecision("events.amazonaws.com", action, key, fromRule)),
          ),
        ],
        reads: (reader) => [
          step("sqs:ReceiveMessage", () =>
            requests.withResourcePolicy(reader, "sqs:ReceiveMessage", queue.arn, queue.policy, TLS, [allowAll("sqs")]),
          ),
          step("kms:Decrypt through SQS", () =>
            requests.kmsDecision(
              reader,
              "kms:Decrypt",
              key,
              { "kms:ViaService": `sqs.${requests.model.region}.amazonaws.com`, "kms:CallerAccount": requests.account },
              [allowAll("kms")],
            ),
          ),
        ],
        readerField: ["alerts", "readerArns"],
        source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html",
      },
    ];
  });

/** The alerts EventBridge publishes to the encrypted topic; SNS decrypts for its subscribers. */
const topics: StoreFinder = (requests) =>
  requests.model.topics().flatMap((topic): Store[] => {
    const rule = ruleDelivering(requests, topic.arn);
    if (!topic.kmsKeyArn || !rule) return [];
    const model = requests.model;
    const fromRule: Context = { "aws:SourceArn": rule, "aws:SourceAccount": requests.account };
    const emails = model
      .resources("aws_sns_topic_subscription")
      .filter(([, s]) => model.value(s.topic_arn) === topic.arn && model.value(s.protocol) === "email")
      .map(([, s]) => String(model.value(s.endpoint)));
    return [
      {
        resource: topic.address,
        what: `the alerts published to ${topic.arn}`,
        writer: "EventBridge (events.amazonaws.com) for its rule",
        writes: [
          step("sns:Publish", () =>
            requests.withResourcePolicy("events.amazonaws.com", "sns:Publish", topic.arn, topic.policy, { ...TLS, ...fromRule }),
          ),
          ...["kms:GenerateDataKey", "kms:Decrypt"].map((action) =>
            step(`${action} with the topic's key`, () => requests.kmsDecision("events.amazonaws.com", action, topic.kmsKeyArn!, fromRule)),
          ),
        ],
        // SNS decrypts before it delivers: a subscriber needs no key permission, only the subscription.
        reads: (reader) => [
          step("sns:Subscribe", () =>
            requests.withResourcePolicy(reader, "sns:Subscribe", topic.arn, topic.policy, TLS, [allowAll("sns")]),
          ),
        ],
        otherReaders: emails,
        readerField: ["alerts", "emails"],
        source: "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html",
      },
    ];
  });

/** The log files and digest files of the trail, written by CloudTrail under the trail's key. */
const trailFiles: StoreFinder = (requests) =>
  requests.model.resources("aws_cloudtrail").flatMap(([name, block]): Store[] => {
    const model = requests.model;
    const trail = model.string(`\${aws_cloudtrail.${name}.arn}`, "trail arn");
    const bucket = model.bucket(model.string(block.s3_bucket_name, "s3_bucket_name"));
    const key = model.string(block.kms_key_id, "kms_key_id");
    return ["CloudTrail", "CloudTrail-Digest"].map((folder): Store => {
      const file = `AWSLogs/${requests.account}/${folder}/${model.region}/2026/12/01/file.json.gz`;
      const trailContext = { "kms:EncryptionContext:aws:cloudtrail:arn": trail };
      return {
        resource: `aws_cloudtrail.${name}`,
        what: `the trail's ${folder === "CloudTrail" ? "log files" : "digest files"} in ${bucket.name}`,
        writer: "CloudTrail (cloudtrail.amazonaws.com) for this trail",
        writes: [
          step("s3:GetBucketAcl", () =>
            requests.s3("cloudtrail.amazonaws.com", "s3:GetBucketAcl", bucket, undefined, { ...TLS, "aws:SourceArn": trail }),
          ),
          step(`s3:PutObject of ${file}`, () =>
            requests.s3("cloudtrail.amazonaws.com", "s3:PutObject", bucket, file, {
              ...TLS,
              ...sseKms(key),
              "s3:x-amz-acl": "bucket-owner-full-control",
              "aws:SourceArn": trail,
            }),
          ),
          step("kms:GenerateDataKey for the trail", () =>
            requests.kmsDecision("cloudtrail.amazonaws.com", "kms:GenerateDataKey", key, { "aws:SourceArn": trail, ...trailContext }),
          ),
        ],
        reads: s3ObjectReads(requests, bucket, key, file, trailContext),
        readerField: ["alerts", "readerArns"],
        source: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html",
      };
    });
  });

/** Log groups under a key: CloudWatch Logs encrypts and decrypts them itself, for whoever IAM lets read them. */
const logGroups: StoreFinder = (requests) =>
  requests.model.described("aws_cloudwatch_log_group", ["arn", "kms_key_id", "name"]).flatMap((group): Store[] => {
    if (!group.kms_key_id) return [];
    const logs = `logs.${requests.model.region}.amazonaws.com`;
    const context: Context = { "kms:EncryptionContext:aws:logs:arn": group.arn! };
    const key = String(group.kms_key_id);
    return [
      {
        resource: group.address,
        what: `the log events of ${String(group.name)}`,
        writer: "CloudWatch Logs for the log group",
        writes: [step("kms:GenerateDataKey for the log group", () => requests.kmsDecision(logs, "kms:GenerateDataKey", key, context))],
        reads: (reader) => [
          step("logs:GetLogEvents", () =>
            requests.withResourcePolicy(reader, "logs:GetLogEvents", `${group.arn}:log-stream:x`, undefined, TLS, [allowAll("logs")]),
          ),
          step("kms:Decrypt by CloudWatch Logs", () => requests.kmsDecision(logs, "kms:Decrypt", key, context)),
        ],
        readerField: ["key", "userArns"],
        source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
      },
    ];
  });

/** The profiles of a Customer Profiles domain under a key: Customer Profiles encrypts and decrypts them itself. */
const profileDomains: StoreFinder = (requests) =>
  requests.model.described("aws_customerprofiles_domain", ["arn", "default_encryption_key", "domain_name"]).flatMap((domain): Store[] => {
    if (!domain.default_encryption_key) return [];
    const key = String(domain.default_encryption_key);
    const context: Context = { "aws:SourceAccount": requests.account, "aws:SourceArn": domain.arn! };
    return [
      {
        resource: domain.address,
        what: `the profiles of the domain ${String(domain.domain_name)}`,
        writer: "Customer Profiles (profile.amazonaws.com) for the domain",
        writes: [
          step("kms:GenerateDataKey for the domain", () =>
            requests.kmsDecision("profile.amazonaws.com", "kms:GenerateDataKey", key, context),
          ),
        ],
        reads: (reader) => [
          step("profile:SearchProfiles", () =>
            requests.withResourcePolicy(reader, "profile:SearchProfiles", domain.arn!, undefined, TLS, [allowAll("profile")]),
          ),
          step("kms:Decrypt by Customer Profiles", () => requests.kmsDecision("profile.amazonaws.com", "kms:Decrypt", key, context)),
        ],
        readerField: ["key", "userArns"],
        source: "https://docs.aws.amazon.com/connect/latest/adminguide/enable-customer-profiles.html",
      },
    ];
  });

/** The buckets under a key that no service of the stack writes (the Terraform state bucket): whoever IAM lets write them. */
function otherKeyBuckets(written: ReadonlySet<string>): StoreFinder {
  return (requests) =>
    requests.model
      .buckets()
      .filter((bucket) => bucket.encryption?.algorithm === "aws:kms" && bucket.encryption.kmsKeyArn && !written.has(bucket.name))
      .map((bucket): Store => {
        const key = bucket.encryption!.kmsKeyArn!;
        const file = "connect-encryption/env/terraform.tfstate";
        return {
          resource: bucket.address,
          what: `the objects of ${bucket.name}`,
          writer: "the account's principals, as their IAM policies allow",
          writes: [
            step(`s3:PutObject of ${bucket.name}/${file}`, () =>
              requests.s3(ACCOUNT_PRINCIPAL(requests), "s3:PutObject", bucket, file, { ...TLS, ...sseKms(key) }, [allowAll("s3")]),
            ),
            step("kms:GenerateDataKey through S3", () =>
              requests.kmsDecision(ACCOUNT_PRINCIPAL(requests), "kms:GenerateDataKey", key, throughS3(bucket, file, requests.account), [
                allowAll("kms"),
              ]),
            ),
          ],
          reads: s3ObjectReads(requests, bucket, key, file),
          readerField: ["key", "auditorArns"],
          source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
        };
      });
}

/** A principal of the account that no policy of the stack names: it gets in only where a policy delegates to IAM. */
export const ACCOUNT_PRINCIPAL = (requests: Requests): string =>
  `arn:${requests.model.partition}:iam::${requests.account}:role/AnyRoleItsIamPoliciesAllow`;

export const CONTROL_STORES: readonly StoreFinder[] = [replicas, accessLogs, deadLetters, topics, trailFiles, logGroups, profileDomains];
export { otherKeyBuckets };
