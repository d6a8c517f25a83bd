/**
 * The `npm run publish -- <env> [--address <url>] [--skip-synth]` command:
 * resolves the environment's HCP Terraform workspace from the declaration,
 * synthesizes that environment alone, uploads its stack directory and prints
 * the run's URL. `--list` prints the environments kept in HCP Terraform (a
 * CI matrix). Exit 0 when the configuration version is uploaded, 1 (one
 * line on stderr) on any failure, 2 on wrong usage.
 */
import { exportStacks } from "./vcs-export";
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { readDeclaration, resolveDeclaration } from "../../config/config";
import { ConfigError } from "../../config/validation";
import { declarationFile } from "../declaration-file";
import { CliOption, CommandLine, parseCommandLine, valueOf, wantsHelp } from "../options";
import { PublishError, PublishTarget, apiAddress, publish } from "./hcp-terraform";

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

export interface CliDeps {
  /**
   * Synthesizes one environment of the declaration file (an absolute path) into `<cwd>/cdktf.out`.
   * @default `node dist/main.js <env>`, with CONNECT_ENCRYPTION_CONFIG set to that file
   */
  readonly synthesize?: (environment: string, configPath: string) => void;
  readonly fetch?: typeof fetch;
  readonly credentialsFile?: string;
  readonly waitSeconds?: number;
}

/** What `runPublishCli` accepts; PUBLISH_USAGE documents each (publish.test.ts). */
export const PUBLISH_OPTIONS: readonly CliOption[] = [
  { name: "--address", value: "<https://host>" },
  { name: "--skip-synth" },
  { name: "--list" },
  { name: "--export", value: "<dir>" },
  { name: "--help", short: "-h" },
];

const USAGE = "usage: npm run publish -- <environment> [--address <https://host>] [--skip-synth] | --list | --export <dir> | --help";

export const PUBLISH_USAGE = `Usage: npm run publish -- <environment> [--address <https://host>] [--skip-synth]
       npm run publish -- --list
       npm run publish -- --export <dir>

Synthesizes one environment whose state is in HCP Terraform ("state":
{ "backend": "cloud", ... }), uploads its stack directory as a configuration
version of the environment's workspace, and prints the URL of the run HCP
Terraform queues on it; review and apply that run in HCP Terraform.

  <environment>             an environment of the declaration kept in HCP Terraform
  --address <https://host>  the API's address, for Terraform Enterprise behind
                            another URL (default: https://<state.hostname>); plain
                            http only to a loopback address
  --skip-synth              upload cdktf.out/stacks/<stack> as it is
  --list                    print the environments kept in HCP Terraform, as a
                            JSON array (a CI matrix), and nothing else
  --export <dir>            for VCS-driven workspaces: write the Terraform files
                            of every environment kept in HCP Terraform into
                            <dir>/<stack>/ (only files whose bytes change; stacks
                            no longer declared removed); upload nothing
  -h, --help                this help

Environment:
  TF_TOKEN_<host>           the API token for state.hostname, named as the
                            Terraform CLI names it (dots become _, hyphens __:
                            TF_TOKEN_app_terraform_io); without it, the token
                            terraform login wrote to
                            $HOME/.terraform.d/credentials.tfrc.json
  HCP_TERRAFORM_ADDRESS     as --address (the flag wins; empty is unset)
  CONNECT_ENCRYPTION_CONFIG the declaration file (default: cdktf.json), absolute
                            or relative to the working directory

Example:
  TF_TOKEN_app_terraform_io=<team token> npm run publish -- prod

Exit status: 0 uploaded (or listed), 1 it failed (one line on stderr), 2 wrong usage.`;

/** The environment's HCP Terraform target, from the declaration. */
export function publishTarget(configPath: string, environment: string): PublishTarget {
  const declaration = resolveDeclaration(readDeclaration(configPath), configPath);
  const found = declaration.environments.find((e) => e.name === environment);
  if (!found) {
    throw new PublishError(
      `${environment} is not a declared environment; declared: ${declaration.environments.map((e) => e.name).join(", ")}`,
    );
  }
  if (found.state.backend !== "cloud") {
    throw new PublishError(
      `environment ${environment} keeps its state in ${found.state.backend}, not HCP Terraform: publishing needs "state": { "backend": "cloud", ... }`,
    );
  }
  return { environment, stackName: found.stackName, state: found.state };
}

/** The environments of the declaration whose state is in HCP Terraform, in declaration order: what publish can take. */
export function cloudEnvironments(configPath: string): string[] {
  const declaration = resolveDeclaration(readDeclaration(configPath), configPath);
  return declaration.environments.filter((e) => e.state.backend === "cloud").map((e) => e.name);
}

/** Runs `node dist/main.js <env>` on exactly the file publish read, whatever the child's own environment says. */
function synthesizeWithMain(cwd: string, env: NodeJS.ProcessEnv): (environment: string, configPath: string) => void {
  return (environment, configPath) => {
    execFileSync(process.execPath, [join(__dirname, "main.js"), environment], {
      cwd,
      env: { ...env, CONNECT_ENCRYPTION_CONFIG: configPath },
      stdio: ["ignore", "ignore", "inherit"],
    });
  };
}

/** Why the command line is wrong usage, or undefined: it names one environment, or says --list or --export alone. */
function usageProblem(line: CommandLine): string | undefined {
  for (const alone of ["--list", "--export"]) {
    if (!line.given.has(alone)) continue;
    const extra = [...line.positionals, ...[...line.given.keys()].filter((name) => name !== alone)];
    return extra.length > 0 ? `${alone} takes nothing else (given: ${extra.join(" ")})` : undefined;
  }
  if (line.positionals.length !== 1) return `give one environment (given: ${line.positionals.length})`;
  return undefined;
}

export async function runPublishCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  io: CliIo,
  deps: CliDeps = {},
): Promise<number> {
  if (wantsHelp(argv)) {
    io.out(PUBLISH_USAGE);
    return 0;
  }
  let line: CommandLine;
  try {
    line = parseCommandLine(argv, PUBLISH_OPTIONS);
    const problem = usageProblem(line);
    if (problem) throw new Error(problem);
  } catch (error) {
    io.err(`publish: ${(error as Error).message}`);
    io.err(USAGE);
    return 2;
  }
  // Absolute, so that synthesis (run in cwd) and every message name the file read here.
  const configPath = resolve(cwd, declarationFile(env));
  try {
    if (line.given.has("--list")) {
      io.out(JSON.stringify(cloudEnvironments(configPath)));
      return 0;
    }
    const exportDir = valueOf(line, "--export");
    if (exportDir !== undefined) {
      for (const stack of exportStacks(configPath, cloudEnvironments(configPath), resolve(cwd, exportDir)))
        io.out(`${stack.changed ? "written  " : "unchanged"} ${join(exportDir, stack.stackName)}`);
      return 0;
    }
    await publishEnvironment(line, env, cwd, configPath, io, deps);
    return 0;
  } catch (error) {
    if (error instanceof PublishError || error instanceof ConfigError) {
      io.err(`publish: ${error.message.split("\n").join(" ")}`);
      return 1;
    }
    throw error;
  }
}

/** Resolves, synthesizes and uploads the one environment of the command line; throws PublishError on any failure. */
async function publishEnvironment(
  line: CommandLine,
  env: NodeJS.ProcessEnv,
  cwd: string,
  configPath: string,
  io: CliIo,
  deps: CliDeps,
): Promise<void> {
  const environment = line.positionals[0];
  const flagAddress = valueOf(line, "--address");
  // An empty variable is an unset one, as in the shell's ${VAR:-default}.
  const envAddress = env.HCP_TERRAFORM_ADDRESS || undefined;
  const address = flagAddress ?? envAddress;
  const addressSource = flagAddress !== undefined ? "--address" : envAddress !== undefined ? "HCP_TERRAFORM_ADDRESS" : undefined;
  const target = publishTarget(configPath, environment);
  // Refused before synthesis, so that a wrong address costs nothing; publish checks it again for its other callers.
  apiAddress({ target, address, addressSource });
  if (!line.given.has("--skip-synth")) {
    try {
      (deps.synthesize ?? synthesizeWithMain(cwd, env))(environment, configPath);
    } catch {
      throw new PublishError(`synthesis of ${environment} failed (see above); nothing was uploaded`);
    }
  }
  const published = await publish({
    target,
    stackDirectory: join(cwd, "cdktf.out", "stacks", target.stackName),
    env,
    address,
    addressSource,
    fetch: deps.fetch,
    credentialsFile: deps.credentialsFile,
    waitSeconds: deps.waitSeconds,
    log: (text) => io.out(text),
  });
  io.out(published.runId ? `run ${published.runId}: ${published.url}` : `uploaded; the run will appear at ${published.url}`);
}
