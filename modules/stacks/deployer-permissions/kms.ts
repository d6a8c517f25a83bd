/** KMS: keys, aliases and the grants Terraform makes. */
import { NameSources, Needs, need } from "./table";

// SAR kms (list_awskeymanagementservice.html): key actions take key/<id>, which
// does not exist before CreateKey, so they are scoped to the key/* of the
// stack's account and Regions. KMS developer guide, "Controlling access to
// tags": TagResource at CreateKey must cover all keys of the account and Region.
const KMS_KEY_MANAGEMENT = [
  "kms:DescribeKey",
  "kms:GetKeyPolicy",
  "kms:PutKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:EnableKeyRotation",
  "kms:UpdateKeyDescription",
  "kms:ListResourceTags",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
];

export const KMS_NEEDS: Needs = {
  // SAR kms: CreateKey takes no resource (the key has no ARN yet).
  aws_kms_key: [need("any", "kms:CreateKey"), need("key", ...KMS_KEY_MANAGEMENT)],
  // SAR kms: CreateAlias/UpdateAlias/DeleteAlias need both the alias and the key ARN; the provider
  // reads aliases with ListAliases, which takes no resource.
  aws_kms_alias: [
    need("alias", "kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"),
    need("key", "kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"),
    need("any", "kms:ListAliases"),
  ],
  // SAR kms. CreateGrant itself is a conditioned statement of its own (below).
  aws_kms_grant: [need("key", "kms:ListGrants", "kms:RetireGrant", "kms:RevokeGrant")],
};

export const KMS_NAMES: NameSources = {
  aws_kms_alias: [{ path: ["name"], scope: "alias" }],
};
