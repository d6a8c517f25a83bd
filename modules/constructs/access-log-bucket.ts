import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { EncryptedBucket, LogDeliveryTarget } from "./encrypted-bucket";
import { Condition } from "./condition";
import { suppress } from "../guardrails/suppressions";
import { BUCKET_SSE_KMS } from "../guardrails/rules";

export interface AccessLogBucketProps {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  /** The account whose buckets deliver logs here (S3 only delivers within one account). */
  readonly accountId: string;
  /** Whether the bucket exists (a Terraform expression in the module). @default true */
  readonly enabled?: Condition;
  /** Same Region as the buckets it logs. @default the stack's default provider */
  readonly provider?: TerraformProvider;
  /** @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The target of S3 server access logs: hardened like every other bucket here
 * (public access blocked, ACLs off, versioned, TLS-only, never destroyed) but
 * with SSE-S3, the only default encryption that S3 log delivery writes to.
 * It holds request records, not Connect content.
 */
export class AccessLogBucket extends EncryptedBucket implements LogDeliveryTarget {
  private readonly accountId: string;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id, { bucketName: props.bucketName, enabled: props.enabled, provider: props.provider, tags: props.tags });
    this.accountId = props.accountId;
    suppress(
      this,
      BUCKET_SSE_KMS.id,
      "S3 server access log delivery writes only to buckets whose default encryption is SSE-S3; this bucket holds access logs, not Connect content.",
    );
  }

  acceptLogsFrom(sourceBucketArn: string, prefix: string, when: Condition = true): void {
    this.allowAccessLogDelivery(sourceBucketArn, this.accountId, prefix, when);
  }
}
