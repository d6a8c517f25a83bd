/**
 * Request evaluation with the real IAM engine, @cloud-copilot/iam-simulate.
 * The engine is AGPL-3.0 and a development dependency: it is loaded at run
 * time, only by `npm run check` and the tests (`loadEngine`), never imported
 * by synthesis and never bundled into dist/ (scripts/build.mjs keeps it
 * external). Without it, `engineAvailable()` is false and the invariants
 * that need it say so instead of running.
 *
 * ENCRYPTION CONTEXT SHIM. In 0.1.173 `runSimulation` keeps only the context
 * keys that its action data lists for the request, and it matches templated
 * keys (`kms:EncryptionContext:${EncryptionContextKey}`) only when they are
 * written with a `/` (the `aws:RequestTag/${TagKey}` form): see
 * `normalizeSimulationParameters` / `listHasVariableKeyMatch` in
 * dist/cjs/simulation_engine/simulationEngine.js. A key such as
 * `kms:EncryptionContext:aws:s3:arn` therefore lands in `ignoredContextKeys`
 * and every statement conditioned on it evaluates as if the request carried
 * no encryption context (`accessHelpers` proves this in a test, so a fixed
 * engine version is noticed).
 *
 * What `decide` does about it: it always runs the validated `runSimulation`
 * first (policy, action and resource validation, key typing). If the only
 * keys the engine dropped are `kms:EncryptionContext:*` keys of a `kms:`
 * action, it evaluates the same request again with the engine's own
 * `runUnsafeSimulation`, which passes the context through untouched, and
 * returns that decision. Any other dropped key fails the row: it is a typo or
 * a key the service does not send. (`runUnsafeSimulation` loads the resource
 * policy without a name and then crashes reading it; handing it policies in
 * the engine's own "already validated" shape, which carries the name, avoids
 * that. The first run has validated them.)
 */
import type * as IamSimulate from "@cloud-copilot/iam-simulate";
import type { Simulation } from "@cloud-copilot/iam-simulate";
import { AWS_REGIONS } from "../config/regions";
import { actionInfo } from "./iam-metadata";
import { Reduced, reducedFor, wildcardMatch } from "./request-reduction";
import type { PolicyDocument } from "./stack-model";

const ENGINE_PACKAGE = "@cloud-copilot/iam-simulate";
let engine: typeof IamSimulate | undefined;

/** The engine, loaded on first use; throws a one-line reason when the development dependencies are not installed. */
function loadEngine(): typeof IamSimulate {
  if (engine) return engine;
  try {
    engine = require(ENGINE_PACKAGE) as typeof IamSimulate;
  } catch {
    throw new Error(`${ENGINE_PACKAGE} is not installed (a development dependency): run npm ci to evaluate policies`);
  }
  return engine;
}

/** Whether the IAM engine can be loaded (it is absent from a production-only install). */
export function engineAvailable(): boolean {
  try {
    loadEngine();
    return true;
  } catch {
    return false;
  }
}

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";
export type Context = Record<string, string | string[]>;

export interface AccessRequest {
  /** An IAM ARN, a service principal (`logs.eu-west-2.amazonaws.com`) or "anonymous". */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** Account that owns the resource. */
  readonly resourceAccount: string;
  readonly context?: Context;
  /** Policies attached to the calling principal. */
  readonly identityPolicies?: readonly PolicyDocument[];
  readonly resourcePolicy?: PolicyDocument;
}

export interface Evaluation {
  readonly decision: Decision;
  /** `engine`, or `engine+ec-shim` when the encryption-context shim decided. */
  readonly via: "engine" | "engine+ec-shim";
  readonly ignoredContextKeys: readonly string[];
}

const ENCRYPTION_CONTEXT_KEY = /^kms:encryptioncontext:.+/i;
/**
 * The claims of an OIDC provider registered in IAM, `<provider host>:aud` and
 * `<provider host>:sub` (IAM user guide, "Available keys for AWS web identity
 * federation", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif):
 * the engine's action data lists only the fixed providers' keys for
 * sts:AssumeRoleWithWebIdentity, so these are passed through like the
 * encryption context (same unsafe evaluation, same validation first).
 */
const OIDC_CLAIM_KEY = /^[a-z0-9.-]+\.[a-z]+(\/[^:]*)?:(aud|sub)$/i;

function passedThrough(key: string, action: string): boolean {
  if (ENCRYPTION_CONTEXT_KEY.test(key) && action.startsWith("kms:")) return true;
  return OIDC_CLAIM_KEY.test(key) && action.toLowerCase() === "sts:assumerolewithwebidentity";
}

function toSimulation(request: AccessRequest): Simulation {
  return {
    request: {
      principal: request.principal === "anonymous" ? loadEngine().anonymousPrincipal : request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables: { ...(request.context ?? {}) },
    },
    identityPolicies: (request.identityPolicies ?? []).map((policy, i) => ({ name: `identity-${i + 1}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: request.resourcePolicy,
  };
}

/** The engine's "validated policy" shape (plain values, see iam-policy's ValidatedPolicy). */
function validated(policy: unknown, name: string): unknown {
  return { __validated: true, policyDocument: policy, metadata: { name }, errors: [] };
}

/** Decisions already made, by the request's canonical form (request-reduction.ts; bounded: the oldest go first). */
const decisions = new Map<string, Evaluation>();
const MAX_CACHED_DECISIONS = 50000;

/**
 * What a request's decision depends on: its principal, action, context and
 * resource account, the policies reduced to what bears on it, and of the
 * resource only its partition, service, Region, account and IAM resource
 * type, where every policy reduces to canonical statements (whose matching
 * Resource entries are written `*`); the whole ARN otherwise. Of the context,
 * every key's name (the engine's validation depends on them) but only the
 * values of the keys the kept statements read.
 */
async function decisionKey(request: AccessRequest, identity: readonly Reduced[], resource: Reduced | undefined): Promise<string> {
  const reduced = [...identity, ...(resource ? [resource] : [])];
  const canonical = reduced.every((r) => r.canonical !== undefined);
  const read = (key: string) => reduced.some((r) => r.referencedKeys.has(key.toLowerCase()));
  const context = Object.entries(request.context ?? {}).map(([key, value]) => [key, read(key) ? value : null]);
  const where = canonical
    ? `${request.resource.split(":").slice(0, 5).join(":")} ${await resourceTypesOf(request.action, request.resource)}`
    : request.resource;
  const request_ = JSON.stringify([request.principal, request.action, where, request.resourceAccount, context]);
  return renamed(`${request_}${identity.map(formOf).join("")}${resource ? formOf(resource) : "-"}`);
}

const forms = new WeakMap<Reduced, string>();

/** A reduced policy as it counts for a decision (its canonical statements, or the document), as JSON: once per reduction. */
function formOf(reduced: Reduced): string {
  let form = forms.get(reduced);
  if (form === undefined) forms.set(reduced, (form = JSON.stringify(reduced.canonical ?? reduced.document)));
  return form;
}

const REGIONS = new Set<string>(AWS_REGIONS);
/** Twelve digits, or what has the shape of a Region name (checked against the Regions in renamed). */
const ACCOUNT_OR_REGION = /(?<![0-9])[0-9]{12}(?![0-9])|\b[a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}\b/g;

/**
 * A decision key with its account IDs and Region names renamed in order of
 * appearance (the first account seen becomes 000000000001, ...): IAM decides
 * the same for requests that differ only so, since it compares accounts and
 * Regions with each other, never with fixed values. Requests of stacks in
 * other accounts and Regions then share their decisions.
 */
function renamed(key: string): string {
  const names = new Map<string, string>();
  return key.replace(ACCOUNT_OR_REGION, (found) => {
    if (!/^[0-9]/.test(found) && !REGIONS.has(found)) return found;
    let name = names.get(found);
    if (!name) names.set(found, (name = /^[0-9]/.test(found) ? String(names.size + 1).padStart(12, "0") : `region-${names.size + 1}`));
    return name;
  });
}

/** A request's shape, for its validation: what decisionKey holds but the context's values. */
async function shapeKey(request: AccessRequest, identity: readonly Reduced[], resource: Reduced | undefined): Promise<string> {
  return JSON.stringify([
    request.principal,
    request.action,
    await resourceTypesOf(request.action, request.resource),
    Object.keys(request.context ?? {}).sort(),
    identity.map((r) => r.canonical ?? r.document),
    resource ? (resource.canonical ?? resource.document) : null,
  ]);
}

const typesOf = new Map<string, string>();

/** The IAM resource types (of the action) that a concrete ARN is of: it decides which condition keys apply. */
async function resourceTypesOf(action: string, arn: string): Promise<string> {
  const key = `${action}\u0000${arn}`;
  let types = typesOf.get(key);
  if (types === undefined) typesOf.set(key, (types = await lookUpResourceTypes(action, arn)));
  return types;
}

async function lookUpResourceTypes(action: string, arn: string): Promise<string> {
  if (arn === "*") return "*";
  const info = await actionInfo(action);
  const types = (info?.resourceTypes ?? []).filter((type) => wildcardMatch(type.arn.replace(/\$\{[^}]*\}/g, "*"), arn));
  return types.map((type) => type.name).join(",") || arn;
}

/** Evaluates one request with the engine (and the encryption-context shim, see above), or reuses an equal request's decision. */
export async function decide(request: AccessRequest): Promise<Evaluation> {
  const identity = (request.identityPolicies ?? []).map((policy) => reducedFor(policy, request.action, request.resource));
  const resource = request.resourcePolicy && reducedFor(request.resourcePolicy, request.action, request.resource, request.principal);
  const key = await decisionKey(request, identity, resource);
  const known = decisions.get(key);
  if (known) return known;
  const reduced: AccessRequest = {
    ...request,
    identityPolicies: identity.map((r) => r.document).filter((policy) => policy.Statement.length > 0),
    resourcePolicy: resource?.document,
  };
  const evaluation = await evaluate(reduced, await shapeKey(reduced, identity, resource));
  if (decisions.size >= MAX_CACHED_DECISIONS) decisions.delete(decisions.keys().next().value as string);
  decisions.set(key, evaluation);
  return evaluation;
}

/**
 * Which context keys the engine ignored for requests of one shape (principal,
 * action, resource type, context keys, policies): its validation, made once
 * per shape. An error is kept too, and thrown again.
 */
const validations = new Map<string, readonly string[] | Error>();

async function evaluate(request: AccessRequest, shape: string): Promise<Evaluation> {
  const known = validations.get(shape);
  if (known instanceof Error) throw known;
  if (known) return unvalidated(request, known);
  const simulation = toSimulation(request);
  const result = await loadEngine().runSimulation(simulation, {});
  const refused =
    result.resultType === "error"
      ? new Error(`the engine refused the simulation of ${request.action}: ${JSON.stringify(result.errors)}`)
      : result.resultType !== "single"
        ? new Error(`expected a single-resource simulation for ${request.resource}`)
        : undefined;
  const ignored = result.resultType === "single" ? (result.result.ignoredContextKeys ?? []) : [];
  const unexpected = ignored.filter((key) => !passedThrough(key, request.action));
  const error =
    refused ??
    (unexpected.length > 0
      ? new Error(`context keys not applicable to ${request.action} (typo, or not sent by the service?): ${unexpected.join(", ")}`)
      : undefined);
  validations.set(shape, error ?? ignored);
  if (error) throw error;
  if (ignored.length === 0 && result.resultType === "single")
    return { decision: result.overallResult as Decision, via: "engine", ignoredContextKeys: [] };
  return unvalidated(request, ignored);
}

/** A request of a shape the engine has validated: evaluated as it stands (the shim above, for the keys it passes through). */
function unvalidated(request: AccessRequest, ignored: readonly string[]): Evaluation {
  const simulation = toSimulation(request);
  const decision = loadEngine().runUnsafeSimulation(
    {
      ...simulation,
      identityPolicies: simulation.identityPolicies.map(({ name, policy }) => ({ name, policy: validated(policy, name) })),
      resourcePolicy: simulation.resourcePolicy && validated(simulation.resourcePolicy, "resource-policy"),
    } as Simulation,
    {},
  );
  return { decision: decision as Decision, via: ignored.length > 0 ? "engine+ec-shim" : "engine", ignoredContextKeys: ignored };
}

/** Whether the request is allowed (for rows that state only allowed / denied). */
export async function isAllowed(request: AccessRequest): Promise<boolean> {
  return (await decide(request)).decision === "Allowed";
}
