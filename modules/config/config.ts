/**
 * The configuration model: one declaration (cdktf.json `context.connectEncryption`)
 * with shared `defaults` and per-environment overrides, validated whole before
 * any construct is created, and resolved into one `EnvironmentSettings` per
 * environment.
 */
import { readFileSync } from "node:fs";
import { parseJsonText, schemaProblems, structuralProblems } from "./config-check";
import { checkConflicts } from "./config-conflicts";
import {
  ACCOUNT_ID,
  BUCKET_NAME,
  DIRECTORY_ID,
  ENVIRONMENT_NAME,
  IAM_PRINCIPAL_ARN,
  INSTANCE_ALIAS,
  KMS_ALIAS,
  NAME_PREFIX,
  PARTITIONS,
  ROLE_ARN,
  TAG_KEY,
  TAG_VALUE,
} from "./config-schema";
import { jsonType } from "./schema-fields";
import { S3StorageSettings, StreamingStorageSettings, resolveStorage } from "./storage-settings";
import { StateSettings, checkDistinctStates, resolveState } from "./state-settings";
import { HcpTerraformSettings, resolveHcpTerraform } from "./hcp-terraform-settings";
import { AWS_REGIONS, CONNECT_REGIONS } from "./regions";
import { ExistingAssociations, adoptionWarnings, readExistingAssociations } from "./adoption";
import {
  AlertSettings,
  BUCKET_CONTROL_FIELDS,
  BucketControls,
  CustomerProfilesSettings,
  resolveAlerts,
  resolveBucketControls,
  resolveCustomerProfiles,
} from "./controls-settings";
import {
  At,
  Problems,
  isPlainObject,
  readBoolean,
  readEnum,
  readInteger,
  readObject,
  readString,
  readStringList,
  readStringMap,
  show,
} from "./validation";

/** The context key in cdktf.json that holds the declaration. */
export const CONTEXT_KEY = "connectEncryption";

export const IDENTITY_MANAGEMENT_TYPES = ["CONNECT_MANAGED", "SAML", "EXISTING_DIRECTORY"] as const;
export type IdentityManagementType = (typeof IDENTITY_MANAGEMENT_TYPES)[number];

export interface KeySettings {
  /** Alias name, always starting with `alias/`. */
  readonly aliasName: string;
  readonly description: string;
  readonly rotationPeriodInDays: number;
  readonly deletionWindowInDays: number;
  /** IAM role/user ARNs that manage the key (no data-plane use). */
  readonly administratorArns: readonly string[];
  /** IAM role/user ARNs that encrypt and decrypt with the key. */
  readonly userArns: readonly string[];
  /** Roles that may only decrypt, through S3 (to read un-redacted originals). */
  readonly auditorArns: readonly string[];
  /** Downstream readers (Athena, QuickSight, Lambda): decrypt through S3 in this account. */
  readonly consumerArns: readonly string[];
  /** Whether the account root keeps kms:* (the IAM-delegation statement). */
  readonly allowAccountRoot: boolean;
  /** Principals that associate storage configs; undefined = the IAM role that runs Terraform. */
  readonly deployerArns?: readonly string[];
}

export interface BucketSettings extends BucketControls {
  /** Explicit bucket name; undefined = `<namePrefix>-<environment>-<account>-<region>`. */
  readonly name?: string;
}

export interface CreatedInstanceSettings {
  readonly kind: "create";
  readonly alias: string;
  readonly identityManagementType: IdentityManagementType;
  readonly directoryId?: string;
  readonly inboundCallsEnabled: boolean;
  readonly outboundCallsEnabled: boolean;
  readonly contactFlowLogsEnabled: boolean;
  readonly contactLensEnabled: boolean;
  readonly preventDestroy: boolean;
}

export interface AdoptedInstanceSettings {
  readonly kind: "adopt";
  readonly instanceId: string;
  /**
   * The instance's storage associations before adoption (storage type ->
   * association ID), as `npm run discover -- <env> --write` records them;
   * undefined when discovery was not recorded.
   */
  readonly existingAssociations?: ExistingAssociations;
}

export type InstanceSettings = CreatedInstanceSettings | AdoptedInstanceSettings;

export interface EnvironmentSettings {
  /** Environment name, e.g. `dev`. */
  readonly name: string;
  /** Terraform stack name, e.g. `connect-encryption-dev`. */
  readonly stackName: string;
  readonly region: string;
  /** The only account this environment may be applied to (the provider refuses others). */
  readonly accountId?: string;
  /** Role the provider assumes to deploy. */
  readonly assumeRoleArn?: string;
  /** Where this environment's Terraform state lives. */
  readonly state: StateSettings;
  /** Leading part of every resource name. */
  readonly namePrefix: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly key: KeySettings;
  readonly bucket: BucketSettings;
  readonly instance: InstanceSettings;
  /** Enabled S3-backed storage types, in the vocabulary's order. */
  readonly s3Storage: readonly S3StorageSettings[];
  /** Enabled streaming storage types and their destinations, in the vocabulary's order. */
  readonly streamingStorage: readonly StreamingStorageSettings[];
  /** Roles that consume the Kinesis data streams. */
  readonly streamConsumerArns: readonly string[];
  /** Web origins (besides the instance's own) allowed to upload chat attachments from the browser. */
  readonly attachmentOrigins: readonly string[];
  /** Key-misuse alerts. */
  readonly alerts: AlertSettings;
  /** An optional Customer Profiles domain under the key. */
  readonly customerProfiles: CustomerProfilesSettings;
  /** Accepted, but worth telling the user about at synth time. */
  readonly warnings: readonly string[];
}

export const STACK_NAME_PREFIX = "connect-encryption";

/** The stack that creates the state bucket and key, itself on local state. */
export interface StateBootstrapSettings {
  readonly stackName: string;
  readonly region: string;
  readonly accountId?: string;
  readonly assumeRoleArn?: string;
  readonly bucket: string;
  /** Alias of the state key, including `alias/`. */
  readonly keyAlias: string;
  /** Region of a disaster-recovery copy of the state and its access logs. @default none */
  readonly replicaRegion?: string;
  readonly tags: Readonly<Record<string, string>>;
  /** HCP Terraform OIDC provider and deploy roles (hcp-deploy-roles.ts). @default none */
  readonly hcpTerraform?: HcpTerraformSettings;
  /** Accepted, but worth telling the user about at synth time. */
  readonly warnings?: readonly string[];
}

export interface Declaration {
  readonly environments: readonly EnvironmentSettings[];
  readonly stateBootstrap?: StateBootstrapSettings;
}

export const STATE_BOOTSTRAP_STACK = `${STACK_NAME_PREFIX}-state`;

/** The buckets named after the state bucket: its access logs, and with a replica the copy and the copy's logs. */
export function stateCompanionBuckets(bucket: string): { readonly logs: string; readonly replica: string; readonly replicaLogs: string } {
  return { logs: `${bucket}-logs`, replica: `${bucket}-dr`, replicaLogs: `${bucket}-dr-logs` };
}
const BOOTSTRAP_FIELDS = ["region", "accountId", "assumeRoleArn", "bucket", "keyAlias", "replicaRegion", "tags", "hcpTerraform"];

const DEFAULT_NAME_PREFIX = "connect";
const DEFAULT_ROTATION_DAYS = 365;
const DEFAULT_DELETION_WINDOW_DAYS = 30;

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const INSTANCE_ID = new RegExp(`^${UUID}$`);
const INSTANCE_ARN = new RegExp(`^arn:(?:${PARTITIONS.join("|")}):connect:([a-z0-9-]+):(\\d{12}):instance/(${UUID})$`);

const TOP_FIELDS = ["defaults", "environments", "stateBootstrap"];
const ENVIRONMENT_FIELDS = [
  "accountId",
  "region",
  "assumeRoleArn",
  "namePrefix",
  "tags",
  "key",
  "bucket",
  "instance",
  "storage",
  "streams",
  "state",
  "alerts",
  "customerProfiles",
];
const KEY_FIELDS = [
  "alias",
  "description",
  "rotationPeriodInDays",
  "deletionWindowInDays",
  "administratorArns",
  "userArns",
  "deployerArns",
  "auditorArns",
  "consumerArns",
  "allowAccountRoot",
];
const INSTANCE_FIELDS = ["create", "adopt"];
const CREATE_FIELDS = [
  "alias",
  "identityManagementType",
  "directoryId",
  "inboundCallsEnabled",
  "outboundCallsEnabled",
  "contactFlowLogsEnabled",
  "contactLensEnabled",
  "preventDestroy",
];
const ADOPT_FIELDS = ["instance", "existingAssociations"];

/** Fields that an environment replaces whole instead of merging into the defaults. */
const REPLACED_NOT_MERGED = new Set(["instance"]);
/** Fields merged only while they keep their kind: a different `backend` replaces the defaults' `state`. */
const REPLACED_WHEN_CHANGED: Record<string, string> = { state: "backend" };
/** Environment names that would collide with other stacks. */
const RESERVED_ENVIRONMENT_NAMES = new Set(["state"]);

/** Reads the declaration from a cdktf.json file; the file's own problems (encoding, syntax, top-level types) are refused here. */
export function readDeclaration(cdktfJsonPath: string): unknown {
  const problems = new Problems();
  let text = "";
  try {
    text = readFileSync(cdktfJsonPath, "utf8");
  } catch (error) {
    problems.add(cdktfJsonPath, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    problems.throwIfAny(cdktfJsonPath);
  }
  const parsed = parseJsonText(text);
  if (parsed.problem) problems.add(cdktfJsonPath, parsed.problem);
  problems.throwIfAny(cdktfJsonPath);
  const top = parsed.value;
  if (!isPlainObject(top)) problems.add(cdktfJsonPath, `the top level is ${jsonType(top)}; expected an object with a context field`);
  const context = isPlainObject(top) ? top.context : undefined;
  if (context !== undefined && !isPlainObject(context)) {
    problems.add("context", `${jsonType(context)} is not an object; expected an object with a ${CONTEXT_KEY} field`);
  }
  problems.throwIfAny(cdktfJsonPath);
  return isPlainObject(context) ? context[CONTEXT_KEY] : undefined;
}

/**
 * Validates the whole declaration and resolves each environment. Throws a
 * ConfigError listing every problem; returns only when all are valid.
 */
export function resolveEnvironments(declaration: unknown, source = "cdktf.json"): EnvironmentSettings[] {
  return [...resolveDeclaration(declaration, source).environments];
}

/** Like resolveEnvironments, plus the optional state bootstrap stack. */
export function resolveDeclaration(declaration: unknown, source = "cdktf.json"): Declaration {
  const problems = new Problems();
  const root = `context.${CONTEXT_KEY}`;
  if (declaration === undefined) {
    problems.add(root, "missing; declare at least one environment under context.connectEncryption.environments");
    problems.throwIfAny(source);
  }
  // The schema and the structural checks first: a problem is then reported once, where it was written.
  for (const problem of structuralProblems(declaration, root)) problems.addLine(problem);
  problems.throwIfAny(source);
  for (const problem of schemaProblems(declaration, root)) problems.addLine(problem);
  problems.throwIfAny(source);
  const top = readObject(problems, root, declaration, TOP_FIELDS);
  if (!top) {
    problems.throwIfAny(source);
    return { environments: [] };
  }
  const defaults = readObject(problems, `${root}.defaults`, top.defaults ?? {}, ENVIRONMENT_FIELDS) ?? {};
  const environments = top.environments;
  if (!isPlainObject(environments) || Object.keys(environments).length === 0) {
    problems.add(`${root}.environments`, `${show(environments)} declares no environment; declare at least one, e.g. { "dev": { ... } }`);
    problems.throwIfAny(source);
    return { environments: [] };
  }
  const resolved: EnvironmentSettings[] = [];
  for (const name of Object.keys(environments).sort()) {
    const path = `${root}.environments.${name}`;
    if (!ENVIRONMENT_NAME.test(name) || RESERVED_ENVIRONMENT_NAMES.has(name)) {
      problems.add(
        path,
        `environment name ${show(name)} is not allowed; allowed: a lowercase letter then up to 15 lowercase letters or digits, except ${[...RESERVED_ENVIRONMENT_NAMES].join(", ")}`,
      );
      continue;
    }
    const overrides = readObject(problems, path, environments[name], ENVIRONMENT_FIELDS);
    if (!overrides) continue;
    const settings = resolveEnvironment(problems, name, defaults, overrides, root);
    if (settings) resolved.push(settings);
  }
  checkDistinctStates(problems, root, resolved);
  const stateBootstrap =
    top.stateBootstrap === undefined ? undefined : resolveBootstrap(problems, `${root}.stateBootstrap`, top.stateBootstrap, resolved);
  checkConflicts(problems, declaration, root, { environments: resolved, stateBootstrap });
  problems.throwIfAny(source);
  return { environments: resolved, stateBootstrap };
}

/**
 * Narrows a declaration to the named environments (`state` = the bootstrap
 * stack); no names = everything.
 */
export function selectStacks(declaration: Declaration, names: readonly string[], source = "cdktf.json"): Declaration {
  if (names.length === 0) return declaration;
  const known = declaration.environments.map((e) => e.name);
  const problems = new Problems();
  for (const name of names) {
    if (!known.includes(name) && !(name === "state" && declaration.stateBootstrap)) {
      problems.add(
        "environment selection",
        `${show(name)} is not a declared environment; declared: ${[...known, ...(declaration.stateBootstrap ? ["state"] : [])].join(", ")}`,
      );
    }
  }
  problems.throwIfAny(source);
  return {
    environments: declaration.environments.filter((e) => names.includes(e.name)),
    stateBootstrap: names.includes("state") ? declaration.stateBootstrap : undefined,
  };
}

function resolveBootstrap(
  problems: Problems,
  path: string,
  value: unknown,
  environments: readonly EnvironmentSettings[],
): StateBootstrapSettings | undefined {
  const raw = readObject(problems, path, value, BOOTSTRAP_FIELDS);
  if (!raw) return undefined;
  for (const field of ["region", "bucket"]) {
    if (raw[field] === undefined) problems.add(`${path}.${field}`, `missing; the state bootstrap needs ${field}`);
  }
  const region = readEnum(problems, `${path}.region`, raw.region, AWS_REGIONS);
  const accountId = readString(problems, `${path}.accountId`, raw.accountId, ACCOUNT_ID, "a 12-digit AWS account ID, as a string");
  const assumeRoleArn = readString(problems, `${path}.assumeRoleArn`, raw.assumeRoleArn, ROLE_ARN, "an IAM role ARN");
  const bucket = readString(problems, `${path}.bucket`, raw.bucket, BUCKET_NAME, "3-63 lowercase letters, digits or hyphens");
  if (bucket !== undefined) {
    const companions = stateCompanionBuckets(bucket);
    const longest = raw.replicaRegion === undefined ? companions.logs : companions.replicaLogs;
    if (longest.length > 63) {
      problems.add(
        `${path}.bucket`,
        `${show(bucket)} has ${bucket.length} characters; at most ${63 - (longest.length - bucket.length)}, so that ${longest} stays within S3's 63`,
      );
    }
  }
  const alias = readString(problems, `${path}.keyAlias`, raw.keyAlias, KMS_ALIAS, "a KMS alias such as alias/connect-encryption-state");
  const keyAlias = `alias/${(alias ?? "connect-encryption-state").replace(/^alias\//, "")}`;
  const replicaRegion = readEnum(problems, `${path}.replicaRegion`, raw.replicaRegion, AWS_REGIONS);
  if (replicaRegion !== undefined && replicaRegion === region) {
    problems.add(
      `${path}.replicaRegion`,
      `${show(replicaRegion)} is the state's own Region; a disaster-recovery copy needs another Region`,
    );
  }
  const tags =
    readStringMap(problems, `${path}.tags`, raw.tags, TAG_KEY, TAG_VALUE, "tag keys of 1-128 and values of 0-256 characters") ?? {};
  if (!region || !bucket) return undefined;
  for (const environment of environments) {
    const state = environment.state;
    if (state.backend !== "s3" || state.bucket !== bucket) continue;
    const envPath = `context.${CONTEXT_KEY}.environments.${environment.name}.state`;
    if (state.region !== region) {
      problems.add(
        `${envPath}.region`,
        `${show(state.region)} differs from the state bootstrap's Region ${show(region)} for bucket ${bucket}`,
      );
    }
    if (state.kmsKeyId.includes(":alias/") && !state.kmsKeyId.endsWith(`:${keyAlias}`)) {
      problems.add(
        `${envPath}.kmsKeyId`,
        `${show(state.kmsKeyId)} names another alias than the state key the bootstrap creates (${keyAlias})`,
      );
    }
    if (accountId !== undefined && !state.kmsKeyId.includes(`:${accountId}:`)) {
      problems.add(`${envPath}.kmsKeyId`, `${show(state.kmsKeyId)} is not in the state bootstrap's account ${accountId}`);
    }
  }
  const warnings: string[] = [];
  const root = path.replace(/\.stateBootstrap$/, "");
  const hcpTerraform = resolveHcpTerraform(problems, root, raw.hcpTerraform, { accountId }, environments, warnings);
  return {
    stackName: STATE_BOOTSTRAP_STACK,
    region,
    accountId,
    assumeRoleArn,
    bucket,
    keyAlias,
    replicaRegion,
    tags,
    ...(hcpTerraform ? { hcpTerraform } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

function mergeSettings(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const existing = merged[key];
    const discriminator = REPLACED_WHEN_CHANGED[key];
    const changedKind =
      discriminator !== undefined &&
      isPlainObject(existing) &&
      isPlainObject(value) &&
      value[discriminator] !== undefined &&
      value[discriminator] !== existing[discriminator];
    merged[key] =
      isPlainObject(existing) && isPlainObject(value) && !REPLACED_NOT_MERGED.has(key) && !changedKind
        ? mergeSettings(existing, value)
        : value;
  }
  return merged;
}

/**
 * One environment: the defaults merged with its own settings, resolved section
 * by section in a fixed order (the order its problems are reported in);
 * undefined when any problem was found.
 */
function resolveEnvironment(
  problems: Problems,
  name: string,
  defaults: Record<string, unknown>,
  overrides: Record<string, unknown>,
  root: string,
): EnvironmentSettings | undefined {
  const merged = mergeSettings(defaults, overrides);
  const at = environmentLocator(root, name, defaults, overrides);
  const before = problems.all.length;

  const warnings: string[] = [];
  const { region, accountId, assumeRoleArn } = resolveTarget(problems, at, merged, warnings);
  const stackName = `${STACK_NAME_PREFIX}-${name}`;
  const state = resolveState(problems, at, merged.state, { environment: name, stackName, regions: AWS_REGIONS }, warnings);
  const { namePrefix, tags } = resolveNaming(problems, at, merged);
  const key = resolveKey(problems, at, merged.key, namePrefix, name);
  const bucket = resolveBucket(problems, at, merged.bucket, region);
  const alerts = resolveAlerts(problems, at, merged.alerts);
  const customerProfiles = resolveCustomerProfiles(problems, at, merged.customerProfiles);
  const instance = resolveInstance(problems, at, merged.instance, region, accountId);
  const storage = resolveStorage(problems, at, merged.storage, merged.streams, `${namePrefix}-${name}`);
  if (instance?.kind === "adopt") {
    const declaredTypes = [...storage.s3, ...storage.streaming].map((entry) => entry.type);
    warnings.push(...adoptionWarnings(name, at, instance.existingAssociations, declaredTypes));
  }
  if (bucket.name === undefined && region !== undefined) checkDefaultBucketName(problems, at, namePrefix, name, region);

  if (problems.all.length > before || !region || !key || !instance || !state) return undefined;
  return {
    name,
    stackName,
    region,
    accountId,
    assumeRoleArn,
    state,
    namePrefix,
    tags,
    key,
    bucket,
    instance,
    s3Storage: storage.s3,
    streamingStorage: storage.streaming,
    streamConsumerArns: storage.streamConsumerArns,
    attachmentOrigins: storage.attachmentOrigins,
    alerts,
    customerProfiles,
    warnings: [...warnings, ...storage.warnings],
  };
}

/**
 * Where a setting of the environment was written, for its problems: the
 * environment, or the defaults when only they set it (an instance is never
 * inherited, so its problems always belong to the environment).
 */
function environmentLocator(root: string, name: string, defaults: Record<string, unknown>, overrides: Record<string, unknown>): At {
  return (...segments: string[]): string => {
    const lookup = (node: unknown): unknown =>
      segments.reduce((value, segment) => (isPlainObject(value) ? value[segment] : undefined), node);
    const fromDefaults = lookup(overrides) === undefined && lookup(defaults) !== undefined && segments[0] !== "instance";
    return [fromDefaults ? `${root}.defaults` : `${root}.environments.${name}`, ...segments].join(".");
  };
}

/** Where the environment is deployed: its Region (warned about where Connect is not known to run), account and role. */
function resolveTarget(
  problems: Problems,
  at: At,
  merged: Record<string, unknown>,
  warnings: string[],
): { region?: string; accountId?: string; assumeRoleArn?: string } {
  const region = readEnum(problems, at("region"), merged.region, AWS_REGIONS);
  if (merged.region === undefined) problems.add(at("region"), 'missing; set the AWS Region, e.g. "eu-west-2"');
  if (region !== undefined && !CONNECT_REGIONS.includes(region)) {
    warnings.push(`${at("region")}: Amazon Connect is not known to run in ${region}; check the AWS Regional services list`);
  }
  const accountId = readString(problems, at("accountId"), merged.accountId, ACCOUNT_ID, "a 12-digit AWS account ID, as a string");
  const assumeRoleArn = readString(
    problems,
    at("assumeRoleArn"),
    merged.assumeRoleArn,
    ROLE_ARN,
    "an IAM role ARN such as arn:aws:iam::111122223333:role/ConnectDeployer",
  );
  return { region, accountId, assumeRoleArn };
}

/** The leading part of every name (with its default) and the tags on every resource. */
function resolveNaming(problems: Problems, at: At, merged: Record<string, unknown>): { namePrefix: string; tags: Record<string, string> } {
  const namePrefix =
    readString(
      problems,
      at("namePrefix"),
      merged.namePrefix,
      NAME_PREFIX,
      "1-24 lowercase letters, digits or hyphens, not starting or ending with a hyphen",
    ) ?? DEFAULT_NAME_PREFIX;
  const tags =
    readStringMap(
      problems,
      at("tags"),
      merged.tags,
      TAG_KEY,
      TAG_VALUE,
      "tag keys of 1-128 and values of 0-256 letters, digits, spaces or _.:/=+-@, keys not starting with aws:",
    ) ?? {};
  return { namePrefix, tags };
}

/** The default bucket name <namePrefix>-<environment>-<account>-<region> must fit S3's 63 characters. */
function checkDefaultBucketName(problems: Problems, at: At, namePrefix: string, name: string, region: string): void {
  const length = `${namePrefix}-${name}-${"0".repeat(12)}-${region}`.length;
  if (length > 63) {
    problems.add(
      at("namePrefix"),
      `${show(namePrefix)} makes the default bucket name <namePrefix>-${name}-<account>-${region} ${length} characters long; S3 allows 63: shorten namePrefix or set bucket.name`,
    );
  }
}

function resolveKey(problems: Problems, at: At, value: unknown, namePrefix: string, envName: string): KeySettings | undefined {
  const raw = readObject(problems, at("key"), value, KEY_FIELDS) ?? {};
  const alias = readString(
    problems,
    at("key", "alias"),
    raw.alias,
    KMS_ALIAS,
    'letters, digits, _, / or -, optionally starting with alias/, not starting with aws/ (e.g. "alias/connect-prod")',
  );
  const rotationPeriodInDays =
    readInteger(problems, at("key", "rotationPeriodInDays"), raw.rotationPeriodInDays, 90, 2560, "days") ?? DEFAULT_ROTATION_DAYS;
  const deletionWindowInDays =
    readInteger(problems, at("key", "deletionWindowInDays"), raw.deletionWindowInDays, 7, 30, "days") ?? DEFAULT_DELETION_WINDOW_DAYS;
  const description = readString(
    problems,
    at("key", "description"),
    raw.description,
    /^[^\u0000-\u001f]{0,8192}$/,
    "up to 8192 printable characters",
  );
  const arns = "IAM role or user ARNs such as arn:aws:iam::123456789012:role/ConnectKeyAdmin";
  const administratorArns = readStringList(problems, at("key", "administratorArns"), raw.administratorArns, IAM_PRINCIPAL_ARN, arns) ?? [];
  const userArns = readStringList(problems, at("key", "userArns"), raw.userArns, IAM_PRINCIPAL_ARN, arns) ?? [];
  const deployerArns = readStringList(problems, at("key", "deployerArns"), raw.deployerArns, IAM_PRINCIPAL_ARN, arns);
  if (deployerArns !== undefined && deployerArns.length === 0) {
    problems.add(
      at("key", "deployerArns"),
      "is empty; list the role(s) that run Terraform, or omit the field to use the role that runs it",
    );
  }
  const auditorArns = readStringList(problems, at("key", "auditorArns"), raw.auditorArns, IAM_PRINCIPAL_ARN, arns) ?? [];
  const consumerArns = readStringList(problems, at("key", "consumerArns"), raw.consumerArns, IAM_PRINCIPAL_ARN, arns) ?? [];
  const allowAccountRoot = readBoolean(problems, at("key", "allowAccountRoot"), raw.allowAccountRoot) ?? true;
  if (!allowAccountRoot) {
    // Without the root statement only named principals can manage the key, and
    // KMS refuses a policy that its creator could not change afterwards.
    if (administratorArns.length === 0) {
      problems.add(
        at("key", "allowAccountRoot"),
        "false would lock everyone out: name key.administratorArns first (they then manage the key instead of the account root)",
      );
    } else if (deployerArns === undefined) {
      problems.add(
        at("key", "deployerArns"),
        "missing; with allowAccountRoot false, name the role(s) that run Terraform and list them in administratorArns too, so Terraform can still manage the key",
      );
    } else {
      for (const deployer of deployerArns.filter((d) => !administratorArns.includes(d))) {
        problems.add(
          at("key", "administratorArns"),
          `does not list the deployer ${deployer}; with allowAccountRoot false, KMS refuses a key policy that the principal applying it could not change afterwards`,
        );
      }
    }
  }
  const aliasBody = alias === undefined ? `${namePrefix}-${envName}-connect` : alias.replace(/^alias\//, "");
  return {
    aliasName: `alias/${aliasBody}`,
    description: description ?? `Amazon Connect customer content (${envName}): recordings, transcripts, attachments and streams`,
    rotationPeriodInDays,
    deletionWindowInDays,
    administratorArns,
    userArns,
    deployerArns,
    auditorArns,
    consumerArns,
    allowAccountRoot,
  };
}

function resolveBucket(problems: Problems, at: At, value: unknown, region: string | undefined): BucketSettings {
  const raw = readObject(problems, at("bucket"), value, BUCKET_CONTROL_FIELDS) ?? {};
  const name = readString(
    problems,
    at("bucket", "name"),
    raw.name,
    BUCKET_NAME,
    "3-63 lowercase letters, digits or hyphens, starting and ending with a letter or digit (dots are refused: they break TLS to virtual-hosted endpoints)",
  );
  return { name, ...resolveBucketControls(problems, at, raw, region) };
}

function resolveInstance(
  problems: Problems,
  at: At,
  value: unknown,
  region: string | undefined,
  accountId: string | undefined,
): InstanceSettings | undefined {
  if (value === undefined) {
    problems.add(at("instance"), "missing; set either instance.create (a new instance) or instance.adopt (an existing one)");
    return undefined;
  }
  const raw = readObject(problems, at("instance"), value, INSTANCE_FIELDS);
  if (!raw) return undefined;
  if ((raw.create === undefined) === (raw.adopt === undefined)) {
    problems.add(at("instance"), "set exactly one of create (a new instance) or adopt (an existing one)");
    return undefined;
  }
  if (raw.adopt !== undefined) return resolveAdoption(problems, at, raw.adopt, region, accountId);

  const create = readObject(problems, at("instance", "create"), raw.create, CREATE_FIELDS);
  if (!create) return undefined;
  const alias = readString(
    problems,
    at("instance", "create", "alias"),
    create.alias,
    INSTANCE_ALIAS,
    "1-45 letters, digits or hyphens, starting and ending with a letter or digit, not starting with d- (Connect's CreateInstance rule)",
  );
  if (create.alias === undefined) problems.add(at("instance", "create", "alias"), "missing; Connect needs an instance alias");
  const identityManagementType =
    readEnum(problems, at("instance", "create", "identityManagementType"), create.identityManagementType, IDENTITY_MANAGEMENT_TYPES) ??
    "CONNECT_MANAGED";
  const directoryId = readString(
    problems,
    at("instance", "create", "directoryId"),
    create.directoryId,
    DIRECTORY_ID,
    "an AWS Directory Service ID such as d-1234567890",
  );
  if (identityManagementType === "EXISTING_DIRECTORY" && create.directoryId === undefined) {
    problems.add(at("instance", "create", "directoryId"), "missing; EXISTING_DIRECTORY needs the directory's ID");
  }
  if (identityManagementType !== "EXISTING_DIRECTORY" && create.directoryId !== undefined) {
    problems.add(
      at("instance", "create", "directoryId"),
      `only allowed with identityManagementType EXISTING_DIRECTORY, not ${identityManagementType}`,
    );
  }
  const flag = (field: string, fallback: boolean): boolean =>
    readBoolean(problems, at("instance", "create", field), create[field]) ?? fallback;
  if (!alias) return undefined;
  return {
    kind: "create",
    alias,
    identityManagementType,
    directoryId,
    inboundCallsEnabled: flag("inboundCallsEnabled", true),
    outboundCallsEnabled: flag("outboundCallsEnabled", true),
    contactFlowLogsEnabled: flag("contactFlowLogsEnabled", true),
    contactLensEnabled: flag("contactLensEnabled", true),
    preventDestroy: flag("preventDestroy", true),
  };
}

function resolveAdoption(
  problems: Problems,
  at: At,
  value: unknown,
  region: string | undefined,
  accountId: string | undefined,
): AdoptedInstanceSettings | undefined {
  const adopt = readObject(problems, at("instance", "adopt"), value, ADOPT_FIELDS);
  if (!adopt) return undefined;
  const path = at("instance", "adopt", "instance");
  const given = adopt.instance;
  const existingAssociations = readExistingAssociations(
    problems,
    at("instance", "adopt", "existingAssociations"),
    adopt.existingAssociations,
  );
  if (typeof given === "string" && INSTANCE_ID.test(given)) return { kind: "adopt", instanceId: given, existingAssociations };
  const arn = typeof given === "string" ? INSTANCE_ARN.exec(given) : null;
  if (arn) {
    if (region !== undefined && arn[1] !== region) {
      problems.add(
        path,
        `the instance ARN is in Region ${arn[1]} but this environment deploys to ${region}; storage configs must be in the instance's Region`,
      );
      return undefined;
    }
    if (accountId !== undefined && arn[2] !== accountId) {
      problems.add(path, `the instance ARN is in account ${arn[2]} but this environment deploys to account ${accountId}`);
      return undefined;
    }
    return { kind: "adopt", instanceId: arn[3], existingAssociations };
  }
  problems.add(
    path,
    `${given === undefined ? "missing" : `${show(given)} is neither an instance ID nor an instance ARN`}; allowed: an instance ID (a lowercase UUID such as 11111111-2222-3333-4444-555555555555) or an ARN such as arn:aws:connect:eu-west-2:123456789012:instance/11111111-2222-3333-4444-555555555555`,
  );
  return undefined;
}
