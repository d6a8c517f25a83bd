/**
 * The length and pattern constraints of the AWS APIs our stacks call, as
 * AWS's own API models state them (aws-api-constraints.json, filled from
 * botocore by scripts/api-constraints.mjs), or, where a model has none, as
 * the page each entry cites states them. Read by the configuration (tags a
 * service would refuse) and by the api-constraints invariant.
 */
import TABLE from "./aws-api-constraints.json";

export interface ApiConstraint {
  readonly min?: number | null;
  readonly max?: number | null;
  readonly pattern?: string | null;
  /** Where it comes from: botocore's model and shape, or a page. */
  readonly origin: string;
}

export interface FieldConstraint {
  readonly type: string;
  /** Dotted path of the attribute in the resource's Terraform JSON. */
  readonly attribute: string;
  readonly constraint: ApiConstraint;
  /** The environment field the value comes from, when one does. */
  readonly field?: readonly string[];
}

function constraintOf(
  entry: { api?: string; doc?: string; model?: string; shape?: string } & Omit<ApiConstraint, "origin">,
): ApiConstraint {
  const origin = entry.api ? `botocore ${TABLE.botocore} ${entry.model}, ${entry.api} (shape ${entry.shape})` : entry.doc!;
  return { min: entry.min, max: entry.max, pattern: entry.pattern, origin };
}

export const BOTOCORE_VERSION = TABLE.botocore;

export const FIELD_CONSTRAINTS: readonly FieldConstraint[] = TABLE.fields.map((entry) => ({
  type: entry.type,
  attribute: entry.attribute,
  constraint: constraintOf(entry),
  field: "field" in entry ? entry.field : undefined,
}));

/** The tag key and value constraints of each taggable resource type's service. */
export const TAG_CONSTRAINTS: ReadonlyMap<string, { readonly key: ApiConstraint; readonly value: ApiConstraint }> = new Map(
  TABLE.tags.map((entry) => [
    entry.type,
    { key: constraintOf({ api: entry.key, ...entry.keyShape }), value: constraintOf({ api: entry.value, ...entry.valueShape }) },
  ]),
);

/** AWS reserves the prefix aws: in tag keys, in any letter case. */
export const RESERVED_TAG_PREFIX = { test: (key: string): boolean => /^aws:/i.test(key), origin: TABLE.tagKeyReserved.doc };

const compiled = new Map<string, RegExp>();
/** A model's pattern matches the whole value (botocore writes patterns unanchored as often as anchored). */
function wholeMatch(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (!regex) compiled.set(pattern, (regex = new RegExp(`^(?:${pattern})$`, "u")));
  return regex;
}

/** What is wrong with one value under a constraint, or undefined. */
export function constraintProblem(value: unknown, constraint: ApiConstraint): string | undefined {
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

/** The problems of one tag on a resource of `type`, in words (empty when its service accepts it). */
export function tagProblems(type: string, key: string, value: string): string[] {
  const constraints = TAG_CONSTRAINTS.get(type);
  if (!constraints) return [];
  const keyProblem = constraintProblem(key, constraints.key);
  const valueProblem = constraintProblem(value, constraints.value);
  return [
    ...(keyProblem ? [`the key ${keyProblem.replace(/^"[^"]*" /, "")} (${constraints.key.origin})`] : []),
    ...(RESERVED_TAG_PREFIX.test(key)
      ? [`the key starts with aws:, which AWS reserves in any letter case (${RESERVED_TAG_PREFIX.origin})`]
      : []),
    ...(valueProblem ? [`the value ${valueProblem} (${constraints.value.origin})`] : []),
  ];
}
