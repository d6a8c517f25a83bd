/**
 * The Terraform module's variable `validation` blocks, derived from the
 * declaration's schema (config-schema.ts): a module input that corresponds to
 * a declaration field is checked by the same rule, with the same words, so
 * that the cdktf declaration and a module call accept the same values.
 *
 * The schema's regular expressions are JavaScript; Terraform's `regex` is RE2,
 * which has no lookahead. A leading `(?!X)` (after `^`) becomes a second
 * condition that the value does not match `^X`; `\s` and `\uXXXX` are spelled
 * out as RE2 says them; repeat counts beyond RE2's 1,000 become a `length`
 * check. Anything else RE2 cannot say stops the rendering with an error, so a
 * new field cannot silently lose its rule in the module.
 */
import { ENVIRONMENT_ENTRIES, RESERVED_BUCKET_PATTERNS } from "../config/config-schema";
import { AWS_REGIONS } from "../config/regions";
import { FieldInfo, ForbiddenPattern, MAX_STRING, fieldInfo } from "../config/schema-fields";
import { stringSource } from "./hcl";

/** The longest namePrefix (NAME_PREFIX) and environment name (ENVIRONMENT_NAME); module-parity.test.ts holds them to the patterns. */
export const NAME_PREFIX_MAX = 24;
export const ENVIRONMENT_NAME_MAX = 16;

export interface Validation {
  readonly condition: string;
  readonly errorMessage: string;
}

/** One rule of a field, as a Terraform condition over a value that is not null. */
interface Check {
  readonly test: (value: string) => string;
  /** "is not allowed", "is out of range", ...: the cdktf message's words. */
  readonly refusal: string;
}

/** A field's rules as Terraform can check them. */
export interface FieldRules {
  readonly kind: "text" | "integer" | "oneOf" | "flag" | "list" | "map";
  readonly allowed: string;
  readonly checks: readonly Check[];
  /** list and map: the rules of each entry (map: each value), and how many entries at most. */
  readonly item?: FieldRules;
  /** map: the rules of each key. */
  readonly key?: FieldRules;
  readonly maxItems?: number;
  /** integer: the bounds (tests take boundary values from them). */
  readonly min?: number;
  readonly max?: number;
  /** oneOf: the options. */
  readonly options?: readonly string[];
  /** text: the RE2 pattern, the RE2 patterns it must not match, and bounds on its length. */
  readonly pattern?: string;
  readonly forbidden?: readonly ForbiddenPattern[];
}

/** JavaScript's \s as RE2 class members: RE2's \s is ASCII only; the Unicode separators (\p{Z}) and U+FEFF are the rest. */
const JS_WHITESPACE = "\\s\\v\\p{Z}\\x{FEFF}";
/** RE2 refuses repeat counts above this. */
const RE2_MAX_REPEAT = 1000;

/** The index of the parenthesis that closes the group opening at `open`. */
function closing(source: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") i++;
    else if (inClass) inClass = c !== "]";
    else if (c === "[") inClass = true;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  throw new Error(`unbalanced group in /${source}/`);
}

/** Rewrites JavaScript regular expression syntax that RE2 spells differently; `unbounded`: a `*` or `+` outside a class. */
function re2Syntax(source: string): { source: string; unbounded: boolean; maxRepeat: number } {
  let out = "";
  let inClass = false;
  let unbounded = false;
  let maxRepeat = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") {
      const next = source[i + 1];
      if (next === "u" && /^[0-9a-fA-F]{4}$/.test(source.slice(i + 2, i + 6))) {
        out += `\\x{${source.slice(i + 2, i + 6)}}`;
        i += 5;
      } else if (next === "s") {
        out += inClass ? JS_WHITESPACE : `[${JS_WHITESPACE}]`;
        i++;
      } else if (next === "S" || next === "b" || next === "B" || /[1-9k]/.test(next)) {
        throw new Error(`\\${next} in /${source}/ has no RE2 equivalent here`);
      } else {
        out += c + next;
        i++;
      }
      continue;
    }
    if (inClass) inClass = c !== "]";
    else if (c === "[") inClass = true;
    else if (c === "*" || c === "+") unbounded = true;
    else if (c === "(" && /^\(\?<?[=!]/.test(source.slice(i))) throw new Error(`a lookaround inside /${source}/ has no RE2 equivalent`);
    else if (c === "{") {
      const repeat = /^\{(\d+)(?:,(\d*))?\}/.exec(source.slice(i));
      if (repeat) maxRepeat = Math.max(maxRepeat, Number(repeat[2] || repeat[1]));
    }
    out += c;
  }
  return { source: out, unbounded, maxRepeat };
}

/**
 * A JavaScript pattern of the schema as RE2: the pattern itself, and the
 * patterns its leading negative lookaheads forbid. `maxLength` is set when a
 * repeat count beyond RE2's limit was replaced by `*`.
 */
export function toRe2(pattern: RegExp): { pattern: string; forbidden: string[]; maxLength?: number; unbounded: boolean } {
  if (pattern.flags.replace("u", "") !== "") throw new Error(`/${pattern.source}/${pattern.flags}: only the u flag is supported`);
  let source = pattern.source;
  if (!source.startsWith("^") || !source.endsWith("$")) throw new Error(`/${source}/ is not anchored at both ends`);
  const forbidden: string[] = [];
  source = source.slice(1);
  while (source.startsWith("(?!")) {
    const end = closing(source, 0);
    forbidden.push(re2Syntax(`^${source.slice(3, end)}`).source);
    source = source.slice(end + 1);
  }
  const converted = re2Syntax(`^${source}`);
  if (converted.maxRepeat <= RE2_MAX_REPEAT) return { pattern: converted.source, forbidden, unbounded: converted.unbounded };
  // Only a whole-value repeat can trade its count for a length check: ^ATOM{m,n}$.
  const whole = /^\^(\[(?:\\.|[^\]\\])*\]|\\.|.)\{(\d+),(\d+)\}\$$/.exec(converted.source);
  if (!whole) throw new Error(`/${pattern.source}/ repeats more than RE2's ${RE2_MAX_REPEAT} inside the pattern`);
  const [, atom, min] = whole;
  return { pattern: `^${atom}${min === "0" ? "*" : "+"}$`, forbidden, maxLength: Number(whole[3]), unbounded: false };
}

/** An HCL string literal (patterns contain backslashes and quotes). */
export function hclString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\$\{/g, "$${").replace(/%\{/g, "%%{")}"`;
}

type Node = {
  readonly type: string;
  readonly pipe?: readonly Node[];
  readonly requirement?: unknown;
  readonly options?: readonly string[];
  readonly item?: Node;
  readonly metadata?: Record<string, unknown>;
  readonly wrapped?: Node;
};

/** The actions of a schema built by schema-fields.ts, its own and those of the schema it wraps. */
function actions(node: Node): Node[] {
  if (!node.pipe) return [node];
  return node.pipe.flatMap((action, index) => (index === 0 && action.pipe ? actions(action) : [action]));
}

/** The rules of a field of the schema, as Terraform can check them. */
export function fieldRules(schema: unknown): FieldRules {
  const node = (schema as Node).type === "optional" ? ((schema as Node).wrapped as Node) : (schema as Node);
  const info: FieldInfo | undefined = fieldInfo(node);
  const all = actions(node);
  const base = all[0];
  const find = (type: string): Node | undefined => all.find((a) => a.type === type);
  const allowed = info?.allowed ?? "";
  switch (base.type) {
    case "boolean":
      return { kind: "flag", allowed, checks: [] };
    case "picklist": {
      const options = base.options as readonly string[];
      return {
        kind: "oneOf",
        allowed,
        options,
        checks: [{ test: (x) => `try(contains(${JSON.stringify(options)}, ${x}), false)`, refusal: "is not allowed" }],
      };
    }
    case "number": {
      const min = find("min_value")?.requirement as number;
      const max = find("max_value")?.requirement as number;
      return {
        kind: "integer",
        allowed,
        min,
        max,
        checks: [
          { test: (x) => `floor(${x}) == ${x}`, refusal: "is not an integer" },
          { test: (x) => `${x} >= ${min} && ${x} <= ${max}`, refusal: "is out of range" },
        ],
      };
    }
    case "string": {
      const regex = find("regex")?.requirement as RegExp;
      const re2 = toRe2(regex);
      const metadata = find("metadata")?.metadata ?? {};
      const forbidden = (metadata.forbidden as readonly ForbiddenPattern[] | undefined) ?? [];
      const maxLength = re2.maxLength ?? (re2.unbounded ? MAX_STRING : undefined);
      const matches = (x: string): string =>
        [
          `can(regex(${hclString(re2.pattern)}, ${x}))`,
          ...re2.forbidden.map((f) => `!can(regex(${hclString(f)}, ${x}))`),
          ...(maxLength === undefined ? [] : [`length(${x}) <= ${maxLength}`]),
        ].join(" && ");
      return {
        kind: "text",
        allowed,
        pattern: re2.pattern,
        forbidden: [...re2.forbidden.map((pattern) => ({ pattern, reason: "" })), ...forbidden],
        checks: [
          // try(): the length of null fails instead of erroring.
          { test: (x) => (maxLength === undefined ? matches(x) : `try(${matches(x)}, false)`), refusal: "is not allowed" },
          ...forbidden.map((f) => ({
            test: (x: string) => `!can(regex(${hclString(f.pattern)}, ${x}))`,
            refusal: `is not allowed: ${f.reason}`,
          })),
        ],
      };
    }
    case "custom": {
      // textMap: a plain object whose keys and values are text.
      const record = find("record") as (Node & { key: Node; value: Node }) | undefined;
      if (!record) throw new Error("no Terraform rendering for this object field");
      return { kind: "map", allowed, key: fieldRules(record.key), item: fieldRules(record.value), checks: [] };
    }
    case "array": {
      const item = fieldRules(base.item);
      return { kind: "list", allowed, item, maxItems: find("max_length")?.requirement as number, checks: [] };
    }
    default:
      throw new Error(`no Terraform rendering for a ${base.type} field`);
  }
}

/** Where a module input's value is: `var.x`, or an attribute of it; `guards`: when the rule applies at all. */
export interface Place {
  /** The name in messages: the input, or input.attribute. */
  readonly label: string;
  readonly expression: string;
  /** null (unset) passes: the input or attribute is optional. */
  readonly optional?: boolean;
  /** Expressions that must be null for the rule not to apply (e.g. the object that holds the attribute). */
  readonly nullParents?: readonly string[];
}

function guarded(place: Place, condition: string): string {
  // Terraform's || evaluates both sides, so each null test guards the next by a conditional.
  const nulls = [...(place.nullParents ?? []), ...(place.optional ? [place.expression] : [])];
  return nulls.reduceRight((inner, n) => `${n} == null ? true : ${inner}`, condition);
}

/** Terraform evaluates a message even when its condition holds: `shown` must not fail on a null parent, hence try(). */
function message(label: string, shown: string, refusal: string, allowed: string, nullSafe = false): string {
  return `${label}: \${jsonencode(${nullSafe ? `try(${shown}, null)` : shown})} ${refusal}; allowed: ${allowed}.`;
}

/** One rule of a value: a Terraform condition over it, and the message (a template) when it fails. */
interface Rule {
  readonly test: string;
  readonly message: string;
}

/**
 * A value's rules as one validation block: the conditions joined by `&&`,
 * and the message the first failing rule's, in the rule's own words (a value
 * that breaks two rules is reported once). One rule stays as it is.
 */
function oneBlock(rules: readonly Rule[]): Validation[] {
  if (rules.length === 0) return [];
  if (rules.length === 1) return [{ condition: `\${${rules[0].test}}`, errorMessage: rules[0].message }];
  const last = rules[rules.length - 1];
  const chosen = rules
    .slice(0, -1)
    .reduceRight((otherwise, r) => `!(${r.test}) ? ${stringSource(r.message)} : ${otherwise}`, stringSource(last.message));
  return [{ condition: `\${${rules.map((r) => `(${r.test})`).join(" && ")}}`, errorMessage: `\${${chosen}}` }];
}

/**
 * The validation blocks of one value (a variable, or an attribute of an
 * object variable) from its schema field: one block of the value's rules
 * (a map: one for its keys, one for its values).
 */
export function validationsOf(place: Place, schema: unknown): Validation[] {
  const rules = fieldRules(schema);
  const x = place.expression;
  if (rules.kind !== "list" && rules.kind !== "map") {
    return oneBlock(
      rules.checks.map((check) => ({
        test: guarded(place, check.test(x)),
        message: message(place.label, x, check.refusal, rules.allowed, (place.nullParents ?? []).length > 0),
      })),
    );
  }
  const item = rules.item as FieldRules;
  if (rules.kind === "map") {
    const key = rules.key as FieldRules;
    return [
      ...oneBlock(
        key.checks.map((check) => ({
          test: guarded(place, `alltrue([for key, value in ${x} : ${check.test("key")}])`),
          message: message(
            `${place.label} keys`,
            `[for key, value in ${x} : key if !(${check.test("key")})]`,
            check.refusal,
            rules.allowed,
          ),
        })),
      ),
      ...oneBlock(
        item.checks.map((check) => ({
          test: guarded(place, `alltrue([for key, value in ${x} : ${check.test("value")}])`),
          message: message(
            place.label,
            `{ for key, value in ${x} : key => value if !(${check.test("value")}) }`,
            check.refusal,
            rules.allowed,
          ),
        })),
      ),
    ];
  }
  return oneBlock([
    ...item.checks.map((check) => ({
      test: guarded(place, `alltrue([for item in ${x} : ${check.test("item")}])`),
      message: message(place.label, `[for item in ${x} : item if !(${check.test("item")})]`, check.refusal, item.allowed),
    })),
    {
      test: guarded(place, `length(distinct(${x})) == length(${x})`),
      message: `${place.label}: \${jsonencode(distinct([for i, item in ${x} : item if index(${x}, item) != i]))} is listed twice; list each entry once.`,
    },
    ...(rules.maxItems === undefined
      ? []
      : [
          {
            test: guarded(place, `length(${x}) <= ${rules.maxItems}`),
            message: `${place.label}: \${length(${x})} entries are too many; allowed: at most ${rules.maxItems} entries.`,
          },
        ]),
  ]);
}

/** The validation blocks of the module input `name` from a schema field. */
export function variableValidations(name: string, schema: unknown, options: { optional?: boolean } = {}): Validation[] {
  return validationsOf({ label: name, expression: `var.${name}`, optional: options.optional }, schema);
}

/** The rule of a field as words for a variable's description: "allowed: ...". */
export function allowedText(schema: unknown): string {
  return fieldRules(schema).allowed;
}

/** The schema of a declaration field of an environment, by path: `schemaField("key", "alias")`. */
export function schemaField(...path: string[]): unknown {
  let node = ENVIRONMENT_ENTRIES as unknown as Record<string, Node>;
  let field: Node | undefined;
  for (const [index, segment] of path.entries()) {
    field = node[segment];
    if (!field) throw new Error(`the schema has no field ${path.slice(0, index + 1).join(".")}`);
    if (field.type === "optional") field = field.wrapped as Node;
    const object = actions(field).find((a) => a.type === "strict_object") as (Node & { entries: Record<string, Node> }) | undefined;
    node = object?.entries ?? {};
  }
  return field;
}

/**
 * The module's `name` is what the stacks build as `<namePrefix>-<environment>`
 * (every resource name starts with it). Its longest is the longest namePrefix,
 * a hyphen and the longest environment name; its shortest stays 2 as before.
 */
export const MODULE_NAME = { min: 2, max: NAME_PREFIX_MAX + 1 + ENVIRONMENT_NAME_MAX } as const;
/** The longest Region name (ap-southeast-5, ap-northeast-3, ...): a default bucket `<name>-<account>-<region>` fits 63 in every Region up to this `name` length. */
export const MODULE_NAME_WITH_DEFAULT_BUCKET = 63 - 1 - 12 - 1 - Math.max(...AWS_REGIONS.map((r) => r.length));

/**
 * The validation blocks of the module's `name`, from the rules of namePrefix,
 * environment names and S3's reserved prefixes. They read no other input:
 * Terraform skips the blocks that read an invalid input, so a rule across
 * inputs would hide this one's refusal (the default bucket name's length is
 * therefore said in the description, not checked).
 */
export function moduleNameValidations(): Validation[] {
  const reserved = RESERVED_BUCKET_PATTERNS[0];
  const allowed = `${MODULE_NAME.min}-${MODULE_NAME.max} lowercase letters, digits or hyphens, starting and ending with a letter or digit`;
  return oneBlock([
    {
      test: `can(regex(${hclString(`^[a-z0-9][a-z0-9-]{${MODULE_NAME.min - 2},${MODULE_NAME.max - 2}}[a-z0-9]$`)}, var.name))`,
      message: message("name", "var.name", "is not allowed", allowed),
    },
    {
      test: `!can(regex(${hclString(reserved.pattern)}, var.name))`,
      message: message("name", "var.name", `is not allowed: every bucket name starts with it, and ${reserved.reason}`, allowed),
    },
  ]);
}
