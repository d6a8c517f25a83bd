/**
 * Where each environment keeps its Terraform state: a local file (default),
 * an S3 bucket (encrypted, S3-native locking), or HCP Terraform / Terraform
 * Cloud workspaces.
 */
import { At, Problems, readEnum, readObject, readString, readStringList, show } from "./validation";

export const STATE_BACKENDS = ["local", "s3", "cloud"] as const;

export interface LocalStateSettings {
  readonly backend: "local";
}

export interface S3StateSettings {
  readonly backend: "s3";
  readonly bucket: string;
  /** Object key of this environment's state. */
  readonly key: string;
  readonly region: string;
  /** Key (or alias) ARN that encrypts state and lock files. */
  readonly kmsKeyId: string;
  /** Prefix for non-default workspaces. */
  readonly workspaceKeyPrefix?: string;
  /** Legacy DynamoDB locking, kept only while migrating to `use_lockfile`. */
  readonly dynamodbTable?: string;
}

export interface CloudStateSettings {
  readonly backend: "cloud";
  readonly organization: string;
  readonly hostname: string;
  /** One workspace by name, or the workspaces that carry all of these tags (optionally within a project). */
  readonly workspace:
    { readonly name: string; readonly project?: string } | { readonly tags: readonly string[]; readonly project?: string };
}

export type StateSettings = LocalStateSettings | S3StateSettings | CloudStateSettings;

const FIELDS: Record<(typeof STATE_BACKENDS)[number], readonly string[]> = {
  local: ["backend"],
  s3: ["backend", "bucket", "key", "region", "kmsKeyId", "workspaceKeyPrefix", "dynamodbTable"],
  cloud: ["backend", "organization", "hostname", "workspace", "workspaceTags", "project"],
};

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const STATE_KEY = /^(?!\/)[A-Za-z0-9!_.*'()/=-]{1,1024}$/;
const KMS_KEY_OR_ALIAS_ARN = /^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:\d{12}:(key\/[0-9a-f-]{36}|key\/mrk-[0-9a-f]{32}|alias\/[A-Za-z0-9/_-]+)$/;
const DYNAMODB_TABLE = /^[A-Za-z0-9_.-]{3,255}$/;
const ORGANIZATION = /^[A-Za-z0-9_-]{1,40}$/;
const HOSTNAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;
const WORKSPACE = /^[A-Za-z0-9_-]{1,90}$/;
const TAG = /^[A-Za-z0-9_:-]{1,255}$/;
const PROJECT = /^[A-Za-z0-9 _-]{1,40}$/;

export interface StateContext {
  readonly environment: string;
  readonly stackName: string;
  readonly regions: readonly string[];
}

export function resolveState(
  problems: Problems,
  at: At,
  value: unknown,
  context: StateContext,
  warnings: string[],
): StateSettings | undefined {
  if (value === undefined) return { backend: "local" };
  const raw = readObject(problems, at("state"), value, [...new Set(Object.values(FIELDS).flat())]);
  if (!raw) return undefined;
  const backend = readEnum(problems, at("state", "backend"), raw.backend ?? "local", STATE_BACKENDS);
  if (!backend) return undefined;
  for (const field of Object.keys(raw)) {
    if (!FIELDS[backend].includes(field)) {
      problems.add(at("state", field), `does not apply to backend ${backend}; fields for ${backend}: ${FIELDS[backend].join(", ")}`);
    }
  }
  switch (backend) {
    case "local":
      return { backend };
    case "s3":
      return resolveS3State(problems, at, raw, context, warnings);
    case "cloud":
      return resolveCloudState(problems, at, raw, context);
  }
}

/** Reports each of `fields` the backend needs but the declaration leaves out. */
function requireFields(problems: Problems, at: At, raw: Record<string, unknown>, backend: string, fields: readonly string[]): void {
  for (const field of fields) {
    if (raw[field] === undefined) problems.add(at("state", field), `missing; the ${backend} backend needs ${field}`);
  }
}

/** An S3 bucket and key, encrypted with a KMS key; a DynamoDB table only while migrating to S3-native locking. */
function resolveS3State(
  problems: Problems,
  at: At,
  raw: Record<string, unknown>,
  context: StateContext,
  warnings: string[],
): S3StateSettings | undefined {
  requireFields(problems, at, raw, "s3", ["bucket", "region", "kmsKeyId"]);
  const bucket = readString(
    problems,
    at("state", "bucket"),
    raw.bucket,
    BUCKET,
    "an S3 bucket name (3-63 lowercase letters, digits, . or -)",
  );
  const region = readEnum(problems, at("state", "region"), raw.region, context.regions);
  const kmsKeyId = readString(
    problems,
    at("state", "kmsKeyId"),
    raw.kmsKeyId,
    KMS_KEY_OR_ALIAS_ARN,
    "a KMS key ARN or alias ARN, e.g. arn:aws:kms:eu-west-2:111122223333:alias/connect-encryption-state",
  );
  const key =
    readString(problems, at("state", "key"), raw.key, STATE_KEY, "an object key without a leading /, up to 1024 characters") ??
    `connect-encryption/${context.environment}/terraform.tfstate`;
  const workspaceKeyPrefix = readString(
    problems,
    at("state", "workspaceKeyPrefix"),
    raw.workspaceKeyPrefix,
    STATE_KEY,
    "an object key prefix without a leading /",
  );
  const dynamodbTable = readString(problems, at("state", "dynamodbTable"), raw.dynamodbTable, DYNAMODB_TABLE, "a DynamoDB table name");
  if (dynamodbTable) {
    warnings.push(
      `${at("state", "dynamodbTable")}: DynamoDB locking is deprecated since Terraform 1.11; S3-native locking (use_lockfile) is on as well, so remove the table once every runner uses Terraform >= 1.10`,
    );
  }
  if (!bucket || !region || !kmsKeyId) return undefined;
  return { backend: "s3", bucket, key, region, kmsKeyId, workspaceKeyPrefix, dynamodbTable };
}

/** An HCP Terraform organization and one workspace by name (default: the stack's) or the workspaces with given tags. */
function resolveCloudState(
  problems: Problems,
  at: At,
  raw: Record<string, unknown>,
  context: StateContext,
): CloudStateSettings | undefined {
  requireFields(problems, at, raw, "cloud", ["organization"]);
  const organization = readString(
    problems,
    at("state", "organization"),
    raw.organization,
    ORGANIZATION,
    "an HCP Terraform organization name",
  );
  const hostname =
    readString(problems, at("state", "hostname"), raw.hostname, HOSTNAME, "a host name such as app.terraform.io") ?? "app.terraform.io";
  const project = readString(problems, at("state", "project"), raw.project, PROJECT, "an HCP Terraform project name");
  if (raw.workspace !== undefined && raw.workspaceTags !== undefined) {
    problems.add(at("state"), "set workspace (one workspace by name) or workspaceTags (workspaces by tag), not both");
    return undefined;
  }
  const tags = readStringList(problems, at("state", "workspaceTags"), raw.workspaceTags, TAG, "workspace tags (letters, digits, _ : -)");
  if (tags !== undefined && tags.length === 0) problems.add(at("state", "workspaceTags"), "is empty; name at least one tag");
  const name =
    readString(problems, at("state", "workspace"), raw.workspace, WORKSPACE, "a workspace name (letters, digits, _ or -)") ??
    context.stackName;
  if (!organization) return undefined;
  return { backend: "cloud", organization, hostname, workspace: tags ? { tags, project } : { name, project } };
}

/** A human-readable identity of where state lives; two environments must never share one. */
export function stateLocation(state: StateSettings, stackName: string): string {
  switch (state.backend) {
    case "local":
      return `local:terraform.${stackName}.tfstate`;
    case "s3":
      return `s3://${state.bucket}/${state.key}`;
    case "cloud": {
      const where = `${state.hostname}/${state.organization}`;
      return "name" in state.workspace
        ? `${where} workspace ${state.workspace.name}`
        : `${where} workspaces tagged ${[...state.workspace.tags].sort().join(",")}${state.workspace.project ? ` in project ${state.workspace.project}` : ""}`;
    }
  }
}

/** Reports every pair of environments whose state would be the same. */
export function checkDistinctStates(
  problems: Problems,
  root: string,
  environments: readonly { name: string; stackName: string; state: StateSettings }[],
): void {
  const seen = new Map<string, string>();
  for (const environment of environments) {
    const location = stateLocation(environment.state, environment.stackName);
    const other = seen.get(location);
    if (other !== undefined) {
      problems.add(
        `${root}.environments.${environment.name}.state`,
        `${show(location)} is also the state of environment ${other}; each environment needs its own state (a different key, workspace or tags)`,
      );
    } else {
      seen.set(location, environment.name);
    }
  }
}
