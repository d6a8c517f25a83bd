/**
 * API constraints: every value of a synthesized stack that reaches an AWS
 * API (names, derived names, prefixes, descriptions, tag keys and values,
 * e-mail endpoints) meets that API's length and pattern, taken from AWS's
 * own API models (api-constraints.json, filled from botocore by
 * scripts/api-constraints.mjs) or, where the model has none, from the page
 * each entry cites. Values are read after the stack's references resolve
 * (a generated name includes the account ID, 12 digits long).
 */
import TABLE from "./api-constraints.json";
import { CheckedStack, Finding, Invariant } from "./invariant";
import type { Json, StackModel } from "./stack-model";

interface Constraint {
  readonly min?: number | null;
  readonly max?: number | null;
  readonly pattern?: string | null;
  /** Where it comes from: botocore's model and shape, or a page. */
  readonly origin: string;
}

interface FieldEntry {
  readonly type: string;
  readonly attribute: string;
  readonly constraint: Constraint;
  readonly field?: readonly string[];
}

const BOTOCORE_SOURCE = "https://github.com/boto/botocore/tree/develop/botocore/data";

function constraintOf(entry: { api?: string; doc?: string; model?: string; shape?: string } & Omit<Constraint, "origin">): Constraint {
  const origin = entry.api ? `botocore ${TABLE.botocore} ${entry.model} (${entry.api}: shape ${entry.shape})` : entry.doc!;
  return { min: entry.min, max: entry.max, pattern: entry.pattern, origin };
}

export const FIELD_CONSTRAINTS: readonly FieldEntry[] = TABLE.fields.map((entry) => ({
  type: entry.type,
  attribute: entry.attribute,
  constraint: constraintOf(entry),
  field: "field" in entry ? entry.field : undefined,
}));

export const TAG_CONSTRAINTS: ReadonlyMap<string, { key: Constraint; value: Constraint }> = new Map(
  TABLE.tags.map((entry) => [
    entry.type,
    {
      key: constraintOf({ api: entry.key, ...entry.keyShape }),
      value: constraintOf({ api: entry.value, ...entry.valueShape }),
    },
  ]),
);

/** AWS reserves the prefix aws: in tag keys in any letter case. */
const RESERVED_TAG_PREFIX = { test: (key: string) => /^aws:/i.test(key), origin: TABLE.tagKeyReserved.doc };

const compiled = new Map<string, RegExp>();
/** A model's pattern matches the whole value (botocore patterns are written unanchored as often as anchored). */
function wholeMatch(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (!regex) compiled.set(pattern, (regex = new RegExp(`^(?:${pattern})$`, "u")));
  return regex;
}

/** What is wrong with one value, or undefined. */
export function constraintProblem(value: unknown, constraint: Constraint): string | undefined {
  const { min, max, pattern } = constraint;
  if (typeof value === "number") {
    if (min != null && value < min) return `${value} is below ${min}`;
    if (max != null && value > max) return `${value} is above ${max}`;
    return undefined;
  }
  if (typeof value !== "string") return undefined;
  const length = [...value].length;
  if (min != null && length < min) return `${JSON.stringify(value)} has ${length} characters, fewer than ${min}`;
  if (max != null && length > max) return `${JSON.stringify(value.slice(0, 60))}... has ${length} characters, more than ${max}`;
  if (pattern && !wholeMatch(pattern).test(value)) return `${JSON.stringify(value)} does not match ${pattern}`;
  return undefined;
}

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
  for (const [type, constraints] of TAG_CONSTRAINTS) {
    for (const [name, block] of model.resources(type)) {
      for (const [key, value] of Object.entries(tagsOf(model, block))) {
        const problems = [
          constraintProblem(key, constraints.key) && `tag key ${constraintProblem(key, constraints.key)} (${constraints.key.origin})`,
          RESERVED_TAG_PREFIX.test(key) &&
            `tag key ${JSON.stringify(key)} starts with aws:, reserved in any letter case (${RESERVED_TAG_PREFIX.origin})`,
          constraintProblem(value, constraints.value) &&
            `tag ${JSON.stringify(key)}: value ${constraintProblem(value, constraints.value)} (${constraints.value.origin})`,
        ];
        for (const problem of problems) if (problem) findings.push({ resource: `${type}.${name}`, message: problem, field: ["tags"] });
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
