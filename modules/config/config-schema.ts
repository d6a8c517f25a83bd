/**
 * The declaration (cdktf.json `context.connectEncryption`), described once.
 * From this schema come: validation at synthesis (config-check.ts), the JSON
 * Schema editors use (schema/connect-encryption.schema.json), the rules of the
 * Terraform module's variables (module-variables.ts) and the configuration
 * table of docs/configuration.md (config-docs.ts). Rules across fields or
 * environments are small named functions in config-conflicts.ts.
 */
import * as v from "valibot";
import { AWS_REGIONS } from "./regions";
import {
  DESTINATION_FIELDS,
  LOCKABLE_TYPES,
  S3StorageType,
  S3_STORAGE_TYPES,
  S3_STORAGE_TYPE_INFO,
  STORAGE_TYPES,
  STREAMING_STORAGE_TYPES,
  STREAMING_STORAGE_TYPE_INFO,
  StreamingStorageType,
} from "./storage-types";
import {
  ForbiddenPattern,
  checkedText,
  flag,
  group,
  groupList,
  integer,
  objectMessage,
  oneOf,
  plainObject,
  show,
  text,
  textList,
  textMap,
} from "./schema-fields";

/** Partitions that exist; an ARN in any other is a typo. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html */
export const PARTITIONS = ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"] as const;
const PARTITION = `(?:${PARTITIONS.join("|")})`;

export const ENVIRONMENT_NAME = /^[a-z][a-z0-9]{0,15}$/;
export const RESERVED_ENVIRONMENT_NAMES = ["state"];
export const ACCOUNT_ID = /^\d{12}$/;
export const ROLE_ARN = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:role\\/[\\w+=,.@/-]{1,512}$`);
export const IAM_PRINCIPAL_ARN = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:(role|user)\\/[\\w+=,.@/-]{1,512}$`);
export const NAME_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,22}[a-z0-9])?$/;
/** KMS: alias names are 1-256 of letters, digits, / _ -; alias/aws/ is reserved. https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html */
export const KMS_ALIAS = /^(?!(alias\/)?aws\/)(?!alias\/$)(alias\/)?[0-9A-Za-z_/-]{1,250}$/;
/** Dots refused (TLS to virtual-hosted endpoints); the reserved words are checked by reservedBucketName. */
export const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
/** The state bucket may be an existing one with dots. */
export const STATE_BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Connect CreateInstance InstanceAlias: 1-45, `^(?!d-)([\da-zA-Z]+)([-]*[\da-zA-Z])*$`. https://docs.aws.amazon.com/connect/latest/APIReference/API_Instance.html */
export const INSTANCE_ALIAS = /^(?!d-)[0-9A-Za-z](?:[0-9A-Za-z-]{0,43}[0-9A-Za-z])?$/;
export const DIRECTORY_ID = /^d-[0-9a-f]{10}$/;
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
export const INSTANCE_ID_OR_ARN = new RegExp(`^(?:${UUID}|arn:${PARTITION}:connect:[a-z0-9-]+:\\d{12}:instance/${UUID})$`);
/**
 * Tags: AWS's character class (letters, digits, spaces and _.:/=+-@; e.g.
 * IAM's Tag type, https://docs.aws.amazon.com/IAM/latest/APIReference/API_Tag.html)
 * with spaces as Unicode space separators (\p{Zs}): JavaScript's \s would
 * admit tabs, line breaks, vertical tabs, form feeds, line and paragraph
 * separators and the byte-order mark, which AWS refuses. The `aws:` prefix
 * is reserved in any letter case ("Tagging best practices": "aws: prefix ...
 * you can't edit or delete tag keys or values with this prefix").
 */
export const TAG_KEY = /^(?![Aa][Ww][Ss]:)[\p{L}\p{N}\p{Zs}_.:/=+\-@]{1,128}$/u;
export const TAG_VALUE = /^[\p{L}\p{N}\p{Zs}_.:/=+\-@]{0,256}$/u;
/**
 * An e-mail endpoint without spaces, control characters or format
 * characters (\p{Cf}: zero-width characters and bidirectional overrides,
 * which make an address display as another in a review).
 */
export const EMAIL = /^[^@\s\p{Cc}\p{Cf}]+@[^@\s\p{Cc}\p{Cf}]+\.[^@\s\p{Cc}\p{Cf}]+$/u;
export const DOMAIN_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
/**
 * Bucket prefixes become parts of IAM resources and encryption-context
 * conditions (the Firehose role's `<bucket>/<prefix>/*`): no IAM wildcard
 * (`*`, `?`), which would widen them (IAM user guide, "IAM JSON policy
 * elements: Resource", wildcards in ARNs).
 */
export const S3_PREFIX = /^(?!\/)(?!.*\/\/)(?!.*\/$)[A-Za-z0-9!_.'()/-]{1,128}$/;
export const LIFECYCLE_PREFIX = /^(?!\/)(?!.*\/\/)[A-Za-z0-9!_.*'()/-]{1,1024}$/;
export const VIDEO_PREFIX = /^[A-Za-z0-9_.-]{1,128}$/;
export const WEB_ORIGIN = /^https:\/\/(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+(:\d{1,5})?$/;
export const KMS_KEY_OR_ALIAS_ARN = new RegExp(
  `^arn:${PARTITION}:kms:[a-z0-9-]+:\\d{12}:(key\\/[0-9a-f-]{36}|key\\/mrk-[0-9a-f]{32}|alias\\/[A-Za-z0-9/_-]+)$`,
);
export const STATE_KEY = /^(?!\/)[A-Za-z0-9!_.*'()/=-]{1,1024}$/;
export const ASSOCIATION_ID = /^[A-Za-z0-9_-]{1,100}$/;
export const PRINTABLE = (min: number, max: number): RegExp => new RegExp(`^[^\\u0000-\\u001f]{${min},${max}}$`);

export const RESERVED_BUCKET_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"] as const;
export const RESERVED_BUCKET_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] as const;

/**
 * S3's reserved bucket names, which the provider does not check.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */

export function reservedBucketName(name: string): string | undefined {
  const prefix = RESERVED_BUCKET_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `S3 reserves the prefix ${prefix}`;
  const suffix = RESERVED_BUCKET_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) return `S3 reserves the suffix ${suffix}`;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "S3 refuses names formatted as an IP address";
  if (name.includes("..") || name.includes(".-") || name.includes("-.")) return "S3 refuses adjacent dots (and dots next to hyphens)";
  return undefined;
}

/** reservedBucketName as RE2 patterns (the Terraform module's validation), one per reason. */
const RE2_LITERAL = (text: string): string => text.replace(/[.]/g, "[.]");
export const RESERVED_BUCKET_PATTERNS: readonly ForbiddenPattern[] = [
  {
    pattern: `^(${RESERVED_BUCKET_PREFIXES.map(RE2_LITERAL).join("|")})`,
    reason: `S3 reserves the prefixes ${RESERVED_BUCKET_PREFIXES.join(", ")}`,
  },
  {
    pattern: `(${RESERVED_BUCKET_SUFFIXES.map(RE2_LITERAL).join("|")})$`,
    reason: `S3 reserves the suffixes ${RESERVED_BUCKET_SUFFIXES.join(", ")}`,
  },
  { pattern: "^[0-9]+[.][0-9]+[.][0-9]+[.][0-9]+$", reason: "S3 refuses names formatted as an IP address" },
  { pattern: "[.][.]|[.]-|-[.]", reason: "S3 refuses adjacent dots (and dots next to hyphens)" },
];

const BUCKET_RULE = "3-63 lowercase letters, digits or hyphens, starting and ending with a letter or digit, not a name S3 reserves";
const ARNS = "IAM role or user ARNs such as arn:aws:iam::123456789012:role/ConnectKeyAdmin";
const ROLE_ARNS = "IAM role ARNs such as arn:aws:iam::123456789012:role/CtrConsumer";
const S3_PREFIX_RULE =
  "1-128 characters of letters, digits and !_.'()/- (no * or ?, which IAM reads as wildcards), no leading, trailing or doubled /";
const REGION = (description: string) => oneOf(AWS_REGIONS, { description });
const bucket = (description: string, defaultText?: string) =>
  checkedText(BUCKET_NAME, reservedBucketName, { description, default: defaultText, allowed: BUCKET_RULE }, RESERVED_BUCKET_PATTERNS);
const days = (min: number, max: number, description: string, defaultText?: string) =>
  integer(min, max, "days", { description, default: defaultText });

const key = group(
  {
    alias: text(KMS_ALIAS, {
      description: "KMS alias of the key, with or without alias/",
      default: "<namePrefix>-<environment>-connect",
      allowed: 'letters, digits, _, / or -, optionally starting with alias/, not starting with aws/ (e.g. "alias/connect-prod")',
    }),
    description: text(PRINTABLE(0, 8192), {
      description: "Description of the KMS key",
      default: "describes the environment",
      allowed: "up to 8192 printable characters",
    }),
    rotationPeriodInDays: days(90, 2560, "Days between automatic rotations of the key material (rotation is always on)", "365"),
    deletionWindowInDays: days(7, 30, "Waiting period between a deletion request and the key's deletion", "30"),
    administratorArns: textList(IAM_PRINCIPAL_ARN, ARNS, {
      description: "Principals that manage the key without data-plane use",
      default: "[]",
    }),
    userArns: textList(IAM_PRINCIPAL_ARN, ARNS, {
      description: "Principals that encrypt and decrypt with the key directly",
      default: "[]",
    }),
    deployerArns: textList(IAM_PRINCIPAL_ARN, ARNS, {
      description: "Principals that run Terraform (they associate storage configs)",
      default: "the IAM role that runs Terraform",
    }),
    auditorArns: textList(IAM_PRINCIPAL_ARN, ARNS, { description: "Roles that may only decrypt, through S3", default: "[]" }),
    consumerArns: textList(IAM_PRINCIPAL_ARN, ARNS, {
      description: "Downstream readers: decrypt through S3 in this account",
      default: "[]",
    }),
    allowAccountRoot: flag({ description: "Whether the account root keeps kms:* (IAM delegation)", default: "true" }),
  },
  { description: "The customer managed KMS key" },
);

const prefixRule = plainObject(
  v.strictObject(
    {
      prefix: text(LIFECYCLE_PREFIX, {
        description: "Object key prefix the rule applies to",
        allowed: "an object key prefix such as Analysis/",
      }),
      expireAfterDays: v.optional(days(1, 36500, "Objects under the prefix expire after this many days")),
      transitionToGlacierIrAfterDays: v.optional(days(0, 36500, "Objects under the prefix move to GLACIER_IR after this many days")),
    },
    objectMessage("prefix, expireAfterDays, transitionToGlacierIrAfterDays"),
  ),
  "{ prefix, expireAfterDays?, transitionToGlacierIrAfterDays? }",
);

/** S3 allows 1,000 lifecycle rules; four are the bucket-wide ones. https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleConfiguration.html */
export const MAX_PREFIX_RULES = 996;

const lifecycle = group(
  {
    transitionToGlacierIrAfterDays: days(0, 36500, "Objects move to S3 Glacier Instant Retrieval after this many days", "never"),
    expireAfterDays: days(1, 36500, "Objects expire after this many days (the retention window)", "never"),
    noncurrentVersionExpirationDays: days(1, 36500, "Superseded versions are deleted this many days after they stop being current", "kept"),
    abortIncompleteMultipartUploadDays: days(1, 365, "Incomplete multipart uploads are aborted after this many days", "7"),
    prefixRules: groupList(prefixRule, "{ prefix, expireAfterDays?, transitionToGlacierIrAfterDays? }", MAX_PREFIX_RULES, {
      description: "Shorter retention under some prefixes",
      default: "[]",
    }),
  },
  { description: "Retention of the recordings bucket" },
);

const objectLock = group(
  {
    mode: oneOf(["COMPLIANCE", "GOVERNANCE"] as const, { description: "Object Lock mode" }),
    days: days(1, 36500, "Default retention in days (or years)"),
    years: integer(1, 100, "years", { description: "Default retention in years (or days)" }),
    lockedTypes: textList(new RegExp(`^(?:${LOCKABLE_TYPES.join("|")})$`), `storage types (${LOCKABLE_TYPES.join(", ")})`, {
      description:
        "Storage types written to the locked bucket (Connect recommends a dedicated bucket for call recordings; their Contact Lens output lands beside them); every other type goes to a bucket under the same key without Object Lock. Required when other types than CALL_RECORDINGS and ATTACHMENTS are stored",
      default: '["CALL_RECORDINGS"]',
    }),
  },
  { description: "Object Lock (WORM) on the recordings bucket", default: "none" },
);

const replication = group(
  {
    region: REGION("Region of the disaster-recovery copy"),
    bucketName: bucket("Name of the copy", "<namePrefix>-<environment>-dr-<account>"),
    deleteMarkerReplication: flag({ description: "Replicate delete markers", default: "false" }),
    storageClass: oneOf(
      ["STANDARD", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"] as const,
      {
        description: "Storage class of the copies",
        default: "STANDARD",
      },
    ),
  },
  { description: "Cross-Region replication of the recordings bucket", default: "none" },
);

const accessLogs = group(
  {
    destination: oneOf(["dedicated", "existing", "none"] as const, { description: "Where server access logs go", default: "dedicated" }),
    bucketName: bucket("The bucket that receives the logs (destination existing)"),
    reason: text(PRINTABLE(20, 500), {
      description: "Why access logs are off (destination none)",
      allowed: "20-500 characters saying why these logs are not needed",
    }),
  },
  { description: "Server access logs of the recordings bucket" },
);

const bucketGroup = group(
  {
    name: bucket("Name of the recordings bucket", "<namePrefix>-<environment>-<account>-<region>"),
    lifecycle,
    objectLock,
    replication,
    accessLogs,
    eventBridgeNotifications: flag({ description: "The bucket's object events go to Amazon EventBridge", default: "true" }),
  },
  { description: "The recordings bucket" },
);

const create = group(
  {
    alias: text(INSTANCE_ALIAS, {
      description: "Alias of the instance to create (required)",
      allowed:
        "1-45 letters, digits or hyphens, starting and ending with a letter or digit, not starting with d- (Connect's CreateInstance rule)",
    }),
    identityManagementType: oneOf(["CONNECT_MANAGED", "SAML", "EXISTING_DIRECTORY"] as const, {
      description: "How agents sign in",
      default: "CONNECT_MANAGED",
    }),
    directoryId: text(DIRECTORY_ID, {
      description: "Directory of EXISTING_DIRECTORY",
      allowed: "an AWS Directory Service ID such as d-1234567890",
    }),
    inboundCallsEnabled: flag({ description: "Inbound calls", default: "true" }),
    outboundCallsEnabled: flag({ description: "Outbound calls", default: "true" }),
    contactFlowLogsEnabled: flag({ description: "Flow logs (the audit trail of each contact)", default: "true" }),
    contactLensEnabled: flag({ description: "Contact Lens (output under Analysis/)", default: "true" }),
    preventDestroy: flag({ description: "Refuse to destroy the instance", default: "true" }),
  },
  { description: "Create a new Connect instance" },
);

const associations = v.pipe(
  plainObject(
    v.record(
      v.picklist(STORAGE_TYPES, () => `unknown storage type; allowed: ${STORAGE_TYPES.join(", ")}`),
      text(ASSOCIATION_ID, {
        description: "",
        allowed: "a Connect association ID: 1-100 letters, digits, - or _ (no colon), e.g. a 64-digit hex string",
      }),
      () => "expected a map from storage type to association ID",
    ),
    "a map from storage type to association ID",
  ),
  v.description("Storage associations before adoption, as npm run discover -- <env> --write records them"),
  v.metadata({ allowed: "a map from storage type to association ID", default: "none" }),
);

const adopt = group(
  {
    instance: text(
      INSTANCE_ID_OR_ARN,
      {
        description: "ID or ARN of the existing instance (required)",
        allowed:
          "an instance ID (a lowercase UUID such as 11111111-2222-3333-4444-555555555555) or an ARN such as arn:aws:connect:eu-west-2:123456789012:instance/11111111-2222-3333-4444-555555555555",
      },
      "is neither an instance ID nor an instance ARN",
    ),
    existingAssociations: associations,
  },
  { description: "Attach to an existing Connect instance" },
);

const instance = group({ create, adopt }, { description: "Exactly one of create or adopt (required)" });

const s3Type = (type: S3StorageType) =>
  group(
    {
      enabled: flag({ description: `Associate ${type}`, default: String(S3_STORAGE_TYPE_INFO[type].enabledByDefault) }),
      prefix: text(S3_PREFIX, { description: `Bucket prefix of ${type}`, allowed: S3_PREFIX_RULE }),
      ...(type === "ATTACHMENTS"
        ? {
            corsAllowedOrigins: textList(
              WEB_ORIGIN,
              "https origins such as https://www.example.com (a leading *. for subdomains), no path",
              {
                description: "Web origins whose chat widgets upload attachments",
                default: "[]",
              },
            ),
          }
        : {}),
    },
    { description: `Storage type ${type}` },
  );

const streamFields = {
  capacityMode: oneOf(["ON_DEMAND", "PROVISIONED"] as const, { description: "Capacity mode of the data streams", default: "ON_DEMAND" }),
  shardCount: integer(1, 10000, "shards", { description: "Shards per stream (PROVISIONED only)" }),
  retentionHours: integer(24, 8760, "hours", { description: "How long the data streams keep records", default: "24" }),
};

/** A streaming type takes the fields of its destinations only (DESTINATION_FIELDS), so the table lists no field it refuses. */
const streamingType = (type: StreamingStorageType) => {
  const info = STREAMING_STORAGE_TYPE_INFO[type];
  const fields = new Set(info.destinations.flatMap((destination) => DESTINATION_FIELDS[destination]));
  const entries = streamingEntries(type);
  return group(
    {
      enabled: flag({ description: `Associate ${type}`, default: String(info.enabledByDefault) }),
      destination: v.pipe(
        v.string((issue) => `${JSON.stringify(issue.input)} is not a string; expected ${info.destinations.join(" or ")}`),
        v.description("Where the records go"),
        v.metadata({ allowed: info.destinations.join(" or "), default: info.destinations[0] }),
      ),
      ...Object.fromEntries(Object.entries(entries).filter(([field]) => fields.has(field))),
    },
    { description: `Storage type ${type}` },
  );
};

const streamingEntries = (type: StreamingStorageType) => ({
  ...streamFields,
  prefix:
    type === "MEDIA_STREAMS"
      ? text(VIDEO_PREFIX, { description: "Prefix of the video streams", allowed: "1-128 letters, digits, _ . or -" })
      : text(S3_PREFIX, { description: "Bucket prefix of the Firehose deliveries", allowed: S3_PREFIX_RULE }),
  errorPrefix: text(S3_PREFIX, { description: "Firehose error prefix", allowed: S3_PREFIX_RULE }),
  bufferingSizeMib: integer(1, 128, "MiB", { description: "Firehose buffer size", default: "5" }),
  bufferingIntervalSeconds: integer(0, 900, "seconds", { description: "Firehose buffer time", default: "300" }),
  errorLogging: flag({ description: "Firehose delivery errors to CloudWatch Logs", default: "true" }),
  retentionHours: integer(
    type === "MEDIA_STREAMS" ? 0 : 24,
    type === "MEDIA_STREAMS" ? 87600 : 8760,
    type === "MEDIA_STREAMS" ? "hours; 0 keeps no media" : "hours",
    {
      description: "Retention",
      default: "24",
    },
  ),
});

const storage = group(
  Object.fromEntries([
    ...S3_STORAGE_TYPES.map((type) => [type, s3Type(type)]),
    ...STREAMING_STORAGE_TYPES.map((type) => [type, streamingType(type)]),
  ]) as v.ObjectEntries,
  { description: "Connect storage types" },
  "storage type",
);

const streams = group(
  {
    ...streamFields,
    consumerRoleArns: textList(ROLE_ARN, ROLE_ARNS, { description: "Roles that read the data streams", default: "[]" }),
  },
  { description: "Kinesis data streams" },
);

const state = group(
  {
    backend: oneOf(["local", "s3", "cloud"] as const, { description: "Where state lives", default: "local" }),
    bucket: checkedText(
      STATE_BUCKET_NAME,
      reservedBucketName,
      { description: "S3 state bucket", allowed: "an S3 bucket name (3-63 lowercase letters, digits, . or -)" },
      RESERVED_BUCKET_PATTERNS,
    ),
    key: text(STATE_KEY, { description: "Object key of the state", allowed: "an object key without a leading /, up to 1024 characters" }),
    region: REGION("Region of the state bucket"),
    kmsKeyId: text(KMS_KEY_OR_ALIAS_ARN, {
      description: "KMS key or alias ARN that encrypts state",
      allowed: "a KMS key ARN or alias ARN, e.g. arn:aws:kms:eu-west-2:111122223333:alias/connect-encryption-state",
    }),
    workspaceKeyPrefix: text(STATE_KEY, {
      description: "Prefix for non-default workspaces",
      allowed: "an object key prefix without a leading /",
    }),
    dynamodbTable: text(/^[A-Za-z0-9_.-]{3,255}$/, { description: "Legacy DynamoDB lock table", allowed: "a DynamoDB table name" }),
    organization: text(/^[A-Za-z0-9_-]{1,40}$/, {
      description: "HCP Terraform organization",
      allowed: "an HCP Terraform organization name",
    }),
    hostname: text(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, {
      description: "HCP Terraform host",
      allowed: "a host name such as app.terraform.io",
    }),
    workspace: text(/^[A-Za-z0-9_-]{1,90}$/, { description: "Workspace name", allowed: "a workspace name (letters, digits, _ or -)" }),
    workspaceTags: textList(/^[A-Za-z0-9_:-]{1,255}$/, "workspace tags (letters, digits, _ : -)", { description: "Workspaces by tag" }),
    project: text(/^[A-Za-z0-9 _-]{1,40}$/, { description: "HCP Terraform project", allowed: "an HCP Terraform project name" }),
  },
  { description: "Where the environment's Terraform state lives", default: '{ "backend": "local" }' },
);

const alerts = group(
  {
    enabled: flag({ description: "Key-misuse alerts", default: "true" }),
    emails: textList(EMAIL, "e-mail addresses", { description: "Addresses subscribed to the alerts", default: "[]" }),
    createTrail: flag({
      description:
        "Create a multi-Region CloudTrail trail; the alerts need one that logs management events. Left unset, synthesis warns that they depend on an existing trail; false says one exists",
      default: "false",
    }),
    readerArns: textList(IAM_PRINCIPAL_ARN, ARNS, {
      description:
        "Principals that read the alerts' dead-letter queue and the trail's log and digest files (kms:Decrypt with the alerts key, through SQS and S3 only); required with key.allowAccountRoot false",
      default: "key.auditorArns",
    }),
  },
  { description: "Key-misuse alerts" },
);

const customerProfiles = group(
  {
    enabled: flag({ description: "A Customer Profiles domain under the key", default: "false" }),
    domainName: text(DOMAIN_NAME, {
      description: "Domain name",
      default: "<namePrefix>-<environment>",
      allowed: "1-64 letters, digits, _ or -",
    }),
    defaultExpirationDays: days(1, 1098, "Days a profile is kept", "366"),
  },
  { description: "Customer Profiles" },
);

/** The fields of an environment; `defaults` has the same ones. */
export const ENVIRONMENT_ENTRIES = {
  accountId: text(ACCOUNT_ID, {
    description: "The only account the environment may be applied to",
    default: "any account",
    allowed: "a 12-digit AWS account ID, as a string",
  }),
  region: REGION("AWS Region of the environment (required)"),
  assumeRoleArn: text(ROLE_ARN, {
    description: "IAM role the provider assumes",
    default: "the caller's credentials",
    allowed: "an IAM role ARN such as arn:aws:iam::111122223333:role/ConnectDeployer",
  }),
  namePrefix: text(NAME_PREFIX, {
    description: "Leading part of every resource name",
    default: "connect",
    allowed: "1-24 lowercase letters, digits or hyphens, not starting or ending with a hyphen",
  }),
  tags: textMap(
    TAG_KEY,
    TAG_VALUE,
    "tag keys of 1-128 and values of 0-256 letters, digits, spaces or _.:/=+-@, keys not starting with aws: in any letter case",
    {
      description: "Tags on every resource (besides Environment and ManagedBy)",
      default: "{}",
    },
  ),
  key,
  bucket: bucketGroup,
  instance,
  storage,
  streams,
  state,
  alerts,
  customerProfiles,
};

export const environmentSchema = group(ENVIRONMENT_ENTRIES, { description: "One environment: a stack" });

export const stateBootstrapSchema = group(
  {
    region: REGION("Region of the state bucket (required)"),
    accountId: ENVIRONMENT_ENTRIES.accountId,
    assumeRoleArn: ENVIRONMENT_ENTRIES.assumeRoleArn,
    bucket: checkedText(BUCKET_NAME, reservedBucketName, {
      description: "Name of the state bucket (required, unless the bootstrap creates HCP Terraform deploy roles alone)",
      allowed: "3-63 lowercase letters, digits or hyphens",
    }),
    keyAlias: text(KMS_ALIAS, {
      description: "Alias of the state key",
      default: "alias/connect-encryption-state",
      allowed: "a KMS alias such as alias/connect-encryption-state",
    }),
    replicaRegion: REGION("Region of a disaster-recovery copy of the state"),
    tags: ENVIRONMENT_ENTRIES.tags,
    hcpTerraform: group(
      {
        deployRoles: flag({
          description:
            "Create the HCP Terraform OIDC provider and, per `cloud` environment in the bootstrap's account, a plan role (trusted by the workspace's plan runs, reads only) and an apply role (trusted by its apply runs, the deployer policy); for environments in other accounts, write the roles' trust and permissions policies beside the bootstrap stack",
          default: "false",
        }),
        roleNames: textMap(
          ENVIRONMENT_NAME,
          /^[\w+=,.@-]{1,64}$/,
          "environment names to IAM role names (1-64 of letters, digits and +=,.@_-)",
          {
            description: "Name of an environment's apply role; its plan role is this name with -plan (so at most 59 characters)",
            default: "`connect-encryption-<env>-hcp-deploy`",
          },
        ),
      },
      { description: "Credentials as code for HCP Terraform runs (dynamic provider credentials)" },
    ),
  },
  { description: "A stack that creates the S3 state bucket and its key" },
);

const environmentName = v.pipe(
  v.string(),
  v.check(
    (name) => ENVIRONMENT_NAME.test(name) && !RESERVED_ENVIRONMENT_NAMES.includes(name),
    (issue) =>
      `environment name ${JSON.stringify(issue.input)} is not allowed; allowed: a lowercase letter then up to 15 lowercase letters or digits, except ${RESERVED_ENVIRONMENT_NAMES.join(", ")}`,
  ),
);

export const declarationSchema = v.pipe(
  plainObject(
    v.strictObject(
      {
        defaults: v.optional(environmentSchema),
        environments: v.pipe(
          plainObject(
            v.record(
              environmentName,
              environmentSchema,
              (issue) => `${show(issue.input)} declares no environment; declare at least one, e.g. { "dev": { ... } }`,
            ),
            'environments by name, e.g. { "dev": { ... } }',
          ),
          v.check(
            (environments) => Object.keys(environments).length > 0,
            (issue) => `${show(issue.input)} declares no environment; declare at least one, e.g. { "dev": { ... } }`,
          ),
          v.description("Environments by name; each overrides the defaults field by field (instance is replaced whole)"),
          v.metadata({ allowed: "a lowercase letter then up to 15 lowercase letters or digits" }),
        ),
        stateBootstrap: v.optional(stateBootstrapSchema),
      },
      objectMessage("defaults, environments, stateBootstrap"),
    ),
    "an object with fields defaults, environments, stateBootstrap",
  ),
  v.description("The declaration: shared defaults and one entry per environment"),
);

/**
 * The declaration as the schema accepts it. Once declarationSchema has passed,
 * every field has this type and keeps its own rule, so the resolvers read
 * these types and only merge, apply defaults and check rules across fields.
 */
export type DeclarationInput = v.InferOutput<typeof declarationSchema>;
export type EnvironmentInput = v.InferOutput<typeof environmentSchema>;
export type StateBootstrapInput = v.InferOutput<typeof stateBootstrapSchema>;
/** One entry of `storage`: the group is built type by type, so its own type is loose. */
export type S3StorageInput = { readonly enabled?: boolean; readonly prefix?: string; readonly corsAllowedOrigins?: string[] };
/** Every field a streaming type may take, each optional (the schema of a type keeps those of its destinations). */
export type StreamingStorageInput = { readonly enabled?: boolean; readonly destination?: string } & Partial<
  v.InferOutput<v.ObjectSchema<ReturnType<typeof streamingEntries>, undefined>>
>;
