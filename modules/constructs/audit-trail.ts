import { Construct } from "constructs";
import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { AwsAccount } from "./aws-account";
import { EncryptionKey } from "./encryption-key";
import { EncryptedBucket, LogDeliveryTarget } from "./encrypted-bucket";
import { Condition, applyCondition, attributeOf } from "./condition";
import { suppress } from "../guardrails/suppressions";
import { BUCKET_SSE_KMS } from "../guardrails/rules";

export interface AuditTrailProps {
  readonly account: AwsAccount;
  /** Name of the trail. */
  readonly name: string;
  /** Name of the bucket that receives the log files. */
  readonly bucketName: string;
  /** Encrypts the log files and their bucket. */
  readonly encryptionKey: EncryptionKey;
  /** Where the trail bucket's own access logs go. @default none */
  readonly accessLogs?: LogDeliveryTarget | string;
  /** Whether the trail exists (a Terraform expression in the module). @default true */
  readonly enabled?: Condition;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A multi-Region CloudTrail trail of management events, for accounts that
 * have none: EventBridge receives "AWS API Call via CloudTrail" events only
 * from a trail. Log files are encrypted with `encryptionKey`, validated
 * (digest files), and kept in a hardened bucket of their own.
 */
export class AuditTrail extends Construct {
  readonly trail: Cloudtrail;
  readonly bucket: EncryptedBucket;
  private readonly enabled: Condition;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const enabled = (this.enabled = props.enabled ?? true);
    const { account, encryptionKey: key } = props;
    const trailArn = account.arn("cloudtrail", `trail/${props.name}`);
    this.bucket = new EncryptedBucket(this, "bucket", {
      bucketName: props.bucketName,
      encryptionKey: key,
      // CloudTrail user guide, "Configure AWS KMS key policies for CloudTrail", required elements for trails:
      // "If you are using an existing S3 bucket with an S3 Bucket Key, kms:Decrypt permissions are required to
      // create or update a trail with SSE-KMS encryption enabled." Without a Bucket Key the deployer needs no
      // Decrypt on the alerts key (which also protects the dead-letter queue); CloudTrail writes a few files
      // an hour, so the Bucket Key would save little.
      bucketKey: false,
      accessLogs: props.accessLogs ? { target: props.accessLogs, prefix: "trail/" } : undefined,
      enabled,
      tags: props.tags,
    });
    suppress(
      this.bucket,
      BUCKET_SSE_KMS.id,
      "The trail bucket has no S3 Bucket Key: with one, CloudTrail would require kms:Decrypt on the alerts key for whoever creates or updates the trail (CloudTrail user guide, Configure AWS KMS key policies for CloudTrail). Its objects are SSE-KMS under the alerts key.",
    );
    // CloudTrail user guide, "Amazon S3 bucket policy for CloudTrail"
    // (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html).
    this.bucket.addToResourcePolicy({
      Sid: "CloudTrailChecksBucketAcl",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:GetBucketAcl",
      Resource: this.bucket.bucketArn,
      Condition: { StringEquals: { "aws:SourceArn": trailArn } },
    });
    this.bucket.addToResourcePolicy({
      Sid: "CloudTrailWritesLogFiles",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${this.bucket.bucketArn}/AWSLogs/${account.accountId}/*`,
      Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trailArn } },
    });
    // CloudTrail user guide, "Configure AWS KMS key policies for CloudTrail"
    // (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html).
    key.allowService(
      "CloudTrailEncryptsThisTrailsLogs",
      "cloudtrail.amazonaws.com",
      ["kms:GenerateDataKey*"],
      {
        StringEquals: { "aws:SourceArn": trailArn },
        // Log files of this account's trails, from any Region (the trail is multi-Region).
        StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:${account.partition}:cloudtrail:*:${account.accountId}:trail/*` },
      },
      enabled,
    );
    key.allowService(
      "CloudTrailDescribesKey",
      "cloudtrail.amazonaws.com",
      ["kms:DescribeKey"],
      { StringEquals: { "aws:SourceArn": trailArn } },
      enabled,
    );
    this.trail = applyCondition(
      new Cloudtrail(this, "Resource", {
        name: props.name,
        s3BucketName: this.bucket.bucketName,
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        enableLogFileValidation: true,
        enableLogging: true,
        kmsKeyId: key.keyArn,
        tags: props.tags,
        dependsOn: this.bucket.readiness,
      }),
      enabled,
    );
  }

  get trailArn(): string {
    return attributeOf(this.trail, "arn", this.enabled);
  }
}
