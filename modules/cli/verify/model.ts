/** What the verifier reads, and what it reports. */
import { S3StorageType, STORAGE_TYPES } from "../../config/storage-types";

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
  /**
   * The disaster-recovery copy of the bucket without Object Lock, itself
   * without Object Lock (absent or null: no such copy, or a stack deployed
   * before the output existed).
   */
  readonly replica_unlocked_bucket_id?: string | null;
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

/**
 * The shapes of output the verifier reads: a string; a KMS key ARN, which
 * it splits for the key's Region and account; a map from storage type to a
 * string, or null for a type the stack does not create.
 */
export type OutputKind = "string" | "kms-key-arn" | "map";

export interface OutputType {
  readonly kind: OutputKind;
  /** Required: present and not null. Optional: absent or null is a part that is off (or a stack from before the output). */
  readonly required: boolean;
}

/**
 * Every output the verifier reads, with its type. Keyed by every field of
 * DeployedOutputs, so that a new output does not build until it is here,
 * and parseOutputs checks each one before any AWS call: a value of another
 * type stops the run with one line instead of a stack trace midway.
 */
export const VERIFIED_OUTPUTS: { readonly [name in keyof DeployedOutputs]-?: OutputType } = {
  key_arn: { kind: "kms-key-arn", required: true },
  s3_bucket_id: { kind: "string", required: true },
  connect_instance_id: { kind: "string", required: true },
  connect_service_role_arn: { kind: "string", required: true },
  storage_association_ids: { kind: "map", required: true },
  kinesis_stream_arns: { kind: "map", required: false },
  connect_stream_grant_ids: { kind: "map", required: false },
  firehose_delivery_stream_arns: { kind: "map", required: false },
  attachments_bucket_id: { kind: "string", required: false },
  s3_storage_bucket_ids: { kind: "map", required: false },
  replica_bucket_id: { kind: "string", required: false },
  // Split for the replica's Region, where its copy is headed.
  replica_key_arn: { kind: "kms-key-arn", required: false },
  replica_unlocked_bucket_id: { kind: "string", required: false },
  alerts_topic_arn: { kind: "string", required: false },
  alerts_key_arn: { kind: "string", required: false },
  alerts_dead_letter_queue_arn: { kind: "string", required: false },
  alerts_trail_arn: { kind: "string", required: false },
  customer_profiles_domain_name: { kind: "string", required: false },
};

/** What each kind is, in the refusal's words. */
const EXPECTED: Readonly<Record<OutputKind, string>> = {
  string: "a string",
  "kms-key-arn": "a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)",
  map: "a map from storage type to a string or null",
};

/** A value as the refusal names it: its JSON type, since the value itself may be long. */
function described(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Why `value` is not of `kind` (what it is instead); undefined when it is. */
function typeProblem(kind: OutputKind, value: unknown): string | undefined {
  if (kind === "string") return typeof value === "string" ? undefined : described(value);
  // Region and account are read from its fields, so an alias or a bare key ID would send the checks elsewhere.
  if (kind === "kms-key-arn") {
    if (typeof value !== "string") return described(value);
    return /^arn:[a-z-]+:kms:[a-z0-9-]+:\d{12}:key\/.+$/.test(value) ? undefined : JSON.stringify(value);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return described(value);
  // Keyed by storage type: another key is not output of this package (or a typo in an edited file).
  const wrong = Object.entries(value as Record<string, unknown>).filter(
    ([type, entry]) => !(STORAGE_TYPES as readonly string[]).includes(type) || (entry !== null && typeof entry !== "string"),
  );
  return wrong.length === 0 ? undefined : wrong.map(([type, entry]) => `${type}: ${JSON.stringify(entry)}`).join(", ");
}

/**
 * The name of an output that holds the verifier's outputs itself: the whole
 * `terraform output -json` of a root that calls the module, where
 * `terraform output -json <name>` was meant.
 */
function nestedOutputs(plain: Record<string, unknown>): string | undefined {
  return Object.keys(plain).find((name) => {
    const value = plain[name];
    return typeof value === "object" && value !== null && "key_arn" in value;
  });
}

/** One line on everything wrong with the outputs, required ones absent first; undefined when verify can read them all. */
function outputsProblem(plain: Record<string, unknown>): string | undefined {
  const names = Object.keys(VERIFIED_OUTPUTS) as (keyof DeployedOutputs)[];
  const missing = names.filter((name) => VERIFIED_OUTPUTS[name].required && plain[name] === undefined);
  const problems = missing.length > 0 ? [`the outputs lack ${missing.join(", ")}`] : [];
  const nested = missing.length > 0 ? nestedOutputs(plain) : undefined;
  if (nested) problems.push(`the output ${nested} holds them: give terraform output -json ${nested}`);
  for (const name of names) {
    const { kind, required } = VERIFIED_OUTPUTS[name];
    const value = plain[name];
    // Absent required outputs are named above; absent or null optional ones are off.
    if (value === undefined || (value === null && !required)) continue;
    const problem = typeProblem(kind, value);
    if (problem) problems.push(`the output ${name} is not ${EXPECTED[kind]} (${problem})`);
  }
  if (problems.length === 0) return undefined;
  // The hint names what to give instead; otherwise the line says which outputs verify reads.
  return nested ? problems.join("; ") : `${problems.join("; ")} (give the stack's or the module's outputs)`;
}

/**
 * Accepts `terraform output -json` (`{ name: { value } }`) or plain
 * `{ name: value }` (`terraform output -json <name>` of the module's
 * output), entry by entry, and checks every output the verifier reads
 * against VERIFIED_OUTPUTS.
 */
export function parseOutputs(raw: unknown): DeployedOutputs {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new Error(`the outputs are not a JSON object (${described(raw)})`);
  const plain = Object.fromEntries(
    Object.entries(raw as Record<string, unknown>).map(([name, value]) => [
      name,
      typeof value === "object" && value !== null && "value" in value ? (value as { value: unknown }).value : value,
    ]),
  );
  const problem = outputsProblem(plain);
  if (problem) throw new Error(problem);
  return plain as unknown as DeployedOutputs;
}
