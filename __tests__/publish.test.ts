/**
 * `npm run publish -- <env>` against a local HTTP server on the loopback
 * interface that implements the HCP Terraform API calls it makes, as HCP
 * Terraform documents them: JSON:API documents, 201 with an upload-url for a
 * new configuration version, a signed upload URL taking the .tar.gz, a run
 * queued on it (the server is __tests__/helpers/hcp-terraform-server.ts). And
 * every failure: one line, non-zero exit; the help, --list, and where the
 * declaration is read from.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PUBLISH_OPTIONS, PUBLISH_USAGE, runPublishCli } from "../modules/cli/publish/cli";
import { exampleCdktfJson } from "./helpers/example";
import { PublishTarget, apiAddress, apiBase, apiToken, publish, tokenVariable } from "../modules/cli/publish/hcp-terraform";
import { Fault, FakeHcpTerraform, startFakeHcpTerraform } from "./helpers/hcp-terraform-server";
import { declarationElsewhere, undocumentedOptions, undocumentedVariables, variablesRead } from "./helpers/commands";

const TOKEN = "test-token.atlasv1.not-a-real-one";

let hcp: FakeHcpTerraform;
let base = "";

beforeAll(async () => {
  hcp = await startFakeHcpTerraform({ token: TOKEN, organization: "acme", workspaces: { "connect-encryption-prod": "ws-abc123" } });
  base = hcp.base;
});

afterAll(() => hcp.close());

beforeEach(() => {
  hcp.fault = {};
  hcp.seen = [];
});

/** A project whose cdktf.json holds the example declaration, never the user's (prod: HCP Terraform, organization acme, workspace connect-encryption-prod). */
function project(): string {
  return dirname(exampleCdktfJson());
}

/** Stands in for synthesis: writes a stack directory as `npm run synth -- prod` does. */
function fakeSynth(dir: string, calls: string[], configs: string[] = []): (environment: string, configPath: string) => void {
  return (environment, configPath) => {
    calls.push(environment);
    configs.push(configPath);
    const stack = join(dir, "cdktf.out", "stacks", `connect-encryption-${environment}`);
    mkdirSync(stack, { recursive: true });
    writeFileSync(join(stack, "cdk.tf.json"), '{"terraform":{}}\n');
    writeFileSync(join(stack, "versions.tf"), "terraform {}\n");
  };
}

/** Runs the CLI with the token set; `address` (the local server unless told) is given as --address, none when null. */
async function run(
  argv: string[],
  env: NodeJS.ProcessEnv = { [tokenVariable("app.terraform.io")]: TOKEN },
  dir = project(),
  address: string | null = base,
) {
  const out: string[] = [];
  const err: string[] = [];
  const synthesized: string[] = [];
  const code = await runPublishCli(
    address === null ? argv : [...argv, "--address", address],
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
  expect(hcp.seen.map((s) => `${s.method} ${s.url.split("?")[0]}`)).toEqual([
    "GET /api/v2/organizations/acme/workspaces/connect-encryption-prod",
    "POST /api/v2/workspaces/ws-abc123/configuration-versions",
    "PUT /upload/cv-xyz789",
    "GET /api/v2/workspaces/ws-abc123/runs",
  ]);
  const create = hcp.seen[1];
  expect(create.contentType).toBe("application/vnd.api+json");
  expect(JSON.parse(create.body.toString())).toEqual({ data: { type: "configuration-versions", attributes: { "auto-queue-runs": true } } });
  const upload = hcp.seen[2];
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
  hcp.fault = faults as Fault;
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
  expect(hcp.seen).toEqual([]);
});

// --- the address the token is sent to ---

const WITH_TOKEN = { [tokenVariable("app.terraform.io")]: TOKEN };
const LOOPBACK_ONLY = "give https://<host> (http only to a loopback address: 127.0.0.0/8, ::1, localhost)";

/** Refused addresses, each with the refusal after its source; `port` is the local server's, so that a token let through would reach it. */
const REFUSED: [string, (port: string) => string, string][] = [
  [
    "plain http to another host",
    () => "http://tfe.example.com",
    `is http://tfe.example.com, not https: the API token would be sent in clear; ${LOOPBACK_ONLY}`,
  ],
  [
    "a host that only starts like a loopback one",
    () => "http://127.0.0.1.nip.io",
    `is http://127.0.0.1.nip.io, not https: the API token would be sent in clear; ${LOOPBACK_ONLY}`,
  ],
  [
    "http to localhost's subdomain",
    () => "http://localhost.example.com",
    `is http://localhost.example.com, not https: the API token would be sent in clear; ${LOOPBACK_ONLY}`,
  ],
  [
    "another scheme",
    () => "ftp://tfe.example.com",
    `is ftp://tfe.example.com, not https: the API token would be sent in clear; ${LOOPBACK_ONLY}`,
  ],
  ["no scheme", () => "tfe.example.com", "is not a URL: give https://<host>"],
  [
    "user information naming the expected host before the real one",
    (port) => `http://app.terraform.io@127.0.0.1:${port}`,
    "has a user name or password before 127.0.0.1:PORT, which hides where the token goes: give https://<host>",
  ],
  [
    "a user name and password",
    () => "https://deployer:s3cret@tfe.example.com",
    "has a user name or password before tfe.example.com, which hides where the token goes: give https://<host>",
  ],
  [
    "a query the API paths would be appended to",
    (port) => `http://127.0.0.1:${port}?next=`,
    "has a query or fragment after 127.0.0.1:PORT, which the API paths would be appended to: give https://<host>",
  ],
  [
    "a fragment the API paths would be appended to",
    (port) => `http://127.0.0.1:${port}#`,
    "has a query or fragment after 127.0.0.1:PORT, which the API paths would be appended to: give https://<host>",
  ],
];

test.each(REFUSED)(
  "%s is refused from --address and from HCP_TERRAFORM_ADDRESS, naming it, before synthesis and before any request",
  async (_, address, refusal) => {
    const port = base.split(":").pop()!;
    const expected = refusal.replace("PORT", port);
    const flag = await run(["prod"], WITH_TOKEN, project(), address(port));
    expect([flag.code, flag.err]).toEqual([1, [`publish: --address ${expected}`]]);
    const variable = await run(["prod"], { ...WITH_TOKEN, HCP_TERRAFORM_ADDRESS: address(port) }, project(), null);
    expect([variable.code, variable.err]).toEqual([1, [`publish: HCP_TERRAFORM_ADDRESS ${expected}`]]);
    expect([...flag.synthesized, ...variable.synthesized]).toEqual([]);
    // The local server received nothing: the token never left.
    expect(hcp.seen).toEqual([]);
    // The password is not repeated either.
    expect(flag.err.join("")).not.toContain("s3cret");
  },
);

test("HCP_TERRAFORM_ADDRESS at the local server is used like --address; --address wins over it", async () => {
  const variable = await run(["prod"], { ...WITH_TOKEN, HCP_TERRAFORM_ADDRESS: `${base}/` }, project(), null);
  expect([variable.code, variable.err]).toEqual([0, []]);
  expect(hcp.seen[0].url).toBe("/api/v2/organizations/acme/workspaces/connect-encryption-prod");
  hcp.seen = [];
  const both = await run(["prod"], { ...WITH_TOKEN, HCP_TERRAFORM_ADDRESS: "http://tfe.example.com" });
  expect([both.code, both.err]).toEqual([0, []]);
  expect(hcp.seen).toHaveLength(4);
});

test("--address without its value is wrong usage, not a silent fall back to another address", async () => {
  for (const argv of [
    ["prod", "--address"],
    ["prod", "--address", "--skip-synth"],
  ]) {
    const result = await run(argv, WITH_TOKEN, project(), null);
    expect([result.code, result.err]).toEqual([
      2,
      [
        "publish: --address needs a value: --address <https://host>",
        "usage: npm run publish -- <environment> [--address <https://host>] [--skip-synth] | --list | --export <dir> | --help",
      ],
    ]);
  }
  expect(hcp.seen).toEqual([]);
});

test("an empty HCP_TERRAFORM_ADDRESS is an unset one: the address is state.hostname's", async () => {
  const asked: string[] = [];
  const offline = async (url: string | URL | Request): Promise<Response> => {
    asked.push(String(url));
    throw new Error("offline");
  };
  const dir = project();
  const err: string[] = [];
  const code = await runPublishCli(
    ["prod"],
    { ...WITH_TOKEN, HCP_TERRAFORM_ADDRESS: "" },
    dir,
    { out: () => undefined, err: (l) => err.push(l) },
    { synthesize: fakeSynth(dir, []), fetch: offline as typeof fetch, credentialsFile: join(dir, "no-credentials.json"), waitSeconds: 0 },
  );
  expect([code, err]).toEqual([1, ["publish: workspace acme/connect-encryption-prod: cannot reach https://app.terraform.io (offline)"]]);
  expect(asked).toEqual(["https://app.terraform.io/api/v2/organizations/acme/workspaces/connect-encryption-prod"]);
});

test("the loopback interface may take http; https is kept as given, a path prefix too, and only the trailing slash goes", () => {
  expect(apiBase("http://localhost:8080", "--address")).toBe("http://localhost:8080");
  expect(apiBase("http://[::1]:8080/", "--address")).toBe("http://[::1]:8080");
  expect(apiBase("http://[0:0:0:0:0:0:0:1]", "--address")).toBe("http://[::1]");
  expect(apiBase("http://127.8.9.10", "--address")).toBe("http://127.8.9.10");
  expect(apiBase("http://0177.0.0.1:9", "--address")).toBe("http://127.0.0.1:9");
  expect(apiBase("https://tfe.example.com/", "--address")).toBe("https://tfe.example.com");
  expect(apiBase("https://tfe.example.com/tfe//", "--address")).toBe("https://tfe.example.com/tfe");
});

test("without an address, state.hostname's is used, and a refusal of it names state.hostname; publish itself sends nothing then", async () => {
  const prod = { environment: "prod", stackName: "connect-encryption-prod" };
  const state = { backend: "cloud" as const, organization: "acme", workspace: { name: "connect-encryption-prod" } };
  expect(apiAddress({ target: { ...prod, state: { ...state, hostname: "tfe.example.com" } } })).toBe("https://tfe.example.com");
  // The schema allows no such hostname; publish is also a function others may call with a target of their own.
  const target: PublishTarget = { ...prod, state: { ...state, hostname: "app.terraform.io@tfe.example.com" } };
  const fetch = jest.fn();
  await expect(publish({ target, stackDirectory: project(), env: { TF_TOKEN_app_terraform_io: TOKEN }, fetch })).rejects.toThrow(
    "state.hostname of environment prod has a user name or password before tfe.example.com, which hides where the token goes: give https://<host>",
  );
  expect(fetch).not.toHaveBeenCalled();
});

// --- the help, --list, and where the declaration is read from ---

test("--help and -h print the usage and exit 0, before the declaration is read or anything is sent", async () => {
  for (const flag of ["--help", "-h"]) {
    const result = await run([flag], {}, mkdtempSync(join(tmpdir(), "connect-kms-empty-")), null);
    expect(result).toEqual({ code: 0, out: [PUBLISH_USAGE], err: [], synthesized: [] });
  }
  expect(hcp.seen).toEqual([]);
});

test("the help documents every option the parser accepts, every environment variable publish reads, and an example", () => {
  expect(undocumentedOptions(PUBLISH_USAGE, PUBLISH_OPTIONS)).toEqual([]);
  const read = variablesRead("modules/cli/publish/main.ts");
  // Read by name in the code; the token's name is built from state.hostname (tokenVariable), so it is added here.
  expect(read).toEqual(["CONNECT_ENCRYPTION_CONFIG", "HCP_TERRAFORM_ADDRESS", "HOME"]);
  expect(undocumentedVariables(PUBLISH_USAGE, [...read, "TF_TOKEN_<host>", tokenVariable("app.terraform.io")])).toEqual([]);
  expect(PUBLISH_USAGE).toContain("\nExample:\n  TF_TOKEN_app_terraform_io=<team token> npm run publish -- prod\n");
});

test("the help check can fail: an option or a variable left out of the help is reported", () => {
  expect(
    undocumentedOptions("  --json  results as JSON", [{ name: "--json" }, { name: "--json-lines" }, { name: "--help", short: "-h" }]),
  ).toEqual(["--json-lines", "--help", "-h"]);
  expect(undocumentedVariables("HCP_TERRAFORM_ADDRESS_X as --address", ["HCP_TERRAFORM_ADDRESS"])).toEqual(["HCP_TERRAFORM_ADDRESS"]);
});

test("--list prints the environments kept in HCP Terraform as a JSON array, needing no token and sending nothing", async () => {
  const listed = await run(["--list"], {}, project(), null);
  expect(listed).toEqual({ code: 0, out: ['["prod"]'], err: [], synthesized: [] });
  const both = await run(["--list", "prod"], {}, project(), null);
  expect([both.code, both.err[0]]).toEqual([2, "publish: --list takes nothing else (given: prod)"]);
  expect(hcp.seen).toEqual([]);
});

test("CONNECT_ENCRYPTION_CONFIG may be relative to the working directory or absolute; synthesis is given the same file", async () => {
  const { cwd, relative, absolute } = declarationElsewhere();
  const workspace = await startFakeHcpTerraform({
    token: TOKEN,
    organization: "acme",
    workspaces: { "connect-encryption-live": "ws-live" },
  });
  try {
    for (const config of [relative, absolute]) {
      const configs: string[] = [];
      const out: string[] = [];
      const err: string[] = [];
      const code = await runPublishCli(
        ["live", "--address", workspace.base],
        { ...WITH_TOKEN, CONNECT_ENCRYPTION_CONFIG: config },
        cwd,
        { out: (l) => out.push(l), err: (l) => err.push(l) },
        { synthesize: fakeSynth(cwd, [], configs), credentialsFile: join(cwd, "no-credentials.json"), waitSeconds: 0 },
      );
      expect([code, err]).toEqual([0, []]);
      expect(out[out.length - 1]).toBe(
        "run run-new456: https://app.terraform.io/app/acme/workspaces/connect-encryption-live/runs/run-new456",
      );
      expect(configs).toEqual([config === absolute ? absolute : join(cwd, relative)]);
    }
    const listed = await run(["--list"], { CONNECT_ENCRYPTION_CONFIG: absolute }, cwd, null);
    expect(listed.out).toEqual(['["live"]']);
  } finally {
    await workspace.close();
  }
});
