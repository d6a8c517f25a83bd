/**
 * The Checkov findings the module keeps on purpose, each explained on the
 * block it concerns: the HCL renderer writes `# checkov:skip=<check>: <reason>`
 * at the top of every matching block, which Checkov's Terraform runner reads
 * per resource (unlike the stacks' Terraform JSON, where .checkov.yaml can
 * only skip a check everywhere). Measured with Checkov 3.3.13
 * (docs/terraform-module.md, "Scanning"); anything not listed here must pass.
 */

export interface CheckovSkip {
  /** Block addresses inside the module (`resource.<type>.<name>` or `data.<type>.<name>`), or a pattern over them. */
  readonly blocks: RegExp;
  readonly checks: readonly string[];
  /** One line: why the finding is kept, and what proves the property instead. */
  readonly reason: string;
}

export const CHECKOV_SKIPS: readonly CheckovSkip[] = [
  {
    // KMS developer guide, "Key policies in AWS KMS" (https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html):
    // in a key policy the Resource element is "*", which means "this KMS key".
    blocks: /^data\.aws_iam_policy_document\.(key|key_alerts_key)_policy_document$/,
    checks: ["CKV_AWS_109", "CKV_AWS_111", "CKV_AWS_356"],
    reason: 'a key policy, where Resource "*" means this key (KMS key policies); who may do what with it is proven by the access matrix',
  },
  {
    // bridgecrewio/checkov#7239: each check reads the other storage type's block and fails when it is absent.
    blocks: /^resource\.aws_connect_instance_storage_config\./,
    checks: ["CKV_AWS_269", "CKV_AWS_270"],
    reason:
      "Checkov false positive (bridgecrewio/checkov#7239): it reads the other storage type's block; the key ARN is asserted by the tests",
  },
  {
    // EventBridge user guide, "AWS service events delivered via AWS CloudTrail"
    // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html).
    blocks: /^resource\.aws_cloudtrail\.key_alerts_trail$/,
    checks: ["CKV_AWS_252", "CKV2_AWS_10"],
    reason:
      "the trail feeds the key-misuse alerts through EventBridge; a notice per log file (SNS) or a second copy in CloudWatch Logs adds no reader",
  },
  {
    // The replica module's buckets.
    blocks: /^resource\.aws_s3_bucket\.(bucket|logs|unlocked_bucket)$/,
    checks: ["CKV_AWS_144"],
    reason: "the disaster-recovery copy itself, already in the second Region: a copy of the copy would be a third Region",
  },
  {
    blocks: /^resource\.aws_s3_bucket\.(access_logs|logs)$/,
    checks: ["CKV_AWS_145"],
    reason: "S3 server access logs can only be delivered to a bucket with SSE-S3 (S3 user guide, Enabling server access logging)",
  },
  {
    // Reproduced with a one-bucket root: count = 1 plus aws_s3_bucket_versioning on [0].id fails CKV_AWS_21.
    blocks: /^resource\.aws_s3_bucket\.(access_logs|key_alerts_trail_bucket)$/,
    checks: ["CKV2_AWS_6", "CKV2_AWS_61", "CKV2_AWS_62", "CKV_AWS_18", "CKV_AWS_21", "CKV_AWS_144", "CKV_AWS_145"],
    reason:
      "a bucket with count, which Checkov does not connect to its public-access block, lifecycle, notifications, logging, versioning, replication and encryption resources; the module gives it each of them",
  },
];

/** The skip comments for one block, in the order of the table. */
export function checkovSkipComments(address: string): string[] {
  const lines: string[] = [];
  for (const skip of CHECKOV_SKIPS) {
    if (!skip.blocks.test(address)) continue;
    for (const check of skip.checks)
      if (!lines.some((l) => l.includes(`=${check}:`))) lines.push(`# checkov:skip=${check}: ${skip.reason}`);
  }
  return lines;
}
