/**
 * The Terraform module for Terraform-first teams: the same ConnectEncryption
 * construct as the environment stacks, driven by `variable` inputs instead of
 * cdktf.json, with no provider, backend or cloud block, so that callers can
 * use `for_each`, `count`, `depends_on` and `providers = { aws = aws.x }`.
 */
import { App, Fn, IResolvable, Op, TerraformLocal, TerraformOutput, TerraformVariable, Token, ref } from "cdktf";
import { DataAwsIamSessionContext } from "@cdktf/provider-aws/lib/data-aws-iam-session-context";
import { BaseStack } from "../stacks/base-stack";
import { AwsAccount } from "../constructs/aws-account";
import { ConnectEncryption, ConnectEncryptionProps, replicaKeyRoles } from "../constructs/connect-encryption";
import { applyCondition, attributeOf } from "../constructs/condition";
import { POLICY_DOCUMENTS_CONTEXT } from "../constructs/policy-document";
import { LifecycleSettings } from "../config/controls-settings";
import { KMS_ALIAS_MAX } from "../config/name-checks";
import { CONTACT_LENS_PREFIX, LOCKABLE_TYPES, LOCKED_BY_DEFAULT, S3_STORAGE_TYPES, S3_STORAGE_TYPE_INFO } from "../config/storage-types";
import {
  MODULE_NAME,
  MODULE_NAME_WITH_DEFAULT_BUCKET,
  Validation,
  allowedText,
  fieldRules,
  moduleNameValidations,
  schemaField,
  validationsOf,
} from "./module-variables";
import { ALLOWED, FIELD, ModuleInputs, OPTIONAL_FIELD, isTrue } from "./module-inputs";
import { streamInputs } from "./stream-inputs";
import { replicationInputs } from "./replication-inputs";

/** Where the module is committed, relative to the repository root; a git `source` points here. */
export const MODULE_DIRECTORY = "module";
/** The file that declares the module's resources (HCL since the module is rendered as HCL). */
export const MODULE_FILE = "main.tf";

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
  private readonly inputs = new ModuleInputs(this);

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
      ...streamInputs(this.inputs, naming.namePrefix),
      ...this.controlInputs(),
      replication: replicationInputs(this.inputs),
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

  /** namePrefix and tags: what every resource is named and tagged with. */
  private namingInputs(): Pick<ConnectEncryptionProps, "namePrefix" | "tags"> {
    const name = this.inputs.input("name", {
      type: "string",
      description: `Leading part of every name (key alias, bucket, streams, roles), e.g. acme-connect-prod: what the cdktf stacks build as <namePrefix>-<environment> (a declaration's is always a valid name here). Allowed: ${MODULE_NAME.min}-${MODULE_NAME.max} lowercase letters, digits or hyphens, starting and ending with a letter or digit, not starting with a prefix S3 reserves for bucket names (xn--, sthree-, amzn-s3-demo-). Not checked here: with a name longer than ${MODULE_NAME_WITH_DEFAULT_BUCKET}, set bucket_name, since the default bucket name <name>-<account>-<region> must fit S3's 63 characters (the cdktf declaration checks this against the environment's Region; validation here cannot read the provider's Region, and a rule reading bucket_name would hide this input's other refusals).`,
      validation: moduleNameValidations(),
    });
    const tags = this.inputs.input("tags", {
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
    const createInstance = this.inputs.input("create_instance", {
      type: "bool",
      description: "Create a new Amazon Connect instance (true) or attach to the existing instance_id (false).",
      default: true,
    });
    const instanceAlias = this.inputs.input("instance_alias", {
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
    const inbound = this.inputs.flag("inbound_calls_enabled", "Inbound calls on a created instance.");
    const outbound = this.inputs.flag("outbound_calls_enabled", "Outbound calls on a created instance.");
    const flowLogs = this.inputs.flag("contact_flow_logs_enabled", "Flow logs (the audit trail of each contact) on a created instance.");
    const contactLens = this.inputs.flag(
      "contact_lens_enabled",
      "Contact Lens on a created instance; its output lands under Analysis/ in the bucket, under the key.",
    );
    this.inputs.input("instance_id", {
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
    const identityManagementType = this.inputs.input("identity_management_type", {
      type: "string",
      description: "How agents sign in to a created instance: CONNECT_MANAGED, SAML or EXISTING_DIRECTORY.",
      default: "CONNECT_MANAGED",
      validation: FIELD("identity_management_type", "instance", "create", "identityManagementType"),
    });
    const directoryId = this.inputs.input("directory_id", {
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
    const alias = this.inputs.input("key_alias", {
      type: "string",
      description: `KMS alias of the key, with or without alias/ (added where missing), default alias/<name>; ${ALLOWED("key", "alias")}. The aliases derived from it (-alerts, and -dr in the replica module) must fit KMS's ${KMS_ALIAS_MAX} characters too.`,
      default: null,
      validation: [...OPTIONAL_FIELD("key_alias", "key", "alias"), ...DERIVED_ALIAS_VALIDATIONS],
    });
    const description = this.inputs.input("key_description", {
      type: "string",
      description: `Description of the KMS key; ${ALLOWED("key", "description")}. The cdktf declaration also refuses Terraform template sequences in it (there Terraform would evaluate them); here a value is never a template, so they are allowed.`,
      default: null,
      validation: OPTIONAL_FIELD("key_description", "key", "description"),
    });
    const rotation = this.inputs.input("key_rotation_period_in_days", {
      type: "number",
      description: "Days between automatic rotations of the key material (rotation is always on).",
      default: 365,
      validation: FIELD("key_rotation_period_in_days", "key", "rotationPeriodInDays"),
    });
    const deletion = this.inputs.input("key_deletion_window_in_days", {
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
      this.inputs.input(id, { type: "list(string)", description, default: [], validation: FIELD(id, "key", field) });
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
    const bucketName = this.inputs.input("bucket_name", {
      type: "string",
      description: `Name of the recordings bucket (default: <name>-<account>-<region>); ${ALLOWED("bucket", "name")}.`,
      default: null,
      validation: OPTIONAL_FIELD("bucket_name", "bucket", "name"),
    });
    const accessLogs = this.inputs.input("access_logs_enabled", {
      type: "bool",
      description:
        "Server access logs of the recordings bucket, to a dedicated log bucket (SSE-S3, which log delivery requires; otherwise hardened the same way).",
      default: true,
    });
    const bucketEvents = this.inputs.input("bucket_eventbridge_notifications", {
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
    const transitionDays = this.inputs.input("transition_to_glacier_ir_after_days", {
      type: "number",
      description: "Recordings move to S3 Glacier Instant Retrieval after this many days (null: never).",
      default: null,
      validation: OPTIONAL_FIELD("transition_to_glacier_ir_after_days", "bucket", "lifecycle", "transitionToGlacierIrAfterDays"),
    });
    const expireDays = this.inputs.input("expire_after_days", {
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
    const noncurrentDays = this.inputs.input("noncurrent_version_expiration_days", {
      type: "number",
      description: "Superseded versions are deleted this many days after they stop being current (null: kept).",
      default: null,
      validation: OPTIONAL_FIELD("noncurrent_version_expiration_days", "bucket", "lifecycle", "noncurrentVersionExpirationDays"),
    });
    const abortDays = this.inputs.input("abort_incomplete_multipart_upload_days", {
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
    const objectLock = this.inputs.input("object_lock", {
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
    const s3Storage = this.inputs.input("s3_storage", {
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

  /** alerts, customerProfiles and the attachments' CORS origins: the production controls beside the bucket's. */
  private controlInputs(): Pick<ConnectEncryptionProps, "alerts" | "attachmentOrigins" | "customerProfiles"> {
    const attachmentOrigins = this.inputs.input("attachments_cors_allowed_origins", {
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
    const profilesDomain = this.inputs.input("customer_profiles_domain_name", {
      type: "string",
      description: "A Customer Profiles domain whose default encryption key is the key (null: none).",
      default: null,
      validation: OPTIONAL_FIELD("customer_profiles_domain_name", "customerProfiles", "domainName"),
    });
    const profilesExpiration = this.inputs.input("customer_profiles_expiration_days", {
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
    const alerts = this.inputs.input("key_misuse_alerts_enabled", {
      type: "bool",
      description:
        "An EventBridge rule on this key's DisableKey, ScheduleKeyDeletion, PutKeyPolicy, RevokeGrant and RetireGrant calls (needs a CloudTrail trail: see alerts_create_trail), to an SNS topic with a dead-letter queue, both encrypted with a separate alerts key.",
      default: true,
    });
    const alertEmails = this.inputs.input("alert_emails", {
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
    const alertsTrail = this.inputs.input("alerts_create_trail", {
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
    const alertReaders = this.inputs.input("alert_reader_arns", {
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
