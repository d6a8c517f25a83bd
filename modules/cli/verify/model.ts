/** What the verifier reads, and what it reports. */
import { S3StorageType } from "../../config/storage-types";

export type CheckStatus = "pass" | "fail" | "not-yet" | "error";

export interface CheckResult {
  /** Stable ID, e.g. `key.rotation`, `storage.CALL_RECORDINGS`, `object.CALL_RECORDINGS`. */
  readonly id: string;
  readonly title: string;
  readonly status: CheckStatus;
  /** What was seen (ARNs, object keys, settings); never secrets or content. */
  readonly evidence: string;
}

/** The deployed environment, as the stack or module outputs describe it. */
export interface DeployedOutputs {
  readonly key_arn: string;
  readonly s3_bucket_id: string;
  readonly connect_instance_id: string;
  readonly connect_service_role_arn: string;
  readonly storage_association_ids: Readonly<Record<string, string | null>>;
  readonly kinesis_stream_arns?: Readonly<Record<string, string | null>>;
  readonly connect_stream_grant_ids?: Readonly<Record<string, string | null>>;
  readonly firehose_delivery_stream_arns?: Readonly<Record<string, string | null>>;
  /** The chat attachments' own bucket, when Object Lock keeps them out of the recordings bucket (absent or null: none). */
  readonly attachments_bucket_id?: string | null;
  /**
   * The bucket each S3 storage type is associated with (null: the type is off
   * in the module). Absent from stacks deployed before the output existed.
   */
  readonly s3_storage_bucket_ids?: Readonly<Record<string, string | null>> | null;
  /** Cross-Region replication (absent or null: off). */
  readonly replica_bucket_id?: string | null;
  readonly replica_key_arn?: string | null;
  /** Key-misuse alerts (absent or null: off). */
  readonly alerts_topic_arn?: string | null;
  readonly alerts_key_arn?: string | null;
  readonly alerts_dead_letter_queue_arn?: string | null;
  /** The trail the stack created for the alerts (absent or null: none created). */
  readonly alerts_trail_arn?: string | null;
  readonly customer_profiles_domain_name?: string | null;
}

/** What the configuration says should be there (when known; Terraform-first users may have none). */
export interface Expectations {
  readonly rotationPeriodInDays?: number;
  readonly lifecycle?: boolean;
  readonly objectLock?: boolean;
  readonly replication?: boolean;
}

export const OUTPUT_NAMES = [
  "key_arn",
  "s3_bucket_id",
  "connect_instance_id",
  "connect_service_role_arn",
  "storage_association_ids",
] as const;

/** Outputs of the optional controls: absent or null means the control is off and its check is skipped. */
export const OPTIONAL_OUTPUT_NAMES = [
  "attachments_bucket_id",
  "replica_bucket_id",
  "replica_key_arn",
  "alerts_topic_arn",
  "alerts_key_arn",
  "alerts_dead_letter_queue_arn",
  "alerts_trail_arn",
  "customer_profiles_domain_name",
] as const;

/** Typed against the vocabulary, so that renaming the type there breaks this file's build instead of the check. */
const ATTACHMENTS: S3StorageType = "ATTACHMENTS";

/**
 * Contact Lens writes under Analysis/Voice/ of the call recordings' bucket and
 * Analysis/Chat/ of the chat transcripts' (storage-types.ts, the data-flow
 * invariants), so its labels follow those types to whichever bucket they are in.
 */
const CONTACT_LENS_BESIDE: Readonly<Record<string, S3StorageType>> = {
  ANALYSIS_VOICE: "CALL_RECORDINGS",
  ANALYSIS_CHAT: "CHAT_TRANSCRIPTS",
};

/**
 * The bucket the stack associates an S3 storage type (or a Contact Lens
 * label) with. `s3_storage_bucket_ids` says it per type: with Object Lock,
 * only the locked types are in the recordings bucket. Stacks deployed before
 * that output existed put ATTACHMENTS in `attachments_bucket_id` when they
 * had one (Connect's attachments do not support Object Lock) and every other
 * type in the recordings bucket; a type the output leaves out or gives as
 * null falls back to that.
 */
export function s3BucketOf(outputs: DeployedOutputs, label: string): string {
  const type = CONTACT_LENS_BESIDE[label] ?? label;
  const named = outputs.s3_storage_bucket_ids?.[type];
  if (typeof named === "string") return named;
  return type === ATTACHMENTS && outputs.attachments_bucket_id ? outputs.attachments_bucket_id : outputs.s3_bucket_id;
}

/**
 * The buckets of Connect's content other than the recordings bucket, each
 * once: the attachments' and every bucket `s3_storage_bucket_ids` names.
 * They are hardened as the recordings bucket is, so the verifier checks them too.
 */
export function otherContentBuckets(outputs: DeployedOutputs): string[] {
  const named = [outputs.attachments_bucket_id, ...Object.values(outputs.s3_storage_bucket_ids ?? {})];
  const buckets = named.filter((bucket): bucket is string => typeof bucket === "string" && bucket !== outputs.s3_bucket_id);
  return [...new Set(buckets)];
}

/** Why `value` is not a map of bucket names or nulls, as `s3_storage_bucket_ids` must be; undefined when it is one. */
function bucketMapProblem(value: unknown): string | undefined {
  if (Array.isArray(value)) return "a list";
  if (typeof value !== "object") return `a ${typeof value}`;
  const wrong = Object.entries(value as Record<string, unknown>).filter(([, bucket]) => bucket !== null && typeof bucket !== "string");
  return wrong.length === 0 ? undefined : wrong.map(([type, bucket]) => `${type}: ${JSON.stringify(bucket)}`).join(", ");
}

/**
 * Accepts `terraform output -json` (`{ name: { value } }`) or plain `{ name: value }`,
 * and checks that what the verifier needs is there.
 */
export function parseOutputs(raw: unknown): DeployedOutputs {
  if (typeof raw !== "object" || raw === null) throw new Error("the outputs are not a JSON object");
  const plain = Object.fromEntries(
    Object.entries(raw as Record<string, unknown>).map(([name, value]) => [
      name,
      typeof value === "object" && value !== null && "value" in value ? (value as { value: unknown }).value : value,
    ]),
  );
  const missing = OUTPUT_NAMES.filter((name) => plain[name] === undefined || plain[name] === null);
  if (missing.length > 0) throw new Error(`the outputs lack ${missing.join(", ")} (give the stack's or the module's outputs)`);
  const malformed = OPTIONAL_OUTPUT_NAMES.filter(
    (name) => plain[name] !== undefined && plain[name] !== null && typeof plain[name] !== "string",
  );
  if (malformed.length > 0)
    throw new Error(`the outputs ${malformed.join(", ")} are not strings (give the stack's or the module's outputs)`);
  // Absent or null: a stack from before the output, checked as it was then (s3BucketOf).
  const buckets = plain.s3_storage_bucket_ids;
  const problem = buckets === undefined || buckets === null ? undefined : bucketMapProblem(buckets);
  if (problem)
    throw new Error(
      `the output s3_storage_bucket_ids is not a map from storage type to a bucket name or null (${problem}) (give the stack's or the module's outputs)`,
    );
  return plain as unknown as DeployedOutputs;
}
