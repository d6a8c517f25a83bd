/**
 * Where each environment keeps its Terraform state: a local file (default),
 * an S3 bucket (encrypted, S3-native locking), or HCP Terraform / Terraform
 * Cloud workspaces.
 */
import type { EnvironmentInput } from "./config-schema";
import { At, Problems, show } from "./validation";

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

/** `state` as the schema accepts it. */
type StateInput = NonNullable<EnvironmentInput["state"]>;

export interface StateContext {
  readonly environment: string;
  readonly stackName: string;
}

export function resolveState(
  problems: Problems,
  at: At,
  raw: StateInput | undefined,
  context: StateContext,
  warnings: string[],
): StateSettings | undefined {
  if (raw === undefined) return { backend: "local" };
  const backend = raw.backend ?? "local";
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
function requireFields(problems: Problems, at: At, raw: StateInput, backend: string, fields: readonly (keyof StateInput)[]): void {
  for (const field of fields) {
    if (raw[field] === undefined) problems.add(at("state", field), `missing; the ${backend} backend needs ${field}`);
  }
}

/** An S3 bucket and key, encrypted with a KMS key; a DynamoDB table only while migrating to S3-native locking. */
function resolveS3State(
  problems: Problems,
  at: At,
  raw: StateInput,
  context: StateContext,
  warnings: string[],
): S3StateSettings | undefined {
  requireFields(problems, at, raw, "s3", ["bucket", "region", "kmsKeyId"]);
  const { bucket, region, kmsKeyId, workspaceKeyPrefix, dynamodbTable } = raw;
  const key = raw.key ?? `connect-encryption/${context.environment}/terraform.tfstate`;
  if (dynamodbTable) {
    warnings.push(
      `${at("state", "dynamodbTable")}: DynamoDB locking is deprecated since Terraform 1.11; S3-native locking (use_lockfile) is on as well, so remove the table once every runner uses Terraform >= 1.10`,
    );
  }
  if (!bucket || !region || !kmsKeyId) return undefined;
  return { backend: "s3", bucket, key, region, kmsKeyId, workspaceKeyPrefix, dynamodbTable };
}

/** An HCP Terraform organization and one workspace by name (default: the stack's) or the workspaces with given tags. */
function resolveCloudState(problems: Problems, at: At, raw: StateInput, context: StateContext): CloudStateSettings | undefined {
  requireFields(problems, at, raw, "cloud", ["organization"]);
  const { organization, project } = raw;
  const hostname = raw.hostname ?? "app.terraform.io";
  if (raw.workspace !== undefined && raw.workspaceTags !== undefined) {
    problems.add(at("state"), "set workspace (one workspace by name) or workspaceTags (workspaces by tag), not both");
    return undefined;
  }
  const tags = raw.workspaceTags;
  if (tags !== undefined && tags.length === 0) problems.add(at("state", "workspaceTags"), "is empty; name at least one tag");
  const name = raw.workspace ?? context.stackName;
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
