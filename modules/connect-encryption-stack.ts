import { Construct, Node } from "constructs";
import { LocalBackend, TerraformElement, TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EnvironmentSettings } from "./config";
import { AwsAccount } from "./aws-account";
import { EncryptionKey } from "./encryption-key";
import { RecordingsBucket } from "./recordings-bucket";
import { ConnectInstance } from "./connect-instance";
import { InstanceStorage } from "./instance-storage";

/**
 * Provider versions the synthesized configuration admits. The bindings are
 * generated from 6.x, but only arguments that 5.100 also knows are used, so
 * teams still on 5.100 can apply it (and it is validated against 5.100 here).
 */
export const AWS_PROVIDER_CONSTRAINT = ">= 5.100.0, < 7.0.0";
/** S3-native state locking (`use_lockfile`) needs 1.10. */
export const TERRAFORM_VERSION_CONSTRAINT = ">= 1.10.0";

/**
 * One environment: the key, the recordings bucket, the Connect instance and
 * its encrypted storage associations, with a local state file by default.
 */
export class ConnectEncryptionStack extends TerraformStack {
  readonly account: AwsAccount;
  readonly encryptionKey: EncryptionKey;
  readonly recordings: RecordingsBucket;
  readonly instance: ConnectInstance;
  readonly storage: InstanceStorage;
  private readonly logicalIds = new Map<string, string>();

  constructor(scope: Construct, readonly settings: EnvironmentSettings) {
    super(scope, settings.stackName);
    this.addOverride("terraform.required_providers.aws", { source: "hashicorp/aws", version: AWS_PROVIDER_CONSTRAINT });
    this.addOverride("terraform.required_version", TERRAFORM_VERSION_CONSTRAINT);

    new AwsProvider(this, "aws", {
      region: settings.region,
      defaultTags: [{ tags: { ...settings.tags, Environment: settings.name, ManagedBy: "connect-kms-encryption" } }],
    });
    // Relative to the stack's directory (cdktf.out/stacks/<stack>): the state
    // file sits at the project root, outside what synth rewrites, and no
    // machine path ends up in the output.
    new LocalBackend(this, { path: `../../../terraform.${settings.stackName}.tfstate` });

    this.account = new AwsAccount(this, "account");

    this.encryptionKey = new EncryptionKey(this, "key", {
      account: this.account,
      aliasName: settings.key.aliasName,
      description: settings.key.description,
      rotationPeriodInDays: settings.key.rotationPeriodInDays,
      deletionWindowInDays: settings.key.deletionWindowInDays,
      administratorArns: settings.key.administratorArns,
      userArns: settings.key.userArns,
      deployerArns: settings.key.deployerArns,
    });

    this.recordings = new RecordingsBucket(this, "recordings", {
      bucketName:
        settings.bucket.name ??
        `${settings.namePrefix}-${settings.name}-${this.account.accountId}-${settings.region}`,
      encryptionKey: this.encryptionKey,
    });

    const instance = settings.instance;
    this.instance = new ConnectInstance(this, "connect", instance.kind === "create" ? { create: instance } : { adoptInstanceId: instance.instanceId });

    this.storage = new InstanceStorage(this, "storage", {
      instanceId: this.instance.instanceId,
      keyArn: this.encryptionKey.keyArn,
      dependsOn: this.recordings.readiness,
    });
    for (const { type, prefix } of settings.s3Storage) {
      this.storage.addS3(type, this.recordings.bucketName, prefix);
    }

    this.addOutputs();
  }

  private addOutputs(): void {
    const output = (id: string, value: unknown, description: string): void => {
      new TerraformOutput(this, id, { value, description });
    };
    output("key_arn", this.encryptionKey.keyArn, "ARN of the customer-managed KMS key that encrypts all Connect content");
    output("key_id", this.encryptionKey.keyId, "ID of the customer-managed KMS key");
    output("key_alias", this.encryptionKey.aliasName, "Alias of the KMS key");
    output("s3_bucket_id", this.recordings.bucketName, "Name of the recordings bucket");
    output("s3_bucket_arn", this.recordings.bucketArn, "ARN of the recordings bucket");
    output("connect_instance_id", this.instance.instanceId, "ID of the Amazon Connect instance");
    output("connect_instance_arn", this.instance.instanceArn, "ARN of the Amazon Connect instance");
    output("connect_service_role_arn", this.instance.serviceRoleArn, "ARN of the instance's service-linked role (the grantee of Connect's KMS grants)");
    const associations: Record<string, string> = {};
    for (const [type, association] of this.storage.associations) associations[type] = association.associationId;
    output("storage_association_ids", associations, "Association ID per Connect storage resource type");
  }

  /**
   * Terraform addresses follow the construct path in snake_case, without
   * cdktf's hash suffix (a construct's main resource is called `Resource` and
   * takes its parent's name): `aws_kms_key.key`, `aws_s3_bucket.recordings`,
   * `aws_s3_bucket_policy.recordings_policy`. Readable in plans and for
   * `terraform state` commands, and stable while the construct tree is.
   */
  protected override allocateLogicalId(element: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(element) ? element.node : element;
    const scopes = node.scopes;
    const path = scopes
      .slice(scopes.indexOf(this) + 1)
      .map((scope) => scope.node.id)
      .filter((id) => id !== "Resource");
    const logicalId = path.join("_").replace(/[^A-Za-z0-9_]+/g, "_").toLowerCase();
    // Outputs have a namespace of their own; everything else shares one here.
    const claim = TerraformOutput.isTerraformOutput(element) ? `output.${logicalId}` : logicalId;
    const owner = this.logicalIds.get(claim);
    if (owner !== undefined && owner !== node.path) {
      throw new Error(`Terraform name ${logicalId} is claimed by both ${owner} and ${node.path}; rename one construct`);
    }
    this.logicalIds.set(claim, node.path);
    return logicalId;
  }
}
