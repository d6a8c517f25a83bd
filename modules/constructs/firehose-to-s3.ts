import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogStream } from "@cdktf/provider-aws/lib/cloudwatch-log-stream";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KinesisFirehoseDeliveryStream } from "@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream";
import { AwsAccount } from "./aws-account";
import { EncryptionKey } from "./encryption-key";
import { EncryptedBucket } from "./encrypted-bucket";
import { Condition, and, applyCondition, attributeOf, mayExist } from "./condition";
import { ConditionalStatement, always, policyAttribute } from "./policy-document";

export interface FirehoseToS3Props {
  /** Delivery stream name (also names its role and log group), up to 64 characters. */
  readonly name: string;
  readonly account: AwsAccount;
  /** Encrypts records while Firehose buffers them, and the objects it writes. */
  readonly encryptionKey: EncryptionKey;
  /** Where records land. */
  /** The bucket it delivers into (with Object Lock, the one bucket.objectLock.lockedTypes puts the type in). */
  readonly bucket: Pick<EncryptedBucket, "bucketArn" | "readiness">;
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
    const key = props.encryptionKey;
    const enabled = (this.enabled = props.enabled ?? true);
    const logging = and(enabled, props.errorLogging ?? true);
    key.allowFirehoseEncryption(enabled);

    this.role = this.createRole(props);
    // Named in the key policy too, so delivery keeps working when the key does not delegate to IAM.
    // Firehose guide, "Grant Firehose access to an Amazon S3 destination" (https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3):
    // Decrypt and GenerateDataKey through S3 for objects it writes under SSE-KMS.
    key.allowThroughS3("FirehoseWritesThroughS3", attributeOf(this.role, "arn", enabled), ["kms:Decrypt", "kms:GenerateDataKey"], enabled);

    const errorLog = this.createErrorLog(id, props, logging);
    this.logGroup = errorLog?.group;
    this.rolePolicy = applyCondition(
      new IamRolePolicy(this, "role_policy", {
        name: "deliver-to-recordings-bucket",
        role: attributeOf(this.role, "id", enabled),
        policy: policyAttribute(this, "role_policy_document", () => this.deliveryStatements(props, errorLog?.arn, logging), enabled),
      }),
      enabled,
    );
    this.deliveryStream = this.createDeliveryStream(props, errorLog?.name, logging);
  }

  private createRole(props: FirehoseToS3Props): IamRole {
    return applyCondition(
      new IamRole(this, "role", {
        name: `${props.name}-firehose`,
        description: `Firehose delivery of ${props.name} into ${props.prefix}/ of the recordings bucket`,
        assumeRolePolicy: policyAttribute(
          this,
          "role_trust",
          () =>
            always([
              {
                // Firehose developer guide, "Controlling access" (https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html):
                // Firehose assumes the role with the account ID as external ID.
                Sid: "FirehoseOfThisAccount",
                Effect: "Allow",
                Principal: { Service: "firehose.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "sts:ExternalId": props.account.accountId } },
              },
            ]),
          this.enabled,
        ),
        tags: props.tags,
      }),
      this.enabled,
    );
  }

  /** The log group (under the key) and stream that receive delivery errors, where error logging may be on. */
  private createErrorLog(
    id: string,
    props: FirehoseToS3Props,
    logging: Condition,
  ): { group: CloudwatchLogGroup; name: string; arn: string } | undefined {
    if (!mayExist(logging)) return undefined;
    const name = `/aws/kinesisfirehose/${props.name}`;
    // The key policy statement is named after the construct: ctr_firehose -> CtrFirehoseLogs.
    props.encryptionKey.allowLogGroupEncryption(`${id.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase())}Logs`, name, logging);
    const group = applyCondition(
      new CloudwatchLogGroup(this, "logs", { name, retentionInDays: 365, kmsKeyId: props.encryptionKey.keyArn, tags: props.tags }),
      logging,
    );
    const logGroupName = attributeOf(group, "name", logging);
    const logGroupArn = attributeOf(group, "arn", logging);
    applyCondition(new CloudwatchLogStream(this, "log_stream", { name: LOG_STREAM, logGroupName }), logging);
    return { group, name: logGroupName, arn: logGroupArn };
  }

  /** The role may write only under its prefixes, use the key only through S3 for this bucket, and log its errors. */
  private deliveryStatements(props: FirehoseToS3Props, logGroupArn: string | undefined, logging: Condition): ConditionalStatement[] {
    const { bucket } = props;
    const objects = [`${bucket.bucketArn}/${props.prefix}/*`, `${bucket.bucketArn}/${props.errorPrefix}/*`];
    return [
      {
        item: {
          // Firehose guide, "Grant Firehose access to an Amazon S3 destination" (as for the key statement):
          // the S3 actions a delivery role needs, here only under its own prefixes.
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
          Resource: props.encryptionKey.keyArn,
          Condition: {
            StringEquals: { "kms:ViaService": props.account.viaService("s3") },
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
    ].map(({ item, when }) => ({ statement: item, when }));
  }

  /** Direct PUT, encrypted with the key while buffered and when written, partitioned by day. */
  private createDeliveryStream(
    props: FirehoseToS3Props,
    logGroupName: string | undefined,
    logging: Condition,
  ): KinesisFirehoseDeliveryStream {
    const key = props.encryptionKey;
    return applyCondition(
      new KinesisFirehoseDeliveryStream(this, "Resource", {
        name: props.name,
        destination: "extended_s3",
        serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: key.keyArn },
        extendedS3Configuration: {
          roleArn: attributeOf(this.role, "arn", this.enabled),
          bucketArn: props.bucket.bucketArn,
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
        dependsOn: [this.rolePolicy, ...props.bucket.readiness],
      }),
      this.enabled,
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
