/**
 * The checks every declaration passes before anything is resolved: the file
 * itself (encoding, size, JSON syntax, keys written twice), its structure
 * (depth, sizes, keys that are JavaScript object-model names, Terraform
 * template sequences) and the schema. Each problem names the field as the
 * user wrote it.
 */
import * as v from "valibot";
import { declarationSchema } from "./config-schema";
import { RepeatedKey, announcedLength, firstInvalidUtf8, repeatedKeys } from "./json-text";
import { MAX_STRING, jsonType, show } from "./schema-fields";

/** No real declaration comes near these; beyond them the input is pathological. */
export const LIMITS = { fileBytes: 4 * 1024 * 1024, depth: 16, arrayItems: 1000, objectKeys: 1000, problems: 50 };
/** Keys that name JavaScript's object model: merged naively they would reach prototypes. */
export const OBJECT_MODEL_KEYS = ["__proto__", "constructor", "prototype"];
/** Terraform evaluates these in any string of its JSON syntax. */
const TEMPLATE_SEQUENCE = /[$%]\{/;

/** Where a field was written: the root and then object keys or list indices. */
export function pathText(root: string, segments: readonly (string | number)[]): string {
  return segments.reduce<string>((path, s) => (typeof s === "number" ? `${path}[${s}]` : `${path}.${s}`), root);
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

export interface ParsedJson {
  readonly value?: unknown;
  /** The first of the problems, when there is one. */
  readonly problem?: string;
  /** More than one only for keys written twice: each is reported, so that one run shows them all. */
  readonly problems: readonly string[];
}

/**
 * Parses cdktf.json, as the bytes read from disk (or as text, which is
 * checked as its UTF-8 encoding). Each problem says where: a byte-order mark,
 * the size, bytes that are not UTF-8, a syntax error, keys written twice.
 */
export function parseJsonText(input: string | Uint8Array): ParsedJson {
  const bytes = typeof input === "string" ? Buffer.from(input, "utf8") : input;
  const problem = encodingProblem(bytes);
  if (problem) return { problem, problems: [problem] };
  const text = typeof input === "string" ? input : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const syntax = syntaxProblem(text, error as Error);
    return { problem: syntax, problems: [syntax] };
  }
  // Only once JSON.parse has accepted the text: comments, trailing commas and the rest of the syntax stay its to refuse.
  const place = locator(text);
  const repeats = repeatedKeys(text)
    .slice(0, LIMITS.problems)
    .map((repeat) => repeatedKeyProblem(place, repeat));
  return repeats.length > 0 ? { problem: repeats[0], problems: repeats } : { value, problems: [] };
}

function encodingProblem(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return "line 1, column 1: the file starts with a byte-order mark (U+FEFF); save it as UTF-8 without a BOM";
  }
  if (bytes.length > LIMITS.fileBytes) return `the file has ${bytes.length} bytes; at most ${LIMITS.fileBytes} are read`;
  const invalid = firstInvalidUtf8(bytes);
  if (invalid === undefined) return undefined;
  // Everything before the first invalid byte is UTF-8, so it decodes exactly and gives the column as the syntax errors count it.
  const before = Buffer.from(bytes.buffer, bytes.byteOffset, invalid).toString("utf8");
  const where = lineAndColumn(before, before.length);
  const found = [...bytes.subarray(invalid, invalid + announcedLength(bytes[invalid]))];
  const hex = found.map((byte) => `0x${byte.toString(16).toUpperCase().padStart(2, "0")}`).join(" ");
  return `byte offset ${invalid} (line ${where.line}, column ${where.column}) is not valid UTF-8 (the bytes there: ${hex}); save the file as UTF-8`;
}

function syntaxProblem(text: string, error: Error): string {
  const offset = /at position (\d+)/.exec(error.message);
  const where = lineAndColumn(text, offset ? Number(offset[1]) : text.length);
  const reason = error.message.replace(/ in JSON at position \d+.*$/s, "").replace(/^JSON\.parse: /, "");
  return `cannot be read as JSON: line ${where.line}, column ${where.column}: ${reason}`;
}

/** At most this many writings of one key are placed by line: a key written thousands of times needs no list of them all. */
const PLACES_NAMED = 3;

function repeatedKeyProblem(place: (offset: number) => { line: number; column: number }, repeat: RepeatedKey): string {
  const [first, ...rest] = repeat.segments;
  const path = pathText(typeof first === "number" ? `[${first}]` : first, rest);
  const places = repeat.offsets.slice(0, PLACES_NAMED).map(place);
  // Lines alone name the places unless two writings share a line (a one-line file): then columns too.
  const oneLine = new Set(places.map((at) => at.line)).size < places.length;
  const named = places.map((at) => (oneLine ? `line ${at.line}, column ${at.column}` : String(at.line)));
  const more = repeat.offsets.length - places.length;
  if (more > 0) named.push(`${more} more`);
  const list = `${named.slice(0, -1).join(oneLine ? "; " : ", ")} and ${named[named.length - 1]}`;
  const times = repeat.offsets.length === 2 ? "twice" : `${repeat.offsets.length} times`;
  return `${path}: written ${times} (${oneLine ? list : `lines ${list}`}); JSON keeps only the last, so write it once`;
}

/** lineAndColumn for many offsets of one text: its line starts are found once, and each offset among them by bisection. */
function locator(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let index = text.indexOf("\n"); index !== -1; index = text.indexOf("\n", index + 1)) starts.push(index + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - starts[low] + 1 };
  };
}

type Visit = { value: unknown; segments: (string | number)[] };

/**
 * Walks the declaration without recursion (so that nesting cannot overflow
 * the stack) and reports what no field may contain.
 */
export function structuralProblems(declaration: unknown, root: string): string[] {
  const problems: string[] = [];
  const stack: Visit[] = [{ value: declaration, segments: [] }];
  while (stack.length > 0 && problems.length < LIMITS.problems) {
    const { value, segments } = stack.pop() as Visit;
    const at = pathText(root, segments);
    if (typeof value === "string") {
      problems.push(...stringProblems(at, value));
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (segments.length >= LIMITS.depth) {
      problems.push(`${at}: nested ${segments.length} levels deep; no field of the declaration is deeper than ${LIMITS.depth}`);
      continue;
    }
    const entries = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(value);
    const limit = Array.isArray(value) ? LIMITS.arrayItems : LIMITS.objectKeys;
    if (entries.length > limit) {
      problems.push(`${at}: ${jsonType(value)} of ${entries.length} entries; at most ${limit} are allowed`);
      continue;
    }
    for (const [key, item] of entries) {
      const child = [...segments, key];
      if (typeof key === "string") {
        const keyProblem = keyProblems(key);
        if (keyProblem) {
          problems.push(`${pathText(root, child)}: ${keyProblem}`);
          continue;
        }
      }
      stack.push({ value: item, segments: child });
    }
  }
  return problems.sort();
}

function keyProblems(key: string): string | undefined {
  if (OBJECT_MODEL_KEYS.includes(key)) {
    return `the key ${JSON.stringify(key)} is refused: it names JavaScript's object model; allowed: the field names this schema lists`;
  }
  if (TEMPLATE_SEQUENCE.test(key)) {
    return `the key ${show(key)} contains a Terraform template sequence (\${ or %{); keys are written literally, so remove it`;
  }
  if (key.length > 256) return `a key of ${key.length} characters; no field name or map key is longer than 256`;
  return undefined;
}

function stringProblems(at: string, value: string): string[] {
  if (value.length > MAX_STRING) return [`${at}: ${show(value)} is too long; no field allows more than ${MAX_STRING} characters`];
  if (TEMPLATE_SEQUENCE.test(value)) {
    return [
      `${at}: ${show(value)} contains a Terraform template sequence (\${ or %{), which Terraform would evaluate instead of writing it; allowed: text without \${ and %{ (write "$ {" or "% {" if the characters are meant)`,
    ];
  }
  return [];
}

/** The schema's problems, each at the path where the value was written. */
export function schemaProblems(declaration: unknown, root: string): string[] {
  const result = v.safeParse(declarationSchema, declaration, { abortPipeEarly: true });
  if (result.success) return [];
  const problems = result.issues.map((issue) => {
    const segments = (issue.path ?? []).map((item) => item.key as string | number);
    return `${pathText(root, segments)}: ${issue.message}`;
  });
  return [...new Set(problems)].slice(0, LIMITS.problems);
}
