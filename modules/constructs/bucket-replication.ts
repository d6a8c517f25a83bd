import { Construct } from "constructs";
import { ITerraformDependable, TerraformProvider } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { AwsAccount } from "./aws-account";
import { EncryptionKey } from "./encryption-key";
import { EncryptedBucket, EncryptedBucketProps } from "./encrypted-bucket";
import { AccessLogBucket } from "./access-log-bucket";
import { PolicyStatement } from "../config/policy";
import { Condition, and, applyCondition, attributeOf, choose, mayExist } from "./condition";
import { ConditionalStatement, always, policyAttribute } from "./policy-document";

/** What replication does with the destination key: encrypt replicas, and (with S3 Bucket Keys) decrypt. */
export const REPLICA_KEY_ACTIONS = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"] as const;

/**
 * The disaster-recovery side, in the replica Region: its own key, a bucket
 * hardened as the source is, a log bucket beside it, optionally a second
 * bucket without Object Lock, and the role S3 assumes to copy into them.
 */
export interface ReplicaSiteProps {
  /** What the source holds, for descriptions: "Amazon Connect customer content", "Terraform state". */
  readonly contents: string;
  /** The account that owns the source bucket: the only one whose S3 may assume the role (aws:SourceAccount). */
  readonly sourceAccountId: string;
  /**
   * A provider for the disaster-recovery Region (an aliased provider).
   * @default the stack's default provider (the replica module, whose caller passes it)
   */
  readonly replicaProvider?: TerraformProvider;
  /** Account, partition and the disaster-recovery Region, read through `replicaProvider`. */
  readonly replicaAccount: AwsAccount;
  /** Name of the disaster-recovery bucket. */
  readonly replicaBucketName: string;
  /** Name of the bucket, in the disaster-recovery Region, that receives the copy's server access logs. */
  readonly replicaLogBucketName: string;
  /** Alias of the disaster-recovery key (its own key, in its own Region). */
  readonly replicaKeyAlias: string;
  /** Leading part of the replication role's name. */
  readonly namePrefix: string;
  /**
   * Whether the copy exists: decided by Terraform in the module (a `count`
   * on every part of it), always true in the stacks.
   * @default true
   */
  readonly enabled?: Condition;
  /** Object Lock for the copy; must match the source's when it has one. @default none */
  readonly objectLock?: EncryptedBucketProps["objectLock"];
  /**
   * A copy, without Object Lock, of a second source bucket without it (what
   * the locked source must not hold): a copy keeps the lock status of its
   * source (a replica bucket's default retention would lock every copy
   * written into it; S3 user guide, "Object Lock": the default retention
   * applies to new objects placed in the bucket).
   * @default none
   */
  readonly unlockedCopy?: { readonly enabled: Condition; readonly bucketName: string };
  /** Keep the account-root statement on the replica key; as on the source key. @default true */
  readonly allowAccountRoot?: boolean;
  /** The source key's administrators, mirrored on the replica key (they manage it, and read nothing). */
  readonly keyAdministratorArns?: readonly string[];
  /** Principals that read the replica key's configuration only (the source key's). @default none */
  readonly keyReadOnlyArns?: readonly string[];
  /**
   * Who reads the copies: kms:Decrypt with the replica key through S3 in its
   * Region (the source key's users, auditors and consumers, who read the
   * originals). Without them and without the account root, nobody could.
   * @default none
   */
  readonly keyReaderArns?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
}

/** What the source's replication needs of the disaster-recovery side: built beside it (stacks) or handed in (module inputs). */
export interface ReplicaDestination {
  readonly keyArn: string;
  readonly bucketArn: string;
  readonly bucketName: string;
  readonly logBucketArn: string;
  /** The copy of the bucket without Object Lock. @default none */
  readonly unlockedBucket?: { readonly arn: string; readonly name: string };
  readonly roleArn: string;
  /** The role's name (an inline policy's `role`). */
  readonly roleName: string;
  /** `kms:ViaService` of S3 in the replica Region. */
  readonly s3ViaService: string;
  /** What the configurations wait for: the replicas' versioning and policies (empty when they are another module's outputs). */
  readonly readiness: readonly ITerraformDependable[];
}

export interface BucketReplicationProps {
  /** The bucket whose objects are copied. */
  readonly source: EncryptedBucket;
  /** Names the role's inline policy: `replicate-<policySuffix>`. */
  readonly policySuffix: string;
  /**
   * The log bucket that receives the source's server access logs; its logs
   * are copied into the replica's log bucket too, so that the audit trail
   * outlives the loss of the source Region (PCI DSS v4.0 10.3.3).
   * @default the logs are not copied
   */
  readonly sourceLogBucket?: AccessLogBucket;
  /** The key of the source bucket. */
  readonly sourceKey: EncryptionKey;
  /** Account and Region of the source. */
  readonly sourceAccount: AwsAccount;
  /** The disaster-recovery side: built here from its props (stacks), or given (the module's `replication` input). */
  readonly replica: ReplicaSiteProps | ReplicaDestination;
  /**
   * Replicate delete markers (a deletion in the source hides the copy too).
   * @default false: the copy survives deletions in the source
   */
  readonly deleteMarkerReplication?: Condition;
  /** Whether the replication exists. @default true */
  readonly enabled?: Condition;
  /**
   * Storage class of the copies.
   * @default "STANDARD"
   */
  readonly storageClass?: string;
  /**
   * A second source under the same source key, without Object Lock, copied
   * into the replica side's unlocked bucket.
   * @default none
   */
  readonly additionalSource?: { readonly bucket: EncryptedBucket; readonly enabled: Condition };
}

/** The disaster-recovery side as built: its constructs, and what the source's replication reads of them. */
export interface ReplicaSite extends ReplicaDestination {
  readonly replicaKey: EncryptionKey;
  readonly replicaBucket: EncryptedBucket;
  /** The copy of the second source, without Object Lock. */
  readonly additionalReplicaBucket?: EncryptedBucket;
  readonly replicaLogBucket: AccessLogBucket;
  readonly role: IamRole;
}

const isSiteProps = (replica: ReplicaSiteProps | ReplicaDestination): replica is ReplicaSiteProps => "replicaAccount" in replica;

/**
 * Builds the disaster-recovery side in `scope`: the copy's key, its log
 * bucket, the replica bucket (and the unlocked copy), and the role S3
 * assumes. IAM is global, so the role can be created through the replica
 * Region's provider and named in the replica key's policy there, before the
 * source side exists (the replica module is applied first).
 */
export function buildReplicaSite(scope: Construct, props: ReplicaSiteProps): ReplicaSite {
  const enabled = props.enabled ?? true;
  const provider = props.replicaProvider;
  const replicaKey = new EncryptionKey(scope, "key", {
    account: props.replicaAccount,
    aliasName: props.replicaKeyAlias,
    description: `Disaster-recovery copy of ${props.contents}`,
    administratorArns: props.keyAdministratorArns,
    readOnlyArns: props.keyReadOnlyArns,
    auditorArns: props.keyReaderArns,
    // The copy holds the same content: IAM policies reach it exactly as far as they reach the source key.
    allowAccountRoot: props.allowAccountRoot,
    enabled,
    provider,
    tags: props.tags,
  });
  // S3 delivers access logs only within a Region, so the copy's go to a log bucket beside it.
  const replicaLogBucket = new AccessLogBucket(scope, "logs", {
    bucketName: props.replicaLogBucketName,
    accountId: props.replicaAccount.accountId,
    enabled,
    provider,
    tags: props.tags,
  });
  const replicaBucket = new EncryptedBucket(scope, "bucket", {
    bucketName: props.replicaBucketName,
    encryptionKey: replicaKey,
    objectLock: props.objectLock,
    accessLogs: { target: replicaLogBucket, prefix: "replica/" },
    enabled,
    provider,
    tags: props.tags,
  });
  const unlocked = props.unlockedCopy;
  const unlockedEnabled = unlocked ? and(enabled, unlocked.enabled) : false;
  const additionalReplicaBucket =
    unlocked && mayExist(unlockedEnabled)
      ? new EncryptedBucket(scope, "unlocked_bucket", {
          bucketName: unlocked.bucketName,
          encryptionKey: replicaKey,
          accessLogs: { target: replicaLogBucket, prefix: "replica-unlocked/" },
          enabled: unlockedEnabled,
          provider,
          tags: props.tags,
        })
      : undefined;
  const role = createReplicationRole(scope, props, enabled);
  const roleArn = attributeOf(role, "arn", enabled);
  // S3 user guide, "Replicating encrypted objects" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html),
  // section "S3 Bucket Keys and replication": with a Bucket Key on the destination, the role needs kms:Decrypt on the destination key too.
  replicaKey.allowThroughS3("ReplicationWritesThroughS3", roleArn, REPLICA_KEY_ACTIONS, enabled);
  return {
    replicaKey,
    replicaBucket,
    additionalReplicaBucket,
    replicaLogBucket,
    role,
    keyArn: replicaKey.keyArn,
    bucketArn: replicaBucket.bucketArn,
    bucketName: replicaBucket.bucketName,
    logBucketArn: replicaLogBucket.bucketArn,
    unlockedBucket: additionalReplicaBucket && { arn: additionalReplicaBucket.bucketArn, name: additionalReplicaBucket.bucketName },
    roleArn,
    roleName: attributeOf(role, "id", enabled),
    s3ViaService: props.replicaAccount.viaService("s3"),
    readiness: [...replicaBucket.readiness, ...replicaLogBucket.readiness, ...(additionalReplicaBucket?.readiness ?? [])],
  };
}

/** The role S3 assumes to copy objects, for this account's buckets only. */
function createReplicationRole(scope: Construct, props: ReplicaSiteProps, enabled: Condition): IamRole {
  return applyCondition(
    new IamRole(scope, "role", {
      name: `${props.namePrefix}-replication`,
      description: `S3 replication of ${props.contents} to its disaster-recovery copy`,
      assumeRolePolicy: policyAttribute(
        scope,
        "role_trust",
        () =>
          always([
            {
              // S3 user guide, "Setting up permissions for live replication" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html):
              // S3 assumes the role; aws:SourceAccount against the confused deputy.
              Sid: "S3ReplicationOfThisAccount",
              Effect: "Allow",
              Principal: { Service: "s3.amazonaws.com" },
              Action: "sts:AssumeRole",
              Condition: { StringEquals: { "aws:SourceAccount": props.sourceAccountId } },
            },
          ]),
        enabled,
      ),
      tags: props.tags,
    }),
    enabled,
  );
}

/**
 * A disaster-recovery copy of a bucket in another Region: S3 replication of
 * the SSE-KMS objects, re-encrypted with the replica key. The replication
 * role may read the source and decrypt with the source key only through S3
 * in the source Region, and write the replica and encrypt with the replica
 * key only through S3 in the replica Region. The replica side is built here
 * (stacks: one stack, two providers) or handed in (module: the caller's
 * `module/modules/replica` call, through its own provider).
 */
export class BucketReplication extends Construct {
  /** The replica side, when built here. */
  readonly site?: ReplicaSite;
  readonly destination: ReplicaDestination;
  readonly configuration: S3BucketReplicationConfigurationA;
  /** Copies the source's access logs, when `sourceLogBucket` is given. */
  readonly logConfiguration?: S3BucketReplicationConfigurationA;
  /** Copies the second source, when there is one. */
  readonly additionalConfiguration?: S3BucketReplicationConfigurationA;

  constructor(scope: Construct, id: string, props: BucketReplicationProps) {
    super(scope, id);
    const enabled = props.enabled ?? true;
    if (isSiteProps(props.replica)) this.site = buildReplicaSite(this, { ...props.replica, enabled });
    const destination = this.site ?? (props.replica as ReplicaDestination);
    this.destination = destination;
    // S3 user guide, "Replicating encrypted objects (SSE-S3, SSE-KMS, DSSE-KMS, SSE-C)"
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html):
    // the role decrypts with the source key (and encrypts with the destination key: buildReplicaSite).
    props.sourceKey.allowThroughS3("ReplicationReadsThroughS3", destination.roleArn, ["kms:Decrypt"], enabled);
    const policy = applyCondition(
      new IamRolePolicy(this, "role_policy", {
        name: `replicate-${props.policySuffix}`,
        role: destination.roleName,
        policy: policyAttribute(this, "role_policy_document", () => this.rolePolicyStatements(props), enabled),
      }),
      enabled,
    );

    this.configuration = applyCondition(
      new S3BucketReplicationConfigurationA(this, "Resource", {
        bucket: props.source.bucket.id,
        role: destination.roleArn,
        rule: [copyRule("disaster-recovery-copy", props, destination.bucketArn, destination.keyArn)],
        // Replication needs versioning on both sides, and the role able to act.
        dependsOn: this.waitFor(props.source.versioning, policy, this.site?.replicaBucket),
      }),
      enabled,
    );
    this.additionalConfiguration = this.replicateAdditionalSource(props, policy, enabled);
    this.logConfiguration = this.replicateSourceLogs(props, policy, enabled);
  }

  /**
   * What a configuration waits for: versioning on both sides and the role's
   * policy; the replica's readiness when it is built here (a module input
   * already carries its module's dependencies).
   */
  private waitFor(
    sourceVersioning: ITerraformDependable,
    policy: IamRolePolicy,
    replica: EncryptedBucket | AccessLogBucket | undefined,
  ): ITerraformDependable[] {
    return replica ? [sourceVersioning, replica.versioning, policy, ...replica.readiness] : [sourceVersioning, policy];
  }

  /** What the role may do: read the sources, decrypt them through S3, write the replicas and encrypt them through S3. */
  private rolePolicyStatements(props: BucketReplicationProps): ConditionalStatement[] {
    const { source, sourceKey, sourceLogBucket: logs } = props;
    return statementsWhen([
      {
        // S3 user guide, "Setting up permissions for live replication" (as for the role's trust policy):
        // the role reads the source's replication configuration and lists it.
        Sid: "ReadSourceConfiguration",
        Effect: "Allow",
        Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
        Resource: source.bucketArn,
      },
      {
        // Same page: it reads each version, its ACL and tags (and with Object Lock its retention and legal hold).
        Sid: "ReadSourceVersions",
        Effect: "Allow",
        Action: [
          "s3:GetObjectVersionForReplication",
          "s3:GetObjectVersionAcl",
          "s3:GetObjectVersionTagging",
          "s3:GetObjectRetention",
          "s3:GetObjectLegalHold",
        ],
        Resource: `${source.bucketArn}/*`,
      },
      {
        // Same page: it writes replicas, deletes (markers) and tags into the destination.
        Sid: "WriteReplicas",
        Effect: "Allow",
        Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"],
        Resource: `${this.destination.bucketArn}/*`,
      },
      { items: logs ? this.logCopyStatements(logs) : [], when: logs ? logs.enabled : false },
      {
        // S3 user guide, "Replicating encrypted objects" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html): Decrypt with the source key.
        Sid: "DecryptSourceThroughS3",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: sourceKey.keyArn,
        Condition: {
          StringEquals: { "kms:ViaService": props.sourceAccount.viaService("s3") },
          StringLike: { "kms:EncryptionContext:aws:s3:arn": [source.bucketArn, `${source.bucketArn}/*`] },
        },
      },
      {
        items: props.additionalSource ? this.additionalSourceStatements(props.additionalSource.bucket, props) : [],
        when: props.additionalSource?.enabled ?? false,
      },
      this.encryptReplicasStatement("EncryptReplicasThroughS3", this.destination.bucketArn),
    ]);
  }

  /** Encrypting the copies written into `replica` with the replica key, through S3 only. */
  private encryptReplicasStatement(sid: string, replicaBucketArn: string): PolicyStatement {
    return {
      // kms:Decrypt too: the destination bucket uses an S3 Bucket Key (see the key statement above).
      Sid: sid,
      Effect: "Allow",
      Action: [...REPLICA_KEY_ACTIONS],
      Resource: this.destination.keyArn,
      Condition: {
        StringEquals: { "kms:ViaService": this.destination.s3ViaService },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": [replicaBucketArn, `${replicaBucketArn}/*`] },
      },
    };
  }

  /** The second source (what is not locked) is copied, with the same rule, into its own replica without Object Lock. */
  private replicateAdditionalSource(
    props: BucketReplicationProps,
    policy: IamRolePolicy,
    enabled: Condition,
  ): S3BucketReplicationConfigurationA | undefined {
    const extra = props.additionalSource;
    const replica = this.destination.unlockedBucket;
    if (!extra || !replica) return undefined;
    return applyCondition(
      new S3BucketReplicationConfigurationA(this, "additional_replication", {
        bucket: attributeOf(extra.bucket.bucket, "id", extra.enabled),
        role: this.destination.roleArn,
        rule: [copyRule("disaster-recovery-copy", props, replica.arn, this.destination.keyArn)],
        dependsOn: this.waitFor(extra.bucket.versioning, policy, this.site?.additionalReplicaBucket),
      }),
      and(enabled, extra.enabled),
    );
  }

  /** The source's access logs, copied as they are (SSE-S3) into the replica's log bucket; only where they exist. */
  private replicateSourceLogs(
    props: BucketReplicationProps,
    policy: IamRolePolicy,
    enabled: Condition,
  ): S3BucketReplicationConfigurationA | undefined {
    const logs = props.sourceLogBucket;
    // In the module, an input switches the source's access logs off.
    const logsCopied = logs ? and(enabled, logs.enabled) : false;
    if (!logs || !mayExist(logsCopied)) return undefined;
    return applyCondition(
      new S3BucketReplicationConfigurationA(this, "logs_replication", {
        bucket: attributeOf(logs.bucket, "id", logs.enabled),
        role: this.destination.roleArn,
        rule: [
          {
            id: "disaster-recovery-copy-of-access-logs",
            status: "Enabled",
            priority: 1,
            filter: { prefix: "" },
            deleteMarkerReplication: { status: "Disabled" },
            destination: { bucket: this.destination.logBucketArn, storageClass: props.storageClass ?? "STANDARD" },
          },
        ],
        dependsOn: this.waitFor(logs.versioning, policy, this.site?.replicaLogBucket),
      }),
      logsCopied,
    );
  }

  /** The role may read the additional source's versions and decrypt them through S3 (same source key). */
  private additionalSourceStatements(bucket: EncryptedBucket, props: BucketReplicationProps): PolicyStatement[] {
    const replica = this.destination.unlockedBucket;
    return [
      {
        // As for the source (https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html): chat attachments are a second source.
        Sid: "ReadAdditionalSourceConfiguration",
        Effect: "Allow",
        Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
        Resource: bucket.bucketArn,
      },
      {
        Sid: "ReadAdditionalSourceVersions",
        Effect: "Allow",
        Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
        Resource: `${bucket.bucketArn}/*`,
      },
      {
        Sid: "DecryptAdditionalSourceThroughS3",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: props.sourceKey.keyArn,
        Condition: {
          StringEquals: { "kms:ViaService": props.sourceAccount.viaService("s3") },
          StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucket.bucketArn, `${bucket.bucketArn}/*`] },
        },
      },
      ...(replica ? this.additionalReplicaStatements(replica.arn) : []),
    ];
  }

  /** As for the replica: write the copies of the second source, encrypting them with the replica key through S3. */
  private additionalReplicaStatements(replicaBucketArn: string): PolicyStatement[] {
    return [
      {
        Sid: "WriteAdditionalReplicas",
        Effect: "Allow",
        Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"],
        Resource: `${replicaBucketArn}/*`,
      },
      this.encryptReplicasStatement("EncryptAdditionalReplicasThroughS3", replicaBucketArn),
    ];
  }

  /** The role may read the source's log versions and write them, unchanged (SSE-S3), into the replica's log bucket. */
  private logCopyStatements(logs: AccessLogBucket): PolicyStatement[] {
    return [
      {
        // As for the source (https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html): the access-log bucket is a second source.
        Sid: "ReadLogConfiguration",
        Effect: "Allow",
        Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
        Resource: logs.bucketArn,
      },
      {
        Sid: "ReadLogVersions",
        Effect: "Allow",
        Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
        Resource: `${logs.bucketArn}/*`,
      },
      {
        Sid: "WriteLogReplicas",
        Effect: "Allow",
        Action: ["s3:ReplicateObject", "s3:ReplicateTags"],
        Resource: `${this.destination.logBucketArn}/*`,
      },
    ];
  }
}

/** Copies every SSE-KMS object of a bucket, re-encrypted with the replica key. */
function copyRule(id: string, props: BucketReplicationProps, replicaBucketArn: string, replicaKeyArn: string) {
  return {
    id,
    status: "Enabled",
    priority: 1,
    filter: { prefix: "" },
    deleteMarkerReplication: { status: choose(props.deleteMarkerReplication ?? false, "Enabled", "Disabled") },
    sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
    destination: {
      bucket: replicaBucketArn,
      storageClass: props.storageClass ?? "STANDARD",
      encryptionConfiguration: { replicaKmsKeyId: replicaKeyArn },
    },
  };
}

/** Statements, some only under a condition. */
function statementsWhen(
  entries: readonly (PolicyStatement | { readonly items: readonly PolicyStatement[]; readonly when: Condition })[],
): ConditionalStatement[] {
  return entries.flatMap((entry) =>
    "items" in entry ? entry.items.map((statement) => ({ statement, when: entry.when })) : [{ statement: entry, when: true }],
  );
}
