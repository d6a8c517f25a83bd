import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import {
  S3BucketLifecycleConfiguration,
  S3BucketLifecycleConfigurationRule,
} from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { S3BucketCorsConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-cors-configuration";
import { Fn, ITerraformDependable, Op, TerraformProvider, Token, ref } from "cdktf";
import { EncryptionKey } from "./encryption-key";
import { PolicyDocument, PolicyStatement, policyDocument } from "../config/policy";
import { policyAttribute } from "./policy-document";
import { LifecycleSettings, ObjectLockSettings } from "../config/controls-settings";
import { Condition, and, applyCondition, attributeOf, listOf, mayExist } from "./condition";
import { suppress } from "../guardrails/suppressions";
import { BUCKET_EVENTS_TO_EVENTBRIDGE } from "../guardrails/rules";

/** Who may upload and download from the browser with pre-signed URLs (Connect's chat attachments). */
export interface CorsRule {
  readonly allowedOrigins: readonly string[];
  readonly allowedMethods: readonly string[];
  /** Whether the rule applies (a Terraform expression in the module). @default true */
  readonly enabled?: Condition;
}

/** A bucket that S3 server access logs can be delivered to. */
export interface LogDeliveryTarget {
  readonly bucketName: string;
  /** The policy that lets S3 log delivery write: a logging configuration into the bucket is made after it. */
  readonly policy: S3BucketPolicy;
  /** Lets S3 log delivery for `sourceBucketArn` write under `prefix`. */
  acceptLogsFrom(sourceBucketArn: string, prefix: string, when?: Condition): void;
}

export interface EncryptedBucketProps {
  /** Globally unique bucket name (may contain references, e.g. to the account ID). */
  readonly bucketName: string;
  /**
   * The key that encrypts every object by default (SSE-KMS with an S3 Bucket
   * Key); uploads that ask for another key or algorithm are refused.
   * @default none: SSE-S3, only for buckets that S3 server access logging writes to (it cannot use SSE-KMS)
   */
  readonly encryptionKey?: EncryptionKey;
  /**
   * An S3 Bucket Key for the SSE-KMS default (one data key per bucket instead
   * of one KMS call per object). Off only where a writer needs it off: the
   * trail bucket, since CloudTrail then asks the caller of CreateTrail for
   * kms:Decrypt on the key (audit-trail.ts).
   * @default true
   */
  readonly bucketKey?: boolean;
  /**
   * Retention: transitions, expiry, superseded versions, incomplete uploads.
   * @default incomplete multipart uploads aborted after 7 days; nothing expires
   */
  readonly lifecycle?: LifecycleSettings;
  /**
   * WORM: Object Lock with a default retention, enabled when the bucket is
   * created (it cannot be turned on for an existing bucket without replacing it).
   * @default none
   */
  readonly objectLock?: ObjectLockSettings & {
    /** Whether the lock applies (a Terraform expression in the module). @default true */
    readonly enabled?: Condition;
  };
  /**
   * Where S3 writes this bucket's server access logs, under `prefix`: a log
   * bucket of this package (which is then told to accept them) or the name
   * of an existing one (whose policy is its owner's business).
   * @default none
   */
  readonly accessLogs?: { readonly target: LogDeliveryTarget | string; readonly prefix: string; readonly enabled?: Condition };
  /**
   * Send the bucket's object events (created, deleted, restored, ...) to
   * Amazon EventBridge, where rules can alert on or audit them. S3 keeps one
   * notification configuration per bucket, so turn this off only when another
   * tool manages this bucket's notifications.
   * @default true
   */
  readonly eventBridgeNotifications?: Condition;
  /**
   * Whether the bucket exists (a Terraform expression in the module).
   * @default true
   */
  readonly enabled?: Condition;
  /** @default the stack's default provider */
  readonly provider?: TerraformProvider;
  /** @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A bucket for data that must stay under one customer-managed key: SSE-KMS
 * with an S3 Bucket Key, all public access blocked, ACLs off, versioned,
 * TLS-only, and refusing uploads that ask for another encryption. It cannot
 * be destroyed through Terraform (`prevent_destroy`, never `force_destroy`).
 * Used for Connect's recordings (and Contact Lens output under `Analysis/`),
 * their disaster-recovery copy, Terraform state, and (with SSE-S3) access logs.
 */
export class EncryptedBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly encryption: S3BucketServerSideEncryptionConfigurationA;
  readonly versioning: S3BucketVersioningA;
  readonly publicAccessBlock: S3BucketPublicAccessBlock;
  readonly ownershipControls: S3BucketOwnershipControls;
  readonly policy: S3BucketPolicy;
  readonly lifecycleConfiguration?: S3BucketLifecycleConfiguration;
  readonly objectLockConfiguration?: S3BucketObjectLockConfigurationA;
  readonly logging?: S3BucketLoggingA;
  readonly notifications?: S3BucketNotification;
  corsConfiguration?: S3BucketCorsConfiguration;
  readonly enabled: Condition;
  /** Each statement with the condition under which it is written (the source of a log delivery may not exist). */
  private readonly statements: { statement: PolicyStatement; when: Condition }[];
  private readonly provider?: TerraformProvider;

  constructor(scope: Construct, id: string, props: EncryptedBucketProps) {
    super(scope, id);
    const provider = (this.provider = props.provider);
    const enabled = (this.enabled = props.enabled ?? true);

    this.bucket = new S3Bucket(this, "Resource", {
      bucket: props.bucketName,
      forceDestroy: false,
      objectLockEnabled: props.objectLock ? (props.objectLock.enabled ?? true) : undefined,
      tags: props.tags,
      provider,
      lifecycle: { preventDestroy: true },
    });
    const bucketId = attributeOf(this.bucket, "id", enabled);
    this.encryption = this.createDefaultEncryption(bucketId, props.encryptionKey, props.bucketKey ?? true);
    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, "public_access", {
      bucket: bucketId,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
      provider,
    });
    this.ownershipControls = new S3BucketOwnershipControls(this, "ownership", {
      bucket: bucketId,
      rule: { objectOwnership: "BucketOwnerEnforced" },
      provider,
    });
    this.versioning = new S3BucketVersioningA(this, "versioning", {
      bucket: bucketId,
      versioningConfiguration: { status: "Enabled" },
      provider,
    });

    this.statements = this.baseStatements(props.encryptionKey).map((statement) => ({ statement, when: true }));
    this.policy = new S3BucketPolicy(this, "policy", {
      bucket: bucketId,
      // Rendered at synthesis, so statements added later (log delivery) are included.
      policy: policyAttribute(this, "policy_document", () => this.statements, this.enabled),
      provider,
      // S3 rejects concurrent policy and public-access-block writes on one bucket.
      dependsOn: [this.publicAccessBlock],
    });

    this.objectLockConfiguration = this.createObjectLock(bucketId, props.objectLock);
    this.lifecycleConfiguration = this.createLifecycle(bucketId, props.lifecycle);
    this.logging = this.createAccessLogging(bucketId, props.accessLogs);
    this.notifications = this.createNotifications(bucketId, props.eventBridgeNotifications ?? true);

    // Everything here exists with the bucket.
    for (const resource of [
      this.bucket,
      this.encryption,
      this.publicAccessBlock,
      this.ownershipControls,
      this.versioning,
      this.policy,
      this.lifecycleConfiguration,
    ]) {
      if (resource) applyCondition(resource, enabled);
    }
  }

  /** SSE-KMS with the key and (unless told otherwise) an S3 Bucket Key; SSE-S3 without a key (a bucket that receives access logs). */
  private createDefaultEncryption(
    bucketId: string,
    key: EncryptionKey | undefined,
    bucketKey: boolean,
  ): S3BucketServerSideEncryptionConfigurationA {
    return new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: bucketId,
      provider: this.provider,
      rule: [
        key
          ? {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.keyArn },
              // One data key per bucket instead of one KMS call per object: up to
              // 99% fewer KMS requests; the encryption context becomes the bucket ARN.
              bucketKeyEnabled: bucketKey,
            }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    });
  }

  /** The default retention of Object Lock, where the lock may apply. */
  private createObjectLock(bucketId: string, lock: EncryptedBucketProps["objectLock"]): S3BucketObjectLockConfigurationA | undefined {
    if (!lock || !mayExist(lock.enabled ?? true)) return undefined;
    return applyCondition(
      new S3BucketObjectLockConfigurationA(this, "object_lock", {
        bucket: bucketId,
        rule: { defaultRetention: { mode: lock.mode, days: lock.days, years: lock.years } },
        provider: this.provider,
        dependsOn: [this.versioning],
      }),
      and(this.enabled, lock.enabled ?? true),
    );
  }

  /** Transitions, expiry and clean-up; rules whose existence is a Terraform expression become dynamic blocks. */
  private createLifecycle(bucketId: string, settings: LifecycleSettings | undefined): S3BucketLifecycleConfiguration {
    const lifecycle = settings ?? { abortIncompleteMultipartUploadDays: 7, prefixRules: [] };
    const dynamicBlocks: DynamicBlock[] = [];
    const configuration = new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: bucketId,
      rule: lifecycleRules(lifecycle, dynamicBlocks),
      provider: this.provider,
      // Lifecycle rules on versions need versioning to be on first.
      dependsOn: [this.versioning],
    });
    for (const block of dynamicBlocks) configuration.addOverride(block.path, block.value);
    return configuration;
  }

  /** Server access logs to the target, which (when it is a log bucket of this package) is told to accept them. */
  private createAccessLogging(bucketId: string, accessLogs: EncryptedBucketProps["accessLogs"]): S3BucketLoggingA | undefined {
    if (!accessLogs || !mayExist(accessLogs.enabled ?? true)) return undefined;
    const { target, prefix } = accessLogs;
    if (typeof target !== "string") target.acceptLogsFrom(this.bucketArn, prefix, and(this.enabled, accessLogs.enabled ?? true));
    return applyCondition(
      new S3BucketLoggingA(this, "access_logs", {
        bucket: bucketId,
        targetBucket: typeof target === "string" ? target : target.bucketName,
        targetPrefix: prefix,
        provider: this.provider,
        // S3 refuses a logging configuration (InvalidTargetBucketForLogging) until the target's policy
        // lets logging.s3.amazonaws.com deliver; S3 user guide, "Permissions for log delivery"
        // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general).
        dependsOn: typeof target === "string" ? undefined : [target.policy],
      }),
      and(this.enabled, accessLogs.enabled ?? true),
    );
  }

  /** Object events to EventBridge; switched off only with a reason the compliance report shows. */
  private createNotifications(bucketId: string, notify: Condition): S3BucketNotification | undefined {
    if (notify === false) {
      suppress(
        this,
        BUCKET_EVENTS_TO_EVENTBRIDGE.id,
        "bucket.eventBridgeNotifications is false: another tool manages this bucket's notification configuration (S3 keeps one per bucket).",
      );
    }
    if (!mayExist(notify)) return undefined;
    return applyCondition(
      new S3BucketNotification(this, "notifications", { bucket: bucketId, eventbridge: true, provider: this.provider }),
      and(this.enabled, notify),
    );
  }

  get bucketName(): string {
    return attributeOf(this.bucket, "bucket", this.enabled);
  }

  get bucketArn(): string {
    return attributeOf(this.bucket, "arn", this.enabled);
  }

  /** The bucket policy, as written to the bucket. */
  get policyDocument(): PolicyDocument {
    return policyDocument(listOf(this.statements.map(({ statement, when }) => ({ item: statement, when }))));
  }

  /**
   * The cross-origin rule for browsers that upload and download with
   * pre-signed URLs (Connect's chat attachments). CORS admits nothing by
   * itself: every request still needs a signature the bucket policy allows.
   */
  allowCrossOriginUploads(cors: CorsRule): void {
    if (!mayExist(cors.enabled ?? true)) return;
    this.corsConfiguration = new S3BucketCorsConfiguration(this, "cors", {
      bucket: attributeOf(this.bucket, "id", this.enabled),
      corsRule: [
        {
          allowedOrigins: [...cors.allowedOrigins],
          allowedMethods: [...cors.allowedMethods],
          allowedHeaders: ["*"],
          maxAgeSeconds: 3000,
        },
      ],
      provider: this.provider,
    });
    applyCondition(this.corsConfiguration, and(this.enabled, cors.enabled ?? true));
  }

  /** Adds a statement to the bucket policy (a service that writes here, e.g. CloudTrail). */
  addToResourcePolicy(statement: PolicyStatement, when: Condition = true): void {
    this.statements.push({ statement, when });
  }

  /**
   * Lets S3 server access logging of `sourceBucketArn` (in `sourceAccountId`)
   * write under `prefix`: the only way to deliver logs with ACLs disabled.
   */
  protected allowAccessLogDelivery(sourceBucketArn: string, sourceAccountId: string, prefix: string, when: Condition = true): void {
    const sid = `S3ServerAccessLogsFrom${this.statements.filter((s) => s.statement.Sid.startsWith("S3ServerAccessLogsFrom")).length + 1}`;
    this.statements.push({
      when,
      statement: {
        // S3 user guide, "Permissions for log delivery" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general).
        Sid: sid,
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${this.bucketArn}/${prefix}*`,
        Condition: { ArnLike: { "aws:SourceArn": sourceBucketArn }, StringEquals: { "aws:SourceAccount": sourceAccountId } },
      },
    });
  }

  /** The default encryption as Terraform configures it (for outputs and audits). */
  get encryptionEvidence(): Record<string, string> {
    const rule = `${this.encryption.fqn}.rule[*]`;
    return {
      sse_algorithm: Token.asString(Fn.one(ref(`${rule}.apply_server_side_encryption_by_default[0].sse_algorithm`))),
      kms_master_key_id: Token.asString(Fn.one(ref(`${rule}.apply_server_side_encryption_by_default[0].kms_master_key_id`))),
      bucket_key_enabled: Token.asString(Fn.one(ref(`${rule}.bucket_key_enabled`))),
    };
  }

  /** Everything that must be in place before anything writes here. */
  get readiness(): ITerraformDependable[] {
    return [this.encryption, this.publicAccessBlock, this.ownershipControls, this.versioning, this.policy];
  }

  private baseStatements(key: EncryptionKey | undefined): PolicyStatement[] {
    const objects = `${this.bucketArn}/*`;
    const tlsOnly: PolicyStatement = {
      // S3 user guide, "Security best practices": enforce encryption in transit with aws:SecureTransport (https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html).
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [this.bucketArn, objects],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
    if (!key) return [tlsOnly];
    // Uploads without encryption headers are allowed on purpose: they get the
    // bucket default (this key). Each Deny below applies only when the
    // request names an encryption, and only if it names another one.
    return [
      tlsOnly,
      {
        // S3 user guide, "Specifying server-side encryption with AWS KMS" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/specifying-kms-encryption.html):
        // the s3:x-amz-server-side-encryption condition key.
        Sid: "DenyOtherEncryptionAlgorithms",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:PutObject",
        Resource: objects,
        Condition: {
          Null: { "s3:x-amz-server-side-encryption": "false" },
          StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
        },
      },
      {
        // Same page: s3:x-amz-server-side-encryption-aws-kms-key-id requires one key (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms).
        Sid: "DenyOtherKmsKeys",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:PutObject",
        Resource: objects,
        Condition: {
          Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
          StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": [key.keyArn, key.keyId, key.aliasArn] },
        },
      },
      {
        // S3 user guide, SSE-C (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerSideEncryptionCustomerKeys.html): refused, so no object escapes the key.
        Sid: "DenyCustomerProvidedKeys",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:PutObject",
        Resource: objects,
        Condition: { Null: { "s3:x-amz-server-side-encryption-customer-algorithm": "false" } },
      },
    ];
  }
}

/** A nested block written as a Terraform `dynamic` block, through an override (cdktf supports those only at the top level). */
interface DynamicBlock {
  readonly path: string;
  readonly value: unknown;
}

/**
 * The bucket-wide rule (all objects), then one rule per prefix that retains
 * for less. A block whose number is unset is left out; in the module, where
 * the number is an input that may be null, it becomes a dynamic block over
 * a list of zero or one number.
 */
function lifecycleRules(lifecycle: LifecycleSettings, dynamicBlocks: DynamicBlock[]): S3BucketLifecycleConfigurationRule[] {
  const optional = <T>(
    rule: number,
    block: string,
    days: number | undefined,
    content: (days: number) => T,
    raw: (days: string) => object,
  ): T[] | undefined => {
    if (days === undefined) return undefined;
    if (!Token.isUnresolved(days)) return [content(days)];
    dynamicBlocks.push({
      path: `rule.${rule}.dynamic.${block}`,
      value: { for_each: Fn.conditional(Op.eq(days, Token.nullValue()), [], [days]), content: raw(`\${${block}.value}`) },
    });
    return undefined;
  };
  const bucketWide: S3BucketLifecycleConfigurationRule = {
    id: "bucket-wide-retention",
    status: "Enabled",
    filter: [{ prefix: "" }],
    abortIncompleteMultipartUpload: [{ daysAfterInitiation: lifecycle.abortIncompleteMultipartUploadDays }],
    transition: optional(
      0,
      "transition",
      lifecycle.transitionToGlacierIrAfterDays,
      (days) => ({ days, storageClass: "GLACIER_IR" }),
      (days) => ({ days, storage_class: "GLACIER_IR" }),
    ),
    expiration: optional(
      0,
      "expiration",
      lifecycle.expireAfterDays,
      (days) => ({ days }),
      (days) => ({ days }),
    ),
    noncurrentVersionExpiration: optional(
      0,
      "noncurrent_version_expiration",
      lifecycle.noncurrentVersionExpirationDays,
      (noncurrentDays) => ({ noncurrentDays }),
      (days) => ({ noncurrent_days: days }),
    ),
  };
  return [
    bucketWide,
    ...lifecycle.prefixRules.map((rule, index): S3BucketLifecycleConfigurationRule => ({
      id: `prefix-${index + 1}-${rule.prefix.replace(/[^A-Za-z0-9]+/g, "-").replace(/-+$/, "")}`,
      status: "Enabled",
      filter: [{ prefix: rule.prefix }],
      transition:
        rule.transitionToGlacierIrAfterDays === undefined
          ? undefined
          : [{ days: rule.transitionToGlacierIrAfterDays, storageClass: "GLACIER_IR" }],
      expiration: rule.expireAfterDays === undefined ? undefined : [{ days: rule.expireAfterDays }],
    })),
  ];
}
