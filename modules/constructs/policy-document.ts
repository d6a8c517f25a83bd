/**
 * Where a policy is written. In a stack every statement's existence is known
 * at synthesis, and the policy is the `jsonencode(...)` of those that exist.
 * In the Terraform module it is decided by Terraform from the inputs: there
 * the policy is a `data "aws_iam_policy_document"`, one `statement` block per
 * statement that always exists and one `dynamic "statement"` block per
 * optional one, the form reviewers read and scanners evaluate (a
 * `jsonencode` over `concat()` and conditionals is opaque to both).
 */
import { Construct } from "constructs";
import { Fn, Lazy } from "cdktf";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { PolicyStatement, policyDocument, renderPolicy } from "../config/policy";
import { Condition, applyCondition, attributeOf, isDynamic, listOf } from "./condition";

/** The construct context key a stack sets to have its policies written as policy documents (the module's stacks). */
export const POLICY_DOCUMENTS_CONTEXT = "connect-encryption:policy-documents";

/** A statement and whether it exists. */
export interface ConditionalStatement {
  readonly statement: PolicyStatement;
  readonly when: Condition;
}

/** Whether policies under `scope` are written as aws_iam_policy_document data sources. */
export function writesPolicyDocuments(scope: Construct): boolean {
  return scope.node.tryGetContext(POLICY_DOCUMENTS_CONTEXT) === true;
}

/**
 * A policy attribute's value from its statements, read at synthesis (so that
 * statements added by later constructs are included): `jsonencode(...)` in a
 * stack, the `json` of a policy document `id` in `scope` in the module, which
 * exists while `exists` holds (the resource whose policy it is).
 */
export function policyAttribute(
  scope: Construct,
  id: string,
  statements: () => readonly ConditionalStatement[],
  exists: Condition = true,
): string {
  if (!writesPolicyDocuments(scope)) {
    return Lazy.stringValue({
      produce: () => renderPolicy(policyDocument(listOf(statements().map(({ statement, when }) => ({ item: statement, when }))))),
    });
  }
  // Counted as its resource is: the statements of an absent resource name attributes that are null.
  const document = applyCondition(new DataAwsIamPolicyDocument(scope, id, {}), exists);
  document.addOverride(
    "statement",
    Lazy.anyValue({
      produce: () =>
        statements()
          .filter(({ when }) => when === true)
          .map(({ statement }) => statementBlock(statement)),
    }),
  );
  document.addOverride(
    "dynamic.statement",
    Lazy.anyValue({
      produce: () => {
        const optional = statements().filter(({ when }) => isDynamic(when));
        if (optional.length === 0) return undefined;
        return optional.map(({ statement, when }) => ({ for_each: Fn.conditional(when, [1], []), content: statementBlock(statement) }));
      },
    }),
  );
  return attributeOf(document, "json", exists);
}

/** Statements that always exist. */
export const always = (statements: readonly PolicyStatement[]): ConditionalStatement[] =>
  statements.map((statement) => ({ statement, when: true }));

const listOfValues = (value: string | readonly string[]): string[] => (Array.isArray(value) ? [...value] : [value as string]);

/** A statement as the data source's `statement` block (its argument names, snake_case as Terraform writes them). */
function statementBlock(statement: PolicyStatement): Record<string, unknown> {
  const principal = statement.Principal;
  const principals =
    principal === undefined
      ? undefined
      : principal === "*"
        ? [{ type: "*", identifiers: ["*"] }]
        : Object.entries(principal).map(([type, identifiers]) => ({ type, identifiers: listOfValues(identifiers as string | string[]) }));
  const conditions = Object.entries(statement.Condition ?? {}).flatMap(([test, byKey]) =>
    Object.entries(byKey).map(([variable, values]) => ({ test, variable, values: listOfValues(values) })),
  );
  return {
    sid: statement.Sid,
    effect: statement.Effect,
    actions: listOfValues(statement.Action),
    ...(statement.Resource === undefined ? {} : { resources: listOfValues(statement.Resource) }),
    ...(principals ? { principals } : {}),
    ...(conditions.length > 0 ? { condition: conditions } : {}),
  };
}
