/**
 * Short units: no function, method, constructor, accessor or arrow function
 * outside the tests has a body longer than MAX_LINES, so that each reads on
 * one screen. A long one is split into well-named functions (for a
 * construct, private methods in creation order, since that order is the
 * order of the synthesized JSON). Lines are counted as the TypeScript
 * compiler sees the unit: from its first token (after its doc comment) to
 * its closing brace, both included.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import * as ts from "typescript";

const ROOT = join(__dirname, "..");
const MAX_LINES = 80;
/** A source file reads in one sitting: a larger one is a table to move into data, or two concerns to split. */
const MAX_FILE_LINES = 700;
/** The app's entry point at the top level, beside modules/ (the other commands' are in modules/cli/<command>/). */
const ENTRY_FILES = ["main.ts"];

interface LongUnit {
  readonly name: string;
  readonly line: number;
  readonly lines: number;
}

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    return entry.isDirectory() ? sources(path) : entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** What a reader would search for: the declared name, or the variable or property an arrow function is assigned to. */
function nameOf(node: ts.SignatureDeclaration, file: ts.SourceFile): string {
  if (ts.isConstructorDeclaration(node)) return "constructor";
  if (node.name) return node.name.getText(file);
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.name) {
    return parent.name.getText(file);
  }
  return "(anonymous)";
}

/** Every unit with a body longer than `maxLines` in one file's text, outermost first. */
function longUnits(fileName: string, text: string, maxLines = MAX_LINES): LongUnit[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: LongUnit[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const first = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
      const last = file.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = last - first + 1;
      if (lines > maxLines) found.push({ name: nameOf(node, file), line: first + 1, lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

test(`no function outside the tests is longer than ${MAX_LINES} lines`, () => {
  const files = [...sources(join(ROOT, "modules")), ...ENTRY_FILES.map((entry) => join(ROOT, entry))];
  expect(files.length).toBeGreaterThan(50);
  const tooLong = files.flatMap((path) =>
    longUnits(path, readFileSync(path, "utf8")).map(
      (unit) => `${relative(ROOT, path)}:${unit.line} ${unit.name}: ${unit.lines} lines (split it into well-named functions)`,
    ),
  );
  expect(tooLong).toEqual([]);
});

test("the check sees a long function, method, constructor and arrow function (it can fail)", () => {
  const body = (lines: number): string => Array.from({ length: lines - 2 }, (_, i) => `  const v${i} = ${i};`).join("\n");
  const text = [
    `function atTheLimit(): void {\n${body(MAX_LINES)}\n}`,
    `function tooLong(): void {\n${body(MAX_LINES + 1)}\n}`,
    `class Construct {\n  constructor() {\n${body(MAX_LINES + 5)}\n  }\n  private method(): void {\n${body(MAX_LINES + 2)}\n  }\n}`,
    `const arrow = (): void => {\n${body(MAX_LINES + 3)}\n};`,
  ].join("\n\n");
  expect(longUnits("synthetic.ts", text).map(({ name, lines }) => `${name} ${lines}`)).toEqual([
    `tooLong ${MAX_LINES + 1}`,
    `constructor ${MAX_LINES + 5}`,
    `method ${MAX_LINES + 2}`,
    `arrow ${MAX_LINES + 3}`,
  ]);
});

/** The files over the limit, with their length. */
function longFiles(files: readonly string[], read: (path: string) => string): string[] {
  return files.flatMap((path) => {
    const lines = read(path).split("\n").length - 1;
    return lines > MAX_FILE_LINES
      ? [`${relative(ROOT, path)}: ${lines} lines (over ${MAX_FILE_LINES}: move its tables into data, or split its concerns)`]
      : [];
  });
}

test(`no source file outside the tests is longer than ${MAX_FILE_LINES} lines`, () => {
  const files = [...sources(join(ROOT, "modules")), ...ENTRY_FILES.map((entry) => join(ROOT, entry))];
  expect(longFiles(files, (path) => readFileSync(path, "utf8"))).toEqual([]);
});

test("the file check sees a file one line over (it can fail)", () => {
  const text = (lines: number) => "x\n".repeat(lines);
  const files = { [join(ROOT, "at-limit.ts")]: text(MAX_FILE_LINES), [join(ROOT, "over.ts")]: text(MAX_FILE_LINES + 1) };
  expect(longFiles(Object.keys(files), (path) => files[path])).toEqual([
    `over.ts: ${MAX_FILE_LINES + 1} lines (over ${MAX_FILE_LINES}: move its tables into data, or split its concerns)`,
  ]);
});
