/**
 * EventBridge (internal/service/events/), SNS (internal/service/sns/), SQS
 * (internal/service/sqs/) and CloudTrail (internal/service/cloudtrail/).
 * IAM actions from the Service Authorization Reference pages of Amazon
 * EventBridge (list_amazoneventbridge.html), Amazon SNS (list_amazonsns.html),
 * Amazon SQS (list_amazonsqs.html) and AWS CloudTrail (list_awscloudtrail.html).
 * The policy resources of SNS and SQS are topic and queue attributes: their
 * delete is a Set*Attributes call.
 */
import { keyArnOf } from "./kms-iam";
import { ResourceCalls, ResourceView, call, isSet } from "./types";

const tagged = (r: ResourceView) => r.tagged;
const ruleArn = (r: ResourceView, name: unknown) => `arn:${r.partition}:events:${r.region}:${r.account}:rule/${String(name)}`;
/** A queue named by its URL (https://sqs.<region>.amazonaws.com/<account>/<name>). */
const queueArn = (r: ResourceView, url: unknown) => `arn:${r.partition}:sqs:${r.region}:${r.account}:${String(url).split("/").pop()}`;

export const ALERT_CALLS: Readonly<Record<string, ResourceCalls>> = {
  aws_cloudwatch_event_rule: {
    file: "internal/service/events/rule.go",
    service: "events",
    arns: (r) => ({ "rule-on-default-event-bus": r.arn }),
    calls: [
      call("create", "PutRule", "resourceRuleCreate -> retryPutRule"),
      call("create", "PutRule", "resourceRuleCreate (Tags)", { actions: ["events:TagResource"], when: tagged }),
      call("create", "DescribeRule", "resourceRuleCreate -> RetryWhenNotFound"),
      call("read", "DescribeRule", "resourceRuleRead -> findRuleByTwoPartKey"),
      call("read", "ListTagsForResource", "listTags (tagging interceptor)"),
      call("update", "PutRule", "resourceRuleUpdate -> retryPutRule"),
      call("update", "TagResource", "updateTags (tagging interceptor)"),
      call("update", "UntagResource", "updateTags (tagging interceptor)"),
      call("delete", "DeleteRule", "resourceRuleDelete"),
    ],
  },
  aws_cloudwatch_event_target: {
    file: "internal/service/events/target.go",
    service: "events",
    arns: (r) => ({ "rule-on-default-event-bus": ruleArn(r, r.get("rule")) }),
    calls: [
      call("create", "PutTargets", "resourceTargetCreate"),
      call("read", "ListTargetsByRule", "resourceTargetRead -> findTargetByThreePartKey"),
      call("update", "PutTargets", "resourceTargetUpdate"),
      call("delete", "RemoveTargets", "resourceTargetDelete"),
    ],
  },
  aws_sns_topic: {
    file: "internal/service/sns/topic.go",
    service: "sns",
    arns: (r) => ({ topic: r.arn }),
    calls: [
      call("create", "CreateTopic", "resourceTopicCreate"),
      call("create", "CreateTopic", "resourceTopicCreate (Tags)", { actions: ["sns:TagResource"], when: tagged }),
      call("create", "SetTopicAttributes", "resourceTopicCreate -> putTopicAttributes", { when: (r) => isSet(r.get("kms_master_key_id")) }),
      call("read", "GetTopicAttributes", "resourceTopicRead -> findTopicAttributesByARN"),
      call("read", "ListTagsForResource", "listTags (tagging interceptor)"),
      call("update", "SetTopicAttributes", "resourceTopicUpdate -> putTopicAttributes"),
      call("update", "TagResource", "updateTags (tagging interceptor)"),
      call("update", "UntagResource", "updateTags (tagging interceptor)"),
      call("delete", "DeleteTopic", "resourceTopicDelete"),
    ],
  },
  aws_sns_topic_policy: {
    file: "internal/service/sns/topic_policy.go",
    service: "sns",
    arns: (r) => ({ topic: String(r.get("arn")) }),
    calls: [
      call("create", "SetTopicAttributes", "resourceTopicPolicyUpsert -> putTopicPolicy"),
      call("read", "GetTopicAttributes", "resourceTopicPolicyRead"),
      call("update", "SetTopicAttributes", "resourceTopicPolicyUpsert"),
      call("delete", "SetTopicAttributes", "resourceTopicPolicyDelete -> putTopicPolicy"),
    ],
  },
  aws_sns_topic_subscription: {
    file: "internal/service/sns/topic_subscription.go",
    service: "sns",
    arns: (r) => ({ topic: String(r.get("topic_arn")) }),
    calls: [
      call("create", "Subscribe", "resourceTopicSubscriptionCreate", {
        context: (r) => ({ "sns:Protocol": String(r.get("protocol")), "sns:Endpoint": String(r.get("endpoint")) }),
      }),
      call("read", "GetSubscriptionAttributes", "resourceTopicSubscriptionRead -> findSubscriptionAttributesByARN"),
      call("update", "SetSubscriptionAttributes", "resourceTopicSubscriptionUpdate"),
      call("delete", "Unsubscribe", "resourceTopicSubscriptionDelete"),
      call("delete", "GetSubscriptionAttributes", "waitSubscriptionDeleted"),
    ],
  },
  aws_sqs_queue: {
    file: "internal/service/sqs/queue.go",
    service: "sqs",
    arns: (r) => ({ queue: r.arn }),
    calls: [
      call("create", "CreateQueue", "resourceQueueCreate"),
      call("create", "CreateQueue", "resourceQueueCreate (tags)", { actions: ["sqs:TagQueue"], when: tagged }),
      call("create", "GetQueueAttributes", "waitQueueAttributesPropagated"),
      call("read", "GetQueueAttributes", "resourceQueueRead -> findQueueAttributesByURL"),
      call("read", "ListQueueTags", "listTags (tagging interceptor)"),
      call("update", "SetQueueAttributes", "resourceQueueUpdate"),
      call("update", "TagQueue", "updateTags (tagging interceptor)"),
      call("update", "UntagQueue", "updateTags (tagging interceptor)"),
      call("delete", "DeleteQueue", "resourceQueueDelete"),
      call("delete", "GetQueueAttributes", "waitQueueDeleted"),
    ],
  },
  aws_sqs_queue_policy: {
    file: "internal/service/sqs/queue_policy.go",
    service: "sqs",
    arns: (r) => ({ queue: queueArn(r, r.get("queue_url")) }),
    calls: [
      call("create", "SetQueueAttributes", "queueAttributeHandler.Upsert"),
      call("create", "GetQueueAttributes", "waitQueueAttributesPropagated"),
      call("read", "GetQueueAttributes", "queueAttributeHandler.Read"),
      call("update", "SetQueueAttributes", "queueAttributeHandler.Upsert"),
      call("delete", "SetQueueAttributes", "queueAttributeHandler.Delete"),
    ],
  },
  aws_cloudtrail: {
    file: "internal/service/cloudtrail/trail.go",
    service: "cloudtrail",
    arns: (r) => ({ trail: r.arn }),
    calls: [
      call("create", "CreateTrail", "resourceTrailCreate"),
      call("create", "CreateTrail", "resourceTrailCreate (TagsList)", { actions: ["cloudtrail:AddTags"], when: tagged }),
      call("create", "StartLogging", "resourceTrailCreate -> setLogging", { when: (r) => r.get("enable_logging") !== false }),
      call("read", "DescribeTrails", "resourceTrailRead -> findTrailByARN"),
      call("read", "GetTrailStatus", "resourceTrailRead"),
      call("read", "ListTags", "listTags (tagging interceptor)"),
      call("update", "UpdateTrail", "resourceTrailUpdate"),
      call("update", "StartLogging", "resourceTrailUpdate -> setLogging", { when: (r) => r.get("enable_logging") !== false }),
      call("update", "AddTags", "UpdateTags (tagging interceptor)"),
      call("update", "RemoveTags", "UpdateTags (tagging interceptor)"),
      call("delete", "DeleteTrail", "resourceTrailDelete"),
    ],
    dependent: ["CreateTrail", "UpdateTrail"].map((api) => ({
      // CloudTrail user guide, "Configure AWS KMS key policies for CloudTrail", required elements for trails, 2:
      // "If you are using an existing S3 bucket with an S3 Bucket Key, kms:Decrypt permissions are required to create
      // or update a trail with SSE-KMS encryption enabled." (No condition is shown: the request is checked as it stands.)
      for: api,
      action: "kms:Decrypt",
      on: (r: ResourceView) => keyArnOf(r, r.get("kms_key_id")),
      when: (r: ResourceView) => isSet(r.get("kms_key_id")) && r.bucketKeyEnabled(String(r.get("s3_bucket_name"))),
      source: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html",
    })),
  },
};
