/**
 * The configuration model: one declaration (cdktf.json `context.connectEncryption`)
 * with shared `defaults` and per-environment overrides, validated whole before
 * any construct is created, and resolved into one `EnvironmentSettings` per
 * environment.
 */
import { readFileSync } from "node:fs";
import { parseJsonText, schemaProblems, structuralProblems } from "./config-check";
import { checkConflicts } from "./config-conflicts";
import type { DeclarationInput, EnvironmentInput, StateBootstrapInput } from "./config-schema";
import { jsonType } from "./schema-fields";
import { resolveStorage } from "./storage-settings";
import { checkDistinctStates, resolveState } from "./state-settings";
import { deployRolePlans, resolveHcpTerraform, roleArnOf } from "./hcp-terraform-settings";
import { CONNECT_REGIONS } from "./regions";
import { ExistingAssociations, adoptionWarnings } from "./adoption";
import { alertsTrailWarning, resolveAlerts, resolveBucketControls, resolveCustomerProfiles } from "./controls-settings";
import { At, Problems, Written, isPlainObject, show, writtenAt } from "./validation";
import {
  AdoptedInstanceSettings,
  BucketSettings,
  CONTEXT_KEY,
  CreatedInstanceSettings,
  Declaration,
  EnvironmentSettings,
  InstanceSettings,
  KeySettings,
  STACK_NAME_PREFIX,
  STATE_BOOTSTRAP_STACK,
  StateBootstrapSettings,
  stateCompanionBuckets,
} from "./declaration";

export * from "./declaration";

const DEFAULT_NAME_PREFIX = "connect";
const DEFAULT_ROTATION_DAYS = 365;
const DEFAULT_DELETION_WINDOW_DAYS = 30;

/** Fields that an environment replaces whole instead of merging into the defaults. */
const REPLACED_NOT_MERGED = new Set(["instance"]);
/** Fields merged only while they keep their kind: a different `backend` replaces the defaults' `state`. */
const REPLACED_WHEN_CHANGED: Record<string, string> = { state: "backend" };

/** Reads the declaration from a cdktf.json file; the file's own problems (encoding, syntax, keys written twice, top-level types) are refused here. */
export function readDeclaration(cdktfJsonPath: string): unknown {
  const problems = new Problems();
  // The bytes, not text: decoding here would turn invalid UTF-8 into U+FFFD unseen, where parseJsonText refuses it.
  let bytes = Buffer.alloc(0);
  try {
    bytes = readFileSync(cdktfJsonPath);
  } catch (error) {
    problems.add(cdktfJsonPath, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    problems.throwIfAny(cdktfJsonPath);
  }
  const parsed = parseJsonText(bytes);
  for (const problem of parsed.problems) problems.add(cdktfJsonPath, problem);
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

/** Where cdktf.json holds the declaration: the field paths of its problems start here. */
export const DECLARATION_ROOT = `context.${CONTEXT_KEY}`;

/**
 * Like resolveEnvironments, plus the optional state bootstrap stack. `root` is
 * where the declaration was written, the start of every field path a problem
 * names (the library's callers pass their declaration as an object of its own).
 */
export function resolveDeclaration(declaration: unknown, source = "cdktf.json", root = DECLARATION_ROOT): Declaration {
  const problems = new Problems();
  if (declaration === undefined) {
    problems.add(root, `missing; declare at least one environment under ${root}.environments`);
    problems.throwIfAny(source);
  }
  // The schema and the structural checks first: a problem is then reported once, where it was written.
  for (const problem of structuralProblems(declaration, root)) problems.addLine(problem);
  problems.throwIfAny(source);
  for (const problem of schemaProblems(declaration, root)) problems.addLine(problem);
  problems.throwIfAny(source);
  // The schema has accepted the declaration: every field has its type and keeps its own rule.
  const top = declaration as DeclarationInput;
  const defaults = top.defaults ?? {};
  const resolved: EnvironmentSettings[] = [];
  for (const name of Object.keys(top.environments).sort()) {
    const settings = resolveEnvironment(problems, name, defaults, top.environments[name], root);
    if (settings) resolved.push(settings);
  }
  checkDistinctStates(problems, root, resolved);
  const stateBootstrap =
    top.stateBootstrap === undefined
      ? undefined
      : resolveBootstrap(problems, root, top.stateBootstrap, resolved, writtenAt(declaration, root));
  checkConflicts(problems, declaration, root, { environments: resolved, stateBootstrap });
  problems.throwIfAny(source);
  const environments = withPlanRoles(resolved, stateBootstrap);
  return { environments, stateBootstrap };
}

/**
 * A root-less key reaches only the principals its policy names (KMS
 * developer guide, "Key policies"): an environment whose HCP Terraform plan
 * role the state bootstrap creates lets that role read its keys'
 * configuration, so that a plan can refresh them.
 */
function withPlanRoles(environments: EnvironmentSettings[], bootstrap: StateBootstrapSettings | undefined): EnvironmentSettings[] {
  const planRoles = new Map(
    deployRolePlans(bootstrap ?? {}, environments).map((plan) => [plan.environment.name, roleArnOf(plan.environment, plan.planRoleName)]),
  );
  return environments.map((environment) => {
    const arn = planRoles.get(environment.name);
    if (!arn || environment.key.allowAccountRoot) return environment;
    return { ...environment, key: { ...environment.key, readOnlyArns: [arn] } };
  });
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
  root: string,
  raw: StateBootstrapInput,
  environments: readonly EnvironmentSettings[],
  written: Written,
): StateBootstrapSettings | undefined {
  const path = `${root}.stateBootstrap`;
  if (raw.region === undefined) problems.add(`${path}.region`, "missing; the state bootstrap needs region");
  // State kept in HCP Terraform needs no bucket: the bootstrap then holds its deploy roles alone.
  if (raw.bucket === undefined && raw.hcpTerraform?.deployRoles !== true) {
    problems.add(
      `${path}.bucket`,
      "missing; the state bootstrap needs bucket (unless it creates HCP Terraform deploy roles alone: hcpTerraform.deployRoles true)",
    );
  }
  const { region, accountId, assumeRoleArn, bucket, replicaRegion } = raw;
  if (bucket !== undefined) {
    const companions = stateCompanionBuckets(bucket);
    const longest = replicaRegion === undefined ? companions.logs : companions.replicaLogs;
    if (longest.length > 63) {
      problems.add(
        `${path}.bucket`,
        `${show(bucket)} has ${bucket.length} characters; at most ${63 - (longest.length - bucket.length)}, so that ${longest} stays within S3's 63`,
      );
    }
  }
  const keyAlias = `alias/${(raw.keyAlias ?? "connect-encryption-state").replace(/^alias\//, "")}`;
  if (replicaRegion !== undefined && replicaRegion === region) {
    problems.add(
      `${path}.replicaRegion`,
      `${show(replicaRegion)} is the state's own Region; a disaster-recovery copy needs another Region`,
    );
  }
  const tags = { ...raw.tags };
  if (!region || (!bucket && raw.hcpTerraform?.deployRoles !== true)) return undefined;
  for (const environment of environments) {
    const state = environment.state;
    if (state.backend !== "s3" || state.bucket !== bucket) continue;
    const envPath = `${root}.environments.${environment.name}.state`;
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
  const hcpTerraform = resolveHcpTerraform(problems, root, raw.hcpTerraform, { accountId }, environments, warnings, written);
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
  defaults: EnvironmentInput,
  overrides: EnvironmentInput,
  root: string,
): EnvironmentSettings | undefined {
  // Both passed the schema, field by field, so their merge has the schema's types too.
  const merged = mergeSettings(defaults, overrides) as EnvironmentInput;
  const at = environmentLocator(root, name, defaults, overrides);
  const before = problems.all.length;

  const warnings: string[] = [];
  const { region, accountId, assumeRoleArn } = resolveTarget(problems, at, merged, warnings);
  const stackName = `${STACK_NAME_PREFIX}-${name}`;
  const state = resolveState(problems, at, merged.state, { environment: name, stackName }, warnings);
  const namePrefix = merged.namePrefix ?? DEFAULT_NAME_PREFIX;
  const tags = { ...merged.tags };
  const key = resolveKey(problems, at, merged.key ?? {}, namePrefix, name);
  const bucket = resolveBucket(problems, at, merged.bucket ?? {}, region);
  const alerts = resolveAlerts(problems, at, merged.alerts, key.auditorArns);
  const trailWarning = alertsTrailWarning(at, merged.alerts, alerts, name);
  if (trailWarning) warnings.push(trailWarning);
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
  merged: EnvironmentInput,
  warnings: string[],
): { region?: string; accountId?: string; assumeRoleArn?: string } {
  const { region, accountId, assumeRoleArn } = merged;
  if (region === undefined) problems.add(at("region"), 'missing; set the AWS Region, e.g. "eu-west-2"');
  if (region !== undefined && !CONNECT_REGIONS.includes(region)) {
    warnings.push(`${at("region")}: Amazon Connect is not known to run in ${region}; check the AWS Regional services list`);
  }
  return { region, accountId, assumeRoleArn };
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

function resolveKey(
  problems: Problems,
  at: At,
  raw: NonNullable<EnvironmentInput["key"]>,
  namePrefix: string,
  envName: string,
): KeySettings {
  const { alias, deployerArns } = raw;
  const administratorArns = raw.administratorArns ?? [];
  if (deployerArns !== undefined && deployerArns.length === 0) {
    problems.add(
      at("key", "deployerArns"),
      "is empty; list the role(s) that run Terraform, or omit the field to use the role that runs it",
    );
  }
  const allowAccountRoot = raw.allowAccountRoot ?? true;
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
    description: raw.description ?? `Amazon Connect customer content (${envName}): recordings, transcripts, attachments and streams`,
    rotationPeriodInDays: raw.rotationPeriodInDays ?? DEFAULT_ROTATION_DAYS,
    deletionWindowInDays: raw.deletionWindowInDays ?? DEFAULT_DELETION_WINDOW_DAYS,
    administratorArns,
    userArns: raw.userArns ?? [],
    deployerArns,
    auditorArns: raw.auditorArns ?? [],
    consumerArns: raw.consumerArns ?? [],
    allowAccountRoot,
  };
}

function resolveBucket(
  problems: Problems,
  at: At,
  raw: NonNullable<EnvironmentInput["bucket"]>,
  region: string | undefined,
): BucketSettings {
  return { name: raw.name, ...resolveBucketControls(problems, at, raw, region) };
}

function resolveInstance(
  problems: Problems,
  at: At,
  raw: EnvironmentInput["instance"],
  region: string | undefined,
  accountId: string | undefined,
): InstanceSettings | undefined {
  if (raw === undefined) {
    problems.add(at("instance"), "missing; set either instance.create (a new instance) or instance.adopt (an existing one)");
    return undefined;
  }
  if ((raw.create === undefined) === (raw.adopt === undefined)) {
    problems.add(at("instance"), "set exactly one of create (a new instance) or adopt (an existing one)");
    return undefined;
  }
  if (raw.adopt !== undefined) return resolveAdoption(problems, at, raw.adopt, region, accountId);
  return resolveCreation(problems, at, raw.create ?? {});
}

function resolveCreation(
  problems: Problems,
  at: At,
  create: NonNullable<NonNullable<EnvironmentInput["instance"]>["create"]>,
): CreatedInstanceSettings | undefined {
  const { alias, directoryId } = create;
  if (alias === undefined) problems.add(at("instance", "create", "alias"), "missing; Connect needs an instance alias");
  const identityManagementType = create.identityManagementType ?? "CONNECT_MANAGED";
  if (identityManagementType === "EXISTING_DIRECTORY" && directoryId === undefined) {
    problems.add(at("instance", "create", "directoryId"), "missing; EXISTING_DIRECTORY needs the directory's ID");
  }
  if (identityManagementType !== "EXISTING_DIRECTORY" && directoryId !== undefined) {
    problems.add(
      at("instance", "create", "directoryId"),
      `only allowed with identityManagementType EXISTING_DIRECTORY, not ${identityManagementType}`,
    );
  }
  if (!alias) return undefined;
  return {
    kind: "create",
    alias,
    identityManagementType,
    directoryId,
    inboundCallsEnabled: create.inboundCallsEnabled ?? true,
    outboundCallsEnabled: create.outboundCallsEnabled ?? true,
    contactFlowLogsEnabled: create.contactFlowLogsEnabled ?? true,
    contactLensEnabled: create.contactLensEnabled ?? true,
    preventDestroy: create.preventDestroy ?? true,
  };
}

/** An existing instance by ID, or by ARN (which the schema accepts only as arn:<partition>:connect:<region>:<account>:instance/<id>). */
function resolveAdoption(
  problems: Problems,
  at: At,
  adopt: NonNullable<NonNullable<EnvironmentInput["instance"]>["adopt"]>,
  region: string | undefined,
  accountId: string | undefined,
): AdoptedInstanceSettings | undefined {
  const path = at("instance", "adopt", "instance");
  const given = adopt.instance;
  const existingAssociations: ExistingAssociations | undefined = adopt.existingAssociations;
  if (given === undefined) {
    problems.add(
      path,
      "missing; allowed: an instance ID (a lowercase UUID such as 11111111-2222-3333-4444-555555555555) or an ARN such as arn:aws:connect:eu-west-2:123456789012:instance/11111111-2222-3333-4444-555555555555",
    );
    return undefined;
  }
  if (!given.startsWith("arn:")) return { kind: "adopt", instanceId: given, existingAssociations };
  const [, , , arnRegion, arnAccount, resource] = given.split(":");
  if (region !== undefined && arnRegion !== region) {
    problems.add(
      path,
      `the instance ARN is in Region ${arnRegion} but this environment deploys to ${region}; storage configs must be in the instance's Region`,
    );
    return undefined;
  }
  if (accountId !== undefined && arnAccount !== accountId) {
    problems.add(path, `the instance ARN is in account ${arnAccount} but this environment deploys to account ${accountId}`);
    return undefined;
  }
  return { kind: "adopt", instanceId: resource.slice("instance/".length), existingAssociations };
}
