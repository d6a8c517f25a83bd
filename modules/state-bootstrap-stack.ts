import { Construct } from "constructs";
import { BaseStack } from "./base-stack";
import { StateBootstrapSettings, stateCompanionBuckets } from "./config";
import { AwsAccount } from "./aws-account";
import { EncryptionKey } from "./encryption-key";
import { EncryptedBucket } from "./encrypted-bucket";
import { AccessLogBucket } from "./access-log-bucket";
import { BucketReplication } from "./bucket-replication";
import { configureStateBackend } from "./state-backend";
import { suppress } from "./guardrails/suppressions";
import { BUCKET_REPLICATED } from "./guardrails/rules";

/**
 * Creates, once, what remote state needs: the state bucket (versioned,
 * SSE-KMS under its own key, TLS-only, public access blocked, never
 * destroyed, its access logged) and that key, and optionally a copy of both
 * bucket and logs in another Region. It keeps its own state locally, since
 * the bucket it creates cannot hold the state of its own creation.
 */
export class StateBootstrapStack extends BaseStack {
  readonly stateKey: EncryptionKey;
  readonly stateBucket: EncryptedBucket;
  readonly accessLogBucket: AccessLogBucket;
  readonly replication?: BucketReplication;

  constructor(
    scope: Construct,
    readonly settings: StateBootstrapSettings,
  ) {
    const tags = { ...settings.tags, ManagedBy: "connect-kms-encryption", Purpose: "terraform-state" };
    const target = { accountId: settings.accountId, assumeRoleArn: settings.assumeRoleArn, tags, sessionName: settings.stackName };
    super(scope, settings.stackName, { ...target, region: settings.region });
    configureStateBackend(this, settings.stackName, { backend: "local" });
    if (!settings.replicaRegion) {
      suppress(
        this,
        BUCKET_REPLICATED.id,
        "stateBootstrap.replicaRegion is not declared: the state bucket and its access logs are not copied to another Region (declare replicaRegion to copy them).",
      );
    }
    const account = new AwsAccount(this, "account", { region: settings.region });
    const companions = stateCompanionBuckets(settings.bucket);
    this.stateKey = new EncryptionKey(this, "state_key", {
      account,
      aliasName: settings.keyAlias,
      description: "Terraform state of the Amazon Connect encryption stacks",
    });
    // Who read or wrote which environment's state, and when (PCI DSS 10.2).
    this.accessLogBucket = new AccessLogBucket(this, "state_access_logs", {
      bucketName: companions.logs,
      accountId: account.accountId,
    });
    this.stateBucket = new EncryptedBucket(this, "state_bucket", {
      bucketName: settings.bucket,
      encryptionKey: this.stateKey,
      accessLogs: { target: this.accessLogBucket, prefix: "state/" },
    });

    if (settings.replicaRegion) {
      const provider = this.addProvider("dr", { ...target, region: settings.replicaRegion });
      this.replication = new BucketReplication(this, "state_replica", {
        source: this.stateBucket,
        contents: "the Terraform state of the Amazon Connect encryption stacks",
        policySuffix: "state",
        sourceKey: this.stateKey,
        sourceAccount: account,
        sourceLogBucket: this.accessLogBucket,
        replicaProvider: provider,
        replicaAccount: new AwsAccount(this, "replica_account", { region: settings.replicaRegion, provider }),
        replicaBucketName: companions.replica,
        replicaLogBucketName: companions.replicaLogs,
        replicaKeyAlias: `${settings.keyAlias}-dr`,
        namePrefix: settings.stackName,
      });
      this.output("state_replica_bucket_name", this.replication.replicaBucket.bucketName, "Disaster-recovery copy of the state");
    }
    this.output("state_bucket_name", this.stateBucket.bucketName, "Bucket that holds every environment's state");
    this.output("state_key_arn", this.stateKey.keyArn, "KMS key ARN for the backends' kms_key_id");
    this.output("state_key_alias_arn", this.stateKey.aliasArn, "KMS alias ARN, also accepted as kms_key_id");
  }
}
