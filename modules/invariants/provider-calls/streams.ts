/**
 * Kinesis Data Streams (internal/service/kinesis/), Firehose
 * (internal/service/firehose/) and CloudWatch Logs (internal/service/logs/).
 * IAM actions from the Service Authorization Reference pages of Amazon
 * Kinesis (list_amazonkinesis.html), Amazon Data Firehose
 * (list_amazonkinesisfirehose.html) and CloudWatch Logs
 * (list_amazoncloudwatchlogs.html). Resources that the provider reads tags
 * of separately list them after every create, read and update (the
 * tagging interceptor, internal/provider/sdkv2).
 */
import { keyArnOf } from "./kms-iam";
import { ResourceCalls, ResourceView, call, isSet } from "./types";

const tagged = (r: ResourceView) => r.tagged;
const has = (path: string) => (r: ResourceView) => isSet(r.get(path));
const logGroupArn = (r: ResourceView, name: unknown) => `arn:${r.partition}:logs:${r.region}:${r.account}:log-group:${String(name)}`;
const encrypted = (r: ResourceView) => r.get("encryption_type") === "KMS";
const firehoseCmk = (r: ResourceView) =>
  r.get("server_side_encryption.enabled") === true && r.get("server_side_encryption.key_type") === "CUSTOMER_MANAGED_CMK";

export const STREAM_CALLS: Readonly<Record<string, ResourceCalls>> = {
  aws_kinesis_stream: {
    file: "internal/service/kinesis/stream.go",
    service: "kinesis",
    arns: (r) => ({ stream: r.arn, kmsKey: keyArnOf(r, r.get("kms_key_id")) }),
    calls: [
      call("create", "CreateStream", "resourceStreamCreate"),
      // Kinesis API reference, CreateStream: with Tags, "you must also have kinesis:AddTagsToStream permission".
      call("create", "CreateStream", "resourceStreamCreate (Tags)", { actions: ["kinesis:AddTagsToStream"], when: tagged }),
      call("create", "DescribeStreamSummary", "waitStreamCreated -> findStreamByName"),
      call("create", "IncreaseStreamRetentionPeriod", "resourceStreamCreate", { when: has("retention_period") }),
      call("create", "StartStreamEncryption", "resourceStreamCreate", { when: encrypted }),
      call("read", "DescribeStreamSummary", "resourceStreamRead -> findStreamByName"),
      call("read", "ListTagsForStream", "listTagsForStream (tagging interceptor)"),
      call("update", "UpdateStreamMode", "resourceStreamUpdate", { when: has("stream_mode_details") }),
      call("update", "UpdateShardCount", "resourceStreamUpdate", {
        when: (r) => r.get("stream_mode_details.stream_mode") === "PROVISIONED",
      }),
      call("update", "IncreaseStreamRetentionPeriod", "resourceStreamUpdate"),
      call("update", "DecreaseStreamRetentionPeriod", "resourceStreamUpdate"),
      call("update", "StartStreamEncryption", "resourceStreamUpdate (kms_key_id)", { when: encrypted }),
      call("update", "AddTagsToStream", "updateTagsForStream (tagging interceptor)"),
      call("update", "RemoveTagsFromStream", "updateTagsForStream (tagging interceptor)"),
      call("delete", "DeleteStream", "resourceStreamDelete"),
      call("delete", "DescribeStreamSummary", "waitStreamDeleted"),
    ],
    dependent: [
      {
        // Kinesis developer guide, "Permissions to use user-generated KMS keys": StartStreamEncryption needs
        // kms:GenerateDataKey on the key, which Kinesis uses on the caller's behalf.
        for: "StartStreamEncryption",
        action: "kms:GenerateDataKey",
        on: (r) => keyArnOf(r, r.get("kms_key_id")),
        context: (r) => ({ "kms:ViaService": `kinesis.${r.region}.amazonaws.com`, "kms:CallerAccount": r.account }),
        when: encrypted,
        source: "https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html",
      },
    ],
  },
  aws_kinesis_firehose_delivery_stream: {
    file: "internal/service/firehose/delivery_stream.go",
    service: "firehose",
    arns: (r) => ({ deliverystream: r.arn }),
    calls: [
      call("create", "CreateDeliveryStream", "resourceDeliveryStreamCreate"),
      call("create", "CreateDeliveryStream", "resourceDeliveryStreamCreate (Tags)", {
        actions: ["firehose:TagDeliveryStream"],
        when: tagged,
      }),
      call("create", "DescribeDeliveryStream", "waitDeliveryStreamCreated"),
      call("create", "StartDeliveryStreamEncryption", "resourceDeliveryStreamCreate", { when: firehoseCmk }),
      call("read", "DescribeDeliveryStream", "resourceDeliveryStreamRead"),
      call("read", "ListTagsForDeliveryStream", "listTags (tagging interceptor)"),
      call("update", "UpdateDestination", "resourceDeliveryStreamUpdate"),
      call("update", "StartDeliveryStreamEncryption", "resourceDeliveryStreamUpdate", { when: firehoseCmk }),
      call("update", "TagDeliveryStream", "updateTags (tagging interceptor)"),
      call("update", "UntagDeliveryStream", "updateTags (tagging interceptor)"),
      call("delete", "DeleteDeliveryStream", "resourceDeliveryStreamDelete"),
      call("delete", "DescribeDeliveryStream", "waitDeliveryStreamDeleted"),
    ],
    dependent: [
      {
        // Firehose developer guide, "Grant Firehose access to an Amazon S3 destination": the role is passed to Firehose.
        for: "CreateDeliveryStream",
        action: "iam:PassRole",
        on: (r) => r.get("extended_s3_configuration.role_arn") as string | undefined,
        context: () => ({ "iam:PassedToService": "firehose.amazonaws.com" }),
        source: "https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3",
      },
      {
        // Firehose API reference, DeliveryStreamEncryptionConfigurationInput: with CUSTOMER_MANAGED_CMK, "Firehose ...
        // invokes CreateGrant" when the stream is created or encryption is started.
        for: "StartDeliveryStreamEncryption",
        action: "kms:CreateGrant",
        on: (r) => keyArnOf(r, r.get("server_side_encryption.key_arn")),
        context: (r) => ({
          "kms:ViaService": `firehose.${r.region}.amazonaws.com`,
          "kms:GrantIsForAWSResource": "true",
          "kms:CallerAccount": r.account,
        }),
        when: firehoseCmk,
        source: "https://docs.aws.amazon.com/firehose/latest/APIReference/API_DeliveryStreamEncryptionConfigurationInput.html",
      },
    ],
  },
  aws_cloudwatch_log_group: {
    file: "internal/service/logs/group.go",
    service: "logs",
    arns: (r) => ({ "log-group": logGroupArn(r, r.get("name")) }),
    calls: [
      call("create", "CreateLogGroup", "resourceGroupCreate"),
      call("create", "CreateLogGroup", "resourceGroupCreate (tags)", { actions: ["logs:TagResource"], when: tagged }),
      call("create", "PutRetentionPolicy", "resourceGroupCreate", { when: has("retention_in_days") }),
      call("read", "DescribeLogGroups", "resourceGroupRead -> findLogGroupByName"),
      call("read", "ListTagsForResource", "listTags (tagging interceptor)"),
      call("update", "PutRetentionPolicy", "resourceGroupUpdate", { when: has("retention_in_days") }),
      call("update", "AssociateKmsKey", "resourceGroupUpdate", { when: has("kms_key_id") }),
      call("update", "TagResource", "updateTags (tagging interceptor)"),
      call("update", "UntagResource", "updateTags (tagging interceptor)"),
      call("delete", "DeleteLogGroup", "resourceGroupDelete", { when: (r) => r.get("skip_destroy") !== true }),
    ],
  },
  aws_cloudwatch_log_stream: {
    file: "internal/service/logs/stream.go",
    service: "logs",
    arns: (r) => ({
      "log-group": logGroupArn(r, r.get("log_group_name")),
      "log-stream": `${logGroupArn(r, r.get("log_group_name"))}:log-stream:${String(r.get("name"))}`,
    }),
    calls: [
      call("create", "CreateLogStream", "resourceStreamCreate"),
      call("create", "DescribeLogStreams", "resourceStreamCreate -> RetryWhenNotFound"),
      call("read", "DescribeLogStreams", "resourceStreamRead -> findLogStreamByTwoPartKey"),
      call("delete", "DeleteLogStream", "resourceStreamDelete"),
    ],
  },
};
