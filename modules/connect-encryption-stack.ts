import { Construct } from "constructs";
import { BaseStack } from "./base-stack";
import { configureStateBackend } from "./state-backend";
import { EnvironmentSettings } from "./config";
import { AwsAccount } from "./aws-account";
import { EncryptionKey } from "./encryption-key";
import { EncryptedBucket } from "./encrypted-bucket";
import { ConnectInstance } from "./connect-instance";
import { InstanceStorage } from "./instance-storage";
import { KinesisDataStream } from "./kinesis-data-stream";
import { FirehoseToS3 } from "./firehose-to-s3";
import { STREAMING_STORAGE_TYPE_INFO, StreamingStorageType } from "./storage-types";
import { KmsGrant } from "@cdktf/provider-aws/lib/kms-grant";

/**
 * One environment: the key, the recordings bucket, the Connect instance and
 * its encrypted storage associations, with a local state file by default.
 */
export class ConnectEncryptionStack extends BaseStack {
  readonly account: AwsAccount;
  readonly encryptionKey: EncryptionKey;
  readonly recordings: EncryptedBucket;
  readonly instance: ConnectInstance;
  readonly storage: InstanceStorage;
  readonly kinesisStreams = new Map<StreamingStorageType, KinesisDataStream>();
  readonly connectGrants = new Map<StreamingStorageType, KmsGrant>();
  readonly firehoses = new Map<StreamingStorageType, FirehoseToS3>();

  constructor(scope: Construct, readonly settings: EnvironmentSettings) {
    super(scope, settings.stackName, {
      region: settings.region,
      accountId: settings.accountId,
      assumeRoleArn: settings.assumeRoleArn,
      tags: { ...settings.tags, Environment: settings.name, ManagedBy: "connect-kms-encryption" },
      sessionName: settings.stackName,
    });
    configureStateBackend(this, settings.stackName, settings.state);

    this.account = new AwsAccount(this, "account", { region: settings.region });

    this.encryptionKey = new EncryptionKey(this, "key", {
      account: this.account,
      aliasName: settings.key.aliasName,
      description: settings.key.description,
      rotationPeriodInDays: settings.key.rotationPeriodInDays,
      deletionWindowInDays: settings.key.deletionWindowInDays,
      administratorArns: settings.key.administratorArns,
      userArns: settings.key.userArns,
      deployerArns: settings.key.deployerArns,
    });
    this.encryptionKey.enableConnectAssociations();

    this.recordings = new EncryptedBucket(this, "recordings", {
      bucketName:
        settings.bucket.name ??
        `${settings.namePrefix}-${settings.name}-${this.account.accountId}-${settings.region}`,
      encryptionKey: this.encryptionKey,
    });

    const instance = settings.instance;
    this.instance = new ConnectInstance(
      this,
      "connect",
      instance.kind === "create" ? { create: true, newInstance: instance } : { create: false, adoptInstanceId: instance.instanceId },
    );

    this.storage = new InstanceStorage(this, "storage", {
      instanceId: this.instance.instanceId,
      keyArn: this.encryptionKey.keyArn,
      dependsOn: this.recordings.readiness,
    });
    for (const { type, prefix } of settings.s3Storage) {
      this.storage.addS3(type, this.recordings.bucketName, prefix);
    }
    this.addStreaming(settings);

    this.addOutputs();
  }

  private addStreaming(settings: EnvironmentSettings): void {
    const namePrefix = `${settings.namePrefix}-${settings.name}`;
    for (const destination of settings.streamingStorage) {
      const info = STREAMING_STORAGE_TYPE_INFO[destination.type];
      const id = info.shortName.replace(/-/g, "_");
      switch (destination.destination) {
        case "kinesis": {
          const stream = new KinesisDataStream(this, `${id}_stream`, {
            name: `${namePrefix}-${info.shortName}`,
            encryptionKey: this.encryptionKey,
            capacityMode: destination.stream.capacityMode,
            shardCount: destination.stream.shardCount,
            retentionHours: destination.stream.retentionHours,
          });
          this.kinesisStreams.set(destination.type, stream);
          const grant = stream.grantConnectWrite(this.instance.serviceRoleArn, `connect-${info.shortName}`);
          this.connectGrants.set(destination.type, grant);
          this.storage.addKinesisStream(destination.type, stream.streamArn, grant);
          break;
        }
        case "firehose": {
          const firehose = new FirehoseToS3(this, `${id}_firehose`, {
            name: `${namePrefix}-${info.shortName}`,
            account: this.account,
            encryptionKey: this.encryptionKey,
            bucket: this.recordings,
            ...destination.firehose,
          });
          this.firehoses.set(destination.type, firehose);
          this.storage.addFirehose(destination.type, firehose.deliveryStreamArn);
          break;
        }
        case "kinesis-video":
          this.storage.addKinesisVideo(destination.type, destination.prefix, destination.retentionHours);
          break;
      }
    }
    this.encryptionKey.allowStreamConsumers(
      settings.streamConsumerArns,
      this.account.arn("kinesis", `stream/${namePrefix}-*`),
    );
  }

  private addOutputs(): void {
    const output = this.output.bind(this);
    output("key_arn", this.encryptionKey.keyArn, "ARN of the customer-managed KMS key that encrypts all Connect content");
    output("key_id", this.encryptionKey.keyId, "ID of the customer-managed KMS key");
    output("key_alias", this.encryptionKey.aliasName, "Alias of the KMS key");
    output("s3_bucket_id", this.recordings.bucketName, "Name of the recordings bucket");
    output("s3_bucket_arn", this.recordings.bucketArn, "ARN of the recordings bucket");
    output("connect_instance_id", this.instance.instanceId, "ID of the Amazon Connect instance");
    output("connect_instance_arn", this.instance.instanceArn, "ARN of the Amazon Connect instance");
    output("connect_service_role_arn", this.instance.serviceRoleArn, "ARN of the instance's service-linked role (the grantee of Connect's KMS grants)");
    output("storage_association_ids", this.storage.associationIds, "Association ID per Connect storage resource type");
    const byType = <T>(map: Map<string, T>, value: (item: T) => string): Record<string, string> =>
      Object.fromEntries([...map].map(([type, item]) => [type, value(item)]));
    output("kinesis_stream_arns", byType(this.kinesisStreams, (s) => s.streamArn), "ARN of the KMS-encrypted Kinesis data stream per streaming type");
    output("connect_stream_grant_ids", byType(this.connectGrants, (g) => g.grantId), "KMS grant per Kinesis data stream that lets Connect write to it");
    output("firehose_delivery_stream_arns", byType(this.firehoses, (f) => f.deliveryStreamArn), "ARN of the KMS-encrypted Firehose delivery stream per streaming type");
    output("firehose_role_arns", byType(this.firehoses, (f) => f.roleArn), "ARN of the delivery role per Firehose delivery stream");
  }
}
