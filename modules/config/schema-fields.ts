/**
 * Builders for the fields of the declaration's schema (valibot). Each one
 * attaches what the renderings need besides the check itself: a description
 * and default (docs/configuration.md table, JSON Schema, module variable descriptions) and
 * the text saying what is allowed, which every refusal message repeats.
 * Messages are made here, at the field, so that a refusal names the value,
 * says whether it was the wrong type or a wrong value, and what is allowed.
 */
import * as v from "valibot";

/** What the renderings read from a field: `allowed` is the rule in words. */
export interface FieldInfo {
  readonly description: string;
  /** The default in words (docs/configuration.md); undefined = none. */
  readonly default?: string;
  readonly allowed: string;
}

type Issue = { readonly input: unknown };

/** A value as the user wrote it; JSON.stringify alone would show Infinity as null. */
export function show(value: unknown): string {
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (typeof value === "string" && value.length > 120) return `${JSON.stringify(value.slice(0, 60))}... (${value.length} characters)`;
  return JSON.stringify(value) ?? String(value);
}

/** The JSON type of a value, for "wrong type" messages. */
export function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  if (typeof value === "boolean") return "a boolean";
  return `a ${typeof value}`;
}

const wrongType = (expected: string, allowed: string) => (issue: Issue) =>
  issue.input === undefined
    ? `missing; expected ${allowed}`
    : `${show(issue.input)} is not ${expected} (it is ${jsonType(issue.input)}); expected ${allowed}`;
const notAllowed =
  (allowed: string, refusal = "is not allowed") =>
  (issue: Issue) =>
    `${show(issue.input)} ${refusal}; allowed: ${allowed}`;

/** Attaches the renderings' information to a schema. */
function described<S extends v.GenericSchema>(schema: S, info: FieldInfo, extra: Record<string, unknown> = {}) {
  return v.pipe(schema, v.description(info.description), v.metadata({ allowed: info.allowed, default: info.default, ...extra }));
}

/** The longest string any field accepts unless it says otherwise (a KMS key description). */
export const MAX_STRING = 8192;

/** A string matching `pattern`; `refusal` says what a mismatch is ("is not allowed" unless said otherwise). */
export function text(pattern: RegExp, info: FieldInfo, refusal?: string) {
  return described(
    v.pipe(
      v.string(wrongType("a string", info.allowed)),
      v.maxLength(MAX_STRING, notAllowed(info.allowed)),
      v.regex(pattern, notAllowed(info.allowed, refusal)),
    ),
    info,
  );
}

/**
 * What `rule` of a checkedText refuses, for renderings that cannot run it (the
 * Terraform module's validation): RE2 patterns no value may match, each with
 * the reason a refusal gives.
 */
export interface ForbiddenPattern {
  readonly pattern: string;
  readonly reason: string;
}

/**
 * A string that must also pass `rule` (rules a regular expression cannot say, e.g. reserved names);
 * `forbidden` says the same rule as patterns, so that Terraform can check it too.
 */
export function checkedText(
  pattern: RegExp,
  rule: (value: string) => string | undefined,
  info: FieldInfo,
  forbidden: readonly ForbiddenPattern[] = [],
) {
  return described(
    v.pipe(
      v.string(wrongType("a string", info.allowed)),
      v.maxLength(MAX_STRING, notAllowed(info.allowed)),
      v.regex(pattern, notAllowed(info.allowed)),
      v.rawCheck(({ dataset, addIssue }) => {
        const problem = dataset.typed ? rule(dataset.value) : undefined;
        if (problem) addIssue({ message: `${show(dataset.value)} is not allowed: ${problem}; allowed: ${info.allowed}` });
      }),
    ),
    info,
    { forbidden },
  );
}

export function integer(min: number, max: number, unit: string, info: Omit<FieldInfo, "allowed">) {
  const allowed = `an integer from ${min} to ${max} (${unit})`;
  const outOfRange = (issue: Issue) => `${show(issue.input)} is out of range; allowed: ${allowed}`;
  return described(
    v.pipe(
      v.number(wrongType("a number", allowed)),
      v.finite((issue: Issue) => `${show(issue.input)} is not a finite number; allowed: ${allowed}`),
      v.integer((issue: Issue) => `${show(issue.input)} is not an integer; allowed: ${allowed}`),
      v.minValue(min, outOfRange),
      v.maxValue(max, outOfRange),
    ),
    { ...info, allowed },
  );
}

export function flag(info: Omit<FieldInfo, "allowed">) {
  return described(v.boolean(wrongType("a boolean", "true or false")), { ...info, allowed: "true or false" });
}

export function oneOf<const T extends readonly string[]>(options: T, info: Omit<FieldInfo, "allowed">) {
  const allowed = options.join(", ");
  return described(
    v.picklist(options, (issue: Issue) =>
      typeof issue.input === "string" ? notAllowed(allowed)(issue) : wrongType("a string", `one of ${allowed}`)(issue),
    ),
    { ...info, allowed },
  );
}

/** A list of distinct strings, each matching `pattern`. */
export function textList(pattern: RegExp, itemAllowed: string, info: Omit<FieldInfo, "allowed">, maxItems = 1000) {
  const allowed = `a list of ${itemAllowed}`;
  return described(
    v.pipe(
      v.array(text(pattern, { description: "", allowed: itemAllowed }), wrongType("a list", allowed)),
      v.maxLength(maxItems, (issue: Issue) => `${show(issue.input)} is too long; allowed: at most ${maxItems} entries`),
      v.rawCheck(({ dataset, addIssue }) => {
        if (!dataset.typed) return;
        const seen = new Set<string>();
        for (const item of dataset.value) {
          if (seen.has(item)) addIssue({ message: `${JSON.stringify(item)} is listed twice; list each entry once` });
          seen.add(item);
        }
      }),
    ),
    { ...info, allowed },
  );
}

/** A map from keys matching `keyPattern` to strings matching `valuePattern`. */
export function textMap(keyPattern: RegExp, valuePattern: RegExp, allowed: string, info: Omit<FieldInfo, "allowed">) {
  return described(
    plainObject(
      v.record(
        v.pipe(
          v.string(),
          v.regex(keyPattern, () => `the key is not allowed; allowed: ${allowed}`),
        ),
        v.pipe(v.string(wrongType("a string", allowed)), v.regex(valuePattern, notAllowed(allowed))),
        wrongType("an object", `a map of ${allowed}`),
      ),
      `a map of ${allowed}`,
    ),
    { ...info, allowed: `a map of ${allowed}` },
  );
}

/** The message of an object schema: an unknown key, a missing required one, or not an object at all. */
export function objectMessage(names: string, noun = "field") {
  return (issue: Issue & { expected?: string | null; path?: unknown[] }) => {
    if (issue.expected === "never") return `unknown ${noun}; allowed ${noun}s: ${names}`;
    if (issue.input === undefined && issue.path !== undefined) return `missing; this ${noun} is required`;
    return wrongType("an object", `an object with ${noun}s ${names}`)(issue);
  };
}

/**
 * Only a JSON object passes: valibot's object schemas take a list for an
 * object with keys "0", "1", ..., which would let ["a"] pass as a map.
 */
export function plainObject<S extends v.GenericSchema>(schema: S, allowed: string) {
  return v.pipe(
    v.custom<unknown>(
      (input) => typeof input === "object" && input !== null && !Array.isArray(input),
      (issue) => wrongType("an object", allowed)(issue as Issue),
    ),
    schema,
  );
}

/** An object whose fields are all optional (an environment overrides the defaults field by field). */
export function group<E extends v.ObjectEntries>(entries: E, info: Omit<FieldInfo, "allowed">, noun = "field") {
  const names = Object.keys(entries).join(", ");
  const optional = Object.fromEntries(Object.entries(entries).map(([k, s]) => [k, v.optional(s)])) as {
    [K in keyof E]: v.OptionalSchema<E[K], undefined>;
  };
  const allowed = `an object with ${noun}s ${names}`;
  return described(plainObject(v.strictObject(optional, objectMessage(names, noun)), allowed), { ...info, allowed });
}

/** A list of objects. */
export function groupList<S extends v.GenericSchema>(item: S, itemAllowed: string, maxItems: number, info: Omit<FieldInfo, "allowed">) {
  const allowed = `a list of at most ${maxItems} ${itemAllowed}`;
  return described(
    v.pipe(
      v.array(item, wrongType("a list", allowed)),
      v.maxLength(maxItems, (issue: Issue) => `${show(issue.input)} is too long; allowed: ${allowed}`),
    ),
    { ...info, allowed },
  );
}

/** The renderings' information of a schema built here, if any. */
export function fieldInfo(schema: unknown): FieldInfo | undefined {
  const pipe = (schema as { pipe?: { type: string; description?: string; metadata?: Record<string, string> }[] }).pipe;
  if (!pipe) return undefined;
  const description = pipe.find((a) => a.type === "description")?.description;
  const metadata = pipe.find((a) => a.type === "metadata")?.metadata;
  return description === undefined || !metadata ? undefined : { description, allowed: metadata.allowed, default: metadata.default };
}
