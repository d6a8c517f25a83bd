/**
 * `npm run publish -- <env>`: synthesizes one environment and uploads its
 * stack directory as a configuration version of that environment's HCP
 * Terraform workspace, through the API as HCP Terraform documents it:
 *
 * - GET  /api/v2/organizations/:organization/workspaces/:name (the workspace's ID)
 *   https://developer.hashicorp.com/terraform/cloud-docs/api-docs/workspaces#show-workspace
 * - POST /api/v2/workspaces/:workspace_id/configuration-versions, a JSON:API
 *   document of type "configuration-versions" (201, with `upload-url`)
 * - PUT  <upload-url>, the .tar.gz as application/octet-stream (no token: the URL is signed)
 *   https://developer.hashicorp.com/terraform/cloud-docs/api-docs/configuration-versions
 * - GET  /api/v2/workspaces/:workspace_id/runs, for the run that auto-queue-runs started on it
 *   https://developer.hashicorp.com/terraform/cloud-docs/api-docs/run#list-runs-in-a-workspace
 *
 * The token comes from TF_TOKEN_<host> (as the Terraform CLI reads it) or the
 * CLI credentials file (~/.terraform.d/credentials.tfrc.json, written by
 * `terraform login`). Every failure is one line and a non-zero exit.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { CloudStateSettings } from "../../config/state-settings";

export class PublishError extends Error {}

export interface PublishTarget {
  readonly environment: string;
  readonly stackName: string;
  readonly state: CloudStateSettings;
}

/** The environment variable the Terraform CLI reads a host's token from: dots become _, hyphens __. */
export function tokenVariable(hostname: string): string {
  return `TF_TOKEN_${hostname.replace(/-/g, "__").replace(/\./g, "_")}`;
}

/** The API token for `hostname`: TF_TOKEN_<host>, else the CLI credentials file. */
export function apiToken(hostname: string, env: NodeJS.ProcessEnv, credentialsFile?: string): string {
  const variable = tokenVariable(hostname);
  if (env[variable]) return env[variable]!;
  const file = credentialsFile ?? join(env.HOME ?? homedir(), ".terraform.d", "credentials.tfrc.json");
  if (existsSync(file)) {
    let parsed: { credentials?: Record<string, { token?: string }> };
    try {
      parsed = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      throw new PublishError(`${file} is not valid JSON; run \`terraform login ${hostname}\` again`);
    }
    const token = parsed.credentials?.[hostname]?.token;
    if (token) return token;
  }
  throw new PublishError(`no API token for ${hostname}: set ${variable} or run \`terraform login ${hostname}\``);
}

/** Hosts of the loopback interface, as the URL parser normalizes them (0177.0.0.1 and [0:0:0:0:0:0:0:1] included): a local server, never the network. */
const LOOPBACK_HOST = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]|localhost)$/;

/**
 * The API's base URL from the address the token is sent to, or a refusal
 * naming where the address came from (`source`). The API paths are appended
 * to it, so it must say one host and nothing that would move them: no user
 * information (`https://app.terraform.io@elsewhere` is elsewhere), no query
 * or fragment (the paths would land inside it). A path prefix stays on the
 * host it names. Plain http would carry the token in clear, so it is only
 * for a loopback address. None of the messages repeat the address beyond its
 * host, since a mistaken one may hold a secret.
 */
export function apiBase(address: string, source: string): string {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new PublishError(`${source} is not a URL: give https://<host>`);
  }
  if (url.username || url.password) {
    throw new PublishError(
      `${source} has a user name or password before ${url.host}, which hides where the token goes: give https://<host>`,
    );
  }
  if (/[?#]/.test(address)) {
    throw new PublishError(
      `${source} has a query or fragment after ${url.host}, which the API paths would be appended to: give https://<host>`,
    );
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK_HOST.test(url.hostname))) {
    throw new PublishError(
      `${source} is ${url.protocol}//${url.host}, not https: the API token would be sent in clear; give https://<host> (http only to a loopback address: 127.0.0.0/8, ::1, localhost)`,
    );
  }
  // Rebuilt from what was checked, so that the request goes where the parser said.
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** The address publish sends the token to, and where it came from: the given one, else state.hostname's. */
export function apiAddress(options: Pick<PublishOptions, "address" | "addressSource" | "target">): string {
  const { target } = options;
  if (options.address !== undefined) return apiBase(options.address, options.addressSource ?? "the address");
  return apiBase(`https://${target.state.hostname}`, `state.hostname of environment ${target.environment}`);
}

/** The stack directory as a .tar.gz, its contents at the archive's root (as HCP Terraform expects). */
export function archive(directory: string): Buffer {
  if (!existsSync(join(directory, "cdk.tf.json"))) throw new PublishError(`${directory} holds no synthesized stack (cdk.tf.json)`);
  return execFileSync("tar", ["-czf", "-", "--exclude=.terraform", "--exclude=*.tfstate*", "-C", directory, "."], {
    maxBuffer: 256 * 1024 * 1024,
  });
}

interface Api {
  readonly base: string;
  readonly token: string;
  readonly fetch: typeof fetch;
}

type JsonApiDocument = { data?: any; errors?: { status?: string; title?: string; detail?: string }[] };

/** One JSON:API request; an unexpected status is a one-line error that says what failed and why. */
async function request(api: Api, method: string, path: string, what: string, expected: number, body?: unknown): Promise<JsonApiDocument> {
  let response: Response;
  try {
    response = await api.fetch(`${api.base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${api.token}`, "Content-Type": "application/vnd.api+json", Accept: "application/vnd.api+json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new PublishError(`${what}: cannot reach ${api.base} (${(error as Error).cause ?? (error as Error).message})`);
  }
  const text = await response.text();
  let document: JsonApiDocument = {};
  try {
    document = text ? JSON.parse(text) : {};
  } catch {
    // an HTML error page or nothing: the status says enough
  }
  if (response.status === expected) return document;
  const reason = (document.errors ?? [])
    .map((e) => [e.title, e.detail].filter(Boolean).join(": "))
    .filter(Boolean)
    .join("; ")
    .replace(/\s+/g, " ");
  const hint =
    response.status === 401
      ? " (the token is missing, expired or revoked: run `terraform login` or renew the secret)"
      : response.status === 404
        ? " (it does not exist, or the token's user or team cannot see it)"
        : "";
  throw new PublishError(`${what}: HTTP ${response.status}${reason ? ` ${reason}` : ""}${hint}`);
}

export interface PublishOptions {
  readonly target: PublishTarget;
  /** The synthesized stack directory (cdktf.out/stacks/<stack>). */
  readonly stackDirectory: string;
  readonly env: NodeJS.ProcessEnv;
  /** API address, for Terraform Enterprise behind another URL and for tests. @default https://<hostname> */
  readonly address?: string;
  /** Where `address` came from (`--address`, `HCP_TERRAFORM_ADDRESS`), for a refusal to name. @default "the address" */
  readonly addressSource?: string;
  readonly credentialsFile?: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Seconds to wait for the run to appear. @default 30 */
  readonly waitSeconds?: number;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

export interface Published {
  readonly configurationVersionId: string;
  readonly runId?: string;
  /** The run's page, or the workspace's runs when the run has not appeared yet. */
  readonly url: string;
}

/** Uploads the stack directory as a new configuration version of the environment's workspace; returns the run's URL. */
export async function publish(options: PublishOptions): Promise<Published> {
  const { target } = options;
  const { hostname, organization } = target.state;
  if (!("name" in target.state.workspace)) {
    throw new PublishError(
      `environment ${target.environment} selects workspaces by tag (state.workspaceTags); publishing needs one workspace: set state.workspace`,
    );
  }
  const workspaceName = target.state.workspace.name;
  const log = options.log ?? (() => undefined);
  const api: Api = {
    // The address first: a refused one stops the run before the token is even read.
    base: apiAddress(options),
    token: apiToken(hostname, options.env, options.credentialsFile),
    fetch: options.fetch ?? globalThis.fetch,
  };
  const tarball = archive(options.stackDirectory);

  const workspace = await request(
    api,
    "GET",
    `/api/v2/organizations/${encodeURIComponent(organization)}/workspaces/${encodeURIComponent(workspaceName)}`,
    `workspace ${organization}/${workspaceName}`,
    200,
  );
  const workspaceId: string | undefined = workspace.data?.id;
  if (!workspaceId) throw new PublishError(`workspace ${organization}/${workspaceName}: the response has no workspace ID`);
  log(`workspace ${organization}/${workspaceName} (${workspaceId})`);

  const created = await request(
    api,
    "POST",
    `/api/v2/workspaces/${workspaceId}/configuration-versions`,
    "creating the configuration version",
    201,
    {
      data: { type: "configuration-versions", attributes: { "auto-queue-runs": true } },
    },
  );
  const versionId: string | undefined = created.data?.id;
  const uploadUrl: string | undefined = created.data?.attributes?.["upload-url"];
  if (!versionId || !uploadUrl) throw new PublishError("creating the configuration version: the response has no ID or upload-url");
  log(`configuration version ${versionId}: uploading ${tarball.length} bytes`);

  let upload: Response;
  try {
    upload = await api.fetch(uploadUrl, { method: "PUT", headers: { "Content-Type": "application/octet-stream" }, body: tarball });
  } catch (error) {
    throw new PublishError(`uploading the configuration: cannot reach the upload URL (${(error as Error).message})`);
  }
  if (upload.status !== 200 && upload.status !== 204) {
    throw new PublishError(
      `uploading the configuration: HTTP ${upload.status} from the upload URL; configuration version ${versionId} stays pending and queues no run`,
    );
  }

  const runsPage = `https://${hostname}/app/${organization}/workspaces/${workspaceName}/runs`;
  const deadline = Date.now() + (options.waitSeconds ?? 30) * 1000;
  for (;;) {
    const runs = await request(api, "GET", `/api/v2/workspaces/${workspaceId}/runs?page%5Bsize%5D=20`, "listing the workspace's runs", 200);
    const run = (runs.data ?? []).find((r: any) => r.relationships?.["configuration-version"]?.data?.id === versionId);
    if (run) return { configurationVersionId: versionId, runId: run.id, url: `${runsPage}/${run.id}` };
    if (Date.now() >= deadline) return { configurationVersionId: versionId, url: runsPage };
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
