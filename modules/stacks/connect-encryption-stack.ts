import { Construct } from "constructs";
import { BaseStack } from "./base-stack";
import { configureStateBackend } from "./state-backend";
import { EnvironmentSettings } from "../config/config";
import { AwsAccount } from "../constructs/aws-account";
import { ConnectEncryption, StreamingEntry, replicaSiteNames } from "../constructs/connect-encryption";
import { EncryptionKey } from "../constructs/encryption-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EncryptedBucket } from "../constructs/encrypted-bucket";
import { leftAsItIsReason, partitionRecorded, storageConfigImportId } from "../config/adoption";
import { recordLeftAsItIs } from "../guardrails/left-as-is";
import { suppress } from "../guardrails/suppressions";
import { BUCKET_REPLICATED } from "../guardrails/rules";

/**
 * One environment: its provider and state, and the ConnectEncryption
 * construct built from the environment's (already validated) settings.
 */
export class ConnectEncryptionStack extends BaseStack {
  readonly account: AwsAccount;
  readonly encryption: ConnectEncryption;

  constructor(
    scope: Construct,
    readonly settings: EnvironmentSettings,
  ) {
    super(scope, settings.stackName, {
      region: settings.region,
      accountId: settings.accountId,
      assumeRoleArn: settings.assumeRoleArn,
      tags: { ...settings.tags, Environment: settings.name, ManagedBy: "connect-kms-encryption" },
      sessionName: settings.stackName,
    });
    configureStateBackend(this, settings.stackName, settings.state, settings.assumeRoleArn);
    if (!settings.bucket.replication) {
      suppress(
        this,
        BUCKET_REPLICATED.id,
        `bucket.replication is not declared for environment ${settings.name}: its buckets are not copied to another Region (declare bucket.replication to copy them).`,
      );
    }
    this.account = new AwsAccount(this, "account", { region: settings.region });

    const instance = settings.instance;
    const namePrefix = `${settings.namePrefix}-${settings.name}`;
    const replication = settings.bucket.replication && {
      settings: settings.bucket.replication,
      ...this.replicaRegion(settings, settings.bucket.replication.region),
    };
    // "Resource" keeps the construct out of Terraform addresses: aws_kms_key.key, not aws_kms_key.encryption_key.
    this.encryption = new ConnectEncryption(this, "Resource", {
      account: this.account,
      namePrefix,
      key: settings.key,
      bucketName: settings.bucket.name ?? `${namePrefix}-${this.account.accountId}-${settings.region}`,
      instance:
        instance.kind === "create" ? { create: true, newInstance: instance } : { create: false, adoptInstanceId: instance.instanceId },
      s3Storage: settings.s3Storage,
      streaming: settings.streamingStorage.map(streamingEntry),
      streamConsumerArns: settings.streamConsumerArns,
      bucketControls: {
        lifecycle: settings.bucket.lifecycle,
        objectLock: settings.bucket.objectLock,
        eventBridgeNotifications: settings.bucket.eventBridgeNotifications,
      },
      accessLogs:
        settings.bucket.accessLogs.destination === "none"
          ? undefined
          : { bucketName: settings.bucket.accessLogs.destination === "existing" ? settings.bucket.accessLogs.bucketName : undefined },
      noAccessLogsReason: settings.bucket.accessLogs.destination === "none" ? settings.bucket.accessLogs.reason : undefined,
      replication: replication && {
        site: {
          provider: replication.provider,
          account: replication.account,
          ...replicaSiteNames(namePrefix, this.account.accountId, settings.key.aliasName, replication.settings.bucketName),
        },
        deleteMarkerReplication: replication.settings.deleteMarkerReplication,
        storageClass: replication.settings.storageClass,
      },
      alerts: settings.alerts.enabled
        ? { emails: settings.alerts.emails, createTrail: settings.alerts.createTrail, readerArns: settings.alerts.readerArns }
        : undefined,
      attachmentOrigins: settings.attachmentOrigins,
      customerProfiles: settings.customerProfiles.enabled
        ? {
            domainName: settings.customerProfiles.domainName ?? namePrefix,
            defaultExpirationDays: settings.customerProfiles.defaultExpirationDays,
          }
        : undefined,
    });
    if (replication) this.explainUnreplicatedBuckets(settings);
    this.takeOverExistingAssociations(settings);
  }

  /**
   * With bucket.replication declared, the buckets it does not copy say why in
   * the compliance report: the replica's own log bucket, and the trail bucket.
   */
  private explainUnreplicatedBuckets(settings: EnvironmentSettings): void {
    const replicaLogs = this.encryption.replication?.site?.replicaLogBucket;
    if (replicaLogs && settings.bucket.accessLogs.destination !== "dedicated") {
      suppress(
        replicaLogs,
        BUCKET_REPLICATED.id,
        "This bucket is in the replica Region already: it holds the access logs of the disaster-recovery copy. The source's access logs are copied only when they are dedicated to this environment (bucket.accessLogs.destination = dedicated).",
      );
    }
    const trailBucket = this.encryption.alerts?.trail?.bucket;
    if (trailBucket) {
      suppress(
        trailBucket,
        BUCKET_REPLICATED.id,
        "The trail bucket is not copied by bucket.replication (which copies the recordings, attachments and their access logs); CloudTrail log file validation proves its logs unaltered. Copy it with an organisation trail or your own replication if your regime asks for a second Region.",
      );
    }
  }

  /**
   * An adopted instance's recorded associations: each declared type is
   * imported and updated in place (Connect refuses a second association of a
   * type); each undeclared one is left as it is, and the compliance report says so.
   */
  private takeOverExistingAssociations(settings: EnvironmentSettings): void {
    const instance = settings.instance;
    if (instance.kind !== "adopt" || instance.existingAssociations === undefined) return;
    const declared = [...settings.s3Storage, ...settings.streamingStorage].map((entry) => entry.type);
    const { takenOver, leftAsTheyAre } = partitionRecorded(instance.existingAssociations, declared);
    for (const { type, associationId } of takenOver) {
      this.encryption.storage.importExisting(type, storageConfigImportId(instance.instanceId, associationId, type));
    }
    for (const { type, associationId } of leftAsTheyAre) {
      recordLeftAsItIs(this.encryption.storage, `${type} association ${associationId}`, leftAsItIsReason(type, associationId));
    }
  }

  /** An aliased provider for the disaster-recovery Region (same account, role and tags), and what it reads there. */
  private replicaRegion(settings: EnvironmentSettings, region: string): { provider: AwsProvider; account: AwsAccount } {
    const provider = this.addProvider("dr", {
      region,
      accountId: settings.accountId,
      assumeRoleArn: settings.assumeRoleArn,
      tags: { ...settings.tags, Environment: settings.name, ManagedBy: "connect-kms-encryption", Purpose: "disaster-recovery" },
      sessionName: settings.stackName,
    });
    return { provider, account: new AwsAccount(this, "replica_account", { region, provider }) };
  }

  get encryptionKey(): EncryptionKey {
    return this.encryption.encryptionKey;
  }

  get recordings(): EncryptedBucket {
    return this.encryption.recordings;
  }

  get firehoses(): ConnectEncryption["firehoses"] {
    return this.encryption.firehoses;
  }
}

/** A validated streaming setting as the construct takes it: the destination's settings spread into the entry. */
function streamingEntry(entry: EnvironmentSettings["streamingStorage"][number]): StreamingEntry {
  switch (entry.destination) {
    case "kinesis":
      return { type: entry.type, destination: "kinesis", ...entry.stream };
    case "firehose":
      return { type: entry.type, destination: "firehose", ...entry.firehose };
    case "kinesis-video":
      return entry;
  }
}
