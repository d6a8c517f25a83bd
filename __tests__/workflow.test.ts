/**
 * .github/workflows/publish.yml as far as this machine can check it without
 * GitHub: its properties read from the parsed YAML (what it installs, at
 * which pinned versions, with which permissions, the environment taken as an
 * input or from the declaration, never written in), and its own `run:`
 * commands run in a clean clone of the repository's HEAD against the local
 * fake HCP Terraform API, with a declaration written here.
 *
 * The YAML parser is js-yaml, a pinned development dependency (the
 * version jest already brings); nothing outside the tests loads it.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { CONFIGURATION_VERSION_ID, FakeHcpTerraform, RUN_ID, startFakeHcpTerraform } from "./helpers/hcp-terraform-server";
import { declarationElsewhere } from "./helpers/commands";

const ROOT = resolve(__dirname, "..");
const WORKFLOW_TEXT = readFileSync(join(ROOT, ".github", "workflows", "publish.yml"), "utf8");
const yaml = require("js-yaml") as { safeLoad(text: string): unknown };

interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, string | number | boolean>;
  readonly env?: Record<string, string>;
}

interface Job {
  readonly "runs-on": string;
  readonly needs?: string;
  readonly if?: string;
  readonly permissions?: unknown;
  readonly environment?: string;
  readonly strategy?: { matrix: Record<string, string> };
  readonly outputs?: Record<string, string>;
  readonly steps: readonly Step[];
}

interface Workflow {
  readonly on: {
    push?: { branches: string[] };
    workflow_dispatch?: { inputs: Record<string, { required?: boolean; type?: string; default?: unknown; options?: unknown }> };
  };
  readonly permissions: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

const WORKFLOW = yaml.safeLoad(WORKFLOW_TEXT) as Workflow;
const steps = (): Step[] => Object.values(WORKFLOW.jobs).flatMap((job) => job.steps);
const action = (name: string): Step[] => steps().filter((s) => s.uses?.split("@")[0] === name);
const runIndex = (job: Job, command: string): number => job.steps.findIndex((s) => s.run === command);

describe("the publish workflow, parsed", () => {
  test("publishes on a push to main and by hand, taking the environment as a required input, never a literal", () => {
    expect(WORKFLOW.on.push).toEqual({ branches: ["main"] });
    const input = WORKFLOW.on.workflow_dispatch!.inputs.environment;
    expect(input).toMatchObject({ required: true, type: "string" });
    // No default and no list of choices: either would write environment names into the workflow.
    expect(input.default).toBeUndefined();
    expect(input.options).toBeUndefined();
    // The example's environment names appear nowhere but in comments.
    expect(JSON.stringify(WORKFLOW)).not.toMatch(/\b(prod|staging|dev)\b/);
    const publish = WORKFLOW.jobs.publish;
    expect(publish.strategy!.matrix.environment).toBe(
      "${{ fromJSON(github.event_name == 'workflow_dispatch' && format('[{0}]', toJSON(inputs.environment)) || needs.test.outputs.environments) }}",
    );
    expect(publish.needs).toBe("test");
    expect(WORKFLOW.jobs.test.outputs).toEqual({ environments: "${{ steps.environments.outputs.environments }}" });
    expect(publish.if).toBe("github.event_name == 'workflow_dispatch' || needs.test.outputs.environments != '[]'");
    expect(publish.environment).toBe("${{ matrix.environment }}");
  });

  test("requests only what it uses: contents: read, no id-token, nothing more in any job", () => {
    expect(WORKFLOW.permissions).toEqual({ contents: "read" });
    for (const job of Object.values(WORKFLOW.jobs)) expect(job.permissions).toBeUndefined();
    expect(JSON.stringify(WORKFLOW)).not.toContain("id-token");
  });

  test("every action is pinned to a full commit SHA, with its exact release tag beside it", () => {
    const uses = steps().flatMap((s) => (s.uses ? [s.uses] : []));
    expect(new Set(uses.map((u) => u.split("@")[0]))).toEqual(
      new Set(["actions/checkout", "actions/setup-node", "hashicorp/setup-terraform"]),
    );
    for (const u of uses) expect(u).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
    const lines = WORKFLOW_TEXT.split("\n").filter((l) => /^\s*-?\s*uses:/.test(l));
    expect(lines).toHaveLength(uses.length);
    for (const line of lines) expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    // One SHA per action: the jobs do not run two versions of it.
    for (const name of ["actions/checkout", "actions/setup-node"]) expect(new Set(action(name).map((s) => s.uses)).size).toBe(1);
  });

  test("installs Terraform with hashicorp/setup-terraform at the exact version installed here, before npm test", () => {
    const [setup] = action("hashicorp/setup-terraform");
    const local = JSON.parse(
      execFileSync("terraform", ["version", "-json"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }),
    ).terraform_version;
    expect(setup.with!.terraform_version).toBe(local);
    expect(String(setup.with!.terraform_version)).toMatch(/^1\.11\.\d+$/);
    expect(setup.with!.terraform_wrapper).toBe(false);
    const test = WORKFLOW.jobs.test;
    expect(test.steps.indexOf(setup)).toBeLessThan(runIndex(test, "npm test"));
  });

  test("runs on a current Node.js LTS (22 or 24) through actions/setup-node, then npm ci, npm test and the publish", () => {
    const setups = action("actions/setup-node");
    expect(setups).toHaveLength(2);
    for (const s of setups) expect(["22", "24"]).toContain(String(s.with!["node-version"]).split(".")[0]);
    const { test, publish } = WORKFLOW.jobs;
    expect(runIndex(test, "npm ci")).toBeGreaterThan(test.steps.indexOf(setups[0]));
    expect(runIndex(test, "npm test")).toBeGreaterThan(runIndex(test, "npm ci"));
    // The registry is reachable on GitHub: npm test gets the AWS provider from it, not from a mirror.
    expect(test.steps[runIndex(test, "npm test")].env).toBeUndefined();
    expect(WORKFLOW_TEXT).not.toContain("TERRAFORM_PROVIDER_MIRROR:");
    const publishStep = publish.steps[publish.steps.length - 1];
    expect(runIndex(publish, "npm ci")).toBeGreaterThan(publish.steps.indexOf(setups[1]));
    expect(publishStep.run).toBe('npm run publish -- "$ENVIRONMENT"');
    expect(publishStep.env).toEqual({ ENVIRONMENT: "${{ matrix.environment }}", TF_TOKEN_app_terraform_io: "${{ secrets.TF_API_TOKEN }}" });
    // The token reaches that one step only, and the job that holds it restores no dependency cache.
    expect(WORKFLOW_TEXT.match(/secrets\./g)).toHaveLength(1);
    expect(setups[1].with!["package-manager-cache"]).toBe(false);
    expect(setups[1].with!.cache).toBeUndefined();
  });

  test("runs on GitHub-hosted runners, and no run: splices an expression into its script", () => {
    for (const job of Object.values(WORKFLOW.jobs)) expect(job["runs-on"]).toBe("ubuntu-24.04");
    for (const s of steps()) if (s.run) expect(s.run).not.toContain("${{");
  });
});

// --- the commands themselves ---

const TOKEN = "workflow-test-token.atlasv1.not-a-real-one";
const run = promisify(execFile);

/** What GitHub would put for each expression the steps' env holds; any other stops the test. */
function evaluate(value: string, matrix: Record<string, string>): string {
  return value.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expression: string) => {
    if (expression === "secrets.TF_API_TOKEN") return TOKEN;
    const [, key] = expression.match(/^matrix\.(\w+)$/) ?? [];
    if (key && key in matrix) return matrix[key];
    throw new Error(`no value here for the expression ${expression}`);
  });
}

/** Runs a job's `run:` steps as GitHub does (bash -eo pipefail in the checkout); returns what they wrote to GITHUB_OUTPUT. */
async function runJob(job: Job, clone: string, env: NodeJS.ProcessEnv, matrix: Record<string, string> = {}): Promise<string[]> {
  const output = join(mkdtempSync(join(tmpdir(), "connect-kms-gh-output-")), "output");
  writeFileSync(output, "");
  const printed: string[] = [];
  for (const step of job.steps) {
    // npm ci: the clone links the installed node_modules instead; npm test: this suite, which is running it.
    if (!step.run || step.run === "npm ci" || step.run === "npm test") continue;
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, evaluate(v, matrix)]));
    const { stdout } = await run("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run], {
      cwd: clone,
      env: { ...env, ...stepEnv, GITHUB_OUTPUT: output },
    });
    printed.push(stdout);
  }
  return [readFileSync(output, "utf8"), ...printed];
}

/** A clone of HEAD, as actions/checkout gives it, with the installed node_modules linked in. */
function cleanClone(): string {
  const clone = join(mkdtempSync(join(tmpdir(), "connect-kms-clone-")), "repo");
  execFileSync("git", ["clone", "--quiet", "--no-hardlinks", ROOT, clone]);
  symlinkSync(join(ROOT, "node_modules"), join(clone, "node_modules"));
  return clone;
}

describe("the publish workflow's commands, in a clean clone", () => {
  let hcp: FakeHcpTerraform;

  beforeAll(async () => {
    hcp = await startFakeHcpTerraform({ token: TOKEN, organization: "acme", workspaces: { "connect-encryption-live": "ws-live" } });
  });

  afterAll(() => hcp.close());

  test("list the HCP Terraform environments of the declaration, then publish each to its workspace", async () => {
    const clone = cleanClone();
    // dev keeps local state, live is in HCP Terraform; the file lies outside the clone, named by an absolute path.
    const { absolute } = declarationElsewhere();
    const env = {
      PATH: process.env.PATH,
      HOME: mkdtempSync(join(tmpdir(), "connect-kms-home-")),
      CHECKPOINT_DISABLE: "1",
      CONNECT_ENCRYPTION_CONFIG: absolute,
      // Where GitHub's runs reach app.terraform.io, this one reaches the local server.
      HCP_TERRAFORM_ADDRESS: hcp.base,
    };
    const [output] = await runJob(WORKFLOW.jobs.test, clone, env);
    expect(output).toBe('environments=["live"]\n');
    // On push the matrix is that list (the expression is asserted above).
    const matrix: string[] = JSON.parse(output.slice("environments=".length));
    for (const environment of matrix) {
      const [, printed] = await runJob(WORKFLOW.jobs.publish, clone, env, { environment });
      expect(printed.trim().split("\n").pop()).toBe(
        `run ${RUN_ID}: https://app.terraform.io/app/acme/workspaces/connect-encryption-${environment}/runs/${RUN_ID}`,
      );
    }
    expect(hcp.seen.map((s) => `${s.method} ${s.url.split("?")[0]} ${s.authorization ?? "-"}`)).toEqual([
      `GET /api/v2/organizations/acme/workspaces/connect-encryption-live Bearer ${TOKEN}`,
      `POST /api/v2/workspaces/ws-live/configuration-versions Bearer ${TOKEN}`,
      `PUT /upload/${CONFIGURATION_VERSION_ID} -`,
      `GET /api/v2/workspaces/ws-live/runs Bearer ${TOKEN}`,
    ]);
    // The upload is the stack synthesized in the clone from that declaration.
    const tarball = join(mkdtempSync(join(tmpdir(), "connect-kms-tar-")), "config.tar.gz");
    writeFileSync(tarball, hcp.seen[2].body);
    const archived = JSON.parse(execFileSync("tar", ["-xzOf", tarball, "./cdk.tf.json"], { encoding: "utf8" }));
    expect(archived.terraform.cloud).toMatchObject({ organization: "acme", workspaces: { name: "connect-encryption-live" } });
  }, 30000);
});
