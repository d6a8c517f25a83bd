/**
 * The `npm run publish -- <env> [--address <url>] [--skip-synth]` command:
 * resolves the environment's HCP Terraform workspace from cdktf.json,
 * synthesizes that environment alone, uploads its stack directory and prints
 * the run's URL. Exit 0 when the configuration version is uploaded, 1 (one
 * line on stderr) on any failure, 2 on wrong usage.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { readDeclaration, resolveDeclaration } from "../../config/config";
import { ConfigError } from "../../config/validation";
import { PublishError, PublishTarget, apiAddress, publish } from "./hcp-terraform";

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

export interface CliDeps {
  /** Synthesizes one environment into `<cwd>/cdktf.out`. @default `node dist/main.js <env>` */
  readonly synthesize?: (environment: string) => void;
  readonly fetch?: typeof fetch;
  readonly credentialsFile?: string;
  readonly waitSeconds?: number;
}

const USAGE = "usage: npm run publish -- <environment> [--address <https://host>] [--skip-synth]";

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

export async function runPublishCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  io: CliIo,
  deps: CliDeps = {},
): Promise<number> {
  const args = [...argv];
  const flag = (name: string): boolean => {
    const index = args.indexOf(name);
    if (index >= 0) args.splice(index, 1);
    return index >= 0;
  };
  const option = (name: string): string | undefined => {
    const index = args.indexOf(name);
    if (index < 0) return undefined;
    const value = args[index + 1];
    args.splice(index, 2);
    return value;
  };
  const skipSynth = flag("--skip-synth");
  const given = args.includes("--address");
  const flagAddress = option("--address");
  // An empty variable is an unset one, as in the shell's ${VAR:-default}.
  const envAddress = env.HCP_TERRAFORM_ADDRESS || undefined;
  const address = flagAddress ?? envAddress;
  const addressSource = flagAddress !== undefined ? "--address" : envAddress !== undefined ? "HCP_TERRAFORM_ADDRESS" : undefined;
  // --address without its value would fall back to another address unnoticed.
  if (args.length !== 1 || args[0].startsWith("-") || (given && (flagAddress === undefined || flagAddress.startsWith("-")))) {
    io.err(USAGE);
    return 2;
  }
  const environment = args[0];
  try {
    const target = publishTarget(join(cwd, env.CONNECT_ENCRYPTION_CONFIG ?? "cdktf.json"), environment);
    // Refused before synthesis, so that a wrong address costs nothing; publish checks it again for its other callers.
    apiAddress({ target, address, addressSource });
    if (!skipSynth) {
      const synthesize =
        deps.synthesize ??
        ((name: string) => {
          execFileSync(process.execPath, [join(__dirname, "main.js"), name], { cwd, stdio: ["ignore", "ignore", "inherit"] });
        });
      try {
        synthesize(environment);
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
      log: (line) => io.out(line),
    });
    io.out(published.runId ? `run ${published.runId}: ${published.url}` : `uploaded; the run will appear at ${published.url}`);
    return 0;
  } catch (error) {
    if (error instanceof PublishError || error instanceof ConfigError) {
      io.err(`publish: ${error.message.split("\n").join(" ")}`);
      return 1;
    }
    throw error;
  }
}
