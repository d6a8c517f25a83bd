/**
 * KMS (internal/service/kms/) and IAM (internal/service/iam/). IAM actions
 * from the Service Authorization Reference for AWS KMS
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html)
 * and for IAM (.../list_awsidentityandaccessmanagementiam.html). Tags sent
 * with a create call need the tagging action too: KMS developer guide,
 * "Controlling access to tags" (https://docs.aws.amazon.com/kms/latest/developerguide/tag-permissions.html),
 * IAM user guide, "Permissions required to tag IAM resources"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags_permissions.html).
 */
import type { Context } from "../iam-engine";
import { ResourceCalls, ResourceView, call, isSet } from "./types";

const kmsArn = (r: ResourceView, resource: string) => `arn:${r.partition}:kms:${r.region}:${r.account}:${resource}`;
const iamArn = (r: ResourceView, resource: string) => `arn:${r.partition}:iam::${r.account}:${resource}`;

/** A key given by ID or ARN (a stack's keys resolve to their fixture IDs). */
export function keyArnOf(r: ResourceView, value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  return value.startsWith("arn:") ? value : kmsArn(r, `key/${value}`);
}

const tagged = (r: ResourceView) => r.tagged;
const has = (path: string) => (r: ResourceView) => isSet(r.get(path));
const rotating = (r: ResourceView) => r.get("enable_key_rotation") === true;
/** A role named by name or by ARN. */
const roleArnOf = (r: ResourceView, value: unknown): string | undefined =>
  typeof value !== "string" ? undefined : value.startsWith("arn:") ? value : iamArn(r, `role/${value}`);

/** What KMS sees of a CreateGrant (condition keys kms:GranteePrincipal, kms:GrantOperations, kms:GrantConstraintType, kms:GrantIsForAWSResource). */
function grantContext(r: ResourceView): Context {
  const constraints = [r.get("constraints") ?? []].flat()[0] as Record<string, unknown> | undefined;
  return {
    "kms:GranteePrincipal": String(r.get("grantee_principal")),
    "kms:GrantOperations": [r.get("operations") ?? []].flat().map(String),
    "kms:GrantIsForAWSResource": "false",
    "kms:CallerAccount": r.account,
    ...(constraints?.encryption_context_subset ? { "kms:GrantConstraintType": "EncryptionContextSubset" } : {}),
    ...(constraints?.encryption_context_equals ? { "kms:GrantConstraintType": "EncryptionContextEquals" } : {}),
  };
}

/** iam:PolicyARN of an attachment (IAM user guide, "IAM condition context keys"). */
const policyArn = (r: ResourceView): Context => ({ "iam:PolicyARN": String(r.get("policy_arn")) });

export const KMS_IAM_CALLS: Readonly<Record<string, ResourceCalls>> = {
  aws_kms_key: {
    file: "internal/service/kms/key.go",
    service: "kms",
    arns: (r) => ({ key: r.arn }),
    calls: [
      call("create", "CreateKey", "resourceKeyCreate"),
      call("create", "CreateKey", "resourceKeyCreate (Tags)", { actions: ["kms:TagResource"], when: tagged, identityOnly: true }),
      call("create", "EnableKeyRotation", "updateKeyRotationEnabled", { when: rotating }),
      call("create", "GetKeyRotationStatus", "waitKeyRotationEnabledPropagated", { when: rotating }),
      call("create", "GetKeyPolicy", "waitKeyPolicyPropagated", { when: has("policy") }),
      call("create", "ListResourceTags", "waitTagsPropagated", { when: tagged }),
      call("read", "DescribeKey", "findKeyInfo -> findKeyByID"),
      call("read", "GetKeyPolicy", "findKeyInfo -> findKeyPolicyByTwoPartKey"),
      call("read", "GetKeyRotationStatus", "findKeyInfo -> findKeyRotationEnabledByKeyID"),
      call("read", "ListResourceTags", "findKeyInfo -> listTags"),
      call("update", "UpdateKeyDescription", "updateKeyDescription", { when: has("description") }),
      call("update", "PutKeyPolicy", "updateKeyPolicy", { when: has("policy") }),
      call("update", "EnableKeyRotation", "updateKeyRotationEnabled (rotation_period_in_days)", { when: rotating }),
      call("update", "TagResource", "updateTags (tagging interceptor)"),
      call("update", "UntagResource", "updateTags (tagging interceptor)"),
      call("delete", "ScheduleKeyDeletion", "resourceKeyDelete"),
      call("delete", "DescribeKey", "waitKeyDeleted"),
    ],
  },
  aws_kms_alias: {
    file: "internal/service/kms/alias.go",
    service: "kms",
    arns: (r) => ({ alias: kmsArn(r, String(r.get("name"))), key: keyArnOf(r, r.get("target_key_id")) }),
    calls: [
      call("create", "CreateAlias", "resourceAliasCreate"),
      call("read", "ListAliases", "resourceAliasRead -> findAliasByName"),
      call("update", "UpdateAlias", "resourceAliasUpdate"),
      call("delete", "DeleteAlias", "resourceAliasDelete"),
    ],
  },
  aws_kms_grant: {
    file: "internal/service/kms/grant.go",
    service: "kms",
    arns: (r) => ({ key: keyArnOf(r, r.get("key_id")) }),
    calls: [
      call("create", "CreateGrant", "resourceGrantCreate", { context: grantContext }),
      call("read", "ListGrants", "findGrantByTwoPartKeyWithRetry"),
      call("delete", "RetireGrant", "resourceGrantDelete (retire_on_delete)", { when: (r) => r.get("retire_on_delete") === true }),
      call("delete", "RevokeGrant", "resourceGrantDelete", { when: (r) => r.get("retire_on_delete") !== true }),
      call("delete", "ListGrants", "resourceGrantDelete -> RetryUntilNotFound"),
    ],
  },
  aws_iam_role: {
    file: "internal/service/iam/role.go",
    service: "iam",
    arns: (r) => ({ role: r.arn }),
    calls: [
      call("create", "CreateRole", "retryCreateRole"),
      call("create", "CreateRole", "retryCreateRole (Tags)", { actions: ["iam:TagRole"], when: tagged }),
      call("read", "GetRole", "resourceRoleRead -> findRoleByName"),
      call("read", "ListRolePolicies", "readRoleInlinePolicies -> findRolePolicyNames"),
      call("read", "GetRolePolicy", "readRoleInlinePolicies"),
      call("read", "ListAttachedRolePolicies", "findRoleAttachedPolicies"),
      call("update", "UpdateAssumeRolePolicy", "resourceRoleUpdate"),
      call("update", "UpdateRoleDescription", "resourceRoleUpdate", { when: has("description") }),
      call("update", "UpdateRole", "resourceRoleUpdate (max_session_duration)", { when: has("max_session_duration") }),
      call("update", "TagRole", "roleUpdateTags (tagging interceptor)"),
      call("update", "UntagRole", "roleUpdateTags (tagging interceptor)"),
      call("delete", "ListInstanceProfilesForRole", "deleteRole -> deleteRoleInstanceProfiles"),
      call("delete", "DeleteRole", "deleteRole"),
    ],
  },
  aws_iam_role_policy: {
    file: "internal/service/iam/role_policy.go",
    service: "iam",
    arns: (r) => ({ role: roleArnOf(r, r.get("role")) }),
    calls: [
      call("create", "PutRolePolicy", "resourceRolePolicyPut"),
      call("create", "GetRolePolicy", "resourceRolePolicyPut -> RetryWhenNotFound"),
      call("read", "GetRolePolicy", "resourceRolePolicyRead -> findRolePolicyByTwoPartKey"),
      call("update", "PutRolePolicy", "resourceRolePolicyPut"),
      call("delete", "DeleteRolePolicy", "resourceRolePolicyDelete"),
    ],
  },
  aws_iam_role_policy_attachment: {
    file: "internal/service/iam/role_policy_attachment.go",
    service: "iam",
    arns: (r) => ({ role: roleArnOf(r, r.get("role")) }),
    calls: [
      call("create", "AttachRolePolicy", "attachPolicyToRole", { context: policyArn }),
      call("read", "ListAttachedRolePolicies", "findAttachedRolePolicyByTwoPartKey"),
      call("delete", "DetachRolePolicy", "detachPolicyFromRole", { context: policyArn }),
    ],
  },
  aws_iam_policy: {
    file: "internal/service/iam/policy.go",
    service: "iam",
    arns: (r) => ({ policy: iamArn(r, `policy/${String(r.get("name"))}`) }),
    calls: [
      call("create", "CreatePolicy", "resourcePolicyCreate"),
      call("create", "CreatePolicy", "resourcePolicyCreate (Tags)", { actions: ["iam:TagPolicy"], when: tagged }),
      call("read", "GetPolicy", "findPolicyByARN"),
      call("read", "GetPolicyVersion", "findPolicyVersionByTwoPartKey"),
      call("update", "ListPolicyVersions", "policyPruneVersions -> findPolicyVersionsByARN"),
      call("update", "DeletePolicyVersion", "policyPruneVersions -> policyDeleteVersion"),
      call("update", "CreatePolicyVersion", "resourcePolicyUpdate"),
      call("update", "TagPolicy", "policyUpdateTags (tagging interceptor)"),
      call("update", "UntagPolicy", "policyUpdateTags (tagging interceptor)"),
      call("delete", "ListPolicyVersions", "resourcePolicyDelete -> findPolicyVersionsByARN"),
      call("delete", "DeletePolicyVersion", "resourcePolicyDelete -> policyDeleteVersion"),
      call("delete", "DeletePolicy", "resourcePolicyDelete"),
    ],
  },
  aws_iam_openid_connect_provider: {
    file: "internal/service/iam/openid_connect_provider.go",
    service: "iam",
    arns: (r) => ({ "oidc-provider": iamArn(r, `oidc-provider/${String(r.get("url")).replace(/^https:\/\//, "")}`) }),
    calls: [
      call("create", "CreateOpenIDConnectProvider", "resourceOpenIDConnectProviderCreate"),
      call("create", "CreateOpenIDConnectProvider", "resourceOpenIDConnectProviderCreate (Tags)", {
        actions: ["iam:TagOpenIDConnectProvider"],
        when: tagged,
      }),
      call("read", "GetOpenIDConnectProvider", "findOpenIDConnectProviderByARN"),
      call("update", "AddClientIDToOpenIDConnectProvider", "resourceOpenIDConnectProviderUpdate"),
      call("update", "RemoveClientIDFromOpenIDConnectProvider", "resourceOpenIDConnectProviderUpdate"),
      call("update", "UpdateOpenIDConnectProviderThumbprint", "resourceOpenIDConnectProviderUpdate", { when: has("thumbprint_list") }),
      call("update", "TagOpenIDConnectProvider", "openIDConnectProviderUpdateTags (tagging interceptor)"),
      call("update", "UntagOpenIDConnectProvider", "openIDConnectProviderUpdateTags (tagging interceptor)"),
      call("delete", "DeleteOpenIDConnectProvider", "resourceOpenIDConnectProviderDelete"),
    ],
  },
  "data.aws_iam_session_context": {
    file: "internal/service/iam/session_context_data_source.go",
    service: "iam",
    // The session is the deployer's: GetRole on the role behind it (only for an assumed-role ARN).
    arns: (r) => ({ role: r.deployer }),
    calls: [call("read", "GetRole", "dataSourceSessionContextRead -> findRoleByName")],
  },
  // sts:GetCallerIdentity needs no permission (STS allows it to every caller); aws_partition and aws_region make no call.
  "data.aws_caller_identity": { file: "internal/service/sts/caller_identity_data_source.go", service: "sts", arns: () => ({}), calls: [] },
  "data.aws_partition": { file: "internal/service/meta/partition_data_source.go", service: "sts", arns: () => ({}), calls: [] },
  "data.aws_region": { file: "internal/service/meta/region_data_source.go", service: "sts", arns: () => ({}), calls: [] },
};
