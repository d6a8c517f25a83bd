/**
 * The `storage` and `streams` parts of an environment's configuration: which
 * Connect storage types are associated, and where each one lands.
 */
import {
  CONTACT_LENS_PREFIX,
  S3_STORAGE_TYPES,
  S3_STORAGE_TYPE_INFO,
  S3StorageType,
  STREAMING_STORAGE_TYPES,
  STREAMING_STORAGE_TYPE_INFO,
  StreamingStorageType,
  StreamDestination,
  StreamingStorageTypeInfo,
  DESTINATION_FIELDS,
} from "./storage-types";
import type { EnvironmentInput, S3StorageInput, StreamingStorageInput } from "./config-schema";
import { At, Problems, show } from "./validation";

export const CAPACITY_MODES = ["ON_DEMAND", "PROVISIONED"] as const;
export type CapacityMode = (typeof CAPACITY_MODES)[number];

export interface S3StorageSettings {
  readonly type: S3StorageType;
  readonly prefix: string;
}

export interface KinesisStreamSettings {
  readonly capacityMode: CapacityMode;
  /** Only with PROVISIONED. */
  readonly shardCount?: number;
  readonly retentionHours: number;
}

export interface FirehoseSettings {
  readonly prefix: string;
  readonly errorPrefix: string;
  readonly bufferingSizeMib: number;
  readonly bufferingIntervalSeconds: number;
  readonly errorLogging: boolean;
}

export type StreamingStorageSettings =
  | { readonly type: StreamingStorageType; readonly destination: "kinesis"; readonly stream: KinesisStreamSettings }
  | { readonly type: "CONTACT_TRACE_RECORDS"; readonly destination: "firehose"; readonly firehose: FirehoseSettings }
  | { readonly type: "MEDIA_STREAMS"; readonly destination: "kinesis-video"; readonly prefix: string; readonly retentionHours: number };

export interface StorageSettings {
  /** Enabled S3-backed types, in the vocabulary's order. */
  readonly s3: readonly S3StorageSettings[];
  /** Enabled streaming types, in the vocabulary's order. */
  readonly streaming: readonly StreamingStorageSettings[];
  /** Roles that read the Kinesis data streams (decrypt through Kinesis only). */
  readonly streamConsumerArns: readonly string[];
  /** Web origins (besides the instance's own) whose chat widgets upload attachments. */
  readonly attachmentOrigins: readonly string[];
  /** Accepted but worth telling the user (e.g. a deprecated type). */
  readonly warnings: readonly string[];
}

/** `storage` and `streams` as the schema accepts them (the storage group is built type by type). */
type StorageInput = Readonly<Record<string, S3StorageInput | StreamingStorageInput | undefined>>;
type StreamsInput = NonNullable<EnvironmentInput["streams"]>;
type KinesisInput = Pick<StreamsInput, "capacityMode" | "shardCount" | "retentionHours">;

const DEFAULT_CTR_PREFIX = "connect/ContactTraceRecords";
const DEFAULT_CTR_ERROR_PREFIX = "connect/ContactTraceRecordsErrors";

/** A Firehose fed by a Kinesis data stream: a combination users ask for that cannot be encrypted. */
const KINESIS_FED_FIREHOSE = "kinesis-firehose";

export function resolveStorage(
  problems: Problems,
  at: At,
  storage: EnvironmentInput["storage"],
  streamsInput: EnvironmentInput["streams"],
  videoPrefixDefault: string,
): StorageSettings {
  const raw = (storage ?? {}) as StorageInput;
  const streams = streamsInput ?? {};
  const streamDefaults = kinesisSettings(problems, (...s) => at("streams", ...s), streams, undefined);
  const streamConsumerArns = streams.consumerRoleArns ?? [];
  // One registry for both: a Firehose prefix must not collide with an S3 type's either.
  const s3Prefixes = new PrefixRegistry(problems);
  const { s3, attachmentOrigins } = resolveS3Storage(at, raw, s3Prefixes);
  const { streaming, warnings } = resolveStreamingStorage(problems, at, raw, { streamDefaults, s3Prefixes, videoPrefixDefault });
  return { s3, streaming, streamConsumerArns, attachmentOrigins, warnings };
}

/** The S3-backed types, each enabled by default or not, under its own prefix; ATTACHMENTS also has its CORS origins. */
function resolveS3Storage(
  at: At,
  raw: StorageInput,
  s3Prefixes: PrefixRegistry,
): { s3: S3StorageSettings[]; attachmentOrigins: readonly string[] } {
  const s3: S3StorageSettings[] = [];
  let attachmentOrigins: readonly string[] = [];
  for (const type of S3_STORAGE_TYPES) {
    const entry: S3StorageInput = raw[type] ?? {};
    if (type === "ATTACHMENTS") attachmentOrigins = entry.corsAllowedOrigins ?? [];
    if (!(entry.enabled ?? S3_STORAGE_TYPE_INFO[type].enabledByDefault)) continue;
    const prefix = entry.prefix ?? S3_STORAGE_TYPE_INFO[type].defaultPrefix;
    s3Prefixes.claim(at("storage", type, "prefix"), prefix, type);
    s3.push({ type, prefix });
  }
  return { s3, attachmentOrigins };
}

/** What the streaming destinations read besides their own entry. */
interface StreamingContext {
  /** `streams.*`: what every Kinesis data stream inherits. */
  readonly streamDefaults: KinesisStreamSettings;
  readonly s3Prefixes: PrefixRegistry;
  readonly videoPrefixDefault: string;
}

/** The streaming types: each enabled one with its destination, and only that destination's fields. */
function resolveStreamingStorage(
  problems: Problems,
  at: At,
  raw: StorageInput,
  context: StreamingContext,
): { streaming: StreamingStorageSettings[]; warnings: string[] } {
  const streaming: StreamingStorageSettings[] = [];
  const warnings: string[] = [];
  for (const type of STREAMING_STORAGE_TYPES) {
    const info = STREAMING_STORAGE_TYPE_INFO[type];
    const path = (...s: string[]): string => at("storage", type, ...s);
    const entry = (raw[type] ?? {}) as StreamingStorageInput;
    if (!(entry.enabled ?? info.enabledByDefault)) continue;
    if (info.replacedBy) {
      warnings.push(`${path()}: ${type} is deprecated by AWS; use ${info.replacedBy} (it is associated as configured)`);
    }
    if (entry.destination === KINESIS_FED_FIREHOSE) {
      problems.add(
        path("destination"),
        `${show(KINESIS_FED_FIREHOSE)} is refused: a Firehose that reads from a Kinesis data stream cannot have server-side encryption (AWS allows it only for Direct PUT), so its buffered records would be under an AWS-owned key; allowed: ${info.destinations.join(", ")}`,
      );
      continue;
    }
    const destination = streamDestination(problems, path, info, entry.destination);
    const allowed = DESTINATION_FIELDS[destination];
    for (const field of Object.keys(entry)) {
      if (field !== "enabled" && field !== "destination" && !allowed.includes(field)) {
        problems.add(path(field), `does not apply to destination ${destination}; fields for ${destination}: ${allowed.join(", ")}`);
      }
    }
    const settings = streamingSettings(problems, path, type, destination, entry, context);
    if (settings) streaming.push(settings);
  }
  return { streaming, warnings };
}

/**
 * The destination of one streaming type: the schema takes any string, since
 * each type has its own (a refused one is reported, and the type's first is used).
 */
function streamDestination(problems: Problems, path: At, info: StreamingStorageTypeInfo, given: string | undefined): StreamDestination {
  const destination = info.destinations.find((d) => d === given);
  if (given !== undefined && destination === undefined) {
    problems.add(path("destination"), `${show(given)} is not allowed; allowed: ${info.destinations.join(", ")}`);
  }
  return destination ?? info.destinations[0];
}

/** One streaming type's settings for its destination; Firehose prefixes are claimed against the S3 types'. */
function streamingSettings(
  problems: Problems,
  path: At,
  type: StreamingStorageType,
  destination: StreamingStorageSettings["destination"],
  entry: StreamingStorageInput,
  context: StreamingContext,
): StreamingStorageSettings | undefined {
  if (destination === "kinesis") {
    return { type, destination, stream: kinesisSettings(problems, path, entry, context.streamDefaults) };
  } else if (destination === "firehose" && type === "CONTACT_TRACE_RECORDS") {
    const firehose = firehoseSettings(entry);
    context.s3Prefixes.claim(path("prefix"), firehose.prefix, `${type} (Firehose)`);
    context.s3Prefixes.claim(path("errorPrefix"), firehose.errorPrefix, `${type} (Firehose errors)`);
    return { type, destination, firehose };
  } else if (destination === "kinesis-video" && type === "MEDIA_STREAMS") {
    const prefix = entry.prefix ?? context.videoPrefixDefault;
    const retentionHours = entry.retentionHours ?? 24;
    return { type, destination, prefix, retentionHours };
  }
  return undefined;
}

function kinesisSettings(
  problems: Problems,
  path: At,
  raw: KinesisInput,
  defaults: KinesisStreamSettings | undefined,
): KinesisStreamSettings {
  const capacityMode = raw.capacityMode ?? defaults?.capacityMode ?? "ON_DEMAND";
  const retentionHours = raw.retentionHours ?? defaults?.retentionHours ?? 24;
  const ownShards = raw.shardCount;
  const shardCount = ownShards ?? (raw.capacityMode === undefined ? defaults?.shardCount : undefined);
  if (capacityMode === "ON_DEMAND" && ownShards !== undefined) {
    problems.add(path("shardCount"), "only applies with capacityMode PROVISIONED; on-demand streams scale by themselves");
  }
  // An inherited PROVISIONED without shards is reported once, where the mode was written.
  if (capacityMode === "PROVISIONED" && shardCount === undefined && (defaults === undefined || raw.capacityMode !== undefined)) {
    problems.add(path("shardCount"), "missing; capacityMode PROVISIONED needs a shardCount from 1 to 10000");
  }
  return { capacityMode, shardCount: capacityMode === "PROVISIONED" ? shardCount : undefined, retentionHours };
}

function firehoseSettings(raw: StreamingStorageInput): FirehoseSettings {
  return {
    prefix: raw.prefix ?? DEFAULT_CTR_PREFIX,
    errorPrefix: raw.errorPrefix ?? DEFAULT_CTR_ERROR_PREFIX,
    bufferingSizeMib: raw.bufferingSizeMib ?? 5,
    bufferingIntervalSeconds: raw.bufferingIntervalSeconds ?? 300,
    errorLogging: raw.errorLogging ?? true,
  };
}

/** Prefixes in the recordings bucket: each writer needs its own, and none may sit under Contact Lens output. */
class PrefixRegistry {
  private readonly owners = new Map<string, string>();

  constructor(private readonly problems: Problems) {}

  claim(path: string, prefix: string, owner: string): void {
    if (`${prefix}/`.startsWith(CONTACT_LENS_PREFIX)) {
      this.problems.add(
        path,
        `${show(prefix)} is reserved: Contact Lens writes its output under ${CONTACT_LENS_PREFIX}; choose another prefix`,
      );
    }
    for (const [other, otherOwner] of this.owners) {
      if (`${prefix}/`.startsWith(`${other}/`) || `${other}/`.startsWith(`${prefix}/`)) {
        this.problems.add(
          path,
          `${show(prefix)} overlaps the prefix ${show(other)} of ${otherOwner}; each storage type needs its own prefix`,
        );
      }
    }
    this.owners.set(prefix, owner);
  }
}
