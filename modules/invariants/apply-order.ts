/**
 * Apply order: a resource whose API call AWS validates against another
 * resource's policy or configuration is created after it, by a reference
 * or `depends_on` (Terraform otherwise runs them in parallel, and the first
 * apply fails where the second succeeds).
 */
import { CheckedStack, Finding, Invariant } from "./invariant";
import { DependencyGraph } from "./references";
import type { Json, StackModel } from "./stack-model";

interface OrderRule {
  /** The resource type whose creation is validated. */
  readonly type: string;
  /** What must exist first, by address, for the resource at `name`. */
  readonly before: (stack: Stack, name: string, block: Json) => { address: string; what: string }[];
  readonly why: string;
  readonly source: string;
}

/** A stack's buckets and their configurations, by bucket name. */
class Stack {
  private readonly byBucket = new Map<string, Map<string, string>>();

  constructor(readonly model: StackModel) {
    for (const [name, block] of model.resources("aws_s3_bucket"))
      this.entry(model.string(block.bucket, name)).set("aws_s3_bucket", `aws_s3_bucket.${name}`);
    for (const type of ["aws_s3_bucket_policy", "aws_s3_bucket_versioning", "aws_s3_bucket_server_side_encryption_configuration"]) {
      for (const [name, block] of model.resources(type))
        this.entry(model.string(block.bucket, `${type}.${name}`)).set(type, `${type}.${name}`);
    }
  }

  private entry(bucket: string): Map<string, string> {
    const found = this.byBucket.get(bucket) ?? new Map<string, string>();
    this.byBucket.set(bucket, found);
    return found;
  }

  /** The address of `type` configuring the bucket a value names (a bucket of this stack), if any. */
  of(type: string, bucketValue: unknown, what: string): { address: string; what: string }[] {
    const name = this.model.value(bucketValue);
    const address = typeof name === "string" ? this.byBucket.get(name.replace(/^arn:[^:]+:s3:::/, ""))?.get(type) : undefined;
    return address ? [{ address, what: `${what} (${address})` }] : [];
  }

  /** The inline policies of the role a value names (a role of this stack). */
  rolePolicies(roleValue: unknown): { address: string; what: string }[] {
    const arn = this.model.value(roleValue);
    const role = this.model.resources("aws_iam_role").find(([name]) => this.model.value(`\${aws_iam_role.${name}.arn}`) === arn);
    if (!role) return [];
    const roleName = this.model.string(role[1].name, "name");
    return this.model
      .resources("aws_iam_role_policy")
      .filter(([, block]) => this.model.value(block.role) === roleName || this.model.value(block.role) === arn)
      .map(([name]) => ({ address: `aws_iam_role_policy.${name}`, what: `the role's policy (aws_iam_role_policy.${name})` }));
  }
}

const S3_LOGGING =
  "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general";

export const ORDER_RULES: readonly OrderRule[] = [
  {
    type: "aws_s3_bucket_logging",
    before: (stack, _name, block) => stack.of("aws_s3_bucket_policy", block.target_bucket, "the target bucket's policy"),
    why: "S3 accepts a logging configuration only into a target bucket whose policy lets logging.s3.amazonaws.com deliver (InvalidTargetBucketForLogging otherwise)",
    source: S3_LOGGING,
  },
  {
    type: "aws_cloudtrail",
    before: (stack, _name, block) => stack.of("aws_s3_bucket_policy", block.s3_bucket_name, "the trail bucket's policy"),
    why: "CreateTrail checks that the bucket policy lets CloudTrail write (InsufficientS3BucketPolicyException otherwise)",
    source: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html",
  },
  {
    type: "aws_connect_instance_storage_config",
    before: (stack, _name, block) => {
      const s3 = block.storage_config?.s3_config;
      if (!s3) return [];
      return [
        ...stack.of("aws_s3_bucket_policy", s3.bucket_name, "the bucket's policy"),
        ...stack.of("aws_s3_bucket_server_side_encryption_configuration", s3.bucket_name, "the bucket's default encryption"),
      ];
    },
    why: "Connect writes to the bucket as soon as the association exists: its TLS-only and key-pinning policy and its default encryption must be in place first",
    source: "https://docs.aws.amazon.com/connect/latest/adminguide/key-management.html",
  },
  {
    type: "aws_s3_bucket_replication_configuration",
    before: (stack, _name, block) => [
      ...stack.rolePolicies(block.role),
      ...stack.of("aws_s3_bucket_versioning", block.bucket, "the source bucket's versioning"),
      ...[block.rule ?? []]
        .flat()
        .flatMap((rule: Json) => stack.of("aws_s3_bucket_versioning", rule?.destination?.bucket, "the destination's versioning")),
    ],
    why: "PutBucketReplication requires versioning on both buckets, and replication runs with the role's permissions from the first object",
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html",
  },
  {
    type: "aws_kinesis_firehose_delivery_stream",
    before: (stack, _name, block) => stack.rolePolicies(block.extended_s3_configuration?.role_arn),
    why: "Firehose delivers with the role's permissions from its first record",
    source: "https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3",
  },
  {
    type: "aws_s3_bucket_object_lock_configuration",
    before: (stack, _name, block) => stack.of("aws_s3_bucket_versioning", block.bucket, "the bucket's versioning"),
    why: "Object Lock needs versioning enabled on the bucket",
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html",
  },
];

function orderFindings(stack: CheckedStack): Finding[] {
  const graph = new DependencyGraph(stack.json);
  const buckets = new Stack(stack.model);
  const findings: Finding[] = [];
  for (const rule of ORDER_RULES) {
    for (const [name, block] of stack.model.resources(rule.type)) {
      const address = `${rule.type}.${name}`;
      for (const required of rule.before(buckets, name, block)) {
        if (!graph.dependsOn(address, required.address)) {
          findings.push({ resource: address, message: `is not ordered after ${required.what}: ${rule.why}`, source: rule.source });
        }
      }
    }
  }
  return findings;
}

export const APPLY_ORDER: Invariant = {
  id: "apply-order",
  statement:
    "Every resource whose creation AWS validates against another resource's policy or configuration depends on it (by a reference or depends_on), so that the first apply succeeds.",
  source: S3_LOGGING,
  check: orderFindings,
};
