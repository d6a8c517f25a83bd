/** Streaming: Kinesis data streams, Firehose delivery streams, CloudWatch Logs. */
import { NameSources, Needs, need } from "./table";

export const STREAMS_NEEDS: Needs = {
  // SAR kinesis (list_amazonkinesis.html): Start/StopStreamEncryption take the stream AND the key;
  // UpdateShardCount, UpdateStreamMode, Enable/DisableEnhancedMonitoring take no resource.
  aws_kinesis_stream: [
    need(
      "stream",
      "kinesis:CreateStream",
      "kinesis:DeleteStream",
      "kinesis:DescribeStream",
      "kinesis:DescribeStreamSummary",
      "kinesis:IncreaseStreamRetentionPeriod",
      "kinesis:DecreaseStreamRetentionPeriod",
      "kinesis:AddTagsToStream",
      "kinesis:RemoveTagsFromStream",
      "kinesis:ListTagsForStream",
    ),
    need("streamEncryption", "kinesis:StartStreamEncryption", "kinesis:StopStreamEncryption"),
    need(
      "any",
      "kinesis:UpdateShardCount",
      "kinesis:UpdateStreamMode",
      "kinesis:EnableEnhancedMonitoring",
      "kinesis:DisableEnhancedMonitoring",
    ),
  ],
  // SAR firehose (list_amazonkinesisfirehose.html): all take the delivery stream.
  aws_kinesis_firehose_delivery_stream: [
    need(
      "firehose",
      "firehose:CreateDeliveryStream",
      "firehose:DeleteDeliveryStream",
      "firehose:DescribeDeliveryStream",
      "firehose:UpdateDestination",
      "firehose:StartDeliveryStreamEncryption",
      "firehose:StopDeliveryStreamEncryption",
      "firehose:TagDeliveryStream",
      "firehose:UntagDeliveryStream",
      "firehose:ListTagsForDeliveryStream",
    ),
  ],

  // SAR logs (list_amazoncloudwatchlogs.html): DescribeLogGroups takes no resource (review row 13).
  aws_cloudwatch_log_group: [
    need(
      "logGroup",
      "logs:CreateLogGroup",
      "logs:DeleteLogGroup",
      "logs:PutRetentionPolicy",
      "logs:DeleteRetentionPolicy",
      "logs:AssociateKmsKey",
      "logs:DisassociateKmsKey",
      "logs:TagResource",
      "logs:UntagResource",
      "logs:ListTagsForResource",
    ),
    need("any", "logs:DescribeLogGroups"),
  ],
  aws_cloudwatch_log_stream: [need("logGroup", "logs:CreateLogStream", "logs:DeleteLogStream", "logs:DescribeLogStreams")],
};

export const STREAMS_NAMES: NameSources = {
  aws_kinesis_stream: [{ path: ["name"], scope: "stream" }],
  aws_kinesis_firehose_delivery_stream: [{ path: ["name"], scope: "firehose" }],
  aws_cloudwatch_log_group: [{ path: ["name"], scope: "logGroup" }],
  aws_cloudwatch_log_stream: [{ path: ["log_group_name"], scope: "logGroup" }],
};
