/**
 * The access matrix's own fixtures (never the repository's cdktf.json): a
 * minimal environment, a prod-like one with every control, and the state
 * bootstrap stack with a replica Region. Synthesized once per test file.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { synthToDirectory } from "../synth";
import { DEPLOYER_POLICY_FILE, writeDeployerPolicies } from "../../../modules/stacks/deployer-policy";
import { Facts, Json, PolicyDocument, StackModel } from "../../../modules/invariants/stack-model";

export const MINIMAL_ACCOUNT = "111111111111";
export const PROD_ACCOUNT = "333333333333";
export const STATE_ACCOUNT = "222222222222";
export const OTHER_ACCOUNT = "999999999999";
export const REGION = "eu-west-2";
export const DR_REGION = "eu-west-1";

const prodRole = (name: string): string => `arn:aws:iam::${PROD_ACCOUNT}:role/${name}`;
export const PROD = {
  deployer: prodRole("ConnectTerraform"),
  administrator: prodRole("SecurityKeyAdmin"),
  user: prodRole("RecordingsProcessor"),
  auditor: prodRole("ComplianceAuditor"),
  consumer: prodRole("ContactAnalytics"),
  streamConsumer: prodRole("StreamReader"),
  connectServiceRole: `arn:aws:iam::${PROD_ACCOUNT}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_a1b2c3d4e5`,
  profilesDomain: "acme-connect-prod",
};
/** The module's key and stream roles, as PROD's environment declares them. */
export const PROD_MODULE_ROLES = {
  key_administrators: [PROD.administrator],
  key_users: [PROD.user],
  key_auditors: [PROD.auditor],
  key_consumers: [PROD.consumer],
  key_deployers: [PROD.deployer],
  stream_consumer_role_arns: [PROD.streamConsumer],
};
export const MINIMAL = {
  /** The role behind the credentials that run Terraform (no deployerArns configured). */
  deployer: `arn:aws:iam::${MINIMAL_ACCOUNT}:role/PlatformDeployer`,
  connectServiceRole: `arn:aws:iam::${MINIMAL_ACCOUNT}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_f6e5d4c3b2`,
};
export const STATE = { deployer: `arn:aws:iam::${STATE_ACCOUNT}:role/StateAdmin` };

const s3 = (prefix: string) => ({ enabled: true, prefix });

export const DECLARATION: Json = {
  defaults: { region: REGION, namePrefix: "acme" },
  environments: {
    minimal: {
      accountId: MINIMAL_ACCOUNT,
      instance: { create: { alias: "acme-connect-minimal" } },
    },
    prod: {
      accountId: PROD_ACCOUNT,
      namePrefix: "acme-connect",
      assumeRoleArn: PROD.deployer,
      instance: { adopt: { instance: `arn:aws:connect:${REGION}:${PROD_ACCOUNT}:instance/8c0e6b4f-3a2d-4e5f-9a1b-2c3d4e5f6a7b` } },
      key: {
        rotationPeriodInDays: 180,
        deployerArns: [PROD.deployer],
        administratorArns: [PROD.administrator, PROD.deployer],
        userArns: [PROD.user],
        auditorArns: [PROD.auditor],
        consumerArns: [PROD.consumer],
        allowAccountRoot: false,
      },
      streams: { capacityMode: "ON_DEMAND", retentionHours: 168, consumerRoleArns: [PROD.streamConsumer] },
      storage: {
        CALL_RECORDINGS: s3("connect/CallRecordings"),
        CHAT_TRANSCRIPTS: s3("connect/ChatTranscripts"),
        SCREEN_RECORDINGS: s3("connect/ScreenRecordings"),
        ATTACHMENTS: s3("connect/Attachments"),
        EMAIL_MESSAGES: { enabled: true },
        CONTACT_EVALUATIONS: { enabled: true },
        SCHEDULED_REPORTS: { enabled: true },
        CONTACT_TRACE_RECORDS: {
          enabled: true,
          destination: "firehose",
          prefix: "connect/ContactTraceRecords",
          errorPrefix: "connect/ContactTraceRecordsErrors",
          bufferingSizeMib: 5,
          bufferingIntervalSeconds: 300,
          errorLogging: true,
        },
        AGENT_EVENTS: { enabled: true, destination: "kinesis" },
        REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS: { enabled: true, destination: "kinesis" },
        REAL_TIME_CONTACT_ANALYSIS_CHAT_SEGMENTS: { enabled: true, destination: "kinesis" },
        MEDIA_STREAMS: { enabled: true, retentionHours: 24 },
      },
      state: { backend: "local" },
      bucket: {
        lifecycle: {
          transitionToGlacierIrAfterDays: 90,
          expireAfterDays: 2557,
          noncurrentVersionExpirationDays: 90,
          abortIncompleteMultipartUploadDays: 7,
        },
        objectLock: { mode: "COMPLIANCE", years: 7, lockedTypes: ["CALL_RECORDINGS"] },
        replication: { region: DR_REGION, deleteMarkerReplication: false, storageClass: "STANDARD" },
        accessLogs: { destination: "dedicated" },
      },
      alerts: { enabled: true, emails: ["security-alerts@example.com"] },
      customerProfiles: { enabled: true, domainName: PROD.profilesDomain, defaultExpirationDays: 366 },
    },
  },
  stateBootstrap: {
    region: REGION,
    accountId: STATE_ACCOUNT,
    bucket: `acme-connect-tf-state-${STATE_ACCOUNT}`,
    keyAlias: "alias/connect-encryption-state",
    replicaRegion: DR_REGION,
  },
};

export interface Fixtures {
  readonly outdir: string;
  readonly minimal: StackModel;
  readonly prod: StackModel;
  readonly state: StackModel;
  /** Names of the synthesized stacks, by fixture. */
  readonly stackNames: { readonly minimal: string; readonly prod: string; readonly state: string };
  /**
   * The generated deployer IAM policy of each stack (`deployer-iam-policy.json`,
   * written as `npm run synth` writes it), or why it could not be generated.
   */
  readonly deployerPolicies: {
    readonly minimal?: PolicyDocument;
    readonly prod?: PolicyDocument;
    readonly state?: PolicyDocument;
    readonly error?: string;
  };
}

/** The facts of a fixture account: its deployer (as a role and as the session Terraform runs in) and Connect's role. */
export function stackFacts(accountId: string, deployerRoleArn: string, connectServiceRoleArn: string): Facts {
  const roleName = deployerRoleArn.split("/").pop();
  return {
    accountId,
    deployerRoleArn,
    deployerSessionArn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/terraform`,
    connectServiceRoleArn,
  };
}

/** Synthesizes the three fixture stacks into a fresh directory. */
export function synthesizeFixtures(): Fixtures {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "access-matrix-"));
  const stacks = synthToDirectory(DECLARATION, outdir) as (Json & { stackName: string })[];
  const nameOf = (match: (s: Json) => boolean): string => {
    const found = stacks.filter(match);
    if (found.length !== 1) throw new Error("could not identify a fixture stack");
    return found[0].stackName;
  };
  const stackNames = {
    minimal: nameOf((s) => s.accountId === MINIMAL_ACCOUNT),
    prod: nameOf((s) => s.accountId === PROD_ACCOUNT),
    state: nameOf((s) => s.accountId === STATE_ACCOUNT),
  };
  const read = (name: string, file = "cdk.tf.json"): Json => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", name, file), "utf8"));
  let deployerPolicies: Fixtures["deployerPolicies"];
  try {
    // synthToDirectory returns the resolved settings of each stack, which is what main.ts hands over.
    writeDeployerPolicies(
      outdir,
      stacks.map((settings) => ({ settings }) as unknown as Parameters<typeof writeDeployerPolicies>[1][number]),
    );
    const policy = (name: string) => read(name, DEPLOYER_POLICY_FILE) as PolicyDocument;
    deployerPolicies = { minimal: policy(stackNames.minimal), prod: policy(stackNames.prod), state: policy(stackNames.state) };
  } catch (error) {
    deployerPolicies = { error: String(error) };
  }
  return {
    outdir,
    stackNames,
    deployerPolicies,
    minimal: new StackModel(read(stackNames.minimal), stackFacts(MINIMAL_ACCOUNT, MINIMAL.deployer, MINIMAL.connectServiceRole)),
    prod: new StackModel(read(stackNames.prod), stackFacts(PROD_ACCOUNT, PROD.deployer, PROD.connectServiceRole)),
    // The state stack has no Connect instance; its "service role" is never referenced.
    state: new StackModel(read(stackNames.state), stackFacts(STATE_ACCOUNT, STATE.deployer, "arn:aws:iam::222222222222:role/unused")),
  };
}
