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

/** IAM wildcard matching (`*`, `?`) over a whole string; `${...}` policy variables match anything. */
function wildcard(pattern: string, caseInsensitive: boolean): RegExp {
  const body = pattern
    .split(/(\$\{[^}]*\}|\*|\?)/)
    .map((part) => (part === "*" || part.startsWith("${") ? ".*" : part === "?" ? "." : part.replace(/[.+^$()|[\]{}\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${body}$`, caseInsensitive ? "i" : "");
}

const patterns = new Map<string, RegExp>();
function matches(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const key = `${caseInsensitive ? "i" : "s"}${pattern}`;
  let regex = patterns.get(key);
  if (!regex) patterns.set(key, (regex = wildcard(pattern, caseInsensitive)));
  return regex.test(value);
}

type Statement = Record<string, unknown>;

/**
 * A policy reduced to what can bear on one request: every Deny, NotAction
 * and NotResource statement as written, and of each other statement the
 * Action and Resource entries that match the request (a statement with none
 * is left out). The decision is the same; the engine reads a few statements
 * instead of dozens, and equal requests on different stacks share a cache
 * entry. When nothing is left, the first statement stays (it cannot apply),
 * so that a resource policy is still present.
 */
export function reducedFor(policy: PolicyDocument, action: string, resource: string): PolicyDocument {
  const kept: Statement[] = [];
  for (const statement of policy.Statement as Statement[]) {
    if (statement.Effect !== "Allow" || statement.NotAction !== undefined || statement.NotResource !== undefined) {
      kept.push(statement);
      continue;
    }
    const actions = [statement.Action ?? []].flat() as string[];
    const matchingActions = actions.filter((a) => matches(a, action, true));
    if (matchingActions.length === 0) continue;
    if (statement.Resource === undefined) {
      kept.push({ ...statement, Action: matchingActions });
      continue;
    }
    const matchingResources = ([statement.Resource].flat() as string[]).filter((r) => matches(r, resource, false));
    if (matchingResources.length > 0) kept.push({ ...statement, Action: matchingActions, Resource: matchingResources });
  }
  const statements = kept.length > 0 ? kept : (policy.Statement as Statement[]).slice(0, 1);
  return { ...policy, Statement: statements } as PolicyDocument;
}

/** Decisions already made, by the request reduced as above (bounded: the oldest go first). */
const decisions = new Map<string, Evaluation>();
const MAX_CACHED_DECISIONS = 50000;

/** Evaluates one request with the engine (and the encryption-context shim, see above). */
export async function decide(request: AccessRequest): Promise<Evaluation> {
  const reduced: AccessRequest = {
    ...request,
    identityPolicies: (request.identityPolicies ?? [])
      .map((policy) => reducedFor(policy, request.action, request.resource))
      .filter((policy) => policy.Statement.length > 0),
    resourcePolicy: request.resourcePolicy && reducedFor(request.resourcePolicy, request.action, request.resource),
  };
  const key = JSON.stringify(reduced);
  const known = decisions.get(key);
  if (known) return known;
  const evaluation = await evaluate(reduced);
  if (decisions.size >= MAX_CACHED_DECISIONS) decisions.delete(decisions.keys().next().value as string);
  decisions.set(key, evaluation);
  return evaluation;
}

async function evaluate(request: AccessRequest): Promise<Evaluation> {
  const simulation = toSimulation(request);
  const { runSimulation, runUnsafeSimulation } = loadEngine();
  const result = await runSimulation(simulation, {});
  if (result.resultType === "error") {
    throw new Error(`the engine refused the simulation of ${request.action}: ${JSON.stringify(result.errors)}`);
  }
  if (result.resultType !== "single") throw new Error(`expected a single-resource simulation for ${request.resource}`);
  const ignored = result.result.ignoredContextKeys ?? [];
  if (ignored.length === 0) return { decision: result.overallResult as Decision, via: "engine", ignoredContextKeys: [] };
  const unexpected = ignored.filter((key) => !passedThrough(key, request.action));
  if (unexpected.length > 0) {
    throw new Error(`context keys not applicable to ${request.action} (typo, or not sent by the service?): ${unexpected.join(", ")}`);
  }
  const shimmed = runUnsafeSimulation(
    {
      ...simulation,
      identityPolicies: simulation.identityPolicies.map(({ name, policy }) => ({ name, policy: validated(policy, name) })),
      resourcePolicy: simulation.resourcePolicy && validated(simulation.resourcePolicy, "resource-policy"),
    },
    {},
  );
  return { decision: shimmed as Decision, via: "engine+ec-shim", ignoredContextKeys: ignored };
}

/** Whether the request is allowed (for rows that state only allowed / denied). */
export async function isAllowed(request: AccessRequest): Promise<boolean> {
  return (await decide(request)).decision === "Allowed";
}
