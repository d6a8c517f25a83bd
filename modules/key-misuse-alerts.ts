import { Construct } from "constructs";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Fn, TerraformCount, Token } from "cdktf";
import { Condition, applyCondition, attributeOf } from "./condition";
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
  /**
   * Whether the alerts exist (a Terraform expression in the module).
   * @default true
   */
  readonly enabled?: Condition;
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
    const enabled = props.enabled ?? true;
    const ruleName = `${props.name}-key-misuse`;
    const ruleArn = props.account.arn("events", `rule/${ruleName}`);

    // EventBridge publishes to the encrypted topic through SNS, which needs the key.
    key.allowService(
      "EventBridgePublishesAlertsThroughSns",
      "events.amazonaws.com",
      ["kms:Decrypt", "kms:GenerateDataKey*"],
      { StringEquals: { "kms:ViaService": props.account.viaService("sns") } },
      enabled,
    );

    this.topic = applyCondition(new SnsTopic(this, "topic", { name: ruleName, kmsMasterKeyId: key.keyArn, tags: props.tags }), enabled);
    const topicArn = attributeOf(this.topic, "arn", enabled);
    applyCondition(
      new SnsTopicPolicy(this, "topic_policy", {
        arn: topicArn,
        policy: renderPolicy(
          policyDocument([
            {
              Sid: "ThisRulePublishes",
              Effect: "Allow",
              Principal: { Service: "events.amazonaws.com" },
              Action: "sns:Publish",
              Resource: topicArn,
              Condition: { ArnEquals: { "aws:SourceArn": ruleArn } },
            },
          ]),
        ),
      }),
      enabled,
    );

    this.rule = applyCondition(
      new CloudwatchEventRule(this, "Resource", {
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
      }),
      enabled,
    );
    applyCondition(
      new CloudwatchEventTarget(this, "target", { rule: attributeOf(this.rule, "name", enabled), arn: topicArn, targetId: "sns" }),
      enabled,
    );
    const emails = props.emails ?? [];
    if (Token.isUnresolved(emails)) {
      // In the module the addresses are an input: one subscription per address.
      const subscriptions = new SnsTopicSubscription(this, "email", { topicArn, protocol: "email", endpoint: "" });
      const count = TerraformCount.of(Token.asNumber(Fn.conditional(enabled, Fn.lengthOf(emails), 0)));
      subscriptions.count = count;
      subscriptions.endpoint = Fn.element(emails, Token.asNumber(count.index));
    } else {
      for (const [index, email] of emails.entries()) {
        applyCondition(new SnsTopicSubscription(this, `email_${index + 1}`, { topicArn, protocol: "email", endpoint: email }), enabled);
      }
    }
  }
}
