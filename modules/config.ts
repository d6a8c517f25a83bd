/**
 * The configuration model: one declaration (cdktf.json `context.connectEncryption`)
 * with shared `defaults` and per-environment overrides, validated whole before
 * any construct is created, and resolved into one `EnvironmentSettings` per
 * environment.
 */
import { readFileSync } from "node:fs";
import { At, S3StorageSettings, StreamingStorageSettings, resolveStorage } from "./storage-settings";
import {
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
  /** Principals that associate storage configs; undefined = the IAM role that runs Terraform. */
  readonly deployerArns?: readonly string[];
}

export interface BucketSettings {
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
}

export type InstanceSettings = CreatedInstanceSettings | AdoptedInstanceSettings;

export interface EnvironmentSettings {
  /** Environment name, e.g. `dev`. */
  readonly name: string;
  /** Terraform stack name, e.g. `connect-encryption-dev`. */
  readonly stackName: string;
  readonly region: string;
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
  /** Accepted, but worth telling the user about at synth time. */
  readonly warnings: readonly string[];
}

export const STACK_NAME_PREFIX = "connect-encryption";

const DEFAULT_NAME_PREFIX = "connect";
const DEFAULT_ROTATION_DAYS = 365;
const DEFAULT_DELETION_WINDOW_DAYS = 30;

const ENVIRONMENT_NAME = /^[a-z][a-z0-9]{0,15}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d$/;
const NAME_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,22}[a-z0-9])?$/;
const KMS_ALIAS = /^(?!(alias\/)?aws\/)(alias\/)?[0-9A-Za-z_/-]{1,250}$/;
const IAM_PRINCIPAL_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/;
const BUCKET_NAME = /^(?!xn--)(?!.*-s3alias$)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
// Connect: 1-64 chars of alphanumerics and hyphens, starting with an alphanumeric, not `d-`.
const INSTANCE_ALIAS = /^(?!d-)[0-9A-Za-z][0-9A-Za-z-]{1,63}$/;
const DIRECTORY_ID = /^d-[0-9a-f]{10}$/;
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const INSTANCE_ID = new RegExp(`^${UUID}$`);
const INSTANCE_ARN = new RegExp(`^arn:aws(?:-[a-z]+)*:connect:([a-z0-9-]+):(\\d{12}):instance/(${UUID})$`);
const TAG_KEY = /^(?!aws:)[\p{L}\p{N}\s_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{N}\s_.:/=+\-@]{0,256}$/u;

const TOP_FIELDS = ["defaults", "environments"];
const ENVIRONMENT_FIELDS = ["region", "namePrefix", "tags", "key", "bucket", "instance", "storage", "streams"];
const KEY_FIELDS = [
  "alias",
  "description",
  "rotationPeriodInDays",
  "deletionWindowInDays",
  "administratorArns",
  "userArns",
  "deployerArns",
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
const ADOPT_FIELDS = ["instance"];

/** Fields that an environment replaces whole instead of merging into the defaults. */
const REPLACED_NOT_MERGED = new Set(["instance"]);

/** Reads the declaration from a cdktf.json file. */
export function readDeclaration(cdktfJsonPath: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(cdktfJsonPath, "utf8"));
  } catch (error) {
    const problems = new Problems();
    problems.add(cdktfJsonPath, `cannot be read as JSON (${(error as Error).message})`);
    problems.throwIfAny(cdktfJsonPath);
  }
  const context = isPlainObject(parsed) ? parsed.context : undefined;
  return isPlainObject(context) ? context[CONTEXT_KEY] : undefined;
}

/**
 * Validates the whole declaration and resolves each environment. Throws a
 * ConfigError listing every problem; returns only when all are valid.
 */
export function resolveEnvironments(declaration: unknown, source = "cdktf.json"): EnvironmentSettings[] {
  const problems = new Problems();
  const root = `context.${CONTEXT_KEY}`;
  if (declaration === undefined) {
    problems.add(root, "missing; declare at least one environment under context.connectEncryption.environments");
    problems.throwIfAny(source);
  }
  const top = readObject(problems, root, declaration, TOP_FIELDS);
  if (!top) {
    problems.throwIfAny(source);
    return [];
  }
  const defaults = readObject(problems, `${root}.defaults`, top.defaults ?? {}, ENVIRONMENT_FIELDS) ?? {};
  const environments = top.environments;
  if (!isPlainObject(environments) || Object.keys(environments).length === 0) {
    problems.add(`${root}.environments`, `${show(environments)} declares no environment; declare at least one, e.g. { "dev": { ... } }`);
    problems.throwIfAny(source);
    return [];
  }
  const resolved: EnvironmentSettings[] = [];
  for (const name of Object.keys(environments).sort()) {
    const path = `${root}.environments.${name}`;
    if (!ENVIRONMENT_NAME.test(name)) {
      problems.add(path, `environment name ${show(name)} is not allowed; allowed: a lowercase letter then up to 15 lowercase letters or digits`);
      continue;
    }
    const overrides = readObject(problems, path, environments[name], ENVIRONMENT_FIELDS);
    if (!overrides) continue;
    const settings = resolveEnvironment(problems, name, defaults, overrides, root);
    if (settings) resolved.push(settings);
  }
  problems.throwIfAny(source);
  return resolved;
}

function mergeSettings(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const existing = merged[key];
    merged[key] =
      isPlainObject(existing) && isPlainObject(value) && !REPLACED_NOT_MERGED.has(key)
        ? mergeSettings(existing, value)
        : value;
  }
  return merged;
}

function resolveEnvironment(
  problems: Problems,
  name: string,
  defaults: Record<string, unknown>,
  overrides: Record<string, unknown>,
  root: string,
): EnvironmentSettings | undefined {
  const merged = mergeSettings(defaults, overrides);
  // A problem is reported where its value was written: the environment, or the defaults.
  const at = (...segments: string[]): string => {
    const lookup = (node: unknown): unknown =>
      segments.reduce((value, segment) => (isPlainObject(value) ? value[segment] : undefined), node);
    const fromDefaults = lookup(overrides) === undefined && lookup(defaults) !== undefined && segments[0] !== "instance";
    return [fromDefaults ? `${root}.defaults` : `${root}.environments.${name}`, ...segments].join(".");
  };
  const before = problems.all.length;

  const region = readString(problems, at("region"), merged.region, REGION, "an AWS Region code such as eu-west-2");
  if (merged.region === undefined) problems.add(at("region"), "missing; set the AWS Region, e.g. \"eu-west-2\"");
  const namePrefix =
    readString(problems, at("namePrefix"), merged.namePrefix, NAME_PREFIX, "1-24 lowercase letters, digits or hyphens, not starting or ending with a hyphen") ??
    DEFAULT_NAME_PREFIX;
  const tags =
    readStringMap(problems, at("tags"), merged.tags, TAG_KEY, TAG_VALUE, "tag keys of 1-128 and values of 0-256 letters, digits, spaces or _.:/=+-@, keys not starting with aws:") ?? {};

  const key = resolveKey(problems, at, merged.key, namePrefix, name);
  const bucket = resolveBucket(problems, at, merged.bucket);
  const instance = resolveInstance(problems, at, merged.instance, region);
  const storage = resolveStorage(problems, at, merged.storage, merged.streams, `${namePrefix}-${name}`);

  if (bucket.name === undefined && region !== undefined) {
    const length = `${namePrefix}-${name}-${"0".repeat(12)}-${region}`.length;
    if (length > 63) {
      problems.add(
        at("namePrefix"),
        `${show(namePrefix)} makes the default bucket name <namePrefix>-${name}-<account>-${region} ${length} characters long; S3 allows 63: shorten namePrefix or set bucket.name`,
      );
    }
  }
  if (problems.all.length > before || !region || !key || !instance) return undefined;
  return {
    name,
    stackName: `${STACK_NAME_PREFIX}-${name}`,
    region,
    namePrefix,
    tags,
    key,
    bucket,
    instance,
    s3Storage: storage.s3,
    streamingStorage: storage.streaming,
    streamConsumerArns: storage.streamConsumerArns,
    warnings: storage.warnings,
  };
}

function resolveKey(problems: Problems, at: At, value: unknown, namePrefix: string, envName: string): KeySettings | undefined {
  const raw = readObject(problems, at("key"), value, KEY_FIELDS) ?? {};
  const alias = readString(
    problems,
    at("key", "alias"),
    raw.alias,
    KMS_ALIAS,
    "letters, digits, _, / or -, optionally starting with alias/, not starting with aws/ (e.g. \"alias/connect-prod\")",
  );
  const rotationPeriodInDays = readInteger(problems, at("key", "rotationPeriodInDays"), raw.rotationPeriodInDays, 90, 2560, "days") ?? DEFAULT_ROTATION_DAYS;
  const deletionWindowInDays = readInteger(problems, at("key", "deletionWindowInDays"), raw.deletionWindowInDays, 7, 30, "days") ?? DEFAULT_DELETION_WINDOW_DAYS;
  const description = readString(problems, at("key", "description"), raw.description, /^[^\u0000-\u001f]{0,8192}$/, "up to 8192 printable characters");
  const arns = "IAM role or user ARNs such as arn:aws:iam::123456789012:role/ConnectKeyAdmin";
  const administratorArns = readStringList(problems, at("key", "administratorArns"), raw.administratorArns, IAM_PRINCIPAL_ARN, arns) ?? [];
  const userArns = readStringList(problems, at("key", "userArns"), raw.userArns, IAM_PRINCIPAL_ARN, arns) ?? [];
  const deployerArns = readStringList(problems, at("key", "deployerArns"), raw.deployerArns, IAM_PRINCIPAL_ARN, arns);
  if (deployerArns !== undefined && deployerArns.length === 0) {
    problems.add(at("key", "deployerArns"), "is empty; list the role(s) that run Terraform, or omit the field to use the role that runs it");
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
  };
}

function resolveBucket(problems: Problems, at: At, value: unknown): BucketSettings {
  const raw = readObject(problems, at("bucket"), value, ["name"]) ?? {};
  const name = readString(
    problems,
    at("bucket", "name"),
    raw.name,
    BUCKET_NAME,
    "3-63 lowercase letters, digits or hyphens, starting and ending with a letter or digit (dots are refused: they break TLS to virtual-hosted endpoints)",
  );
  return { name };
}

function resolveInstance(problems: Problems, at: At, value: unknown, region: string | undefined): InstanceSettings | undefined {
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
  if (raw.adopt !== undefined) return resolveAdoption(problems, at, raw.adopt, region);

  const create = readObject(problems, at("instance", "create"), raw.create, CREATE_FIELDS);
  if (!create) return undefined;
  const alias = readString(
    problems,
    at("instance", "create", "alias"),
    create.alias,
    INSTANCE_ALIAS,
    "2-64 letters, digits or hyphens, starting with a letter or digit and not with d- (Connect's instance alias rule)",
  );
  if (create.alias === undefined) problems.add(at("instance", "create", "alias"), "missing; Connect needs an instance alias");
  const identityManagementType =
    readEnum(problems, at("instance", "create", "identityManagementType"), create.identityManagementType, IDENTITY_MANAGEMENT_TYPES) ?? "CONNECT_MANAGED";
  const directoryId = readString(problems, at("instance", "create", "directoryId"), create.directoryId, DIRECTORY_ID, "an AWS Directory Service ID such as d-1234567890");
  if (identityManagementType === "EXISTING_DIRECTORY" && create.directoryId === undefined) {
    problems.add(at("instance", "create", "directoryId"), "missing; EXISTING_DIRECTORY needs the directory's ID");
  }
  if (identityManagementType !== "EXISTING_DIRECTORY" && create.directoryId !== undefined) {
    problems.add(at("instance", "create", "directoryId"), `only allowed with identityManagementType EXISTING_DIRECTORY, not ${identityManagementType}`);
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

function resolveAdoption(problems: Problems, at: At, value: unknown, region: string | undefined): AdoptedInstanceSettings | undefined {
  const adopt = readObject(problems, at("instance", "adopt"), value, ADOPT_FIELDS);
  if (!adopt) return undefined;
  const path = at("instance", "adopt", "instance");
  const given = adopt.instance;
  if (typeof given === "string" && INSTANCE_ID.test(given)) return { kind: "adopt", instanceId: given };
  const arn = typeof given === "string" ? INSTANCE_ARN.exec(given) : null;
  if (arn) {
    if (region !== undefined && arn[1] !== region) {
      problems.add(path, `the instance ARN is in Region ${arn[1]} but this environment deploys to ${region}; storage configs must be in the instance's Region`);
      return undefined;
    }
    return { kind: "adopt", instanceId: arn[3] };
  }
  problems.add(
    path,
    `${given === undefined ? "missing" : `${show(given)} is neither an instance ID nor an instance ARN`}; allowed: an instance ID (a lowercase UUID such as 11111111-2222-3333-4444-555555555555) or an ARN such as arn:aws:connect:eu-west-2:123456789012:instance/11111111-2222-3333-4444-555555555555`,
  );
  return undefined;
}
