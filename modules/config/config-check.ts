/**
 * The checks every declaration passes before anything is resolved: the file
 * itself (encoding, size, JSON syntax), its structure (depth, sizes, keys that
 * are JavaScript object-model names, Terraform template sequences) and the
 * schema. Each problem names the field as the user wrote it.
 */
import * as v from "valibot";
import { declarationSchema } from "./config-schema";
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

/** Parses cdktf.json text; a syntax error is reported by line and column. */
export function parseJsonText(text: string): { value?: unknown; problem?: string } {
  if (text.charCodeAt(0) === 0xfeff) {
    return { problem: "line 1, column 1: the file starts with a byte-order mark (U+FEFF); save it as UTF-8 without a BOM" };
  }
  if (Buffer.byteLength(text) > LIMITS.fileBytes) {
    return { problem: `the file has ${Buffer.byteLength(text)} bytes; at most ${LIMITS.fileBytes} are read` };
  }
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    const offset = /at position (\d+)/.exec(message);
    const where = lineAndColumn(text, offset ? Number(offset[1]) : text.length);
    const reason = message.replace(/ in JSON at position \d+.*$/s, "").replace(/^JSON\.parse: /, "");
    return { problem: `cannot be read as JSON: line ${where.line}, column ${where.column}: ${reason}` };
  }
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
