import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { ConnectInstanceStorageConfig } from "@cdktf/provider-aws/lib/connect-instance-storage-config";
import { StorageType, S3StorageType, StreamingStorageType } from "../config/storage-types";
import { Condition, applyCondition, attributeOf, choose, mayExist } from "./condition";

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

type StorageConfig = ConstructorParameters<typeof ConnectInstanceStorageConfig>[2]["storageConfig"];

interface Association {
  readonly resource: ConnectInstanceStorageConfig;
  readonly when: Condition;
  /** Where the association names its KMS key, for S3 and Kinesis Video targets. */
  readonly keyIdPath?: string;
}

const S3_KEY_ID = "storage_config[0].s3_config[0].encryption_config[0].key_id";
const VIDEO_KEY_ID = "storage_config[0].kinesis_video_stream_config[0].encryption_config[0].key_id";

/**
 * The instance's storage associations, one per resource type. Connect
 * throttles concurrent AssociateInstanceStorageConfig calls
 * (TooManyRequestsException), so each association depends on the one before
 * it and Terraform creates them one at a time. Each `add*` takes the
 * condition under which the association exists (default: always).
 */
export class InstanceStorage extends Construct {
  private readonly props: InstanceStorageProps;
  private readonly byType = new Map<StorageType, Association[]>();
  private last?: ConnectInstanceStorageConfig;

  constructor(scope: Construct, id: string, props: InstanceStorageProps) {
    super(scope, id);
    this.props = props;
  }

  /** Associates an S3-backed type with a prefix of the bucket, encrypted with the key. */
  addS3(type: S3StorageType, bucketName: string, prefix: string, when: Condition = true): void {
    this.associate(type, when, S3_KEY_ID, {
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
  addKinesisStream(type: StreamingStorageType, streamArn: string, grant: ITerraformDependable, when: Condition = true): void {
    this.associate(type, when, undefined, { storageType: "KINESIS_STREAM", kinesisStreamConfig: { streamArn } }, [grant]);
  }

  /** Associates a streaming type with a Firehose delivery stream (encrypted by the stream itself). */
  addFirehose(type: StreamingStorageType, firehoseArn: string, when: Condition = true): void {
    this.associate(type, when, undefined, { storageType: "KINESIS_FIREHOSE", kinesisFirehoseConfig: { firehoseArn } });
  }

  /**
   * Associates live media with Kinesis Video Streams, which Connect creates
   * itself under `prefix`, encrypted with the key (Connect makes the grant).
   */
  addKinesisVideo(type: StreamingStorageType, prefix: string, retentionHours: number, when: Condition = true): void {
    this.associate(type, when, VIDEO_KEY_ID, {
      storageType: "KINESIS_VIDEO_STREAM",
      kinesisVideoStreamConfig: {
        prefix,
        retentionPeriodHours: retentionHours,
        encryptionConfig: { encryptionType: "KMS", keyId: this.props.keyArn },
      },
    });
  }

  /**
   * Takes over the association of `type` that already exists on the instance:
   * Terraform imports it (`import` block, the provider's import ID
   * `<instance-id>:<association-id>:<type>`) and then updates it to this
   * declaration, instead of associating the type a second time, which Connect
   * refuses. Only for a type associated here unconditionally: the import
   * block of a root module names one address.
   */
  importExisting(type: StorageType, importId: string): void {
    const alternatives = this.byType.get(type) ?? [];
    if (alternatives.length !== 1 || alternatives[0].when !== true) {
      throw new Error(
        `${this.node.path}: cannot import the existing ${type} association: it must be associated here exactly once and unconditionally`,
      );
    }
    alternatives[0].resource.importFrom(importId);
  }

  /** Association ID per type, in creation order (null in the module for a type that is off). */
  get associationIds(): Record<string, string> {
    return this.perType([...this.byType], (a) => attributeOf(a.resource, "association_id", a.when));
  }

  /**
   * The KMS key each S3 and Kinesis Video association was made with, as
   * Terraform will send it: evidence that every one names the key's full ARN.
   */
  get encryptionKeyIds(): Record<string, string> {
    const withKeys = [...this.byType]
      .map(([type, alternatives]) => [type, alternatives.filter((a) => a.keyIdPath)] as const)
      .filter(([, alternatives]) => alternatives.length > 0);
    return this.perType(withKeys, (a) => attributeOf(a.resource, a.keyIdPath!, a.when));
  }

  /** One value per type; where a type has alternatives (in the module), the one that exists. */
  private perType(entries: (readonly [StorageType, readonly Association[]])[], value: (a: Association) => string): Record<string, string> {
    return Object.fromEntries(
      entries.map(([type, alternatives]) => [
        type,
        alternatives
          .slice(0, -1)
          .reduceRight((otherwise, a) => choose(a.when, value(a), otherwise), value(alternatives[alternatives.length - 1])),
      ]),
    );
  }

  private associate(
    type: StorageType,
    when: Condition,
    keyIdPath: string | undefined,
    storageConfig: StorageConfig,
    alsoAfter: ITerraformDependable[] = [],
  ): void {
    if (!mayExist(when)) return;
    // A second association of a type under another condition (e.g. contact
    // trace records to Firehose or to Kinesis) gets its own name.
    const id = this.byType.has(type) ? `${type.toLowerCase()}_${storageConfig.storageType.toLowerCase()}` : type.toLowerCase();
    const after = [...(this.last ? [this.last] : (this.props.dependsOn ?? [])), ...alsoAfter];
    const resource = applyCondition(
      new ConnectInstanceStorageConfig(this, id, {
        instanceId: this.props.instanceId,
        resourceType: type,
        storageConfig,
        dependsOn: after.length > 0 ? after : undefined,
      }),
      when,
    );
    this.byType.set(type, [...(this.byType.get(type) ?? []), { resource, when, keyIdPath }]);
    this.last = resource;
  }
}
