/**
 * The disaster-recovery submodule (module/modules/replica): the replica side
 * of the stacks' BucketReplication, built through the one provider its
 * caller passes (`providers = { aws = aws.dr }`), from the main module's
 * `replica_settings` output. Its `replication` output is what the main
 * module's `replication` input takes, so that adding a copy later is adding
 * this block, and the main module's call stays provider-free.
 */
import { App, Fn, IResolvable, Op, TerraformOutput, TerraformVariable, Token, ref } from "cdktf";
import { BaseStack } from "../stacks/base-stack";
import { AwsAccount } from "../constructs/aws-account";
import { ReplicaSite, buildReplicaSite } from "../constructs/bucket-replication";
import { CONNECT_CONTENTS, replicaSiteNames } from "../constructs/connect-encryption";
import { POLICY_DOCUMENTS_CONTEXT } from "../constructs/policy-document";
import { KMS_ALIAS_MAX } from "../config/name-checks";
import { allowedText, schemaField, variableValidations } from "./module-variables";

/** Where the submodule is committed, relative to the repository root. */
export const REPLICA_MODULE_DIRECTORY = "module/modules/replica";

/** The main module's `replica_settings` output, as the submodule's `primary` input takes it. */
export const REPLICA_SETTINGS_TYPE =
  "object({ name = string, key_alias = string, account_id = string, object_lock = object({ mode = string, days = number, years = number }), unlocked_copy = bool, key_administrators = list(string), key_read_only = list(string), key_readers = list(string), tags = map(string) })";

/** The submodule's `replication` output, as the main module's `replication` input takes it. */
export const REPLICATION_DESTINATION_TYPE =
  "object({ region = string, key_arn = string, bucket_arn = string, bucket_id = string, log_bucket_arn = string, unlocked_bucket_arn = optional(string), unlocked_bucket_id = optional(string), role_arn = string, role_name = string })";

export class ReplicaModule extends BaseStack {
  readonly site: ReplicaSite;

  constructor(scope: App, name = "connect-kms-encryption-replica") {
    super(scope, name);
    this.node.setContext(POLICY_DOCUMENTS_CONTEXT, true);
    new TerraformVariable(this, "primary", {
      type: REPLICA_SETTINGS_TYPE,
      description:
        "The main module's replica_settings output (module.<name>.replica_settings): names, the key's roles, Object Lock and tags, mirrored here so that the copy matches its source.",
      nullable: false,
      validation: [
        {
          // The main module checks key_alias and its -alerts alias; the -dr alias is made here (config: name-checks.ts).
          condition: `\${length("\${var.primary.key_alias}-dr") <= ${KMS_ALIAS_MAX}}`,
          errorMessage: `primary.key_alias: makes the disaster-recovery key's alias longer than KMS's ${KMS_ALIAS_MAX} characters; shorten the main module's key_alias.`,
        },
      ],
    });
    const bucketName = new TerraformVariable(this, "bucket_name", {
      type: "string",
      description: `Name of the disaster-recovery bucket (default: <name>-dr-<account>); allowed: ${allowedText(schemaField("bucket", "replication", "bucketName"))}.`,
      default: Token.nullValue(),
    });
    for (const validation of variableValidations("bucket_name", schemaField("bucket", "replication", "bucketName"), { optional: true }))
      bucketName.addValidation(validation);
    const setting = (attribute: string): string => Token.asString(ref(`var.primary.${attribute}`));
    const list = (attribute: string): string[] => Token.asList(ref(`var.primary.${attribute}`));
    const account = new AwsAccount(this, "account");
    const names = replicaSiteNames(setting("name"), account.accountId, setting("key_alias"));
    this.site = buildReplicaSite(this, {
      contents: CONNECT_CONTENTS,
      sourceAccountId: setting("account_id"),
      replicaAccount: account,
      replicaBucketName: Fn.coalesce([bucketName.stringValue, names.bucketName]),
      replicaLogBucketName: names.logBucketName,
      replicaKeyAlias: names.keyAlias,
      namePrefix: setting("name"),
      objectLock: {
        // try(): the attributes of a null object_lock read as null where the bucket leaves them unused.
        mode: Token.asString(ref("try(var.primary.object_lock.mode, null)")) as "COMPLIANCE",
        days: Token.asNumber(ref("try(var.primary.object_lock.days, null)")),
        years: Token.asNumber(ref("try(var.primary.object_lock.years, null)")),
        enabled: Op.neq(ref("var.primary.object_lock"), Token.nullValue()) as IResolvable,
      },
      unlockedCopy: { enabled: ref("var.primary.unlocked_copy") as IResolvable, bucketName: names.unlockedBucketName },
      keyAdministratorArns: list("key_administrators"),
      keyReadOnlyArns: list("key_read_only"),
      keyReaderArns: list("key_readers"),
      tags: Token.asStringMap(ref("var.primary.tags")),
    });
    this.addOutputs(account);
  }

  /** `replication` for the main module, and each part by what it is; all wait until the copy can receive objects. */
  private addOutputs(account: AwsAccount): void {
    const site = this.site;
    const dependsOn = [...site.readiness];
    const output = (id: string, value: unknown, description: string) => new TerraformOutput(this, id, { value, description, dependsOn });
    output(
      "replication",
      {
        region: account.region,
        key_arn: site.keyArn,
        bucket_arn: site.bucketArn,
        bucket_id: site.bucketName,
        log_bucket_arn: site.logBucketArn,
        unlocked_bucket_arn: site.unlockedBucket?.arn,
        unlocked_bucket_id: site.unlockedBucket?.name,
        role_arn: site.roleArn,
        role_name: site.roleName,
      },
      "The copy as the main module's replication input takes it: replication = module.<this>.replication.",
    );
    output("key_arn", site.keyArn, "ARN of the disaster-recovery key");
    output("key_alias_arn", site.replicaKey.aliasArn, "ARN of the disaster-recovery key's alias");
    output("bucket_id", site.bucketName, "Name of the disaster-recovery copy of the recordings bucket");
    output("log_bucket_id", site.replicaLogBucket.bucketName, "Name of the bucket that receives the copy's server access logs");
    output("unlocked_bucket_id", site.unlockedBucket?.name ?? null, "Name of the copy of the bucket without Object Lock (null: none)");
    output("replication_role_arn", site.roleArn, "ARN of the role S3 assumes to copy the objects");
  }
}
