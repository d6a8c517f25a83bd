/**
 * Renders Terraform JSON (what cdktf synthesizes) as plain HCL native syntax
 * that `terraform fmt` leaves unchanged, so that the module can be read,
 * diffed and scanned (Checkov loads only .tf/.hcl files from module folders).
 *
 * cdktf's own HCL output is lossy in known cases (cdktf #3911, #3698), so this
 * renderer starts from the JSON that the Terraform tests already prove, and
 * takes from cdktf only what JSON cannot say: which keys are nested blocks
 * (`blockPathsOf`, read from the provider bindings' `isBlock` metadata).
 *
 * Strings: a string that is exactly one `${...}` becomes that expression; any
 * other string becomes a quoted template with its literal parts escaped.
 * Expressions are re-spaced with the rules of hclwrite (the formatter behind
 * `terraform fmt`), long object and tuple constructors are broken one item per
 * line, and consecutive `=` are aligned as `terraform fmt` aligns them.
 */
import { TerraformStack } from "cdktf";
// cdktf's resolver, as its own toHclTerraform uses it; not re-exported from the package root.
import { resolve } from "cdktf/lib/_tokens";

type Json = Record<string, any>;

/** Lines longer than this are broken at object and tuple constructors. */
const LINE_LIMIT = 100;

// ---------------------------------------------------------------------------
// Block paths: which keys of which resource/data types are nested blocks.

/** `resource.<type>` or `data.<type>` → dotted paths of nested blocks (`rule`, `rule.filter`). */
export type BlockPaths = Map<string, Set<string>>;

/** Collects, from every resource and data source of `stack`, the keys that its provider binding marks as blocks. */
export function blockPathsOf(stack: TerraformStack): BlockPaths {
  const paths: BlockPaths = new Map();
  for (const construct of stack.node.findAll()) {
    const element = construct as unknown as { toHclTerraform?: () => unknown };
    const kind = (construct as unknown as { terraformResourceType?: string }).terraformResourceType;
    if (!kind || typeof element.toHclTerraform !== "function") continue;
    const fragment = resolve(stack, element.toHclTerraform()) as Json;
    for (const section of ["resource", "data"] as const) {
      for (const [type, byName] of Object.entries<Json>(fragment[section] ?? {})) {
        const set = paths.get(`${section}.${type}`) ?? new Set<string>();
        paths.set(`${section}.${type}`, set);
        for (const body of Object.values<Json>(byName)) collectBlocks(body, "", set);
      }
    }
  }
  return paths;
}

function collectBlocks(body: Json, prefix: string, into: Set<string>): void {
  for (const [key, attribute] of Object.entries<Json>(body ?? {})) {
    if (attribute === null || typeof attribute !== "object" || !("value" in attribute)) continue;
    if (!(attribute.isBlock || attribute.is_block)) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    into.add(path);
    const items = Array.isArray(attribute.value) ? attribute.value : [attribute.value];
    for (const item of items) if (item && typeof item === "object") collectBlocks(item, path, into);
  }
}

// ---------------------------------------------------------------------------
// Tokens of HCL expressions.

type Token =
  | { readonly kind: "ident" | "number" | "punct"; readonly text: string }
  | { readonly kind: "string"; readonly parts: readonly (string | Token[])[] };

const PUNCTUATION = [
  "...",
  "=>",
  "==",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ",",
  ".",
  "?",
  ":",
  "=",
  "<",
  ">",
  "!",
  "+",
  "-",
  "*",
  "/",
  "%",
];

export class HclSyntaxError extends Error {}

/** Tokens of an HCL expression (cdktf's dialect: no heredocs, no comments). */
export function tokenize(source: string): Token[] {
  const state = { source, at: 0 };
  const tokens = readTokens(state, false);
  if (state.at < source.length) throw new HclSyntaxError(`unexpected ${JSON.stringify(source[state.at])} in ${source}`);
  return tokens;
}

/** Reads tokens until the end, or (inside `${`) until the `}` that closes it. */
function readTokens(state: { source: string; at: number }, inInterpolation: boolean): Token[] {
  const { source } = state;
  const tokens: Token[] = [];
  let depth = 0;
  while (state.at < source.length) {
    const c = source[state.at];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      state.at++;
      continue;
    }
    if (c === '"') {
      state.at++;
      tokens.push(readString(state));
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(source.slice(state.at))![0];
      tokens.push({ kind: "ident", text: match });
      state.at += match.length;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const match = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(source.slice(state.at))![0];
      tokens.push({ kind: "number", text: match });
      state.at += match.length;
      continue;
    }
    const punct = PUNCTUATION.find((p) => source.startsWith(p, state.at));
    if (!punct) throw new HclSyntaxError(`unexpected ${JSON.stringify(c)} in ${source}`);
    if (punct === "{") depth++;
    if (punct === "}") {
      if (inInterpolation && depth === 0) return tokens;
      depth--;
    }
    tokens.push({ kind: "punct", text: punct });
    state.at += punct.length;
  }
  if (inInterpolation) throw new HclSyntaxError(`unterminated interpolation in ${source}`);
  return tokens;
}

/** A quoted template, after its opening quote: literal parts (source text, escapes kept) and interpolations. */
function readString(state: { source: string; at: number }): Token {
  const { source } = state;
  const parts: (string | Token[])[] = [];
  let literal = "";
  while (state.at < source.length) {
    const c = source[state.at];
    if (c === "\\") {
      literal += source.slice(state.at, state.at + 2);
      state.at += 2;
    } else if (c === '"') {
      state.at++;
      if (literal) parts.push(literal);
      return { kind: "string", parts };
    } else if ((c === "$" || c === "%") && source[state.at + 1] === c && source[state.at + 2] === "{") {
      literal += source.slice(state.at, state.at + 3); // $${ and %%{ are literal
      state.at += 3;
    } else if (c === "$" && source[state.at + 1] === "{") {
      if (literal) parts.push(literal);
      literal = "";
      state.at += 2;
      parts.push(readTokens(state, true));
      state.at++; // the closing }
    } else if (c === "%" && source[state.at + 1] === "{") {
      throw new HclSyntaxError(`template directives are not supported: ${source}`);
    } else {
      literal += c;
      state.at++;
    }
  }
  throw new HclSyntaxError(`unterminated string in ${source}`);
}

const isOpen = (t: Token | undefined): boolean => t?.kind === "punct" && ["(", "[", "{"].includes(t.text);
const isClose = (t: Token | undefined): boolean => t?.kind === "punct" && [")", "]", "}"].includes(t.text);
const isPunct = (t: Token | undefined, text: string): boolean => t?.kind === "punct" && t.text === text;

/** Whether hclwrite puts a space between `subject` and `after` (its spaceAfterToken, for the tokens used here). */
function spaceBetween(before: Token | undefined, subject: Token, after: Token): boolean {
  if (subject.kind === "ident" && isPunct(after, "(")) return false;
  if (isPunct(subject, ".") || isPunct(after, ".")) return false;
  if (isPunct(after, ",") || isPunct(after, "...")) return false;
  if (isPunct(subject, ",")) return true;
  if (isPunct(after, "[") && (subject.kind === "ident" || isPunct(subject, "]") || isPunct(subject, ")"))) return false;
  if (isPunct(subject, "{") || isPunct(after, "}")) return !(isPunct(subject, "{") && isPunct(after, "}"));
  if (isOpen(subject)) return false;
  if (isClose(after)) return false;
  if (isPunct(subject, "!")) return false;
  if (isPunct(subject, "-")) {
    if (!before) return false;
    if (before.kind === "punct" && !isClose(before)) return false;
    return true;
  }
  return true;
}

/** Tokens on one line, spaced as `terraform fmt` spaces them. */
function flat(tokens: readonly Token[]): string {
  let text = "";
  tokens.forEach((token, i) => {
    if (i > 0 && spaceBetween(tokens[i - 2], tokens[i - 1], token)) text += " ";
    text += tokenText(token);
  });
  return text;
}

function tokenText(token: Token): string {
  if (token.kind !== "string") return token.text;
  return `"${token.parts
    .map((part) => {
      if (typeof part === "string") return part;
      // hclwrite: a space between ${ and a leading {, and between a trailing } and the closing }.
      const inner = flat(part);
      return `\${${isPunct(part[0], "{") ? " " : ""}${inner}${isPunct(part[part.length - 1], "}") ? " " : ""}}`;
    })
    .join("")}"`;
}

// ---------------------------------------------------------------------------
// Line breaking of long expressions.

/** The index of the token that closes the bracket opened at `open`. */
function closing(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isOpen(tokens[i])) depth++;
    if (isClose(tokens[i])) depth--;
    if (depth === 0) return i;
  }
  throw new HclSyntaxError(`unbalanced brackets in ${flat(tokens)}`);
}

/** Items of the bracket pair `[open, close]`, split at its top-level commas. */
function items(tokens: readonly Token[], open: number, close: number): Token[][] {
  const result: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  for (let i = open + 1; i < close; i++) {
    const t = tokens[i];
    if (isOpen(t)) depth++;
    if (isClose(t)) depth--;
    if (depth === 0 && isPunct(t, ",")) {
      result.push(current);
      current = [];
    } else current.push(t);
  }
  if (current.length > 0) result.push(current);
  return result;
}

/** An object or tuple constructor (not a for expression, not an index): the only places lines are broken. */
function isConstructor(tokens: readonly Token[], open: number): boolean {
  const t = tokens[open];
  if (!isPunct(t, "{") && !isPunct(t, "[")) return false;
  const next = tokens[open + 1];
  if (next?.kind === "ident" && next.text === "for") return false;
  if (isPunct(t, "[")) {
    const previous = tokens[open - 1];
    if (previous && (previous.kind !== "punct" || isClose(previous))) return false;
    if (isPunct(next, "*")) return false;
  }
  return closing(tokens, open) > open + 1;
}

/**
 * Lines for `prefix` + `tokens` + `suffix` at `indent` levels: one line when
 * it fits, else broken at the first constructor (or call of one constructor,
 * as `jsonencode({`), one item per line, recursively.
 */
function layout(tokens: readonly Token[], indent: number, prefix: string, suffix: string): string[] {
  const pad = "  ".repeat(indent);
  const single = `${pad}${prefix}${flat(tokens)}${suffix}`;
  if (single.length <= LINE_LIMIT) return [single];
  let open = -1;
  for (let i = 0; i < tokens.length && open < 0; i++) {
    if (isConstructor(tokens, i)) open = i;
    else if (isPunct(tokens[i], "(") && isConstructor(tokens, i + 1) && closing(tokens, i + 1) === closing(tokens, i) - 1) open = i + 1;
    if (isOpen(tokens[i]) && open < 0) i = closing(tokens, i); // only top-level brackets break
  }
  if (open < 0) return [single];
  const close = closing(tokens, open);
  const head = tokens.slice(0, open + 1);
  const tail = tokens.slice(close);
  const object = isPunct(tokens[open], "{");
  const lines = [`${pad}${prefix}${flat(head)}`];
  const list = items(tokens, open, close);
  list.forEach((item, index) => {
    const comma = index < list.length - 1 ? "," : "";
    const equals = object ? item.findIndex((t) => isPunct(t, "=")) : -1;
    if (equals > 0) {
      const key = `${flat(item.slice(0, equals))} ${tokenText(item[equals])} `;
      lines.push(...layout(item.slice(equals + 1), indent + 1, key, comma));
    } else lines.push(...layout(item, indent + 1, "", comma));
  });
  lines.push(`${pad}${flat(tail)}${suffix}`);
  return lines;
}

// ---------------------------------------------------------------------------
// Alignment of `=` as terraform fmt does it (hclwrite formatCells).

/** Index of the `=` that starts the line's "assign cell", when the rest of the line is a whole expression. */
function assignColumn(line: string): number {
  const trimmed = line.trimStart();
  if (trimmed === "" || trimmed.startsWith("#")) return -1;
  let tokens: Token[];
  try {
    tokens = tokenize(trimmed);
  } catch {
    return -1; // a line such as `}` alone or `policy = jsonencode({` still tokenizes; others are not assignments
  }
  const equals = tokens.findIndex((t) => isPunct(t, "="));
  if (equals <= 0) return -1;
  let net = 0;
  for (const t of tokens.slice(equals)) net += isOpen(t) ? 1 : isClose(t) ? -1 : 0;
  if (net !== 0) return -1;
  // The position of that `=` in the text: the lead is re-rendered, so measure it.
  const lead = flat(tokens.slice(0, equals));
  return line.length - trimmed.length + lead.length;
}

function align(lines: string[]): string[] {
  const out = [...lines];
  let start = -1;
  const close = (end: number): void => {
    if (start < 0) return;
    const chain = out.slice(start, end);
    const width = Math.max(...chain.map((l) => assignColumn(l)));
    for (let i = start; i < end; i++) {
      const column = assignColumn(out[i]);
      const equals = out[i].indexOf("=", column);
      out[i] = `${out[i].slice(0, column)}${" ".repeat(width - column + 1)}${out[i].slice(equals)}`;
    }
    start = -1;
  };
  out.forEach((line, i) => {
    if (assignColumn(line) < 0) close(i);
    else if (start < 0) start = i;
  });
  close(out.length);
  return out;
}

// ---------------------------------------------------------------------------
// Values.

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const KEYWORDS = new Set(["true", "false", "null", "for", "in", "if"]);

/** `${...}` spanning the whole string: the expression inside, else undefined. */
export function soleInterpolation(value: string): string | undefined {
  if (!value.startsWith("${") || value.startsWith("$${")) return undefined;
  const state = { source: value, at: 2 };
  try {
    readTokens(state, true);
  } catch {
    return undefined;
  }
  return state.at === value.length - 1 ? value.slice(2, -1) : undefined;
}

/** A Terraform JSON string as HCL source: an expression, or a quoted template (literal parts escaped). */
export function stringSource(value: string, literalOnly = false): string {
  if (literalOnly) return `"${escapeLiteral(value).replace(/\$\{/g, "$${").replace(/%\{/g, "%%{")}"`;
  const sole = soleInterpolation(value);
  if (sole !== undefined) return sole;
  let source = '"';
  let at = 0;
  while (at < value.length) {
    const escaped = /^(\$\$\{|%%\{)/.exec(value.slice(at));
    if (escaped) {
      source += escaped[0];
      at += 3;
    } else if (value.startsWith("${", at)) {
      const state = { source: value, at: at + 2 };
      readTokens(state, true);
      source += value.slice(at, state.at + 1);
      at = state.at + 1;
    } else {
      source += escapeLiteral(value[at]);
      at++;
    }
  }
  return `${source}"`;
}

function escapeLiteral(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t");
}

/** A JSON value as HCL expression source. `literal`: strings are not templates (defaults, descriptions). */
export function valueSource(value: unknown, literal = false): string {
  if (value === null) return "null";
  if (typeof value === "string") return stringSource(value, literal);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map((item) => valueSource(item, literal)).join(", ")}]`;
  const entries = Object.entries(value as Json);
  if (entries.length === 0) return "{}";
  return `{ ${entries.map(([k, v]) => `${objectKey(k)} = ${valueSource(v, literal)}`).join(", ")} }`;
}

function objectKey(key: string): string {
  return IDENTIFIER.test(key) && !KEYWORDS.has(key) ? key : JSON.stringify(key);
}

/** Lines of `name = <expression>` at `indent`. */
function attributeLines(name: string, source: string, indent: number): string[] {
  return layout(tokenize(source), indent, `${name} = `, "");
}

// ---------------------------------------------------------------------------
// Blocks and files.

interface BodyContext {
  /** Nested block paths of this resource or data type. */
  readonly blocks: ReadonlySet<string>;
  /** Dotted path of this body within the resource ("" at the top). */
  readonly path: string;
}

const META_FIRST = ["count", "for_each", "provider"];
const META_LAST = ["depends_on", "lifecycle"];
const REFERENCE_LISTS = new Set(["depends_on", "ignore_changes", "replace_triggered_by"]);

/** The body of a resource, data source or nested block. */
function bodyLines(body: Json, indent: number, context: BodyContext): string[] {
  const keys = Object.keys(body).filter((k) => k !== "//");
  const isBlock = (key: string): boolean => {
    if (key === "lifecycle" || key === "dynamic" || key === "content") return true;
    const value = body[key];
    if (context.blocks.has(context.path ? `${context.path}.${key}` : key)) return true;
    // Unknown to the binding (written by an override): a list of objects is a block, an object a map.
    return Array.isArray(value) && value.length > 0 && value.every((v) => v !== null && typeof v === "object" && !Array.isArray(v));
  };
  const first = META_FIRST.filter((k) => keys.includes(k));
  const last = META_LAST.filter((k) => keys.includes(k));
  const middle = keys.filter((k) => !first.includes(k) && !last.includes(k));
  const attributes = middle.filter((k) => !isBlock(k));
  // Dynamic blocks after the static ones: Terraform expands them where they stand, so a policy
  // document lists its statements that always exist first, then the optional ones.
  const blocks = [...middle.filter((k) => isBlock(k) && k !== "dynamic"), ...middle.filter((k) => k === "dynamic")];
  const groups: string[][] = [];
  const attribute = (key: string): string[] => {
    const value = body[key];
    if (key === "provider") return [`${"  ".repeat(indent)}provider = ${value}`];
    if (REFERENCE_LISTS.has(key) && Array.isArray(value)) return attributeLines(key, `[${value.join(", ")}]`, indent);
    return attributeLines(key, valueSource(value), indent);
  };
  if (first.length) groups.push(first.flatMap(attribute));
  if (attributes.length) groups.push(attributes.flatMap(attribute));
  for (const key of blocks) groups.push(...blockGroups(key, body[key], indent, context));
  for (const key of last) {
    if (key === "lifecycle") groups.push(...blockGroups(key, body[key], indent, { blocks: new Set(), path: "lifecycle" }));
    else groups.push(attribute(key));
  }
  return groups.flatMap((group, i) => (i === 0 ? group : ["", ...group]));
}

/** A nested block (one per list item) or `dynamic "<name>"` blocks, each a group of lines. */
function blockGroups(key: string, value: unknown, indent: number, context: BodyContext): string[][] {
  const pad = "  ".repeat(indent);
  const path = context.path ? `${context.path}.${key}` : key;
  if (key === "dynamic") {
    // One spec per block type, or (Terraform JSON's form for several blocks of a type) a list of them.
    const specs = Object.entries<Json>(value as Json).flatMap(([name, spec]) =>
      (Array.isArray(spec) ? spec : [spec]).map((one: Json) => [name, one] as const),
    );
    return specs.map(([name, spec]) => {
      const inner = { blocks: context.blocks, path: context.path ? `${context.path}.${name}` : name };
      const lines = [`${pad}dynamic "${name}" {`, ...attributeLines("for_each", valueSource(spec.for_each), indent + 1)];
      if (spec.iterator) lines.push(`${pad}  iterator = ${spec.iterator}`);
      lines.push("", `${pad}  content {`, ...bodyLines(spec.content ?? {}, indent + 2, inner), `${pad}  }`, `${pad}}`);
      return lines;
    });
  }
  const list = Array.isArray(value) ? value : [value];
  return list.map((item: Json) => {
    const inner = bodyLines(item ?? {}, indent + 1, { blocks: context.blocks, path });
    return inner.length === 0 ? [`${pad}${key} {}`] : [`${pad}${key} {`, ...inner, `${pad}}`];
  });
}

function labelled(kind: string, labels: string[], body: string[]): string[] {
  const head = [kind, ...labels.map((l) => JSON.stringify(l))].join(" ");
  return body.length === 0 ? [`${head} {}`] : [`${head} {`, ...body, "}"];
}

/** Joins top-level blocks with blank lines, aligns, ends with a newline. */
function file(header: string[], blocks: string[][]): string {
  const lines = [...header.map((l) => (l ? `# ${l}` : "#")), ...(header.length ? [""] : [])];
  blocks.forEach((block, i) => lines.push(...(i === 0 ? block : ["", ...block])));
  return `${align(lines).join("\n")}\n`;
}

export interface HclModuleFiles {
  readonly "main.tf": string;
  readonly "variables.tf": string;
  readonly "outputs.tf": string;
  readonly "versions.tf": string;
}

/**
 * The module's Terraform JSON as HCL files, laid out as terraform-aws-modules
 * do: locals, data sources and resources in main.tf (by type, then name),
 * inputs in variables.tf, outputs in outputs.tf, requirements in versions.tf.
 * `header` is a comment at the top of every file.
 */
/**
 * @param comments lines written at the top of a block, by its address
 * (`resource.<type>.<name>`, `data.<type>.<name>`): Checkov's skip comments.
 */
export function renderHclModule(
  module: Json,
  blockPaths: BlockPaths,
  header: string[],
  comments: (address: string) => string[] = () => [],
): HclModuleFiles {
  const sorted = <T>(object: Record<string, T> | undefined): [string, T][] =>
    Object.entries(object ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const main: string[][] = [];
  if (module.locals && Object.keys(module.locals).length > 0) {
    main.push(
      labelled(
        "locals",
        [],
        sorted<unknown>(module.locals).flatMap(([name, value]) => attributeLines(name, valueSource(value), 1)),
      ),
    );
  }
  for (const section of ["data", "resource"] as const) {
    for (const [type, byName] of sorted<Json>(module[section])) {
      const blocks = blockPaths.get(`${section}.${type}`) ?? new Set<string>();
      for (const [name, body] of sorted<Json>(byName)) {
        const notes = comments(`${section}.${type}.${name}`).map((line) => `  ${line}`);
        const lines = bodyLines(body, 1, { blocks, path: "" });
        main.push(labelled(section, [type, name], notes.length > 0 ? [...notes, "", ...lines] : lines));
      }
    }
  }
  const variables = sorted<Json>(module.variable).map(([name, v]) => {
    const lines: string[][] = [];
    const simple: string[] = [];
    if (v.description !== undefined) simple.push(...attributeLines("description", stringSource(v.description, true), 1));
    if (v.type !== undefined) simple.push(...attributeLines("type", v.type, 1));
    if ("default" in v) simple.push(...attributeLines("default", valueSource(v.default, true), 1));
    if (v.nullable !== undefined) simple.push(`  nullable = ${v.nullable}`);
    if (v.sensitive !== undefined) simple.push(`  sensitive = ${v.sensitive}`);
    lines.push(simple);
    for (const validation of v.validation ?? []) {
      lines.push([
        "  validation {",
        ...attributeLines("condition", stringSource(validation.condition), 2),
        ...attributeLines("error_message", stringSource(validation.error_message), 2),
        "  }",
      ]);
    }
    return labelled(
      "variable",
      [name],
      lines.flatMap((group, i) => (i === 0 ? group : ["", ...group])),
    );
  });
  const outputs = sorted<Json>(module.output).map(([name, o]) => {
    const lines: string[] = [];
    if (o.description !== undefined) lines.push(...attributeLines("description", stringSource(o.description, true), 1));
    lines.push(...attributeLines("value", valueSource(o.value), 1));
    if (o.sensitive !== undefined) lines.push(`  sensitive = ${o.sensitive}`);
    return labelled("output", [name], lines);
  });
  return {
    "main.tf": file(header, main),
    "variables.tf": file(header, variables),
    "outputs.tf": file(header, outputs),
    "versions.tf": file(header, [terraformBlock(module.terraform ?? {})]),
  };
}

/** The `terraform` block: required_version, and required_providers (with configuration_aliases as references). */
function terraformBlock(terraform: Json): string[] {
  const lines: string[] = [];
  if (terraform.required_version) lines.push(`  required_version = ${JSON.stringify(terraform.required_version)}`);
  const providers = Object.entries<Json>(terraform.required_providers ?? {});
  if (providers.length) {
    if (lines.length) lines.push("");
    lines.push("  required_providers {");
    for (const [name, requirement] of providers) {
      lines.push(`    ${name} = {`);
      for (const [key, value] of Object.entries(requirement)) {
        if (key === "configuration_aliases") lines.push(`      ${key} = [${(value as string[]).join(", ")}]`);
        else lines.push(`      ${key} = ${JSON.stringify(value)}`);
      }
      lines.push("    }");
    }
    lines.push("  }");
  }
  return labelled("terraform", [], lines);
}
