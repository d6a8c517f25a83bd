/**
 * IAM metadata: every action, condition key and resource ARN of every
 * policy a stack writes (key, bucket, topic, queue, trust, inline and
 * managed policies) and of its deployer policy exists and fits, as IAM's
 * own metadata (iam-metadata.ts) describes the Service Authorization
 * Reference: an action that does not exist, a condition key that does not
 * apply to the action it conditions, or an ARN of a shape none of the
 * statement's actions takes makes a statement that silently allows nothing.
 */
import { actionInfo, actionsOf, globalConditionKeyExists } from "./iam-metadata";
import { CheckedStack, Finding, Invariant } from "./invariant";
import type { Json, PolicyDocument, StackModel } from "./stack-model";

const SAR = "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html";

interface NamedPolicy {
  readonly resource: string;
  readonly name: string;
  readonly document: PolicyDocument;
}

/** Every policy document the stack writes, and its deployer policy. */
function policiesOf(stack: CheckedStack): NamedPolicy[] {
  const model = stack.model;
  const documents: NamedPolicy[] = [
    ...model.keys().map((k) => ({ resource: k.address, name: "key policy", document: k.policy })),
    ...model.buckets().flatMap((b) => (b.policy ? [{ resource: b.address, name: "bucket policy", document: b.policy }] : [])),
    ...model.topics().flatMap((t) => (t.policy ? [{ resource: t.address, name: "topic policy", document: t.policy }] : [])),
    ...model.queues().flatMap((q) => (q.policy ? [{ resource: q.address, name: "queue policy", document: q.policy }] : [])),
    ...model
      .roles()
      .flatMap((r) => [
        { resource: r.address, name: "trust policy", document: r.trust },
        ...r.inline.map((document) => ({ resource: r.address, name: "inline policy", document })),
      ]),
    ...model
      .resources("aws_iam_policy")
      .map(([name, block]) => ({ resource: `aws_iam_policy.${name}`, name: "managed policy", document: model.policy(block.policy, name) })),
  ];
  if (stack.deployerPolicy)
    documents.push({ resource: "deployer-iam-policy.json", name: "deployer policy", document: stack.deployerPolicy });
  return documents;
}

const template = (text: string): RegExp =>
  new RegExp(
    `^${text
      .replace(/[.+?^()|[\]\\]/g, "\\$&")
      .replace(/\$\{[^}]*\}|<[^>]*>/g, ".+")
      .replace(/\*/g, ".*")}$`,
    "i",
  );

/**
 * Whether two wildcard patterns (`*` any text, `?` one character; an ARN
 * template's `${Name}` stands for any text too) have a string in common:
 * then a policy ARN can match some ARN of the template's shape.
 */
export function patternsMeet(a: string, b: string): boolean {
  const x = a.replace(/\$\{[^}]*\}/g, "*");
  const y = b.replace(/\$\{[^}]*\}/g, "*");
  const key = `${x}\u0000${y}`;
  let met = meetings.get(key);
  if (met === undefined) {
    if (meetings.size > 200000) meetings.clear();
    meetings.set(key, (met = arnsMeet(x, y)));
  }
  return met;
}

const meetings = new Map<string, boolean>();

/** Two ARNs meet part by part (IAM matches an ARN's parts apart; the resource part, which may hold colons, whole). */
function arnsMeet(x: string, y: string): boolean {
  const xs = x.split(":");
  const ys = y.split(":");
  if (xs.length < 6 || ys.length < 6) return globsMeet(x, y);
  const parts = (p: string[]) => [...p.slice(0, 5), p.slice(5).join(":")];
  const [px, py] = [parts(xs), parts(ys)];
  return px.every((part, i) => globsMeet(part, py[i]));
}

/** Whether some string matches both glob patterns (`*` any run, `?` one character). */
function globsMeet(x: string, y: string): boolean {
  const memo = new Int8Array((x.length + 1) * (y.length + 1));
  const meet = (i: number, j: number): boolean => {
    const at = i * (y.length + 1) + j;
    if (memo[at] !== 0) return memo[at] > 0;
    let result: boolean;
    if (i === x.length && j === y.length) result = true;
    else if (x[i] === "*") result = meet(i + 1, j) || (j < y.length && meet(i, j + 1));
    else if (y[j] === "*") result = meet(i, j + 1) || (i < x.length && meet(i + 1, j));
    else result = i < x.length && j < y.length && (x[i] === y[j] || x[i] === "?" || y[j] === "?") && meet(i + 1, j + 1);
    memo[at] = result ? 1 : -1;
    return result;
  };
  return meet(0, 0);
}

/** The actions a statement's Action entry stands for (a wildcard expands over the service's actions). */
async function expand(entry: string): Promise<string[]> {
  if (!/[*?]/.test(entry)) return [entry];
  const [service] = entry.split(":");
  const pattern = new RegExp(
    `^${entry
      .replace(/[.+^$()|[\]\\{}]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    "i",
  );
  return (await actionsOf(service)).filter((a) => pattern.test(a));
}

const keysByAction = new Map<string, Promise<RegExp[]>>();

/** The condition keys an action takes: its own and its resource types' (read once per action). */
function keysOf(action: string): Promise<RegExp[]> {
  let keys = keysByAction.get(action);
  if (!keys) {
    keys = actionInfo(action).then((info) =>
      info ? [...info.conditionKeys, ...info.resourceTypes.flatMap((t) => t.conditionKeys)].map(template) : [],
    );
    keysByAction.set(action, keys);
  }
  return keys;
}

/** OIDC claims (`<provider host>:aud`, `:sub`) that IAM adds for providers registered in the account. */
function oidcClaims(model: StackModel): RegExp[] {
  return model.resources("aws_iam_openid_connect_provider").flatMap(([, b]) => {
    const host = String(model.value(b.url)).replace(/^https:\/\//, "");
    return ["aud", "sub", "amr"].map((claim) => template(`${host}:${claim}`));
  });
}

async function statementFindings(policy: NamedPolicy, statement: Json, oidc: readonly RegExp[]): Promise<string[]> {
  const problems: string[] = [];
  const where = `${policy.name} statement ${statement.Sid ?? "(no Sid)"}`;
  const entries = [statement.Action ?? statement.NotAction ?? []].flat() as string[];
  const keys = Object.values<Record<string, unknown>>(statement.Condition ?? {}).flatMap((block) => Object.keys(block));
  const resources = [statement.Resource ?? []].flat() as string[];
  for (const entry of entries) {
    const actions = await expand(entry);
    const known = (await Promise.all(actions.map(actionInfo))).filter((info) => info !== undefined);
    if (known.length === 0) {
      problems.push(`${where}: ${entry} is no IAM action`);
      continue;
    }
    for (const key of keys.filter((k) => !globalConditionKeyExists(k))) {
      const applies = await Promise.all(
        known.map(
          async (info) =>
            (await keysOf(info!.name)).some((k) => k.test(key)) ||
            (info!.name === "sts:AssumeRoleWithWebIdentity" && oidc.some((c) => c.test(key))),
        ),
      );
      if (!applies.some(Boolean) || (!/[*?]/.test(entry) && !applies[0]))
        problems.push(`${where}: condition key ${key} does not apply to ${entry}`);
    }
    if (statement.Resource !== undefined && !resources.includes("*") && !/[*?]/.test(entry)) {
      const info = known[0]!;
      if (info.wildcardOnly) problems.push(`${where}: ${entry} takes no resource ARN, only "*"`);
      else if (!resources.some((arn) => info.resourceTypes.some((t) => patternsMeet(arn, t.arn)))) {
        problems.push(
          `${where}: none of ${resources.join(", ")} has the shape ${entry} takes (${info.resourceTypes.map((t) => t.arn).join(" or ")})`,
        );
      }
    }
  }
  return problems;
}

async function metadataFindings(stack: CheckedStack): Promise<Finding[]> {
  const oidc = oidcClaims(stack.model);
  const findings: Finding[] = [];
  for (const policy of policiesOf(stack)) {
    for (const statement of policy.document.Statement) {
      for (const problem of await statementFindings(policy, statement, oidc))
        findings.push({ resource: policy.resource, message: problem });
    }
  }
  return findings;
}

export const IAM_METADATA: Invariant = {
  id: "iam-metadata",
  statement:
    "Every action, condition key and resource ARN of every policy the stack writes, and of its deployer policy, exists in IAM's metadata and fits: condition keys apply to the actions they condition, ARNs have a shape the actions take.",
  source: SAR,
  check: metadataFindings,
};
