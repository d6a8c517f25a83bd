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
import type { EnvironmentSettings } from "./config";
import type { CloudStateSettings } from "./state-settings";
import { PolicyDocument, policyDocument, renderPolicy } from "./policy";
import { managedPolicyParts, partitionOf, policyCharacters } from "./deployer-policy";
import { Problems, readBoolean, readObject, readStringMap, show } from "./validation";

/** The audience HCP Terraform puts in its tokens for AWS unless TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE says otherwise (HashiCorp page above). */
export const HCP_AUDIENCE = "aws.workload.identity";
/** The run phases whose tokens may assume a deploy role (HashiCorp page above: `run_phase` is `plan` or `apply`). */
export const RUN_PHASES = ["plan", "apply"] as const;
/**
 * IAM quotas (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length):
 * a role's inline policies hold 10,240 characters together.
 */
export const INLINE_POLICY_MAX_CHARACTERS = 10240;
/** Files written beside the bootstrap stack for environments in other accounts. */
export const HCP_FILES_DIR = "hcp-terraform";

export interface HcpTerraformSettings {
  /** Create the OIDC provider and the deploy roles (or, for other accounts, write their policies). */
  readonly deployRoles: boolean;
  /** Role name per environment; default `<stackName>-hcp-deploy`. */
  readonly roleNames: Readonly<Record<string, string>>;
}

const FIELDS = ["deployRoles", "roleNames"];
const ENVIRONMENT_KEY = /^[a-z][a-z0-9]{0,15}$/;
/** IAM role names: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/** One environment's deploy role, as planned from the declaration. */
export interface DeployRolePlan {
  readonly environment: EnvironmentSettings;
  readonly state: CloudStateSettings;
  readonly roleName: string;
  /** The environment's account; undefined when neither it nor the bootstrap declares one (then they are the same). */
  readonly accountId?: string;
  /** Created by the bootstrap stack; otherwise written as policy files for the environment's account. */
  readonly inBootstrapAccount: boolean;
  /** The `sub` values admitted (StringLike). */
  readonly subjects: readonly string[];
}

export function defaultRoleName(environment: EnvironmentSettings): string {
  return `${environment.stackName}-hcp-deploy`;
}

/**
 * The token subjects of a cloud environment's runs. A workspace chosen by
 * tags has no single name: the subject then admits every workspace of the
 * organization (and project, when declared). Without a declared project the
 * workspace may sit in any project; workspace names are unique within an
 * organization, so that still admits one workspace.
 */
export function hcpSubjects(state: CloudStateSettings): string[] {
  const project = state.workspace.project ?? "*";
  const workspace = "name" in state.workspace ? state.workspace.name : "*";
  return RUN_PHASES.map((phase) => `organization:${state.organization}:project:${project}:workspace:${workspace}:run_phase:${phase}`);
}

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

/** The deploy roles a declaration asks for: one per environment whose state is a `cloud` workspace. */
export function deployRolePlans(
  bootstrap: { readonly accountId?: string; readonly hcpTerraform?: HcpTerraformSettings },
  environments: readonly EnvironmentSettings[],
): DeployRolePlan[] {
  const settings = bootstrap.hcpTerraform;
  if (!settings?.deployRoles) return [];
  const plans: DeployRolePlan[] = [];
  for (const environment of environments) {
    const state = environment.state;
    if (state.backend !== "cloud") continue;
    plans.push({
      environment,
      state,
      roleName: settings.roleNames[environment.name] ?? defaultRoleName(environment),
      accountId: environment.accountId,
      inBootstrapAccount: environment.accountId === bootstrap.accountId,
      subjects: hcpSubjects(state),
    });
  }
  return plans;
}

/**
 * Reads `stateBootstrap.hcpTerraform` and checks it against the environments:
 * role names of cloud environments only; each account known on both sides
 * (so that where a role goes is certain); a role name outside the
 * environment's own role names (its deployer policy may rewrite those, so the
 * deploy role could rewrite its own trust); distinct role names per account.
 */
export function resolveHcpTerraform(
  problems: Problems,
  root: string,
  value: unknown,
  bootstrap: { readonly accountId?: string },
  environments: readonly EnvironmentSettings[],
  warnings: string[],
): HcpTerraformSettings | undefined {
  if (value === undefined) return undefined;
  const path = `${root}.stateBootstrap.hcpTerraform`;
  const raw = readObject(problems, path, value, FIELDS);
  if (!raw) return undefined;
  const deployRoles = readBoolean(problems, `${path}.deployRoles`, raw.deployRoles) ?? false;
  const roleNames =
    readStringMap(
      problems,
      `${path}.roleNames`,
      raw.roleNames,
      ENVIRONMENT_KEY,
      ROLE_NAME,
      "environment names to IAM role names (1-64 of letters, digits and +=,.@_-)",
    ) ?? {};
  const byName = new Map(environments.map((e) => [e.name, e]));
  for (const name of Object.keys(roleNames)) {
    const environment = byName.get(name);
    if (!environment) {
      problems.add(`${path}.roleNames.${name}`, `${show(name)} is not a declared environment`);
    } else if (environment.state.backend !== "cloud") {
      problems.add(
        `${path}.roleNames.${name}`,
        `environment ${name} keeps its state in ${environment.state.backend}, not HCP Terraform; only cloud environments get a deploy role`,
      );
    }
  }
  const settings: HcpTerraformSettings = { deployRoles, roleNames };
  const plans = deployRolePlans({ ...bootstrap, hcpTerraform: settings }, environments);
  if (deployRoles && plans.length === 0) {
    warnings.push(`${path}.deployRoles: no environment keeps its state in HCP Terraform (state.backend cloud); no deploy role is created`);
  }
  const claimed = new Map<string, string>();
  for (const plan of plans) {
    const env = plan.environment;
    const at = (...segments: string[]): string => `${root}.environments.${env.name}.${segments.join(".")}`;
    if ((env.accountId === undefined) !== (bootstrap.accountId === undefined)) {
      problems.add(
        env.accountId === undefined ? at("accountId") : `${root}.stateBootstrap.accountId`,
        `missing; with hcpTerraform.deployRoles, declare accountId on both the state bootstrap and environment ${env.name}, so that its deploy role is certain to be created in its own account (by the bootstrap when they are equal, from written policy files otherwise)`,
      );
    }
    const ownRoles = `${env.namePrefix}-${env.name}-`;
    if (plan.roleName.startsWith(ownRoles)) {
      problems.add(
        `${path}.roleNames.${env.name}`,
        `${show(plan.roleName)} starts with ${ownRoles}, the names of the roles environment ${env.name} manages itself; its deploy role could then rewrite its own trust and permissions. Choose a name outside ${ownRoles}*`,
      );
    }
    const accountKey = `${plan.accountId ?? "-"}/${plan.roleName}`;
    const other = claimed.get(accountKey);
    if (other !== undefined) {
      problems.add(
        `${path}.roleNames.${env.name}`,
        `${show(plan.roleName)} is also the deploy role of environment ${other} in the same account`,
      );
    }
    claimed.set(accountKey, env.name);
    if (!("name" in plan.state.workspace)) {
      warnings.push(
        `${at("state", "workspaceTags")}: the workspaces are chosen by tags, so the deploy role ${plan.roleName} trusts every workspace of organization ${plan.state.organization}${plan.state.workspace.project ? ` in project ${plan.state.workspace.project}` : ""} (sub workspace:*); name one workspace (state.workspace) to narrow it`,
      );
    }
    const deployers = env.key.deployerArns;
    if (env.accountId && deployers && !env.key.allowAccountRoot) {
      const arn = `arn:${partitionOf(env.region)}:iam::${env.accountId}:role/${plan.roleName}`;
      if (!deployers.includes(arn)) {
        warnings.push(
          `${at("key", "deployerArns")}: does not name the HCP Terraform deploy role ${arn}, and allowAccountRoot is false: runs with that role cannot manage the key; add it`,
        );
      }
    }
  }
  return settings;
}

/** The permissions of one role: inline when they fit IAM's 10,240 characters, else managed policies of up to 6,144 each. */
export function permissionParts(document: PolicyDocument): { readonly inline: boolean; readonly parts: readonly PolicyDocument[] } {
  return policyCharacters(document) <= INLINE_POLICY_MAX_CHARACTERS
    ? { inline: true, parts: [document] }
    : { inline: false, parts: managedPolicyParts(document) };
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
