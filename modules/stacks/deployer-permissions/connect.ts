/** Amazon Connect: the instance and its storage associations; Customer Profiles domains. */
import { NameSources, Needs, need } from "./table";

export const CONNECT_NEEDS: Needs = {
  // SAR connect (list_amazonconnect.html): CreateInstance takes no resource; the rest take the instance.
  // Connect admin guide, "Required permissions for using custom IAM policies" and the SAR's dependent
  // actions of CreateInstance/DeleteInstance: the directory (SAR ds, list_awsdirectoryservice.html: CheckAlias,
  // CreateIdentityPoolDirectory and DescribeDirectories take no resource), the service-linked role
  // (created by a conditioned statement below) and its inline policies.
  aws_connect_instance: [
    need("any", "connect:CreateInstance", "ds:CheckAlias", "ds:CreateIdentityPoolDirectory", "ds:DescribeDirectories"),
    need(
      "instance",
      "connect:DescribeInstance",
      "connect:DeleteInstance",
      "connect:DescribeInstanceAttribute",
      "connect:UpdateInstanceAttribute",
      "connect:ListInstanceAttributes",
      "connect:TagResource",
      "connect:UntagResource",
      "connect:ListTagsForResource",
    ),
    need("directory", "ds:CreateAlias", "ds:AuthorizeApplication", "ds:UnauthorizeApplication", "ds:DeleteDirectory"),
    need("connectRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:DeleteRolePolicy"),
    // SAR connect, CreateInstance and UpdateInstanceAttribute dependent actions: Connect creates the
    // contact flow log group /aws/connect/<alias> with the caller's credentials.
    need("connectFlowLogs", "logs:CreateLogGroup"),
  ],
  // SAR connect, AssociateInstanceStorageConfig's dependent actions, and the Connect admin guide's
  // "Restrict AWS resources that can be associated with Amazon Connect": PutRolePolicy on the
  // service-linked role, GetBucketAcl/GetBucketLocation on the bucket (added per target below),
  // DescribeKey (and CreateGrant, conditioned, below) on the key, Describe* of the stream or Firehose.
  aws_connect_instance_storage_config: [
    need(
      "instance",
      "connect:AssociateInstanceStorageConfig",
      "connect:DescribeInstanceStorageConfig",
      "connect:UpdateInstanceStorageConfig",
      "connect:DisassociateInstanceStorageConfig",
      "connect:ListInstanceStorageConfigs",
    ),
    need("connectRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy"),
    need("key", "kms:DescribeKey"),
  ],

  // SAR profile (list_amazonconnectcustomerprofiles.html): domains/<name>. Key use through
  // Customer Profiles is a conditioned statement below.
  aws_customerprofiles_domain: [
    need(
      "domain",
      "profile:CreateDomain",
      "profile:GetDomain",
      "profile:UpdateDomain",
      "profile:DeleteDomain",
      "profile:TagResource",
      "profile:UntagResource",
      "profile:ListTagsForResource",
    ),
  ],
};

export const CONNECT_NAMES: NameSources = {
  aws_connect_instance: [
    { path: [], scope: "instance" },
    { path: ["instance_alias"], scope: "connectFlowLogs", transform: (alias) => `/aws/connect/${alias}` },
  ],
  aws_connect_instance_storage_config: [
    { path: ["instance_id"], scope: "instance" },
    { path: ["storage_config", "s3_config", "bucket_name"], scope: "bucket", actions: ["s3:GetBucketAcl", "s3:GetBucketLocation"] },
    { path: ["storage_config", "kinesis_stream_config", "stream_arn"], scope: "stream", actions: ["kinesis:DescribeStream"] },
    {
      path: ["storage_config", "kinesis_firehose_config", "firehose_arn"],
      scope: "firehose",
      actions: ["firehose:DescribeDeliveryStream"],
    },
  ],
  aws_customerprofiles_domain: [{ path: ["domain_name"], scope: "domain" }],
};
