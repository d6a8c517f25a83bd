import { Construct } from "constructs";
import { KinesisStream } from "@cdktf/provider-aws/lib/kinesis-stream";
import { KmsGrant } from "@cdktf/provider-aws/lib/kms-grant";
import { IResolvable, Op, Token } from "cdktf";
import { EncryptionKey } from "./encryption-key";
import { AwsAccount } from "./aws-account";
import { Condition, applyCondition, attributeOf, choose } from "./condition";

export interface KinesisDataStreamProps {
  /** Stream name, unique in the account and Region. */
  readonly name: string;
  /** The customer-managed key every record is encrypted with (server-side, `KMS`). */
  readonly encryptionKey: EncryptionKey;
  /** Where the stream lives (for the key policy's `kms:ViaService`). */
  readonly account: AwsAccount;
  /**
   * `ON_DEMAND` scales by itself; `PROVISIONED` needs `shardCount`.
   * @default "ON_DEMAND"
   */
  readonly capacityMode?: string;
  /**
   * Shards, with `PROVISIONED` only.
   * @default none
   */
  readonly shardCount?: number;
  /**
   * How long records stay readable, 24-8760 hours.
   * @default 24
   */
  readonly retentionHours?: number;
  /**
   * Whether the stream exists (a Terraform expression in the module).
   * @default true
   */
  readonly enabled?: Condition;
  /** @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** A Kinesis data stream whose records are encrypted at rest with the customer-managed key. */
export class KinesisDataStream extends Construct {
  readonly stream: KinesisStream;
  readonly enabled: Condition;
  private readonly key: EncryptionKey;

  constructor(scope: Construct, id: string, props: KinesisDataStreamProps) {
    super(scope, id);
    this.key = props.encryptionKey;
    this.enabled = props.enabled ?? true;
    const mode = props.capacityMode ?? "ON_DEMAND";
    const provisioned: Condition = Token.isUnresolved(mode) ? (Op.eq(mode, "PROVISIONED") as IResolvable) : mode === "PROVISIONED";
    if (provisioned === true && props.shardCount === undefined) {
      throw new Error(`${this.node.path}: PROVISIONED needs a shardCount`);
    }
    // StartStreamEncryption checks that its caller may generate data keys through Kinesis.
    this.key.addToPolicy(
      {
        // Kinesis developer guide, "Permissions to use user-generated KMS keys"
        // (https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html): StartStreamEncryption needs
        // GenerateDataKey and DescribeKey on the key; only through Kinesis in this Region here.
        Sid: "DeployerEnablesStreamEncryption",
        Effect: "Allow",
        Principal: { AWS: this.key.deployerArns },
        Action: ["kms:DescribeKey", "kms:GenerateDataKey"],
        Resource: "*",
        Condition: { StringEquals: { "kms:ViaService": props.account.viaService("kinesis") } },
      },
      this.enabled,
    );
    this.stream = applyCondition(
      new KinesisStream(this, "Resource", {
        name: props.name,
        encryptionType: "KMS",
        kmsKeyId: this.key.keyArn,
        retentionPeriod: props.retentionHours ?? 24,
        streamModeDetails: { streamMode: mode },
        shardCount: choose(provisioned, props.shardCount, Token.isUnresolved(mode) ? Token.asNumber(Token.nullValue()) : undefined),
        tags: props.tags,
      }),
      this.enabled,
    );
  }

  get streamArn(): string {
    return attributeOf(this.stream, "arn", this.enabled);
  }

  /** The stream's encryption as Terraform configures it (for outputs and audits). */
  get encryptionEvidence(): Record<string, string> {
    return {
      encryption_type: attributeOf(this.stream, "encryption_type", this.enabled),
      kms_key_id: attributeOf(this.stream, "kms_key_id", this.enabled),
    };
  }

  /** Lets a Connect instance (its service-linked role) put records: a KMS grant bound to this stream. */
  grantConnectWrite(serviceRoleArn: string, grantName: string): KmsGrant {
    return this.key.grantConnectStreamWrites(this, "connect_grant", serviceRoleArn, this.streamArn, grantName, this.enabled);
  }
}
