/**
 * `npm run verify -- <environment> [--outputs file.json] [--region r] [--json]`
 *
 * Read-only proof that a deployed environment keeps Connect's content under
 * the customer's key. Outputs come from `terraform output -json` in the
 * environment's stack directory, or from a file (for the Terraform module,
 * `terraform output -json connect_encryption` of the caller, saved to a file).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { KMSClient } from "@aws-sdk/client-kms";
import { ConnectClient } from "@aws-sdk/client-connect";
import { S3Client } from "@aws-sdk/client-s3";
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { FirehoseClient } from "@aws-sdk/client-firehose";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { CustomerProfilesClient } from "@aws-sdk/client-customer-profiles";
import { EnvironmentSettings } from "../../config/config";
import { AwsClients } from "./checks";
import { clientConfig, environmentNamed, failureMessage } from "../aws/session";
import { Expectations, parseOutputs, DeployedOutputs } from "./model";
import { verify } from "./run";
import { exitCode, json, table } from "./format";
import { CliOption, parseCommandLine, valueOf, wantsHelp } from "../options";

export interface VerifyArguments {
  readonly environment?: string;
  readonly outputsFile?: string;
  readonly region?: string;
  readonly json: boolean;
}

/** What `parseArguments` accepts; VERIFY_USAGE documents each (verify.test.ts). */
export const VERIFY_OPTIONS: readonly CliOption[] = [
  { name: "--outputs", value: "<file>" },
  { name: "--region", value: "<region>" },
  { name: "--json" },
  { name: "--help", short: "-h" },
];

export const VERIFY_USAGE = `Usage: npm run verify -- <environment> [--region <region>] [--json]
       npm run verify -- --outputs <file.json> [--region <region>] [--json]

Read-only proof, with your AWS credentials, that a deployed environment keeps
Amazon Connect's content under its key: the key, its policy and rotation,
Connect's storage associations, the bucket, streams, Firehose, the newest
objects, and the controls the declaration enables.

  <environment>       an environment of the declaration; its outputs are read
                      with terraform output -json in cdktf.out/stacks/<stack>
  --outputs <file>    outputs saved from terraform output -json (for the
                      Terraform module: the connect_encryption output)
  --region <region>   the Region to check (default: the environment's)
  --json              results as JSON
  -h, --help          this help

Environment:
  CONNECT_ENCRYPTION_CONFIG  the declaration file (default: cdktf.json),
                      absolute or relative to the working directory
  AWS_PROFILE, AWS_ACCESS_KEY_ID, ...  the credentials, found as the AWS SDK
                      finds them (aws sso login, a profile, the instance role)
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED  false shows the SDK's
                      Node.js version warning, which verify turns off

Example:
  AWS_PROFILE=auditor npm run verify -- prod --json > verify-prod.json

Exit status: 0 every check passed, 1 a check failed, 2 it could not run.`;

export function parseArguments(argv: readonly string[]): VerifyArguments {
  const line = parseCommandLine(argv, VERIFY_OPTIONS);
  if (line.positionals.length > 1) throw new Error(`unexpected argument ${line.positionals[1]}; give one environment`);
  const args: VerifyArguments = {
    environment: line.positionals[0],
    outputsFile: valueOf(line, "--outputs"),
    region: valueOf(line, "--region"),
    json: line.given.has("--json"),
  };
  if (!args.environment && !args.outputsFile) throw new Error("name an environment (e.g. npm run verify -- prod) or give --outputs <file>");
  return args;
}

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly readOutputs: (file: string) => unknown;
  readonly terraformOutputs: (stackDir: string) => unknown;
  readonly clients: (region: string) => AwsClients & { sts: STSClient };
  readonly now: () => Date;
}

export const defaultIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  readOutputs: (file) => JSON.parse(readFileSync(file, "utf8")),
  terraformOutputs: (stackDir) => {
    try {
      return JSON.parse(
        execFileSync("terraform", ["output", "-json"], { cwd: stackDir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }),
      );
    } catch {
      throw new Error(
        `cannot read the outputs in ${stackDir} with terraform output -json (synthesize and deploy from here first, or give --outputs <file>)`,
      );
    }
  },
  clients: (region) => {
    // The SDK's standard retry mode backs off on throttling (up to 5 attempts).
    const config = clientConfig(region);
    return {
      sts: new STSClient(config),
      kms: new KMSClient(config),
      connect: new ConnectClient(config),
      s3: new S3Client(config),
      kinesis: new KinesisClient(config),
      firehose: new FirehoseClient(config),
      cloudtrail: new CloudTrailClient(config),
      sns: new SNSClient(config),
      sqs: new SQSClient(config),
      profiles: new CustomerProfilesClient(config),
      s3In: (other) => new S3Client({ ...config, region: other }),
    };
  },
  now: () => new Date(),
};

function expectationsOf(environment: EnvironmentSettings | undefined): Expectations {
  if (!environment) return {};
  const lifecycle = environment.bucket.lifecycle;
  return {
    rotationPeriodInDays: environment.key.rotationPeriodInDays,
    lifecycle:
      lifecycle.expireAfterDays !== undefined || lifecycle.transitionToGlacierIrAfterDays !== undefined || lifecycle.prefixRules.length > 0,
    objectLock: environment.bucket.objectLock !== undefined,
    replication: environment.bucket.replication !== undefined,
  };
}

/**
 * The outputs of a declared environment's stack; an environment that has
 * none (never deployed from here: no state, or a state without outputs) is
 * told how to deploy it.
 */
function deployedOutputs(io: Io, environment: EnvironmentSettings): unknown {
  const dir = join("cdktf.out", "stacks", environment.stackName);
  let outputs: unknown;
  try {
    outputs = io.terraformOutputs(dir);
  } catch {
    outputs = undefined;
  }
  if (outputs === undefined || (typeof outputs === "object" && outputs !== null && Object.keys(outputs).length === 0)) {
    throw new Error(
      `${environment.name} is not deployed yet (no outputs in ${dir}): deploy it with npx cdktf deploy ${environment.stackName}, then run npm run verify -- ${environment.name} again (or give --outputs <file>)`,
    );
  }
  return outputs;
}

/** Runs the verifier; returns the process exit code (0 ok, 1 a check failed, 2 it could not run). */
export async function main(argv: readonly string[], io: Io = defaultIo, configPath = "cdktf.json"): Promise<number> {
  let args: VerifyArguments;
  let outputs: DeployedOutputs;
  let environment: EnvironmentSettings | undefined;
  if (wantsHelp(argv)) {
    io.out(VERIFY_USAGE);
    return 0;
  }
  try {
    args = parseArguments(argv);
    if (args.environment) {
      environment = environmentNamed(configPath, args.environment);
    }
    outputs = parseOutputs(args.outputsFile ? io.readOutputs(args.outputsFile) : deployedOutputs(io, environment!));
  } catch (error) {
    io.err(`verify: ${(error as Error).message}`);
    return 2;
  }
  const keyRegion = outputs.key_arn.split(":")[3];
  const region = args.region ?? environment?.region ?? keyRegion;
  if (keyRegion !== region) {
    io.err(`verify: the key is in ${keyRegion} but the checks would run in ${region}; use --region ${keyRegion}`);
    return 2;
  }
  const aws = io.clients(region);
  try {
    const identity = await aws.sts.send(new GetCallerIdentityCommand({}));
    const account = outputs.key_arn.split(":")[4];
    if (identity.Account !== account) {
      io.err(`verify: the credentials are for account ${identity.Account} but the environment is in account ${account}`);
      return 2;
    }
    const results = await verify(aws, outputs, expectationsOf(environment), (message) => io.err(`... ${message}`), io.now());
    const context = { environment: args.environment ?? "(from outputs)", region, key: outputs.key_arn, bucket: outputs.s3_bucket_id };
    io.out(args.json ? json(results, context) : table(results));
    return exitCode(results);
  } catch (error) {
    io.err(failureMessage("verify", error));
    return 2;
  }
}
