/**
 * VCS-driven HCP Terraform workspaces (issue 23): `npm run publish --
 * --export <dir>` writes each cloud environment's stack into <dir>/<stack>/,
 * byte for byte what synthesis writes, rewriting nothing unchanged; the
 * exported tree validates and plans offline; and the workflow that commits
 * it to the deploy branch is pinned, minimal and commits only on change.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { EXPORTED_FILES, exportStacks } from "../modules/cli/publish/vcs-export";
import { runPublishCli } from "../modules/cli/publish/cli";
import { synthesizeDeclaration } from "../modules/stacks/synthesis";
import { checkStack } from "./helpers/stack-check";
import type { Json } from "./helpers/synth";

const ROOT = resolve(__dirname, "..");
// js-yaml, a pinned development dependency: read the workflow with it, as workflow.test.ts does.
const yaml = require("js-yaml") as { safeLoad(text: string): unknown };

const cloud = (workspace: string) => ({ backend: "cloud", organization: "acme", workspace, project: "cc" });
function declarationFile(environments: Json): string {
  const dir = mkdtempSync(join(tmpdir(), "connect-kms-vcs-"));
  const file = join(dir, "cdktf.json");
  writeFileSync(
    file,
    JSON.stringify({ context: { connectEncryption: { defaults: { region: "eu-west-2", namePrefix: "acme" }, environments } } }),
  );
  return file;
}
const env = (name: string, state?: Json): Json => ({
  instance: { create: { alias: `acme-${name}` } },
  alerts: { createTrail: false },
  ...(state ? { state } : {}),
});
const ENVIRONMENTS: Json = { live: env("live", cloud("connect-live")), qa: env("qa", cloud("connect-qa")), dev: env("dev") };

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name).slice(dir.length + 1))
    .sort();

describe("export for VCS-driven workspaces", () => {
  const config = declarationFile(ENVIRONMENTS);
  const out = mkdtempSync(join(tmpdir(), "connect-kms-deploy-"));
  let first: ReturnType<typeof exportStacks>;
  beforeAll(() => {
    first = exportStacks(config, ["live", "qa"], out);
  });

  test("writes each cloud environment's Terraform files, and nothing else, byte for byte what synthesis writes", () => {
    expect(first).toEqual([
      { stackName: "connect-encryption-live", changed: true },
      { stackName: "connect-encryption-qa", changed: true },
    ]);
    expect(filesUnder(out)).toEqual(
      ["connect-encryption-live", "connect-encryption-qa"].flatMap((stack) => EXPORTED_FILES.map((file) => join(stack, file))).sort(),
    );
    const synthesized = synthesizeDeclaration(config, {
      requested: ["live"],
      outdir: join(mkdtempSync(join(tmpdir(), "connect-kms-s-")), "cdktf.out"),
    });
    const live = synthesized.stacks.find((s) => s.stackName === "connect-encryption-live")!;
    for (const file of EXPORTED_FILES)
      expect(readFileSync(join(out, "connect-encryption-live", file), "utf8")).toBe(readFileSync(join(live.dir, file), "utf8"));
    expect(readFileSync(join(out, "connect-encryption-live", "cdk.tf.json"), "utf8")).not.toContain(tmpdir());
  });

  test("an unchanged declaration rewrites nothing; a stack no longer declared is removed, other files are kept", () => {
    const before = statSync(join(out, "connect-encryption-live", "cdk.tf.json")).mtimeMs;
    expect(exportStacks(config, ["live", "qa"], out).map((s) => s.changed)).toEqual([false, false]);
    expect(statSync(join(out, "connect-encryption-live", "cdk.tf.json")).mtimeMs).toBe(before);
    mkdirSync(join(out, "notes"));
    writeFileSync(join(out, "notes", "README.md"), "kept\n");
    exportStacks(declarationFile({ live: ENVIRONMENTS.live, dev: ENVIRONMENTS.dev }), ["live"], out);
    expect(filesUnder(out)).toEqual(
      [...EXPORTED_FILES.map((file) => join("connect-encryption-live", file)), join("notes", "README.md")].sort(),
    );
  });

  test("an exported stack validates and plans offline with the real provider", () => {
    const dir = join(out, "connect-encryption-live");
    const stack = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8"));
    expect(stack.terraform.cloud).toEqual({
      organization: "acme",
      hostname: "app.terraform.io",
      workspaces: { name: "connect-live", project: "cc" },
    });
    checkStack({ dir: mkCopy(dir), stack, region: "eu-west-2" });
  });

  test("through the command: --export alone, one line per stack, exit 0", async () => {
    const lines: string[] = [];
    const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(`err: ${t}`) };
    const cwd = mkdtempSync(join(tmpdir(), "connect-kms-cwd-"));
    expect(await runPublishCli(["--export", "deploy"], { CONNECT_ENCRYPTION_CONFIG: config }, cwd, io)).toBe(0);
    expect(lines).toEqual(["written   deploy/connect-encryption-live", "written   deploy/connect-encryption-qa"]);
    expect(await runPublishCli(["--export", "deploy", "live"], { CONNECT_ENCRYPTION_CONFIG: config }, cwd, io)).toBe(2);
  });
});

/** A copy of an exported stack directory, so that Terraform's files stay out of the exported tree. */
function mkCopy(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), "connect-kms-plan-"));
  for (const file of EXPORTED_FILES) writeFileSync(join(copy, file), readFileSync(join(dir, file)));
  return copy;
}

describe("the vcs-deploy workflow", () => {
  const text = readFileSync(join(ROOT, ".github", "workflows", "vcs-deploy.yml"), "utf8");
  const workflow = yaml.safeLoad(text) as Json;
  const steps: Json[] = workflow.jobs.export.steps;
  const script: string = steps.find((s) => String(s.run ?? "").includes("--export"))!.run;

  test("runs on pushes to main, may only write contents, and pins every action to a commit", () => {
    expect(workflow.on).toEqual({ push: { branches: ["main"] } });
    expect(workflow.permissions).toEqual({ contents: "write" });
    expect(workflow.jobs.export.permissions).toBeUndefined();
    const uses = steps.filter((s) => s.uses).map((s) => String(s.uses));
    expect(uses.length).toBeGreaterThan(0);
    for (const action of uses) expect(action).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
    expect(text).not.toMatch(/secrets\./);
  });

  test("exports with the package's command and commits only when the stacks changed", () => {
    expect(script).toContain("npm run --silent publish -- --export ../deploy/deploy");
    expect(script).toMatch(/git add --all deploy\n\s*if git diff --cached --quiet; then/);
    expect(script).toContain("git push origin deploy");
  });

  test("an unchanged declaration makes no commit: the exported tree stays clean in git", () => {
    const repo = mkdtempSync(join(tmpdir(), "connect-kms-deploy-repo-"));
    const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" });
    git("init", "--quiet");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "--allow-empty", "-m", "start");
    const config = declarationFile(ENVIRONMENTS);
    exportStacks(config, ["live"], join(repo, "deploy"));
    git("add", "--all", "deploy");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "stacks");
    exportStacks(config, ["live"], join(repo, "deploy"));
    git("add", "--all", "deploy");
    expect(git("status", "--porcelain")).toBe("");
  });
});
