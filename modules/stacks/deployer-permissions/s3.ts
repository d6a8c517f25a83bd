/** S3: a bucket and each of its sub-resources. */
import { NameSources, Needs, need } from "./table";

// SAR s3 (list_amazons3.html): the bucket actions all take the bucket ARN. Reads
// are what the provider's aws_s3_bucket read calls (HeadBucket = ListBucket).
const S3_BUCKET_READS = [
  "s3:ListBucket",
  "s3:GetBucketLocation",
  "s3:GetBucketAcl",
  "s3:GetBucketPolicy",
  "s3:GetBucketCORS",
  "s3:GetBucketWebsite",
  "s3:GetBucketVersioning",
  "s3:GetAccelerateConfiguration",
  "s3:GetBucketRequestPayment",
  "s3:GetBucketLogging",
  "s3:GetLifecycleConfiguration",
  "s3:GetReplicationConfiguration",
  "s3:GetEncryptionConfiguration",
  "s3:GetBucketObjectLockConfiguration",
  "s3:GetBucketTagging",
];

export const S3_NEEDS: Needs = {
  // SAR s3. CreateBucket, DeleteBucket and tagging on the bucket ARN.
  aws_s3_bucket: [need("bucket", "s3:CreateBucket", "s3:DeleteBucket", "s3:PutBucketTagging", ...S3_BUCKET_READS)],
  // SAR s3: each bucket sub-resource is one Put*/Get* pair on the bucket ARN (deleting one is the Put
  // of an empty configuration, except DeleteBucketPolicy).
  aws_s3_bucket_policy: [need("bucket", "s3:PutBucketPolicy", "s3:GetBucketPolicy", "s3:DeleteBucketPolicy")],
  aws_s3_bucket_server_side_encryption_configuration: [need("bucket", "s3:PutEncryptionConfiguration", "s3:GetEncryptionConfiguration")],
  aws_s3_bucket_lifecycle_configuration: [need("bucket", "s3:PutLifecycleConfiguration", "s3:GetLifecycleConfiguration")],
  // PassRole of the replication role to s3.amazonaws.com is added from the roles' trust policies.
  aws_s3_bucket_replication_configuration: [need("bucket", "s3:PutReplicationConfiguration", "s3:GetReplicationConfiguration")],
  aws_s3_bucket_object_lock_configuration: [
    need("bucket", "s3:PutBucketObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration", "s3:PutBucketVersioning"),
  ],
  aws_s3_bucket_notification: [need("bucket", "s3:PutBucketNotification", "s3:GetBucketNotification")],
  aws_s3_bucket_logging: [need("bucket", "s3:PutBucketLogging", "s3:GetBucketLogging")],
  aws_s3_bucket_ownership_controls: [need("bucket", "s3:PutBucketOwnershipControls", "s3:GetBucketOwnershipControls")],
  aws_s3_bucket_public_access_block: [need("bucket", "s3:PutBucketPublicAccessBlock", "s3:GetBucketPublicAccessBlock")],
  aws_s3_bucket_versioning: [need("bucket", "s3:PutBucketVersioning", "s3:GetBucketVersioning")],
  aws_s3_bucket_cors_configuration: [need("bucket", "s3:PutBucketCORS", "s3:GetBucketCORS")],
};

export const S3_NAMES: NameSources = {
  aws_s3_bucket: [{ path: ["bucket"], scope: "bucket" }],
  aws_s3_bucket_policy: [{ path: ["bucket"], scope: "bucket" }],
  aws_s3_bucket_server_side_encryption_configuration: [{ path: ["bucket"], scope: "bucket" }],
  aws_s3_bucket_lifecycle_configuration: [{ path: ["bucket"], scope: "bucket" }],
  aws_s3_bucket_replication_configuration: [{ path: ["bucket"], scope: "bucket" }],
  aws_s3_bucket_object_lock_configuration: [{ path: ["bucket"], scope: "bucket" }],
  aws_s3_bucket_notification: [{ path: ["bucket"], scope: "bucket" }],
  aws_s3_bucket_logging: [{ path: ["bucket"], scope: "bucket" }],
  aws_s3_bucket_ownership_controls: [{ path: ["bucket"], scope: "bucket" }],
  aws_s3_bucket_public_access_block: [{ path: ["bucket"], scope: "bucket" }],
  aws_s3_bucket_versioning: [{ path: ["bucket"], scope: "bucket" }],
  aws_s3_bucket_cors_configuration: [{ path: ["bucket"], scope: "bucket" }],
};
