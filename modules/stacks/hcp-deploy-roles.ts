/**
 * Credentials as code for HCP Terraform runs: the IAM OIDC provider that
 * trusts HCP Terraform's workload identity tokens, and two roles per
 * environment whose state is a `cloud` workspace, one per run phase. The
 * apply role's trust admits only that workspace's apply runs, and its
 * permissions are the environment's generated deployer policy
 * (deployer-policy.ts, the document synthesis writes beside the stack as
 * deployer-iam-policy.json); the plan role's trust admits only its plan runs,
 * and its permissions are the reads of that policy (plan-role-policy.ts).
 *
 * HashiCorp, "Use dynamic credentials with the AWS provider"
 * (https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/aws-configuration):
 * the provider URL is `https://<hostname>`, the audience
 * `aws.workload.identity`, the token's subject
 * `organization:<org>:project:<project>:workspace:<workspace>:run_phase:<plan|apply>`,
 * and a workspace names a role per phase with TFC_AWS_PLAN_ROLE_ARN and
 * TFC_AWS_APPLY_ROLE_ARN.
 *
 * Accounts. An IAM role (and the OIDC provider it trusts) lives in the account
 * the environment deploys to. The bootstrap stack creates them only for the
 * environments in its own account; for an environment in another account it
 * writes the trust and permissions policies as files beside the bootstrap
 * stack (hcp-terraform/<env>.*.json, with the commands in
 * hcp-terraform/README.md), to be created in that account by its owner. The
 * bootstrap keeps its state in a local file and holds no role in the other
 * accounts: giving it IAM write access everywhere would make the least
 * watched stack the most powerful one.
 */
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { Construct } from "constructs";
import { ISynthesisSession, TerraformStack } from "cdktf";
import { addCustomSynthesis } from "cdktf/lib/synthesize/synthesizer";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { PolicyDocument, policyDocument, renderPolicy } from "../config/policy";
import { permissionParts } from "./policy-size";
import { HCP_AUDIENCE, DeployRolePlan, RunPhase } from "../config/hcp-terraform-settings";

/** Files written beside the bootstrap stack for environments in other accounts. */
export const HCP_FILES_DIR = "hcp-terraform";

/** The IAM ARN of the OIDC provider for `hostname` in an account. */
export function oidcProviderArn(partition: string, accountId: string, hostname: string): string {
  return `arn:${partition}:iam::${accountId}:oidc-provider/${hostname}`;
}

/**
 * The deploy role's trust policy. IAM user guide, "Create a role for OpenID
 * Connect federation" (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html):
 * the Federated principal is the OIDC provider, the action
 * sts:AssumeRoleWithWebIdentity, and the provider's `<host>:aud` and
 * `<host>:sub` claims are the condition keys. The HashiCorp page above gives
 * the audience and the subject's format.
 */
export function hcpTrustPolicy(providerArn: string, hostname: string, subjects: readonly string[], phase: RunPhase): PolicyDocument {
  return policyDocument([
    {
      Sid: `HcpTerraform${phase === "plan" ? "Plan" : "Apply"}RunsOfThisWorkspace`,
      Effect: "Allow",
      Principal: { Federated: providerArn },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: { [`${hostname}:aud`]: HCP_AUDIENCE },
        StringLike: { [`${hostname}:sub`]: [...subjects] },
      },
    },
  ]);
}

/** One environment's roles: the plan, the apply role's permissions (its deployer policy) and the plan role's. */
export interface DeployRoleSource {
  readonly plan: DeployRolePlan;
  readonly permissions: PolicyDocument;
  readonly planPermissions: PolicyDocument;
}

export interface HcpDeployRolesProps {
  /** The roles of the bootstrap's account. */
  readonly roles: readonly DeployRoleSource[];
}

/** The OIDC providers (one per HCP Terraform host) and the plan and apply roles of the bootstrap's account. */
export class HcpDeployRoles extends Construct {
  readonly providers = new Map<string, IamOpenidConnectProvider>();
  /** The apply roles, by environment. */
  readonly roles = new Map<string, IamRole>();
  readonly planRoles = new Map<string, IamRole>();

  constructor(scope: Construct, id: string, props: HcpDeployRolesProps) {
    super(scope, id);
    for (const { plan, permissions, planPermissions } of props.roles) {
      const provider = this.providerFor(plan.state.hostname);
      const env = plan.environment.name;
      const workspace = `${plan.state.organization}/${"name" in plan.state.workspace ? plan.state.workspace.name : "tagged workspaces"}`;
      const trust = (phase: RunPhase) => renderPolicy(hcpTrustPolicy(provider.arn, plan.state.hostname, plan.subjects[phase], phase));
      // The apply role keeps the address and name of the single deploy role it replaces.
      const apply = new IamRole(this, `deploy_${env}`, {
        name: plan.roleName,
        description: `HCP Terraform apply runs of ${workspace} deploy ${plan.environment.stackName}`,
        assumeRolePolicy: trust("apply"),
      });
      this.roles.set(env, apply);
      this.attach(`deploy_${env}`, apply, plan.roleName, "deployer", permissions, `the deployer policy of ${plan.environment.stackName}`);
      const reader = new IamRole(this, `plan_${env}`, {
        name: plan.planRoleName,
        description: `HCP Terraform plan runs of ${workspace} read ${plan.environment.stackName}`,
        assumeRolePolicy: trust("plan"),
      });
      this.planRoles.set(env, reader);
      this.attach(
        `plan_${env}`,
        reader,
        plan.planRoleName,
        "plan-reader",
        planPermissions,
        `the plan policy of ${plan.environment.stackName}`,
      );
    }
  }

  private providerFor(hostname: string): IamOpenidConnectProvider {
    let provider = this.providers.get(hostname);
    if (!provider) {
      // IAM user guide, "Create an OpenID Connect (OIDC) identity provider in IAM"
      // (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html): the URL is the
      // token issuer, the client ID the audience. IAM verifies providers with a certificate from a trusted root CA
      // without the thumbprint, so thumbprint_list is left out (optional and computed in hashicorp/aws 5.100 and 6.x).
      provider = new IamOpenidConnectProvider(this, `oidc_${hostname.replace(/[^a-z0-9]+/g, "_")}`, {
        url: `https://${hostname}`,
        clientIdList: [HCP_AUDIENCE],
      });
      this.providers.set(hostname, provider);
    }
    return provider;
  }

  /** A role's permissions: one inline policy while IAM's limit allows, else managed policies of at most 6,144 characters. */
  private attach(id: string, role: IamRole, roleName: string, inlineName: string, document: PolicyDocument, what: string): void {
    const { inline, parts } = permissionParts(document);
    if (inline) {
      // IAM user guide, "Managed policies and inline policies": an inline policy lives and dies with its role.
      new IamRolePolicy(this, `${id}_policy`, { name: inlineName, role: role.id, policy: renderPolicy(parts[0]) });
      return;
    }
    parts.forEach((part, i) => {
      const policy = new IamPolicy(this, `${id}_policy_${i + 1}`, {
        name: `${roleName}-${i + 1}`,
        description: `Part ${i + 1} of ${parts.length} of ${what}`,
        policy: renderPolicy(part),
      });
      new IamRolePolicyAttachment(this, `${id}_attachment_${i + 1}`, { role: role.name, policyArn: policy.arn });
    });
  }
}

/**
 * The trust and permissions policies of the plan and apply roles of other
 * accounts, written beside the bootstrap stack's JSON at synthesis, with a
 * README that gives the AWS CLI commands creating them in their accounts.
 */
export function writeOtherAccountRoles(stack: TerraformStack, partition: string, roles: readonly DeployRoleSource[]): void {
  if (roles.length === 0) return;
  // cdktf allows one custom synthesis per construct (the stack has BaseStack's): a construct of its own.
  addCustomSynthesis(new Construct(stack, "hcp_terraform_files"), {
    onSynthesize: (session: ISynthesisSession) => {
      const dir = join(session.outdir, session.manifest.forStack(stack).workingDirectory, HCP_FILES_DIR);
      mkdirSync(dir, { recursive: true });
      const readme = [
        "# HCP Terraform deploy roles of other accounts",
        "",
        "Written by synthesis of the state bootstrap stack (`stateBootstrap.hcpTerraform.deployRoles`). These environments",
        "deploy to another account than the bootstrap's, which holds no role there, so their roles are not created by it:",
        "create each in its account with the commands below (credentials of that account, from this directory).",
        "Each environment has two roles: the apply role, with the environment's generated deployer policy, trusted by the",
        "workspace's apply runs only, and the plan role, which may only read, trusted by its plan runs only.",
        "Synthesize again and update the roles when the policies change.",
        "",
      ];
      for (const source of roles) readme.push(...otherAccountRole(dir, partition, source));
      writeFileSync(join(dir, "README.md"), readme.join("\n"));
    },
  });
}

/** Writes one environment's trust and permissions files; returns its README section. */
function otherAccountRole(dir: string, partition: string, { plan, permissions, planPermissions }: DeployRoleSource): string[] {
  const env = plan.environment.name;
  const account = plan.accountId!;
  const hostname = plan.state.hostname;
  const arnOf = (name: string) => `arn:${partition}:iam::${account}:role/${name}`;
  const commands = (phase: RunPhase, roleName: string, inlineName: string, document: PolicyDocument): string[] => {
    const stem = phase === "apply" ? env : `${env}.plan`;
    const trust = hcpTrustPolicy(oidcProviderArn(partition, account, hostname), hostname, plan.subjects[phase], phase);
    writeFileSync(join(dir, `${stem}.trust.json`), `${JSON.stringify(trust, null, 2)}\n`);
    const { inline, parts } = permissionParts(document);
    const files = parts.map((part, i) => {
      const file = inline ? `${stem}.permissions.json` : `${stem}.permissions-${i + 1}.json`;
      writeFileSync(join(dir, file), `${JSON.stringify(part, null, 2)}\n`);
      return file;
    });
    return [
      `aws iam create-role --role-name ${roleName} --assume-role-policy-document file://${stem}.trust.json`,
      ...(inline
        ? [`aws iam put-role-policy --role-name ${roleName} --policy-name ${inlineName} --policy-document file://${files[0]}`]
        : files.flatMap((file, i) => [
            `aws iam create-policy --policy-name ${roleName}-${i + 1} --policy-document file://${file}`,
            `aws iam attach-role-policy --role-name ${roleName} --policy-arn arn:${partition}:iam::${account}:policy/${roleName}-${i + 1}`,
          ])),
    ];
  };
  return [
    `## ${env}: roles ${plan.planRoleName} (plan) and ${plan.roleName} (apply) in account ${account}`,
    "",
    "```sh",
    `# once per account and host (skip if it exists): the OIDC provider`,
    `aws iam create-open-id-connect-provider --url https://${hostname} --client-id-list ${HCP_AUDIENCE}`,
    ...commands("plan", plan.planRoleName, "plan-reader", planPermissions),
    ...commands("apply", plan.roleName, "deployer", permissions),
    "```",
    "",
    `Then set TFC_AWS_PROVIDER_AUTH=true, TFC_AWS_PLAN_ROLE_ARN=${arnOf(plan.planRoleName)} and TFC_AWS_APPLY_ROLE_ARN=${arnOf(plan.roleName)} in the workspace (they replace TFC_AWS_RUN_ROLE_ARN).`,
    "",
  ];
}

export {
  HCP_AUDIENCE,
  PLAN_ROLE_SUFFIX,
  RUN_PHASES,
  defaultRoleName,
  deployRolePlans,
  hcpSubjects,
} from "../config/hcp-terraform-settings";
export type { DeployRolePlan, HcpTerraformSettings, RunPhase } from "../config/hcp-terraform-settings";

export { INLINE_POLICY_MAX_CHARACTERS, permissionParts } from "./policy-size";
