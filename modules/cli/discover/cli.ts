/**
 * `npm run discover -- <environment> [--json] [--write]`
 *
 * Read-only: lists the adopted instance's existing storage associations for
 * every resource type and what the declaration would change for each. With
 * `--write`, records their IDs in the environment's
 * `instance.adopt.existingAssociations` in the declaration (a targeted edit: the
 * rest of the file stays byte-identical), so that synthesis imports them and
 * the first apply takes them over in place.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { ConnectClient } from "@aws-sdk/client-connect";
import { KMSClient } from "@aws-sdk/client-kms";
import { STSClient } from "@aws-sdk/client-sts";
import { CONTEXT_KEY } from "../../config/config";
import { AdoptedEnvironment, accountMismatch, adoptedEnvironmentNamed, callerIdentity, clientConfig, failureMessage } from "../aws/session";
import { DiscoveryClients, discover, discoveryJson, discoveryTable } from "./discover";
import { setJsonMember } from "./json-edit";
import { CliOption, parseCommandLine, wantsHelp } from "../options";

export interface DiscoverArguments {
  readonly environment: string;
  readonly json: boolean;
  readonly write: boolean;
}

/** What `parseDiscoverArguments` accepts; DISCOVER_USAGE documents each (discover.test.ts). */
export const DISCOVER_OPTIONS: readonly CliOption[] = [{ name: "--json" }, { name: "--write" }, { name: "--help", short: "-h" }];

export const DISCOVER_USAGE = `Usage: npm run discover -- <environment> [--json] [--write]

Read-only: lists the existing storage associations of an adopted instance
(instance.adopt) and what the declaration would change for each.

  <environment>  an environment of the declaration that adopts its instance
  --json         results as JSON
  --write        record their IDs in instance.adopt.existingAssociations in
                 the declaration file, so that synthesis imports them (a
                 targeted edit: the rest of the file stays as it is)
  -h, --help     this help

Environment:
  CONNECT_ENCRYPTION_CONFIG  the declaration file (default: cdktf.json),
                 absolute or relative to the working directory
  AWS_PROFILE, AWS_ACCESS_KEY_ID, ...  the credentials, found as the AWS SDK
                 finds them (aws sso login, a profile, the instance role)
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED  false shows the SDK's
                 Node.js version warning, which discover turns off

Example:
  AWS_PROFILE=discovery npm run discover -- prod --write

Exit status: 0 done, 2 it could not run.`;

export function parseDiscoverArguments(argv: readonly string[]): DiscoverArguments {
  const line = parseCommandLine(argv, DISCOVER_OPTIONS);
  const [environment, extra] = line.positionals;
  if (extra !== undefined) throw new Error(`unexpected argument ${extra}; give one environment`);
  if (!environment) throw new Error("name an adopted environment, e.g. npm run discover -- prod");
  return { environment, json: line.given.has("--json"), write: line.given.has("--write") };
}

export interface DiscoverIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly clients: (region: string) => DiscoveryClients & { sts: STSClient };
  readonly readText: (path: string) => string;
  readonly writeText: (path: string, text: string) => void;
}

export const defaultDiscoverIo: DiscoverIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  clients: (region) => {
    const config = clientConfig(region);
    return { sts: new STSClient(config), connect: new ConnectClient(config), kms: new KMSClient(config) };
  },
  readText: (path) => readFileSync(path, "utf8"),
  writeText: (path, text) => writeFileSync(path, text),
};

/** The path of an environment's adoption in the declaration, refusing one that comes from the defaults. */
function adoptPath(configText: string, environment: string): string[] {
  const path = ["context", CONTEXT_KEY, "environments", environment, "instance", "adopt"];
  let node: unknown = JSON.parse(configText);
  for (const key of path) node = (node as Record<string, unknown> | undefined)?.[key];
  if (node === undefined) {
    throw new Error(
      `environments.${environment} does not declare instance.adopt itself (it comes from the defaults); declare it in the environment, then run again`,
    );
  }
  return [...path, "existingAssociations"];
}

/** Runs discovery; returns the exit code (0 done, 2 it could not run). */
export async function discoverMain(
  argv: readonly string[],
  io: DiscoverIo = defaultDiscoverIo,
  configPath = "cdktf.json",
): Promise<number> {
  let args: DiscoverArguments;
  let environment: AdoptedEnvironment;
  if (wantsHelp(argv)) {
    io.out(DISCOVER_USAGE);
    return 0;
  }
  try {
    args = parseDiscoverArguments(argv);
    environment = adoptedEnvironmentNamed(configPath, args.environment, "discovery is for an adopted instance");
  } catch (error) {
    io.err(`discover: ${(error as Error).message}`);
    return 2;
  }
  const instanceId = environment.instance.instanceId;
  const aws = io.clients(environment.region);
  try {
    const identity = await callerIdentity(aws.sts);
    const mismatch = accountMismatch(identity, environment);
    if (mismatch) {
      io.err(`discover: ${mismatch}`);
      return 2;
    }
    const found = await discover(aws, environment, instanceId, identity, (message) => io.err(`... ${message}`));
    io.out(args.json ? discoveryJson(args.environment, found) : discoveryTable(args.environment, found));
    if (args.write) {
      const before = io.readText(configPath);
      const after = setJsonMember(before, adoptPath(before, args.environment), found.recordable);
      if (after !== before) io.writeText(configPath, after);
      io.err(
        `discover: recorded ${Object.keys(found.recordable).length} association ID(s) in ${configPath} at environments.${args.environment}.instance.adopt.existingAssociations`,
      );
    }
    return 0;
  } catch (error) {
    if ((error as { name?: string }).name === "ResourceNotFoundException") {
      io.err(
        `discover: instance ${instanceId} was not found in ${environment.region} (${(error as Error).message}): check instance.adopt.instance, the environment's region (the instance's Region) and the account of your credentials`,
      );
      return 2;
    }
    io.err(failureMessage("discover", error));
    return 2;
  }
}
