/** The module's disaster-recovery inputs: the replica module's output, and how the copies are made. */
import { IResolvable, Op, Token, ref } from "cdktf";
import { ConnectEncryptionProps } from "../constructs/connect-encryption";
import { REPLICATION_DESTINATION_TYPE } from "./replica-module";
import { fieldRules, schemaField, variableValidations } from "./module-variables";
import { ModuleInputs } from "./module-inputs";

/** An IAM role ARN, for the replication input's role (the replica module's output). */
const ROLE_ARN = "^arn:[a-z-]+:iam::[0-9]{12}:role/";

/**
 * The disaster-recovery copy: the replica side is the caller's
 * module/modules/replica (through the provider of the replica Region), handed
 * in as `replication`; the source side (the replication role's policy, the
 * replication configurations and the source key's statement) is here.
 */
export function replicationInputs(inputs: ModuleInputs): NonNullable<ConnectEncryptionProps["replication"]> {
  const replication = inputs.input("replication", {
    type: REPLICATION_DESTINATION_TYPE,
    description:
      "A disaster-recovery copy of the recordings bucket (and its access logs, and the bucket without Object Lock) in another Region: the replication output of module/modules/replica, called with this module's replica_settings and a provider for that Region. null: no copy.",
    default: null,
    validation: [
      {
        condition: `\${var.replication == null ? true : can(regex("${ROLE_ARN}", var.replication.role_arn))}`,
        errorMessage:
          "replication: ${jsonencode(try(var.replication.role_arn, null))} is not an IAM role ARN; pass module.<replica>.replication, the output of module/modules/replica.",
      },
    ],
  });
  const deleteMarkers = inputs.input("replication_delete_markers", {
    type: "bool",
    description: "Replicate delete markers: a deletion in the source then hides the copy too (default: the copy survives deletions).",
    default: false,
    nullable: false,
  });
  const storageClassField = schemaField("bucket", "replication", "storageClass");
  const storageClass = inputs.input("replication_storage_class", {
    type: "string",
    description: `Storage class of the copies: ${(fieldRules(storageClassField).options ?? []).join(", ")}.`,
    default: "STANDARD",
    nullable: false,
    validation: variableValidations("replication_storage_class", storageClassField),
  });
  // try(): read only where replication is set (every part that reads it exists only then).
  const given = (attribute: string): string => Token.asString(ref(`try(var.replication.${attribute}, null)`));
  return {
    site: {
      keyArn: given("key_arn"),
      bucketArn: given("bucket_arn"),
      bucketName: given("bucket_id"),
      logBucketArn: given("log_bucket_arn"),
      unlockedBucket: { arn: given("unlocked_bucket_arn"), name: given("unlocked_bucket_id") },
      roleArn: given("role_arn"),
      roleName: given("role_name"),
      s3ViaService: `s3.${given("region")}.amazonaws.com`,
      readiness: [],
    },
    deleteMarkerReplication: deleteMarkers.booleanValue as unknown as IResolvable,
    storageClass: storageClass.stringValue,
    enabled: Op.neq(replication.value, Token.nullValue()) as IResolvable,
  };
}
