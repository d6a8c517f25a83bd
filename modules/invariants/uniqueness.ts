/**
 * Names AWS requires unique never collide across the stacks of one
 * declaration (the state bootstrap's included): per account and Region
 * (KMS aliases, Customer Profiles domains, topics, queues, streams,
 * delivery streams, rules on the default bus, log groups, trails), per
 * account (IAM roles, managed policies, OIDC providers), per partition
 * (buckets) and across AWS (the Connect instance alias, part of its
 * access URL). Stacks pinned to no account are taken to share one (the
 * credentials that run them decide), so their names must differ too.
 */
import { CheckedStack, DeclarationInvariant, Finding } from "./invariant";
import type { Json, StackModel } from "./stack-model";

type Scope = "account-region" | "account" | "partition" | "global";

interface UniqueName {
  readonly type: string;
  readonly attribute: string;
  readonly scope: Scope;
  readonly what: string;
  readonly source: string;
  /** The environment field that names it, when the user wrote it. */
  readonly field?: readonly string[];
}

export const UNIQUE_NAMES: readonly UniqueName[] = [
  {
    type: "aws_kms_alias",
    attribute: "name",
    scope: "account-region",
    what: "KMS alias",
    field: ["key", "alias"],
    source: "https://docs.aws.amazon.com/kms/latest/developerguide/alias-about.html",
  },
  {
    type: "aws_iam_role",
    attribute: "name",
    scope: "account",
    what: "IAM role name",
    field: ["namePrefix"],
    source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names",
  },
  {
    type: "aws_iam_policy",
    attribute: "name",
    scope: "account",
    what: "IAM policy name",
    source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names",
  },
  {
    type: "aws_iam_openid_connect_provider",
    attribute: "url",
    scope: "account",
    what: "IAM OIDC provider",
    source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html",
  },
  {
    type: "aws_customerprofiles_domain",
    attribute: "domain_name",
    scope: "account-region",
    what: "Customer Profiles domain",
    field: ["customerProfiles", "domainName"],
    source: "https://docs.aws.amazon.com/customerprofiles/latest/APIReference/API_CreateDomain.html",
  },
  {
    type: "aws_sns_topic",
    attribute: "name",
    scope: "account-region",
    what: "SNS topic",
    field: ["namePrefix"],
    source: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
  },
  {
    type: "aws_sqs_queue",
    attribute: "name",
    scope: "account-region",
    what: "SQS queue",
    field: ["namePrefix"],
    source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html",
  },
  {
    type: "aws_kinesis_stream",
    attribute: "name",
    scope: "account-region",
    what: "Kinesis data stream",
    field: ["namePrefix"],
    source: "https://docs.aws.amazon.com/kinesis/latest/APIReference/API_CreateStream.html",
  },
  {
    type: "aws_kinesis_firehose_delivery_stream",
    attribute: "name",
    scope: "account-region",
    what: "Firehose delivery stream",
    field: ["namePrefix"],
    source: "https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html",
  },
  {
    type: "aws_cloudwatch_event_rule",
    attribute: "name",
    scope: "account-region",
    what: "EventBridge rule",
    field: ["namePrefix"],
    source: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html",
  },
  {
    type: "aws_cloudwatch_log_group",
    attribute: "name",
    scope: "account-region",
    what: "log group",
    field: ["namePrefix"],
    source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
  },
  {
    type: "aws_cloudtrail",
    attribute: "name",
    scope: "account-region",
    what: "CloudTrail trail",
    field: ["namePrefix"],
    source: "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html",
  },
  {
    type: "aws_s3_bucket",
    attribute: "bucket",
    scope: "partition",
    what: "bucket name",
    field: ["bucket", "name"],
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
  },
  {
    type: "aws_connect_instance",
    attribute: "instance_alias",
    scope: "global",
    what: "Connect instance alias",
    field: ["instance", "create", "alias"],
    source: "https://docs.aws.amazon.com/connect/latest/APIReference/API_CreateInstance.html",
  },
];

/** The account a stack's provider (default or aliased) is pinned to; undefined when none. */
function accountOf(json: Json, provider: unknown): string | undefined {
  const alias = typeof provider === "string" && provider.startsWith("aws.") ? provider.slice(4) : undefined;
  const block = (json.provider?.aws ?? []).find((p: Json) => p.alias === alias);
  return block?.allowed_account_ids?.[0];
}

function scopeKey(scope: Scope, json: Json, model: StackModel, block: Json): string {
  const account = accountOf(json, block.provider) ?? "(no account declared)";
  switch (scope) {
    case "account-region":
      return `${account}/${model.regionOf(block)}`;
    case "account":
      return account;
    case "partition":
      return "aws";
    case "global":
      return "*";
  }
}

interface Claim {
  readonly stack: string;
  readonly address: string;
}

function uniquenessFindings(stacks: readonly CheckedStack[]): (Finding & { stack: string })[] {
  const findings: (Finding & { stack: string })[] = [];
  for (const rule of UNIQUE_NAMES) {
    const claims = new Map<string, Claim>();
    for (const stack of stacks) {
      for (const [name, block] of stack.model.resources(rule.type)) {
        const value = stack.model.value(block[rule.attribute]);
        if (typeof value !== "string") continue;
        // IAM and S3 names compare without regard to case where AWS does (IAM names are case-insensitive).
        const comparable = rule.scope === "account" ? value.toLowerCase() : value;
        const key = `${scopeKey(rule.scope, stack.json, stack.model, block)}\u0000${comparable}`;
        const address = `${rule.type}.${name}`;
        const other = claims.get(key);
        if (other) {
          findings.push({
            stack: stack.name,
            resource: address,
            message: `the ${rule.what} ${JSON.stringify(value)} is also that of ${other.address} in ${other.stack}; AWS refuses the second`,
            source: rule.source,
            field: rule.field,
          });
        } else claims.set(key, { stack: stack.name, address });
      }
    }
  }
  return findings;
}

export const UNIQUENESS: DeclarationInvariant = {
  id: "uniqueness",
  statement:
    "No two stacks of one declaration (the state bootstrap's included) create the same name where AWS requires it unique: per account and Region, per account, per partition, or across AWS.",
  source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
  check: uniquenessFindings,
};
