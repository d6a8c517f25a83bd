/**
 * The Terraform module for Terraform-first teams: the same ConnectEncryption
 * construct as the environment stacks, driven by `variable` inputs instead of
 * cdktf.json, with no provider, backend or cloud block, so that callers can
 * use `for_each`, `count`, `depends_on` and `providers = { aws = aws.x }`.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { App, Fn, IResolvable, Op, TerraformLocal, TerraformOutput, TerraformVariable, Token, ref } from "cdktf";
import { DataAwsIamSessionContext } from "@cdktf/provider-aws/lib/data-aws-iam-session-context";
import { BaseStack, AWS_PROVIDER_CONSTRAINT, TERRAFORM_VERSION_CONSTRAINT } from "../stacks/base-stack";
import { BlockPaths, blockPathsOf, renderHclModule } from "./hcl";
import { checkovSkipComments } from "./checkov-skips";
import { AwsAccount } from "../constructs/aws-account";
import { ConnectEncryption, ConnectEncryptionProps, StreamingEntry, replicaKeyRoles } from "../constructs/connect-encryption";
import { MIGRATION_EXAMPLE_MOVED_FILE, REPLICATED_STUB, REPLICATED_STUB_README, replicatedMovedBlocks } from "./migration";
import { REPLICATION_DESTINATION_TYPE, REPLICA_MODULE_DIRECTORY, ReplicaModule } from "./replica-module";
import { applyCondition, attributeOf } from "../constructs/condition";
import { POLICY_DOCUMENTS_CONTEXT } from "../constructs/policy-document";
import { MAIN_MODULE_INTRO, MODULE_DOCS_FILE, ModuleIntro, moduleDocs, moduleTables, withModuleTables } from "./module-docs";
import { LifecycleSettings } from "../config/controls-settings";
import { KMS_ALIAS_MAX } from "../config/name-checks";
import {
  CONTACT_LENS_PREFIX,
  LOCKABLE_TYPES,
  LOCKED_BY_DEFAULT,
  S3_STORAGE_TYPES,
  S3_STORAGE_TYPE_INFO,
  StreamingStorageType,
} from "../config/storage-types";
import {
  MODULE_NAME,
  MODULE_NAME_WITH_DEFAULT_BUCKET,
  Validation,
  allowedText,
  fieldRules,
  moduleNameValidations,
  oneRule,
  schemaField,
  validationsOf,
  variableValidations,
} from "./module-variables";

/** Where the module is committed, relative to the repository root; a git `source` points here. */
export const MODULE_DIRECTORY = "module";
/** The file that declares the module's resources (HCL since the module is rendered as HCL). */
export const MODULE_FILE = "main.tf";

/** Shorthands: the validation blocks of a module input from the declaration field it corresponds to (module-variables.ts). */
const FIELD = (name: string, ...path: string[]): Validation[] => variableValidations(name, schemaField(...path));
const OPTIONAL_FIELD = (name: string, ...path: string[]): Validation[] =>
  variableValidations(name, schemaField(...path), { optional: true });
/** An input of the module's own shape, with no declaration field: contact_trace_records_destination. */
const ONE_OF = (name: string, allowed: readonly string[]): Validation => ({
  condition: `\${contains(${JSON.stringify(allowed)}, var.${name})}`,
  errorMessage: `${name}: "\${var.${name}}" is not allowed; allowed: ${allowed.join(", ")}.`,
});
/** "allowed: ..." of a declaration field, for a variable's description. */
const ALLOWED = (...path: string[]): string => `allowed: ${allowedText(schemaField(...path))}`;

/** A module input as declared: a null default makes it optional; an object default is written as given. */
interface InputConfig {
  readonly type: string;
  readonly description: string;
  readonly default?: unknown;
  readonly nullable?: boolean;
  readonly validation?: Validation[];
}

/** A bool input as the construct's condition: the construct takes a Terraform expression where the stacks pass true or false. */
const isTrue = (variable: TerraformVariable): IResolvable => variable.booleanValue as unknown as IResolvable;

/**
 * The module: its inputs, declared one group per section of the declaration
 * (naming, instance, key, bucket and retention, S3 storage, streams,
 * controls, replication), each group returning its part of the props of the
 * ConnectEncryption construct they drive.
 */
/**
 * object_lock.locked_types across inputs, as the declaration's
 * bucket.objectLock.lockedTypes (config-conflicts.ts, checkLockedTypes): named
 * where other types than call recordings and attachments are stored, not
 * empty, and only stored types.
 */
const LOCKED_TYPES_VALIDATIONS = [
  {
    // Written by hand, not from the schema: Terraform evaluates error messages too, and object_lock may be null.
    condition: `\${try(alltrue([for type in var.object_lock.locked_types : contains(${JSON.stringify(LOCKABLE_TYPES)}, type)]), true)}`,
    errorMessage: `object_lock.locked_types: \${jsonencode(try(var.object_lock.locked_types, null))} is not allowed; allowed: storage types (${LOCKABLE_TYPES.join(", ")}).`,
  },
  {
    condition:
      '${var.object_lock == null || try(var.object_lock.locked_types != null, false) || length(setsubtract(keys(var.s3_storage), ["CALL_RECORDINGS", "ATTACHMENTS"])) == 0 && var.contact_trace_records_destination != "firehose"}',
    errorMessage:
      'object_lock.locked_types: missing; with Object Lock, only the types listed here are written to the locked bucket, the others to <name>-attach-<account> under the same key without Object Lock. Connect recommends locking call recordings alone: ["CALL_RECORDINGS"]. To keep every stored type locked, as before this input existed, list them all (and CONTACT_TRACE_RECORDS with the firehose destination).',
  },
  {
    condition: "${try(length(distinct(var.object_lock.locked_types)) == length(var.object_lock.locked_types), true)}",
    errorMessage:
      "object_lock.locked_types: ${jsonencode(try(var.object_lock.locked_types, null))} lists a type twice; list each type once.",
  },
  {
    condition: "${try(length(var.object_lock.locked_types) > 0, true)}",
    errorMessage: "object_lock.locked_types: [] locks nothing; list at least one stored type, or set object_lock to null.",
  },
  {
    condition:
      '${try(alltrue([for type in var.object_lock.locked_types : contains(keys(var.s3_storage), type) || (type == "CONTACT_TRACE_RECORDS" && var.contact_trace_records_destination == "firehose")]), true)}',
    errorMessage:
      "object_lock.locked_types: ${jsonencode(try(var.object_lock.locked_types, null))} names a type that is not stored; allowed: keys of s3_storage, and CONTACT_TRACE_RECORDS with contact_trace_records_destination firehose.",
  },
];

/** The alerts alias adds a suffix to key_alias: it must fit KMS's limit too (config: name-checks.ts); the replica module checks its -dr. */
const DERIVED_ALIAS_VALIDATIONS: Validation[] = [
  {
    // A conditional, not ||: Terraform evaluates both sides of || (trimprefix of null fails).
    condition: `\${var.key_alias == null || !var.key_misuse_alerts_enabled ? true : length("alias/\${trimprefix(var.key_alias, "alias/")}-alerts") <= ${KMS_ALIAS_MAX}}`,
    errorMessage: `key_alias: makes the alerts key's alias longer than KMS's ${KMS_ALIAS_MAX} characters; shorten it.`,
  },
];

export class ConnectEncryptionModule extends BaseStack {
  /** key_auditors, who read the alerts unless alert_reader_arns names others. */
  private keyAuditors?: TerraformVariable;
  readonly encryption: ConnectEncryption;

  constructor(scope: App, name = "connect-kms-encryption") {
    super(scope, name);
    // Policies as aws_iam_policy_document data sources, which reviewers and scanners read (policy-document.ts).
    this.node.setContext(POLICY_DOCUMENTS_CONTEXT, true);
    const naming = this.namingInputs();
    const account = new AwsAccount(this, "account");
    const key = this.keyInputs(naming.namePrefix, account);
    this.encryption = new ConnectEncryption(this, "Resource", {
      account,
      ...naming,
      key,
      instance: this.instanceInputs(naming.namePrefix),
      ...this.bucketInputs(naming.namePrefix, account),
      s3Storage: this.s3StorageInputs(),
      ...this.streamInputs(naming.namePrefix),
      ...this.controlInputs(),
      replication: replicationInputs(this),
    });
    // The replica module creates the unlocked copy exactly when replica_settings says this module has the unlocked bucket.
    this.encryption.replication?.additionalConfiguration?.addOverride("lifecycle.precondition", [
      {
        condition: "${try(var.replication.unlocked_bucket_arn != null, false)}",
        error_message:
          "replication.unlocked_bucket_arn: missing, yet some stored types go to the bucket without Object Lock (<name>-attach-<account>), whose copy it names. Call module/modules/replica with primary = this module's replica_settings output (it then creates that copy), and pass its replication output here.",
      },
    ]);
    this.replicaSettingsOutput(naming.namePrefix, key, account);
  }

  /** What the replica module mirrors (module/modules/replica, its `primary` input): names, the key's roles, Object Lock, tags. */
  private replicaSettingsOutput(namePrefix: string, key: ConnectEncryptionProps["key"], account: AwsAccount): void {
    const roles = replicaKeyRoles(key);
    new TerraformOutput(this, "replica_settings", {
      description:
        "What a disaster-recovery copy mirrors: pass it to module/modules/replica as primary = module.<this>.replica_settings, and that module's replication output back as replication.",
      value: {
        name: namePrefix,
        key_alias: key.aliasName,
        account_id: account.accountId,
        object_lock: ref(
          'var.object_lock == null ? null : { "mode" = var.object_lock.mode, "days" = var.object_lock.days, "years" = var.object_lock.years }',
        ),
        unlocked_copy: this.encryption.attachmentsBucket?.enabled ?? false,
        key_administrators: roles.keyAdministratorArns ?? [],
        key_read_only: roles.keyReadOnlyArns ?? [],
        key_readers: roles.keyReaderArns ?? [],
        tags: ref("var.tags"),
      },
    });
  }

  private input(id: string, config: InputConfig): TerraformVariable {
    const variable = new TerraformVariable(this, id, {
      type: config.type,
      description: config.description,
      // A null default makes the input optional; cdktf needs it as a token.
      default: config.default === null ? Token.nullValue() : typeof config.default === "object" ? undefined : config.default,
      nullable: config.nullable,
      validation: config.validation && oneRule(id, config.validation),
    });
    // cdktf would snake_case the keys of an object default (CALL_RECORDINGS -> call_recordings).
    if (config.default !== null && typeof config.default === "object") variable.addOverride("default", config.default);
    return variable;
  }

  /** A bool input that is on unless the caller turns it off. */
  private flag(id: string, description: string): TerraformVariable {
    return this.input(id, { type: "bool", description, default: true });
  }

  /** namePrefix and tags: what every resource is named and tagged with. */
  private namingInputs(): Pick<ConnectEncryptionProps, "namePrefix" | "tags"> {
    const name = this.input("name", {
      type: "string",
      description: `Leading part of every name (key alias, bucket, streams, roles), e.g. acme-connect-prod: what the cdktf stacks build as <namePrefix>-<environment> (a declaration's is always a valid name here). Allowed: ${MODULE_NAME.min}-${MODULE_NAME.max} lowercase letters, digits or hyphens, starting and ending with a letter or digit, not starting with a prefix S3 reserves for bucket names (xn--, sthree-, amzn-s3-demo-). Not checked here: with a name longer than ${MODULE_NAME_WITH_DEFAULT_BUCKET}, set bucket_name, since the default bucket name <name>-<account>-<region> must fit S3's 63 characters (the cdktf declaration checks this against the environment's Region; validation here cannot read the provider's Region, and a rule reading bucket_name would hide this input's other refusals).`,
      validation: moduleNameValidations(),
    });
    const tags = this.input("tags", {
      type: "map(string)",
      description: `Tags on every taggable resource (in addition to the provider's default tags); ${ALLOWED("tags")}. AWS allows 50 tags per resource, the provider's default tags included: validation cannot see those, so that count is not checked here (the cdktf declaration checks it).`,
      default: {},
      validation: [
        ...FIELD("tags", "tags"),
        {
          // IAM compares tag keys without regard to case (config: name-checks.ts, checkTagKeys).
          condition: "${length(distinct([for key in keys(var.tags) : lower(key)])) == length(var.tags)}",
          errorMessage:
            "tags: ${jsonencode(keys(var.tags))} has keys that differ only in letter case; IAM compares tag keys without regard to case, so keep one.",
        },
      ],
    });
    return { namePrefix: name.stringValue, tags: tags.value };
  }

  /** instance.create or instance.adopt: a new instance (create_instance, the default) or an existing one by instance_id. */
  private instanceInputs(namePrefix: string): ConnectEncryptionProps["instance"] {
    const createInstance = this.input("create_instance", {
      type: "bool",
      description: "Create a new Amazon Connect instance (true) or attach to the existing instance_id (false).",
      default: true,
    });
    const instanceAlias = this.input("instance_alias", {
      type: "string",
      description: `Alias of the instance to create (default: name; set it when name starts with d-); ${ALLOWED("instance", "create", "alias")}. Set either instance_alias (a new instance) or instance_id with create_instance = false (an existing one).`,
      default: null,
      validation: [
        ...OPTIONAL_FIELD("instance_alias", "instance", "create", "alias"),
        {
          condition: "${var.instance_alias == null || var.create_instance}",
          errorMessage:
            "instance_alias and instance_id: set instance_alias for a new instance, or instance_id with create_instance = false for an existing one, not both.",
        },
      ],
    });
    const identity = this.identityInputs();
    const inbound = this.flag("inbound_calls_enabled", "Inbound calls on a created instance.");
    const outbound = this.flag("outbound_calls_enabled", "Outbound calls on a created instance.");
    const flowLogs = this.flag("contact_flow_logs_enabled", "Flow logs (the audit trail of each contact) on a created instance.");
    const contactLens = this.flag(
      "contact_lens_enabled",
      "Contact Lens on a created instance; its output lands under Analysis/ in the bucket, under the key.",
    );
    this.input("instance_id", {
      type: "string",
      description: `ID or ARN of the existing instance to attach to (required when create_instance is false). Nothing about the instance is changed. ${ALLOWED("instance", "adopt", "instance")}. Not checked here: that an ARN is in the provider's Region and account (validation cannot read the provider; the cdktf declaration checks it against the environment's).`,
      default: null,
      validation: [
        ...OPTIONAL_FIELD("instance_id", "instance", "adopt", "instance"),
        {
          condition: "${var.create_instance == (var.instance_id == null)}",
          errorMessage:
            "instance_alias and instance_id: with create_instance = false set instance_id (the existing instance); with create_instance = true (the default) leave instance_id unset and optionally set instance_alias (default: name).",
        },
      ],
    });
    // The construct takes an instance ID; the input also accepts the instance's ARN.
    const adoptedId = new TerraformLocal(
      this,
      "adopted_instance_id",
      '${var.instance_id == null ? null : element(reverse(split("/", coalesce(var.instance_id, "-"))), 0)}',
    );
    return {
      create: isTrue(createInstance),
      newInstance: {
        alias: Fn.coalesce([instanceAlias.stringValue, namePrefix]),
        ...identity,
        inboundCallsEnabled: inbound.booleanValue as unknown as boolean,
        outboundCallsEnabled: outbound.booleanValue as unknown as boolean,
        contactFlowLogsEnabled: flowLogs.booleanValue as unknown as boolean,
        contactLensEnabled: contactLens.booleanValue as unknown as boolean,
      },
      adoptInstanceId: Token.asString(adoptedId.expression),
    };
  }

  /** instance.create.identityManagementType and directoryId: how agents of a created instance sign in. */
  private identityInputs(): { identityManagementType: "CONNECT_MANAGED"; directoryId: string } {
    const identityManagementType = this.input("identity_management_type", {
      type: "string",
      description: "How agents sign in to a created instance: CONNECT_MANAGED, SAML or EXISTING_DIRECTORY.",
      default: "CONNECT_MANAGED",
      validation: FIELD("identity_management_type", "instance", "create", "identityManagementType"),
    });
    const directoryId = this.input("directory_id", {
      type: "string",
      description: "AWS Directory Service directory of a created instance; required with EXISTING_DIRECTORY, refused otherwise.",
      default: null,
      validation: [
        ...OPTIONAL_FIELD("directory_id", "instance", "create", "directoryId"),
        {
          condition: '${(var.identity_management_type == "EXISTING_DIRECTORY") == (var.directory_id != null)}',
          errorMessage:
            "directory_id: ${jsonencode(var.directory_id)} is not allowed; set it exactly when identity_management_type is EXISTING_DIRECTORY.",
        },
      ],
    });
    // The input is checked against the declaration's values; the cast only satisfies the construct's literal type.
    return { identityManagementType: identityManagementType.stringValue as "CONNECT_MANAGED", directoryId: directoryId.stringValue };
  }

  /** key.alias, description, rotation and deletion window; the principals come from keyPrincipalInputs. */
  private keyInputs(namePrefix: string, account: AwsAccount): ConnectEncryptionProps["key"] {
    const alias = this.input("key_alias", {
      type: "string",
      description: `KMS alias of the key, with or without alias/ (added where missing), default alias/<name>; ${ALLOWED("key", "alias")}. The aliases derived from it (-alerts, and -dr in the replica module) must fit KMS's ${KMS_ALIAS_MAX} characters too.`,
      default: null,
      validation: [...OPTIONAL_FIELD("key_alias", "key", "alias"), ...DERIVED_ALIAS_VALIDATIONS],
    });
    const description = this.input("key_description", {
      type: "string",
      description: `Description of the KMS key; ${ALLOWED("key", "description")}. The cdktf declaration also refuses Terraform template sequences in it (there Terraform would evaluate them); here a value is never a template, so they are allowed.`,
      default: null,
      validation: OPTIONAL_FIELD("key_description", "key", "description"),
    });
    const rotation = this.input("key_rotation_period_in_days", {
      type: "number",
      description: "Days between automatic rotations of the key material (rotation is always on).",
      default: 365,
      validation: FIELD("key_rotation_period_in_days", "key", "rotationPeriodInDays"),
    });
    const deletion = this.input("key_deletion_window_in_days", {
      type: "number",
      description: "Waiting period between a deletion request and the key's deletion.",
      default: 30,
      validation: FIELD("key_deletion_window_in_days", "key", "deletionWindowInDays"),
    });
    return {
      // With or without alias/, as in the declaration; the default is alias/<name>.
      aliasName: `alias/${Fn.trimprefix(Fn.coalesce([alias.stringValue, namePrefix]), "alias/")}`,
      description: Fn.coalesce([
        description.stringValue,
        `Amazon Connect customer content (${namePrefix}): recordings, transcripts, attachments and streams`,
      ]),
      rotationPeriodInDays: rotation.numberValue,
      deletionWindowInDays: deletion.numberValue,
      ...this.keyPrincipalInputs(account),
    };
  }

  /** key.*Arns: who manages, uses, audits, consumes and deploys the key. */
  private keyPrincipalInputs(
    account: AwsAccount,
  ): Pick<ConnectEncryptionProps["key"], "administratorArns" | "userArns" | "auditorArns" | "consumerArns" | "deployerArns"> {
    const principals = (id: string, field: string, description: string): TerraformVariable =>
      this.input(id, { type: "list(string)", description, default: [], validation: FIELD(id, "key", field) });
    const administrators = principals(
      "key_administrators",
      "administratorArns",
      "IAM role/user ARNs that manage the key (policy, rotation, aliases, deletion) without using it for data.",
    );
    const users = principals("key_users", "userArns", "IAM role/user ARNs that encrypt and decrypt with the key directly.");
    const auditors = principals(
      "key_auditors",
      "auditorArns",
      "IAM role/user ARNs that may only decrypt, through S3 in this Region and account (reading un-redacted originals).",
    );
    const consumers = principals(
      "key_consumers",
      "consumerArns",
      "Downstream readers (Athena, QuickSight, Lambda): kms:Decrypt only through S3 in this Region and account.",
    );
    const deployers = principals(
      "key_deployers",
      "deployerArns",
      "IAM role/user ARNs that run Terraform (they create Connect's grants); empty = the role behind the caller's credentials (as leaving key.deployerArns out of the declaration).",
    );
    // No deployers given: the role behind the caller's credentials (its session's issuer), as the stacks do.
    const callerIsDeployer = Op.lt(Fn.lengthOf(deployers.listValue), 1) as IResolvable;
    const session = applyCondition(new DataAwsIamSessionContext(this, "deployer", { arn: account.callerArn }), callerIsDeployer);
    const deployerArns = new TerraformLocal(
      this,
      "deployer_arns",
      Fn.conditional(callerIsDeployer, [attributeOf(session, "issuer_arn", callerIsDeployer)], deployers.listValue),
    );
    this.keyAuditors = auditors;
    return {
      administratorArns: administrators.listValue,
      userArns: users.listValue,
      auditorArns: auditors.listValue,
      consumerArns: consumers.listValue,
      deployerArns: Token.asList(deployerArns.expression),
    };
  }

  /** bucket.name, access logs and event notifications; lifecycle and Object Lock come from their own groups. */
  private bucketInputs(
    namePrefix: string,
    account: AwsAccount,
  ): Pick<ConnectEncryptionProps, "bucketName" | "accessLogs" | "bucketControls"> {
    const bucketName = this.input("bucket_name", {
      type: "string",
      description: `Name of the recordings bucket (default: <name>-<account>-<region>); ${ALLOWED("bucket", "name")}.`,
      default: null,
      validation: OPTIONAL_FIELD("bucket_name", "bucket", "name"),
    });
    const accessLogs = this.input("access_logs_enabled", {
      type: "bool",
      description:
        "Server access logs of the recordings bucket, to a dedicated log bucket (SSE-S3, which log delivery requires; otherwise hardened the same way).",
      default: true,
    });
    const bucketEvents = this.input("bucket_eventbridge_notifications", {
      type: "bool",
      description:
        "Send the recordings bucket's object events to Amazon EventBridge. S3 keeps one notification configuration per bucket: set false only when something else manages this bucket's notifications.",
      default: true,
    });
    return {
      bucketName: Fn.coalesce([bucketName.stringValue, `${namePrefix}-${account.accountId}-${account.region}`]),
      accessLogs: { enabled: isTrue(accessLogs) },
      bucketControls: {
        eventBridgeNotifications: isTrue(bucketEvents),
        objectLock: this.objectLockInput(),
        lifecycle: this.lifecycleInputs(),
      },
    };
  }

  /** bucket.lifecycle: the retention window of the recordings. */
  private lifecycleInputs(): LifecycleSettings {
    const transitionDays = this.input("transition_to_glacier_ir_after_days", {
      type: "number",
      description: "Recordings move to S3 Glacier Instant Retrieval after this many days (null: never).",
      default: null,
      validation: OPTIONAL_FIELD("transition_to_glacier_ir_after_days", "bucket", "lifecycle", "transitionToGlacierIrAfterDays"),
    });
    const expireDays = this.input("expire_after_days", {
      type: "number",
      description: "Recordings expire after this many days, the retention window (e.g. 2557 for seven years; null: never).",
      default: null,
      validation: [
        ...OPTIONAL_FIELD("expire_after_days", "bucket", "lifecycle", "expireAfterDays"),
        {
          condition:
            "${var.expire_after_days == null || var.transition_to_glacier_ir_after_days == null || try(var.expire_after_days >= var.transition_to_glacier_ir_after_days + 90, true)}",
          errorMessage:
            "expire_after_days: ${coalesce(var.expire_after_days, -1)} is less than 90 days after transition_to_glacier_ir_after_days (the minimum GLACIER_IR bills).",
        },
      ],
    });
    const noncurrentDays = this.input("noncurrent_version_expiration_days", {
      type: "number",
      description: "Superseded versions are deleted this many days after they stop being current (null: kept).",
      default: null,
      validation: OPTIONAL_FIELD("noncurrent_version_expiration_days", "bucket", "lifecycle", "noncurrentVersionExpirationDays"),
    });
    const abortDays = this.input("abort_incomplete_multipart_upload_days", {
      type: "number",
      description: "Incomplete multipart uploads are aborted after this many days.",
      default: 7,
      validation: FIELD("abort_incomplete_multipart_upload_days", "bucket", "lifecycle", "abortIncompleteMultipartUploadDays"),
    });
    return {
      transitionToGlacierIrAfterDays: transitionDays.numberValue,
      expireAfterDays: expireDays.numberValue,
      noncurrentVersionExpirationDays: noncurrentDays.numberValue,
      abortIncompleteMultipartUploadDays: abortDays.numberValue,
      prefixRules: [],
    };
  }

  /** bucket.objectLock: WORM on the recordings bucket, as one object input (null: none). */
  private objectLockInput(): NonNullable<NonNullable<ConnectEncryptionProps["bucketControls"]>["objectLock"]> {
    const objectLock = this.input("object_lock", {
      type: "object({ mode = string, days = optional(number), years = optional(number), locked_types = optional(list(string)) })",
      description:
        'Object Lock (WORM) on the recordings bucket: mode COMPLIANCE or GOVERNANCE, a default retention in days or years, and locked_types, the storage types written to the locked bucket (Connect recommends ["CALL_RECORDINGS"]; the others go to a bucket without Object Lock under the same key; required when other types than CALL_RECORDINGS and ATTACHMENTS are stored). null: none. Only at creation: adding it later replaces the bucket, which prevent_destroy refuses.',
      default: null,
      validation: [
        ...(["mode", "days", "years"] as const).flatMap((attribute) =>
          validationsOf(
            {
              label: `object_lock.${attribute}`,
              expression: `var.object_lock.${attribute}`,
              optional: attribute !== "mode",
              nullParents: ["var.object_lock"],
            },
            schemaField("bucket", "objectLock", attribute),
          ),
        ),
        ...LOCKED_TYPES_VALIDATIONS,
        {
          condition: "${var.object_lock == null ? true : (var.object_lock.days == null) != (var.object_lock.years == null)}",
          errorMessage:
            "object_lock: ${jsonencode(var.object_lock)} is not allowed; set exactly one of days or years for the default retention.",
        },
        {
          condition:
            "${var.object_lock == null || var.expire_after_days == null || try(var.expire_after_days >= coalesce(var.object_lock.days, var.object_lock.years * 365), true)}",
          errorMessage:
            "expire_after_days: ${coalesce(var.expire_after_days, -1)} comes before the Object Lock retention ends; locked versions cannot expire earlier.",
        },
      ],
    });
    // try(): the attributes of a null object_lock read as null where the construct leaves them unused.
    return {
      mode: Token.asString(ref("try(var.object_lock.mode, null)")) as "COMPLIANCE",
      days: Token.asNumber(ref("try(var.object_lock.days, null)")),
      years: Token.asNumber(ref("try(var.object_lock.years, null)")),
      enabled: Op.neq(objectLock.value, Token.nullValue()) as IResolvable,
      // Unset locked_types locks what the declaration locks by default (the validation above asks for the list where it matters).
      isLocked: (type) => ref(`try(contains(var.object_lock.locked_types, ${JSON.stringify(type)}), ${LOCKED_BY_DEFAULT.includes(type)})`),
    };
  }

  /** storage.<S3 type>: which S3-backed types are associated, each under its prefix (the declaration's default when unset). */
  private s3StorageInputs(): ConnectEncryptionProps["s3Storage"] {
    const defaultS3 = Object.fromEntries(S3_STORAGE_TYPES.filter((t) => S3_STORAGE_TYPE_INFO[t].enabledByDefault).map((t) => [t, {}]));
    const s3Storage = this.input("s3_storage", {
      type: "map(object({ prefix = optional(string) }))",
      description: `S3-backed storage types to associate, each with an optional bucket prefix. Types: ${S3_STORAGE_TYPES.join(", ")}.`,
      default: defaultS3,
      nullable: false,
      validation: [
        {
          condition: `\${alltrue([for type in keys(var.s3_storage) : contains(${JSON.stringify(S3_STORAGE_TYPES)}, type)])}`,
          errorMessage: `s3_storage: \${jsonencode(keys(var.s3_storage))} names an unknown storage type; allowed: ${S3_STORAGE_TYPES.join(", ")}.`,
        },
        ...fieldRules(schemaField("storage", "CALL_RECORDINGS", "prefix")).checks.map((check) => ({
          condition: `\${alltrue([for type, config in var.s3_storage : config.prefix == null ? true : ${check.test("config.prefix")}])}`,
          errorMessage: `s3_storage: \${jsonencode({ for type, config in var.s3_storage : type => config.prefix if config.prefix == null ? false : !(${check.test("config.prefix")}) })} ${check.refusal}; allowed: ${allowedText(schemaField("storage", "CALL_RECORDINGS", "prefix"))}.`,
        })),
        {
          condition: `\${alltrue([for type, config in var.s3_storage : config.prefix == null ? true : !startswith("\${config.prefix}/", "${CONTACT_LENS_PREFIX}")])}`,
          errorMessage: `s3_storage: a prefix is not allowed; Contact Lens writes its output under ${CONTACT_LENS_PREFIX}; choose another prefix.`,
        },
      ],
    });
    const defaultPrefixes = new TerraformLocal(
      this,
      "default_s3_prefixes",
      Object.fromEntries(S3_STORAGE_TYPES.map((t) => [t, S3_STORAGE_TYPE_INFO[t].defaultPrefix])),
    );
    const prefixes = new TerraformLocal(
      this,
      "s3_prefixes",
      `\${{ for type, config in var.s3_storage : type => coalesce(config.prefix, local.${defaultPrefixes.friendlyUniqueId}[type]) }}`,
    );
    // Every type is declared, each existing only when s3_storage names it, so that adding one changes no address.
    return S3_STORAGE_TYPES.map((type) => ({
      type,
      prefix: Fn.lookup(prefixes.expression, type, "unused"),
      enabled: Fn.contains(Fn.keys(s3Storage.value), type) as unknown as IResolvable,
    }));
  }

  /**
   * storage.<streaming type> and streams.*: contact trace records to Firehose
   * or a data stream, agent events and real-time segments to data streams,
   * live media to Kinesis Video Streams; each entry exists only when enabled.
   */
  private streamInputs(namePrefix: string): Pick<ConnectEncryptionProps, "streaming" | "streamConsumerArns"> {
    const ctrDestination = this.input("contact_trace_records_destination", {
      type: "string",
      description: "Where contact trace records go: firehose (Direct PUT into the bucket), kinesis (a data stream) or none.",
      default: "firehose",
      validation: [ONE_OF("contact_trace_records_destination", ["firehose", "kinesis", "none"])],
    });
    const agentEvents = this.flag("agent_events_enabled", "Agent events to a Kinesis data stream under the key.");
    const voiceSegments = this.flag(
      "realtime_voice_segments_enabled",
      "Contact Lens real-time voice segments to a Kinesis data stream under the key.",
    );
    const chatSegments = this.flag(
      "realtime_chat_segments_enabled",
      "Contact Lens real-time chat segments to a Kinesis data stream under the key.",
    );
    const mediaStreams = this.flag("media_streams_enabled", "Live media to Kinesis Video Streams that Connect creates under the key.");
    const dataStreams = this.dataStreamInputs();
    return {
      streaming: [
        this.firehoseInputs(Op.eq(ctrDestination.stringValue, "firehose") as IResolvable),
        dataStreams.entry("CONTACT_TRACE_RECORDS", Op.eq(ctrDestination.stringValue, "kinesis") as IResolvable),
        dataStreams.entry("AGENT_EVENTS", isTrue(agentEvents)),
        dataStreams.entry("REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS", isTrue(voiceSegments)),
        dataStreams.entry("REAL_TIME_CONTACT_ANALYSIS_CHAT_SEGMENTS", isTrue(chatSegments)),
        this.mediaStreamInputs(namePrefix, isTrue(mediaStreams)),
      ],
      streamConsumerArns: dataStreams.consumerArns,
    };
  }

  /** streams.*: the settings every Kinesis data stream shares, and the roles that read them. */
  private dataStreamInputs(): {
    entry: (type: StreamingStorageType, enabled: IResolvable) => StreamingEntry;
    consumerArns: string[];
  } {
    const capacityMode = this.input("stream_capacity_mode", {
      type: "string",
      description: "Capacity mode of the Kinesis data streams: ON_DEMAND or PROVISIONED (then stream_shard_count).",
      default: "ON_DEMAND",
      validation: FIELD("stream_capacity_mode", "streams", "capacityMode"),
    });
    const shardCount = this.input("stream_shard_count", {
      type: "number",
      description: "Shards per data stream; required with PROVISIONED, refused with ON_DEMAND.",
      default: null,
      validation: [
        ...OPTIONAL_FIELD("stream_shard_count", "streams", "shardCount"),
        {
          condition: '${(var.stream_capacity_mode == "PROVISIONED") == (var.stream_shard_count != null)}',
          errorMessage:
            "stream_shard_count: ${jsonencode(var.stream_shard_count)} is not allowed; set it exactly when stream_capacity_mode is PROVISIONED.",
        },
      ],
    });
    const retention = this.input("stream_retention_hours", {
      type: "number",
      description: "How long the data streams keep records.",
      default: 24,
      validation: FIELD("stream_retention_hours", "streams", "retentionHours"),
    });
    const consumers = this.input("stream_consumer_role_arns", {
      type: "list(string)",
      description: "IAM roles that read the data streams: kms:Decrypt only through Kinesis, for this module's streams.",
      default: [],
      validation: FIELD("stream_consumer_role_arns", "streams", "consumerRoleArns"),
    });
    return {
      entry: (type, enabled) => ({
        type,
        destination: "kinesis",
        capacityMode: capacityMode.stringValue,
        shardCount: shardCount.numberValue,
        retentionHours: retention.numberValue,
        enabled,
      }),
      consumerArns: consumers.listValue,
    };
  }

  /** storage.CONTACT_TRACE_RECORDS with Firehose: Direct PUT into the bucket under a prefix, buffered. */
  private firehoseInputs(enabled: IResolvable): StreamingEntry {
    const ctrPrefix = this.input("ctr_prefix", {
      type: "string",
      description: "Bucket prefix of contact trace records delivered by Firehose.",
      default: "connect/ContactTraceRecords",
    });
    const ctrErrorPrefix = this.input("ctr_error_prefix", {
      type: "string",
      description: "Bucket prefix of records Firehose failed to deliver.",
      default: "connect/ContactTraceRecordsErrors",
    });
    for (const [variable, label, field] of [
      [ctrPrefix, "ctr_prefix", "prefix"],
      [ctrErrorPrefix, "ctr_error_prefix", "errorPrefix"],
    ] as const) {
      for (const validation of FIELD(label, "storage", "CONTACT_TRACE_RECORDS", field)) variable.addValidation(validation);
      variable.addValidation({
        condition: `\${!startswith("\${var.${label}}/", "${CONTACT_LENS_PREFIX}")}`,
        errorMessage: `${label}: \${jsonencode(var.${label})} is reserved: Contact Lens writes its output under ${CONTACT_LENS_PREFIX}; choose another prefix.`,
      });
    }
    const bufferSize = this.input("ctr_buffering_size_mib", {
      type: "number",
      description: "Firehose buffer size before a delivery.",
      default: 5,
      validation: FIELD("ctr_buffering_size_mib", "storage", "CONTACT_TRACE_RECORDS", "bufferingSizeMib"),
    });
    const bufferInterval = this.input("ctr_buffering_interval_seconds", {
      type: "number",
      description: "Firehose buffer time before a delivery.",
      default: 300,
      validation: FIELD("ctr_buffering_interval_seconds", "storage", "CONTACT_TRACE_RECORDS", "bufferingIntervalSeconds"),
    });
    const ctrLogging = this.flag("ctr_error_logging", "Firehose delivery errors to a CloudWatch log group encrypted with the key.");
    return {
      type: "CONTACT_TRACE_RECORDS",
      destination: "firehose",
      prefix: ctrPrefix.stringValue,
      errorPrefix: ctrErrorPrefix.stringValue,
      bufferingSizeMib: bufferSize.numberValue,
      bufferingIntervalSeconds: bufferInterval.numberValue,
      errorLogging: isTrue(ctrLogging),
      enabled,
    };
  }

  /** storage.MEDIA_STREAMS: the prefix and retention of the video streams Connect creates under the key. */
  private mediaStreamInputs(namePrefix: string, enabled: IResolvable): StreamingEntry {
    const mediaPrefix = this.input("media_streams_prefix", {
      type: "string",
      description: "Prefix of the video streams Connect creates (default: <name>).",
      default: null,
      validation: OPTIONAL_FIELD("media_streams_prefix", "storage", "MEDIA_STREAMS", "prefix"),
    });
    const mediaRetention = this.input("media_streams_retention_hours", {
      type: "number",
      description: "How long Kinesis Video Streams keep live media (0 keeps none).",
      default: 24,
      validation: FIELD("media_streams_retention_hours", "storage", "MEDIA_STREAMS", "retentionHours"),
    });
    return {
      type: "MEDIA_STREAMS",
      destination: "kinesis-video",
      prefix: Fn.coalesce([mediaPrefix.stringValue, namePrefix]),
      retentionHours: mediaRetention.numberValue,
      enabled,
    };
  }

  /** alerts, customerProfiles and the attachments' CORS origins: the production controls beside the bucket's. */
  private controlInputs(): Pick<ConnectEncryptionProps, "alerts" | "attachmentOrigins" | "customerProfiles"> {
    const attachmentOrigins = this.input("attachments_cors_allowed_origins", {
      type: "list(string)",
      description:
        "Web origins (besides the instance's https://<alias>.my.connect.aws) whose chat widgets upload attachments from the browser: the CORS rule of the bucket that holds attachments. A port is 1-65535. Not checked here: that a wildcard (*.) stands below a registrable domain, not a public suffix such as *.co.uk (Terraform cannot read the Public Suffix List; the cdktf declaration checks it).",
      default: [],
      nullable: false,
      validation: [
        ...FIELD("attachments_cors_allowed_origins", "storage", "ATTACHMENTS", "corsAllowedOrigins"),
        {
          condition:
            '${alltrue([for origin in var.attachments_cors_allowed_origins : try(tonumber(regex(":([0-9]+)$", origin)[0]) >= 1 && tonumber(regex(":([0-9]+)$", origin)[0]) <= 65535, true)])}',
          errorMessage: "attachments_cors_allowed_origins: ${jsonencode(var.attachments_cors_allowed_origins)} has a port outside 1-65535.",
        },
      ],
    });
    const profilesDomain = this.input("customer_profiles_domain_name", {
      type: "string",
      description: "A Customer Profiles domain whose default encryption key is the key (null: none).",
      default: null,
      validation: OPTIONAL_FIELD("customer_profiles_domain_name", "customerProfiles", "domainName"),
    });
    const profilesExpiration = this.input("customer_profiles_expiration_days", {
      type: "number",
      description: "Days a profile is kept when nothing sets another expiry.",
      default: 366,
      validation: FIELD("customer_profiles_expiration_days", "customerProfiles", "defaultExpirationDays"),
    });
    return {
      alerts: this.alertInputs(),
      attachmentOrigins: attachmentOrigins.listValue,
      customerProfiles: {
        domainName: profilesDomain.stringValue,
        defaultExpirationDays: profilesExpiration.numberValue,
        enabled: Op.neq(profilesDomain.stringValue, Token.nullValue()) as IResolvable,
      },
    };
  }

  /** alerts.*: the key-misuse alerts, who receives them, and the trail that feeds them. */
  private alertInputs(): ConnectEncryptionProps["alerts"] {
    const alerts = this.input("key_misuse_alerts_enabled", {
      type: "bool",
      description:
        "An EventBridge rule on this key's DisableKey, ScheduleKeyDeletion, PutKeyPolicy, RevokeGrant and RetireGrant calls (needs a CloudTrail trail: see alerts_create_trail), to an SNS topic with a dead-letter queue, both encrypted with a separate alerts key.",
      default: true,
    });
    const alertEmails = this.input("alert_emails", {
      type: "list(string)",
      description: "E-mail addresses subscribed to the key-misuse alerts (each must confirm).",
      default: [],
      validation: [
        ...FIELD("alert_emails", "alerts", "emails"),
        {
          condition: "${var.key_misuse_alerts_enabled || length(var.alert_emails) == 0}",
          errorMessage:
            "alert_emails: ${jsonencode(var.alert_emails)} is not allowed with key_misuse_alerts_enabled = false; the subscriptions need the alerts.",
        },
      ],
    });
    const alertsTrail = this.input("alerts_create_trail", {
      type: "bool",
      description:
        "Create a multi-Region CloudTrail trail (management events, validated log files, encrypted with the alerts key) for accounts that have none: the alerts only see calls a trail records.",
      default: false,
      nullable: false,
      validation: [
        {
          condition: "${var.key_misuse_alerts_enabled || !var.alerts_create_trail}",
          errorMessage: "alerts_create_trail: true is not allowed with key_misuse_alerts_enabled = false; the trail feeds the alerts.",
        },
      ],
    });
    const alertReaders = this.input("alert_reader_arns", {
      type: "list(string)",
      description:
        "IAM role/user ARNs that read the alerts' dead-letter queue and the trail's log and digest files (kms:Decrypt with the alerts key, through SQS and S3 only); empty = key_auditors.",
      default: [],
      nullable: false,
      validation: FIELD("alert_reader_arns", "alerts", "readerArns"),
    });
    // As in the declaration: the key's auditors unless others are named.
    const readerArns = Token.asList(
      Fn.conditional(Op.gte(Fn.lengthOf(alertReaders.listValue), 1), alertReaders.listValue, this.keyAuditors!.listValue),
    );
    return { emails: alertEmails.listValue, enabled: isTrue(alerts), createTrail: isTrue(alertsTrail), readerArns };
  }
}

/**
 * cdktf warns about `${...}` inside built-in function arguments whenever a
 * conditional holds a string with a reference in it (here: policy statements
 * that exist only for some inputs). Those strings render correctly, as the
 * Terraform tests of the module prove, so that one warning is dropped.
 */
function withoutEscapeWarnings<T>(render: () => T): T {
  const warn = console.warn;
  let dropNext = false; // cdktf follows the warning with the string it warned about
  console.warn = (...args: unknown[]): void => {
    if (String(args[0]).startsWith("You're using escape sequences")) dropNext = true;
    else if (dropNext) dropNext = false;
    else warn(...args);
  };
  try {
    return render();
  } finally {
    console.warn = warn;
  }
}

function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== "//")
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, item]) => [key, withoutMetadata(item)]),
  );
}

/** The folders rendered from constructs: the main module and its disaster-recovery submodule. */
export type ModuleName = "main" | "replica";

/** A module as Terraform JSON, and which of its keys are nested blocks (for the HCL rendering). */
export function synthesizeModule(which: ModuleName = "main"): { json: Record<string, any>; blockPaths: BlockPaths } {
  const app = new App({ outdir: join(tmpdir(), "connect-kms-encryption-module"), skipValidation: true });
  const module = which === "main" ? new ConnectEncryptionModule(app) : new ReplicaModule(app);
  const json = withoutEscapeWarnings(() => withoutMetadata(module.toTerraform())) as Record<string, any>;
  // The caller configures every provider.
  delete json.provider;
  json.terraform = {
    required_version: TERRAFORM_VERSION_CONSTRAINT,
    required_providers: { aws: { source: "hashicorp/aws", version: AWS_PROVIDER_CONSTRAINT } },
  };
  return { json, blockPaths: withoutEscapeWarnings(() => blockPathsOf(module)) };
}

/** A module as Terraform JSON: resources, data, locals, variables and outputs; version requirements; no provider or backend. */
export function renderModule(which: ModuleName = "main"): string {
  return `${JSON.stringify(synthesizeModule(which).json, null, 2)}\n`;
}

export const MODULE_USAGE = `
module "connect_encryption" {
  source = "git::https://github.com/<org>/connect-kms-encryption.git//module?ref=v<version>"

  name           = "acme-connect-prod"
  instance_alias = "acme-connect-prod"           # or: create_instance = false, instance_id = "<ID or ARN>"
  key_deployers  = ["arn:aws:iam::111122223333:role/ConnectTerraform"]

  s3_storage = {
    CALL_RECORDINGS  = {}
    CHAT_TRANSCRIPTS = {}
    EMAIL_MESSAGES   = { prefix = "connect/Email" }
  }
  contact_trace_records_destination = "firehose"

  # A disaster-recovery copy: the block below, and this line.
  # replication = module.connect_encryption_dr.replication
}
`;

export const REPLICA_MODULE_USAGE = `
provider "aws" {
  alias  = "dr"
  region = "eu-west-1" # the disaster-recovery Region
}

module "connect_encryption" {
  source = "git::https://github.com/<org>/connect-kms-encryption.git//module?ref=v<version>"

  name        = "acme-connect-prod"
  replication = module.connect_encryption_dr.replication
}

module "connect_encryption_dr" {
  source    = "git::https://github.com/<org>/connect-kms-encryption.git//module/modules/replica?ref=v<version>"
  providers = { aws = aws.dr }

  primary = module.connect_encryption.replica_settings
}
`;

const generatedHeader = (source: string): string[] => [
  `Generated by \`npm run render\` from ${source}`,
  "(the constructs of the cdktf stacks); do not edit. A test fails when this file is stale.",
];

const MODULE_SOURCES: Record<ModuleName, { directory: string; usage: string; intro: ModuleIntro }> = {
  main: { directory: MODULE_DIRECTORY, usage: MODULE_USAGE, intro: MAIN_MODULE_INTRO },
  replica: {
    directory: REPLICA_MODULE_DIRECTORY,
    usage: REPLICA_MODULE_USAGE,
    intro: {
      title: "connect-kms-encryption disaster-recovery copy (module/modules/replica)",
      summary:
        "The disaster-recovery side of the main module's replication, in the Region of the provider you pass: a key of its own (rotating, with the main key's administrators and readers), a copy of the recordings bucket hardened the same way, a log bucket beside it, the copy of the bucket without Object Lock when the main module has one, and the role S3 assumes to copy (its permissions are the main module's, beside the buckets they read). Give it the main module's `replica_settings` as `primary`, and hand its `replication` output to the main module's `replication` input.",
      source: "modules/terraform-module/replica-module.ts",
    },
  },
};

/** A module's files (main.tf, variables.tf, outputs.tf, versions.tf, README.md), keyed by file name. */
export function renderModuleFiles(which: ModuleName = "main"): Record<string, string> {
  const { json, blockPaths } = synthesizeModule(which);
  const { usage, intro } = MODULE_SOURCES[which];
  return {
    ...renderHclModule(json, blockPaths, generatedHeader(intro.source), checkovSkipComments),
    "README.md": moduleDocs(json, usage, intro),
  };
}

/** Where module/replicated was until 0.2.0: composed since from module/ and module/modules/replica. */
export const REMOVED_REPLICATED_DIRECTORY = join(MODULE_DIRECTORY, "replicated");

/** Every generated file of both modules, the removed folder's stub and the migration's moved blocks, by path relative to the repository root. */
export function renderAllModuleFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const which of ["main", "replica"] as const) {
    for (const [file, text] of Object.entries(renderModuleFiles(which))) files[join(MODULE_SOURCES[which].directory, file)] = text;
  }
  files[join(REMOVED_REPLICATED_DIRECTORY, "versions.tf")] = REPLICATED_STUB;
  files[join(REMOVED_REPLICATED_DIRECTORY, "README.md")] = REPLICATED_STUB_README;
  files[MIGRATION_EXAMPLE_MOVED_FILE] = replicatedMovedBlocks(synthesizeModule("replica").json);
  return files;
}

/** Writes both modules into `<root>/module/` and `<root>/module/modules/replica/`, and the tables into `<root>/docs/terraform-module.md` (MODULE_DOCS_FILE) between the docs markers. */
export function writeModule(root: string): void {
  const files = renderAllModuleFiles();
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  // The module used to be Terraform JSON; an old copy beside the HCL would declare everything twice.
  rmSync(join(root, MODULE_DIRECTORY, "main.tf.json"), { force: true });
  // module/replicated is only its stub now.
  for (const file of ["main.tf", "variables.tf", "outputs.tf"]) rmSync(join(root, REMOVED_REPLICATED_DIRECTORY, file), { force: true });
  const readme = join(root, MODULE_DOCS_FILE);
  if (existsSync(readme)) {
    const text = readFileSync(readme, "utf8");
    const updated = withModuleTables(text, moduleTables(synthesizeModule().json));
    if (updated !== text) writeFileSync(readme, updated);
  }
}

/** An IAM role ARN, for the replication input's role (the replica module's output). */
const ROLE_ARN = "^arn:[a-z-]+:iam::[0-9]{12}:role/";

/**
 * The disaster-recovery copy: the replica side is the caller's
 * module/modules/replica (through the provider of the replica Region), handed
 * in as `replication`; the source side (the replication role's policy, the
 * replication configurations and the source key's statement) is here.
 */
function replicationInputs(stack: ConnectEncryptionModule): NonNullable<ConnectEncryptionProps["replication"]> {
  const replication = new TerraformVariable(stack, "replication", {
    type: REPLICATION_DESTINATION_TYPE,
    description:
      "A disaster-recovery copy of the recordings bucket (and its access logs, and the bucket without Object Lock) in another Region: the replication output of module/modules/replica, called with this module's replica_settings and a provider for that Region. null: no copy.",
    default: Token.nullValue(),
  });
  replication.addValidation({
    condition: `\${var.replication == null ? true : can(regex("${ROLE_ARN}", var.replication.role_arn))}`,
    errorMessage:
      "replication: ${jsonencode(try(var.replication.role_arn, null))} is not an IAM role ARN; pass module.<replica>.replication, the output of module/modules/replica.",
  });
  const deleteMarkers = new TerraformVariable(stack, "replication_delete_markers", {
    type: "bool",
    description: "Replicate delete markers: a deletion in the source then hides the copy too (default: the copy survives deletions).",
    default: false,
    nullable: false,
  });
  const storageClasses = ["STANDARD", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"];
  const storageClass = new TerraformVariable(stack, "replication_storage_class", {
    type: "string",
    description: `Storage class of the copies: ${storageClasses.join(", ")}.`,
    default: "STANDARD",
    nullable: false,
  });
  for (const validation of variableValidations("replication_storage_class", schemaField("bucket", "replication", "storageClass")))
    storageClass.addValidation(validation);
  // try(): read only where replication is set (every part that reads it exists only then).
  const given = (attribute: string): string => Token.asString(ref(`try(var.replication.${attribute}, null)`));
  return {
    site: {
      keyArn: given("key_arn"),
      bucketArn: given("bucket_arn"),
      bucketName: given("bucket_id"),
      logBucketArn: given("log_bucket_arn"),
      unlockedBucket: { arn: given("unlocked_bucket_arn"), name: given("unlocked_bucket_id") },
      roleArn: given("role_arn"),
      roleName: given("role_name"),
      s3ViaService: `s3.${given("region")}.amazonaws.com`,
      readiness: [],
    },
    deleteMarkerReplication: deleteMarkers.booleanValue as unknown as IResolvable,
    storageClass: storageClass.stringValue,
    enabled: Op.neq(replication.value, Token.nullValue()) as IResolvable,
  };
}
