/**
 * `npm run reencrypt-plan -- <environment> [--json] [--max-objects N] [--source s3://bucket/prefix]... [--report-bucket NAME]`
 *
 * Read-only against AWS: finds the old destinations of the adopted
 * instance's S3 associations, reports how many objects under each are not
 * under the environment's key, and writes to `cdktf.out/reencrypt/<env>/`
 * the S3 Batch Operations jobs, the IAM role policies and the runbook that
 * bring them under it. Nothing is submitted; the user reviews and submits.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConnectClient } from "@aws-sdk/client-connect";
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";
import { AdoptedEnvironment, accountMismatch, adoptedEnvironmentNamed, callerIdentity, clientConfig, failureMessage } from "../aws/session";
import { NEW_KEY_LABEL, PlanRefused, ReencryptClients, ReencryptSurvey, logBucket, parseS3Url, surveyReencryption } from "./plan";
import { WrittenPlan, writePlan } from "./job";
import { CliOption, parseCommandLine, valueOf, wantsHelp } from "../options";

const COMMAND = "reencrypt-plan";
const NO_PLAN: WrittenPlan = {
  jobs: [],
  roleName: "",
  roleArn: "",
  trustPolicy: { Version: "2012-10-17", Statement: [] },
  permissionsPolicy: { Version: "2012-10-17", Statement: [] },
  files: {},
};
export const DEFAULT_MAX_OBJECTS = 1000;

export interface ReencryptArguments {
  readonly environment: string;
  readonly json: boolean;
  readonly maxObjects: number;
  readonly sources: readonly { bucket: string; prefix: string }[];
  readonly reportBucket?: string;
}

/** What `parseReencryptArguments` accepts; REENCRYPT_USAGE documents each (reencrypt-plan.test.ts). */
export const REENCRYPT_OPTIONS: readonly CliOption[] = [
  { name: "--json" },
  { name: "--max-objects", value: "<N>" },
  { name: "--source", value: "<s3://bucket/prefix>", repeatable: true },
  { name: "--report-bucket", value: "<name>" },
  { name: "--help", short: "-h" },
];

export const REENCRYPT_USAGE = `Usage: npm run reencrypt-plan -- <environment> [--json] [--max-objects <N>]
         [--source <s3://bucket/prefix>]... [--report-bucket <name>]

Read-only against AWS: finds the old S3 destinations of an adopted instance
(instance.adopt), counts the objects under each that are not under the
environment's key, and writes to cdktf.out/reencrypt/<environment>/ the S3
Batch Operations jobs, the job role's policies and a runbook that bring them
under it. Nothing is submitted: review the runbook, then submit.

  <environment>                 an environment of the declaration that adopts its instance
  --json                        results as JSON
  --max-objects <N>             objects sampled per destination (default: ${DEFAULT_MAX_OBJECTS})
  --source <s3://bucket/prefix> an old location the associations no longer name
                                (after the take-over); repeat for several
  --report-bucket <name>        the bucket for the manifests and completion reports
                                (default: the environment's access-log bucket)
  -h, --help                    this help

Environment:
  CONNECT_ENCRYPTION_CONFIG     the declaration file (default: cdktf.json),
                                absolute or relative to the working directory
  AWS_PROFILE, AWS_ACCESS_KEY_ID, ...  the credentials, found as the AWS SDK finds
                                them (aws sso login, a profile, the instance role)

Example:
  npm run reencrypt-plan -- prod --source s3://amazon-connect-0123456789ab/connect/acme/CallRecordings

Exit status: 0 done, 2 it could not run (nothing written then).`;

export function parseReencryptArguments(argv: readonly string[]): ReencryptArguments {
  const line = parseCommandLine(argv, REENCRYPT_OPTIONS);
  const [environment, extra] = line.positionals;
  if (extra !== undefined) throw new Error(`unexpected argument ${extra}; give one environment`);
  const max = valueOf(line, "--max-objects");
  if (max !== undefined && !/^[1-9]\d*$/.test(max)) {
    throw new Error(`--max-objects ${max}: give a whole number of objects per destination, e.g. 1000`);
  }
  if (!environment) throw new Error("name an adopted environment, e.g. npm run reencrypt-plan -- prod");
  return {
    environment,
    json: line.given.has("--json"),
    maxObjects: max === undefined ? DEFAULT_MAX_OBJECTS : Number(max),
    sources: (line.given.get("--source") ?? []).map(parseS3Url),
    reportBucket: valueOf(line, "--report-bucket"),
  };
}

export interface ReencryptIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly clients: (region: string) => ReencryptClients & { sts: STSClient };
  /** Replaces the folder's content with these files. */
  readonly writeFolder: (folder: string, files: Readonly<Record<string, string>>) => void;
}

export const defaultReencryptIo: ReencryptIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  clients: (region) => {
    const config = clientConfig(region);
    return { sts: new STSClient(config), connect: new ConnectClient(config), kms: new KMSClient(config), s3: new S3Client(config) };
  },
  writeFolder: (folder, files) => {
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
  },
};

function table(environment: string, survey: ReencryptSurvey, written: WrittenPlan, folder: string): string {
  const rows = survey.destinations.map((d) => {
    const breakdown = Object.entries(d.byEncryption)
      .map(([encryption, count]) => `${encryption}: ${count}`)
      .join("; ");
    return [
      `s3://${d.destination.bucket}/${d.destination.prefix}`,
      d.destination.types.join(", ") || "(--source)",
      d.exists ? `${d.sampled}${d.complete ? "" : "+"}` : "-",
      d.exists ? String(d.notUnderKey.length) : "-",
      d.exists ? breakdown || "(empty)" : "bucket does not exist",
    ];
  });
  const header = ["Destination", "Types", "Sampled", "Not under key", "By encryption"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  const lines = [
    `Instance ${survey.instanceId} in ${survey.region}, account ${survey.account} (environment ${environment})`,
    `New key: ${survey.newKeyArn ?? `${survey.newKeyAlias} (does not exist yet: created on the first apply)`}; copies go to ${survey.targetBucket}`,
    "",
  ];
  if (rows.length === 0) lines.push("The instance has no S3 association: no old destination to re-encrypt.");
  else lines.push(line(header), ...rows.map(line));
  lines.push("");
  for (const d of survey.destinations) {
    const where = `s3://${d.destination.bucket}/${d.destination.prefix}`;
    if (d.exists && !d.complete) lines.push(`${where}: more objects than --max-objects ${d.sampled}; the counts are of the sample`);
    if (d.inventory) {
      lines.push(
        `${where}: S3 Inventory ${d.inventory.id} (s3://${d.inventory.bucket}/${d.inventory.manifestFolder}) reports each object's encryption status; its job reads that inventory`,
      );
    }
    for (const note of d.notes) lines.push(`${where}: ${note}`);
  }
  for (const note of survey.notes) lines.push(`Note: ${note}`);
  if (!survey.newKeyArn) {
    const old = survey.destinations.filter((d) => d.exists && d.notUnderKey.length > 0);
    lines.push(
      `No job written: the copies are encrypted under ${survey.newKeyAlias}, which does not exist yet. Apply first; the associations then name the new destinations, so run the plan again with the old ones:`,
      `  npm run reencrypt-plan -- ${environment}${old.map((d) => ` --source s3://${d.destination.bucket}/${d.destination.prefix}`).join("") || " --source s3://<old bucket>/<old prefix>"}`,
    );
  } else if (written.jobs.length === 0) {
    lines.push(
      survey.destinations.some((d) => d.exists && d.sampled > 0)
        ? `Everything sampled is already under the new key: no job written.`
        : "Nothing to re-encrypt: no job written.",
    );
  } else {
    lines.push(
      `Wrote ${written.jobs.length} Batch Operations job(s), the role ${written.roleName}'s policies and the runbook to ${folder}/ (nothing submitted: review ${folder}/README.md).`,
    );
  }
  return lines.join("\n");
}

function jsonReport(environment: string, survey: ReencryptSurvey, written: WrittenPlan, folder: string): string {
  return JSON.stringify(
    {
      environment,
      instanceId: survey.instanceId,
      region: survey.region,
      account: survey.account,
      newKey: survey.newKeyArn,
      targetBucket: survey.targetBucket,
      destinations: survey.destinations.map((d) => ({
        bucket: d.destination.bucket,
        prefix: d.destination.prefix,
        types: d.destination.types,
        exists: d.exists,
        inPlace: d.inPlace,
        sampled: d.sampled,
        complete: d.complete,
        notUnderKey: d.notUnderKey.length,
        underKey: d.byEncryption[NEW_KEY_LABEL] ?? 0,
        byEncryption: d.byEncryption,
        inventory: d.inventory,
        jobs: written.jobs.filter((j) => j.survey === d).map((j) => `job-${j.name}.json`),
        notes: d.notes,
      })),
      written: written.jobs.length > 0 ? { folder, files: Object.keys(written.files) } : undefined,
      notes: survey.notes,
    },
    null,
    2,
  );
}

/** Runs the plan; returns the exit code (0 done, 2 it could not run: nothing written then). */
export async function reencryptMain(
  argv: readonly string[],
  io: ReencryptIo = defaultReencryptIo,
  configPath = "cdktf.json",
  outRoot = join("cdktf.out", "reencrypt"),
): Promise<number> {
  let args: ReencryptArguments;
  let environment: AdoptedEnvironment;
  if (wantsHelp(argv)) {
    io.out(REENCRYPT_USAGE);
    return 0;
  }
  try {
    args = parseReencryptArguments(argv);
    environment = adoptedEnvironmentNamed(configPath, args.environment, "the plan is for an adopted instance's old content");
  } catch (error) {
    io.err(`${COMMAND}: ${(error as Error).message}`);
    return 2;
  }
  const instanceId = environment.instance.instanceId;
  const aws = io.clients(environment.region);
  try {
    const identity = await callerIdentity(aws.sts);
    const mismatch = accountMismatch(identity, environment);
    if (mismatch) {
      io.err(`${COMMAND}: ${mismatch}`);
      return 2;
    }
    const reportBucket = args.reportBucket ?? logBucket(environment, identity.account);
    if (!reportBucket) {
      throw new PlanRefused(
        `${args.environment} has no access-log bucket (bucket.accessLogs.destination is none): name a bucket for the manifests and completion reports with --report-bucket`,
      );
    }
    const survey = await surveyReencryption(
      aws,
      environment,
      instanceId,
      identity,
      { maxObjects: args.maxObjects, extraSources: args.sources },
      (message) => io.err(`... ${message}`),
    );
    const keyed = survey.newKeyArn === undefined ? undefined : { ...survey, newKeyArn: survey.newKeyArn };
    const written: WrittenPlan = keyed
      ? writePlan(keyed, { environment: args.environment, namePrefix: `${environment.namePrefix}-${environment.name}`, reportBucket })
      : NO_PLAN;
    const folder = join(outRoot, args.environment);
    if (written.jobs.length > 0) io.writeFolder(folder, written.files);
    io.out(args.json ? jsonReport(args.environment, survey, written, folder) : table(args.environment, survey, written, folder));
    return 0;
  } catch (error) {
    if (error instanceof PlanRefused) {
      io.err(`${COMMAND}: ${error.message}`);
      return 2;
    }
    if ((error as { name?: string }).name === "ResourceNotFoundException") {
      io.err(
        `${COMMAND}: instance ${instanceId} was not found in ${environment.region} (${(error as Error).message}): check instance.adopt.instance, the environment's region and the account of your credentials`,
      );
      return 2;
    }
    io.err(failureMessage(COMMAND, error));
    return 2;
  }
}
