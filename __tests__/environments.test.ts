import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Testing } from "cdktf";
import { resolveDeclaration, selectStacks } from "../modules/config/config";
import { stateLocation } from "../modules/config/state-settings";
import { StateBootstrapStack } from "../modules/stacks/state-bootstrap-stack";
import { ConnectEncryptionStack } from "../modules/stacks/connect-encryption-stack";
import { NO_TLS, Requests, TLS, sseKms, throughS3 } from "../modules/invariants/requests";
import type { BucketModel, PolicyDocument } from "../modules/invariants/stack-model";
import { declarationStacks } from "./helpers/invariants";
import { Json, only, problemsOf } from "./helpers/synth";
import { exampleDeclaration } from "./helpers/example";

const ROOT = resolve(__dirname, "..");
const EXAMPLE: Json = exampleDeclaration();
const ROOT_PATH = "context.connectEncryption";

const S3_STATE = {
  backend: "s3",
  bucket: "acme-state",
  region: "eu-west-2",
  kmsKeyId: "arn:aws:kms:eu-west-2:222222222222:alias/connect-encryption-state",
};

/** A declaration with three environments that differ only where the test says. */
function threeEnvironments(overrides: Record<string, Json> = {}, defaults: Json = {}): Json {
  const env = (name: string): Json => ({ instance: { create: { alias: `acme-${name}` } }, ...overrides[name] });
  return {
    defaults: { region: "eu-west-2", namePrefix: "acme", ...defaults },
    environments: { dev: env("dev"), staging: env("staging"), prod: env("prod") },
  };
}

function stackJson(decl: Json, name: string): Json {
  const environment = resolveDeclaration(decl).environments.find((e) => e.name === name)!;
  return JSON.parse(Testing.synth(new ConnectEncryptionStack(Testing.app(), environment)));
}

describe("the example declaration (cdktf.json)", () => {
  const declaration = resolveDeclaration(EXAMPLE);

  test("declares dev, staging and prod with a stack each, and the state bootstrap", () => {
    expect(declaration.environments.map((e) => e.stackName)).toEqual([
      "connect-encryption-dev",
      "connect-encryption-prod",
      "connect-encryption-staging",
    ]);
    expect(declaration.stateBootstrap?.stackName).toBe("connect-encryption-state");
  });

  test("uses each kind of state: local for dev, S3 for staging, HCP Terraform for prod", () => {
    const byName = Object.fromEntries(declaration.environments.map((e) => [e.name, e.state.backend]));
    expect(byName).toEqual({ dev: "local", staging: "s3", prod: "cloud" });
  });

  test("gives every environment its own state location, none of them a machine path", () => {
    const locations = declaration.environments.map((e) => stateLocation(e.state, e.stackName));
    expect(new Set(locations).size).toBe(locations.length);
    for (const environment of declaration.environments) {
      const json = stackJson(EXAMPLE, environment.name);
      const backend = JSON.stringify(json.terraform.backend ?? json.terraform.cloud);
      expect(backend).not.toMatch(/"\/|[A-Za-z]:\\\\|\/home\/|\/tmp\/|\/work\//);
      expect(backend).not.toContain(ROOT);
    }
  });

  test("prod enables every production control, and the real-provider check plans them", () => {
    const prod = stackJson(EXAMPLE, "prod");
    for (const type of [
      "aws_s3_bucket_lifecycle_configuration",
      "aws_s3_bucket_object_lock_configuration",
      "aws_s3_bucket_replication_configuration",
      "aws_s3_bucket_logging",
      "aws_cloudwatch_event_rule",
      "aws_sns_topic_subscription",
      "aws_customerprofiles_domain",
    ]) {
      expect([type, Object.keys(prod.resource[type] ?? {}).length > 0]).toEqual([type, true]);
    }
    const key = prod.resource.aws_kms_key.key.policy as string;
    for (const sid of [
      "KeyAdministrators",
      "KeyAuditorsDecryptThroughS3",
      "DownstreamConsumersDecryptThroughS3",
      "DeployerCreatesConnectGrants",
    ]) {
      expect(key).toContain(`"Sid" = "${sid}"`);
    }
    expect(key).not.toContain('"Sid" = "AccountRootAdministersKey"');
  });

  test("environment values override the shared defaults", () => {
    const prod = declaration.environments.find((e) => e.name === "prod")!;
    const dev = declaration.environments.find((e) => e.name === "dev")!;
    expect(prod.key.rotationPeriodInDays).toBe(180);
    expect(dev.key.rotationPeriodInDays).toBe(365);
    expect(prod.s3Storage.map((s) => s.type)).toContain("EMAIL_MESSAGES");
    expect(dev.s3Storage.map((s) => s.type)).not.toContain("SCREEN_RECORDINGS");
    expect(prod.instance.kind).toBe("adopt");
  });
});

describe("per-environment provider", () => {
  const decl = threeEnvironments({
    prod: { accountId: "333333333333", assumeRoleArn: "arn:aws:iam::333333333333:role/Deployer", region: "us-east-1", tags: { Tier: "1" } },
  });

  test("is pinned to the environment's account, Region and role, with tags naming the environment", () => {
    expect(stackJson(decl, "prod").provider.aws).toEqual([
      {
        region: "us-east-1",
        allowed_account_ids: ["333333333333"],
        assume_role: [{ role_arn: "arn:aws:iam::333333333333:role/Deployer", session_name: "connect-encryption-prod" }],
        default_tags: [{ tags: { Tier: "1", Environment: "prod", ManagedBy: "connect-kms-encryption" } }],
      },
    ]);
  });

  test("uses the caller's credentials in any account when neither is set", () => {
    const [provider] = stackJson(decl, "dev").provider.aws;
    expect(provider.allowed_account_ids).toBeUndefined();
    expect(provider.assume_role).toBeUndefined();
    expect(provider.region).toBe("eu-west-2");
  });
});

describe("state backends", () => {
  test("local by default: one relative file per environment", () => {
    const decl = threeEnvironments();
    for (const name of ["dev", "staging", "prod"]) {
      expect(stackJson(decl, name).terraform.backend).toEqual({ local: { path: `../../../terraform.connect-encryption-${name}.tfstate` } });
    }
  });

  test("S3: a key per environment, encrypted with the state key, S3-native locking, no DynamoDB unless asked", () => {
    const decl = threeEnvironments({}, { state: S3_STATE });
    const backend = stackJson(decl, "staging").terraform.backend.s3;
    expect(backend).toEqual({
      bucket: "acme-state",
      key: "connect-encryption/staging/terraform.tfstate",
      region: "eu-west-2",
      encrypt: true,
      kms_key_id: S3_STATE.kmsKeyId,
      use_lockfile: true,
    });
    expect(stackJson(decl, "prod").terraform.backend.s3.key).toBe("connect-encryption/prod/terraform.tfstate");
  });

  test("S3 with DynamoDB locking as an opt-in for migration, with a warning", () => {
    const decl = threeEnvironments({ prod: { state: { dynamodbTable: "tf-locks", workspaceKeyPrefix: "connect" } } }, { state: S3_STATE });
    expect(stackJson(decl, "prod").terraform.backend.s3).toMatchObject({
      dynamodb_table: "tf-locks",
      use_lockfile: true,
      workspace_key_prefix: "connect",
    });
    const prod = resolveDeclaration(decl).environments.find((e) => e.name === "prod")!;
    expect(prod.warnings.join("\n")).toContain("state.dynamodbTable: DynamoDB locking is deprecated since Terraform 1.11");
  });

  test("HCP Terraform: one workspace per environment, by name (default: the stack's name) or by tags in a project", () => {
    const decl = threeEnvironments(
      { prod: { state: { workspaceTags: ["connect-encryption", "env:prod"], project: "contact-centre" } } },
      { state: { backend: "cloud", organization: "acme" } },
    );
    expect(stackJson(decl, "staging").terraform.cloud).toEqual({
      organization: "acme",
      hostname: "app.terraform.io",
      workspaces: { name: "connect-encryption-staging" },
    });
    expect(stackJson(decl, "prod").terraform.cloud).toEqual({
      organization: "acme",
      hostname: "app.terraform.io",
      workspaces: { tags: ["connect-encryption", "env:prod"], project: "contact-centre" },
    });
    expect(stackJson(decl, "prod").terraform.backend).toBeUndefined();
  });

  test("an environment that switches backend replaces the defaults' state instead of merging into it", () => {
    const decl = threeEnvironments({ dev: { state: { backend: "local" } } }, { state: S3_STATE });
    expect(stackJson(decl, "dev").terraform.backend).toEqual({ local: { path: "../../../terraform.connect-encryption-dev.tfstate" } });
  });
});

describe("environment validation: refused with the field, the value and what is allowed", () => {
  test("an unknown environment field", () => {
    expect(problemsOf(threeEnvironments({ prod: { acount: "333333333333" } }))).toEqual([
      `${ROOT_PATH}.environments.prod.acount: unknown field; allowed fields: accountId, region, assumeRoleArn, namePrefix, tags, key, bucket, instance, storage, streams, state, alerts, customerProfiles`,
    ]);
  });

  test.each([["33333333333"], ["3333333333333"], [333333333333], ["abcdefghijkl"]])(
    "an account ID that is not 12 digits: %p",
    (accountId) => {
      expect(problemsOf(threeEnvironments({ prod: { accountId } }))).toEqual([
        typeof accountId === "number"
          ? `${ROOT_PATH}.environments.prod.accountId: ${accountId} is not a string (it is a number); expected a 12-digit AWS account ID, as a string`
          : `${ROOT_PATH}.environments.prod.accountId: ${JSON.stringify(accountId)} is not allowed; allowed: a 12-digit AWS account ID, as a string`,
      ]);
    },
  );

  test("an unknown Region", () => {
    const [problem] = problemsOf(threeEnvironments({ staging: { region: "eu-west-9" } }));
    expect(problem).toMatch(
      /^context\.connectEncryption\.environments\.staging\.region: "eu-west-9" is not allowed; allowed: af-south-1, /,
    );
  });

  test("a Region where Connect is not known to run is accepted with a warning", () => {
    const staging = resolveDeclaration(
      threeEnvironments({ staging: { region: "eu-west-1", alerts: { createTrail: false } } }),
    ).environments.find((e) => e.name === "staging")!;
    expect(staging.warnings).toEqual([
      `${ROOT_PATH}.environments.staging.region: Amazon Connect is not known to run in eu-west-1; check the AWS Regional services list`,
    ]);
  });

  test("two environments sharing one S3 state location", () => {
    const decl = threeEnvironments(
      { prod: { state: { key: "shared.tfstate" } }, staging: { state: { key: "shared.tfstate" } } },
      { state: S3_STATE },
    );
    expect(problemsOf(decl)).toEqual([
      `${ROOT_PATH}.environments.staging.state: "s3://acme-state/shared.tfstate" is also the state of environment prod; each environment needs its own state (a different key, workspace or tags)`,
    ]);
  });

  test("two environments sharing one HCP Terraform workspace", () => {
    const decl = threeEnvironments(
      { dev: { state: { workspace: "connect" } }, prod: { state: { workspace: "connect" } } },
      { state: { backend: "cloud", organization: "acme" } },
    );
    expect(problemsOf(decl)).toEqual([
      `${ROOT_PATH}.environments.prod.state: "app.terraform.io/acme workspace connect" is also the state of environment dev; each environment needs its own state (a different key, workspace or tags)`,
    ]);
  });

  test("backends missing a required field", () => {
    expect(problemsOf(threeEnvironments({ prod: { state: { backend: "s3", bucket: "acme-state", region: "eu-west-2" } } }))).toEqual([
      `${ROOT_PATH}.environments.prod.state.kmsKeyId: missing; the s3 backend needs kmsKeyId`,
    ]);
    expect(problemsOf(threeEnvironments({ prod: { state: { backend: "cloud", workspace: "x" } } }))).toEqual([
      `${ROOT_PATH}.environments.prod.state.organization: missing; the cloud backend needs organization`,
    ]);
  });

  test("a field that does not belong to the backend, an unknown backend, a key ID that is not an ARN", () => {
    expect(problemsOf(threeEnvironments({ dev: { state: { backend: "local", bucket: "acme-state" } } }))).toEqual([
      `${ROOT_PATH}.environments.dev.state.bucket: does not apply to backend local; fields for local: backend`,
    ]);
    expect(problemsOf(threeEnvironments({ dev: { state: { backend: "consul" } } }))).toEqual([
      `${ROOT_PATH}.environments.dev.state.backend: "consul" is not allowed; allowed: local, s3, cloud`,
    ]);
    expect(problemsOf(threeEnvironments({}, { state: { ...S3_STATE, kmsKeyId: "alias/state" } }))[0]).toContain(
      `${ROOT_PATH}.defaults.state.kmsKeyId: "alias/state" is not allowed; allowed: a KMS key ARN or alias ARN`,
    );
  });

  test("both a workspace name and workspace tags", () => {
    expect(
      problemsOf(threeEnvironments({ prod: { state: { backend: "cloud", organization: "acme", workspace: "a", workspaceTags: ["b"] } } })),
    ).toEqual([
      `${ROOT_PATH}.environments.prod.state: set workspace (one workspace by name) or workspaceTags (workspaces by tag), not both`,
    ]);
  });

  test("an adopted instance in another account than the environment's", () => {
    const [problem] = problemsOf(
      threeEnvironments({
        prod: {
          accountId: "333333333333",
          instance: { adopt: { instance: "arn:aws:connect:eu-west-2:444444444444:instance/11111111-2222-3333-4444-555555555555" } },
        },
      }),
    );
    expect(problem).toContain("the instance ARN is in account 444444444444 but this environment deploys to account 333333333333");
  });

  test("an environment called state, which names the bootstrap stack", () => {
    expect(
      problemsOf({ defaults: { region: "eu-west-2" }, environments: { state: { instance: { create: { alias: "acme-x" } } } } })[0],
    ).toContain('environment name "state" is not allowed');
  });

  test("a state bootstrap that disagrees with the environments using its bucket", () => {
    const decl = {
      ...threeEnvironments({}, { state: { ...S3_STATE, region: "eu-west-1", kmsKeyId: "arn:aws:kms:eu-west-1:222222222222:alias/other" } }),
      stateBootstrap: { region: "eu-west-2", bucket: "acme-state", accountId: "222222222222" },
    };
    const problems = problemsOf(decl);
    expect(problems).toContain(
      `${ROOT_PATH}.environments.dev.state.region: "eu-west-1" differs from the state bootstrap's Region "eu-west-2" for bucket acme-state`,
    );
    expect(problems).toContain(
      `${ROOT_PATH}.environments.dev.state.kmsKeyId: "arn:aws:kms:eu-west-1:222222222222:alias/other" names another alias than the state key the bootstrap creates (alias/connect-encryption-state)`,
    );
    expect(problemsOf({ ...threeEnvironments(), stateBootstrap: { region: "eu-west-2" } })).toEqual([
      `${ROOT_PATH}.stateBootstrap.bucket: missing; the state bootstrap needs bucket (unless it creates HCP Terraform deploy roles alone: hcpTerraform.deployRoles true)`,
    ]);
  });

  test("selecting an environment that is not declared", () => {
    const declaration = resolveDeclaration(threeEnvironments());
    expect(selectStacks(declaration, ["prod"]).environments.map((e) => e.name)).toEqual(["prod"]);
    expect(() => selectStacks(declaration, ["production"])).toThrow(
      'environment selection: "production" is not a declared environment; declared: dev, prod, staging',
    );
  });
});

describe("state bootstrap stack", () => {
  const settings = resolveDeclaration({
    ...threeEnvironments(),
    stateBootstrap: { region: "eu-west-2", bucket: "acme-state", accountId: "222222222222" },
  }).stateBootstrap!;
  const json = JSON.parse(Testing.synth(new StateBootstrapStack(Testing.app(), settings)));

  test("keeps its own state locally and runs in the state account", () => {
    expect(json.terraform.backend).toEqual({ local: { path: "../../../terraform.connect-encryption-state.tfstate" } });
    expect(json.provider.aws[0].allowed_account_ids).toEqual(["222222222222"]);
  });

  test("creates a rotating state key that cannot be destroyed", () => {
    expect(only(json, "aws_kms_key")).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    expect(only(json, "aws_kms_alias").name).toBe("alias/connect-encryption-state");
  });

  test("creates a versioned, SSE-KMS, TLS-only, private state bucket that cannot be destroyed", () => {
    const r = json.resource;
    expect(r.aws_s3_bucket.state_bucket).toMatchObject({
      bucket: "acme-state",
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
    expect(r.aws_s3_bucket_server_side_encryption_configuration.state_bucket_encryption.rule[0]).toEqual({
      apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.state_key.arn}" },
      bucket_key_enabled: true,
    });
    expect(r.aws_s3_bucket_versioning.state_bucket_versioning.versioning_configuration.status).toBe("Enabled");
    expect(r.aws_s3_bucket_public_access_block.state_bucket_public_access).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(r.aws_s3_bucket_policy.state_bucket_policy.policy).toContain('"aws:SecureTransport" = "false"');
    // Terraform's S3 backend names the key by its alias ARN: the bucket policy must accept that.
    expect(r.aws_s3_bucket_policy.state_bucket_policy.policy).toContain("aws_kms_alias.state_key_alias.arn");
    expect(r.aws_s3_bucket_notification.state_bucket_notifications).toEqual({
      bucket: "${aws_s3_bucket.state_bucket.id}",
      eventbridge: true,
    });
  });

  test("logs every access to the state into a hardened SSE-S3 log bucket that only S3 log delivery of the state bucket writes to", () => {
    const r = json.resource;
    expect(r.aws_s3_bucket.state_access_logs).toMatchObject({ bucket: "acme-state-logs", lifecycle: { prevent_destroy: true } });
    expect(r.aws_s3_bucket_logging.state_bucket_access_logs).toEqual({
      bucket: "${aws_s3_bucket.state_bucket.id}",
      // Ordered after the target's policy: S3 refuses the configuration until log delivery may write.
      depends_on: ["aws_s3_bucket_policy.state_access_logs_policy"],
      target_bucket: "${aws_s3_bucket.state_access_logs.bucket}",
      target_prefix: "state/",
    });
    expect(r.aws_s3_bucket_server_side_encryption_configuration.state_access_logs_encryption.rule[0]).toEqual({
      apply_server_side_encryption_by_default: { sse_algorithm: "AES256" },
    });
    const policy = r.aws_s3_bucket_policy.state_access_logs_policy.policy;
    expect(policy).toContain('"Service" = "logging.s3.amazonaws.com"');
    expect(policy).toContain('"aws:SourceArn" = aws_s3_bucket.state_bucket.arn');
    expect(policy).toContain('"aws:SecureTransport" = "false"');
    expect(r.aws_s3_bucket_replication_configuration).toBeUndefined();
  });

  test("with replicaRegion, copies the state (re-encrypted under a key there) and its access logs to another Region", () => {
    const replicated = resolveDeclaration({
      ...threeEnvironments(),
      stateBootstrap: { region: "eu-west-2", bucket: "acme-state", accountId: "222222222222", replicaRegion: "eu-west-1" },
    }).stateBootstrap!;
    const stack = JSON.parse(Testing.synth(new StateBootstrapStack(Testing.app(), replicated)));
    const r = stack.resource;
    expect(stack.provider.aws.map((p: Json) => [p.alias, p.region])).toEqual([
      [undefined, "eu-west-2"],
      ["dr", "eu-west-1"],
    ]);
    expect(r.aws_kms_key.state_replica_key).toMatchObject({ provider: "aws.dr", enable_key_rotation: true });
    expect(r.aws_s3_bucket.state_replica_bucket).toMatchObject({ bucket: "acme-state-dr", provider: "aws.dr" });
    expect(r.aws_s3_bucket.state_replica_logs).toMatchObject({ bucket: "acme-state-dr-logs", provider: "aws.dr" });
    expect(r.aws_s3_bucket_replication_configuration.state_replica.rule[0].destination).toEqual({
      bucket: "${aws_s3_bucket.state_replica_bucket.arn}",
      storage_class: "STANDARD",
      encryption_configuration: { replica_kms_key_id: "${aws_kms_key.state_replica_key.arn}" },
    });
    expect(r.aws_s3_bucket_replication_configuration.state_replica_logs_replication).toMatchObject({
      bucket: "${aws_s3_bucket.state_access_logs.id}",
      rule: [{ status: "Enabled", destination: { bucket: "${aws_s3_bucket.state_replica_logs.arn}", storage_class: "STANDARD" } }],
    });
    expect(r.aws_iam_role_policy.state_replica_role_policy.name).toBe("replicate-state");
    expect(Object.keys(stack.output)).toContain("state_replica_bucket_name");
  });

  test("refuses a replica in the state's own Region, and a bucket name too long for its companions", () => {
    expect(
      problemsOf({ ...threeEnvironments(), stateBootstrap: { region: "eu-west-2", bucket: "acme-state", replicaRegion: "eu-west-2" } }),
    ).toEqual([
      `${ROOT_PATH}.stateBootstrap.replicaRegion: "eu-west-2" is the state's own Region; a disaster-recovery copy needs another Region`,
    ]);
    const long = "a".repeat(56);
    expect(
      problemsOf({ ...threeEnvironments(), stateBootstrap: { region: "eu-west-2", bucket: long, replicaRegion: "eu-west-1" } }),
    ).toEqual([
      `${ROOT_PATH}.stateBootstrap.bucket: "${long}" has 56 characters; at most 55, so that ${long}-dr-logs stays within S3's 63`,
    ]);
  });

  test("outputs what the backends need", () => {
    expect(Object.keys(json.output).sort()).toEqual(["state_bucket_name", "state_key_alias_arn", "state_key_arn"]);
  });
});

describe("synthesizing some environments only", () => {
  const MAIN = join(ROOT, "dist", "main.js");
  let dir: string;

  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs")]);
    dir = mkdtempSync(join(tmpdir(), "connect-kms-select-"));
    writeFileSync(join(dir, "cdktf.json"), JSON.stringify({ context: { connectEncryption: EXAMPLE } }));
  });

  const run = (args: string[], env: Record<string, string> = {}) => {
    const environment: NodeJS.ProcessEnv = { ...process.env, ...env };
    delete environment.CDKTF_OUTDIR;
    if (!("CONNECT_ENVIRONMENTS" in env)) delete environment.CONNECT_ENVIRONMENTS;
    const outdir = mkdtempSync(join(dir, "run-"));
    const result = spawnSync(process.execPath, [MAIN, ...args], {
      cwd: dir,
      encoding: "utf8",
      env: { ...environment, CDKTF_OUTDIR: join(outdir, "cdktf.out") },
    });
    const stacks = existsSync(join(outdir, "cdktf.out", "stacks")) ? readdirSync(join(outdir, "cdktf.out", "stacks")).sort() : [];
    return { ...result, stacks };
  };

  test("by argument (npm run synth -- prod)", () => {
    const result = run(["prod"]);
    expect(result.status).toBe(0);
    expect(result.stacks).toEqual(["connect-encryption-prod"]);
  });

  test("by CONNECT_ENVIRONMENTS, including the bootstrap stack as state", () => {
    const result = run([], { CONNECT_ENVIRONMENTS: "state,dev" });
    expect(result.status).toBe(0);
    expect(result.stacks).toEqual(["connect-encryption-dev", "connect-encryption-state"]);
  });

  test("all stacks when none is named", () => {
    expect(run([]).stacks).toEqual([
      "connect-encryption-dev",
      "connect-encryption-prod",
      "connect-encryption-staging",
      "connect-encryption-state",
    ]);
  });

  test("ends with one line per stack written and the warnings; narrowing removes the stacks an earlier run left", () => {
    const outdir = join(mkdtempSync(join(dir, "stale-")), "cdktf.out");
    const synthInto = (args: string[]) => {
      const environment: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir };
      delete environment.CONNECT_ENVIRONMENTS;
      return spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, encoding: "utf8", env: environment });
    };
    const all = synthInto([]);
    expect(all.status).toBe(0);
    const lines = all.stdout.split("\n").filter(Boolean);
    expect(lines[0]).toMatch(/^Synthesized 4 stacks into /);
    for (const env of ["state", "dev", "prod", "staging"]) {
      expect(lines).toContainEqual(
        expect.stringMatching(
          new RegExp(`^  connect-encryption-${env} +\\d+ resources  .*stacks/connect-encryption-${env}/cdk\\.tf\\.json$`),
        ),
      );
    }
    expect(all.stderr).toMatch(/^Warning: /);
    const prod = synthInto(["prod"]);
    expect(prod.status).toBe(0);
    expect(prod.stdout).toContain(
      "Removed stale stack directories that this synthesis does not list: connect-encryption-dev, connect-encryption-staging, connect-encryption-state",
    );
    expect(readdirSync(join(outdir, "stacks"))).toEqual(["connect-encryption-prod"]);
    expect(readdirSync(join(outdir, "compliance")).sort()).toEqual(["connect-encryption-prod.json", "connect-encryption-prod.md"]);
  });

  test("an unknown environment exits non-zero and writes nothing", () => {
    const result = run(["production"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'environment selection: "production" is not a declared environment; declared: dev, prod, staging, state',
    );
    expect(result.stacks).toEqual([]);
  });
});

// Issue 21: the identity that reads and writes the state is the one the deployer policy is made for.
describe("S3 state with the role that can reach it", () => {
  const ACCOUNT = "222222222222";
  const ROLE = `arn:aws:iam::${ACCOUNT}:role/ConnectTerraform`;
  const STATE_BUCKET = `acme-tf-state-${ACCOUNT}`;
  const decl: Json = {
    defaults: { region: "eu-west-2", namePrefix: "acme" },
    environments: {
      staging: {
        accountId: ACCOUNT,
        assumeRoleArn: ROLE,
        instance: { create: { alias: "acme-staging" } },
        state: { ...S3_STATE, bucket: STATE_BUCKET },
      },
      dev: { accountId: ACCOUNT, instance: { create: { alias: "acme-dev" } }, state: { ...S3_STATE, bucket: STATE_BUCKET } },
    },
    stateBootstrap: { region: "eu-west-2", accountId: ACCOUNT, bucket: STATE_BUCKET },
  };

  test("the backend assumes the role the provider assumes, in a session named after the stack; without one, neither does", () => {
    expect(stackJson(decl, "staging").terraform.backend.s3.assume_role).toEqual({
      role_arn: ROLE,
      session_name: "connect-encryption-staging",
    });
    expect(stackJson(decl, "dev").terraform.backend.s3.assume_role).toBeUndefined();
  });

  describe("decided by the IAM engine with the state bootstrap's bucket and key policies and the environment's deployer policy", () => {
    const session = `arn:aws:sts::${ACCOUNT}:assumed-role/ConnectTerraform/connect-encryption-staging`;
    let requests: Requests;
    let deployer: PolicyDocument;
    let bucket: BucketModel;
    let keyArn: string;
    beforeAll(() => {
      const stacks = declarationStacks(decl);
      const state = stacks.find((s) => s.name === "connect-encryption-state")!;
      deployer = stacks.find((s) => s.name === "connect-encryption-staging")!.deployerPolicy!;
      requests = new Requests(state.model);
      bucket = state.model.buckets().find((b) => b.name === STATE_BUCKET)!;
      keyArn = bucket.encryption!.kmsKeyArn!;
    });
    const object = "connect-encryption/staging/terraform.tfstate";
    const viaS3 = (key: string) => ({
      ...throughS3(bucket, key, ACCOUNT),
      "kms:ResourceAliases": ["alias/connect-encryption-state"],
    });

    test("the role's session reads and writes its state and lock file, under the state key", async () => {
      for (const [action, key] of [
        ["s3:GetObject", object],
        ["s3:PutObject", object],
        ["s3:GetObject", `${object}.tflock`],
        ["s3:PutObject", `${object}.tflock`],
        ["s3:DeleteObject", `${object}.tflock`],
      ])
        expect([
          action,
          key,
          await requests.s3(session, action, bucket, key, action === "s3:PutObject" ? { ...TLS, ...sseKms(keyArn) } : TLS, [deployer]),
        ]).toEqual([action, key, "Allowed"]);
      expect(await requests.s3(session, "s3:ListBucket", bucket, undefined, TLS, [deployer])).toBe("Allowed");
      for (const action of ["kms:GenerateDataKey", "kms:Decrypt", "kms:Encrypt"])
        expect([action, await requests.kmsDecision(session, action, keyArn, viaS3(object), [deployer])]).toEqual([action, "Allowed"]);
    });

    test("another environment's state, a plain-HTTP request and the key outside S3 are denied", async () => {
      const other = "connect-encryption/prod/terraform.tfstate";
      expect(await requests.s3(session, "s3:PutObject", bucket, other, { ...TLS, ...sseKms(keyArn) }, [deployer])).toBe("ImplicitlyDenied");
      expect(await requests.s3(session, "s3:GetObject", bucket, object, NO_TLS, [deployer])).toBe("ExplicitlyDenied");
      expect(await requests.kmsDecision(session, "kms:Decrypt", keyArn, {}, [deployer])).toBe("ImplicitlyDenied");
    });
  });
});
