import { Construct } from "constructs";
import { BaseStack } from "./base-stack";
import { StateBootstrapSettings } from "./config";
import { AwsAccount } from "./aws-account";
import { EncryptionKey } from "./encryption-key";
import { EncryptedBucket } from "./encrypted-bucket";
import { configureStateBackend } from "./state-backend";

/**
 * Creates, once, what remote state needs: the state bucket (versioned,
 * SSE-KMS under its own key, TLS-only, public access blocked, never
 * destroyed) and that key. It keeps its own state locally, since the bucket
 * it creates cannot hold the state of its own creation.
 */
export class StateBootstrapStack extends BaseStack {
  readonly stateKey: EncryptionKey;
  readonly stateBucket: EncryptedBucket;

  constructor(
    scope: Construct,
    readonly settings: StateBootstrapSettings,
  ) {
    super(scope, settings.stackName, {
      region: settings.region,
      accountId: settings.accountId,
      assumeRoleArn: settings.assumeRoleArn,
      tags: { ...settings.tags, ManagedBy: "connect-kms-encryption", Purpose: "terraform-state" },
      sessionName: settings.stackName,
    });
    configureStateBackend(this, settings.stackName, { backend: "local" });
    const account = new AwsAccount(this, "account", { region: settings.region });
    this.stateKey = new EncryptionKey(this, "state_key", {
      account,
      aliasName: settings.keyAlias,
      description: "Terraform state of the Amazon Connect encryption stacks",
    });
    this.stateBucket = new EncryptedBucket(this, "state_bucket", {
      bucketName: settings.bucket,
      encryptionKey: this.stateKey,
    });
    this.output("state_bucket_name", this.stateBucket.bucketName, "Bucket that holds every environment's state");
    this.output("state_key_arn", this.stateKey.keyArn, "KMS key ARN for the backends' kms_key_id");
    this.output("state_key_alias_arn", this.stateKey.aliasArn, "KMS alias ARN, also accepted as kms_key_id");
  }
}
