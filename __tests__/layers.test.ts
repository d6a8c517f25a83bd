/**
 * The folders of modules/ are layers, and imports point one way: the command
 * line uses the stacks, the stacks the constructs, the constructs the
 * configuration's vocabulary; nothing imports a layer above its own. A new
 * file goes in the lowest layer that holds everything it needs (CONTRIBUTING.md).
 * Within a layer no file imports, through others, a file that imports it:
 * shared types live in a file of their own that both sides import.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

const MODULES = join(__dirname, "..", "modules");

/** Lowest first: a file may import its own layer and the ones before it. */
export const LAYERS = ["config", "guardrails", "invariants", "constructs", "stacks", "terraform-module", "cli", "library"] as const;

const rank = (file: string): number => LAYERS.indexOf(relative(MODULES, file).split("/")[0] as (typeof LAYERS)[number]);

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    return entry.isDirectory() ? sources(path) : entry.name.endsWith(".ts") ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:from|import|require)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)].map((m) => normalize(join(dirname(file), m[1])));
}

test("every file of modules/ sits in a layer folder", () => {
  const files = sources(MODULES);
  expect(files.length).toBeGreaterThan(40);
  expect(files.filter((file) => rank(file) < 0).map((file) => relative(MODULES, file))).toEqual([]);
});

test("no import points to a layer above the importer's", () => {
  const upward = sources(MODULES).flatMap((file) =>
    importsOf(file)
      .filter((target) => target.startsWith(MODULES) && rank(target) > rank(file))
      .map((target) => `${relative(MODULES, file)} imports ${relative(MODULES, target)}`),
  );
  expect(upward).toEqual([]);
});

test("the check sees an upward import (it can fail)", () => {
  const file = join(MODULES, "config", "example.ts");
  const target = normalize(join(dirname(file), "../stacks/synthesis"));
  expect(rank(target) > rank(file)).toBe(true);
});

/** The file an import names: `x.ts`, or `x/index.ts`; undefined for JSON and other files. */
function resolveImport(target: string): string | undefined {
  return [`${target}.ts`, join(target, "index.ts")].find((candidate) => existsSync(candidate));
}

/** Every import circle of a graph (Tarjan's strongly connected components of more than one file, or a file importing itself). */
export function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (stack.includes(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (let member = stack.pop()!; ; member = stack.pop()!) {
      component.push(member);
      if (member === node) break;
    }
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

test("no import circle anywhere in the sources (type imports and re-exports included)", () => {
  const root = join(MODULES, "..");
  const files = [
    ...sources(MODULES),
    ...readdirSync(root)
      .filter((name) => name.endsWith(".ts"))
      .map((name) => join(root, name)),
  ];
  const graph = new Map(files.map((file) => [file, importsOf(file).flatMap((target) => resolveImport(target) ?? [])]));
  expect(circles(graph).map((circle) => circle.map((file) => relative(root, file)))).toEqual([]);
});

test("the circle check finds a circle through three files and a file importing itself (it can fail)", () => {
  const graph = new Map([
    ["a", ["b"]],
    ["b", ["c"]],
    ["c", ["a", "d"]],
    ["d", []],
    ["e", ["e"]],
  ]);
  expect(circles(graph)).toEqual([["a", "b", "c"], ["e"]]);
});
