import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { ConnectInstanceStorageConfig } from "@cdktf/provider-aws/lib/connect-instance-storage-config";
import { StorageType, S3StorageType, StreamingStorageType } from "./storage-types";

export interface InstanceStorageProps {
  /** ID of the Connect instance the storage is associated with. */
  readonly instanceId: string;
  /** Full ARN of the customer-managed key: Connect rejects a bare key ID. */
  readonly keyArn: string;
  /**
   * What must exist before the first association (e.g. the bucket's
   * encryption and policy), so that Connect never writes to a bucket that is
   * not yet locked down.
   * @default none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The instance's storage associations, one per resource type. Connect
 * throttles concurrent AssociateInstanceStorageConfig calls
 * (TooManyRequestsException), so each association depends on the one before
 * it and Terraform creates them one at a time.
 */
export class InstanceStorage extends Construct {
  private readonly props: InstanceStorageProps;
  private readonly byType = new Map<StorageType, ConnectInstanceStorageConfig>();
  private last?: ConnectInstanceStorageConfig;

  constructor(scope: Construct, id: string, props: InstanceStorageProps) {
    super(scope, id);
    this.props = props;
  }

  /** Associates an S3-backed type with a prefix of the bucket, encrypted with the key. */
  addS3(type: S3StorageType, bucketName: string, prefix: string): ConnectInstanceStorageConfig {
    return this.associate(type, {
      storageType: "S3",
      s3Config: {
        bucketName,
        bucketPrefix: prefix,
        encryptionConfig: { encryptionType: "KMS", keyId: this.props.keyArn },
      },
    });
  }

  /**
   * Associates a streaming type with a Kinesis data stream. The stream is
   * encrypted with the key, but Connect makes no KMS grant for it: pass the
   * grant that lets Connect write, so the association waits for it.
   */
  addKinesisStream(type: StreamingStorageType, streamArn: string, grant: ITerraformDependable): ConnectInstanceStorageConfig {
    return this.associate(type, { storageType: "KINESIS_STREAM", kinesisStreamConfig: { streamArn } }, [grant]);
  }

  /** Associates a streaming type with a Firehose delivery stream (encrypted by the stream itself). */
  addFirehose(type: StreamingStorageType, firehoseArn: string): ConnectInstanceStorageConfig {
    return this.associate(type, { storageType: "KINESIS_FIREHOSE", kinesisFirehoseConfig: { firehoseArn } });
  }

  /**
   * Associates live media with Kinesis Video Streams, which Connect creates
   * itself under `prefix`, encrypted with the key (Connect makes the grant).
   */
  addKinesisVideo(type: StreamingStorageType, prefix: string, retentionHours: number): ConnectInstanceStorageConfig {
    return this.associate(type, {
      storageType: "KINESIS_VIDEO_STREAM",
      kinesisVideoStreamConfig: {
        prefix,
        retentionPeriodHours: retentionHours,
        encryptionConfig: { encryptionType: "KMS", keyId: this.props.keyArn },
      },
    });
  }

  /** The associations so far, in creation order. */
  get associations(): ReadonlyMap<StorageType, ConnectInstanceStorageConfig> {
    return this.byType;
  }

  private associate(
    type: StorageType,
    storageConfig: ConstructorParameters<typeof ConnectInstanceStorageConfig>[2]["storageConfig"],
    alsoAfter: ITerraformDependable[] = [],
  ): ConnectInstanceStorageConfig {
    if (this.byType.has(type)) throw new Error(`${this.node.path}: ${type} is already associated`);
    const after = [...(this.last ? [this.last] : (this.props.dependsOn ?? [])), ...alsoAfter];
    const association = new ConnectInstanceStorageConfig(this, type.toLowerCase(), {
      instanceId: this.props.instanceId,
      resourceType: type,
      storageConfig,
      dependsOn: after.length > 0 ? after : undefined,
    });
    this.byType.set(type, association);
    this.last = association;
    return association;
  }
}
