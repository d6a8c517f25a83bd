/**
 * The offline recipe of docs/terraform-module.md ("Testing your root
 * offline"), run exactly as the page shows it. Every fenced block the page
 * marks `<!-- recipe: <path> -->` is written to <path> in a scratch
 * directory, the repository's module/ is copied to where the roots' relative
 * `source` points, and the lines of the block marked `<!-- recipe: commands -->`
 * run in each root with the real AWS provider (from the mirror when
 * TERRAFORM_PROVIDER_MIRROR is set). Nothing reaches AWS: a data source the
 * page forgets to override fails the plan. So a page that drifts from the
 * module (a new data source that calls AWS, a renamed output, a wrong
 * source path) fails here, and the data sources table generated from the
 * module is checked against what the recipe overrides.
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { MODULE_DIRECTORY } from "../modules/terraform-module/connect-encryption-module";
import { ModuleName, synthesizeModule } from "../modules/terraform-module/module-files";
import { MODULE_DOCS_FILE, ModuleDataSource, moduleDataSources } from "../modules/terraform-module/module-docs";
import { terraform } from "./helpers/terraform";

const ROOT = resolve(__dirname, "..");
const PAGE = readFileSync(join(ROOT, MODULE_DOCS_FILE), "utf8");
const COMMANDS = "commands";

/** The marked blocks by name: a `<!-- recipe: NAME -->` line, then a fenced block starting on the next line. */
function recipeBlocks(markdown: string): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const [, name, body] of markdown.matchAll(/^<!-- recipe: (\S+) -->\n```[a-z]*\n([\s\S]*?)^```$/gm)) {
    if (blocks.has(name)) throw new Error(`${MODULE_DOCS_FILE} marks two blocks as ${name}`);
    blocks.set(name, body);
  }
  return blocks;
}

const blocks = recipeBlocks(PAGE);
const files = [...blocks].filter(([name]) => name !== COMMANDS);
/** The roots, in the page's order: the directories of the marked main.tf files. */
const roots = files.filter(([name]) => name.endsWith("/main.tf")).map(([name]) => dirname(name));
const filesOf = (root: string, suffix: string): string[] =>
  files.filter(([name]) => name.startsWith(`${root}/`) && name.endsWith(suffix)).map(([, text]) => text);

/** Where a root's module call points: the folder of the repository its relative `source` names, and which module that is. */
interface ModuleSource {
  /** The call's name, `module "<name>"`. */
  readonly name: string;
  readonly source: string;
  /** The repository checkout the source points into, relative to the root. */
  readonly checkout: string;
  readonly which: ModuleName;
}

function moduleSources(root: string): ModuleSource[] {
  const main = filesOf(root, "/main.tf").join("\n");
  return [...main.matchAll(/^module "([a-z_]+)" \{\n\s*source\s*=\s*"([^"]*)"/gm)].map(([, name, source]) => {
    // Relative, so that the scratch directory can hold the module where the page says it is.
    const parts = /^(\.{1,2}\/.*)\/(module(\/modules\/replica)?)$/.exec(source);
    if (!parts) throw new Error(`${root}/main.tf: source ${source} is not a relative path to module/ or module/modules/replica/`);
    return { name, source, checkout: parts[1], which: parts[3] !== undefined ? "replica" : "main" };
  });
}

interface Override {
  readonly root: string;
  /** The module call it targets. */
  readonly call: string;
  /** The data source's address inside the module (data.<type>.<name>). */
  readonly address: string;
  readonly attributes: string[];
}

/** The `override_data` blocks of a root's test files, as the page writes them (target, then a values map of one attribute a line). */
function overridesOf(root: string): Override[] {
  const tests = filesOf(root, ".tftest.hcl").join("\n");
  const parsed = [
    ...tests.matchAll(
      /^override_data \{\n {2}target = module\.([a-z_]+)(?:\["[a-z0-9-]+"\])?\.(data\.[a-z0-9_]+\.[a-z0-9_]+)\n {2}values = \{\n([\s\S]*?)\n {2}\}\n\}$/gm,
    ),
  ];
  // Every block must have that shape: one the pattern cannot read would be left out of the checks below.
  expect([root, parsed.length]).toEqual([root, tests.match(/^override_data \{/gm)?.length ?? 0]);
  return parsed.map(([, call, address, values]) => ({
    root,
    call,
    address,
    attributes: [...values.matchAll(/^ {4}([a-z_]+) += /gm)].map((m) => m[1]),
  }));
}

const dataSources = new Map<ModuleName, ModuleDataSource[]>(
  (["main", "replica"] as const).map((which) => [which, moduleDataSources(synthesizeModule(which).json)]),
);

describe(`the offline recipe of ${MODULE_DOCS_FILE}`, () => {
  test("marks each file of two roots (main.tf and a test file) and the commands, each block once", () => {
    expect(PAGE.match(/<!-- recipe: /g)?.length).toBe(blocks.size);
    expect(roots.length).toBeGreaterThanOrEqual(2);
    for (const root of roots) expect([root, filesOf(root, ".tftest.hcl").length]).toEqual([root, 1]);
    expect(blocks.get(COMMANDS)?.trim().split("\n")).toEqual(["terraform init -backend=false", "terraform test"]);
  });

  test("the first root is the minimal call, and every root calls the module through a relative path into one checkout", () => {
    const minimal = filesOf(roots[0], "/main.tf")[0];
    const call = /^module "[a-z_]+" \{\n([\s\S]*?)^\}$/m.exec(minimal)?.[1] ?? "";
    expect([...call.matchAll(/^ {2}([a-z_]+) += /gm)].map((m) => m[1])).toEqual(["source", "name"]);
    const sources = roots.flatMap((root) => moduleSources(root).map((s) => ({ root, ...s })));
    expect(sources.map((s) => [s.root, s.which])).toEqual([
      [roots[0], "main"],
      [roots[1], "main"],
      [roots[1], "replica"],
      [roots[2], "main"],
    ]);
    expect(new Set(sources.map((s) => resolve("/scratch", s.root, s.checkout))).size).toBe(1);
  });

  test("overrides only data sources that call AWS, with every attribute the module reads, and shows each one of either module", () => {
    const overridden = new Set<string>();
    for (const root of roots) {
      const calls = moduleSources(root);
      for (const override of overridesOf(root)) {
        const which = calls.find((call) => call.name === override.call)!.which;
        const source = dataSources.get(which)!.find((s) => s.address === override.address);
        expect([root, override.address, source?.calls ?? null]).toEqual([root, override.address, expect.any(String)]);
        expect([root, override.address, override.attributes]).toEqual([root, override.address, expect.arrayContaining(source!.reads)]);
        overridden.add(`${which}:${override.address}`);
      }
    }
    const callingAws = [...dataSources].flatMap(([which, sources]) =>
      sources.filter((s) => s.calls !== null).map((s) => `${which}:${s.address}`),
    );
    expect(callingAws.length).toBeGreaterThanOrEqual(4);
    expect(callingAws.filter((address) => !overridden.has(address))).toEqual([]);
  });

  test("plans offline: terraform fmt is clean, and the commands pass in each root with the page's files beside a copy of module/", () => {
    const scratch = mkdtempSync(join(tmpdir(), "connect-kms-recipe-"));
    for (const [name, text] of files) {
      mkdirSync(dirname(join(scratch, name)), { recursive: true });
      writeFileSync(join(scratch, name), text);
    }
    for (const root of roots) {
      for (const { checkout } of moduleSources(root)) {
        const target = resolve(scratch, root, checkout, MODULE_DIRECTORY);
        // The page's layout must stay inside the scratch directory: a source that climbs out of it is a drift too.
        expect(relative(scratch, target).startsWith("..")).toBe(false);
        cpSync(join(ROOT, MODULE_DIRECTORY), target, { recursive: true });
      }
    }
    terraform(scratch, ["fmt", "-check", "-recursive"]);
    const commands = blocks.get(COMMANDS)!.trim().split("\n");
    for (const root of roots) {
      const outputs = commands.map((line) => terraform(join(scratch, root), line.split(/\s+/).slice(1)).output);
      const runs = [
        ...filesOf(root, ".tftest.hcl")
          .join("\n")
          .matchAll(/^run "([a-z_]+)"/gm),
      ].map((m) => m[1]);
      const tested = outputs[outputs.length - 1];
      for (const run of runs) expect([root, tested]).toEqual([root, expect.stringMatching(new RegExp(`run "${run}"\\.\\.\\. pass`))]);
      expect([root, tested]).toEqual([root, expect.stringContaining(`Success! ${runs.length} passed, 0 failed.`)]);
    }
  });
});
