/** Key-misuse alerts: EventBridge rules, SNS topics, SQS queues, CloudTrail trails. */
import { NameSources, Needs, need } from "./table";

export const ALERTS_NEEDS: Needs = {
  // SAR events (list_amazoneventbridge.html): rules on the default bus, rule/<name>.
  aws_cloudwatch_event_rule: [
    need(
      "rule",
      "events:PutRule",
      "events:DescribeRule",
      "events:DeleteRule",
      "events:EnableRule",
      "events:DisableRule",
      "events:ListTargetsByRule",
      "events:TagResource",
      "events:UntagResource",
      "events:ListTagsForResource",
    ),
  ],
  aws_cloudwatch_event_target: [need("rule", "events:PutTargets", "events:RemoveTargets", "events:ListTargetsByRule")],

  // SAR sns (list_amazonsns.html): all take the topic.
  aws_sns_topic: [
    need(
      "topic",
      "sns:CreateTopic",
      "sns:DeleteTopic",
      "sns:GetTopicAttributes",
      "sns:SetTopicAttributes",
      "sns:TagResource",
      "sns:UntagResource",
      "sns:ListTagsForResource",
    ),
  ],
  aws_sns_topic_policy: [need("topic", "sns:GetTopicAttributes", "sns:SetTopicAttributes")],
  aws_sns_topic_subscription: [
    need("topic", "sns:Subscribe", "sns:Unsubscribe", "sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes"),
  ],

  // SAR sqs (list_amazonsqs.html): all take the queue.
  aws_sqs_queue: [
    need(
      "queue",
      "sqs:CreateQueue",
      "sqs:DeleteQueue",
      "sqs:GetQueueAttributes",
      "sqs:SetQueueAttributes",
      "sqs:GetQueueUrl",
      "sqs:TagQueue",
      "sqs:UntagQueue",
      "sqs:ListQueueTags",
    ),
  ],
  aws_sqs_queue_policy: [need("queue", "sqs:GetQueueAttributes", "sqs:SetQueueAttributes", "sqs:GetQueueUrl")],

  // SAR cloudtrail (list_awscloudtrail.html): DescribeTrails takes no resource.
  aws_cloudtrail: [
    need(
      "trail",
      "cloudtrail:CreateTrail",
      "cloudtrail:UpdateTrail",
      "cloudtrail:DeleteTrail",
      "cloudtrail:GetTrail",
      "cloudtrail:GetTrailStatus",
      "cloudtrail:StartLogging",
      "cloudtrail:StopLogging",
      "cloudtrail:GetEventSelectors",
      "cloudtrail:PutEventSelectors",
      "cloudtrail:GetInsightSelectors",
      "cloudtrail:PutInsightSelectors",
      "cloudtrail:AddTags",
      "cloudtrail:RemoveTags",
      "cloudtrail:ListTags",
    ),
    need("any", "cloudtrail:DescribeTrails"),
  ],
};

export const ALERTS_NAMES: NameSources = {
  aws_cloudwatch_event_rule: [{ path: ["name"], scope: "rule" }],
  aws_cloudwatch_event_target: [{ path: ["rule"], scope: "rule" }],
  aws_sns_topic: [{ path: ["name"], scope: "topic" }],
  aws_sns_topic_policy: [{ path: ["arn"], scope: "topic" }],
  aws_sns_topic_subscription: [{ path: ["topic_arn"], scope: "topic" }],
  aws_sqs_queue: [{ path: ["name"], scope: "queue" }],
  aws_sqs_queue_policy: [{ path: ["queue_url"], scope: "queue" }],
  aws_cloudtrail: [{ path: ["name"], scope: "trail" }],
};
