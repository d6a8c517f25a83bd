/**
 * A policy reduced to what can bear on one request, so that the engine reads
 * a few statements instead of dozens, and equal requests on different stacks
 * share one decision. A statement can bear on a request only if one of its
 * Action entries and one of its Resource entries match it (IAM wildcard
 * matching: `*` and `?`, case-insensitive for actions; for ARNs segment by
 * segment, the resource part matched whole), so the others are left out and,
 * of those kept, only the matching entries. The CANONICAL form additionally
 * writes the kept Action as the request's action and the kept Resource as
 * `*`: two requests whose canonical forms (and all else) are equal get the
 * same decision. Statements with NotAction or NotResource are kept whole and
 * make the form non-canonical (our policies have none). In a resource policy,
 * given the caller, a statement applies only if one of its Principal entries
 * can name the caller (the caller's ARN, the root of its account, a role of
 * which it is a session, its service, or `*`); only those entries are kept,
 * and a statement with none is left out. An entry we do not model
 * (Federated, CanonicalUser, wildcards, unique IDs) is kept.
 */
import type { PolicyDocument } from "./stack-model";

type Statement = Record<string, unknown>;

export interface Reduced {
  readonly document: PolicyDocument;
  /** The context keys the kept statements read (in conditions or as policy variables), in lower case. */
  readonly referencedKeys: ReadonlySet<string>;
  /** The kept statements in canonical form; undefined when a statement could not be reduced. */
  readonly canonical?: readonly Statement[];
}

const compiled = new Map<string, RegExp>();

/** IAM wildcard matching of a whole string; `${...}` policy variables match anything. */
export function wildcardMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  const key = `${caseInsensitive ? "i" : "s"}${pattern}`;
  let regex = compiled.get(key);
  if (!regex) {
    const body = pattern
      .split(/(\$\{[^}]*\}|\*|\?)/)
      .map((part) => (part === "*" || part.startsWith("${") ? ".*" : part === "?" ? "." : part.replace(/[.+^$()|[\]{}\\]/g, "\\$&")))
      .join("");
    compiled.set(key, (regex = new RegExp(`^${body}$`, caseInsensitive ? "i" : "")));
  }
  return regex.test(value);
}

/** The six parts of an ARN (the resource part may hold colons). */
function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(":");
  return parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(":")];
}

const matched = new Map<string, boolean>();

/** Whether a policy's Resource entry matches an ARN, as IAM matches them: part by part, the resource part whole. */
export function resourceMatches(pattern: string, arn: string): boolean {
  if (pattern === "*") return true;
  const key = `${pattern}\u0000${arn}`;
  let result = matched.get(key);
  if (result === undefined) {
    if (matched.size > 200000) matched.clear();
    matched.set(key, (result = partsMatch(pattern, arn)));
  }
  return result;
}

function partsMatch(pattern: string, arn: string): boolean {
  const p = arnParts(pattern);
  const a = arnParts(arn);
  if (!p || !a) return wildcardMatch(pattern, arn);
  return p.every((part, i) => wildcardMatch(part, a[i]));
}

const actionMatches = (pattern: string, action: string) => wildcardMatch(pattern, action, true);

/** A statement and the Action entries that match one action; `whole` when it has NotAction or NotResource. */
interface Candidate {
  readonly statement: Statement;
  readonly actions: readonly string[];
  readonly whole: boolean;
}

/** A policy's Action entries by what they match: exact names (lower case) and wildcard patterns, each with its statement's index. */
interface ActionIndex {
  readonly exact: ReadonlyMap<string, readonly [number, string][]>;
  readonly patterns: readonly [number, string][];
}

const indexes = new WeakMap<PolicyDocument, ActionIndex>();

function actionIndexOf(policy: PolicyDocument): ActionIndex {
  let index = indexes.get(policy);
  if (index) return index;
  const exact = new Map<string, [number, string][]>();
  const patterns: [number, string][] = [];
  (policy.Statement as Statement[]).forEach((statement, i) => {
    for (const entry of [statement.Action ?? []].flat() as string[]) {
      if (/[*?]/.test(entry)) patterns.push([i, entry]);
      else exact.set(entry.toLowerCase(), [...(exact.get(entry.toLowerCase()) ?? []), [i, entry]]);
    }
  });
  indexes.set(policy, (index = { exact, patterns }));
  return index;
}

/** The statements of a policy that can bear on an action (the same for every resource: computed once per action). */
function candidatesFor(policy: PolicyDocument, action: string): readonly Candidate[] {
  let byAction = candidates.get(policy);
  if (!byAction) candidates.set(policy, (byAction = new Map()));
  let found = byAction.get(action);
  if (!found) byAction.set(action, (found = findCandidates(policy, action)));
  return found;
}

function findCandidates(policy: PolicyDocument, action: string): Candidate[] {
  const { exact, patterns } = actionIndexOf(policy);
  const matching = new Map<number, string[]>();
  for (const [i, entry] of [...(exact.get(action.toLowerCase()) ?? []), ...patterns.filter(([, p]) => actionMatches(p, action))]) {
    matching.set(i, [...(matching.get(i) ?? []), entry]);
  }
  return (policy.Statement as Statement[]).flatMap((statement, i): Candidate[] => {
    if (statement.NotAction !== undefined || statement.NotResource !== undefined) return [{ statement, actions: [], whole: true }];
    const actions = matching.get(i);
    // The entries in the order written, as before the index.
    return actions
      ? [{ statement, actions: ([statement.Action].flat() as string[]).filter((a) => actions.includes(a)), whole: false }]
      : [];
  });
}

const candidates = new WeakMap<PolicyDocument, Map<string, readonly Candidate[]>>();

const ACCOUNT_ROOT = /^(?:arn:[a-z-]+:iam::)?([0-9]{12})(?::root)?$/;
const ROLE = /^arn:([a-z-]+):iam::([0-9]{12}):role\/(?:.*\/)?([^/]+)$/;
const SESSION = /^arn:([a-z-]+):sts::([0-9]{12}):assumed-role\/([^/]+)\/.+$/;
const CALLER_ACCOUNT = /^arn:[a-z-]+:(?:iam|sts)::([0-9]{12}):/;

/** Whether one Principal entry can name the caller (true when we do not model the entry). */
function entryMayName(kind: string, entry: string, caller: string): boolean {
  if (entry === "*" || /[*?$]/.test(entry)) return true;
  if (kind === "Service") return entry.toLowerCase() === caller.toLowerCase();
  if (kind !== "AWS") return true;
  if (entry === caller) return true;
  const root = ACCOUNT_ROOT.exec(entry);
  if (root) return CALLER_ACCOUNT.exec(caller)?.[1] === root[1];
  const role = ROLE.exec(entry);
  const session = SESSION.exec(caller);
  if (role) return session !== null && session[1] === role[1] && session[2] === role[2] && session[3] === role[3];
  return !entry.startsWith("arn:");
}

/** The statement with only the Principal entries that can name the caller, or undefined when none can. */
function forCaller(statement: Statement, caller: string): Statement | undefined {
  const principal = statement.Principal;
  if (statement.NotPrincipal !== undefined || principal === undefined || principal === "*") return statement;
  if (typeof principal !== "object" || principal === null) return statement;
  const kept = Object.entries(principal as Record<string, unknown>).flatMap(([kind, entries]) => {
    const naming = ([entries].flat() as string[]).filter((entry) => entryMayName(kind, entry, caller));
    return naming.length > 0 ? [[kind, naming] as const] : [];
  });
  return kept.length > 0 ? { ...statement, Principal: Object.fromEntries(kept) } : undefined;
}

function reduce(policy: PolicyDocument, action: string, resource: string, caller: string | undefined): Reduced {
  const kept: Statement[] = [];
  const canonical: Statement[] = [];
  const read = new Set<string>();
  let whole = false;
  for (const candidate of candidatesFor(policy, action)) {
    const { actions, whole: asWritten } = candidate;
    const statement = caller === undefined ? candidate.statement : forCaller(candidate.statement, caller);
    if (statement === undefined) continue;
    // (Read from the statement as written: of its Resource entries, more than the kept ones, which errs on the safe side.)
    for (const key of keysReadBy(candidate.statement)) read.add(key);
    if (asWritten) {
      kept.push(statement);
      whole = true;
    } else if (statement.Resource === undefined) {
      kept.push({ ...statement, Action: actions });
      canonical.push({ ...statement, Action: [action] });
    } else {
      const resources = ([statement.Resource].flat() as string[]).filter((r) => resourceMatches(r, resource));
      if (resources.length === 0) continue;
      kept.push({ ...statement, Action: actions, Resource: resources });
      canonical.push({ ...statement, Action: [action], Resource: "*" });
      // A policy variable in a Resource entry is resolved from the request: `*` would lose it.
      if (resources.some((r) => r.includes("${"))) whole = true;
    }
  }
  // A resource policy must stay present (KMS decides nothing without the key's): keep the first statement, which cannot apply.
  const statements = kept.length > 0 ? kept : (policy.Statement as Statement[]).slice(0, 1);
  return {
    document: { ...policy, Statement: statements } as PolicyDocument,
    referencedKeys: read,
    canonical: whole ? undefined : canonical,
  };
}

const keysRead = new WeakMap<Statement, readonly string[]>();

/** The context keys a statement reads: its condition keys and the policy variables anywhere in it (once per statement). */
function keysReadBy(statement: Statement): readonly string[] {
  let keys = keysRead.get(statement);
  if (keys) return keys;
  const found = new Set<string>();
  for (const byKey of Object.values((statement.Condition ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const key of Object.keys(byKey)) found.add(key.toLowerCase());
  }
  for (const [, variable] of JSON.stringify(statement).matchAll(/\$\{([^}]+)\}/g)) found.add(variable.toLowerCase());
  keysRead.set(statement, (keys = [...found]));
  return keys;
}

/** Reductions already made, per policy document (documents are never changed once read). */
const reductions = new WeakMap<PolicyDocument, Map<string, Reduced>>();

/** `policy` reduced to one request; `caller` for a resource policy, whose statements name their principals. */
export function reducedFor(policy: PolicyDocument, action: string, resource: string, caller?: string): Reduced {
  let byRequest = reductions.get(policy);
  if (!byRequest) reductions.set(policy, (byRequest = new Map()));
  const key = `${action}\u0000${resource}\u0000${caller ?? ""}`;
  let reduced = byRequest.get(key);
  if (!reduced) byRequest.set(key, (reduced = reduce(policy, action, resource, caller)));
  return reduced;
}
