/**
 * Every command the documentation shows is a real command, and something in
 * this repository exercises it: a test, or CI (.ci/run). The commands are read
 * from the code (fenced blocks and inline code spans) of README.md,
 * CONTRIBUTING.md and docs/*.md, and from the help file: `npm run <script>`,
 * `npm test`, `npm ci`, `[npx] cdktf <command>` and `terraform <command>`.
 *
 * EXERCISED is the reviewed map from each command to the file that exercises
 * it. The map says how, honestly: many commands need AWS or HCP Terraform,
 * which no test reaches; those map to the test that runs the same code
 * offline (recorded AWS answers, a local server, an offline plan), and a few
 * are not run by anything, which the map says too. A command shown in the docs
 * without an entry fails here; so does an entry whose file no longer exists or
 * no longer mentions what it is said to run.
 *
 * The relative links of the same pages are checked too: each must name a file
 * or folder of the repository, and an anchor must name a heading of its page.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");
const read = (path: string): string => readFileSync(join(ROOT, path), "utf8");

const PAGES = [
  "README.md",
  "CONTRIBUTING.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((file) => file.endsWith(".md"))
    .map((file) => `docs/${file}`),
];

type How =
  /** the file runs the command, or the entry point the npm script runs, as a user does */
  | "runs"
  /** the file runs the same code in-process (the entry point itself is a few lines around it) */
  | "in-process"
  /** the command needs AWS or HCP Terraform; the file runs the same code offline */
  | "offline"
  /** nothing runs it; `why` says why and what stands in for it */
  | "not run";

interface Exercise {
  /** A repository path: a test file, .ci/run, or what they run. */
  readonly by: string;
  /** Strings `by` must contain: the evidence that it exercises the command. */
  readonly mentions: readonly string[];
  readonly how: How;
  readonly why: string;
}

const OFFLINE_PLAN: Exercise = {
  by: "__tests__/terraform-stacks.test.ts",
  mentions: ["check.js", "offline plan"],
  how: "offline",
  why: "needs AWS credentials: the suite runs terraform init, validate and an offline plan (terraform test, fake credentials, data sources overridden) on the same stack directories",
};

/** Reviewed: command -> what exercises it. */
const EXERCISED: Readonly<Record<string, Exercise>> = {
  "npm ci": { by: ".ci/run", mentions: ["npm ci"], how: "runs", why: "CI installs from the lockfile" },
  "npm test": { by: ".ci/run", mentions: ["npm test"], how: "runs", why: "CI runs the README's second command" },
  "npm run synth": {
    by: "__tests__/cli.test.ts",
    mentions: ["run.cjs", '"main"', '"main.js"'],
    how: "runs",
    why: "the script, node scripts/run.cjs main (the build check, then dist/main.js in the same process), run as a process, and dist/main.js alone",
  },
  "npm run typecheck": {
    by: "scripts/test.mjs",
    mentions: ['run(bin("tsc"), ["--noEmit"]'],
    how: "runs",
    why: "npm test (scripts/test.mjs) runs the same tsc --noEmit beside jest, and CI runs npm test (asserted below)",
  },
  "npm run fuzz": {
    by: "__tests__/fuzz.test.ts",
    mentions: ['require("./helpers/fuzz")', "Replay: npm run fuzz"],
    how: "in-process",
    why: "its entry (helpers/fuzz.ts, which scripts/fuzz.mjs bundles and runs) runs with a stand-in property, to show a failure shrunk and printed; properties.test.ts runs the real property on 100 declarations",
  },
  "npm run check": {
    by: "__tests__/terraform-stacks.test.ts",
    mentions: ['"check.js"'],
    how: "runs",
    why: "runs dist/check.js on the example with an added environment; check.test.ts covers its failures in-process",
  },
  "npm run verify": {
    by: "__tests__/verify.test.ts",
    mentions: ["../modules/cli/verify/cli", "aws-sdk-client-mock"],
    how: "offline",
    why: "reads AWS: its main() runs against recorded AWS answers (aws-sdk-client-mock); nothing here checks a real deployment",
  },
  "npm run discover": {
    by: "__tests__/discover.test.ts",
    mentions: ["../modules/cli/discover/cli", "aws-sdk-client-mock"],
    how: "offline",
    why: "reads AWS: its main() runs against recorded AWS answers",
  },
  "npm run reencrypt-plan": {
    by: "__tests__/reencrypt-plan.test.ts",
    mentions: ["../modules/cli/reencrypt/cli", "aws-sdk-client-mock"],
    how: "offline",
    why: "reads AWS: its main() runs against recorded AWS answers",
  },
  "npm run publish": {
    by: "__tests__/publish.test.ts",
    mentions: ["../modules/cli/publish/cli", "127.0.0.1"],
    how: "offline",
    why: "talks to HCP Terraform: its CLI runs against a local server that implements the API calls; .github/workflows/publish.yml runs it for real on merge",
  },
  "npm run render": {
    by: "__tests__/terraform-module.test.ts",
    mentions: ["run `npm run render` if this fails", "MODULE_DOCS_FILE"],
    how: "in-process",
    why: "the suite renders module/, the JSON Schema and both docs tables in-process and requires the committed files to equal them (config-refusals.test.ts for the schema and docs/configuration.md); render.ts only writes what those functions return (asserted below)",
  },
  "npm run bench": {
    by: "scripts/bench.mjs",
    mentions: ["npm run bench", "BENCH_RUNS"],
    how: "not run",
    why: "a measurement of repeated syntheses, longer than the suite's minute; run by hand (CONTRIBUTING.md); what it measures, npm run synth, runs in cli.test.ts",
  },
  "npm run format": {
    by: "package.json",
    mentions: ["prettier --write"],
    how: "not run",
    why: "a developer step that rewrites files; nothing in CI checks formatting",
  },
  "npm run checkov": {
    by: "__tests__/checkov-parity.test.ts",
    mentions: [".checkov.yaml"],
    how: "not run",
    why: "Checkov cannot be installed on the build machines: checkov-parity.test.ts holds Checkov's bucket conditions, with the same skips, against every stack of several declarations",
  },
  "cdktf synth": {
    by: "__tests__/cli.test.ts",
    mentions: ['"main.js"'],
    how: "in-process",
    why: "the cdktf CLI is not run; it runs the app command of cdktf.json, the same node scripts/run.cjs main that cli.test.ts runs",
  },
  "cdktf deploy": OFFLINE_PLAN,
  "cdktf diff": OFFLINE_PLAN,
  // npm run deploy|diff|destroy|list: the cdktf CLI through scripts/cdktf.mjs, which cli.test.ts runs with a stand-in cdktf.
  ...Object.fromEntries(
    ["deploy", "diff", "destroy", "list"].map((command) => [
      `npm run ${command}`,
      {
        by: "__tests__/cli.test.ts",
        mentions: ["scripts", "cdktf.mjs"],
        how: "runs",
        why: "scripts/cdktf.mjs runs as a process with a stand-in cdktf: the arguments pass through and CHECKPOINT_DISABLE is set; the command itself needs AWS (see cdktf deploy)",
      },
    ]),
  ),
  "cdktf destroy": {
    by: "__tests__/connect-storage.test.ts",
    mentions: ["prevent_destroy: true"],
    how: "offline",
    why: "needs AWS: the suite asserts the prevent_destroy that makes Terraform refuse it (guardrail CE10 on every stack)",
  },
  "terraform init": {
    by: "__tests__/module-parity.test.ts",
    mentions: ['["init", "-backend=false"'],
    how: "runs",
    why: "without a backend; the stacks' init is shared per worker (modules/cli/check/terraform.ts)",
  },
  "terraform validate": {
    by: "__tests__/terraform-examples.test.ts",
    mentions: ['["validate"]'],
    how: "runs",
    why: "on the examples and every stack",
  },
  "terraform test": {
    by: "__tests__/terraform-examples.test.ts",
    mentions: ['["test"]'],
    how: "runs",
    why: "the examples' test files, mock providers",
  },
  "terraform fmt": {
    by: "__tests__/terraform-examples.test.ts",
    mentions: ['"fmt", "-check"'],
    how: "runs",
    why: "fmt -check on every example",
  },
  "terraform plan": OFFLINE_PLAN,
  "terraform apply": OFFLINE_PLAN,
  "terraform output": {
    by: "__tests__/verify.test.ts",
    mentions: ["terraform output -json"],
    how: "offline",
    why: "the outputs of a deployed stack: verify.test.ts gives the verifier outputs in that shape, and runs the path that asks Terraform for them where nothing is deployed",
  },
  "terraform login": {
    by: "__tests__/publish.test.ts",
    mentions: ["credentials.tfrc.json"],
    how: "offline",
    why: "talks to HCP Terraform: publish.test.ts reads a token from the credentials file terraform login writes",
  },
  "terraform workspace": {
    by: "__tests__/terraform-examples.test.ts",
    mentions: ["hcp-terraform-workspace"],
    how: "not run",
    why: "selects an HCP Terraform workspace; the suite initializes (without a backend) and validates the workspace configuration",
  },
  "terraform providers": {
    by: "__tests__/mirror-config.test.ts",
    mentions: ["terraformrc-mirror.hcl"],
    how: "not run",
    why: "locks providers for HCP Terraform runs from a mirror; the suite checks the mirror configuration the docs give and uses the same mirror for every run",
  },
};

/** The code of a Markdown page: the fenced blocks and the inline code spans of the prose. */
function codeOf(markdown: string): string[] {
  const fence = /^```[^\n]*\n([\s\S]*?)^```/gm;
  const blocks = [...markdown.matchAll(fence)].map((m) => m[1]);
  const spans = [...markdown.replace(fence, "").matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
  return [...blocks, ...spans];
}

/** The commands in a piece of code, normalized to the keys of EXERCISED. */
function commandsIn(code: string): string[] {
  return [
    ...[...code.matchAll(/\bnpm run ([a-z][a-z0-9-]*)/g)].map((m) => `npm run ${m[1]}`),
    ...[...code.matchAll(/\bnpm (test|ci)\b/g)].map((m) => `npm ${m[1]}`),
    ...[...code.matchAll(/(?:^|[\s(;&|])(?:npx )?cdktf ([a-z]+)\b/gm)].map((m) => `cdktf ${m[1]}`),
    ...[...code.matchAll(/(?:^|[\s(;&|])terraform(?:\s+-\S+)*\s+([a-z][a-z-]*)\b/gm)].map((m) => `terraform ${m[1]}`),
  ];
}

/** Every command shown, with the pages that show it. */
function shownCommands(): Map<string, string[]> {
  const shown = new Map<string, string[]>();
  const sources: [string, string[]][] = [...PAGES.map((page): [string, string[]] => [page, codeOf(read(page))]), ["help", [read("help")]]];
  for (const [page, code] of sources) {
    for (const command of code.flatMap(commandsIn)) shown.set(command, [...new Set([...(shown.get(command) ?? []), page])]);
  }
  return shown;
}

const scripts: Record<string, string> = JSON.parse(read("package.json")).scripts;

describe("every command the docs show", () => {
  const shown = shownCommands();

  test("the extraction finds the commands of each kind (it can fail)", () => {
    for (const command of ["npm test", "npm run synth", "npm run verify", "cdktf deploy", "terraform init", "terraform test"]) {
      expect(shown.has(command)).toBe(true);
    }
    expect(commandsIn("cd cdktf.out/stacks/x && terraform -chdir=y output -raw key_arn")).toEqual(["terraform output"]);
    expect(commandsIn("the terraform.connect-encryption-dev.tfstate file of cdktf.json")).toEqual([]);
  });

  test("is in the reviewed map of what exercises it", () => {
    const unmapped = [...shown]
      .filter(([command]) => !(command in EXERCISED))
      .map(([command, pages]) => `${command} (${pages.join(", ")})`);
    expect(unmapped).toEqual([]);
  });

  test("is a script of package.json, when it is an npm script", () => {
    const missing = [...shown.keys()]
      .filter((command) => command.startsWith("npm run "))
      .filter((command) => !(command.slice("npm run ".length) in scripts));
    expect(missing).toEqual([]);
  });

  test.each(Object.entries(EXERCISED))("%s: the file that exercises it exists and mentions it", (_, exercise) => {
    expect(existsSync(join(ROOT, exercise.by))).toBe(true);
    const text = read(exercise.by);
    for (const evidence of exercise.mentions) expect(text).toContain(evidence);
    expect(exercise.why.length).toBeGreaterThan(20);
  });

  test("the map has no entry for a command the docs no longer show, and says plainly what is not run", () => {
    expect(Object.keys(EXERCISED).filter((command) => !shown.has(command))).toEqual([]);
    const notRun = Object.entries(EXERCISED)
      .filter(([, e]) => e.how === "not run")
      .map(([command]) => command);
    expect(notRun.sort()).toEqual(["npm run bench", "npm run checkov", "npm run format", "terraform providers", "terraform workspace"]);
  });

  test("npm test runs npm run typecheck's command beside jest, and npm run render writes what the staleness tests compare", () => {
    expect(scripts.test).toBe("node scripts/test.mjs");
    expect(scripts.typecheck).toBe("tsc --noEmit");
    expect(read("scripts/test.mjs")).toContain('run(bin("jest"), process.argv.slice(2)');
    const render = read("modules/cli/render/main.ts");
    expect(render).toContain("writeModule(root)");
    expect(render).toContain("writeConfigRenderings(root)");
    expect(read("__tests__/config-refusals.test.ts")).toContain("withConfigTable(page)");
  });
});

describe("help", () => {
  const help = read("help");

  test("lists every script users run, and no script that does not exist", () => {
    // build is internal (every script runs it); prepack is npm's own hook, which users reach through npm pack.
    const hooks: Record<string, RegExp> = { test: /^\s+npm test\b/m, prepack: /^\s+npm pack\b/m };
    const unlisted = Object.keys(scripts)
      .filter((name) => name !== "build")
      .filter((name) => !(hooks[name] ?? new RegExp(`^\\s+(npm ci && )?npm run ${name}\\b`, "m")).test(help));
    expect(unlisted).toEqual([]);
    const unknown = [...help.matchAll(/\bnpm run ([a-z][a-z0-9-]*)/g)].map((m) => m[1]).filter((name) => !(name in scripts));
    expect(unknown).toEqual([]);
  });
});

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");

const anchorsOf = (markdown: string): Set<string> =>
  new Set([...markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, "").matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1].replace(/`/g, ""))));

test("every relative link of the docs names a file or folder of the repository, and an anchor a heading of its page", () => {
  const broken: string[] = [];
  for (const page of PAGES) {
    const text = read(page).replace(/^```[^\n]*\n[\s\S]*?^```/gm, "");
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      const [path, anchor] = target.split("#");
      const file = path ? resolve(ROOT, dirname(page), path) : join(ROOT, page);
      if (!file.startsWith(ROOT) || !existsSync(file)) broken.push(`${page}: ${target}`);
      else if (anchor && (statSync(file).isDirectory() || !anchorsOf(readFileSync(file, "utf8")).has(anchor))) {
        broken.push(`${page}: ${target} (no such heading)`);
      }
    }
  }
  expect(broken).toEqual([]);
});
