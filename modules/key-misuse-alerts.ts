import { Construct } from "constructs";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Fn } from "cdktf";
import { AwsAccount } from "./aws-account";
import { EncryptionKey } from "./encryption-key";
import { policyDocument, renderPolicy } from "./policy";

/** Key API calls that can make encrypted content unreadable, or open it up. */
export const KEY_MISUSE_EVENTS = ["DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy", "RevokeGrant", "RetireGrant"] as const;

export interface KeyMisuseAlertsProps {
  readonly account: AwsAccount;
  /** The key to watch; the topic is encrypted with it too. */
  readonly encryptionKey: EncryptionKey;
  /** Names the rule and the topic. */
  readonly name: string;
  /**
   * E-mail addresses subscribed to the topic (each must confirm its subscription).
   * @default none
   */
  readonly emails?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * An alarm when someone tampers with the key: an EventBridge rule on the
 * CloudTrail records of this key's DisableKey, ScheduleKeyDeletion,
 * PutKeyPolicy, RevokeGrant and RetireGrant calls, to an SNS topic encrypted
 * with the key. Needs CloudTrail recording management events in the Region
 * (EventBridge receives "AWS API Call via CloudTrail" events only from a trail).
 */
export class KeyMisuseAlerts extends Construct {
  readonly rule: CloudwatchEventRule;
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: KeyMisuseAlertsProps) {
    super(scope, id);
    const key = props.encryptionKey;
    const ruleName = `${props.name}-key-misuse`;
    const ruleArn = props.account.arn("events", `rule/${ruleName}`);

    // EventBridge publishes to the encrypted topic through SNS, which needs the key.
    key.allowService("EventBridgePublishesAlertsThroughSns", "events.amazonaws.com", ["kms:Decrypt", "kms:GenerateDataKey*"], {
      StringEquals: { "kms:ViaService": props.account.viaService("sns") },
    });

    this.topic = new SnsTopic(this, "topic", { name: ruleName, kmsMasterKeyId: key.keyArn, tags: props.tags });
    new SnsTopicPolicy(this, "topic_policy", {
      arn: this.topic.arn,
      policy: renderPolicy(
        policyDocument([
          {
            Sid: "ThisRulePublishes",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sns:Publish",
            Resource: this.topic.arn,
            Condition: { ArnEquals: { "aws:SourceArn": ruleArn } },
          },
        ]),
      ),
    });

    this.rule = new CloudwatchEventRule(this, "Resource", {
      name: ruleName,
      description: "Calls that disable, delete, re-policy or revoke grants of the Amazon Connect content key",
      eventPattern: Fn.jsonencode({
        source: ["aws.kms"],
        "detail-type": ["AWS API Call via CloudTrail"],
        detail: {
          eventSource: ["kms.amazonaws.com"],
          eventName: [...KEY_MISUSE_EVENTS],
          resources: { ARN: [key.keyArn] },
        },
      }),
      tags: props.tags,
    });
    new CloudwatchEventTarget(this, "target", { rule: this.rule.name, arn: this.topic.arn, targetId: "sns" });
    for (const [index, email] of (props.emails ?? []).entries()) {
      new SnsTopicSubscription(this, `email_${index + 1}`, { topicArn: this.topic.arn, protocol: "email", endpoint: email });
    }
  }
}
