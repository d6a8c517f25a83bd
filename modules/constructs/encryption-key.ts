import { providerReadActions } from "../invariants/provider-calls";
import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { KmsGrant } from "@cdktf/provider-aws/lib/kms-grant";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { DataAwsIamSessionContext } from "@cdktf/provider-aws/lib/data-aws-iam-session-context";
import { AwsAccount } from "./aws-account";
import { PolicyDocument, PolicyStatement, policyDocument } from "../config/policy";
import { policyAttribute } from "./policy-document";
import { Condition, and, applyCondition, attributeOf, hasItems, listOf, or } from "./condition";

export interface EncryptionKeyProps {
  /** Where the key lives; supplies the account root and partition for the key policy. */
  readonly account: AwsAccount;
  /** Alias, including the `alias/` prefix. */
  readonly aliasName: string;
  /** Key description shown in the KMS console. */
  readonly description: string;
  /**
   * Days between automatic rotations of the key material, 90-2560.
   * @default 365
   */
  readonly rotationPeriodInDays?: number;
  /**
   * Waiting period, 7-30 days, between a deletion request and the key's
   * deletion (a deletion can be cancelled during it).
   * @default 30
   */
  readonly deletionWindowInDays?: number;
  /**
   * Roles or users that manage the key: policy, rotation, aliases, tags,
   * enable/disable and scheduling deletion. They get no data-plane use.
   * @default none (the account root, through IAM policies, administers the key)
   */
  readonly administratorArns?: readonly string[];
  /**
   * Roles or users that encrypt and decrypt with the key directly
   * (e.g. an analytics role reading recordings).
   * @default none
   */
  readonly userArns?: readonly string[];
  /**
   * Principals that run Terraform: named in the statements that let them
   * associate Connect storage (`enableConnectAssociations`) and grant Connect
   * access to Kinesis data streams.
   * @default the IAM role behind the credentials that run Terraform
   */
  readonly deployerArns?: readonly string[];
  /**
   * Roles that may only decrypt, and only through S3 in this Region (to read
   * un-redacted originals during an audit or a subject-access request).
   * @default none
   */
  readonly auditorArns?: readonly string[];
  /**
   * Downstream readers (Athena, QuickSight, Lambda): decrypt through S3 in
   * this Region and account only.
   * @default none
   */
  readonly consumerArns?: readonly string[];
  /**
   * Principals that read the key's configuration and use it for nothing:
   * what the Terraform AWS provider reads to refresh the key, its alias and
   * its grants (an HCP Terraform plan role, when the account root is not in
   * the key policy to delegate that to IAM).
   * @default none
   */
  readonly readOnlyArns?: readonly string[];
  /**
   * Keep the statement that gives the account root `kms:*`, which lets IAM
   * policies of the account grant key use. Set false only with named
   * administrators (the configuration refuses a policy that would lock everyone out).
   * @default true
   */
  readonly allowAccountRoot?: boolean;
  /**
   * Whether the key exists (a Terraform expression in the module).
   * @default true
   */
  readonly enabled?: Condition;
  /**
   * The provider (for instance another Region's) for the key's resources.
   * @default the stack's default provider
   */
  readonly provider?: TerraformProvider;
  /** @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** What a key administrator may do: everything that manages the key, nothing that uses it. */
export const KEY_ADMINISTRATION_ACTIONS = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:DeleteAlias",
  "kms:DescribeKey",
  "kms:DisableKey",
  "kms:DisableKeyRotation",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListAliases",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListKeyRotations",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:RevokeGrant",
  "kms:RotateKeyOnDemand",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
] as const;

/** What a Kinesis producer needs from the key: a data key per batch of records. */
export const STREAM_PRODUCER_GRANT_OPERATIONS = ["GenerateDataKey"] as const;

/** What a key user may do with data. */
export const KEY_USE_ACTIONS = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"] as const;

/**
 * A symmetric customer-managed KMS key for all of Connect's customer content,
 * with rotation on, an alias, and an explicit key policy. The key cannot be
 * destroyed through Terraform (`prevent_destroy`): losing it loses every
 * recording encrypted under it.
 */
/** The KMS actions of the provider's reads of a key, its alias and its grants (kms:ListAliases takes no key: IAM only). */
const KEY_READ_ACTIONS = providerReadActions(["aws_kms_key", "aws_kms_alias", "aws_kms_grant"]).filter(
  (action) => action.startsWith("kms:") && action !== "kms:ListAliases",
);

export class EncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;
  private readonly configuredDeployerArns?: readonly string[];
  private deployerSession?: DataAwsIamSessionContext;
  private readonly account: AwsAccount;
  private readonly provider?: TerraformProvider;
  private readonly statements: { statement: PolicyStatement; when: Condition }[] = [];
  private readonly enabled: Condition;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    this.configuredDeployerArns = props.deployerArns;
    this.account = props.account;
    this.provider = props.provider;
    this.enabled = props.enabled ?? true;
    this.addBaseStatements(props);
    this.key = new KmsKey(this, "Resource", {
      description: props.description,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      enableKeyRotation: true,
      rotationPeriodInDays: props.rotationPeriodInDays ?? 365,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      isEnabled: true,
      multiRegion: false,
      bypassPolicyLockoutSafetyCheck: false,
      // Rendered at synthesis, so statements added by later constructs are included.
      policy: policyAttribute(this, "policy_document", () => this.statements, this.enabled),
      tags: props.tags,
      provider: props.provider,
      lifecycle: { preventDestroy: true },
    });

    applyCondition(this.key, this.enabled);
    this.alias = applyCondition(
      new KmsAlias(this, "alias", {
        name: props.aliasName,
        targetKeyId: this.keyId,
        provider: props.provider,
      }),
      this.enabled,
    );
  }

  /** Full key ARN: the only form Connect's `encryption_config.key_id` accepts. */
  get keyArn(): string {
    return attributeOf(this.key, "arn", this.enabled);
  }

  get keyId(): string {
    return attributeOf(this.key, "key_id", this.enabled);
  }

  get aliasName(): string {
    return attributeOf(this.alias, "name", this.enabled);
  }

  get aliasArn(): string {
    return attributeOf(this.alias, "arn", this.enabled);
  }

  /** Principals that run Terraform: as configured, or the IAM role behind the credentials that run it. */
  get deployerArns(): readonly string[] {
    if (this.configuredDeployerArns) return this.configuredDeployerArns;
    this.deployerSession ??= new DataAwsIamSessionContext(this, "deployer", { arn: this.account.callerArn, provider: this.provider });
    return [this.deployerSession.issuerArn];
  }

  /**
   * Lets the deployers associate Connect storage with this key:
   * AssociateInstanceStorageConfig (S3 and Kinesis Video Streams targets)
   * makes Connect create a grant for the instance's service-linked role with
   * the caller's credentials. Only that grant is allowed: made through an AWS
   * service, to a Connect service-linked role of this account.
   */
  enableConnectAssociations(): void {
    const deployers = this.deployerArns;
    this.addToPolicy({
      // Connect admin guide, "Key management" (https://docs.aws.amazon.com/connect/latest/adminguide/key-management.html)
      // and "Restrict resources that can be associated" (https://docs.aws.amazon.com/connect/latest/adminguide/restrict-access-examples.html):
      // association checks the key with the caller's kms:DescribeKey.
      Sid: "DeployerDescribesKey",
      Effect: "Allow",
      Principal: { AWS: deployers },
      Action: "kms:DescribeKey",
      Resource: "*",
    });
    this.addToPolicy({
      // Terraform reads grants, and removes the ones it created when an
      // association goes; Connect retires its own on disassociation.
      // KMS developer guide, "Retiring and revoking grants" (https://docs.aws.amazon.com/kms/latest/developerguide/grant-delete.html).
      Sid: "DeployerListsAndRevokesGrants",
      Effect: "Allow",
      Principal: { AWS: deployers },
      Action: ["kms:ListGrants", "kms:RetireGrant", "kms:RevokeGrant"],
      Resource: "*",
    });
    this.addToPolicy({
      // Connect admin guide, "Key management" (https://docs.aws.amazon.com/connect/latest/adminguide/key-management.html): Connect
      // creates its grant with the caller's credentials; KMS condition keys kms:GrantIsForAWSResource and
      // kms:GranteePrincipal (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource).
      Sid: "DeployerCreatesConnectGrants",
      Effect: "Allow",
      Principal: { AWS: deployers },
      Action: "kms:CreateGrant",
      Resource: "*",
      Condition: {
        Bool: { "kms:GrantIsForAWSResource": "true" },
        StringLike: { "kms:GranteePrincipal": this.account.connectServiceRolePattern },
      },
    });
  }

  /** The key policy as it will be written to the key. */
  get policyDocument(): PolicyDocument {
    return policyDocument(listOf(this.statements.map(({ statement, when }) => ({ item: statement, when }))));
  }

  /**
   * Adds a statement to the key policy, present while `when` holds. A Sid
   * added twice is written once, present while either condition holds.
   */
  addToPolicy(statement: PolicyStatement, when: Condition = true): void {
    const existing = this.statements.find((s) => s.statement.Sid === statement.Sid);
    if (existing) existing.when = or(existing.when, when);
    else this.statements.push({ statement, when });
  }

  /**
   * Lets a Connect instance's service-linked role write to one Kinesis data
   * stream encrypted with this key. Connect makes no grant for Kinesis data
   * streams itself, so Terraform creates it: GenerateDataKey only (all a
   * Kinesis producer needs), and only with that stream's encryption context.
   */
  grantConnectStreamWrites(
    scope: Construct,
    id: string,
    serviceRoleArn: string,
    streamArn: string,
    name: string,
    when: Condition = true,
  ): KmsGrant {
    this.addToPolicy(
      {
        // Kinesis guide, "Permissions to use user-generated KMS keys" (https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html):
        // a producer needs GenerateDataKey; KMS grant constraints
        // (https://docs.aws.amazon.com/kms/latest/developerguide/create-grant-overview.html#grant-constraints).
        Sid: "DeployerGrantsConnectStreamWrites",
        Effect: "Allow",
        Principal: { AWS: this.deployerArns },
        Action: "kms:CreateGrant",
        Resource: "*",
        Condition: {
          StringLike: { "kms:GranteePrincipal": this.account.connectServiceRolePattern },
          "ForAllValues:StringEquals": { "kms:GrantOperations": [...STREAM_PRODUCER_GRANT_OPERATIONS] },
          StringEquals: { "kms:GrantConstraintType": "EncryptionContextSubset" },
        },
      },
      when,
    );
    const grant = new KmsGrant(scope, id, {
      name,
      keyId: this.keyArn,
      granteePrincipal: serviceRoleArn,
      operations: [...STREAM_PRODUCER_GRANT_OPERATIONS],
      constraints: [{ encryptionContextSubset: { "aws:kinesis:arn": streamArn } }],
    });
    return applyCondition(grant, when);
  }

  /**
   * Lets roles read Kinesis data streams encrypted with this key: Decrypt,
   * only through Kinesis in this Region and account, and only for streams
   * whose ARN matches `streamArnPattern`.
   */
  allowStreamConsumers(roleArns: readonly string[], streamArnPattern: string, videoStreams: Condition = false): void {
    const when = hasItems(roleArns);
    if (when === false) return;
    this.addToPolicy(
      {
        // Kinesis guide, "Permissions to use user-generated KMS keys" (https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html):
        // consumers need kms:Decrypt; kms:ViaService (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
        Sid: "StreamConsumersDecryptThroughKinesis",
        Effect: "Allow",
        Principal: { AWS: roleArns },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: {
          StringEquals: { "kms:ViaService": this.account.viaService("kinesis"), "kms:CallerAccount": this.account.accountId },
          StringLike: { "kms:EncryptionContext:aws:kinesis:arn": streamArnPattern },
        },
      },
      when,
    );
    this.addToPolicy(
      {
        // Kinesis Video Streams developer guide, "Data protection in Kinesis Video Streams" / server-side encryption
        // (https://docs.aws.amazon.com/kinesisvideostreams/latest/dg/how-kms.html): a consumer of an encrypted stream
        // needs kms:Decrypt on its key; here only through Kinesis Video Streams in this Region and account (the page
        // names no encryption context to narrow it to the instance's streams).
        Sid: "StreamConsumersDecryptThroughKinesisVideo",
        Effect: "Allow",
        Principal: { AWS: roleArns },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: {
          StringEquals: { "kms:ViaService": this.account.viaService("kinesisvideo"), "kms:CallerAccount": this.account.accountId },
        },
      },
      and(when, videoStreams),
    );
  }

  /**
   * Lets the deployer turn on Firehose server-side encryption with this key:
   * StartDeliveryStreamEncryption makes Firehose create its own grant with the
   * caller's credentials.
   */
  allowFirehoseEncryption(when: Condition = true): void {
    this.addToPolicy(
      {
        // Firehose guide, "Data protection" / server-side encryption (https://docs.aws.amazon.com/firehose/latest/dev/encryption.html):
        // StartDeliveryStreamEncryption with a CMK makes Firehose create a grant with the caller's credentials.
        Sid: "DeployerLetsFirehoseCreateItsGrant",
        Effect: "Allow",
        Principal: { AWS: this.deployerArns },
        Action: "kms:CreateGrant",
        Resource: "*",
        Condition: {
          Bool: { "kms:GrantIsForAWSResource": "true" },
          StringEquals: { "kms:ViaService": this.account.viaService("firehose") },
        },
      },
      when,
    );
  }

  /** Lets CloudWatch Logs encrypt the named log group with this key; `sidSuffix` names the statement. */
  allowLogGroupEncryption(sidSuffix: string, logGroupName: string, when: Condition = true): void {
    this.addToPolicy(
      {
        // CloudWatch Logs user guide, "Encrypt log data in CloudWatch Logs using AWS KMS"
        // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html): the logs.<region> principal,
        // scoped by kms:EncryptionContext:aws:logs:arn.
        Sid: `CloudWatchLogsEncrypts${sidSuffix}`,
        Effect: "Allow",
        Principal: { Service: `logs.${this.account.region}.amazonaws.com` },
        // kms:Describe* of the page's example is left out: DescribeKey carries no encryption context, so under
        // this condition it could never be allowed.
        Action: ["kms:Decrypt*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
        Resource: "*",
        Condition: {
          ArnEquals: { "kms:EncryptionContext:aws:logs:arn": this.account.arn("logs", `log-group:${logGroupName}`) },
        },
      },
      when,
    );
  }

  /**
   * Lets an IAM role read and write objects encrypted with this key, through
   * S3 in this Region only (a service role such as Firehose's or S3
   * replication's), whether or not the account root statement is there.
   */
  allowThroughS3(sid: string, roleArn: string, actions: readonly string[], when: Condition = true): void {
    this.addToPolicy(
      {
        // kms:ViaService and kms:CallerAccount (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service): the role uses the key
        // only through S3 in this Region; S3 SSE-KMS permissions (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#aws-managed-customer-managed-keys).
        Sid: sid,
        Effect: "Allow",
        Principal: { AWS: roleArn },
        Action: [...actions],
        Resource: "*",
        Condition: { StringEquals: { "kms:ViaService": this.account.viaService("s3"), "kms:CallerAccount": this.account.accountId } },
      },
      when,
    );
  }

  /** Lets an AWS service principal use the key on behalf of this account (e.g. SNS for EventBridge, Customer Profiles). */
  allowService(
    sid: string,
    servicePrincipal: string,
    actions: readonly string[],
    condition: PolicyStatement["Condition"],
    when: Condition = true,
  ): void {
    this.addToPolicy(
      { Sid: sid, Effect: "Allow", Principal: { Service: servicePrincipal }, Action: [...actions], Resource: "*", Condition: condition },
      when,
    );
  }

  private addBaseStatements(props: EncryptionKeyProps): void {
    this.addToPolicy(
      {
        // Without this the key is unmanageable once its named principals are
        // gone; it also lets IAM policies in this account grant key use.
        // KMS developer guide, "Default key policy" (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam).
        Sid: "AccountRootAdministersKey",
        Effect: "Allow",
        Principal: { AWS: props.account.rootArn },
        Action: "kms:*",
        Resource: "*",
      },
      props.allowAccountRoot ?? true,
    );
    this.addToPolicy(
      {
        // KMS developer guide, "Allows key administrators to administer the KMS key" (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-administrators),
        // without the cryptographic operations.
        Sid: "KeyAdministrators",
        Effect: "Allow",
        Principal: { AWS: props.administratorArns ?? [] },
        Action: [...KEY_ADMINISTRATION_ACTIONS],
        Resource: "*",
      },
      hasItems(props.administratorArns),
    );
    this.addToPolicy(
      {
        // A plan refreshes the key, its alias and its grants: the provider's read calls for them
        // (modules/invariants/provider-calls/kms-iam.ts, read from the provider's source); none uses the key.
        // KMS developer guide, "Key policies" (https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html):
        // without the account root's statement, only principals the key policy names reach the key.
        Sid: "ReadOnlyPrincipalsReadKeyConfiguration",
        Effect: "Allow",
        Principal: { AWS: props.readOnlyArns ?? [] },
        Action: KEY_READ_ACTIONS,
        Resource: "*",
      },
      hasItems(props.readOnlyArns),
    );
    this.addToPolicy(
      {
        // KMS developer guide, "Allows key users to use the KMS key" (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-users).
        Sid: "KeyUsers",
        Effect: "Allow",
        Principal: { AWS: props.userArns ?? [] },
        Action: [...KEY_USE_ACTIONS],
        Resource: "*",
      },
      hasItems(props.userArns),
    );
    const throughS3 = {
      StringEquals: { "kms:ViaService": props.account.viaService("s3"), "kms:CallerAccount": props.account.accountId },
    };
    this.addToPolicy(
      {
        // kms:ViaService and kms:CallerAccount (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service): reading SSE-KMS objects
        // needs kms:Decrypt through S3 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html).
        Sid: "KeyAuditorsDecryptThroughS3",
        Effect: "Allow",
        Principal: { AWS: props.auditorArns ?? [] },
        Action: ["kms:Decrypt", "kms:DescribeKey"],
        Resource: "*",
        Condition: throughS3,
      },
      hasItems(props.auditorArns),
    );
    this.addToPolicy(
      {
        // As above: downstream readers decrypt only through S3 in this Region and account.
        Sid: "DownstreamConsumersDecryptThroughS3",
        Effect: "Allow",
        Principal: { AWS: props.consumerArns ?? [] },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: throughS3,
      },
      hasItems(props.consumerArns),
    );
  }
}
