/**
 * The Terraform module for Terraform-first teams: the same ConnectEncryption
 * construct as the environment stacks, driven by `variable` inputs instead of
 * cdktf.json, with no provider, backend or cloud block, so that callers can
 * use `for_each`, `count`, `depends_on` and `providers = { aws = aws.x }`.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { App, Fn, IResolvable, Op, TerraformLocal, TerraformVariable, Token, ref } from "cdktf";
import { DataAwsIamSessionContext } from "@cdktf/provider-aws/lib/data-aws-iam-session-context";
import { BaseStack, AWS_PROVIDER_CONSTRAINT, TERRAFORM_VERSION_CONSTRAINT } from "./base-stack";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { BlockPaths, blockPathsOf, renderHclModule } from "./terraform-module/hcl";
import { AwsAccount } from "./aws-account";
import { ConnectEncryption, ConnectEncryptionProps, StreamingEntry } from "./connect-encryption";
import { applyCondition, attributeOf } from "./condition";
import { moduleDocs, moduleTables, withModuleTables } from "./module-docs";
import { CONTACT_LENS_PREFIX, S3_STORAGE_TYPES, S3_STORAGE_TYPE_INFO, StreamingStorageType } from "./storage-types";

/** Where the module is committed, relative to the repository root; a git `source` points here. */
export const MODULE_DIRECTORY = "module";
/** The file that declares the module's resources (HCL since the module is rendered as HCL). */
export const MODULE_FILE = "main.tf";

interface Validation {
  readonly condition: string;
  readonly errorMessage: string;
}

const ARN_LIST = (name: string, kind = "role|user"): Validation => ({
  condition: `\${alltrue([for arn in var.${name} : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(${kind})/[A-Za-z0-9+=,.@_/-]+$", arn))])}`,
  errorMessage: `${name} must list IAM ${kind.replace("|", " or ")} ARNs such as arn:aws:iam::123456789012:role/Example; got \${jsonencode(var.${name})}.`,
});
const INTEGER_RANGE = (name: string, min: number, max: number, unit: string): Validation => ({
  condition: `\${var.${name} == floor(var.${name}) && var.${name} >= ${min} && var.${name} <= ${max}}`,
  errorMessage: `${name}: \${var.${name}} is out of range; allowed: an integer from ${min} to ${max} (${unit}).`,
});
const ONE_OF = (name: string, allowed: readonly string[]): Validation => ({
  condition: `\${contains(${JSON.stringify(allowed)}, var.${name})}`,
  errorMessage: `${name}: "\${var.${name}}" is not allowed; allowed: ${allowed.join(", ")}.`,
});
/** An optional input (null allowed) that is an integer from `min` to `max`. */
const OPTIONAL_INTEGER_RANGE = (name: string, min: number, max: number, unit: string): Validation => ({
  condition: `\${var.${name} == null || try(var.${name} >= ${min} && var.${name} <= ${max} && var.${name} == floor(var.${name}), false)}`,
  errorMessage: `${name}: \${coalesce(var.${name}, -1)} is out of range; allowed: null or an integer from ${min} to ${max} (${unit}).`,
});
/** An optional input (null allowed) that matches `pattern`. */
const OPTIONAL_PATTERN = (name: string, pattern: string, allowed: string): Validation => ({
  condition: `\${var.${name} == null || can(regex("${pattern}", var.${name}))}`,
  errorMessage: `${name}: "\${coalesce(var.${name}, "null")}" is not allowed; allowed: ${allowed}.`,
});
const S3_PREFIX_RULE = "^[A-Za-z0-9!_.*'()-][A-Za-z0-9!_.*'()/-]{0,126}[A-Za-z0-9!_.*'()-]$";

export interface ModuleOptions {
  /**
   * The module variant with a disaster-recovery copy in another Region,
   * through the provider the caller passes as `aws.dr` (configuration_aliases).
   * @default false: one provider, no copy
   */
  readonly replication?: boolean;
}

/** The module: its inputs, the values derived from them, and the ConnectEncryption construct they drive. */
export class ConnectEncryptionModule extends BaseStack {
  readonly encryption: ConnectEncryption;

  constructor(scope: App, name = "connect-kms-encryption", options: ModuleOptions = {}) {
    super(scope, name);
    const v = (
      id: string,
      config: { type: string; description: string; default?: unknown; nullable?: boolean; validation?: Validation[] },
    ): TerraformVariable => {
      const variable = new TerraformVariable(this, id, {
        type: config.type,
        description: config.description,
        // A null default makes the input optional; cdktf needs it as a token.
        default: config.default === null ? Token.nullValue() : typeof config.default === "object" ? undefined : config.default,
        nullable: config.nullable,
        validation: config.validation,
      });
      // cdktf would snake_case the keys of an object default (CALL_RECORDINGS -> call_recordings).
      if (config.default !== null && typeof config.default === "object") variable.addOverride("default", config.default);
      return variable;
    };

    const name_ = v("name", {
      type: "string",
      description:
        "Leading part of every name (key alias, bucket, streams, roles), e.g. acme-connect-prod: 2-32 lowercase letters, digits or hyphens.",
      validation: [
        {
          condition: '${can(regex("^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$", var.name))}',
          errorMessage:
            'name: "${var.name}" is not allowed; allowed: 2-32 lowercase letters, digits or hyphens, starting and ending with a letter or digit.',
        },
      ],
    });
    const tags = v("tags", {
      type: "map(string)",
      description: "Tags on every taggable resource (in addition to the provider's default tags).",
      default: {},
    });

    const createInstance = v("create_instance", {
      type: "bool",
      description: "Create a new Amazon Connect instance (true) or attach to the existing instance_id (false).",
      default: true,
    });
    const instanceAlias = v("instance_alias", {
      type: "string",
      description:
        "Alias of the instance to create (default: name; set it when name starts with d-): 2-64 letters, digits or hyphens, not starting with d-. Set either instance_alias (a new instance) or instance_id with create_instance = false (an existing one).",
      default: null,
      validation: [
        {
          condition:
            '${var.instance_alias == null || can(regex("^[0-9A-Za-z][0-9A-Za-z-]{1,63}$", coalesce(var.instance_alias, "-"))) && !startswith(coalesce(var.instance_alias, "-"), "d-")}',
          errorMessage:
            'instance_alias: "${coalesce(var.instance_alias, "null")}" is not allowed; allowed: 2-64 letters, digits or hyphens, starting with a letter or digit and not with d-.',
        },

        {
          condition: "${var.instance_alias == null || var.create_instance}",
          errorMessage:
            "instance_alias and instance_id: set instance_alias for a new instance, or instance_id with create_instance = false for an existing one, not both.",
        },
      ],
    });
    const identityManagementType = v("identity_management_type", {
      type: "string",
      description: "How agents sign in to a created instance: CONNECT_MANAGED, SAML or EXISTING_DIRECTORY.",
      default: "CONNECT_MANAGED",
      validation: [ONE_OF("identity_management_type", ["CONNECT_MANAGED", "SAML", "EXISTING_DIRECTORY"])],
    });
    const directoryId = v("directory_id", {
      type: "string",
      description: "AWS Directory Service directory of a created instance; required with EXISTING_DIRECTORY, refused otherwise.",
      default: null,
      validation: [
        {
          condition:
            '${(var.identity_management_type == "EXISTING_DIRECTORY") == (var.directory_id != null) && (var.directory_id == null || can(regex("^d-[0-9a-f]{10}$", var.directory_id)))}',
          errorMessage:
            'directory_id: "${coalesce(var.directory_id, "null")}" is not allowed; allowed: a directory ID such as d-1234567890, set exactly when identity_management_type is EXISTING_DIRECTORY.',
        },
      ],
    });
    const flag = (id: string, description: string): TerraformVariable => v(id, { type: "bool", description, default: true });
    const inbound = flag("inbound_calls_enabled", "Inbound calls on a created instance.");
    const outbound = flag("outbound_calls_enabled", "Outbound calls on a created instance.");
    const flowLogs = flag("contact_flow_logs_enabled", "Flow logs (the audit trail of each contact) on a created instance.");
    const contactLens = flag(
      "contact_lens_enabled",
      "Contact Lens on a created instance; its output lands under Analysis/ in the bucket, under the key.",
    );
    v("instance_id", {
      type: "string",
      description:
        "ID or ARN of the existing instance to attach to (required when create_instance is false). Nothing about the instance is changed.",
      default: null,
      validation: [
        {
          condition:
            '${var.instance_id == null ? true : can(regex("^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|arn:aws[a-z-]*:connect:[a-z0-9-]+:[0-9]{12}:instance/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$", var.instance_id))}',
          errorMessage:
            'instance_id: "${coalesce(var.instance_id, "null")}" is neither an instance ID nor an instance ARN; allowed: a UUID such as 11111111-2222-3333-4444-555555555555 or arn:aws:connect:<region>:<account>:instance/<UUID>.',
        },
        {
          condition: "${var.create_instance == (var.instance_id == null)}",
          errorMessage:
            "instance_alias and instance_id: with create_instance = false set instance_id (the existing instance); with create_instance = true (the default) leave instance_id unset and optionally set instance_alias (default: name).",
        },
      ],
    });

    const keyAlias = v("key_alias", {
      type: "string",
      description: "KMS alias, starting with alias/ (default: alias/<name>).",
      default: null,
      validation: [
        {
          condition:
            '${var.key_alias == null || can(regex("^alias/[A-Za-z0-9/_-]+$", var.key_alias)) && !startswith(coalesce(var.key_alias, "-"), "alias/aws/")}',
          errorMessage:
            'key_alias: "${coalesce(var.key_alias, "null")}" is not allowed; allowed: alias/ followed by letters, digits, /, _ or -, not under alias/aws/.',
        },
      ],
    });
    const keyDescription = v("key_description", { type: "string", description: "Description of the KMS key.", default: null });
    const rotation = v("key_rotation_period_in_days", {
      type: "number",
      description: "Days between automatic rotations of the key material (rotation is always on).",
      default: 365,
      validation: [INTEGER_RANGE("key_rotation_period_in_days", 90, 2560, "days")],
    });
    const deletion = v("key_deletion_window_in_days", {
      type: "number",
      description: "Waiting period between a deletion request and the key's deletion.",
      default: 30,
      validation: [INTEGER_RANGE("key_deletion_window_in_days", 7, 30, "days")],
    });
    const administrators = v("key_administrators", {
      type: "list(string)",
      description: "IAM role/user ARNs that manage the key (policy, rotation, aliases, deletion) without using it for data.",
      default: [],
      validation: [ARN_LIST("key_administrators")],
    });
    const users = v("key_users", {
      type: "list(string)",
      description: "IAM role/user ARNs that encrypt and decrypt with the key directly.",
      default: [],
      validation: [ARN_LIST("key_users")],
    });
    const auditors = v("key_auditors", {
      type: "list(string)",
      description: "IAM role ARNs that may only decrypt, through S3 in this Region and account (reading un-redacted originals).",
      default: [],
      validation: [ARN_LIST("key_auditors", "role")],
    });
    const consumers_ = v("key_consumers", {
      type: "list(string)",
      description: "Downstream readers (Athena, QuickSight, Lambda): kms:Decrypt only through S3 in this Region and account.",
      default: [],
      validation: [ARN_LIST("key_consumers", "role")],
    });
    const deployers = v("key_deployers", {
      type: "list(string)",
      description:
        "IAM role/user ARNs that run Terraform (they create Connect's grants); empty = the role behind the caller's credentials.",
      default: [],
      validation: [ARN_LIST("key_deployers")],
    });

    const bucketName = v("bucket_name", {
      type: "string",
      description: "Name of the recordings bucket (default: <name>-<account>-<region>).",
      default: null,
      validation: [
        OPTIONAL_PATTERN(
          "bucket_name",
          "^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$",
          "3-63 lowercase letters, digits or hyphens, starting and ending with a letter or digit",
        ),
      ],
    });
    const transitionDays = v("transition_to_glacier_ir_after_days", {
      type: "number",
      description: "Recordings move to S3 Glacier Instant Retrieval after this many days (null: never).",
      default: null,
      validation: [OPTIONAL_INTEGER_RANGE("transition_to_glacier_ir_after_days", 0, 36500, "days")],
    });
    const expireDays = v("expire_after_days", {
      type: "number",
      description: "Recordings expire after this many days, the retention window (e.g. 2557 for seven years; null: never).",
      default: null,
      validation: [
        OPTIONAL_INTEGER_RANGE("expire_after_days", 1, 36500, "days"),
        {
          condition:
            "${var.expire_after_days == null || var.transition_to_glacier_ir_after_days == null || try(var.expire_after_days >= var.transition_to_glacier_ir_after_days + 90, true)}",
          errorMessage:
            "expire_after_days: ${coalesce(var.expire_after_days, -1)} is less than 90 days after transition_to_glacier_ir_after_days (the minimum GLACIER_IR bills).",
        },
      ],
    });
    const noncurrentDays = v("noncurrent_version_expiration_days", {
      type: "number",
      description: "Superseded versions are deleted this many days after they stop being current (null: kept).",
      default: null,
      validation: [OPTIONAL_INTEGER_RANGE("noncurrent_version_expiration_days", 1, 36500, "days")],
    });
    const abortDays = v("abort_incomplete_multipart_upload_days", {
      type: "number",
      description: "Incomplete multipart uploads are aborted after this many days.",
      default: 7,
      validation: [INTEGER_RANGE("abort_incomplete_multipart_upload_days", 1, 365, "days")],
    });
    const accessLogs = v("access_logs_enabled", {
      type: "bool",
      description:
        "Server access logs of the recordings bucket, to a dedicated log bucket (SSE-S3, which log delivery requires; otherwise hardened the same way).",
      default: true,
    });
    const bucketEvents = v("bucket_eventbridge_notifications", {
      type: "bool",
      description:
        "Send the recordings bucket's object events to Amazon EventBridge. S3 keeps one notification configuration per bucket: set false only when something else manages this bucket's notifications.",
      default: true,
    });
    const alerts = v("key_misuse_alerts_enabled", {
      type: "bool",
      description:
        "An EventBridge rule on this key's DisableKey, ScheduleKeyDeletion, PutKeyPolicy, RevokeGrant and RetireGrant calls (needs a CloudTrail trail: see alerts_create_trail), to an SNS topic with a dead-letter queue, both encrypted with a separate alerts key.",
      default: true,
    });
    const alertEmails = v("alert_emails", {
      type: "list(string)",
      description: "E-mail addresses subscribed to the key-misuse alerts (each must confirm).",
      default: [],
      validation: [
        {
          condition:
            '${alltrue([for email in var.alert_emails : can(regex("^[^@ ]+@[^@ ]+[.][^@ ]+$", email))]) && (var.key_misuse_alerts_enabled || length(var.alert_emails) == 0)}',
          errorMessage:
            "alert_emails: ${jsonencode(var.alert_emails)} is not allowed; allowed: e-mail addresses, and only with key_misuse_alerts_enabled = true.",
        },
      ],
    });
    const alertsTrail = v("alerts_create_trail", {
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
    const attachmentOrigins = v("attachments_cors_allowed_origins", {
      type: "list(string)",
      description:
        "Web origins (besides the instance's https://<alias>.my.connect.aws) whose chat widgets upload attachments from the browser: the CORS rule of the bucket that holds attachments.",
      default: [],
      nullable: false,
      validation: [
        {
          condition:
            '${alltrue([for origin in var.attachments_cors_allowed_origins : can(regex("^https://([*][.])?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?([.][a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+(:[0-9]{1,5})?$", origin))])}',
          errorMessage:
            "attachments_cors_allowed_origins: ${jsonencode(var.attachments_cors_allowed_origins)} is not allowed; allowed: https origins such as https://www.example.com (a leading *. for subdomains), no path.",
        },
      ],
    });
    const objectLock = v("object_lock", {
      type: "object({ mode = string, days = optional(number), years = optional(number) })",
      description:
        "Object Lock (WORM) on the recordings bucket: mode COMPLIANCE or GOVERNANCE and a default retention in days or years (null: none). Only at creation: adding it later replaces the bucket, which prevent_destroy refuses.",
      default: null,
      validation: [
        {
          condition:
            '${var.object_lock == null || try(contains(["COMPLIANCE", "GOVERNANCE"], var.object_lock.mode) && ((var.object_lock.days == null) != (var.object_lock.years == null)) && coalesce(var.object_lock.days, var.object_lock.years) >= 1, false)}',
          errorMessage:
            "object_lock: ${jsonencode(var.object_lock)} is not allowed; allowed: null, or mode COMPLIANCE or GOVERNANCE with exactly one of days or years (at least 1).",
        },
        {
          condition:
            "${var.object_lock == null || var.expire_after_days == null || try(var.expire_after_days >= coalesce(var.object_lock.days, var.object_lock.years * 365), true)}",
          errorMessage:
            "expire_after_days: ${coalesce(var.expire_after_days, -1)} comes before the Object Lock retention ends; locked versions cannot expire earlier.",
        },
      ],
    });
    const profilesDomain = v("customer_profiles_domain_name", {
      type: "string",
      description: "A Customer Profiles domain whose default encryption key is the key (null: none).",
      default: null,
      validation: [OPTIONAL_PATTERN("customer_profiles_domain_name", "^[a-zA-Z0-9_-]{1,64}$", "1-64 letters, digits, _ or -")],
    });
    const profilesExpiration = v("customer_profiles_expiration_days", {
      type: "number",
      description: "Days a profile is kept when nothing sets another expiry.",
      default: 366,
      validation: [INTEGER_RANGE("customer_profiles_expiration_days", 1, 1098, "days")],
    });
    const defaultS3 = Object.fromEntries(S3_STORAGE_TYPES.filter((t) => S3_STORAGE_TYPE_INFO[t].enabledByDefault).map((t) => [t, {}]));
    const s3Storage = v("s3_storage", {
      type: "map(object({ prefix = optional(string) }))",
      description: `S3-backed storage types to associate, each with an optional bucket prefix. Types: ${S3_STORAGE_TYPES.join(", ")}.`,
      default: defaultS3,
      nullable: false,
      validation: [
        {
          condition: `\${alltrue([for type in keys(var.s3_storage) : contains(${JSON.stringify(S3_STORAGE_TYPES)}, type)])}`,
          errorMessage: `s3_storage: \${jsonencode(keys(var.s3_storage))} names an unknown storage type; allowed: ${S3_STORAGE_TYPES.join(", ")}.`,
        },
        {
          condition: `\${alltrue([for type, config in var.s3_storage : config.prefix == null || can(regex("${S3_PREFIX_RULE}", config.prefix)) && !startswith(coalesce(config.prefix, "-"), "${CONTACT_LENS_PREFIX.replace("/", "")}")])}`,
          errorMessage: `s3_storage: a prefix is not allowed; allowed: 1-128 characters of letters, digits and !_.*'()/-, no leading or trailing /, not under ${CONTACT_LENS_PREFIX} (Contact Lens output).`,
        },
      ],
    });

    const ctrDestination = v("contact_trace_records_destination", {
      type: "string",
      description: "Where contact trace records go: firehose (Direct PUT into the bucket), kinesis (a data stream) or none.",
      default: "firehose",
      validation: [ONE_OF("contact_trace_records_destination", ["firehose", "kinesis", "none"])],
    });
    const agentEvents = flag("agent_events_enabled", "Agent events to a Kinesis data stream under the key.");
    const voiceSegments = flag(
      "realtime_voice_segments_enabled",
      "Contact Lens real-time voice segments to a Kinesis data stream under the key.",
    );
    const chatSegments = flag(
      "realtime_chat_segments_enabled",
      "Contact Lens real-time chat segments to a Kinesis data stream under the key.",
    );
    const mediaStreams = flag("media_streams_enabled", "Live media to Kinesis Video Streams that Connect creates under the key.");
    const capacityMode = v("stream_capacity_mode", {
      type: "string",
      description: "Capacity mode of the Kinesis data streams: ON_DEMAND or PROVISIONED (then stream_shard_count).",
      default: "ON_DEMAND",
      validation: [ONE_OF("stream_capacity_mode", ["ON_DEMAND", "PROVISIONED"])],
    });
    const shardCount = v("stream_shard_count", {
      type: "number",
      description: "Shards per data stream; required with PROVISIONED, refused with ON_DEMAND.",
      default: null,
      validation: [
        {
          condition:
            '${(var.stream_capacity_mode == "PROVISIONED") == (var.stream_shard_count != null) && (var.stream_shard_count == null || try(var.stream_shard_count >= 1 && var.stream_shard_count <= 10000 && var.stream_shard_count == floor(var.stream_shard_count), false))}',
          errorMessage:
            "stream_shard_count: ${coalesce(var.stream_shard_count, -1)} is not allowed; allowed: an integer from 1 to 10000, set exactly when stream_capacity_mode is PROVISIONED.",
        },
      ],
    });
    const retention = v("stream_retention_hours", {
      type: "number",
      description: "How long the data streams keep records.",
      default: 24,
      validation: [INTEGER_RANGE("stream_retention_hours", 24, 8760, "hours")],
    });
    const consumers = v("stream_consumer_role_arns", {
      type: "list(string)",
      description: "IAM roles that read the data streams: kms:Decrypt only through Kinesis, for this module's streams.",
      default: [],
      validation: [ARN_LIST("stream_consumer_role_arns", "role")],
    });
    const ctrPrefix = v("ctr_prefix", {
      type: "string",
      description: "Bucket prefix of contact trace records delivered by Firehose.",
      default: "connect/ContactTraceRecords",
    });
    const ctrErrorPrefix = v("ctr_error_prefix", {
      type: "string",
      description: "Bucket prefix of records Firehose failed to deliver.",
      default: "connect/ContactTraceRecordsErrors",
    });
    for (const [variable, label] of [
      [ctrPrefix, "ctr_prefix"],
      [ctrErrorPrefix, "ctr_error_prefix"],
    ] as const) {
      variable.addValidation({
        condition: `\${can(regex("${S3_PREFIX_RULE}", var.${label})) && !startswith(var.${label}, "Analysis")}`,
        errorMessage: `${label}: "\${var.${label}}" is not allowed; allowed: 1-128 characters of letters, digits and !_.*'()/-, no leading or trailing /, not under Analysis/.`,
      });
    }
    const bufferSize = v("ctr_buffering_size_mib", {
      type: "number",
      description: "Firehose buffer size before a delivery.",
      default: 5,
      validation: [INTEGER_RANGE("ctr_buffering_size_mib", 1, 128, "MiB")],
    });
    const bufferInterval = v("ctr_buffering_interval_seconds", {
      type: "number",
      description: "Firehose buffer time before a delivery.",
      default: 300,
      validation: [INTEGER_RANGE("ctr_buffering_interval_seconds", 0, 900, "seconds")],
    });
    const ctrLogging = flag("ctr_error_logging", "Firehose delivery errors to a CloudWatch log group encrypted with the key.");
    const mediaPrefix = v("media_streams_prefix", {
      type: "string",
      description: "Prefix of the video streams Connect creates (default: <name>).",
      default: null,
      validation: [OPTIONAL_PATTERN("media_streams_prefix", "^[A-Za-z0-9_.-]{1,128}$", "1-128 letters, digits, _ . or -")],
    });
    const mediaRetention = v("media_streams_retention_hours", {
      type: "number",
      description: "How long Kinesis Video Streams keep live media (0 keeps none).",
      default: 24,
      validation: [INTEGER_RANGE("media_streams_retention_hours", 0, 87600, "hours")],
    });

    // Values derived from the inputs.
    const account = new AwsAccount(this, "account");
    const callerIsDeployer = Op.lt(Fn.lengthOf(deployers.listValue), 1) as IResolvable;
    const session = applyCondition(new DataAwsIamSessionContext(this, "deployer", { arn: account.callerArn }), callerIsDeployer);
    const local = (id: string, expression: unknown): TerraformLocal => new TerraformLocal(this, id, expression);
    const deployerArns = local(
      "deployer_arns",
      Fn.conditional(callerIsDeployer, [attributeOf(session, "issuer_arn", callerIsDeployer)], deployers.listValue),
    );
    const adoptedId = local(
      "adopted_instance_id",
      '${var.instance_id == null ? null : element(reverse(split("/", coalesce(var.instance_id, "-"))), 0)}',
    );
    const defaultPrefixes = local(
      "default_s3_prefixes",
      Object.fromEntries(S3_STORAGE_TYPES.map((t) => [t, S3_STORAGE_TYPE_INFO[t].defaultPrefix])),
    );
    const prefixes = local(
      "s3_prefixes",
      `\${{ for type, config in var.s3_storage : type => coalesce(config.prefix, local.${defaultPrefixes.friendlyUniqueId}[type]) }}`,
    );
    const streamingOn = (variable: TerraformVariable): IResolvable => variable.booleanValue as unknown as IResolvable;
    const kinesis = (type: StreamingStorageType, enabled: IResolvable): StreamingEntry => ({
      type,
      destination: "kinesis",
      capacityMode: capacityMode.stringValue,
      shardCount: shardCount.numberValue,
      retentionHours: retention.numberValue,
      enabled,
    });

    this.encryption = new ConnectEncryption(this, "Resource", {
      account,
      namePrefix: name_.stringValue,
      tags: tags.value,
      key: {
        aliasName: Fn.coalesce([keyAlias.stringValue, `alias/${name_.stringValue}`]),
        description: Fn.coalesce([
          keyDescription.stringValue,
          `Amazon Connect customer content (${name_.stringValue}): recordings, transcripts, attachments and streams`,
        ]),
        rotationPeriodInDays: rotation.numberValue,
        deletionWindowInDays: deletion.numberValue,
        administratorArns: administrators.listValue,
        userArns: users.listValue,
        auditorArns: auditors.listValue,
        consumerArns: consumers_.listValue,
        deployerArns: Token.asList(deployerArns.expression),
      },
      bucketName: Fn.coalesce([bucketName.stringValue, `${name_.stringValue}-${account.accountId}-${account.region}`]),
      instance: {
        create: createInstance.booleanValue as unknown as IResolvable,
        newInstance: {
          alias: Fn.coalesce([instanceAlias.stringValue, name_.stringValue]),
          identityManagementType: identityManagementType.stringValue as "CONNECT_MANAGED",
          directoryId: directoryId.stringValue,
          inboundCallsEnabled: inbound.booleanValue as unknown as boolean,
          outboundCallsEnabled: outbound.booleanValue as unknown as boolean,
          contactFlowLogsEnabled: flowLogs.booleanValue as unknown as boolean,
          contactLensEnabled: contactLens.booleanValue as unknown as boolean,
        },
        adoptInstanceId: Token.asString(adoptedId.expression),
      },
      s3Storage: S3_STORAGE_TYPES.map((type) => ({
        type,
        prefix: Fn.lookup(prefixes.expression, type, "unused"),
        enabled: Fn.contains(Fn.keys(s3Storage.value), type) as unknown as IResolvable,
      })),
      streaming: [
        {
          type: "CONTACT_TRACE_RECORDS",
          destination: "firehose",
          prefix: ctrPrefix.stringValue,
          errorPrefix: ctrErrorPrefix.stringValue,
          bufferingSizeMib: bufferSize.numberValue,
          bufferingIntervalSeconds: bufferInterval.numberValue,
          errorLogging: streamingOn(ctrLogging),
          enabled: Op.eq(ctrDestination.stringValue, "firehose") as IResolvable,
        },
        kinesis("CONTACT_TRACE_RECORDS", Op.eq(ctrDestination.stringValue, "kinesis") as IResolvable),
        kinesis("AGENT_EVENTS", streamingOn(agentEvents)),
        kinesis("REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS", streamingOn(voiceSegments)),
        kinesis("REAL_TIME_CONTACT_ANALYSIS_CHAT_SEGMENTS", streamingOn(chatSegments)),
        {
          type: "MEDIA_STREAMS",
          destination: "kinesis-video",
          prefix: Fn.coalesce([mediaPrefix.stringValue, name_.stringValue]),
          retentionHours: mediaRetention.numberValue,
          enabled: streamingOn(mediaStreams),
        },
      ],
      streamConsumerArns: consumers.listValue,
      replication: options.replication
        ? replicationInputs(this, {
            namePrefix: name_.stringValue,
            keyAlias: Fn.coalesce([keyAlias.stringValue, `alias/${name_.stringValue}`]),
            accountId: account.accountId,
          })
        : undefined,
      accessLogs: { enabled: accessLogs.booleanValue as unknown as IResolvable },
      alerts: {
        emails: alertEmails.listValue,
        enabled: alerts.booleanValue as unknown as IResolvable,
        createTrail: alertsTrail.booleanValue as unknown as IResolvable,
      },
      attachmentOrigins: attachmentOrigins.listValue,
      customerProfiles: {
        domainName: profilesDomain.stringValue,
        defaultExpirationDays: profilesExpiration.numberValue,
        enabled: Op.neq(profilesDomain.stringValue, Token.nullValue()) as IResolvable,
      },
      bucketControls: {
        eventBridgeNotifications: bucketEvents.booleanValue as unknown as IResolvable,
        objectLock: {
          mode: Token.asString(ref("try(var.object_lock.mode, null)")) as "COMPLIANCE",
          days: Token.asNumber(ref("try(var.object_lock.days, null)")),
          years: Token.asNumber(ref("try(var.object_lock.years, null)")),
          enabled: Op.neq(objectLock.value, Token.nullValue()) as IResolvable,
        },
        lifecycle: {
          transitionToGlacierIrAfterDays: transitionDays.numberValue,
          expireAfterDays: expireDays.numberValue,
          noncurrentVersionExpirationDays: noncurrentDays.numberValue,
          abortIncompleteMultipartUploadDays: abortDays.numberValue,
          prefixRules: [],
        },
      },
    });
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

/** The module as Terraform JSON, and which of its keys are nested blocks (for the HCL rendering). */
export function synthesizeModule(options: ModuleOptions = {}): { json: Record<string, any>; blockPaths: BlockPaths } {
  const app = new App({ outdir: join(tmpdir(), "connect-kms-encryption-module"), skipValidation: true });
  const module = new ConnectEncryptionModule(app, undefined, options);
  const json = withoutEscapeWarnings(() => withoutMetadata(module.toTerraform())) as Record<string, any>;
  // The caller configures every provider: the `aws.dr` block exists only so that resources can name it.
  delete json.provider;
  json.terraform = {
    required_version: TERRAFORM_VERSION_CONSTRAINT,
    required_providers: {
      aws: {
        source: "hashicorp/aws",
        version: AWS_PROVIDER_CONSTRAINT,
        ...(options.replication ? { configuration_aliases: ["aws.dr"] } : {}),
      },
    },
  };
  return { json, blockPaths: withoutEscapeWarnings(() => blockPathsOf(module)) };
}

/** The module as Terraform JSON: resources, data, locals, variables and outputs; version requirements; no provider or backend. */
export function renderModule(options: ModuleOptions = {}): string {
  return `${JSON.stringify(synthesizeModule(options).json, null, 2)}\n`;
}

export const MODULE_USAGE = `
module "connect_encryption" {
  source = "git::https://github.com/<org>/connect-kms-encryption.git//module?ref=v1.2.0"

  name           = "acme-connect-prod"
  instance_alias = "acme-connect-prod"           # or: create_instance = false, instance_id = "<ID or ARN>"
  key_deployers  = ["arn:aws:iam::111122223333:role/ConnectTerraform"]

  s3_storage = {
    CALL_RECORDINGS  = {}
    CHAT_TRANSCRIPTS = {}
    EMAIL_MESSAGES   = { prefix = "connect/Email" }
  }
  contact_trace_records_destination = "firehose"
}
`;

export const REPLICATED_MODULE_USAGE = `
provider "aws" {
  alias  = "dr"
  region = "eu-west-1"
}

module "connect_encryption" {
  source = "git::https://github.com/<org>/connect-kms-encryption.git//module/replicated?ref=v1.3.0"
  providers = {
    aws    = aws
    aws.dr = aws.dr # the disaster-recovery Region
  }

  name                = "acme-connect-prod"
  replication_enabled = true
}
`;

const GENERATED_HEADER = [
  "Generated by `npm run synth` from modules/connect-encryption-module.ts (the constructs",
  "of the cdktf stacks); do not edit. A test fails when this file is stale.",
];

/** The HCL module's files (main.tf, variables.tf, outputs.tf, versions.tf, README.md), keyed by file name. */
export function renderModuleFiles(options: ModuleOptions = {}): Record<string, string> {
  const { json, blockPaths } = synthesizeModule(options);
  return {
    ...renderHclModule(json, blockPaths, GENERATED_HEADER),
    "README.md": moduleDocs(json, options.replication ? REPLICATED_MODULE_USAGE : MODULE_USAGE),
  };
}

/** The module with cross-Region replication, beside the other: `module/replicated`. */
export const REPLICATED_MODULE_DIRECTORY = join(MODULE_DIRECTORY, "replicated");

/** Every generated file of both modules, by path relative to the repository root. */
export function renderAllModuleFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [directory, options] of [
    [MODULE_DIRECTORY, {}],
    [REPLICATED_MODULE_DIRECTORY, { replication: true }],
  ] as const) {
    for (const [file, text] of Object.entries(renderModuleFiles(options))) files[join(directory, file)] = text;
  }
  return files;
}

/** Writes both modules into `<root>/module/` and `<root>/module/replicated/`, and the tables into `<root>/README.md` between the docs markers. */
export function writeModule(root: string): void {
  const files = renderAllModuleFiles();
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  // The module used to be Terraform JSON; an old copy beside the HCL would declare everything twice.
  rmSync(join(root, MODULE_DIRECTORY, "main.tf.json"), { force: true });
  const readme = join(root, "README.md");
  if (existsSync(readme)) {
    const text = readFileSync(readme, "utf8");
    const updated = withModuleTables(text, moduleTables(synthesizeModule().json));
    if (updated !== text) writeFileSync(readme, updated);
  }
}

/**
 * The inputs of the disaster-recovery copy (module/replicated): the copy is
 * made through the provider the caller passes as `aws.dr`, with the same DR
 * key, log copy and least-privilege role as the stacks (BucketReplication),
 * and only when `replication_enabled` is true.
 */
function replicationInputs(
  stack: ConnectEncryptionModule,
  context: { readonly namePrefix: string; readonly keyAlias: string; readonly accountId: string },
): NonNullable<ConnectEncryptionProps["replication"]> {
  const provider = new AwsProvider(stack, "aws_dr", { alias: "dr" });
  const enabled = new TerraformVariable(stack, "replication_enabled", {
    type: "bool",
    description:
      "Copy the recordings bucket (and its access logs) to the Region of the aws.dr provider, under a key of its own there. Off unless asked.",
    default: false,
    nullable: false,
  });
  const bucketName = new TerraformVariable(stack, "replication_bucket_name", {
    type: "string",
    description: "Name of the disaster-recovery bucket (default: <name>-dr-<account>).",
    default: Token.nullValue(),
  });
  bucketName.addValidation({
    condition: '${var.replication_bucket_name == null || can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.replication_bucket_name))}',
    errorMessage:
      'replication_bucket_name: "${coalesce(var.replication_bucket_name, "null")}" is not allowed; allowed: 3-63 lowercase letters, digits or hyphens, starting and ending with a letter or digit.',
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
  storageClass.addValidation({
    condition: `\${contains(${JSON.stringify(storageClasses)}, var.replication_storage_class)}`,
    errorMessage: `replication_storage_class: "\${var.replication_storage_class}" is not allowed; allowed: ${storageClasses.join(", ")}.`,
  });
  const account = new AwsAccount(stack, "replica_account", { provider });
  return {
    provider,
    account,
    bucketName: Fn.coalesce([bucketName.stringValue, `${context.namePrefix}-dr-${context.accountId}`]),
    logBucketName: `${context.namePrefix}-dr-logs-${context.accountId}`,
    keyAlias: `${context.keyAlias}-dr`,
    deleteMarkerReplication: deleteMarkers.booleanValue as unknown as IResolvable,
    storageClass: storageClass.stringValue,
    enabled: enabled.booleanValue as unknown as IResolvable,
  };
}
