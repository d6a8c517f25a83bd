/**
 * Credentials as code (stateBootstrap.hcpTerraform.deployRoles): the HCP
 * Terraform OIDC provider and one deploy role per `cloud` environment, with
 * the environment's generated deployer policy; roles of environments in other
 * accounts written as policy files. Checked on the synthesized JSON, with the
 * IAM engine on the trust policy, and once with real Terraform (offline plan).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthesizeDeclaration } from "../modules/stacks/synthesis";
import { Testing } from "cdktf";
import { BaseStack } from "../modules/stacks/base-stack";
import { DEPLOYER_POLICY_FILE, deployerPolicy, managedPolicyParts } from "../modules/stacks/deployer-policy";
import {
  HCP_AUDIENCE,
  HcpDeployRoles,
  deployRolePlans,
  hcpSubjects,
  hcpTrustPolicy,
  permissionParts,
} from "../modules/stacks/hcp-deploy-roles";
import type { PolicyDocument } from "../modules/config/policy";
import { declaration, Json, problemsOf } from "./helpers/synth";
import { exampleDeclaration } from "./helpers/example";
import { evaluateAttribute } from "../modules/invariants/hcl";
import { decide } from "../modules/invariants/iam-engine";
import { checkStack } from "./helpers/stack-check";
import { resolveDeclaration } from "../modules/config/config";

const ACCOUNT = "123456789012";
const OIDC_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/app.terraform.io`;

/** Three environments in the bootstrap's account: one workspace by name, one by tags, one on S3 state. */
function withRoles(): Json {
  const base = declaration({
    accountId: ACCOUNT,
    state: { backend: "cloud", organization: "acme", workspace: "connect-test", project: "cc" },
  });
  base.environments.tagged = {
    accountId: ACCOUNT,
    instance: { create: { alias: "acme-connect-tagged" } },
    state: { backend: "cloud", organization: "acme", workspaceTags: ["connect"] },
  };
  base.environments.local = { accountId: ACCOUNT, instance: { create: { alias: "acme-connect-local" } } };
  base.stateBootstrap = {
    region: "eu-west-2",
    accountId: ACCOUNT,
    bucket: "acme-state-123456789012",
    hcpTerraform: { deployRoles: true, roleNames: { test: "ConnectTestDeploy" } },
  };
  return base;
}

function synthesize(decl: Json, requested: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), "connect-kms-hcp-"));
  const config = join(dir, "cdktf.json");
  writeFileSync(config, JSON.stringify({ context: { connectEncryption: decl } }));
  const result = synthesizeDeclaration(config, { requested, outdir: join(dir, "cdktf.out") });
  const stackDir = (name: string) => join(result.outdir, "stacks", name);
  const read = (name: string, file = "cdk.tf.json") => JSON.parse(readFileSync(join(stackDir(name), file), "utf8"));
  return { result, stackDir, read };
}

/** A policy attribute of the synthesized JSON as a document, with the OIDC provider's ARN filled in. */
function documentOf(source: string): PolicyDocument {
  return evaluateAttribute(source, (path) => {
    if (path[0] === "aws_iam_openid_connect_provider" && path[2] === "arn") return OIDC_ARN;
    throw new Error(`unexpected reference ${path.join(".")}`);
  }) as PolicyDocument;
}

describe("with hcpTerraform.deployRoles, environments in the bootstrap's account", () => {
  const { result, read } = synthesize(withRoles());
  const state = read("connect-encryption-state");
  const r = state.resource;

  test("one OIDC provider for https://app.terraform.io, audience aws.workload.identity, no thumbprint", () => {
    expect(Object.values(r.aws_iam_openid_connect_provider)).toEqual([
      expect.objectContaining({ url: "https://app.terraform.io", client_id_list: [HCP_AUDIENCE] }),
    ]);
    expect(Object.values<Json>(r.aws_iam_openid_connect_provider)[0].thumbprint_list).toBeUndefined();
  });

  test("one role per cloud environment (none for the environment on local state), named as declared or by default", () => {
    expect(Object.keys(r.aws_iam_role).sort()).toEqual(["hcp_terraform_deploy_tagged", "hcp_terraform_deploy_test"]);
    expect(r.aws_iam_role.hcp_terraform_deploy_test.name).toBe("ConnectTestDeploy");
    expect(r.aws_iam_role.hcp_terraform_deploy_tagged.name).toBe("connect-encryption-tagged-hcp-deploy");
    expect(state.output.hcp_terraform_deploy_role_arns.value).toEqual({
      tagged: "${aws_iam_role.hcp_terraform_deploy_tagged.arn}",
      test: "${aws_iam_role.hcp_terraform_deploy_test.arn}",
    });
  });

  test("the trust policy admits exactly the workspace's plan and apply runs, with the audience", () => {
    expect(documentOf(r.aws_iam_role.hcp_terraform_deploy_test.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "HcpTerraformRunsOfThisWorkspace",
          Effect: "Allow",
          Principal: { Federated: OIDC_ARN },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: { "app.terraform.io:aud": "aws.workload.identity" },
            StringLike: {
              "app.terraform.io:sub": [
                "organization:acme:project:cc:workspace:connect-test:run_phase:plan",
                "organization:acme:project:cc:workspace:connect-test:run_phase:apply",
              ],
            },
          },
        },
      ],
    });
    // Workspaces by tag: any workspace (and, without a declared project, any project) of the organization; synthesis warns.
    expect(documentOf(r.aws_iam_role.hcp_terraform_deploy_tagged.assume_role_policy).Statement[0].Condition!.StringLike).toEqual({
      "app.terraform.io:sub": [
        "organization:acme:project:*:workspace:*:run_phase:plan",
        "organization:acme:project:*:workspace:*:run_phase:apply",
      ],
    });
    expect(result.warnings).toContainEqual(
      expect.stringMatching(/workspaceTags: .*trusts every workspace of organization acme \(sub workspace:\*\)/),
    );
  });

  test("each role's permissions are exactly the deployer policy written beside its environment", () => {
    for (const [env, address] of [
      ["test", "hcp_terraform_deploy_test_policy"],
      ["tagged", "hcp_terraform_deploy_tagged_policy"],
    ]) {
      const written = read(`connect-encryption-${env}`, DEPLOYER_POLICY_FILE);
      expect(documentOf(r.aws_iam_role_policy[address].policy)).toEqual(written);
      expect(r.aws_iam_role_policy[address].role).toBe(`\${aws_iam_role.hcp_terraform_deploy_${env}.id}`);
    }
    expect(Object.keys(r.aws_iam_role_policy)).toHaveLength(2);
  });

  test("the bootstrap's own deployer policy covers the OIDC provider and the roles", () => {
    const policy = read("connect-encryption-state", DEPLOYER_POLICY_FILE) as PolicyDocument;
    const sid = (s: string) => policy.Statement.find((st) => st.Sid === s);
    expect(sid("StackOidcProviders")?.Resource).toBe(OIDC_ARN);
    expect(sid("StackOidcProviders")?.Action).toContain("iam:CreateOpenIDConnectProvider");
    expect(sid("StackRoles")?.Resource).toEqual(
      expect.arrayContaining([
        `arn:aws:iam::${ACCOUNT}:role/ConnectTestDeploy`,
        `arn:aws:iam::${ACCOUNT}:role/connect-encryption-tagged-hcp-deploy`,
      ]),
    );
  });

  test("synthesizing the bootstrap alone renders the other environments without writing them", () => {
    const alone = synthesize(withRoles(), ["state"]);
    expect(alone.result.stacks.map((s) => s.stackName)).toEqual(["connect-encryption-state"]);
    expect(existsSync(alone.stackDir("connect-encryption-test"))).toBe(false);
    expect(alone.read("connect-encryption-state").resource.aws_iam_role_policy).toEqual(r.aws_iam_role_policy);
  });

  test("plans offline with the real provider", () => {
    const stack = result.stacks.find((s) => s.stackName === "connect-encryption-state")!;
    checkStack({ dir: stack.dir, stack: state, region: stack.region }, [
      `assert {\n    condition     = aws_iam_openid_connect_provider.hcp_terraform_oidc_app_terraform_io.url == "https://app.terraform.io"\n    error_message = "OIDC provider URL"\n  }`,
      `assert {\n    condition     = tolist(aws_iam_openid_connect_provider.hcp_terraform_oidc_app_terraform_io.client_id_list) == tolist(["aws.workload.identity"])\n    error_message = "audience"\n  }`,
      `assert {\n    condition     = aws_iam_role.hcp_terraform_deploy_test.name == "ConnectTestDeploy"\n    error_message = "role name"\n  }`,
      `assert {\n    condition     = jsondecode(aws_iam_role_policy.hcp_terraform_deploy_test_policy.policy).Statement[0].Sid == "NoResourceLevelPermissions"\n    error_message = "deployer policy"\n  }`,
    ]);
  });
});

describe("the trust policy, evaluated by the IAM engine", () => {
  const subjects = hcpSubjects({
    backend: "cloud",
    organization: "acme",
    hostname: "app.terraform.io",
    workspace: { name: "connect-prod", project: "cc" },
  });
  const trust = hcpTrustPolicy(OIDC_ARN, "app.terraform.io", subjects);
  const ROLE = `arn:aws:iam::${ACCOUNT}:role/ConnectTerraform`;
  const assume = (sub: string, aud = HCP_AUDIENCE) =>
    decide({
      principal: OIDC_ARN,
      action: "sts:AssumeRoleWithWebIdentity",
      resource: ROLE,
      resourceAccount: ACCOUNT,
      context: { "app.terraform.io:sub": sub, "app.terraform.io:aud": aud },
      resourcePolicy: JSON.parse(JSON.stringify(trust)),
    }).then((e) => e.decision);

  test.each([
    ["the workspace's plan", "organization:acme:project:cc:workspace:connect-prod:run_phase:plan", HCP_AUDIENCE, "Allowed"],
    ["the workspace's apply", "organization:acme:project:cc:workspace:connect-prod:run_phase:apply", HCP_AUDIENCE, "Allowed"],
    ["another workspace", "organization:acme:project:cc:workspace:connect-dev:run_phase:apply", HCP_AUDIENCE, "ImplicitlyDenied"],
    ["another organization", "organization:evil:project:cc:workspace:connect-prod:run_phase:apply", HCP_AUDIENCE, "ImplicitlyDenied"],
    ["another project", "organization:acme:project:other:workspace:connect-prod:run_phase:apply", HCP_AUDIENCE, "ImplicitlyDenied"],
    ["another audience", "organization:acme:project:cc:workspace:connect-prod:run_phase:apply", "sts.amazonaws.com", "ImplicitlyDenied"],
  ])("%s: %s", async (_what, sub, aud, expected) => {
    expect(await assume(sub, aud)).toBe(expected);
  });
});

describe("environments in another account than the bootstrap (the example's prod)", () => {
  const { read, stackDir, result } = synthesize(exampleDeclaration());

  test("no role is created by the bootstrap; trust and permissions are written beside it with the commands", () => {
    const state = read("connect-encryption-state");
    expect(state.resource.aws_iam_role ?? {}).not.toHaveProperty("hcp_terraform_deploy_prod");
    expect(state.resource.aws_iam_openid_connect_provider).toBeUndefined();
    const dir = join(stackDir("connect-encryption-state"), "hcp-terraform");
    const trust = JSON.parse(readFileSync(join(dir, "prod.trust.json"), "utf8"));
    expect(trust.Statement[0].Principal).toEqual({ Federated: "arn:aws:iam::333333333333:oidc-provider/app.terraform.io" });
    expect(trust.Statement[0].Condition.StringLike["app.terraform.io:sub"]).toEqual([
      "organization:acme:project:contact-centre:workspace:connect-encryption-prod:run_phase:plan",
      "organization:acme:project:contact-centre:workspace:connect-encryption-prod:run_phase:apply",
    ]);
    expect(JSON.parse(readFileSync(join(dir, "prod.permissions.json"), "utf8"))).toEqual(
      read("connect-encryption-prod", DEPLOYER_POLICY_FILE),
    );
    const readme = readFileSync(join(dir, "README.md"), "utf8");
    expect(readme).toContain("aws iam create-role --role-name ConnectTerraform --assume-role-policy-document file://prod.trust.json");
    expect(result.warnings.filter((w) => w.includes("hcpTerraform") || w.includes("deploy role"))).toEqual([]);
  });
});

describe("validation", () => {
  test("accounts must be known on both sides, role names outside the environment's own, only for cloud environments", () => {
    const decl = withRoles();
    delete decl.environments.tagged.accountId;
    decl.stateBootstrap.hcpTerraform.roleNames = { local: "X", test: "acme-test-deployer" };
    expect(problemsOf(decl)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/environments\.tagged\.accountId: missing; with hcpTerraform\.deployRoles, declare accountId on both/),
        expect.stringMatching(/hcpTerraform\.roleNames\.local: environment local keeps its state in local/),
        expect.stringMatching(/hcpTerraform\.roleNames\.test: "acme-test-deployer" starts with acme-test-/),
      ]),
    );
  });

  test("a deploy role the key policy does not name is a warning when the account root is out of the key policy", () => {
    const decl = withRoles();
    decl.environments.test.key = {
      allowAccountRoot: false,
      administratorArns: [`arn:aws:iam::${ACCOUNT}:role/Admin`],
      deployerArns: [`arn:aws:iam::${ACCOUNT}:role/Admin`],
      auditorArns: [`arn:aws:iam::${ACCOUNT}:role/Auditor`],
    };
    decl.environments.test.streams = { consumerRoleArns: [`arn:aws:iam::${ACCOUNT}:role/StreamReader`] };
    expect(resolveDeclaration(decl).stateBootstrap!.warnings).toContainEqual(
      expect.stringMatching(
        /environments\.test\.key\.deployerArns: does not name the HCP Terraform deploy role arn:aws:iam::123456789012:role\/ConnectTestDeploy/,
      ),
    );
  });

  test("permissions over IAM's inline limit become managed policies of at most 6,144 characters", () => {
    const big: PolicyDocument = {
      Version: "2012-10-17",
      Statement: Array.from({ length: 80 }, (_, i) => ({
        Sid: `S${i}`,
        Effect: "Allow" as const,
        Action: ["s3:GetObject"],
        Resource: Array.from({ length: 4 }, (_, j) => `arn:aws:s3:::bucket-${i}-${j}/some/long/prefix/*`),
      })),
    };
    const { inline, parts } = permissionParts(big);
    expect(inline).toBe(false);
    expect(parts).toEqual(managedPolicyParts(big));
    expect(parts.flatMap((p) => p.Statement)).toEqual(big.Statement);
    // As a stack: one aws_iam_policy and one attachment per part, and a deployer policy that attaches only those.
    const stack = new BaseStack(Testing.app(), "s", { region: "eu-west-2", accountId: ACCOUNT, tags: {}, sessionName: "s" });
    const [plan] = deployRolePlans(resolveDeclaration(withRoles()).stateBootstrap!, resolveDeclaration(withRoles()).environments);
    new HcpDeployRoles(stack, "hcp_terraform", { roles: [{ plan, permissions: big }] });
    const json = JSON.parse(Testing.synth(stack));
    expect(Object.keys(json.resource.aws_iam_policy)).toHaveLength(parts.length);
    expect(Object.keys(json.resource.aws_iam_role_policy_attachment)).toHaveLength(parts.length);
    expect(json.resource.aws_iam_role_policy).toBeUndefined();
    const attach = deployerPolicy(json, { region: "eu-west-2", accountId: ACCOUNT, namePrefix: "s" }).Statement.find(
      (st) => st.Sid === "AttachOnlyStackPolicies",
    );
    expect(attach).toEqual({
      Sid: "AttachOnlyStackPolicies",
      Effect: "Allow",
      Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
      Resource: `arn:aws:iam::${ACCOUNT}:role/${plan.roleName}`,
      Condition: { ArnEquals: { "iam:PolicyARN": parts.map((_, i) => `arn:aws:iam::${ACCOUNT}:policy/${plan.roleName}-${i + 1}`) } },
    });
  });
});
