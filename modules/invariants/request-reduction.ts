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
 * make the form non-canonical (our policies have none).
 */
import type { PolicyDocument } from "./stack-model";

type Statement = Record<string, unknown>;

export interface Reduced {
  readonly document: PolicyDocument;
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

/** Whether a policy's Resource entry matches an ARN, as IAM matches them: part by part, the resource part whole. */
export function resourceMatches(pattern: string, arn: string): boolean {
  if (pattern === "*") return true;
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

/** The statements of a policy that can bear on an action (the same for every resource: computed once per action). */
function candidatesFor(policy: PolicyDocument, action: string): readonly Candidate[] {
  let byAction = candidates.get(policy);
  if (!byAction) candidates.set(policy, (byAction = new Map()));
  let found = byAction.get(action);
  if (!found) {
    found = (policy.Statement as Statement[]).flatMap((statement): Candidate[] => {
      if (statement.NotAction !== undefined || statement.NotResource !== undefined) return [{ statement, actions: [], whole: true }];
      const actions = ([statement.Action ?? []].flat() as string[]).filter((a) => actionMatches(a, action));
      return actions.length > 0 ? [{ statement, actions, whole: false }] : [];
    });
    byAction.set(action, found);
  }
  return found;
}

const candidates = new WeakMap<PolicyDocument, Map<string, readonly Candidate[]>>();

function reduce(policy: PolicyDocument, action: string, resource: string): Reduced {
  const kept: Statement[] = [];
  const canonical: Statement[] = [];
  let whole = false;
  for (const { statement, actions, whole: asWritten } of candidatesFor(policy, action)) {
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
    }
  }
  // A resource policy must stay present (KMS decides nothing without the key's): keep the first statement, which cannot apply.
  const statements = kept.length > 0 ? kept : (policy.Statement as Statement[]).slice(0, 1);
  return { document: { ...policy, Statement: statements } as PolicyDocument, canonical: whole ? undefined : canonical };
}

/** Reductions already made, per policy document (documents are never changed once read). */
const reductions = new WeakMap<PolicyDocument, Map<string, Reduced>>();

export function reducedFor(policy: PolicyDocument, action: string, resource: string): Reduced {
  let byRequest = reductions.get(policy);
  if (!byRequest) reductions.set(policy, (byRequest = new Map()));
  const key = `${action}\u0000${resource}`;
  let reduced = byRequest.get(key);
  if (!reduced) byRequest.set(key, (reduced = reduce(policy, action, resource)));
  return reduced;
}
