/**
 * The declaration's `stateBootstrap.hcpTerraform` option: which environments
 * get an HCP Terraform deploy role, with which name and which token subjects.
 * HashiCorp, "Dynamic provider credentials: AWS configuration"
 * (https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/aws-configuration).
 * The roles themselves are built by stacks/hcp-deploy-roles.ts.
 */
import type { EnvironmentSettings, HcpTerraformSettings } from "./declaration";
import type { CloudStateSettings } from "./state-settings";
import { partitionOf } from "./regions";
import type { StateBootstrapInput } from "./config-schema";
import { Problems, Written, show } from "./validation";

export type { HcpTerraformSettings } from "./declaration";

/** The audience HCP Terraform puts in its tokens for AWS unless TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE says otherwise (HashiCorp page above). */
export const HCP_AUDIENCE = "aws.workload.identity";
/** The run phases of HCP Terraform's tokens (HashiCorp page above: `run_phase` is `plan` or `apply`). */
export const RUN_PHASES = ["plan", "apply"] as const;
export type RunPhase = (typeof RUN_PHASES)[number];
/** What a plan role's name adds to its apply role's (IAM role names hold at most 64 characters). */
export const PLAN_ROLE_SUFFIX = "-plan";
const ROLE_NAME_MAX = 64;

/**
 * One environment's deploy roles, as planned from the declaration: HCP
 * Terraform's dynamic credentials take a role per run phase
 * (TFC_AWS_PLAN_ROLE_ARN, TFC_AWS_APPLY_ROLE_ARN; HashiCorp page above), so
 * a plan runs with a role that can only read and only an apply with the
 * deployer policy.
 */
export interface DeployRolePlan {
  readonly environment: EnvironmentSettings;
  readonly state: CloudStateSettings;
  /** The apply role: trusts the workspace's apply runs, carries the deployer policy. */
  readonly roleName: string;
  /** The plan role: trusts the workspace's plan runs, may only read. */
  readonly planRoleName: string;
  /** The environment's account; undefined when neither it nor the bootstrap declares one (then they are the same). */
  readonly accountId?: string;
  /** Created by the bootstrap stack; otherwise written as policy files for the environment's account. */
  readonly inBootstrapAccount: boolean;
  /** The `sub` values each role admits (StringLike): its run phase only. */
  readonly subjects: Readonly<Record<RunPhase, readonly string[]>>;
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
export function hcpSubjects(state: CloudStateSettings, phases: readonly RunPhase[] = RUN_PHASES): string[] {
  const project = state.workspace.project ?? "*";
  const workspace = "name" in state.workspace ? state.workspace.name : "*";
  return phases.map((phase) => `organization:${state.organization}:project:${project}:workspace:${workspace}:run_phase:${phase}`);
}

/** The ARN of a role of the environment's account (its partition from its Region). */
export function roleArnOf(environment: EnvironmentSettings, roleName: string): string | undefined {
  return environment.accountId && `arn:${partitionOf(environment.region)}:iam::${environment.accountId}:role/${roleName}`;
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
    const roleName = settings.roleNames[environment.name] ?? defaultRoleName(environment);
    plans.push({
      environment,
      state,
      roleName,
      planRoleName: `${roleName}${PLAN_ROLE_SUFFIX}`,
      accountId: environment.accountId,
      inBootstrapAccount: environment.accountId === bootstrap.accountId,
      subjects: { plan: hcpSubjects(state, ["plan"]), apply: hcpSubjects(state, ["apply"]) },
    });
  }
  return plans;
}

/**
 * Resolves `stateBootstrap.hcpTerraform` (its fields passed the schema) and
 * checks it against the environments:
 * role names of cloud environments only; each account known on both sides
 * (so that where a role goes is certain); a role name outside the
 * environment's own role names (its deployer policy may rewrite those, so the
 * deploy role could rewrite its own trust); distinct role names per account.
 */
export function resolveHcpTerraform(
  problems: Problems,
  root: string,
  raw: StateBootstrapInput["hcpTerraform"],
  bootstrap: { readonly accountId?: string },
  environments: readonly EnvironmentSettings[],
  warnings: string[],
  written: Written,
): HcpTerraformSettings | undefined {
  if (raw === undefined) return undefined;
  const path = `${root}.stateBootstrap.hcpTerraform`;
  const deployRoles = raw.deployRoles ?? false;
  const roleNames = { ...raw.roleNames };
  checkRoleNamesAreCloudEnvironments(problems, path, roleNames, environments);
  const settings: HcpTerraformSettings = { deployRoles, roleNames };
  const plans = deployRolePlans({ ...bootstrap, hcpTerraform: settings }, environments);
  if (deployRoles && plans.length === 0) {
    warnings.push(`${path}.deployRoles: no environment keeps its state in HCP Terraform (state.backend cloud); no deploy role is created`);
  }
  checkDeployRoles(problems, root, bootstrap, plans, warnings, written);
  return settings;
}

/** Only declared environments that keep their state in HCP Terraform get a deploy role, so only they may name one. */
function checkRoleNamesAreCloudEnvironments(
  problems: Problems,
  path: string,
  roleNames: Readonly<Record<string, string>>,
  environments: readonly EnvironmentSettings[],
): void {
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
}

/**
 * Without the account root in the key policy, only the deployers it names
 * may manage the key and create Connect's grants: an apply role left out of
 * key.deployerArns would fail every run. (Left unset, deployerArns is the
 * role that runs Terraform, which then is the apply role.)
 */
function checkApplyRoleIsDeployer(problems: Problems, at: (...segments: string[]) => string, plan: DeployRolePlan): void {
  const env = plan.environment;
  const deployers = env.key.deployerArns;
  const arn = roleArnOf(env, plan.roleName);
  if (!arn || !deployers || env.key.allowAccountRoot || deployers.includes(arn)) return;
  problems.add(
    at("key", "deployerArns"),
    `does not name the HCP Terraform apply role ${arn}, and allowAccountRoot is false: every run with that role would fail to manage the key; add ${arn} here (and to key.administratorArns)`,
  );
}

/**
 * Each deploy role: its account certain, its name outside the environment's
 * own roles and unique in its account; warned when it trusts workspaces by
 * tag, or when the key's deployers leave it out.
 */
function checkDeployRoles(
  problems: Problems,
  root: string,
  bootstrap: { readonly accountId?: string },
  plans: readonly DeployRolePlan[],
  warnings: string[],
  written: Written,
): void {
  const path = `${root}.stateBootstrap.hcpTerraform`;
  const claimed = new Map<string, string>();
  for (const plan of plans) {
    const env = plan.environment;
    // Where the user wrote each field: under the environment, or in the defaults.
    const at = (...segments: string[]): string => written(env.name, ...segments);
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
    if (plan.planRoleName.length > ROLE_NAME_MAX) {
      problems.add(
        `${path}.roleNames.${env.name}`,
        `${show(plan.roleName)} leaves no room for its plan role ${show(plan.planRoleName)}: IAM role names hold at most ${ROLE_NAME_MAX} characters, so the apply role's name may have ${ROLE_NAME_MAX - PLAN_ROLE_SUFFIX.length}`,
      );
    }
    for (const name of [plan.roleName, plan.planRoleName]) {
      const accountKey = `${plan.accountId ?? "-"}/${name}`;
      const other = claimed.get(accountKey);
      if (other !== undefined) {
        problems.add(`${path}.roleNames.${env.name}`, `${show(name)} is also a deploy role of environment ${other} in the same account`);
      }
      claimed.set(accountKey, env.name);
    }
    if (!("name" in plan.state.workspace)) {
      warnings.push(
        `${at("state", "workspaceTags")}: the workspaces are chosen by tags, so the deploy role ${plan.roleName} trusts every workspace of organization ${plan.state.organization}${plan.state.workspace.project ? ` in project ${plan.state.workspace.project}` : ""} (sub workspace:*); name one workspace (state.workspace) to narrow it`,
      );
    }
    checkApplyRoleIsDeployer(problems, at, plan);
  }
}
