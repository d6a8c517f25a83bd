/**
 * The folders of modules/ are layers, and imports point one way: the command
 * line uses the stacks, the stacks the constructs, the constructs the
 * configuration's vocabulary; nothing imports a layer above its own. A new
 * file goes in the lowest layer that holds everything it needs (CONTRIBUTING.md).
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

const MODULES = join(__dirname, "..", "modules");

/** Lowest first: a file may import its own layer and the ones before it. */
export const LAYERS = ["config", "guardrails", "invariants", "constructs", "stacks", "terraform-module", "cli"] as const;

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
