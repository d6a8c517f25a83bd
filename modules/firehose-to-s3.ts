import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogStream } from "@cdktf/provider-aws/lib/cloudwatch-log-stream";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KinesisFirehoseDeliveryStream } from "@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream";
import { AwsAccount } from "./aws-account";
import { EncryptionKey } from "./encryption-key";
import { EncryptedBucket } from "./encrypted-bucket";
import { PolicyStatement, policyDocument, renderPolicy } from "./policy";

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
  readonly errorLogging?: boolean;
  /** @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

const PARTITIONS = "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/";

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

  constructor(scope: Construct, id: string, props: FirehoseToS3Props) {
    super(scope, id);
    const { account, bucket } = props;
    const key = props.encryptionKey;
    key.allowFirehoseEncryption();

    this.role = new IamRole(this, "role", {
      name: `${props.name}-firehose`,
      description: `Firehose delivery of ${props.name} into ${props.prefix}/ of the recordings bucket`,
      assumeRolePolicy: renderPolicy(
        policyDocument([
          {
            Sid: "FirehoseOfThisAccount",
            Effect: "Allow",
            Principal: { Service: "firehose.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "sts:ExternalId": account.accountId } },
          },
        ]),
      ),
      tags: props.tags,
    });

    const logStreamName = "DestinationDelivery";
    if (props.errorLogging ?? true) {
      const logGroupName = `/aws/kinesisfirehose/${props.name}`;
      key.allowLogGroupEncryption(logGroupName);
      this.logGroup = new CloudwatchLogGroup(this, "logs", {
        name: logGroupName,
        retentionInDays: 365,
        kmsKeyId: key.keyArn,
        tags: props.tags,
      });
      new CloudwatchLogStream(this, "log_stream", { name: logStreamName, logGroupName: this.logGroup.name });
    }

    const objects = [`${bucket.bucketArn}/${props.prefix}/*`, `${bucket.bucketArn}/${props.errorPrefix}/*`];
    const statements: PolicyStatement[] = [
      {
        Sid: "WriteUnderOwnPrefixes",
        Effect: "Allow",
        Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"],
        Resource: objects,
      },
      {
        Sid: "FindTheBucket",
        Effect: "Allow",
        Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
        Resource: bucket.bucketArn,
      },
      {
        Sid: "UseTheKeyThroughS3ForThisBucket",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: key.keyArn,
        Condition: {
          StringEquals: { "kms:ViaService": account.viaService("s3") },
          // With an S3 Bucket Key the context is the bucket ARN; without, the object ARN.
          StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucket.bucketArn, ...objects] },
        },
      },
    ];
    if (this.logGroup) {
      statements.push({
        Sid: "LogDeliveryErrors",
        Effect: "Allow",
        Action: "logs:PutLogEvents",
        Resource: `${this.logGroup.arn}:log-stream:${logStreamName}`,
      });
    }
    this.rolePolicy = new IamRolePolicy(this, "role_policy", {
      name: "deliver-to-recordings-bucket",
      role: this.role.id,
      policy: renderPolicy(policyDocument(statements)),
    });

    this.deliveryStream = new KinesisFirehoseDeliveryStream(this, "Resource", {
      name: props.name,
      destination: "extended_s3",
      serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: key.keyArn },
      extendedS3Configuration: {
        roleArn: this.role.arn,
        bucketArn: bucket.bucketArn,
        kmsKeyArn: key.keyArn,
        prefix: `${props.prefix}/${PARTITIONS}`,
        errorOutputPrefix: `${props.errorPrefix}/!{firehose:error-output-type}/${PARTITIONS}`,
        bufferingSize: props.bufferingSizeMib ?? 5,
        bufferingInterval: props.bufferingIntervalSeconds ?? 300,
        cloudwatchLoggingOptions: this.logGroup
          ? { enabled: true, logGroupName: this.logGroup.name, logStreamName }
          : { enabled: false },
      },
      tags: props.tags,
      // The role must be able to write before Firehose validates the destination.
      dependsOn: [this.rolePolicy, ...bucket.readiness],
    });
  }

  get deliveryStreamArn(): string {
    return this.deliveryStream.arn;
  }
}
