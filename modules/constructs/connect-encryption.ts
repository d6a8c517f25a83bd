import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { KmsGrant } from "@cdktf/provider-aws/lib/kms-grant";
import { AwsAccount } from "./aws-account";
import { EncryptionKey, EncryptionKeyProps } from "./encryption-key";
import { EncryptedBucket, LogDeliveryTarget } from "./encrypted-bucket";
import { ConnectInstance, ConnectInstanceProps } from "./connect-instance";
import { InstanceStorage } from "./instance-storage";
import { KinesisDataStream } from "./kinesis-data-stream";
import { FirehoseToS3 } from "./firehose-to-s3";
import {
  LOCKED_BY_DEFAULT,
  UNLOCKED_REPLICA_SUFFIX,
  S3StorageType,
  STREAMING_STORAGE_TYPE_INFO,
  StorageType,
  StreamingStorageType,
} from "../config/storage-types";
import { Condition, and, attributeOf, choose, isDynamic, mayExist, not, or } from "./condition";
import { Fn, IResolvable, TerraformLocal, TerraformProvider, Token } from "cdktf";
import { LifecycleSettings, ObjectLockSettings } from "../config/controls-settings";
import { BucketReplication, ReplicaDestination, ReplicaSiteProps } from "./bucket-replication";
import { KeyMisuseAlerts } from "./key-misuse-alerts";
import { CustomerProfiles } from "./customer-profiles";
import { suppress } from "../guardrails/suppressions";
import { BUCKET_ACCESS_LOGGED, CONTENT_BUCKET_ACCESS_LOGGED } from "../guardrails/rules";
import { AccessLogBucket } from "./access-log-bucket";

export interface S3StorageEntry {
  readonly type: S3StorageType;
  /** Prefix in the recordings bucket. */
  readonly prefix: string;
  /** @default true */
  readonly enabled?: Condition;
}

export interface KinesisStreamEntry {
  readonly type: StreamingStorageType;
  readonly destination: "kinesis";
  /** `ON_DEMAND` or `PROVISIONED`. */
  readonly capacityMode: string;
  /** With `PROVISIONED` only. */
  readonly shardCount?: number;
  readonly retentionHours: number;
  /** @default true */
  readonly enabled?: Condition;
}

export interface FirehoseEntry {
  readonly type: StreamingStorageType;
  readonly destination: "firehose";
  readonly prefix: string;
  readonly errorPrefix: string;
  readonly bufferingSizeMib: number;
  readonly bufferingIntervalSeconds: number;
  readonly errorLogging: Condition;
  /** @default true */
  readonly enabled?: Condition;
}

export interface KinesisVideoEntry {
  readonly type: StreamingStorageType;
  readonly destination: "kinesis-video";
  /** Prefix of the video streams Connect creates. */
  readonly prefix: string;
  readonly retentionHours: number;
  /** @default true */
  readonly enabled?: Condition;
}

export type StreamingEntry = KinesisStreamEntry | FirehoseEntry | KinesisVideoEntry;

/** The disaster-recovery side, built beside the source in one stack. */
export interface ReplicaInThisStack {
  readonly provider: TerraformProvider;
  readonly account: AwsAccount;
  readonly bucketName: string;
  /** Receives the copy's server access logs, in the same Region. */
  readonly logBucketName: string;
  /** The copy of the bucket without Object Lock, itself without it. */
  readonly unlockedBucketName: string;
  readonly keyAlias: string;
}

export interface ConnectEncryptionProps {
  /** Account, partition and Region the resources live in. */
  readonly account: AwsAccount;
  /** Leading part of stream, role and log group names, e.g. `acme-connect-prod`. */
  readonly namePrefix: string;
  /** The customer-managed key; `account` is taken from above. */
  readonly key: Omit<EncryptionKeyProps, "account">;
  /** Name of the recordings bucket. */
  readonly bucketName: string;
  /** The instance to create or adopt. */
  readonly instance: ConnectInstanceProps;
  /** S3-backed storage types, in association order. */
  readonly s3Storage: readonly S3StorageEntry[];
  /** Streaming storage types and their destinations, in association order. */
  readonly streaming: readonly StreamingEntry[];
  /**
   * Roles that read the Kinesis data streams.
   * @default none
   */
  readonly streamConsumerArns?: readonly string[];
  /**
   * Retention and WORM for the recordings bucket.
   * @default incomplete uploads aborted after 7 days; no expiry; no Object Lock
   */
  readonly bucketControls?: {
    readonly lifecycle?: LifecycleSettings;
    readonly objectLock?: ObjectLockSettings & {
      readonly enabled?: Condition;
      /** Whether a type is written to the locked bucket (a Terraform expression in the module). @default listed in lockedTypes */
      readonly isLocked?: (type: StorageType) => Condition;
    };
    /** Object events to EventBridge; off only when another tool manages the bucket's notifications. @default true */
    readonly eventBridgeNotifications?: Condition;
  };
  /**
   * Server access logs of the recordings bucket: to a dedicated log bucket
   * (SSE-S3, which S3 log delivery requires; otherwise hardened the same
   * way), or to an existing bucket.
   * @default none
   */
  readonly accessLogs?: { readonly bucketName?: string; readonly enabled?: Condition };
  /** Why the recordings bucket has no access logs (for the compliance report); required to synthesize without them. */
  readonly noAccessLogsReason?: string;
  /**
   * A disaster-recovery copy in another Region: built in this stack through
   * `site.provider` (an aliased provider for that Region), or, in the module,
   * the outputs of the caller's replica module (ReplicaDestination).
   * @default none
   */
  readonly replication?: {
    readonly site: ReplicaInThisStack | ReplicaDestination;
    readonly deleteMarkerReplication: Condition;
    readonly storageClass: string;
    /** Whether the copy exists (a Terraform expression in the module). @default true */
    readonly enabled?: Condition;
  };
  /**
   * Key-misuse alerts to an SNS topic, with a dead-letter queue, both
   * encrypted with a separate alerts key; `createTrail` adds a multi-Region
   * CloudTrail trail for accounts without one.
   * @default none
   */
  readonly alerts?: {
    readonly emails: readonly string[];
    readonly enabled?: Condition;
    readonly createTrail?: Condition;
    /** Who reads the dead-letter queue and the trail's files. @default none */
    readonly readerArns?: readonly string[];
  };
  /**
   * Web origins (besides the instance's own access URL) whose chat widgets
   * upload attachments from the browser; they get the bucket's CORS rule.
   * @default none
   */
  readonly attachmentOrigins?: readonly string[];
  /**
   * A Customer Profiles domain under the key.
   * @default none
   */
  readonly customerProfiles?: { readonly domainName: string; readonly defaultExpirationDays: number; readonly enabled?: Condition };
  /**
   * Tags on every taggable resource (stacks use provider default tags instead).
   * @default none
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Where a storage type's objects go. */
type ContentBucket = Pick<EncryptedBucket, "bucketName" | "bucketArn" | "readiness">;

/** Lists, any of which may be a Terraform expression (a module input), one after the other. */
/**
 * The disaster-recovery side's names, in the stacks and in the replica
 * module alike: `<name>-dr-<account>` (unless the bucket is named), its log
 * bucket `-dr-logs-`, the unlocked copy `-drattach-`, the key alias `-dr`.
 */
export function replicaSiteNames(
  namePrefix: string,
  accountId: string,
  keyAlias: string,
  bucketName?: string,
): Pick<ReplicaInThisStack, "bucketName" | "logBucketName" | "unlockedBucketName" | "keyAlias"> {
  return {
    bucketName: bucketName ?? `${namePrefix}-dr-${accountId}`,
    logBucketName: `${namePrefix}-dr-logs-${accountId}`,
    unlockedBucketName: `${namePrefix}-${UNLOCKED_REPLICA_SUFFIX}-${accountId}`,
    keyAlias: `${keyAlias}-dr`,
  };
}

/** What the environment's buckets hold, in descriptions (the disaster-recovery key's). */
export const CONNECT_CONTENTS = "Amazon Connect customer content";

/**
 * The replica key's roles, from the source key's: the same administrators
 * and read-only principals, and as readers whoever reads the originals.
 */
export function replicaKeyRoles(
  key: ConnectEncryptionProps["key"],
): Pick<ReplicaSiteProps, "keyAdministratorArns" | "keyReadOnlyArns" | "keyReaderArns" | "allowAccountRoot"> {
  return {
    keyAdministratorArns: key.administratorArns,
    keyReadOnlyArns: key.readOnlyArns,
    keyReaderArns: concatList(key.userArns, key.auditorArns, key.consumerArns),
    allowAccountRoot: key.allowAccountRoot,
  };
}

function concatList(...lists: readonly (readonly string[] | undefined)[]): string[] {
  const present = lists.map((list) => list ?? []);
  if (!present.some((list) => Token.isUnresolved(list))) return present.flat();
  return Token.asList(Fn.concat(present));
}

/**
 * Everything that puts Amazon Connect's content under the customer's key:
 * the key, the recordings bucket, the instance (created or adopted), every
 * storage association and streaming destination, and the outputs. The
 * environment stacks and the Terraform module are both this construct, with
 * static settings or with Terraform inputs.
 */
export class ConnectEncryption extends Construct {
  readonly encryptionKey: EncryptionKey;
  readonly recordings: EncryptedBucket;
  /**
   * With Object Lock on the recordings bucket, the bucket for what must not
   * be locked: chat attachments (Connect cannot write them there) and every
   * type bucket.objectLock.lockedTypes leaves out. Its construct, address and
   * name (`-attach-`) are those of the attachments bucket it grew from.
   */
  attachmentsBucket?: EncryptedBucket;
  readonly accessLogBucket?: AccessLogBucket;
  readonly replication?: BucketReplication;
  readonly alerts?: KeyMisuseAlerts;
  readonly customerProfiles?: CustomerProfiles;
  readonly instance: ConnectInstance;
  readonly storage: InstanceStorage;
  readonly kinesisStreams = new Map<StreamingStorageType, KinesisDataStream[]>();
  readonly connectGrants = new Map<StreamingStorageType, KmsGrant[]>();
  readonly firehoses = new Map<StreamingStorageType, FirehoseToS3[]>();
  private readonly account: AwsAccount;
  private readonly tags?: Readonly<Record<string, string>>;
  /** The bucket each S3 storage type is associated with (for the outputs, and `npm run verify`). */
  private readonly s3Buckets = new Map<S3StorageType, { readonly bucketName: string; readonly enabled: Condition }>();

  constructor(scope: Construct, id: string, props: ConnectEncryptionProps) {
    super(scope, id);
    this.account = props.account;
    this.tags = props.tags;
    this.encryptionKey = new EncryptionKey(this, "key", { ...props.key, account: props.account, tags: props.tags });
    this.encryptionKey.enableConnectAssociations();

    if (props.accessLogs && props.accessLogs.bucketName === undefined) {
      this.accessLogBucket = new AccessLogBucket(this, "access_logs", {
        bucketName: `${props.namePrefix}-logs-${props.account.accountId}`,
        accountId: props.account.accountId,
        enabled: props.accessLogs.enabled,
        tags: props.tags,
      });
    }
    const logTarget = props.accessLogs?.bucketName ?? this.accessLogBucket;
    this.recordings = new EncryptedBucket(this, "recordings", {
      bucketName: props.bucketName,
      encryptionKey: this.encryptionKey,
      lifecycle: props.bucketControls?.lifecycle,
      objectLock: props.bucketControls?.objectLock,
      eventBridgeNotifications: props.bucketControls?.eventBridgeNotifications,
      accessLogs: logTarget ? { target: logTarget, prefix: "recordings/", enabled: props.accessLogs?.enabled } : undefined,
      tags: props.tags,
    });

    const attachments = this.attachmentsPlacement(props);
    // In the module, one local decides whether the bucket without Object Lock exists (every part of it reads it).
    const needed = this.unlockedBucketNeeded(props);
    const unlocked = isDynamic(needed) ? (new TerraformLocal(this, "unlocked_bucket", needed).asBoolean as IResolvable) : needed;
    if (mayExist(unlocked)) this.attachmentsBucket = this.newAttachmentsBucket(props, logTarget, unlocked);
    if (props.replication) this.replication = this.addReplication(props, props.replication, unlocked);
    if (props.alerts) this.alerts = this.addAlerts(props, props.alerts, logTarget);
    if (props.accessLogs === undefined && props.noAccessLogsReason !== undefined) this.explainNoAccessLogs(props.noAccessLogsReason);
    if (props.customerProfiles) {
      this.customerProfiles = new CustomerProfiles(this, "customer_profiles", {
        account: props.account,
        encryptionKey: this.encryptionKey,
        ...props.customerProfiles,
        tags: props.tags,
      });
    }
    const newInstance = props.instance.newInstance;
    this.instance = new ConnectInstance(this, "connect", {
      ...props.instance,
      newInstance: newInstance && props.tags ? { ...newInstance, tags: props.tags } : newInstance,
    });
    const attachmentsBucketName = this.allowAttachmentUploads(props, attachments);
    this.storage = new InstanceStorage(this, "storage", {
      instanceId: this.instance.instanceId,
      keyArn: this.encryptionKey.keyArn,
      dependsOn: [...this.recordings.readiness, ...(this.attachmentsBucket?.readiness ?? [])],
    });
    for (const entry of props.s3Storage) {
      const bucketName = entry.type === "ATTACHMENTS" ? attachmentsBucketName : this.bucketFor(props, entry.type).bucketName;
      this.storage.addS3(entry.type, bucketName, entry.prefix, entry.enabled ?? true);
      this.s3Buckets.set(entry.type, { bucketName, enabled: entry.enabled ?? true });
    }
    for (const entry of props.streaming) this.addStreaming(props, entry);
    const media = props.streaming.filter((entry) => entry.destination === "kinesis-video").map((entry) => entry.enabled ?? true);
    this.encryptionKey.allowStreamConsumers(
      props.streamConsumerArns ?? [],
      this.account.arn("kinesis", `stream/${props.namePrefix}-*`),
      media.reduce<Condition>((any, enabled) => or(any, enabled), false),
    );
    this.addOutputs();
  }

  /** Suppressions for the content buckets when the environment declares no access logs, with its reason. */
  private explainNoAccessLogs(reason: string): void {
    for (const bucket of [this.recordings, this.attachmentsBucket, this.alerts?.trail?.bucket]) {
      if (bucket) {
        suppress(bucket, CONTENT_BUCKET_ACCESS_LOGGED.id, reason);
        suppress(bucket, BUCKET_ACCESS_LOGGED.id, reason);
      }
    }
  }

  /** The disaster-recovery copy of the recordings, their access logs and (when separate) the attachments. */
  private addReplication(
    props: ConnectEncryptionProps,
    replication: NonNullable<ConnectEncryptionProps["replication"]>,
    unlockedSeparate: Condition,
  ): BucketReplication {
    return new BucketReplication(this, "replica", {
      source: this.recordings,
      policySuffix: "recordings",
      sourceLogBucket: this.accessLogBucket,
      sourceKey: this.encryptionKey,
      sourceAccount: props.account,
      replica: "provider" in replication.site ? this.replicaSite(props, replication.site, unlockedSeparate) : replication.site,
      deleteMarkerReplication: replication.deleteMarkerReplication,
      storageClass: replication.storageClass,
      enabled: replication.enabled,
      additionalSource: this.attachmentsBucket && { bucket: this.attachmentsBucket, enabled: unlockedSeparate },
    });
  }

  /** The replica side's props: the same key roles, Object Lock and tags as the source. */
  private replicaSite(props: ConnectEncryptionProps, site: ReplicaInThisStack, unlockedSeparate: Condition): ReplicaSiteProps {
    return {
      contents: CONNECT_CONTENTS,
      sourceAccountId: props.account.accountId,
      replicaProvider: site.provider,
      replicaAccount: site.account,
      replicaBucketName: site.bucketName,
      replicaLogBucketName: site.logBucketName,
      replicaKeyAlias: site.keyAlias,
      namePrefix: props.namePrefix,
      objectLock: props.bucketControls?.objectLock,
      unlockedCopy: this.attachmentsBucket && { enabled: unlockedSeparate, bucketName: site.unlockedBucketName },
      ...replicaKeyRoles(props.key),
      tags: props.tags,
    };
  }

  /**
   * Connect admin guide, "Enable attachments"
   * (https://docs.aws.amazon.com/connect/latest/adminguide/enable-attachments.html):
   * Object Lock is not supported for the attachments bucket, and it needs
   * CORS for uploads from the browser. So with Object Lock on the recordings
   * bucket, attachments get a bucket of their own, under the same key.
   */
  private attachmentsPlacement(props: ConnectEncryptionProps): { on: Condition; lockOn: Condition; separate: Condition } {
    const entry = props.s3Storage.find((e) => e.type === "ATTACHMENTS");
    const on = entry ? (entry.enabled ?? true) : false;
    const lock = props.bucketControls?.objectLock;
    const lockOn = lock ? (lock.enabled ?? true) : false;
    return { on, lockOn, separate: and(on, lockOn) };
  }

  /** Whether `type` goes to the bucket without Object Lock: the lock is on and does not list it. */
  private unlockedType(props: ConnectEncryptionProps, type: StorageType): Condition {
    const lock = props.bucketControls?.objectLock;
    if (!lock || type === "ATTACHMENTS") return false;
    const listed = lock.isLocked ? lock.isLocked(type) : (lock.lockedTypes ?? LOCKED_BY_DEFAULT).includes(type);
    return and(lock.enabled ?? true, not(listed));
  }

  /** The bucket that holds `type`: the recordings bucket, or with Object Lock not listing it, the bucket without. */
  private bucketFor(props: ConnectEncryptionProps, type: StorageType): ContentBucket {
    const unlocked = this.unlockedType(props, type);
    const other = this.attachmentsBucket;
    if (!other || !mayExist(unlocked)) return this.recordings;
    if (!isDynamic(unlocked)) return other;
    return {
      bucketName: choose(unlocked, other.bucketName, this.recordings.bucketName),
      bucketArn: choose(unlocked, other.bucketArn, this.recordings.bucketArn),
      readiness: [...this.recordings.readiness, ...other.readiness],
    };
  }

  /** The bucket without Object Lock exists for attachments, and for any stored type the lock leaves out. */
  private unlockedBucketNeeded(props: ConnectEncryptionProps): Condition {
    const stored = [
      ...props.s3Storage.map((entry) => ({ type: entry.type as StorageType, enabled: entry.enabled ?? true })),
      ...props.streaming
        .filter((entry) => entry.destination === "firehose")
        .map((entry) => ({ type: entry.type, enabled: entry.enabled ?? true })),
    ];
    return stored.reduce<Condition>(
      (any, { type, enabled }) =>
        or(any, and(enabled, type === "ATTACHMENTS" ? this.attachmentsPlacement(props).separate : this.unlockedType(props, type))),
      false,
    );
  }

  private newAttachmentsBucket(props: ConnectEncryptionProps, logTarget: LogDeliveryTarget | string | undefined, enabled: Condition) {
    return new EncryptedBucket(this, "attachments", {
      bucketName: `${props.namePrefix}-attach-${props.account.accountId}`,
      encryptionKey: this.encryptionKey,
      lifecycle: props.bucketControls?.lifecycle,
      eventBridgeNotifications: props.bucketControls?.eventBridgeNotifications,
      accessLogs: logTarget ? { target: logTarget, prefix: "attachments/", enabled: props.accessLogs?.enabled } : undefined,
      enabled,
      tags: props.tags,
    });
  }

  /** The CORS rule on the bucket that holds attachments; returns that bucket's name. */
  private allowAttachmentUploads(
    props: ConnectEncryptionProps,
    placement: { on: Condition; lockOn: Condition; separate: Condition },
  ): string {
    const cors = {
      allowedOrigins: concatList([`https://${this.instance.instanceAlias}.my.connect.aws`], props.attachmentOrigins ?? []),
      allowedMethods: ["GET", "PUT"],
    };
    this.recordings.allowCrossOriginUploads({ ...cors, enabled: and(placement.on, not(placement.lockOn)) });
    if (!this.attachmentsBucket) return this.recordings.bucketName;
    this.attachmentsBucket.allowCrossOriginUploads({ ...cors, enabled: placement.separate });
    return choose(placement.separate, this.attachmentsBucket.bucketName, this.recordings.bucketName);
  }

  private addAlerts(
    props: ConnectEncryptionProps,
    alerts: NonNullable<ConnectEncryptionProps["alerts"]>,
    logTarget: LogDeliveryTarget | string | undefined,
  ): KeyMisuseAlerts {
    const createTrail = alerts.createTrail ?? false;
    return new KeyMisuseAlerts(this, "key_alerts", {
      account: props.account,
      watchedKey: this.encryptionKey,
      name: props.namePrefix,
      keyAlias: `${props.key.aliasName}-alerts`,
      keyAdministratorArns: props.key.administratorArns,
      keyReadOnlyArns: props.key.readOnlyArns,
      allowAccountRoot: props.key.allowAccountRoot,
      emails: alerts.emails,
      readerArns: alerts.readerArns,
      enabled: alerts.enabled,
      trail: mayExist(createTrail)
        ? { bucketName: `${props.namePrefix}-trail-${props.account.accountId}`, accessLogs: logTarget, enabled: createTrail }
        : undefined,
      tags: props.tags,
    });
  }

  /** Outputs of the optional controls (present when the control is; null in the module when it is off). */
  private addControlOutputs(output: (id: string, value: unknown, description: string) => void): void {
    const replica = this.replication?.destination;
    if (replica) {
      output("replica_bucket_id", replica.bucketName, "Name of the disaster-recovery copy of the recordings bucket");
      output("replica_key_arn", replica.keyArn, "ARN of the disaster-recovery key in the replica Region");
      const unlocked = replica.unlockedBucket;
      if (unlocked)
        output("replica_unlocked_bucket_id", unlocked.name, "Name of the disaster-recovery copy of the bucket without Object Lock");
    }
    if (this.attachmentsBucket) {
      output(
        "attachments_bucket_id",
        this.attachmentsBucket.bucketName,
        "Name of the bucket without Object Lock: chat attachments and every type object_lock does not lock",
      );
    }
    const alerts = this.alerts;
    if (alerts) {
      output("alerts_topic_arn", alerts.topicArn, "SNS topic of the key-misuse alerts");
      output("alerts_key_arn", alerts.key.keyArn, "KMS key of the alerts topic and queue (not the content key it watches)");
      output("alerts_dead_letter_queue_arn", alerts.deadLetterQueueArn, "SQS queue of alerts EventBridge could not deliver");
      if (alerts.trail) output("alerts_trail_arn", alerts.trail.trailArn, "CloudTrail trail created for the alerts");
    }
    const profiles = this.customerProfiles;
    if (profiles) {
      output("customer_profiles_domain_name", profiles.domainName, "Customer Profiles domain encrypted with the key");
      output(
        "customer_profiles_integration_command",
        choose(
          profiles.enabled,
          `aws customer-profiles put-integration --domain-name ${profiles.domainName} --uri ${this.instance.instanceArn}`,
          Token.asString(Token.nullValue()),
        ),
        "Links the domain to the Connect instance (no Terraform resource exists for it): run once after the first apply",
      );
    }
  }

  private addStreaming(props: ConnectEncryptionProps, entry: StreamingEntry): void {
    const namePrefix = props.namePrefix;
    const info = STREAMING_STORAGE_TYPE_INFO[entry.type];
    const id = info.shortName.replace(/-/g, "_");
    const enabled = entry.enabled ?? true;
    const add = <T>(map: Map<StreamingStorageType, T[]>, item: T): void => {
      map.set(entry.type, [...(map.get(entry.type) ?? []), item]);
    };
    switch (entry.destination) {
      case "kinesis": {
        const stream = new KinesisDataStream(this, `${id}_stream`, {
          name: `${namePrefix}-${info.shortName}`,
          encryptionKey: this.encryptionKey,
          account: this.account,
          capacityMode: entry.capacityMode,
          shardCount: entry.shardCount,
          retentionHours: entry.retentionHours,
          enabled,
          tags: this.tags,
        });
        const grant = stream.grantConnectWrite(this.instance.serviceRoleArn, `connect-${info.shortName}`);
        add(this.kinesisStreams, stream);
        add(this.connectGrants, grant);
        this.storage.addKinesisStream(entry.type, stream.streamArn, grant, enabled);
        return;
      }
      case "firehose": {
        const firehose = new FirehoseToS3(this, `${id}_firehose`, {
          name: `${namePrefix}-${info.shortName}`,
          account: this.account,
          encryptionKey: this.encryptionKey,
          bucket: this.bucketFor(props, entry.type),
          prefix: entry.prefix,
          errorPrefix: entry.errorPrefix,
          bufferingSizeMib: entry.bufferingSizeMib,
          bufferingIntervalSeconds: entry.bufferingIntervalSeconds,
          errorLogging: entry.errorLogging,
          enabled,
          tags: this.tags,
        });
        add(this.firehoses, firehose);
        this.storage.addFirehose(entry.type, firehose.deliveryStreamArn, enabled);
        return;
      }
      case "kinesis-video":
        this.storage.addKinesisVideo(entry.type, entry.prefix, entry.retentionHours, enabled);
        return;
    }
  }

  private addOutputs(): void {
    const output = (id: string, value: unknown, description: string): void => {
      new TerraformOutput(this, id, { value, description });
    };
    /** One value per type; where a type has alternatives (module), the one that exists. */
    const byType = <T extends { enabled: Condition }>(
      map: Map<StreamingStorageType, T[]>,
      value: (item: T) => string,
    ): Record<string, string> =>
      Object.fromEntries(
        [...map].map(([type, items]) => [
          type,
          items.slice(0, -1).reduceRight((otherwise, item) => choose(item.enabled, value(item), otherwise), value(items[items.length - 1])),
        ]),
      );
    output("key_arn", this.encryptionKey.keyArn, "ARN of the customer-managed KMS key that encrypts all Connect content");
    output("key_id", this.encryptionKey.keyId, "ID of the customer-managed KMS key");
    output("key_alias", this.encryptionKey.aliasName, "Alias of the KMS key");
    output("s3_bucket_id", this.recordings.bucketName, "Name of the recordings bucket");
    output("s3_bucket_arn", this.recordings.bucketArn, "ARN of the recordings bucket");
    output("connect_instance_id", this.instance.instanceId, "ID of the Amazon Connect instance");
    output("connect_instance_arn", this.instance.instanceArn, "ARN of the Amazon Connect instance");
    output(
      "connect_service_role_arn",
      this.instance.serviceRoleArn,
      "ARN of the instance's service-linked role (the grantee of Connect's KMS grants)",
    );
    output("storage_association_ids", this.storage.associationIds, "Association ID per Connect storage resource type");
    output(
      "s3_storage_bucket_ids",
      Object.fromEntries(
        [...this.s3Buckets].map(([type, { bucketName, enabled }]) => [type, choose<unknown>(enabled, bucketName, Token.nullValue())]),
      ),
      "Bucket each S3 storage type is written to (with Object Lock: the locked bucket, or the one without it)",
    );
    output(
      "kinesis_stream_arns",
      byType(this.kinesisStreams, (s) => s.streamArn),
      "ARN of the KMS-encrypted Kinesis data stream per streaming type",
    );
    const grants = new Map(
      [...this.connectGrants].map(([type, list]) => [
        type,
        list.map((grant, i) => ({ grant, enabled: this.kinesisStreams.get(type)![i].enabled })),
      ]),
    );
    output(
      "connect_stream_grant_ids",
      byType(grants, ({ grant, enabled }) => attributeOf(grant, "grant_id", enabled)),
      "KMS grant per Kinesis data stream that lets Connect write to it",
    );
    output(
      "firehose_delivery_stream_arns",
      byType(this.firehoses, (f) => f.deliveryStreamArn),
      "ARN of the KMS-encrypted Firehose delivery stream per streaming type",
    );
    output(
      "firehose_role_arns",
      byType(this.firehoses, (f) => f.roleArn),
      "ARN of the delivery role per Firehose delivery stream",
    );
    this.addControlOutputs(output);
    output(
      "encryption_configuration",
      {
        key_arn: this.encryptionKey.keyArn,
        key_rotation_enabled: this.encryptionKey.key.enableKeyRotation,
        bucket: this.recordings.encryptionEvidence,
        storage_key_ids: this.storage.encryptionKeyIds,
        kinesis_streams: byType(this.kinesisStreams, (s) => s.encryptionEvidence as unknown as string),
        firehose_delivery_streams: byType(this.firehoses, (f) => f.encryptionEvidence as unknown as string),
      },
      "How everything is encrypted, as Terraform configures it: the key, the bucket default, the key of every S3 and Kinesis Video association, and every stream's encryption. Evidence for auditors, and what the module's tests assert.",
    );
  }
}
