/** IAM: roles, their inline and managed policies, the OIDC provider of HCP Terraform. */
import { NameSources, Needs, need } from "./table";

// SAR iam (list_awsidentityandaccessmanagementiam.html): role actions take role/<name>.
const IAM_ROLE_MANAGEMENT = [
  "iam:CreateRole",
  "iam:GetRole",
  "iam:UpdateRole",
  // The provider's resourceRoleUpdate changes a role's description with UpdateRoleDescription.
  "iam:UpdateRoleDescription",
  "iam:UpdateAssumeRolePolicy",
  "iam:DeleteRole",
  "iam:TagRole",
  "iam:UntagRole",
  "iam:ListRolePolicies",
  "iam:ListAttachedRolePolicies",
  "iam:ListInstanceProfilesForRole",
];

export const IAM_NEEDS: Needs = {
  // SAR iam.
  aws_iam_role: [need("role", ...IAM_ROLE_MANAGEMENT)],
  aws_iam_role_policy: [need("role", "iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy")],
  // SAR iam: OIDC provider actions take oidc-provider/<host> (the HCP Terraform provider of the state
  // bootstrap's hcpTerraform.deployRoles). The provider reads tags with the provider itself.
  aws_iam_openid_connect_provider: [
    need(
      "oidcProvider",
      "iam:CreateOpenIDConnectProvider",
      "iam:GetOpenIDConnectProvider",
      "iam:DeleteOpenIDConnectProvider",
      "iam:AddClientIDToOpenIDConnectProvider",
      "iam:RemoveClientIDFromOpenIDConnectProvider",
      "iam:UpdateOpenIDConnectProviderThumbprint",
      "iam:TagOpenIDConnectProvider",
      "iam:UntagOpenIDConnectProvider",
      "iam:ListOpenIDConnectProviderTags",
    ),
  ],
  // SAR iam: managed policy actions take policy/<name>. An update is a new version (at most five are
  // kept, so the oldest is deleted); deleting the policy deletes its other versions first.
  aws_iam_policy: [
    need(
      "policy",
      "iam:CreatePolicy",
      "iam:GetPolicy",
      "iam:GetPolicyVersion",
      "iam:ListPolicyVersions",
      "iam:CreatePolicyVersion",
      "iam:DeletePolicyVersion",
      "iam:DeletePolicy",
      "iam:TagPolicy",
      "iam:UntagPolicy",
      "iam:ListPolicyTags",
    ),
  ],
  // SAR iam: AttachRolePolicy/DetachRolePolicy take the role; which policy is a condition (iam:PolicyARN),
  // written as a statement of its own below, so that only the stack's own policies can be attached.
  aws_iam_role_policy_attachment: [need("role", "iam:ListAttachedRolePolicies")],
};

export const IAM_NAMES: NameSources = {
  aws_iam_role: [{ path: ["name"], scope: "role" }],
  aws_iam_role_policy: [{ path: ["role"], scope: "role" }],
  aws_iam_openid_connect_provider: [{ path: ["url"], scope: "oidcProvider" }],
  aws_iam_policy: [{ path: ["name"], scope: "policy" }],
  aws_iam_role_policy_attachment: [{ path: ["role"], scope: "role" }],
};
