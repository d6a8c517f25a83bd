import { Construct } from "constructs";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { Fn, TerraformCount, Token } from "cdktf";
import { Condition, and, applyCondition, attributeOf, hasItems } from "./condition";
import { AwsAccount } from "./aws-account";
import { EncryptionKey } from "./encryption-key";
import { always, policyAttribute } from "./policy-document";
import { AuditTrail } from "./audit-trail";
import { LogDeliveryTarget } from "./encrypted-bucket";

/** Key API calls that can make encrypted content unreadable, or open it up. */
export const KEY_MISUSE_EVENTS = ["DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy", "RevokeGrant", "RetireGrant"] as const;

/** What EventBridge does with the alerts key to deliver to an encrypted SNS topic or SQS queue. */
export const EVENTBRIDGE_DELIVERY_KEY_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"] as const;

export interface KeyMisuseAlertsProps {
  readonly account: AwsAccount;
  /** The key to watch. The alerts never depend on it: they have a key of their own. */
  readonly watchedKey: EncryptionKey;
  /** Names the rule, the topic, the queue and the alerts key's alias. */
  readonly name: string;
  /** Alias of the alerts key, including `alias/`. */
  readonly keyAlias: string;
  /** Administrators of the alerts key (the watched key's, so that one team owns both). @default none */
  readonly keyAdministratorArns?: readonly string[];
  /** Principals that read the alerts key's configuration only (the watched key's). @default none */
  readonly keyReadOnlyArns?: readonly string[];
  /** Keep the account-root statement on the alerts key. @default true */
  readonly allowAccountRoot?: boolean;
  /**
   * Who reads what the alerts keep: the dead-letter queue (kms:Decrypt through
   * SQS) and the trail's log and digest files (kms:Decrypt through S3). Not the
   * key administrators: they manage the key and read nothing.
   * @default none (the account root, through IAM policies, when it is kept)
   */
  readonly readerArns?: readonly string[];
  /**
   * E-mail addresses subscribed to the topic (each must confirm its subscription).
   * @default none
   */
  readonly emails?: readonly string[];
  /**
   * A multi-Region CloudTrail trail for accounts that have none: the rule
   * only sees "AWS API Call via CloudTrail" events that a trail records.
   * @default none (the account's existing trail is relied on; `npm run verify` checks it)
   */
  readonly trail?: { readonly bucketName: string; readonly accessLogs?: LogDeliveryTarget | string; readonly enabled?: Condition };
  /**
   * Whether the alerts exist (a Terraform expression in the module).
   * @default true
   */
  readonly enabled?: Condition;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * An alarm when someone tampers with the key: an EventBridge rule on the
 * CloudTrail records of the key's DisableKey, ScheduleKeyDeletion,
 * PutKeyPolicy, RevokeGrant and RetireGrant calls, to an SNS topic, with a
 * dead-letter queue for what cannot be delivered. Topic and queue are
 * encrypted with a separate, small key: were they on the watched key, the
 * very calls they report (disabling it, scheduling its deletion, a policy
 * that drops EventBridge) would stop their delivery.
 */
export class KeyMisuseAlerts extends Construct {
  readonly key: EncryptionKey;
  readonly rule: CloudwatchEventRule;
  readonly topic: SnsTopic;
  readonly deadLetterQueue: SqsQueue;
  readonly trail?: AuditTrail;
  private readonly enabled: Condition;

  constructor(scope: Construct, id: string, props: KeyMisuseAlertsProps) {
    super(scope, id);
    const enabled = (this.enabled = props.enabled ?? true);
    const ruleName = `${props.name}-key-misuse`;
    const ruleArn = props.account.arn("events", `rule/${ruleName}`);
    this.key = this.alertsKey(props, ruleArn, enabled);

    this.topic = applyCondition(
      new SnsTopic(this, "topic", { name: ruleName, kmsMasterKeyId: this.key.keyArn, tags: props.tags }),
      enabled,
    );
    const topicArn = attributeOf(this.topic, "arn", enabled);
    applyCondition(
      new SnsTopicPolicy(this, "topic_policy", {
        arn: topicArn,
        // EventBridge user guide, "Amazon SNS permissions" (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions):
        // the topic lets events.amazonaws.com publish, here only for this rule.
        policy: policyAttribute(
          this,
          "topic_policy_document",
          () =>
            always([
              {
                Sid: "ThisRulePublishes",
                Effect: "Allow",
                Principal: { Service: "events.amazonaws.com" },
                Action: "sns:Publish",
                Resource: topicArn,
                Condition: { ArnEquals: { "aws:SourceArn": ruleArn }, StringEquals: { "aws:SourceAccount": props.account.accountId } },
              },
            ]),
          enabled,
        ),
      }),
      enabled,
    );
    this.deadLetterQueue = this.deadLetters(props, ruleName, ruleArn, enabled);
    this.rule = this.misuseRule(props, ruleName, enabled);
    applyCondition(
      new CloudwatchEventTarget(this, "target", {
        rule: attributeOf(this.rule, "name", enabled),
        arn: topicArn,
        targetId: "sns",
        // EventBridge user guide, "Using dead-letter queues to process undelivered events"
        // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html).
        deadLetterConfig: { arn: attributeOf(this.deadLetterQueue, "arn", enabled) },
        retryPolicy: { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 },
      }),
      enabled,
    );
    this.subscribe(topicArn, props.emails ?? [], enabled);
    if (props.trail) {
      this.trail = new AuditTrail(this, "trail", {
        account: props.account,
        name: `${props.name}-management-events`,
        bucketName: props.trail.bucketName,
        accessLogs: props.trail.accessLogs,
        encryptionKey: this.key,
        enabled: and(enabled, props.trail.enabled ?? true),
        tags: props.tags,
      });
    }
  }

  get topicArn(): string {
    return attributeOf(this.topic, "arn", this.enabled);
  }

  get deadLetterQueueArn(): string {
    return attributeOf(this.deadLetterQueue, "arn", this.enabled);
  }

  /** The key of the topic and the queue: rotation on, never destroyed, used by EventBridge for this rule only. */
  private alertsKey(props: KeyMisuseAlertsProps, ruleArn: string, enabled: Condition): EncryptionKey {
    const key = new EncryptionKey(this, "key", {
      account: props.account,
      aliasName: props.keyAlias,
      description: "Encrypts the key-misuse alerts of the Amazon Connect content key (kept apart from the key it watches)",
      administratorArns: props.keyAdministratorArns,
      readOnlyArns: props.keyReadOnlyArns,
      allowAccountRoot: props.allowAccountRoot,
      enabled,
      tags: props.tags,
    });
    // EventBridge user guide, "Amazon SNS permissions" / "Amazon SQS permissions" for encrypted
    // targets (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html),
    // scoped as its confused-deputy guidance shows, to this account and this rule.
    key.allowService("EventBridgeDeliversThisRulesAlerts", "events.amazonaws.com", EVENTBRIDGE_DELIVERY_KEY_ACTIONS, {
      StringEquals: { "aws:SourceAccount": props.account.accountId },
      ArnEquals: { "aws:SourceArn": ruleArn },
    });
    this.allowReaders(key, props, enabled);
    return key;
  }

  /** The readers decrypt the dead-letter queue through SQS and, with a trail, its files through S3. */
  private allowReaders(key: EncryptionKey, props: KeyMisuseAlertsProps, enabled: Condition): void {
    const readers = props.readerArns ?? [];
    const when = and(enabled, hasItems(readers));
    if (when === false) return;
    const callerAccount = { "kms:CallerAccount": props.account.accountId };
    key.addToPolicy(
      {
        // SQS developer guide, "Key management" (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html):
        // a consumer of an SSE-KMS queue needs kms:Decrypt; here only through SQS in this Region and account.
        Sid: "AlertReadersDecryptDeadLetters",
        Effect: "Allow",
        Principal: { AWS: readers },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: { StringEquals: { "kms:ViaService": props.account.viaService("sqs"), ...callerAccount } },
      },
      when,
    );
    if (!props.trail) return;
    key.addToPolicy(
      {
        // CloudTrail user guide, "Granting decrypt permissions" (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail-decrypt.html):
        // readers of log and digest files decrypt with the trail's encryption context; here only through S3, for this account's trails.
        Sid: "AlertReadersDecryptTrailFiles",
        Effect: "Allow",
        Principal: { AWS: readers },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: {
          StringEquals: { "kms:ViaService": props.account.viaService("s3"), ...callerAccount },
          StringLike: {
            "kms:EncryptionContext:aws:cloudtrail:arn": `arn:${props.account.partition}:cloudtrail:*:${props.account.accountId}:trail/*`,
          },
        },
      },
      and(when, props.trail.enabled ?? true),
    );
  }

  /** Alerts EventBridge could not deliver after its retries: kept 14 days, encrypted with the alerts key. */
  private deadLetters(props: KeyMisuseAlertsProps, ruleName: string, ruleArn: string, enabled: Condition): SqsQueue {
    const queue = applyCondition(
      new SqsQueue(this, "dead_letters", {
        name: `${ruleName}-undelivered`,
        kmsMasterKeyId: this.key.keyArn,
        kmsDataKeyReusePeriodSeconds: 300,
        messageRetentionSeconds: 1209600,
        tags: props.tags,
      }),
      enabled,
    );
    const queueArn = attributeOf(queue, "arn", enabled);
    applyCondition(
      new SqsQueuePolicy(this, "dead_letters_policy", {
        queueUrl: attributeOf(queue, "url", enabled),
        // EventBridge user guide, "Granting permissions to the dead-letter queue"
        // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html#eb-dlq-perms).
        policy: policyAttribute(
          this,
          "dead_letters_policy_document",
          () =>
            always([
              {
                Sid: "ThisRuleSendsUndeliveredAlerts",
                Effect: "Allow",
                Principal: { Service: "events.amazonaws.com" },
                Action: "sqs:SendMessage",
                Resource: queueArn,
                Condition: { ArnEquals: { "aws:SourceArn": ruleArn }, StringEquals: { "aws:SourceAccount": props.account.accountId } },
              },
              {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "sqs:*",
                Resource: queueArn,
                Condition: { Bool: { "aws:SecureTransport": "false" } },
              },
            ]),
          enabled,
        ),
      }),
      enabled,
    );
    return queue;
  }

  private misuseRule(props: KeyMisuseAlertsProps, ruleName: string, enabled: Condition): CloudwatchEventRule {
    return applyCondition(
      new CloudwatchEventRule(this, "Resource", {
        name: ruleName,
        description: "Calls that disable, delete, re-policy or revoke grants of the Amazon Connect content key",
        eventPattern: Fn.jsonencode({
          source: ["aws.kms"],
          "detail-type": ["AWS API Call via CloudTrail"],
          detail: {
            eventSource: ["kms.amazonaws.com"],
            eventName: [...KEY_MISUSE_EVENTS],
            resources: { ARN: [props.watchedKey.keyArn] },
          },
        }),
        tags: props.tags,
      }),
      enabled,
    );
  }

  private subscribe(topicArn: string, emails: readonly string[], enabled: Condition): void {
    if (Token.isUnresolved(emails)) {
      // In the module the addresses are an input: one subscription per address.
      const subscriptions = new SnsTopicSubscription(this, "email", { topicArn, protocol: "email", endpoint: "" });
      const count = TerraformCount.of(Token.asNumber(Fn.conditional(enabled, Fn.lengthOf(emails), 0)));
      subscriptions.count = count;
      subscriptions.endpoint = Fn.element(emails, Token.asNumber(count.index));
      return;
    }
    for (const [index, email] of emails.entries()) {
      applyCondition(new SnsTopicSubscription(this, `email_${index + 1}`, { topicArn, protocol: "email", endpoint: email }), enabled);
    }
  }
}
