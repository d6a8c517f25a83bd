/**
 * Requests as the AWS services document sending them, built against a
 * StackModel: S3 requests evaluated with the bucket policy, KMS requests with
 * the key policy and the grants in effect, SNS/SQS with the topic/queue
 * policy, sts:AssumeRole with the role's trust policy.
 */
import { Context, Decision, decide } from "./iam-engine";
import { Grant, KmsEvaluation, decideKms, stackGrants } from "./grants";
import type { BucketModel, PolicyDocument, StackModel } from "./stack-model";

export const TLS: Context = { "aws:SecureTransport": "true" };
export const NO_TLS: Context = { "aws:SecureTransport": "false" };

/** An identity policy allowing everything on `service` (to show that only the resource side limits a request). */
export function allowAll(service: string): PolicyDocument {
  return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: `${service}:*`, Resource: "*" }] };
}

/**
 * What a KMS request made by S3 on a caller's behalf carries
 * (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context):
 * with an S3 Bucket Key the encryption context is the bucket ARN, otherwise the object ARN.
 */
export function throughS3(bucket: BucketModel, objectKey: string, callerAccount: string): Context {
  return {
    "kms:ViaService": `s3.${bucket.region}.amazonaws.com`,
    "kms:CallerAccount": callerAccount,
    "kms:EncryptionContext:aws:s3:arn": bucket.encryption?.bucketKey ? bucket.arn : `${bucket.arn}/${objectKey}`,
  };
}

/** The SSE headers of a PutObject that asks for SSE-KMS with `keyArn` (condition keys of PutObject). */
export function sseKms(keyArn: string): Context {
  return { "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": keyArn };
}

export class Requests {
  readonly grants: Grant[];

  constructor(readonly model: StackModel) {
    this.grants = stackGrants(model);
  }

  /** The same stack with only the grants `keep` selects (to show what one kind of grant does on its own). */
  withGrants(keep: (grant: Grant) => boolean): Requests {
    const copy = new Requests(this.model);
    copy.grants.splice(0, copy.grants.length, ...this.grants.filter(keep));
    return copy;
  }

  get account(): string {
    return this.model.facts.accountId;
  }

  /** An S3 request on a bucket (`objectKey` undefined: the bucket itself). */
  async s3(
    principal: string,
    action: string,
    bucket: BucketModel,
    objectKey: string | undefined,
    context: Context,
    identityPolicies: readonly PolicyDocument[] = [],
  ): Promise<Decision> {
    const resource = objectKey === undefined ? bucket.arn : `${bucket.arn}/${objectKey}`;
    return this.withResourcePolicy(principal, action, resource, bucket.policy, context, identityPolicies);
  }

  /** A KMS request on the key with `keyArn`. */
  async kms(
    principal: string,
    action: string,
    keyArn: string,
    context: Context = {},
    identityPolicies: readonly PolicyDocument[] = [],
  ): Promise<KmsEvaluation> {
    return decideKms(this.model.key(keyArn), this.grants, { principal, action, context, identityPolicies });
  }

  async kmsDecision(
    principal: string,
    action: string,
    keyArn: string,
    context: Context = {},
    identity: readonly PolicyDocument[] = [],
  ): Promise<Decision> {
    return (await this.kms(principal, action, keyArn, context, identity)).decision;
  }

  /** A request on a resource with its resource policy (SNS topic, SQS queue, role trust). */
  async withResourcePolicy(
    principal: string,
    action: string,
    resource: string,
    policy: PolicyDocument | undefined,
    context: Context,
    identityPolicies: readonly PolicyDocument[] = [],
  ): Promise<Decision> {
    const result = await decide({
      principal,
      action,
      resource,
      resourceAccount: this.account,
      context,
      // An anonymous caller has no identity policies.
      identityPolicies: principal === "anonymous" ? undefined : identityPolicies,
      resourcePolicy: policy,
    });
    return result.decision;
  }

  /** sts:AssumeRole on a role of the stack by `principal`, judged by the role's trust policy. */
  async assumeRole(principal: string, roleArn: string, context: Context): Promise<Decision> {
    return this.withResourcePolicy(principal, "sts:AssumeRole", roleArn, this.model.role(roleArn).trust, context);
  }

  /** The bucket whose default encryption uses a key (the content buckets). */
  kmsBuckets(): BucketModel[] {
    return this.model.buckets().filter((b) => b.encryption?.algorithm === "aws:kms");
  }
}

/**
 * The permissions Connect gives its service-linked role for the storage it is
 * associated with: "the policy is first added to the service-linked role as
 * part of corresponding APIs" such as AssociateInstanceStorageConfig
 * (https://docs.aws.amazon.com/connect/latest/adminguide/restrict-access-examples.html,
 * https://docs.aws.amazon.com/connect/latest/adminguide/connect-slr.html).
 * The exact statements are Connect's; modelled as object read/write under
 * each associated prefix and bucket discovery.
 */
export function connectServiceRolePolicy(model: StackModel): PolicyDocument {
  const s3 = model.storageConfigs().filter((c) => c.bucketName !== undefined);
  if (s3.length === 0) return { Version: "2012-10-17", Statement: [] };
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:GetObjectAcl", "s3:PutObjectAcl"],
        Resource: s3.map((c) => `arn:${model.partition}:s3:::${c.bucketName}/${c.prefix}/*`),
      },
      {
        Effect: "Allow",
        Action: ["s3:GetBucketLocation", "s3:GetBucketAcl", "s3:ListBucket"],
        Resource: [...new Set(s3.map((c) => `arn:${model.partition}:s3:::${c.bucketName}`))],
      },
    ],
  };
}
