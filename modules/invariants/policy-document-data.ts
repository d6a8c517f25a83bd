/**
 * What the AWS provider computes for `data "aws_iam_policy_document"`, for
 * the blocks the Terraform module writes (constructs/policy-document.ts):
 * `statement` blocks in order, then `dynamic "statement"` blocks, each as
 * many times as its `for_each` has elements (the module's are `[1]` or `[]`).
 * Provider docs, "Data Source: aws_iam_policy_document": principals with type
 * "*" and identifiers ["*"] are `"Principal": "*"`; conditions with the same
 * test are one condition operator; values stay lists (IAM reads a one-element
 * list as its element).
 */
import type { Json, PolicyDocument } from "./terraform-json";

/** Evaluates a Terraform value (an expression string, or a literal) of the block. */
export type Evaluate = (source: unknown) => unknown;

const asList = (value: unknown, what: string): string[] => {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string"))
    throw new Error(`${what} is not a list of strings: ${JSON.stringify(value)}`);
  return value as string[];
};

/** The policy the data source `block` renders, its references evaluated by `evaluate`. */
export function policyDocumentOf(block: Json, evaluate: Evaluate, what: string): PolicyDocument {
  const blocks = (value: unknown): Json[] => (value === undefined ? [] : Array.isArray(value) ? value : [value as Json]);
  const expanded = blocks(block.dynamic?.statement).flatMap((spec, i) => {
    const each = evaluate(spec.for_each);
    if (!Array.isArray(each)) throw new Error(`${what}: dynamic statement ${i}'s for_each is not a list: ${JSON.stringify(each)}`);
    return each.map(() => spec.content as Json);
  });
  return {
    Version: "2012-10-17",
    Statement: [...blocks(block.statement), ...expanded].map((statement) => statementOf(statement, evaluate, what)),
  };
}

function statementOf(block: Json, evaluate: Evaluate, what: string): Json {
  const list = (key: string): string[] | undefined =>
    block[key] === undefined ? undefined : asList(evaluate(block[key]), `${what}.${block.sid}.${key}`);
  const statement: Json = { Sid: evaluate(block.sid), Effect: block.effect === undefined ? "Allow" : evaluate(block.effect) };
  const principals = (block.principals ?? []) as Json[];
  if (principals.length > 0) {
    const types = principals.map((p) => ({ type: String(evaluate(p.type)), ids: asList(evaluate(p.identifiers), `${what} principals`) }));
    statement.Principal =
      types.length === 1 && types[0].type === "*" && types[0].ids.join() === "*"
        ? "*"
        : Object.fromEntries(types.map(({ type, ids }) => [type, ids]));
  }
  statement.Action = list("actions");
  const resources = list("resources");
  if (resources) statement.Resource = resources;
  const conditions = (block.condition ?? []) as Json[];
  if (conditions.length > 0) {
    const byTest: Record<string, Record<string, string[]>> = {};
    for (const condition of conditions) {
      const test = String(evaluate(condition.test));
      (byTest[test] ??= {})[String(evaluate(condition.variable))] = asList(evaluate(condition.values), `${what} condition`);
    }
    statement.Condition = byTest;
  }
  return statement;
}
