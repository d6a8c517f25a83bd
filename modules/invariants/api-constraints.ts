/**
 * API constraints: every value of a synthesized stack that reaches an AWS
 * API (names, derived names, prefixes, descriptions, tag keys and values,
 * e-mail endpoints) meets that API's length and pattern, taken from AWS's
 * own API models (config/aws-api-constraints.json, filled from botocore by
 * scripts/api-constraints.mjs) or, where the model has none, from the page
 * each entry cites. Values are read after the stack's references resolve
 * (a generated name includes the account ID, 12 digits long).
 */
import { FIELD_CONSTRAINTS, TAG_CONSTRAINTS, constraintProblem, tagProblems } from "../config/aws-api-constraints";
import { CheckedStack, Finding, Invariant } from "./invariant";
import type { Json, StackModel } from "./stack-model";

const BOTOCORE_SOURCE = "https://github.com/boto/botocore/tree/develop/botocore/data";

/** The values at a dotted attribute path (lists are walked into; every element counts). */
function valuesAt(value: unknown, path: readonly string[]): unknown[] {
  if (Array.isArray(value)) return value.flatMap((item) => valuesAt(item, path));
  if (path.length === 0) return [value];
  if (!value || typeof value !== "object") return [];
  return valuesAt((value as Json)[path[0]], path.slice(1));
}

function fieldFindings(model: StackModel): Finding[] {
  const findings: Finding[] = [];
  for (const entry of FIELD_CONSTRAINTS) {
    for (const [name, block] of model.resources(entry.type)) {
      for (const raw of valuesAt(block, entry.attribute.split("."))) {
        const problem = constraintProblem(model.value(raw), entry.constraint);
        if (problem) {
          findings.push({
            resource: `${entry.type}.${name}`,
            message: `${entry.attribute}: ${problem} (${entry.constraint.origin})`,
            field: entry.field,
          });
        }
      }
    }
  }
  return findings;
}

/** The tags a resource is created with: its provider's default tags, then its own. */
function tagsOf(model: StackModel, block: Json): Record<string, unknown> {
  const alias = typeof block.provider === "string" && block.provider.startsWith("aws.") ? block.provider.slice(4) : undefined;
  const provider = (model.json.provider?.aws ?? []).find((p: Json) => p.alias === alias);
  const defaults = [provider?.default_tags ?? []].flat()[0]?.tags ?? {};
  const own = model.value(block.tags ?? {});
  return { ...(model.value(defaults) as Json), ...(own && typeof own === "object" ? (own as Json) : {}) };
}

function tagFindings(model: StackModel): Finding[] {
  const findings: Finding[] = [];
  for (const type of TAG_CONSTRAINTS.keys()) {
    for (const [name, block] of model.resources(type)) {
      for (const [key, value] of Object.entries(tagsOf(model, block))) {
        for (const problem of tagProblems(type, key, String(value))) {
          findings.push({ resource: `${type}.${name}`, message: `tag ${JSON.stringify(key)}: ${problem}`, field: ["tags"] });
        }
      }
    }
  }
  return findings;
}

export const API_CONSTRAINTS: Invariant = {
  id: "api-constraints",
  statement:
    "Every value that reaches an AWS API (names and derived names, prefixes, descriptions, tag keys and values, e-mail endpoints) meets that API's length and pattern, from AWS's API models where they carry one.",
  source: BOTOCORE_SOURCE,
  check: (stack: CheckedStack) => [...fieldFindings(stack.model), ...tagFindings(stack.model)],
};
