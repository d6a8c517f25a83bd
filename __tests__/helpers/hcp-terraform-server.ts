/**
 * A local HTTP server on the loopback interface that implements the HCP
 * Terraform API calls `npm run publish` makes, as HCP Terraform documents
 * them: JSON:API documents, 201 with an upload-url for a new configuration
 * version, a signed upload URL taking the .tar.gz, a run queued on it. Shared
 * by publish.test.ts (the CLI in-process) and workflow.test.ts (the
 * workflow's commands in a clone), so that both talk to the same API.
 */
import { IncomingMessage, Server, ServerResponse, createServer } from "node:http";
import { AddressInfo } from "node:net";

/** Statuses to answer with instead of success, per call. */
export interface Fault {
  workspace?: number;
  create?: number;
  upload?: number;
}

/** One request the server received. */
export interface Seen {
  method: string;
  url: string;
  authorization?: string;
  contentType?: string;
  body: Buffer;
}

export interface FakeHcpTerraform {
  /** `http://127.0.0.1:<port>`. */
  readonly base: string;
  fault: Fault;
  seen: Seen[];
  readonly close: () => Promise<void>;
}

export interface FakeHcpTerraformOptions {
  /** The token the API accepts (as `Authorization: Bearer <token>`). */
  readonly token: string;
  readonly organization: string;
  /** Workspace name -> workspace ID. */
  readonly workspaces: Readonly<Record<string, string>>;
}

/** The configuration version every create returns, and the run queued on it. */
export const CONFIGURATION_VERSION_ID = "cv-xyz789";
export const RUN_ID = "run-new456";

function send(res: ServerResponse, status: number, document: unknown): void {
  res.writeHead(status, { "Content-Type": "application/vnd.api+json" });
  res.end(JSON.stringify(document));
}

/** Two runs: an older one on another version, then the one on ours, so that publish must pick by version. */
function runs(): unknown {
  const run = (id: string, version: string) => ({
    id,
    type: "runs",
    relationships: { "configuration-version": { data: { id: version, type: "configuration-versions" } } },
  });
  return { data: [run("run-older", "cv-older"), run(RUN_ID, CONFIGURATION_VERSION_ID)] };
}

function handler(options: FakeHcpTerraformOptions, server: { base: string; fault: Fault; seen: Seen[] }) {
  const ids = new Set(Object.values(options.workspaces));
  const workspacesPath = `/api/v2/organizations/${options.organization}/workspaces/`;
  return (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const { fault } = server;
    server.seen.push({
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
    if (req.headers.authorization !== `Bearer ${options.token}`)
      return send(res, 401, { errors: [{ status: "401", title: "unauthorized" }] });
    const workspace = url.startsWith(workspacesPath) ? options.workspaces[decodeURIComponent(url.slice(workspacesPath.length))] : undefined;
    if (req.method === "GET" && workspace) {
      if (fault.workspace) return send(res, fault.workspace, { errors: [{ status: String(fault.workspace), title: "not found" }] });
      return send(res, 200, { data: { id: workspace, type: "workspaces" } });
    }
    const [, id, rest] = url.match(/^\/api\/v2\/workspaces\/([^/]+)\/(.*)$/) ?? [];
    if (req.method === "POST" && ids.has(id) && rest === "configuration-versions") {
      if (fault.create) {
        return send(res, fault.create, {
          errors: [{ status: String(fault.create), title: "invalid attribute", detail: "Auto queue runs is invalid" }],
        });
      }
      const attributes = {
        "auto-queue-runs": true,
        status: "pending",
        "upload-url": `${server.base}/upload/${CONFIGURATION_VERSION_ID}?signature=s`,
      };
      return send(res, 201, { data: { id: CONFIGURATION_VERSION_ID, type: "configuration-versions", attributes } });
    }
    if (req.method === "GET" && ids.has(id) && rest.startsWith("runs")) return send(res, 200, runs());
    send(res, 404, { errors: [{ status: "404", title: "not found" }] });
  };
}

/** Starts the server on 127.0.0.1 and an unused port. */
export async function startFakeHcpTerraform(options: FakeHcpTerraformOptions): Promise<FakeHcpTerraform> {
  const state = { base: "", fault: {} as Fault, seen: [] as Seen[] };
  const handle = handler(options, state);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
