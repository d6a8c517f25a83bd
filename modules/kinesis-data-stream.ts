import { Construct } from "constructs";
import { KinesisStream } from "@cdktf/provider-aws/lib/kinesis-stream";
import { KmsGrant } from "@cdktf/provider-aws/lib/kms-grant";
import { EncryptionKey } from "./encryption-key";

export interface KinesisDataStreamProps {
  /** Stream name, unique in the account and Region. */
  readonly name: string;
  /** The customer-managed key every record is encrypted with (server-side, `KMS`). */
  readonly encryptionKey: EncryptionKey;
  /**
   * `ON_DEMAND` scales by itself; `PROVISIONED` needs `shardCount`.
   * @default "ON_DEMAND"
   */
  readonly capacityMode?: "ON_DEMAND" | "PROVISIONED";
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
  /** @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** A Kinesis data stream whose records are encrypted at rest with the customer-managed key. */
export class KinesisDataStream extends Construct {
  readonly stream: KinesisStream;
  private readonly key: EncryptionKey;

  constructor(scope: Construct, id: string, props: KinesisDataStreamProps) {
    super(scope, id);
    this.key = props.encryptionKey;
    const mode = props.capacityMode ?? "ON_DEMAND";
    if (mode === "PROVISIONED" && props.shardCount === undefined) {
      throw new Error(`${this.node.path}: PROVISIONED needs a shardCount`);
    }
    this.stream = new KinesisStream(this, "Resource", {
      name: props.name,
      encryptionType: "KMS",
      kmsKeyId: this.key.keyArn,
      retentionPeriod: props.retentionHours ?? 24,
      streamModeDetails: { streamMode: mode },
      shardCount: mode === "PROVISIONED" ? props.shardCount : undefined,
      tags: props.tags,
    });
  }

  get streamArn(): string {
    return this.stream.arn;
  }

  /** Lets a Connect instance (its service-linked role) put records: a KMS grant bound to this stream. */
  grantConnectWrite(serviceRoleArn: string, grantName: string): KmsGrant {
    return this.key.grantConnectStreamWrites(this, "connect_grant", serviceRoleArn, this.streamArn, grantName);
  }
}
