/**
 * `npm run publish -- <env>` against a local HTTP server on the loopback
 * interface that implements the HCP Terraform API calls it makes, as HCP
 * Terraform documents them: JSON:API documents, 201 with an upload-url for a
 * new configuration version, a signed upload URL taking the .tar.gz, a run
 * queued on it. And every failure: one line, non-zero exit.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { IncomingMessage, Server, ServerResponse, createServer } from "node:http";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runPublishCli } from "../modules/cli/publish/cli";
import { exampleCdktfJson } from "./helpers/example";
import { apiToken, tokenVariable } from "../modules/cli/publish/hcp-terraform";

const ROOT = join(__dirname, "..");
const TOKEN = "test-token.atlasv1.not-a-real-one";

interface Fault {
  workspace?: number;
  create?: number;
  upload?: number;
}

interface Seen {
  method: string;
  url: string;
  authorization?: string;
  contentType?: string;
  body: Buffer;
}

let server: Server;
let base = "";
let fault: Fault = {};
let seen: Seen[] = [];

function send(res: ServerResponse, status: number, document: unknown): void {
  res.writeHead(status, { "Content-Type": "application/vnd.api+json" });
  res.end(JSON.stringify(document));
}

function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  seen.push({
    method: req.method!,
    url: req.url!,
    authorization: req.headers.authorization,
    contentType: req.headers["content-type"],
    body,
  });
  const url = req.url!;
  if (url.startsWith("/upload/")) {
    // The signed upload URL: no token expected.
    res.writeHead(fault.upload ?? 200);
    res.end();
    return;
  }
  if (req.headers.authorization !== `Bearer ${TOKEN}`) {
    send(res, 401, { errors: [{ status: "401", title: "unauthorized" }] });
    return;
  }
  if (req.method === "GET" && url === "/api/v2/organizations/acme/workspaces/connect-encryption-prod") {
    if (fault.workspace) return send(res, fault.workspace, { errors: [{ status: String(fault.workspace), title: "not found" }] });
    return send(res, 200, { data: { id: "ws-abc123", type: "workspaces", attributes: { name: "connect-encryption-prod" } } });
  }
  if (req.method === "POST" && url === "/api/v2/workspaces/ws-abc123/configuration-versions") {
    if (fault.create) {
      return send(res, fault.create, {
        errors: [{ status: String(fault.create), title: "invalid attribute", detail: "Auto queue runs is invalid" }],
      });
    }
    return send(res, 201, {
      data: {
        id: "cv-xyz789",
        type: "configuration-versions",
        attributes: { "auto-queue-runs": true, status: "pending", "upload-url": `${base}/upload/cv-xyz789?signature=s` },
      },
    });
  }
  if (req.method === "GET" && url.startsWith("/api/v2/workspaces/ws-abc123/runs")) {
    return send(res, 200, {
      data: [
        {
          id: "run-older",
          type: "runs",
          relationships: { "configuration-version": { data: { id: "cv-older", type: "configuration-versions" } } },
        },
        {
          id: "run-new456",
          type: "runs",
          relationships: { "configuration-version": { data: { id: "cv-xyz789", type: "configuration-versions" } } },
        },
      ],
    });
  }
  send(res, 404, { errors: [{ status: "404", title: "not found" }] });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  fault = {};
  seen = [];
});

/** A project whose cdktf.json holds the example declaration, never the user's (prod: HCP Terraform, organization acme, workspace connect-encryption-prod). */
function project(): string {
  return dirname(exampleCdktfJson());
}

/** Stands in for synthesis: writes a stack directory as `npm run synth -- prod` does. */
function fakeSynth(dir: string, calls: string[]): (environment: string) => void {
  return (environment) => {
    calls.push(environment);
    const stack = join(dir, "cdktf.out", "stacks", `connect-encryption-${environment}`);
    mkdirSync(stack, { recursive: true });
    writeFileSync(join(stack, "cdk.tf.json"), '{"terraform":{}}\n');
    writeFileSync(join(stack, "versions.tf"), "terraform {}\n");
  };
}

async function run(argv: string[], env: NodeJS.ProcessEnv = { [tokenVariable("app.terraform.io")]: TOKEN }, dir = project()) {
  const out: string[] = [];
  const err: string[] = [];
  const synthesized: string[] = [];
  const code = await runPublishCli(
    [...argv, "--address", base],
    env,
    dir,
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    {
      synthesize: fakeSynth(dir, synthesized),
      credentialsFile: join(dir, "no-credentials.json"),
      waitSeconds: 0,
    },
  );
  return { code, out, err, synthesized };
}

test("synthesizes the environment, creates a configuration version of its workspace, uploads the stack and reports the run URL", async () => {
  const result = await run(["prod"]);
  expect(result.err).toEqual([]);
  expect(result.code).toBe(0);
  expect(result.synthesized).toEqual(["prod"]);
  expect(result.out[result.out.length - 1]).toBe(
    "run run-new456: https://app.terraform.io/app/acme/workspaces/connect-encryption-prod/runs/run-new456",
  );
  expect(seen.map((s) => `${s.method} ${s.url.split("?")[0]}`)).toEqual([
    "GET /api/v2/organizations/acme/workspaces/connect-encryption-prod",
    "POST /api/v2/workspaces/ws-abc123/configuration-versions",
    "PUT /upload/cv-xyz789",
    "GET /api/v2/workspaces/ws-abc123/runs",
  ]);
  const create = seen[1];
  expect(create.contentType).toBe("application/vnd.api+json");
  expect(JSON.parse(create.body.toString())).toEqual({ data: { type: "configuration-versions", attributes: { "auto-queue-runs": true } } });
  const upload = seen[2];
  expect(upload.contentType).toBe("application/octet-stream");
  expect(upload.authorization).toBeUndefined(); // the upload URL is signed; the token never leaves for it
  // The archive is the stack directory itself, at its root.
  const tarball = join(mkdtempSync(join(tmpdir(), "connect-kms-tar-")), "config.tar.gz");
  writeFileSync(tarball, upload.body);
  expect(execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n").filter(Boolean).sort()).toEqual([
    "./",
    "./cdk.tf.json",
    "./versions.tf",
  ]);
});

test("reads the token from the Terraform CLI credentials file when TF_TOKEN_<host> is unset", () => {
  const dir = mkdtempSync(join(tmpdir(), "connect-kms-cred-"));
  const file = join(dir, "credentials.tfrc.json");
  writeFileSync(file, JSON.stringify({ credentials: { "app.terraform.io": { token: "from-file" } } }));
  expect(apiToken("app.terraform.io", {}, file)).toBe("from-file");
  expect(apiToken("app.terraform.io", { TF_TOKEN_app_terraform_io: "from-env" }, file)).toBe("from-env");
  expect(tokenVariable("tfe.example-corp.com")).toBe("TF_TOKEN_tfe_example__corp_com");
});

test.each([
  [
    "no token at all",
    {},
    {},
    /^publish: no API token for app\.terraform\.io: set TF_TOKEN_app_terraform_io or run `terraform login app\.terraform\.io`$/,
  ],
  [
    "a rejected token (401)",
    { [tokenVariable("app.terraform.io")]: "expired" },
    {},
    /^publish: workspace acme\/connect-encryption-prod: HTTP 401 unauthorized \(the token is missing, expired or revoked/,
  ],
  [
    "an unknown workspace (404)",
    undefined,
    { workspace: 404 },
    /^publish: workspace acme\/connect-encryption-prod: HTTP 404 not found \(it does not exist, or the token's user or team cannot see it\)$/,
  ],
  [
    "a refused configuration version (422)",
    undefined,
    { create: 422 },
    /^publish: creating the configuration version: HTTP 422 invalid attribute: Auto queue runs is invalid$/,
  ],
  [
    "a failed upload",
    undefined,
    { upload: 500 },
    /^publish: uploading the configuration: HTTP 500 from the upload URL; configuration version cv-xyz789 stays pending and queues no run$/,
  ],
])("%s: one line on stderr and exit 1", async (_label, env, faults, message) => {
  fault = faults as Fault;
  const result = await run(["prod"], env as NodeJS.ProcessEnv | undefined);
  expect(result.code).toBe(1);
  expect(result.err).toHaveLength(1);
  expect(result.err[0]).toMatch(message);
});

test("an environment that is not on HCP Terraform, an unknown one, or no argument, is refused before anything is sent", async () => {
  const local = await run(["dev"]);
  expect([local.code, local.err]).toEqual([
    1,
    [expect.stringMatching(/^publish: environment dev keeps its state in local, not HCP Terraform/)],
  ]);
  const unknown = await run(["qa"]);
  expect([unknown.code, unknown.err]).toEqual([
    1,
    [expect.stringMatching(/^publish: qa is not a declared environment; declared: (dev|staging|prod)(, (dev|staging|prod)){2}$/)],
  ]);
  const usage = await run([]);
  expect(usage.code).toBe(2);
  expect(seen).toEqual([]);
});

test("the GitHub Actions workflow publishes on merge with OIDC-friendly settings and the token as a secret", () => {
  const workflow = readFileSync(join(ROOT, ".github", "workflows", "publish.yml"), "utf8");
  expect(workflow).toMatch(/on:\n\s+push:\n\s+branches: \[main\]/);
  expect(workflow).toMatch(/permissions:\n\s+contents: read\n\s+id-token: write/);
  expect(workflow).toContain("TF_TOKEN_app_terraform_io: ${{ secrets.TF_API_TOKEN }}");
  expect(workflow).toContain("npm run publish -- prod");
  expect(workflow).not.toMatch(/AKIA|aws_secret_access_key|AWS_SECRET_ACCESS_KEY/);
});
