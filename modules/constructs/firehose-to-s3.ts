import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogStream } from "@cdktf/provider-aws/lib/cloudwatch-log-stream";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KinesisFirehoseDeliveryStream } from "@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream";
import { AwsAccount } from "./aws-account";
import { EncryptionKey } from "./encryption-key";
import { EncryptedBucket } from "./encrypted-bucket";
import { policyDocument, renderPolicy } from "../config/policy";
import { Condition, and, applyCondition, attributeOf, listOf, mayExist } from "./condition";

export interface FirehoseToS3Props {
  /** Delivery stream name (also names its role and log group), up to 64 characters. */
  readonly name: string;
  readonly account: AwsAccount;
  /** Encrypts records while Firehose buffers them, and the objects it writes. */
  readonly encryptionKey: EncryptionKey;
  /** Where records land. */
  readonly bucket: EncryptedBucket;
  /** Object key prefix for records, without a trailing `/`; year/month/day partitions follow. */
  readonly prefix: string;
  /** Object key prefix for records that failed, without a trailing `/`. */
  readonly errorPrefix: string;
  /**
   * Buffer size before a delivery, 1-128 MiB.
   * @default 5
   */
  readonly bufferingSizeMib?: number;
  /**
   * Buffer time before a delivery, 0-900 seconds.
   * @default 300
   */
  readonly bufferingIntervalSeconds?: number;
  /**
   * Delivery errors to a CloudWatch log group (encrypted with the key, kept 365 days).
   * @default true
   */
  readonly errorLogging?: Condition;
  /**
   * Whether the delivery stream exists (a Terraform expression in the module).
   * @default true
   */
  readonly enabled?: Condition;
  /** @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

const PARTITIONS = "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/";
const LOG_STREAM = "DestinationDelivery";

/**
 * A Direct PUT Firehose delivery stream into the recordings bucket. Records
 * are encrypted with the customer-managed key while buffered (server-side
 * encryption with CUSTOMER_MANAGED_CMK) and when written (SSE-KMS). Its role
 * may write only under its prefixes, and use the key only through S3 for
 * this bucket.
 */
export class FirehoseToS3 extends Construct {
  readonly role: IamRole;
  readonly rolePolicy: IamRolePolicy;
  readonly deliveryStream: KinesisFirehoseDeliveryStream;
  readonly logGroup?: CloudwatchLogGroup;
  readonly enabled: Condition;

  constructor(scope: Construct, id: string, props: FirehoseToS3Props) {
    super(scope, id);
    const { account, bucket } = props;
    const key = props.encryptionKey;
    const enabled = (this.enabled = props.enabled ?? true);
    const logging = and(enabled, props.errorLogging ?? true);
    key.allowFirehoseEncryption(enabled);

    this.role = applyCondition(
      new IamRole(this, "role", {
        name: `${props.name}-firehose`,
        description: `Firehose delivery of ${props.name} into ${props.prefix}/ of the recordings bucket`,
        assumeRolePolicy: renderPolicy(
          policyDocument([
            {
              // Firehose developer guide, "Controlling access" (https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html):
              // Firehose assumes the role with the account ID as external ID.
              Sid: "FirehoseOfThisAccount",
              Effect: "Allow",
              Principal: { Service: "firehose.amazonaws.com" },
              Action: "sts:AssumeRole",
              Condition: { StringEquals: { "sts:ExternalId": account.accountId } },
            },
          ]),
        ),
        tags: props.tags,
      }),
      enabled,
    );

    // Named in the key policy too, so delivery keeps working when the key does not delegate to IAM.
    // Firehose guide, "Grant Firehose access to an Amazon S3 destination" (https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3):
    // Decrypt and GenerateDataKey through S3 for objects it writes under SSE-KMS.
    key.allowThroughS3("FirehoseWritesThroughS3", attributeOf(this.role, "arn", enabled), ["kms:Decrypt", "kms:GenerateDataKey"], enabled);

    let logGroupName: string | undefined;
    let logGroupArn: string | undefined;
    if (mayExist(logging)) {
      const name = `/aws/kinesisfirehose/${props.name}`;
      key.allowLogGroupEncryption(`${id.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase())}Logs`, name, logging);
      this.logGroup = applyCondition(
        new CloudwatchLogGroup(this, "logs", { name, retentionInDays: 365, kmsKeyId: key.keyArn, tags: props.tags }),
        logging,
      );
      logGroupName = attributeOf(this.logGroup, "name", logging);
      logGroupArn = attributeOf(this.logGroup, "arn", logging);
      applyCondition(new CloudwatchLogStream(this, "log_stream", { name: LOG_STREAM, logGroupName }), logging);
    }

    const objects = [`${bucket.bucketArn}/${props.prefix}/*`, `${bucket.bucketArn}/${props.errorPrefix}/*`];
    const statements = listOf([
      {
        item: {
          // Same page: the S3 actions a delivery role needs, here only under its own prefixes.
          Sid: "WriteUnderOwnPrefixes",
          Effect: "Allow" as const,
          Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"],
          Resource: objects,
        },
        when: true,
      },
      {
        item: {
          // Same page: bucket location, listing and multipart uploads on the bucket itself.
          Sid: "FindTheBucket",
          Effect: "Allow" as const,
          Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
          Resource: bucket.bucketArn,
        },
        when: true,
      },
      {
        item: {
          // Same page, "kms:ViaService" and "kms:EncryptionContext:aws:s3:arn" conditions on the key statement.
          Sid: "UseTheKeyThroughS3ForThisBucket",
          Effect: "Allow" as const,
          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          Resource: key.keyArn,
          Condition: {
            StringEquals: { "kms:ViaService": account.viaService("s3") },
            // With an S3 Bucket Key the context is the bucket ARN; without, the object ARN.
            StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucket.bucketArn, ...objects] },
          },
        },
        when: true,
      },
      {
        item: {
          // Firehose guide, "Monitoring with CloudWatch Logs" (https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-logs.html).
          Sid: "LogDeliveryErrors",
          Effect: "Allow" as const,
          Action: "logs:PutLogEvents",
          Resource: `${logGroupArn}:log-stream:${LOG_STREAM}`,
        },
        when: logGroupArn === undefined ? false : logging,
      },
    ]);
    this.rolePolicy = applyCondition(
      new IamRolePolicy(this, "role_policy", {
        name: "deliver-to-recordings-bucket",
        role: attributeOf(this.role, "id", enabled),
        policy: renderPolicy(policyDocument(statements)),
      }),
      enabled,
    );

    this.deliveryStream = applyCondition(
      new KinesisFirehoseDeliveryStream(this, "Resource", {
        name: props.name,
        destination: "extended_s3",
        serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: key.keyArn },
        extendedS3Configuration: {
          roleArn: attributeOf(this.role, "arn", enabled),
          bucketArn: bucket.bucketArn,
          kmsKeyArn: key.keyArn,
          prefix: `${props.prefix}/${PARTITIONS}`,
          errorOutputPrefix: `${props.errorPrefix}/!{firehose:error-output-type}/${PARTITIONS}`,
          bufferingSize: props.bufferingSizeMib ?? 5,
          bufferingInterval: props.bufferingIntervalSeconds ?? 300,
          cloudwatchLoggingOptions:
            logGroupName === undefined ? { enabled: false } : { enabled: logging, logGroupName, logStreamName: LOG_STREAM },
        },
        tags: props.tags,
        // The role must be able to write before Firehose validates the destination.
        dependsOn: [this.rolePolicy, ...bucket.readiness],
      }),
      enabled,
    );
  }

  get deliveryStreamArn(): string {
    return attributeOf(this.deliveryStream, "arn", this.enabled);
  }

  /** The delivery stream's encryption as Terraform configures it (for outputs and audits). */
  get encryptionEvidence(): Record<string, string> {
    const attribute = (path: string): string => attributeOf(this.deliveryStream, path, this.enabled);
    return {
      server_side_encryption_enabled: attribute("server_side_encryption[0].enabled"),
      server_side_encryption_key_type: attribute("server_side_encryption[0].key_type"),
      server_side_encryption_key_arn: attribute("server_side_encryption[0].key_arn"),
      s3_kms_key_arn: attribute("extended_s3_configuration[0].kms_key_arn"),
    };
  }

  get roleArn(): string {
    return attributeOf(this.role, "arn", this.enabled);
  }
}
