/** The module's streaming inputs: storage.<streaming type> and streams.* of the declaration. */
import { Fn, IResolvable, Op } from "cdktf";
import { ConnectEncryptionProps, StreamingEntry } from "../constructs/connect-encryption";
import { CONTACT_LENS_PREFIX, StreamingStorageType } from "../config/storage-types";
import { FIELD, ModuleInputs, ONE_OF, OPTIONAL_FIELD, isTrue } from "./module-inputs";

/**
 * storage.<streaming type> and streams.*: contact trace records to Firehose
 * or a data stream, agent events and real-time segments to data streams,
 * live media to Kinesis Video Streams; each entry exists only when enabled.
 */
export function streamInputs(inputs: ModuleInputs, namePrefix: string): Pick<ConnectEncryptionProps, "streaming" | "streamConsumerArns"> {
  const ctrDestination = inputs.input("contact_trace_records_destination", {
    type: "string",
    description: "Where contact trace records go: firehose (Direct PUT into the bucket), kinesis (a data stream) or none.",
    default: "firehose",
    validation: [ONE_OF("contact_trace_records_destination", ["firehose", "kinesis", "none"])],
  });
  const agentEvents = inputs.flag("agent_events_enabled", "Agent events to a Kinesis data stream under the key.");
  const voiceSegments = inputs.flag(
    "realtime_voice_segments_enabled",
    "Contact Lens real-time voice segments to a Kinesis data stream under the key.",
  );
  const chatSegments = inputs.flag(
    "realtime_chat_segments_enabled",
    "Contact Lens real-time chat segments to a Kinesis data stream under the key.",
  );
  const mediaStreams = inputs.flag("media_streams_enabled", "Live media to Kinesis Video Streams that Connect creates under the key.");
  const dataStreams = dataStreamInputs(inputs);
  return {
    streaming: [
      firehoseInputs(inputs, Op.eq(ctrDestination.stringValue, "firehose") as IResolvable),
      dataStreams.entry("CONTACT_TRACE_RECORDS", Op.eq(ctrDestination.stringValue, "kinesis") as IResolvable),
      dataStreams.entry("AGENT_EVENTS", isTrue(agentEvents)),
      dataStreams.entry("REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS", isTrue(voiceSegments)),
      dataStreams.entry("REAL_TIME_CONTACT_ANALYSIS_CHAT_SEGMENTS", isTrue(chatSegments)),
      mediaStreamInputs(inputs, namePrefix, isTrue(mediaStreams)),
    ],
    streamConsumerArns: dataStreams.consumerArns,
  };
}

/** streams.*: the settings every Kinesis data stream shares, and the roles that read them. */
function dataStreamInputs(inputs: ModuleInputs): {
  entry: (type: StreamingStorageType, enabled: IResolvable) => StreamingEntry;
  consumerArns: string[];
} {
  const capacityMode = inputs.input("stream_capacity_mode", {
    type: "string",
    description: "Capacity mode of the Kinesis data streams: ON_DEMAND or PROVISIONED (then stream_shard_count).",
    default: "ON_DEMAND",
    validation: FIELD("stream_capacity_mode", "streams", "capacityMode"),
  });
  const shardCount = inputs.input("stream_shard_count", {
    type: "number",
    description: "Shards per data stream; required with PROVISIONED, refused with ON_DEMAND.",
    default: null,
    validation: [
      ...OPTIONAL_FIELD("stream_shard_count", "streams", "shardCount"),
      {
        condition: '${(var.stream_capacity_mode == "PROVISIONED") == (var.stream_shard_count != null)}',
        errorMessage:
          "stream_shard_count: ${jsonencode(var.stream_shard_count)} is not allowed; set it exactly when stream_capacity_mode is PROVISIONED.",
      },
    ],
  });
  const retention = inputs.input("stream_retention_hours", {
    type: "number",
    description: "How long the data streams keep records.",
    default: 24,
    validation: FIELD("stream_retention_hours", "streams", "retentionHours"),
  });
  const consumers = inputs.input("stream_consumer_role_arns", {
    type: "list(string)",
    description: "IAM roles that read the data streams: kms:Decrypt only through Kinesis, for this module's streams.",
    default: [],
    validation: FIELD("stream_consumer_role_arns", "streams", "consumerRoleArns"),
  });
  return {
    entry: (type, enabled) => ({
      type,
      destination: "kinesis",
      capacityMode: capacityMode.stringValue,
      shardCount: shardCount.numberValue,
      retentionHours: retention.numberValue,
      enabled,
    }),
    consumerArns: consumers.listValue,
  };
}

/** storage.CONTACT_TRACE_RECORDS with Firehose: Direct PUT into the bucket under a prefix, buffered. */
function firehoseInputs(inputs: ModuleInputs, enabled: IResolvable): StreamingEntry {
  const ctrPrefix = inputs.input("ctr_prefix", {
    type: "string",
    description: "Bucket prefix of contact trace records delivered by Firehose.",
    default: "connect/ContactTraceRecords",
  });
  const ctrErrorPrefix = inputs.input("ctr_error_prefix", {
    type: "string",
    description: "Bucket prefix of records Firehose failed to deliver.",
    default: "connect/ContactTraceRecordsErrors",
  });
  for (const [variable, label, field] of [
    [ctrPrefix, "ctr_prefix", "prefix"],
    [ctrErrorPrefix, "ctr_error_prefix", "errorPrefix"],
  ] as const) {
    for (const validation of FIELD(label, "storage", "CONTACT_TRACE_RECORDS", field)) variable.addValidation(validation);
    variable.addValidation({
      condition: `\${!startswith("\${var.${label}}/", "${CONTACT_LENS_PREFIX}")}`,
      errorMessage: `${label}: \${jsonencode(var.${label})} is reserved: Contact Lens writes its output under ${CONTACT_LENS_PREFIX}; choose another prefix.`,
    });
  }
  const bufferSize = inputs.input("ctr_buffering_size_mib", {
    type: "number",
    description: "Firehose buffer size before a delivery.",
    default: 5,
    validation: FIELD("ctr_buffering_size_mib", "storage", "CONTACT_TRACE_RECORDS", "bufferingSizeMib"),
  });
  const bufferInterval = inputs.input("ctr_buffering_interval_seconds", {
    type: "number",
    description: "Firehose buffer time before a delivery.",
    default: 300,
    validation: FIELD("ctr_buffering_interval_seconds", "storage", "CONTACT_TRACE_RECORDS", "bufferingIntervalSeconds"),
  });
  const ctrLogging = inputs.flag("ctr_error_logging", "Firehose delivery errors to a CloudWatch log group encrypted with the key.");
  return {
    type: "CONTACT_TRACE_RECORDS",
    destination: "firehose",
    prefix: ctrPrefix.stringValue,
    errorPrefix: ctrErrorPrefix.stringValue,
    bufferingSizeMib: bufferSize.numberValue,
    bufferingIntervalSeconds: bufferInterval.numberValue,
    errorLogging: isTrue(ctrLogging),
    enabled,
  };
}

/** storage.MEDIA_STREAMS: the prefix and retention of the video streams Connect creates under the key. */
function mediaStreamInputs(inputs: ModuleInputs, namePrefix: string, enabled: IResolvable): StreamingEntry {
  const mediaPrefix = inputs.input("media_streams_prefix", {
    type: "string",
    description: "Prefix of the video streams Connect creates (default: <name>).",
    default: null,
    validation: OPTIONAL_FIELD("media_streams_prefix", "storage", "MEDIA_STREAMS", "prefix"),
  });
  const mediaRetention = inputs.input("media_streams_retention_hours", {
    type: "number",
    description: "How long Kinesis Video Streams keep live media (0 keeps none).",
    default: 24,
    validation: FIELD("media_streams_retention_hours", "storage", "MEDIA_STREAMS", "retentionHours"),
  });
  return {
    type: "MEDIA_STREAMS",
    destination: "kinesis-video",
    prefix: Fn.coalesce([mediaPrefix.stringValue, namePrefix]),
    retentionHours: mediaRetention.numberValue,
    enabled,
  };
}
