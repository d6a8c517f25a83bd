/**
 * The vocabulary of Amazon Connect instance storage: which resource types
 * exist, where each one lands, and which are written to S3. Everything else
 * in the package asks this file instead of spelling type names itself.
 *
 * Source: the Connect API's InstanceStorageResourceType enum (13 values, see
 * DescribeInstanceStorageConfig), which the AWS provider validates against.
 */

/** Types whose content Connect writes to S3 objects under an `encryption_config` key. */
export const S3_STORAGE_TYPES = [
  "CALL_RECORDINGS",
  "CHAT_TRANSCRIPTS",
  "SCREEN_RECORDINGS",
  "ATTACHMENTS",
  "EMAIL_MESSAGES",
  "CONTACT_EVALUATIONS",
  "SCHEDULED_REPORTS",
] as const;

export type S3StorageType = (typeof S3_STORAGE_TYPES)[number];

/** Types Connect streams to Kinesis Data Streams, Firehose or Kinesis Video Streams. */
export const STREAMING_STORAGE_TYPES = [
  "CONTACT_TRACE_RECORDS",
  "AGENT_EVENTS",
  "REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS",
  "REAL_TIME_CONTACT_ANALYSIS_CHAT_SEGMENTS",
  "REAL_TIME_CONTACT_ANALYSIS_SEGMENTS",
  "MEDIA_STREAMS",
] as const;

export type StreamingStorageType = (typeof STREAMING_STORAGE_TYPES)[number];

export type StorageType = S3StorageType | StreamingStorageType;

export interface S3StorageTypeInfo {
  /** Whether a new configuration associates this type unless told otherwise. */
  readonly enabledByDefault: boolean;
  /** Object key prefix inside the recordings bucket. */
  readonly defaultPrefix: string;
  /** What the content is, for documentation and error messages. */
  readonly content: string;
}

/**
 * Per-type facts for the S3-backed types. The default set (on without
 * configuration) is what every contact centre produces: calls, chats, screen
 * recordings and attachments. The rest exist only where the feature is used.
 */
export const S3_STORAGE_TYPE_INFO: Readonly<Record<S3StorageType, S3StorageTypeInfo>> = {
  CALL_RECORDINGS: {
    enabledByDefault: true,
    defaultPrefix: "connect/CallRecordings",
    content: "call recordings (Contact Lens voice output lands under Analysis/Voice/ in the same bucket)",
  },
  CHAT_TRANSCRIPTS: {
    enabledByDefault: true,
    defaultPrefix: "connect/ChatTranscripts",
    content: "chat transcripts (Contact Lens chat output lands under Analysis/Chat/ in the same bucket)",
  },
  SCREEN_RECORDINGS: {
    enabledByDefault: true,
    defaultPrefix: "connect/ScreenRecordings",
    content: "agent screen recordings",
  },
  ATTACHMENTS: {
    enabledByDefault: true,
    defaultPrefix: "connect/Attachments",
    content: "files shared in chats, tasks, cases and e-mail",
  },
  EMAIL_MESSAGES: {
    enabledByDefault: false,
    defaultPrefix: "connect/EmailMessages",
    content: "inbound and outbound e-mail messages",
  },
  CONTACT_EVALUATIONS: {
    enabledByDefault: false,
    defaultPrefix: "connect/ContactEvaluations",
    content: "agent performance evaluations",
  },
  SCHEDULED_REPORTS: {
    enabledByDefault: false,
    defaultPrefix: "connect/Reports",
    content: "scheduled and exported reports",
  },
};

/** Where a streaming type can go: a Kinesis data stream, a Firehose delivery stream, or Kinesis Video Streams. */
export type StreamDestination = "kinesis" | "firehose" | "kinesis-video";

/** The fields a streaming type takes for each destination, besides enabled and destination. */
export const DESTINATION_FIELDS: Readonly<Record<StreamDestination, readonly string[]>> = {
  kinesis: ["capacityMode", "shardCount", "retentionHours"],
  firehose: ["prefix", "errorPrefix", "bufferingSizeMib", "bufferingIntervalSeconds", "errorLogging"],
  "kinesis-video": ["prefix", "retentionHours"],
};

export interface StreamingStorageTypeInfo {
  /** Whether a new configuration associates this type unless told otherwise. */
  readonly enabledByDefault: boolean;
  /** Destinations Connect accepts for this type; the first is the default. */
  readonly destinations: readonly StreamDestination[];
  /** Short name used in resource names (e.g. `<prefix>-<env>-agent-events`). */
  readonly shortName: string;
  /** Set when AWS deprecated the type; names the replacement. */
  readonly replacedBy?: StreamingStorageType;
  /** What the content is, for documentation and error messages. */
  readonly content: string;
}

export const STREAMING_STORAGE_TYPE_INFO: Readonly<Record<StreamingStorageType, StreamingStorageTypeInfo>> = {
  CONTACT_TRACE_RECORDS: {
    enabledByDefault: true,
    destinations: ["firehose", "kinesis"],
    shortName: "ctr",
    content: "contact trace records (who called, when, which queue and agent, recording locations)",
  },
  AGENT_EVENTS: {
    enabledByDefault: true,
    destinations: ["kinesis"],
    shortName: "agent-events",
    content: "agent state changes and contact handling events",
  },
  REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS: {
    enabledByDefault: true,
    destinations: ["kinesis"],
    shortName: "rtca-voice",
    content: "Contact Lens real-time voice transcript segments and categories",
  },
  REAL_TIME_CONTACT_ANALYSIS_CHAT_SEGMENTS: {
    enabledByDefault: true,
    destinations: ["kinesis"],
    shortName: "rtca-chat",
    content: "Contact Lens real-time chat analysis segments",
  },
  REAL_TIME_CONTACT_ANALYSIS_SEGMENTS: {
    enabledByDefault: false,
    destinations: ["kinesis"],
    shortName: "rtca",
    replacedBy: "REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS",
    content: "Contact Lens real-time voice segments (deprecated type)",
  },
  MEDIA_STREAMS: {
    enabledByDefault: true,
    destinations: ["kinesis-video"],
    shortName: "media",
    content: "live customer and agent audio (Connect creates the video streams itself)",
  },
};

/** All storage types, S3-backed first, in the order they are associated. */
export const STORAGE_TYPES: readonly StorageType[] = [...S3_STORAGE_TYPES, ...STREAMING_STORAGE_TYPES];

/**
 * Prefix that Contact Lens writes to at the bucket root, beside the
 * CALL_RECORDINGS / CHAT_TRANSCRIPTS prefixes. No storage type may claim it.
 */
export const CONTACT_LENS_PREFIX = "Analysis/";

/**
 * Object Lock. Connect recommends "a dedicated bucket for your call
 * recordings as all objects will be locked" (admin guide, "Set up S3 Object
 * Lock for immutable call recordings",
 * https://docs.aws.amazon.com/connect/latest/adminguide/s3-object-lock-call-recordings.html),
 * and attachments are not supported in a bucket with Object Lock (admin
 * guide, "Enable attachments",
 * https://docs.aws.amazon.com/connect/latest/adminguide/enable-attachments.html).
 * So with Object Lock only the types a declaration names are written to the
 * locked bucket (call recordings unless it names others; their Contact Lens
 * output lands beside them), and every other type to a bucket without it.
 * Firehose delivers contact trace records to S3 too, so they can be locked.
 */
export const LOCKABLE_TYPES: readonly StorageType[] = [
  ...S3_STORAGE_TYPES.filter((type) => type !== "ATTACHMENTS"),
  "CONTACT_TRACE_RECORDS",
];
export const LOCKED_BY_DEFAULT: readonly StorageType[] = ["CALL_RECORDINGS"];

/**
 * The disaster-recovery copy of the bucket without Object Lock is
 * `<namePrefix>-<environment>-drattach-<account>`: with the longest name
 * prefix and environment name (24 and 16 characters) that is 63, S3's limit.
 */
export const UNLOCKED_REPLICA_SUFFIX = "drattach";

export function isS3StorageType(value: string): value is S3StorageType {
  return (S3_STORAGE_TYPES as readonly string[]).includes(value);
}

export function isStreamingStorageType(value: string): value is StreamingStorageType {
  return (STREAMING_STORAGE_TYPES as readonly string[]).includes(value);
}
