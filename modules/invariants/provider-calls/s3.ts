/**
 * S3 (internal/service/s3/). IAM actions from the Service Authorization
 * Reference for Amazon S3 (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html):
 * HeadBucket is s3:ListBucket; the Delete* of a bucket sub-resource is its
 * Put* action (s3:PutLifecycleConfiguration, s3:PutEncryptionConfiguration,
 * ...), except DeleteBucketPolicy and DeleteBucketWebsite.
 */
import { ResourceCalls, ResourceView, call } from "./types";

const bucketArn = (resource: ResourceView): string | undefined => {
  const name = resource.get("bucket");
  return typeof name === "string" ? `arn:${resource.partition}:s3:::${name}` : undefined;
};
const onBucket = (resource: ResourceView) => ({ bucket: bucketArn(resource) });

/** A bucket sub-resource: Put on create and update, its Get to wait and to read, and its delete call. */
function subResource(
  file: string,
  put: string,
  get: string,
  del: string,
  functions: string,
  waitsOnDelete: boolean,
  actions: Record<string, string>,
): ResourceCalls {
  const fn = (phase: string) => `resource${functions}${phase}`;
  const as = (api: string) => (actions[api] ? { actions: [actions[api]] } : {});
  return {
    file: `internal/service/s3/${file}`,
    service: "s3",
    arns: onBucket,
    calls: [
      call("create", put, fn("Create"), as(put)),
      call("create", get, `${fn("Create")} -> RetryWhenNotFound`, as(get)),
      call("read", get, fn("Read"), as(get)),
      call("update", put, fn("Update"), as(put)),
      call("delete", del, fn("Delete"), as(del)),
      ...(waitsOnDelete ? [call("delete", get, `${fn("Delete")} -> RetryUntilNotFound`, as(get))] : []),
    ],
  };
}

/** The Get calls aws_s3_bucket's Read makes on every refresh (resourceBucketRead), with their IAM actions. */
const BUCKET_READS: readonly [string, string, string][] = [
  ["HeadBucket", "findBucket", "s3:ListBucket"],
  ["GetBucketPolicy", "findBucketPolicy", "s3:GetBucketPolicy"],
  ["GetBucketAcl", "findBucketACL", "s3:GetBucketAcl"],
  ["GetBucketCors", "findCORSRules", "s3:GetBucketCORS"],
  ["GetBucketWebsite", "findBucketWebsite", "s3:GetBucketWebsite"],
  ["GetBucketVersioning", "findBucketVersioning", "s3:GetBucketVersioning"],
  ["GetBucketAccelerateConfiguration", "findBucketAccelerateConfiguration", "s3:GetAccelerateConfiguration"],
  ["GetBucketRequestPayment", "findBucketRequestPayment", "s3:GetBucketRequestPayment"],
  ["GetBucketLogging", "findLoggingEnabled", "s3:GetBucketLogging"],
  ["GetBucketLifecycleConfiguration", "findBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration"],
  ["GetBucketReplication", "findReplicationConfiguration", "s3:GetReplicationConfiguration"],
  ["GetBucketEncryption", "findServerSideEncryptionConfiguration", "s3:GetEncryptionConfiguration"],
  ["GetObjectLockConfiguration", "findObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration"],
  ["GetBucketTagging", "bucketListTags (tagging interceptor)", "s3:GetBucketTagging"],
];

const objectLock = (resource: ResourceView) => resource.get("object_lock_enabled") === true;

export const S3_CALLS: Readonly<Record<string, ResourceCalls>> = {
  aws_s3_bucket: {
    file: "internal/service/s3/bucket.go",
    service: "s3",
    arns: (resource) => ({ bucket: `arn:${resource.partition}:s3:::${String(resource.get("bucket"))}` }),
    calls: [
      call("create", "CreateBucket", "resourceBucketCreate"),
      // S3 API reference, CreateBucket: with ObjectLockEnabledForBucket, "s3:PutBucketObjectLockConfiguration and
      // s3:PutBucketVersioning permissions are required" (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html).
      call("create", "CreateBucket", "resourceBucketCreate (ObjectLockEnabledForBucket)", {
        actions: ["s3:PutBucketObjectLockConfiguration", "s3:PutBucketVersioning"],
        when: objectLock,
      }),
      call("create", "HeadBucket", "resourceBucketCreate -> RetryWhenNotFound(findBucket)", { actions: ["s3:ListBucket"] }),
      call("create", "GetBucketTagging", "bucketCreateTags -> bucketUpdateTags -> bucketListTags", {
        actions: ["s3:GetBucketTagging"],
        when: (r) => r.tagged,
      }),
      call("create", "PutBucketTagging", "bucketCreateTags -> bucketUpdateTags", { when: (r) => r.tagged }),
      ...BUCKET_READS.map(([api, fn, action]) => call("read", api, `resourceBucketRead -> ${fn}`, { actions: [action] })),
      call("update", "PutBucketTagging", "bucketUpdateTags (tagging interceptor)"),
      call("update", "DeleteBucketTagging", "bucketUpdateTags (tagging interceptor)", { actions: ["s3:PutBucketTagging"] }),
      call("delete", "DeleteBucket", "resourceBucketDelete"),
      call("delete", "HeadBucket", "resourceBucketDelete -> RetryUntilNotFound(findBucket)", { actions: ["s3:ListBucket"] }),
    ],
  },
  aws_s3_bucket_policy: subResource(
    "bucket_policy.go",
    "PutBucketPolicy",
    "GetBucketPolicy",
    "DeleteBucketPolicy",
    "BucketPolicy",
    true,
    {},
  ),
  aws_s3_bucket_server_side_encryption_configuration: subResource(
    "bucket_server_side_encryption_configuration.go",
    "PutBucketEncryption",
    "GetBucketEncryption",
    "DeleteBucketEncryption",
    "BucketServerSideEncryptionConfiguration",
    false,
    {
      PutBucketEncryption: "s3:PutEncryptionConfiguration",
      GetBucketEncryption: "s3:GetEncryptionConfiguration",
      DeleteBucketEncryption: "s3:PutEncryptionConfiguration",
    },
  ),
  aws_s3_bucket_lifecycle_configuration: subResource(
    "bucket_lifecycle_configuration.go",
    "PutBucketLifecycleConfiguration",
    "GetBucketLifecycleConfiguration",
    "DeleteBucketLifecycle",
    "BucketLifecycleConfiguration",
    true,
    {
      PutBucketLifecycleConfiguration: "s3:PutLifecycleConfiguration",
      GetBucketLifecycleConfiguration: "s3:GetLifecycleConfiguration",
      DeleteBucketLifecycle: "s3:PutLifecycleConfiguration",
    },
  ),
  aws_s3_bucket_replication_configuration: {
    ...subResource(
      "bucket_replication_configuration.go",
      "PutBucketReplication",
      "GetBucketReplication",
      "DeleteBucketReplication",
      "BucketReplicationConfiguration",
      true,
      {
        PutBucketReplication: "s3:PutReplicationConfiguration",
        GetBucketReplication: "s3:GetReplicationConfiguration",
        DeleteBucketReplication: "s3:PutReplicationConfiguration",
      },
    ),
    dependent: [
      {
        // SAR s3, PutReplicationConfiguration: dependent action iam:PassRole (the replication role, to S3).
        for: "PutBucketReplication",
        action: "iam:PassRole",
        on: (r) => (typeof r.get("role") === "string" ? String(r.get("role")) : undefined),
        context: () => ({ "iam:PassedToService": "s3.amazonaws.com" }),
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html",
      },
    ],
  },
  aws_s3_bucket_object_lock_configuration: subResource(
    "bucket_object_lock_configuration.go",
    "PutObjectLockConfiguration",
    "GetObjectLockConfiguration",
    "PutObjectLockConfiguration",
    "BucketObjectLockConfiguration",
    false,
    {
      PutObjectLockConfiguration: "s3:PutBucketObjectLockConfiguration",
      GetObjectLockConfiguration: "s3:GetBucketObjectLockConfiguration",
    },
  ),
  aws_s3_bucket_notification: {
    file: "internal/service/s3/bucket_notification.go",
    service: "s3",
    arns: onBucket,
    calls: [
      call("create", "PutBucketNotificationConfiguration", "resourceBucketNotificationPut", { actions: ["s3:PutBucketNotification"] }),
      call("create", "GetBucketNotificationConfiguration", "resourceBucketNotificationPut -> RetryWhenNotFound", {
        actions: ["s3:GetBucketNotification"],
      }),
      call("read", "GetBucketNotificationConfiguration", "resourceBucketNotificationRead", { actions: ["s3:GetBucketNotification"] }),
      call("update", "PutBucketNotificationConfiguration", "resourceBucketNotificationPut", { actions: ["s3:PutBucketNotification"] }),
      call("delete", "PutBucketNotificationConfiguration", "resourceBucketNotificationDelete", { actions: ["s3:PutBucketNotification"] }),
    ],
  },
  aws_s3_bucket_logging: subResource(
    "bucket_logging.go",
    "PutBucketLogging",
    "GetBucketLogging",
    "PutBucketLogging",
    "BucketLogging",
    false,
    {},
  ),
  aws_s3_bucket_ownership_controls: subResource(
    "bucket_ownership_controls.go",
    "PutBucketOwnershipControls",
    "GetBucketOwnershipControls",
    "DeleteBucketOwnershipControls",
    "BucketOwnershipControls",
    true,
    { DeleteBucketOwnershipControls: "s3:PutBucketOwnershipControls" },
  ),
  aws_s3_bucket_public_access_block: subResource(
    "bucket_public_access_block.go",
    "PutPublicAccessBlock",
    "GetPublicAccessBlock",
    "DeletePublicAccessBlock",
    "BucketPublicAccessBlock",
    true,
    {
      PutPublicAccessBlock: "s3:PutBucketPublicAccessBlock",
      GetPublicAccessBlock: "s3:GetBucketPublicAccessBlock",
      DeletePublicAccessBlock: "s3:PutBucketPublicAccessBlock",
    },
  ),
  aws_s3_bucket_versioning: subResource(
    "bucket_versioning.go",
    "PutBucketVersioning",
    "GetBucketVersioning",
    "PutBucketVersioning",
    "BucketVersioning",
    false,
    {},
  ),
  aws_s3_bucket_cors_configuration: subResource(
    "bucket_cors_configuration.go",
    "PutBucketCors",
    "GetBucketCors",
    "DeleteBucketCors",
    "BucketCorsConfiguration",
    true,
    { PutBucketCors: "s3:PutBucketCORS", GetBucketCors: "s3:GetBucketCORS", DeleteBucketCors: "s3:PutBucketCORS" },
  ),
};
