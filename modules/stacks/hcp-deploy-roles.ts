/**
 * Credentials as code for HCP Terraform runs: the IAM OIDC provider that
 * trusts HCP Terraform's workload identity tokens, and one deploy role per
 * environment whose state is a `cloud` workspace. A role's trust policy
 * admits only the runs (plan and apply) of that organization, project and
 * workspace; its permissions are the environment's generated deployer policy
 * (deployer-policy.ts), the same document synthesis writes beside the
 * environment's stack as deployer-iam-policy.json.
 *
 * HashiCorp, "Use dynamic credentials with the AWS provider"
 * (https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/aws-configuration):
 * the provider URL is `https://<hostname>`, the audience
 * `aws.workload.identity`, and the token's subject
 * `organization:<org>:project:<project>:workspace:<workspace>:run_phase:<plan|apply>`.
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
import { permissionParts } from "./deployer-policy";
import { HCP_AUDIENCE, DeployRolePlan } from "../config/hcp-terraform-settings";

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
export function hcpTrustPolicy(providerArn: string, hostname: string, subjects: readonly string[]): PolicyDocument {
  return policyDocument([
    {
      Sid: "HcpTerraformRunsOfThisWorkspace",
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

export interface HcpDeployRolesProps {
  /** The roles of the bootstrap's account. */
  readonly roles: readonly { readonly plan: DeployRolePlan; readonly permissions: PolicyDocument }[];
}

/** The OIDC providers (one per HCP Terraform host) and deploy roles of the bootstrap's account. */
export class HcpDeployRoles extends Construct {
  readonly providers = new Map<string, IamOpenidConnectProvider>();
  readonly roles = new Map<string, IamRole>();

  constructor(scope: Construct, id: string, props: HcpDeployRolesProps) {
    super(scope, id);
    for (const { plan, permissions } of props.roles) {
      const hostname = plan.state.hostname;
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
      const env = plan.environment.name;
      const role = new IamRole(this, `deploy_${env}`, {
        name: plan.roleName,
        description: `HCP Terraform runs of ${plan.state.organization}/${"name" in plan.state.workspace ? plan.state.workspace.name : "tagged workspaces"} deploy ${plan.environment.stackName}`,
        assumeRolePolicy: renderPolicy(hcpTrustPolicy(provider.arn, hostname, plan.subjects)),
      });
      this.roles.set(env, role);
      const { inline, parts } = permissionParts(permissions);
      if (inline) {
        // IAM user guide, "Managed policies and inline policies": an inline policy lives and dies with its role.
        new IamRolePolicy(this, `deploy_${env}_policy`, { name: "deployer", role: role.id, policy: renderPolicy(parts[0]) });
      } else {
        parts.forEach((part, i) => {
          const policy = new IamPolicy(this, `deploy_${env}_policy_${i + 1}`, {
            name: `${plan.roleName}-${i + 1}`,
            description: `Part ${i + 1} of ${parts.length} of the deployer policy of ${plan.environment.stackName}`,
            policy: renderPolicy(part),
          });
          new IamRolePolicyAttachment(this, `deploy_${env}_attachment_${i + 1}`, { role: role.name, policyArn: policy.arn });
        });
      }
    }
  }
}

/**
 * The trust and permissions policies of the deploy roles of other accounts,
 * written beside the bootstrap stack's JSON at synthesis, with a README that
 * gives the AWS CLI commands creating them in their accounts.
 */
export function writeOtherAccountRoles(
  stack: TerraformStack,
  partition: string,
  roles: readonly { readonly plan: DeployRolePlan; readonly permissions: PolicyDocument }[],
): void {
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
        "The permissions are the environment's generated deployer policy; synthesize again and update the role when it changes.",
        "",
      ];
      for (const { plan, permissions } of roles) {
        const env = plan.environment.name;
        const account = plan.accountId!;
        const hostname = plan.state.hostname;
        const trust = hcpTrustPolicy(oidcProviderArn(partition, account, hostname), hostname, plan.subjects);
        writeFileSync(join(dir, `${env}.trust.json`), `${JSON.stringify(trust, null, 2)}\n`);
        const { inline, parts } = permissionParts(permissions);
        const files = parts.map((part, i) => {
          const file = inline ? `${env}.permissions.json` : `${env}.permissions-${i + 1}.json`;
          writeFileSync(join(dir, file), `${JSON.stringify(part, null, 2)}\n`);
          return file;
        });
        readme.push(
          `## ${env}: role ${plan.roleName} in account ${account}`,
          "",
          "```sh",
          `# once per account and host (skip if it exists): the OIDC provider`,
          `aws iam create-open-id-connect-provider --url https://${hostname} --client-id-list ${HCP_AUDIENCE}`,
          `aws iam create-role --role-name ${plan.roleName} --assume-role-policy-document file://${env}.trust.json`,
          ...(inline
            ? [`aws iam put-role-policy --role-name ${plan.roleName} --policy-name deployer --policy-document file://${files[0]}`]
            : files.flatMap((file, i) => [
                `aws iam create-policy --policy-name ${plan.roleName}-${i + 1} --policy-document file://${file}`,
                `aws iam attach-role-policy --role-name ${plan.roleName} --policy-arn arn:${partition}:iam::${account}:policy/${plan.roleName}-${i + 1}`,
              ])),
          "```",
          "",
          `Then set TFC_AWS_PROVIDER_AUTH=true and TFC_AWS_RUN_ROLE_ARN=arn:${partition}:iam::${account}:role/${plan.roleName} in the workspace.`,
          "",
        );
      }
      writeFileSync(join(dir, "README.md"), readme.join("\n"));
    },
  });
}

export { HCP_AUDIENCE, RUN_PHASES, defaultRoleName, deployRolePlans, hcpSubjects } from "../config/hcp-terraform-settings";
export type { DeployRolePlan, HcpTerraformSettings } from "../config/hcp-terraform-settings";

export { INLINE_POLICY_MAX_CHARACTERS, permissionParts } from "./deployer-policy";
