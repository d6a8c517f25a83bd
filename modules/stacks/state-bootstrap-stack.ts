import { tmpdir } from "node:os";
import { Construct } from "constructs";
import { App } from "cdktf";
import { ConnectEncryptionStack } from "./connect-encryption-stack";
import { AwsTarget, BaseStack } from "./base-stack";
import { StateBootstrapSettings, stateCompanionBuckets } from "../config/config";
import { AwsAccount } from "../constructs/aws-account";
import { EncryptionKey } from "../constructs/encryption-key";
import { EncryptedBucket } from "../constructs/encrypted-bucket";
import { AccessLogBucket } from "../constructs/access-log-bucket";
import { BucketReplication } from "../constructs/bucket-replication";
import { configureStateBackend } from "./state-backend";
import { suppress } from "../guardrails/suppressions";
import { BUCKET_REPLICATED } from "../guardrails/rules";
import type { EnvironmentSettings } from "../config/config";
import { TerraformJson, deployerPolicy, deployerTargetOf } from "./deployer-policy";
import { partitionOf } from "../config/regions";
import { DeployRoleSource, HcpDeployRoles, deployRolePlans, writeOtherAccountRoles } from "./hcp-deploy-roles";
import { planRolePolicy } from "./plan-role-policy";

/** An environment's synthesized Terraform JSON, from which its deploy role's permissions are generated. */
export interface EnvironmentTerraform {
  readonly settings: EnvironmentSettings;
  readonly terraform: TerraformJson;
}

/**
 * The Terraform JSON of the environments whose deploy roles `settings` asks
 * for (none without `hcpTerraform.deployRoles`): taken from the stacks in
 * `built` (rendered once, BaseStack memoizes it, so synthesis writes the same
 * JSON), and for environments not being synthesized (`npm run synth -- state`)
 * built in a scratch App that is never synthesized, so nothing of theirs is
 * written.
 */
export function deployRoleSources(
  settings: StateBootstrapSettings,
  environments: readonly EnvironmentSettings[],
  built: readonly ConnectEncryptionStack[] = [],
): EnvironmentTerraform[] {
  const plans = deployRolePlans(settings, environments);
  if (plans.length === 0) return [];
  let scratch: App | undefined;
  return plans.map(({ environment }) => {
    const stack =
      built.find((s) => s.settings.name === environment.name) ??
      new ConnectEncryptionStack((scratch ??= new App({ outdir: tmpdir(), skipValidation: true })), environment);
    // Through JSON, as the file synthesis writes is read (no undefined fields, no class instances).
    return { settings: environment, terraform: JSON.parse(JSON.stringify(stack.toTerraform())) };
  });
}

function terraformFor(terraformOf: ReadonlyMap<string, TerraformJson>, environment: string): TerraformJson {
  const terraform = terraformOf.get(environment);
  if (!terraform) {
    throw new Error(
      `The state bootstrap creates the HCP Terraform deploy role of environment ${environment} and needs its synthesized JSON: pass deployRoleSources(...) as its environments (see modules/synthesis.ts)`,
    );
  }
  return terraform;
}

/**
 * Creates, once, what remote state needs: the state bucket (versioned,
 * SSE-KMS under its own key, TLS-only, public access blocked, never
 * destroyed, its access logged) and that key, and optionally a copy of both
 * bucket and logs in another Region. It keeps its own state locally, since
 * the bucket it creates cannot hold the state of its own creation.
 *
 * With `hcpTerraform.deployRoles`, it also creates the HCP Terraform OIDC
 * provider and the deploy roles of the `cloud` environments in its account,
 * with the generated deployer policy of each: `environments` then carries
 * their synthesized JSON (synthesis builds the environment stacks first), and
 * the roles of environments in other accounts are written as policy files
 * (hcp-deploy-roles.ts).
 */
export class StateBootstrapStack extends BaseStack {
  /** The state key, bucket and access logs: absent when the bootstrap holds the HCP Terraform roles alone. */
  stateKey?: EncryptionKey;
  stateBucket?: EncryptedBucket;
  accessLogBucket?: AccessLogBucket;
  replication?: BucketReplication;
  readonly hcpDeployRoles?: HcpDeployRoles;

  constructor(
    scope: Construct,
    readonly settings: StateBootstrapSettings,
    environments: readonly EnvironmentTerraform[] = [],
  ) {
    const tags = { ...settings.tags, ManagedBy: "connect-kms-encryption", Purpose: "terraform-state" };
    const target = { accountId: settings.accountId, assumeRoleArn: settings.assumeRoleArn, tags, sessionName: settings.stackName };
    super(scope, settings.stackName, { ...target, region: settings.region });
    configureStateBackend(this, settings.stackName, { backend: "local" });
    if (!settings.replicaRegion && settings.bucket) {
      suppress(
        this,
        BUCKET_REPLICATED.id,
        "stateBootstrap.replicaRegion is not declared: the state bucket and its access logs are not copied to another Region (declare replicaRegion to copy them).",
      );
    }
    // Without a state bucket (state in HCP Terraform only), the stack holds the deploy roles alone.
    if (settings.bucket) this.addStateStore(settings, settings.bucket, target);
    this.hcpDeployRoles = this.addDeployRoles(settings, environments);
  }

  /** The state key, the state bucket and its access logs, and their disaster-recovery copy when declared. */
  private addStateStore(settings: StateBootstrapSettings, bucket: string, target: Omit<AwsTarget, "region">): void {
    const account = new AwsAccount(this, "account", { region: settings.region });
    const companions = stateCompanionBuckets(bucket);
    const stateKey = (this.stateKey = new EncryptionKey(this, "state_key", {
      account,
      aliasName: settings.keyAlias,
      description: "Terraform state of the Amazon Connect encryption stacks",
    }));
    // Who read or wrote which environment's state, and when (PCI DSS 10.2).
    const accessLogBucket = (this.accessLogBucket = new AccessLogBucket(this, "state_access_logs", {
      bucketName: companions.logs,
      accountId: account.accountId,
    }));
    const stateBucket = (this.stateBucket = new EncryptedBucket(this, "state_bucket", {
      bucketName: bucket,
      encryptionKey: stateKey,
      accessLogs: { target: accessLogBucket, prefix: "state/" },
    }));
    if (settings.replicaRegion) {
      const provider = this.addProvider("dr", { ...target, region: settings.replicaRegion });
      this.replication = new BucketReplication(this, "state_replica", {
        source: stateBucket,
        policySuffix: "state",
        sourceKey: stateKey,
        sourceAccount: account,
        sourceLogBucket: accessLogBucket,
        replica: {
          contents: "the Terraform state of the Amazon Connect encryption stacks",
          sourceAccountId: account.accountId,
          replicaProvider: provider,
          replicaAccount: new AwsAccount(this, "replica_account", { region: settings.replicaRegion, provider }),
          replicaBucketName: companions.replica,
          replicaLogBucketName: companions.replicaLogs,
          replicaKeyAlias: `${settings.keyAlias}-dr`,
          namePrefix: settings.stackName,
        },
      });
      this.output("state_replica_bucket_name", this.replication.destination.bucketName, "Disaster-recovery copy of the state");
    }
    this.output("state_bucket_name", stateBucket.bucketName, "Bucket that holds every environment's state");
    this.output("state_key_arn", stateKey.keyArn, "KMS key ARN for the backends' kms_key_id");
    this.output("state_key_alias_arn", stateKey.aliasArn, "KMS alias ARN, also accepted as kms_key_id");
  }
  /**
   * The deploy roles of the cloud environments: those in this account as
   * resources here, the others as policy files for their own accounts.
   */
  private addDeployRoles(settings: StateBootstrapSettings, environments: readonly EnvironmentTerraform[]): HcpDeployRoles | undefined {
    const plans = deployRolePlans(
      settings,
      environments.map((e) => e.settings),
    );
    if (plans.length === 0) return undefined;
    const terraformOf = new Map(environments.map((e) => [e.settings.name, e.terraform]));
    const roles = plans.map((plan): DeployRoleSource => {
      const terraform = terraformFor(terraformOf, plan.environment.name);
      // The same document synthesis writes beside the environment's stack (deployer-iam-policy.json).
      const permissions = deployerPolicy(terraform, deployerTargetOf(plan.environment));
      return { plan, permissions, planPermissions: planRolePolicy(terraform, permissions) };
    });
    const here = roles.filter((r) => r.plan.inBootstrapAccount);
    let deployRoles: HcpDeployRoles | undefined;
    if (here.length > 0) {
      deployRoles = new HcpDeployRoles(this, "hcp_terraform", { roles: here });
      this.output(
        "hcp_terraform_deploy_role_arns",
        Object.fromEntries([...deployRoles.roles].map(([env, role]) => [env, role.arn])),
        "Apply role per environment: TFC_AWS_APPLY_ROLE_ARN of its workspace",
      );
      this.output(
        "hcp_terraform_plan_role_arns",
        Object.fromEntries([...deployRoles.planRoles].map(([env, role]) => [env, role.arn])),
        "Plan role per environment (reads only): TFC_AWS_PLAN_ROLE_ARN of its workspace",
      );
    }
    writeOtherAccountRoles(
      this,
      partitionOf(settings.region),
      roles.filter((r) => !r.plan.inBootstrapAccount),
    );
    return deployRoles;
  }
}
