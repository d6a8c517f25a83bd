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
import type { RunPhase } from "../modules/stacks/hcp-deploy-roles";
import { planRolePolicy, readActionsOf } from "../modules/stacks/plan-role-policy";
import { deployRequests } from "../modules/invariants/deploy-completeness";
import { checkAllInvariants } from "../modules/invariants/evaluated";
import type { CheckedStack } from "../modules/invariants/invariant";
import { declarationStacks } from "./helpers/invariants";
import { Requests, allowAll } from "../modules/invariants/requests";
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

  test("a plan and an apply role per cloud environment (none for the environment on local state), named as declared or by default", () => {
    expect(Object.keys(r.aws_iam_role).sort()).toEqual([
      "hcp_terraform_deploy_tagged",
      "hcp_terraform_deploy_test",
      "hcp_terraform_plan_tagged",
      "hcp_terraform_plan_test",
    ]);
    expect(r.aws_iam_role.hcp_terraform_deploy_test.name).toBe("ConnectTestDeploy");
    expect(r.aws_iam_role.hcp_terraform_plan_test.name).toBe("ConnectTestDeploy-plan");
    expect(r.aws_iam_role.hcp_terraform_deploy_tagged.name).toBe("connect-encryption-tagged-hcp-deploy");
    expect(r.aws_iam_role.hcp_terraform_plan_tagged.name).toBe("connect-encryption-tagged-hcp-deploy-plan");
    expect(state.output.hcp_terraform_deploy_role_arns.value).toEqual({
      tagged: "${aws_iam_role.hcp_terraform_deploy_tagged.arn}",
      test: "${aws_iam_role.hcp_terraform_deploy_test.arn}",
    });
    expect(state.output.hcp_terraform_plan_role_arns.value).toEqual({
      tagged: "${aws_iam_role.hcp_terraform_plan_tagged.arn}",
      test: "${aws_iam_role.hcp_terraform_plan_test.arn}",
    });
  });

  test.each([
    ["apply", "hcp_terraform_deploy_test", "HcpTerraformApplyRunsOfThisWorkspace"],
    ["plan", "hcp_terraform_plan_test", "HcpTerraformPlanRunsOfThisWorkspace"],
  ])("the %s role's trust admits exactly the workspace's runs of that phase, with the audience", (phase, address, sid) => {
    expect(documentOf(r.aws_iam_role[address].assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: sid,
          Effect: "Allow",
          Principal: { Federated: OIDC_ARN },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: { "app.terraform.io:aud": "aws.workload.identity" },
            StringLike: { "app.terraform.io:sub": [`organization:acme:project:cc:workspace:connect-test:run_phase:${phase}`] },
          },
        },
      ],
    });
  });

  test("workspaces by tag: any workspace (and, without a declared project, any project) of the organization, with a warning", () => {
    for (const [address, phase] of [
      ["hcp_terraform_deploy_tagged", "apply"],
      ["hcp_terraform_plan_tagged", "plan"],
    ])
      expect(documentOf(r.aws_iam_role[address].assume_role_policy).Statement[0].Condition!.StringLike).toEqual({
        "app.terraform.io:sub": [`organization:acme:project:*:workspace:*:run_phase:${phase}`],
      });
    expect(result.warnings).toContainEqual(
      expect.stringMatching(/workspaceTags: .*trusts every workspace of organization acme \(sub workspace:\*\)/),
    );
  });

  test("the apply role's permissions are the deployer policy written beside its environment; the plan role's, its reads", () => {
    for (const env of ["test", "tagged"]) {
      const written = read(`connect-encryption-${env}`, DEPLOYER_POLICY_FILE);
      const apply = r.aws_iam_role_policy[`hcp_terraform_deploy_${env}_policy`];
      expect(documentOf(apply.policy)).toEqual(written);
      expect(apply.role).toBe(`\${aws_iam_role.hcp_terraform_deploy_${env}.id}`);
      const plan = r.aws_iam_role_policy[`hcp_terraform_plan_${env}_policy`];
      expect(documentOf(plan.policy)).toEqual(planRolePolicy(read(`connect-encryption-${env}`), written));
      expect(plan.role).toBe(`\${aws_iam_role.hcp_terraform_plan_${env}.id}`);
    }
    expect(Object.keys(r.aws_iam_role_policy)).toHaveLength(4);
  });

  test("the plan role's policy holds only the provider's read actions, each on the resources the deployer policy gives it", () => {
    const env = read("connect-encryption-test");
    const deployer = read("connect-encryption-test", DEPLOYER_POLICY_FILE) as PolicyDocument;
    const plan = documentOf(r.aws_iam_role_policy.hcp_terraform_plan_test_policy.policy);
    const reads = readActionsOf([...Object.keys(env.resource), ...Object.keys(env.data).map((t) => `data.${t}`)]);
    const actions = plan.Statement.flatMap((st) => [st.Action].flat());
    expect(actions.length).toBeGreaterThan(40);
    expect(actions.filter((a) => !reads.has(a.toLowerCase()))).toEqual([]);
    expect(
      actions.filter((a) => /:(Create|Put|Delete|Update|Tag|Untag|Attach|Detach|Pass|Associate|Schedule|Enable|Disable)/.test(a)),
    ).toEqual([]);
    for (const st of plan.Statement) {
      const source = deployer.Statement.find((d) => `${d.Sid}Read` === st.Sid)!;
      expect({ sid: st.Sid, Resource: st.Resource, Condition: st.Condition }).toEqual({
        sid: st.Sid,
        Resource: source.Resource,
        Condition: source.Condition,
      });
    }
  });

  test("the bootstrap's own deployer policy covers the OIDC provider and the roles", () => {
    const policy = read("connect-encryption-state", DEPLOYER_POLICY_FILE) as PolicyDocument;
    const sid = (s: string) => policy.Statement.find((st) => st.Sid === s);
    expect(sid("StackOidcProviders")?.Resource).toBe(OIDC_ARN);
    expect(sid("StackOidcProviders")?.Action).toContain("iam:CreateOpenIDConnectProvider");
    expect(sid("StackRoles")?.Resource).toEqual(
      expect.arrayContaining([
        `arn:aws:iam::${ACCOUNT}:role/ConnectTestDeploy`,
        `arn:aws:iam::${ACCOUNT}:role/ConnectTestDeploy-plan`,
        `arn:aws:iam::${ACCOUNT}:role/connect-encryption-tagged-hcp-deploy`,
        `arn:aws:iam::${ACCOUNT}:role/connect-encryption-tagged-hcp-deploy-plan`,
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
      `assert {\n    condition     = aws_iam_role.hcp_terraform_plan_test.name == "ConnectTestDeploy-plan"\n    error_message = "plan role name"\n  }`,
      `assert {\n    condition     = jsondecode(aws_iam_role_policy.hcp_terraform_deploy_test_policy.policy).Statement[0].Sid == "NoResourceLevelPermissions"\n    error_message = "deployer policy"\n  }`,
    ]);
  });
});

describe("the trust policy, evaluated by the IAM engine", () => {
  const state = {
    backend: "cloud",
    organization: "acme",
    hostname: "app.terraform.io",
    workspace: { name: "connect-prod", project: "cc" },
  } as const;
  const trustOf = (phase: RunPhase) => hcpTrustPolicy(OIDC_ARN, "app.terraform.io", hcpSubjects(state, [phase]), phase);
  const ROLE = `arn:aws:iam::${ACCOUNT}:role/ConnectTerraform`;
  const assume = (phase: RunPhase, sub: string, aud = HCP_AUDIENCE) =>
    decide({
      principal: OIDC_ARN,
      action: "sts:AssumeRoleWithWebIdentity",
      resource: phase === "plan" ? `${ROLE}-plan` : ROLE,
      resourceAccount: ACCOUNT,
      context: { "app.terraform.io:sub": sub, "app.terraform.io:aud": aud },
      resourcePolicy: JSON.parse(JSON.stringify(trustOf(phase))),
    }).then((e) => e.decision);
  const run = (phase: string, workspace = "connect-prod", org = "acme", project = "cc") =>
    `organization:${org}:project:${project}:workspace:${workspace}:run_phase:${phase}`;

  test.each([
    ["the plan role", "plan", "the workspace's plan", run("plan"), HCP_AUDIENCE, "Allowed"],
    ["the plan role", "plan", "the workspace's apply", run("apply"), HCP_AUDIENCE, "ImplicitlyDenied"],
    ["the apply role", "apply", "the workspace's apply", run("apply"), HCP_AUDIENCE, "Allowed"],
    ["the apply role", "apply", "the workspace's plan", run("plan"), HCP_AUDIENCE, "ImplicitlyDenied"],
    ["the apply role", "apply", "another workspace", run("apply", "connect-dev"), HCP_AUDIENCE, "ImplicitlyDenied"],
    ["the apply role", "apply", "another organization", run("apply", "connect-prod", "evil"), HCP_AUDIENCE, "ImplicitlyDenied"],
    ["the apply role", "apply", "another project", run("apply", "connect-prod", "acme", "other"), HCP_AUDIENCE, "ImplicitlyDenied"],
    ["the apply role", "apply", "another audience", run("apply"), "sts.amazonaws.com", "ImplicitlyDenied"],
    ["the plan role", "plan", "another workspace", run("plan", "connect-dev"), HCP_AUDIENCE, "ImplicitlyDenied"],
  ])("%s (%s runs), asked by %s: %s", async (_role, phase, _what, sub, aud, expected) => {
    expect(await assume(phase as RunPhase, sub, aud)).toBe(expected);
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
      "organization:acme:project:contact-centre:workspace:connect-encryption-prod:run_phase:apply",
    ]);
    const planTrust = JSON.parse(readFileSync(join(dir, "prod.plan.trust.json"), "utf8"));
    expect(planTrust.Statement[0].Condition.StringLike["app.terraform.io:sub"]).toEqual([
      "organization:acme:project:contact-centre:workspace:connect-encryption-prod:run_phase:plan",
    ]);
    const deployer = read("connect-encryption-prod", DEPLOYER_POLICY_FILE);
    expect(JSON.parse(readFileSync(join(dir, "prod.permissions.json"), "utf8"))).toEqual(deployer);
    expect(JSON.parse(readFileSync(join(dir, "prod.plan.permissions.json"), "utf8"))).toEqual(
      planRolePolicy(read("connect-encryption-prod"), deployer),
    );
    const readme = readFileSync(join(dir, "README.md"), "utf8");
    expect(readme).toContain("aws iam create-role --role-name ConnectTerraform --assume-role-policy-document file://prod.trust.json");
    expect(readme).toContain(
      "aws iam create-role --role-name ConnectTerraform-plan --assume-role-policy-document file://prod.plan.trust.json",
    );
    expect(readme).toContain(
      "TFC_AWS_PLAN_ROLE_ARN=arn:aws:iam::333333333333:role/ConnectTerraform-plan and TFC_AWS_APPLY_ROLE_ARN=arn:aws:iam::333333333333:role/ConnectTerraform",
    );
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

  // Issue 23: a warning let every run with that role fail; now the declaration says where to add it.
  test("an apply role the key policy does not name is refused at key.deployerArns when the account root is out of the key policy", () => {
    const decl = withRoles();
    decl.environments.test.key = {
      allowAccountRoot: false,
      administratorArns: [`arn:aws:iam::${ACCOUNT}:role/Admin`],
      deployerArns: [`arn:aws:iam::${ACCOUNT}:role/Admin`],
      auditorArns: [`arn:aws:iam::${ACCOUNT}:role/Auditor`],
    };
    decl.environments.test.streams = { consumerRoleArns: [`arn:aws:iam::${ACCOUNT}:role/StreamReader`] };
    const refusals = (declaration: Json): string[] => {
      try {
        resolveDeclaration(declaration);
        return [];
      } catch (error) {
        return [...(error as { problems: string[] }).problems];
      }
    };
    expect(refusals(decl)).toContainEqual(
      expect.stringMatching(
        /environments\.test\.key\.deployerArns: does not name the HCP Terraform apply role arn:aws:iam::123456789012:role\/ConnectTestDeploy, .* add arn:aws:iam::123456789012:role\/ConnectTestDeploy here/,
      ),
    );
    // Written in the defaults (npm run fuzz seed 9): refused where it was written, not under the environment.
    const inDefaults = withRoles();
    inDefaults.defaults = { ...inDefaults.defaults, key: decl.environments.test.key };
    inDefaults.environments.test.streams = decl.environments.test.streams;
    expect(refusals(inDefaults)).toContainEqual(
      expect.stringMatching(
        /connectEncryption\.defaults\.key\.deployerArns: does not name the HCP Terraform apply role arn:aws:iam::123456789012:role\/ConnectTestDeploy/,
      ),
    );
    const fixed = withRoles();
    const role = `arn:aws:iam::${ACCOUNT}:role/ConnectTestDeploy`;
    fixed.environments.test.key = { ...decl.environments.test.key, administratorArns: [role], deployerArns: [role] };
    fixed.environments.test.streams = decl.environments.test.streams;
    expect(refusals(fixed)).toEqual([]);
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
    const small: PolicyDocument = { Version: "2012-10-17", Statement: [big.Statement[0]] };
    new HcpDeployRoles(stack, "hcp_terraform", { roles: [{ plan, permissions: big, planPermissions: small }] });
    const json = JSON.parse(Testing.synth(stack));
    expect(Object.keys(json.resource.aws_iam_policy)).toHaveLength(parts.length);
    expect(Object.keys(json.resource.aws_iam_role_policy_attachment)).toHaveLength(parts.length);
    expect(Object.keys(json.resource.aws_iam_role_policy)).toEqual([`hcp_terraform_plan_${plan.environment.name}_policy`]);
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

// Issue 21: a plan runs with a role that cannot write; only an apply runs with the deployer policy.
describe("what each role may do with the environment's stack, decided by the IAM engine", () => {
  let stack: CheckedStack;
  let planPolicy: PolicyDocument;
  let reads: Set<string>;
  const session = (role: string) => `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/terraform-run`;
  beforeAll(() => {
    stack = declarationStacks(withRoles()).find((s) => s.name === "connect-encryption-test")!;
    planPolicy = planRolePolicy(stack.json, stack.deployerPolicy!);
    reads = readActionsOf([...Object.keys(stack.json.resource), ...Object.keys(stack.json.data).map((t) => `data.${t}`)]);
  });

  test("the plan role may make every call the provider makes to read the stack's resources and data sources", async () => {
    const { requests, gaps } = await deployRequests(stack, session("ConnectTestDeploy-plan"), planPolicy, ["read"]);
    expect(gaps).toEqual([]);
    expect(requests.length).toBeGreaterThan(80);
    expect(requests.filter((q) => q.decision !== "Allowed").map((q) => `${q.resource} ${q.action} ${q.arn}`)).toEqual([]);
  });

  test("the plan role may make no call that creates, changes or deletes anything", async () => {
    const { requests } = await deployRequests(stack, session("ConnectTestDeploy-plan"), planPolicy, ["create", "update", "delete"]);
    const writes = requests.filter((q) => !reads.has(q.action.toLowerCase()));
    expect(writes.length).toBeGreaterThan(100);
    expect(writes.filter((q) => q.decision === "Allowed").map((q) => `${q.resource} ${q.action} ${q.arn}`)).toEqual([]);
  });

  test("the apply role may make every call of every phase", async () => {
    const { requests, gaps } = await deployRequests(stack, session("ConnectTestDeploy"), stack.deployerPolicy!);
    expect(gaps).toEqual([]);
    expect(requests.filter((q) => q.decision !== "Allowed").map((q) => `${q.resource} ${q.action} ${q.arn}`)).toEqual([]);
  });
});

describe("a root-less environment: its keys name the plan role, for its configuration only", () => {
  const ADMIN = `arn:aws:iam::${ACCOUNT}:role/ConnectTestDeploy`;
  const rootless = (): Json => {
    const decl = withRoles();
    decl.environments.test.key = {
      allowAccountRoot: false,
      administratorArns: [ADMIN],
      deployerArns: [ADMIN],
      auditorArns: [`arn:aws:iam::${ACCOUNT}:role/Auditor`],
    };
    decl.environments.test.streams = { consumerRoleArns: [`arn:aws:iam::${ACCOUNT}:role/StreamReader`] };
    decl.environments.test.bucket = { replication: { region: "eu-west-1" } };
    decl.environments.test.alerts = { createTrail: false };
    return decl;
  };
  let stack: CheckedStack;
  beforeAll(() => {
    stack = declarationStacks(rootless()).find((s) => s.name === "connect-encryption-test")!;
  });
  const PLAN_ROLE = `arn:aws:iam::${ACCOUNT}:role/ConnectTestDeploy-plan`;

  test("the content, alerts and disaster-recovery keys each let the plan role read their configuration, and nothing else", () => {
    const keys = stack.model.keys();
    expect(keys.length).toBe(3);
    for (const key of keys) {
      const statement = key.policy.Statement.find((s) => s.Sid === "ReadOnlyPrincipalsReadKeyConfiguration");
      expect({ key: key.address, statement }).toEqual({
        key: key.address,
        statement: {
          Sid: "ReadOnlyPrincipalsReadKeyConfiguration",
          Effect: "Allow",
          Principal: { AWS: [PLAN_ROLE] },
          Action: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListGrants", "kms:ListResourceTags"],
          Resource: "*",
        },
      });
    }
  });

  test("the plan role refreshes every resource; it cannot decrypt, and a key that keeps the account root names it nowhere", async () => {
    const planPolicy = planRolePolicy(stack.json, stack.deployerPolicy!);
    const session = `arn:aws:sts::${ACCOUNT}:assumed-role/ConnectTestDeploy-plan/terraform-run`;
    const { requests } = await deployRequests(stack, session, planPolicy, ["read"]);
    expect(requests.filter((q) => q.decision !== "Allowed").map((q) => `${q.resource} ${q.action} ${q.arn}`)).toEqual([]);
    const requestsOf = new Requests(stack.model);
    for (const key of stack.model.keys())
      expect(await requestsOf.kmsDecision(session, "kms:Decrypt", key.arn, {}, [allowAll("kms")])).toBe("ImplicitlyDenied");
    const kept = declarationStacks(withRoles()).find((s) => s.name === "connect-encryption-test")!;
    expect(kept.model.keys().flatMap((k) => k.policy.Statement.map((s) => s.Sid))).not.toContain("ReadOnlyPrincipalsReadKeyConfiguration");
  });
});

// Issue 23: state kept in HCP Terraform needs no S3 bucket; the bootstrap then creates the roles alone.
describe("a state bootstrap without a state bucket, for the deploy roles alone", () => {
  const rolesOnly = (): Json => {
    const decl = withRoles();
    delete decl.environments.local;
    decl.stateBootstrap = {
      region: "eu-west-2",
      accountId: ACCOUNT,
      hcpTerraform: { deployRoles: true, roleNames: { test: "ConnectTestDeploy" } },
    };
    return decl;
  };

  test("synthesizes the OIDC provider and the roles, and no state key, bucket or log bucket", () => {
    const { read } = synthesize(rolesOnly());
    const state = read("connect-encryption-state");
    expect(Object.keys(state.resource).sort()).toEqual(["aws_iam_openid_connect_provider", "aws_iam_role", "aws_iam_role_policy"]);
    expect(Object.keys(state.output).sort()).toEqual(["hcp_terraform_deploy_role_arns", "hcp_terraform_plan_role_arns"]);
  });

  test("satisfies every invariant, and without deploy roles a bucket is still required", async () => {
    expect((await checkAllInvariants(declarationStacks(rolesOnly()))).map((v) => `${v.stack} ${v.resource} ${v.message}`)).toEqual([]);
    const without = rolesOnly();
    without.stateBootstrap.hcpTerraform.deployRoles = false;
    expect(() => resolveDeclaration(without)).toThrow(/stateBootstrap\.bucket: missing; the state bootstrap needs bucket \(unless/);
  });
});
