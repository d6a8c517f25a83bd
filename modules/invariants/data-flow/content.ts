/**
 * Stores of Connect's content: each S3 storage type's prefix (and the
 * Contact Lens output Connect writes beside call recordings and chat
 * transcripts), the Firehose deliveries and their error output, the
 * Kinesis data streams and the key Connect gives Kinesis Video Streams.
 */
import { FIREHOSE_GRANTEE } from "../grants";
import { Context } from "../iam-engine";
import { Requests, TLS, allowAll, connectServiceRolePolicy, sseKms, throughS3 } from "../requests";
import type { BucketModel, PolicyDocument, StackModel, StorageConfigModel } from "../stack-model";
import { Store, StoreFinder, step } from "./store";

const KEY_MANAGEMENT = "https://docs.aws.amazon.com/connect/latest/adminguide/key-management.html";
const CONTACT_LENS_OUTPUT = "https://docs.aws.amazon.com/connect/latest/adminguide/example-contact-lens-output-locations.html";
/** Contact Lens writes under Analysis/Voice/ of the call recordings' bucket and Analysis/Chat/ of the chat transcripts'. */
const CONTACT_LENS: Readonly<Record<string, string>> = { CALL_RECORDINGS: "Analysis/Voice", CHAT_TRANSCRIPTS: "Analysis/Chat" };

/** The reads of an SSE-KMS object: GetObject, and Decrypt through S3 with the context S3 sends. */
export function s3ObjectReads(requests: Requests, bucket: BucketModel, key: string, object: string, context: Context = {}) {
  return (reader: string) => [
    step(`s3:GetObject on ${bucket.name}/${object}`, () => requests.s3(reader, "s3:GetObject", bucket, object, TLS, [allowAll("s3")])),
    step(`kms:Decrypt through S3 for ${bucket.name}/${object}`, () =>
      requests.kmsDecision(reader, "kms:Decrypt", key, { ...throughS3(bucket, object, requests.account), ...context }, [allowAll("kms")]),
    ),
  ];
}

/** What Connect's service-linked role may do in S3: its association policies (modelled), plus Contact Lens output. */
function connectRolePolicy(model: StackModel): PolicyDocument {
  const base = connectServiceRolePolicy(model);
  const analysis = model
    .storageConfigs()
    .filter((c) => c.bucketName !== undefined && CONTACT_LENS[c.resourceType])
    .map((c) => `arn:${model.partition}:s3:::${c.bucketName}/${CONTACT_LENS[c.resourceType]}/*`);
  return analysis.length === 0
    ? base
    : { ...base, Statement: [...base.Statement, { Effect: "Allow", Action: ["s3:PutObject"], Resource: analysis }] };
}

function connectWrites(requests: Requests, config: StorageConfigModel, bucket: BucketModel, object: string) {
  const slr = requests.model.facts.connectServiceRoleArn;
  const identity = [connectRolePolicy(requests.model)];
  return [
    step(`s3:PutObject of ${bucket.name}/${object} under the key`, () =>
      requests.s3(slr, "s3:PutObject", bucket, object, { ...TLS, ...sseKms(config.keyArn!) }, identity),
    ),
    step("kms:GenerateDataKey through S3 (the association grant)", () =>
      requests.kmsDecision(slr, "kms:GenerateDataKey", config.keyArn!, throughS3(bucket, object, requests.account)),
    ),
  ];
}

/** Each S3 storage type's prefix, and Contact Lens output beside it. */
const s3Content: StoreFinder = (requests) =>
  requests.model.storageConfigs().flatMap((config): Store[] => {
    if (!config.bucketName || !config.keyArn) return [];
    const bucket = requests.model.bucket(config.bucketName);
    const prefixes = [
      { prefix: config.prefix!, what: `${config.resourceType} objects under ${config.prefix}/`, source: KEY_MANAGEMENT },
      ...(CONTACT_LENS[config.resourceType]
        ? [
            {
              prefix: CONTACT_LENS[config.resourceType],
              what: `Contact Lens output under ${CONTACT_LENS[config.resourceType]}/`,
              source: CONTACT_LENS_OUTPUT,
            },
          ]
        : []),
    ];
    return prefixes.map(({ prefix, what, source }) => {
      const object = `${prefix}/2026/12/01/contact-1`;
      return {
        resource: config.address,
        what: `${what} of ${bucket.name}`,
        writer: "Connect's service-linked role",
        writes: connectWrites(requests, config, bucket, object),
        reads: s3ObjectReads(requests, bucket, config.keyArn!, object),
        readerField: ["key", "auditorArns"],
        source,
      };
    });
  });

/** A Firehose key prefix with its `!{...}` placeholders filled as Firehose fills them. */
const filled = (prefix: string) =>
  prefix.replace(/!\{timestamp:[^}]*\}/g, "01").replace(/!\{firehose:error-output-type\}/g, "processing-failed");

/** The delivered records and the error output of each Firehose delivery stream, written by its role. */
const firehoseOutput: StoreFinder = (requests) =>
  requests.model.resources("aws_kinesis_firehose_delivery_stream").flatMap(([name, block]): Store[] => {
    const model = requests.model;
    const s3 = block.extended_s3_configuration;
    const bucket = model.bucket(model.string(s3.bucket_arn, "bucket_arn"));
    const key = model.string(s3.kms_key_arn, "kms_key_arn");
    const role = model.role(model.string(s3.role_arn, "role_arn"));
    const sseKey = model.string(block.server_side_encryption?.key_arn, "server_side_encryption.key_arn");
    return ["prefix", "error_output_prefix"].map((attribute) => {
      const object = `${filled(model.string(s3[attribute], attribute))}record-1`;
      return {
        resource: `aws_kinesis_firehose_delivery_stream.${name}`,
        what: `Firehose ${attribute === "prefix" ? "deliveries" : "error output"} of ${bucket.name}/${object}`,
        writer: "the Firehose delivery role (and Firehose itself while it buffers)",
        writes: [
          step("Firehose's own grant encrypts buffered records", () =>
            requests.kmsDecision(FIREHOSE_GRANTEE, "kms:GenerateDataKey", sseKey),
          ),
          step(`s3:PutObject of ${bucket.name}/${object}`, () =>
            requests.s3(role.arn, "s3:PutObject", bucket, object, { ...TLS, ...sseKms(key) }, role.policies),
          ),
          step("kms:GenerateDataKey through S3", () =>
            requests.kmsDecision(role.arn, "kms:GenerateDataKey", key, throughS3(bucket, object, requests.account), role.policies),
          ),
        ],
        reads: s3ObjectReads(requests, bucket, key, object),
        readerField: ["key", "auditorArns"],
        source: "https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3",
      };
    });
  });

/** The records of each Kinesis data stream Connect writes to, under the stream's encryption context. */
const kinesisStreams: StoreFinder = (requests) =>
  requests.model.storageConfigs().flatMap((config): Store[] => {
    if (!config.streamArn) return [];
    const model = requests.model;
    const stream = model.described("aws_kinesis_stream", ["arn", "kms_key_id"]).find((s) => s.arn === config.streamArn);
    if (!stream) return [];
    const key = String(stream.kms_key_id);
    const context: Context = {
      "kms:ViaService": `kinesis.${model.region}.amazonaws.com`,
      "kms:CallerAccount": requests.account,
      "kms:EncryptionContext:aws:kinesis:arn": config.streamArn,
    };
    return [
      {
        resource: stream.address,
        what: `${config.resourceType} records of ${config.streamArn}`,
        writer: "Connect's service-linked role",
        writes: [
          step("kms:GenerateDataKey through Kinesis (the stream's grant)", () =>
            requests.kmsDecision(model.facts.connectServiceRoleArn, "kms:GenerateDataKey", key, context),
          ),
        ],
        reads: (reader) => [
          step("kms:Decrypt through Kinesis", () => requests.kmsDecision(reader, "kms:Decrypt", key, context, [allowAll("kms")])),
        ],
        readerField: ["streams", "consumerRoleArns"],
        source: "https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html",
      },
    ];
  });

/** The live media Connect streams into Kinesis Video Streams under the key it was given. */
const videoStreams: StoreFinder = (requests) =>
  requests.model.storageConfigs().flatMap((config): Store[] => {
    if (config.storageType !== "KINESIS_VIDEO_STREAM" || !config.keyArn) return [];
    const model = requests.model;
    const context: Context = { "kms:ViaService": `kinesisvideo.${model.region}.amazonaws.com`, "kms:CallerAccount": requests.account };
    return [
      {
        resource: config.address,
        what: `live media in the Kinesis Video Streams ${config.prefix}-*`,
        writer: "Connect's service-linked role",
        writes: [
          step("kms:GenerateDataKey through Kinesis Video Streams (the association grant)", () =>
            requests.kmsDecision(model.facts.connectServiceRoleArn, "kms:GenerateDataKey", config.keyArn!, context),
          ),
        ],
        reads: (reader) => [
          step("kms:Decrypt through Kinesis Video Streams", () =>
            requests.kmsDecision(reader, "kms:Decrypt", config.keyArn!, context, [allowAll("kms")]),
          ),
        ],
        readerField: ["streams", "consumerRoleArns"],
        source: "https://docs.aws.amazon.com/kinesisvideostreams/latest/dg/how-kms.html",
      },
    ];
  });

export const CONTENT_STORES: readonly StoreFinder[] = [s3Content, firehoseOutput, kinesisStreams, videoStreams];
