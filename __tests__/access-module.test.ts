/**
 * Access matrix for the generated Terraform MODULE (module/main.tf.json, what
 * `npm run synth` writes from modules/connect-encryption-module.ts), under a
 * representative set of inputs: the module's counts, conditionals, `one()`
 * splats and `concat()`-built policies are evaluated per input set by
 * __tests__/helpers/access/module-eval.ts (which fails on any construct it
 * does not support), and the resulting policies are judged by the same IAM
 * engine, grant model and request helpers as the stack matrix
 * (access-matrix.test.ts). Each row cites the page it rests on.
 *
 * Input sets: "minimal" (only name and instance_alias: every default),
 * "prod" (key roles, deployers, alerts with e-mail and a trail, Customer
 * Profiles, Object Lock with ATTACHMENTS stored), "alertsOff".
 */
import type { Context } from "../modules/invariants/iam-engine";
import {
  MINIMAL,
  MINIMAL_ACCOUNT,
  OTHER_ACCOUNT,
  PROD,
  PROD_ACCOUNT,
  PROD_MODULE_ROLES,
  REGION,
  stackFacts,
} from "./helpers/access/fixtures";
import { HclError, evaluateModuleAttribute, parseTemplate } from "../modules/invariants/hcl";
import { EvaluatedModule, evaluateModule } from "./helpers/access/module-eval";
import { renderModule } from "../modules/terraform-module/module-files";
import type { BucketModel, Facts, Json, PolicyDocument, StackModel } from "../modules/invariants/stack-model";
import { NO_TLS, Requests, TLS, allowAll, connectServiceRolePolicy, sseKms, throughS3 } from "../modules/invariants/requests";

// The module as Terraform JSON, as the construct synthesizes it (the committed module/ is its HCL rendering).
const moduleJson = (): Json => JSON.parse(renderModule());

const INPUTS: Record<"minimal" | "prod" | "alertsOff", { inputs: Json; facts: Facts; deployer: string; slr: string }> = {
  minimal: {
    inputs: { name: "acme-connect-min", instance_alias: "acme-connect-min" },
    facts: stackFacts(MINIMAL_ACCOUNT, MINIMAL.deployer, MINIMAL.connectServiceRole),
    deployer: MINIMAL.deployer,
    slr: MINIMAL.connectServiceRole,
  },
  prod: {
    inputs: {
      name: "acme-connect-prod",
      instance_alias: "acme-connect-prod",
      ...PROD_MODULE_ROLES,
      key_misuse_alerts_enabled: true,
      alert_emails: ["security-alerts@example.com"],
      alerts_create_trail: true,
      customer_profiles_domain_name: PROD.profilesDomain,
      object_lock: { mode: "COMPLIANCE", years: 7, locked_types: ["CALL_RECORDINGS"] },
      s3_storage: { CALL_RECORDINGS: {}, CHAT_TRANSCRIPTS: {}, SCREEN_RECORDINGS: {}, ATTACHMENTS: { prefix: "connect/Attachments" } },
    },
    facts: stackFacts(PROD_ACCOUNT, PROD.deployer, PROD.connectServiceRole),
    deployer: PROD.deployer,
    slr: PROD.connectServiceRole,
  },
  alertsOff: {
    inputs: { name: "acme-connect-quiet", instance_alias: "acme-connect-quiet", key_misuse_alerts_enabled: false },
    facts: stackFacts(MINIMAL_ACCOUNT, MINIMAL.deployer, MINIMAL.connectServiceRole),
    deployer: MINIMAL.deployer,
    slr: MINIMAL.connectServiceRole,
  },
};
type Name = keyof typeof INPUTS;
const NAMES = Object.keys(INPUTS) as Name[];

const evaluated = {} as Record<Name, EvaluatedModule>;
const requests = {} as Record<Name, Requests>;

beforeAll(() => {
  const module = moduleJson();
  for (const name of NAMES) {
    evaluated[name] = evaluateModule(module, INPUTS[name].inputs, INPUTS[name].facts, REGION);
    requests[name] = new Requests(evaluated[name].model);
  }
});

const model = (name: Name): StackModel => evaluated[name].model;

function contentKeyArn(m: StackModel): string {
  const keys = new Set(m.storageConfigs().flatMap((c) => (c.keyArn ? [c.keyArn] : [])));
  if (keys.size !== 1) throw new Error(`expected one content key, found ${[...keys].join(", ")}`);
  return [...keys][0];
}

function storageConfig(m: StackModel, resourceType: string) {
  const config = m.storageConfigs().find((c) => c.resourceType === resourceType);
  if (!config) throw new Error(`no storage config for ${resourceType}`);
  return config;
}

/** Statements whose condition carries a null value (what `one([])` of an absent resource writes). */
function nullConditions(policy: PolicyDocument | undefined): string[] {
  return (policy?.Statement ?? []).flatMap((s) =>
    Object.values<Json>(s.Condition ?? {}).some((operator) => Object.values(operator).some((v) => v === null)) ? [String(s.Sid)] : [],
  );
}

/** Buckets whose policy the engine can read (see the null-condition row). */
const evaluableBuckets = (name: Name): BucketModel[] =>
  model(name)
    .buckets()
    .filter((b) => nullConditions(b.policy).length === 0);

describe("the module evaluator", () => {
  const refs = (p: readonly (string | number)[]): unknown => {
    if (p.join(".") === "local.m") return { b: { x: 1 }, a: { x: null } };
    throw new Error(`unknown ${p.join(".")}`);
  };

  test("evaluates the module dialect", () => {
    expect(evaluateModuleAttribute("${{ for k, v in local.m : k => coalesce(v.x, 7) }}", refs)).toEqual({ a: 7, b: 1 });
    expect(evaluateModuleAttribute("${keys(local.m)}", refs)).toEqual(["a", "b"]);
    expect(evaluateModuleAttribute('${lookup(local.m, "c", "d")}', refs)).toBe("d");
    expect(evaluateModuleAttribute('${try(local.m["c"], "fallback")}', refs)).toBe("fallback");
    expect(evaluateModuleAttribute("${length(concat([1], [2, 3])) >= 3 && !(1 < 0) || false}", refs)).toBe(true);
    expect(evaluateModuleAttribute('${contains(keys(local.m), "a") ? 1 : 0}', refs)).toBe(1);
    // element() wraps its index around the list, as Terraform's does.
    expect(evaluateModuleAttribute('${element(["a", "b"], 3)}', refs)).toBe("b");
  });

  test("refuses what it does not support, and the stack dialect is unchanged", () => {
    expect(() => evaluateModuleAttribute("${[for x in local.m : x]}", refs)).toThrow(/tuple for/);
    expect(() => evaluateModuleAttribute("${{ for k, v in local.m : k => v if v != null }}", refs)).toThrow(/if clauses/);
    expect(() => evaluateModuleAttribute("${reverse(local.m)}", refs)).toThrow(/unsupported function reverse/);
    expect(() => evaluateModuleAttribute("${element(local.m, 0)}", refs)).toThrow(/element\(\) of an empty or non-list/);
    // try() absorbs lookup failures only, never an unsupported construct.
    expect(() => evaluateModuleAttribute('${try(regex("a", "b"), 1)}', refs)).toThrow(/unsupported function regex/);
    expect(() => evaluateModuleAttribute('${"x${null}"}', refs)).toThrow(/null/);
    expect(() => parseTemplate("${aws_iam_role.r[*].arn}")).toThrow(HclError);
    expect(() => parseTemplate("${1 < 2}")).toThrow(HclError);
    const module = moduleJson();
    const f = INPUTS.minimal.facts;
    expect(() => evaluateModule(module, {}, f, REGION)).toThrow(/variable name is required/);
    expect(() => evaluateModule(module, { name: "a", no_such_input: 1 }, f, REGION)).toThrow(/no variable no_such_input/);
    expect(() => evaluateModule(module, { name: "a", object_lock: { mode: "COMPLIANCE", yeras: 7 } }, f, REGION)).toThrow(/yeras/);
    expect(() => evaluateModule(module, { name: "a", key_users: "arn" }, f, REGION)).toThrow(/does not fit list/);
    const withForEach = {
      ...module,
      resource: { ...module.resource, aws_sqs_queue: { ...module.resource.aws_sqs_queue, q: { for_each: "${var.tags}", name: "q" } } },
    };
    expect(() => evaluateModule(withForEach, { name: "a" }, f, REGION)).toThrow(/for_each/);
    const withIndex = {
      ...module,
      resource: { ...module.resource, aws_sqs_queue: { ...module.resource.aws_sqs_queue, q: { name: "q-${count.index}" } } },
    };
    expect(() => evaluateModule(withIndex, { name: "a" }, f, REGION).model.queues()).toThrow(/count.index/);
  });
});

describe("the module under each input set", () => {
  test("counts decide which parts exist", () => {
    const i = (name: Name) => evaluated[name].instances;
    expect(i("minimal")["aws_s3_bucket.attachments"]).toBe(0);
    expect(i("prod")["aws_s3_bucket.attachments"]).toBe(1);
    expect(i("prod")["aws_s3_bucket_object_lock_configuration.recordings_object_lock"]).toBe(1);
    expect(i("minimal")["aws_s3_bucket_object_lock_configuration.recordings_object_lock"]).toBe(0);
    expect(i("prod")["aws_customerprofiles_domain.customer_profiles"]).toBe(1);
    expect(i("minimal")["aws_customerprofiles_domain.customer_profiles"]).toBe(0);
    expect(i("prod")["aws_sns_topic_subscription.key_alerts_email"]).toBe(1);
    expect(i("prod")["data.aws_iam_session_context.deployer"]).toBe(0);
    expect(i("minimal")["data.aws_iam_session_context.deployer"]).toBe(1);
    expect(i("alertsOff")["aws_sns_topic.key_alerts_topic"]).toBe(0);
    expect(
      model("alertsOff")
        .keys()
        .map((k) => k.address),
    ).toEqual(["aws_kms_key.key"]);
    expect(model("alertsOff").topics()).toEqual([]);
    expect(model("alertsOff").queues()).toEqual([]);
    // Every policy in the returned JSON is a concrete document.
    for (const name of NAMES) {
      for (const [, blocks] of Object.entries<Json>(evaluated[name].json.resource)) {
        for (const block of Object.values<Json>(blocks)) {
          if (block.policy !== undefined) expect(typeof block.policy).toBe("object");
        }
      }
    }
  });

  // A bucket policy's statements about optional buckets (attachments, trail) exist only with those
  // buckets: a statement kept with "aws:SourceArn": null is no valid policy (condition values are
  // strings), so S3 would refuse PutBucketPolicy with MalformedPolicy.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
  test.each(["minimal", "prod", "alertsOff"] as const)("%s: no bucket policy statement has a null condition value", async (name) => {
    const found = model(name)
      .buckets()
      .flatMap((b) => nullConditions(b.policy).map((sid) => `${b.name}:${sid}`));
    expect(found).toEqual([]);
    // ... and the recordings' logs are still delivered, now that the engine can read the policy.
    const buckets = model(name).buckets();
    const logs = buckets.find((b) => b.name.includes("-logs-"))!;
    const recordings = buckets.find((b) => b.address === "aws_s3_bucket.recordings")!;
    const context = { ...TLS, "aws:SourceArn": recordings.arn, "aws:SourceAccount": requests[name].account };
    expect(await requests[name].s3("logging.s3.amazonaws.com", "s3:PutObject", logs, "recordings/x", context)).toBe("Allowed");
  });
});

describe("Connect's service-linked role writes through the association grant and the bucket policy", () => {
  // Connect creates a grant for the instance's service-linked role at association time and writes
  // with SSE-KMS under the associated key; S3 calls KMS on its behalf (ViaService s3, Bucket Key context).
  // https://docs.aws.amazon.com/connect/latest/adminguide/key-management.html
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
  test.each(NAMES)("%s: every S3 content type is written under the content key", async (name) => {
    const m = model(name);
    const r = requests[name];
    const configs = m.storageConfigs().filter((c) => c.storageType === "S3");
    expect(configs.map((c) => c.resourceType).sort()).toEqual(Object.keys(evaluated[name].inputs.s3_storage as Json).sort());
    for (const config of configs) {
      const bucket = m.bucket(config.bucketName!);
      const object = `${config.prefix}/2026/12/01/contact.wav`;
      expect(config.keyArn).toBe(bucket.encryption?.kmsKeyArn);
      const put = await r.s3(INPUTS[name].slr, "s3:PutObject", bucket, object, { ...TLS, ...sseKms(config.keyArn!) }, [
        connectServiceRolePolicy(m),
      ]);
      expect([config.resourceType, put]).toEqual([config.resourceType, "Allowed"]);
      const write = await r.kms(INPUTS[name].slr, "kms:GenerateDataKey", config.keyArn!, throughS3(bucket, object, r.account));
      expect([config.resourceType, write.decision, write.by]).toEqual([
        config.resourceType,
        "Allowed",
        expect.stringMatching(/^grant connect-association:/),
      ]);
    }
  });

  // Without the grants the key policy alone does not let the role in.
  // https://docs.aws.amazon.com/kms/latest/developerguide/grants.html
  test.each(NAMES)("%s: the service-linked role has no key-policy access of its own", async (name) => {
    const m = model(name);
    const bucket = m.bucket(storageConfig(m, "CALL_RECORDINGS").bucketName!);
    const noGrants = requests[name].withGrants(() => false);
    expect(
      await noGrants.kmsDecision(INPUTS[name].slr, "kms:GenerateDataKey", contentKeyArn(m), throughS3(bucket, "x", requests[name].account)),
    ).toBe("ImplicitlyDenied");
  });

  // Connect stream writes: Terraform's aws_kms_grant (GenerateDataKey, context aws:kinesis:arn).
  // https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html
  test.each(NAMES)("%s: the Kinesis stream grants are in effect and scoped to their stream", async (name) => {
    const m = model(name);
    const r = requests[name].withGrants((g) => g.source.startsWith("aws_kms_grant."));
    const stream = storageConfig(m, "AGENT_EVENTS").streamArn!;
    const via = { "kms:ViaService": `kinesis.${REGION}.amazonaws.com`, "kms:CallerAccount": r.account };
    const key = contentKeyArn(m);
    const slr = INPUTS[name].slr;
    expect(await r.kmsDecision(slr, "kms:GenerateDataKey", key, { ...via, "kms:EncryptionContext:aws:kinesis:arn": stream })).toBe(
      "Allowed",
    );
    const other = `arn:aws:kinesis:${REGION}:${r.account}:stream/someone-elses-stream`;
    expect(await r.kmsDecision(slr, "kms:GenerateDataKey", key, { ...via, "kms:EncryptionContext:aws:kinesis:arn": other })).toBe(
      "ImplicitlyDenied",
    );
    expect(await r.kmsDecision(slr, "kms:Decrypt", key, { ...via, "kms:EncryptionContext:aws:kinesis:arn": stream })).toBe(
      "ImplicitlyDenied",
    );
  });
});

describe("attachments are never in the Object Lock bucket", () => {
  // Connect deletes chat attachments it rejects (malware scanning, expiry): a bucket under
  // Object Lock retention cannot serve them, so ATTACHMENTS must land in a bucket without it.
  // https://docs.aws.amazon.com/connect/latest/adminguide/enable-attachments.html
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
  test.each(NAMES)("%s: the ATTACHMENTS bucket has no Object Lock", (name) => {
    const m = model(name);
    const locked = m
      .resources("aws_s3_bucket_object_lock_configuration")
      .map(([address, block]) => m.string(block.bucket, `${address}.bucket`));
    const lockEnabled = m
      .resources("aws_s3_bucket")
      .filter(([, block]) => m.value(block.object_lock_enabled ?? false) === true)
      .map(([address, block]) => m.string(block.bucket, `${address}.bucket`));
    const attachments = storageConfig(m, "ATTACHMENTS").bucketName!;
    expect(locked).not.toContain(attachments);
    expect(lockEnabled).not.toContain(attachments);
    if (name === "prod") {
      expect(locked).toEqual([m.bucket(storageConfig(m, "CALL_RECORDINGS").bucketName!).name]);
      expect(attachments).not.toBe(storageConfig(m, "CALL_RECORDINGS").bucketName);
    }
  });
});

describe("key-misuse alerts", () => {
  const alerting = (m: StackModel) => {
    const rule = m.described("aws_cloudwatch_event_rule", ["arn", "name"])[0];
    const [, target] = m.resources("aws_cloudwatch_event_target")[0];
    const topic = m.topics()[0];
    if (!rule || !target || !topic) throw new Error("no alerting");
    expect(m.value(target.arn)).toBe(topic.arn);
    expect(m.value(target.rule)).toBe(rule.name);
    return { topic, ruleArn: rule.arn!, deadLetter: String(m.value(target.dead_letter_config.arn)) };
  };
  const sourced = (r: Requests, ruleArn: string): Context => ({ "aws:SourceArn": ruleArn, "aws:SourceAccount": r.account, ...TLS });
  const otherRule = (r: Requests) => `arn:aws:events:${REGION}:${r.account}:rule/someone-elses-rule`;
  const ALERTING: Name[] = ["minimal", "prod"];

  // EventBridge publishes to the topic, scoped to this rule.
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
  test.each(ALERTING)("%s: only this rule publishes to the alert topic", async (name) => {
    const r = requests[name];
    const { topic, ruleArn } = alerting(model(name));
    expect(await r.withResourcePolicy("events.amazonaws.com", "sns:Publish", topic.arn, topic.policy, sourced(r, ruleArn))).toBe("Allowed");
    expect(await r.withResourcePolicy("events.amazonaws.com", "sns:Publish", topic.arn, topic.policy, sourced(r, otherRule(r)))).not.toBe(
      "Allowed",
    );
  });

  // The topic and queue key is not the content key, and EventBridge may use it for this rule only.
  // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#sns-what-permissions-for-sse
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-encryption-key-policy.html
  test.each(ALERTING)("%s: the alert topic/queue key is its own, scoped to the rule ARN", async (name) => {
    const m = model(name);
    const r = requests[name];
    const { topic, ruleArn, deadLetter } = alerting(m);
    const queue = m.queues().find((q) => q.arn === deadLetter)!;
    expect(topic.kmsKeyArn).toBeDefined();
    expect(topic.kmsKeyArn).not.toBe(contentKeyArn(m));
    expect(queue.kmsKeyArn).toBe(topic.kmsKeyArn);
    for (const [service, action] of [
      ["sns", "kms:GenerateDataKey"],
      ["sns", "kms:Decrypt"],
      ["sqs", "kms:GenerateDataKey"],
    ]) {
      const via = { "kms:ViaService": `${service}.${REGION}.amazonaws.com`, "aws:SourceAccount": r.account };
      expect(await r.kmsDecision("events.amazonaws.com", action, topic.kmsKeyArn!, { ...via, "aws:SourceArn": ruleArn })).toBe("Allowed");
      expect(await r.kmsDecision("events.amazonaws.com", action, topic.kmsKeyArn!, { ...via, "aws:SourceArn": otherRule(r) })).toBe(
        "ImplicitlyDenied",
      );
    }
    // EventBridge gets nothing on the content key.
    expect(
      await r.kmsDecision("events.amazonaws.com", "kms:GenerateDataKey", contentKeyArn(m), {
        "kms:ViaService": `sns.${REGION}.amazonaws.com`,
        "aws:SourceArn": ruleArn,
        "aws:SourceAccount": r.account,
      }),
    ).toBe("ImplicitlyDenied");
  });

  // Undelivered events go to a dead-letter queue only this rule may send to, over TLS.
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
  test.each(ALERTING)("%s: the dead-letter queue takes this rule's undelivered alerts only, over TLS", async (name) => {
    const r = requests[name];
    const { ruleArn, deadLetter } = alerting(model(name));
    const queue = model(name)
      .queues()
      .find((q) => q.arn === deadLetter)!;
    const send = (context: Context) => r.withResourcePolicy("events.amazonaws.com", "sqs:SendMessage", queue.arn, queue.policy, context);
    expect(await send(sourced(r, ruleArn))).toBe("Allowed");
    expect(await send(sourced(r, otherRule(r)))).not.toBe("Allowed");
    expect(await send({ ...sourced(r, ruleArn), ...NO_TLS })).toBe("ExplicitlyDenied");
  });
});

describe("Customer Profiles", () => {
  const domainArn = (account: string, domain = PROD.profilesDomain) => `arn:aws:profile:${REGION}:${account}:domains/${domain}`;

  // Customer Profiles needs GenerateDataKey, CreateGrant and Decrypt, scoped by aws:SourceAccount
  // and aws:SourceArn (confused-deputy prevention).
  // https://docs.aws.amazon.com/connect/latest/adminguide/enable-customer-profiles.html
  // https://docs.aws.amazon.com/connect/latest/adminguide/cross-service-confused-deputy-prevention.html
  test("prod: profile.amazonaws.com may CreateGrant (and use the key) for this domain only", async () => {
    const r = requests.prod;
    const key = contentKeyArn(model("prod"));
    for (const action of ["kms:CreateGrant", "kms:GenerateDataKey", "kms:Decrypt"]) {
      const own = { "aws:SourceAccount": r.account, "aws:SourceArn": domainArn(r.account) };
      expect(await r.kmsDecision("profile.amazonaws.com", action, key, own)).toBe("Allowed");
      const otherDomain = { "aws:SourceAccount": r.account, "aws:SourceArn": domainArn(r.account, "other-domain") };
      expect(await r.kmsDecision("profile.amazonaws.com", action, key, otherDomain)).toBe("ImplicitlyDenied");
      const otherAccount = { "aws:SourceAccount": OTHER_ACCOUNT, "aws:SourceArn": domainArn(OTHER_ACCOUNT) };
      expect(await r.kmsDecision("profile.amazonaws.com", action, key, otherAccount)).toBe("ImplicitlyDenied");
    }
  });

  // Without a domain the key policy names no Customer Profiles principal.
  // https://docs.aws.amazon.com/connect/latest/adminguide/enable-customer-profiles.html
  test("minimal: without customer_profiles_domain_name, Customer Profiles may not use the key", async () => {
    const r = requests.minimal;
    const context = { "aws:SourceAccount": r.account, "aws:SourceArn": domainArn(r.account) };
    expect(await r.kmsDecision("profile.amazonaws.com", "kms:CreateGrant", contentKeyArn(model("minimal")), context)).toBe(
      "ImplicitlyDenied",
    );
  });
});

describe("people: administrators, users, auditors, consumers", () => {
  // Key administrators manage the key but the key policy gives them no cryptographic use.
  // The module always keeps the account-root statement (kms:* for the account), so an IAM
  // policy of the account can still grant it: asserted, so a change is noticed.
  // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-administrators
  // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
  test("prod: a key administrator manages the key but cannot Decrypt by the key policy", async () => {
    const r = requests.prod;
    const key = contentKeyArn(model("prod"));
    for (const action of ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:RevokeGrant"]) {
      expect(await r.kmsDecision(PROD.administrator, action, key)).toBe("Allowed");
    }
    const bucket = model("prod").bucket(storageConfig(model("prod"), "CALL_RECORDINGS").bucketName!);
    for (const action of ["kms:Decrypt", "kms:GenerateDataKey", "kms:Encrypt", "kms:CreateGrant"]) {
      expect(await r.kmsDecision(PROD.administrator, action, key)).toBe("ImplicitlyDenied");
      expect(await r.kmsDecision(PROD.administrator, action, key, throughS3(bucket, "a", r.account))).toBe("ImplicitlyDenied");
    }
    expect(await r.kmsDecision(PROD.administrator, "kms:Decrypt", key, {}, [allowAll("kms")])).toBe("Allowed");
  });

  // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-users
  test("prod: a key user encrypts and decrypts but does not manage the key", async () => {
    const r = requests.prod;
    const key = contentKeyArn(model("prod"));
    expect(await r.kmsDecision(PROD.user, "kms:Decrypt", key)).toBe("Allowed");
    expect(await r.kmsDecision(PROD.user, "kms:GenerateDataKey", key)).toBe("Allowed");
    expect(await r.kmsDecision(PROD.user, "kms:PutKeyPolicy", key)).toBe("ImplicitlyDenied");
  });

  // Auditors and consumers decrypt only through S3 in this Region and account.
  // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
  // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account
  test.each([
    ["auditor", PROD.auditor],
    ["consumer", PROD.consumer],
  ])("prod: the %s decrypts through S3 only", async (_, who) => {
    const r = requests.prod;
    const key = contentKeyArn(model("prod"));
    const bucket = model("prod").bucket(storageConfig(model("prod"), "CALL_RECORDINGS").bucketName!);
    const via = throughS3(bucket, "connect/CallRecordings/a.wav", r.account);
    expect(await r.kmsDecision(who, "kms:Decrypt", key, via)).toBe("Allowed");
    expect(await r.kmsDecision(who, "kms:Decrypt", key, { "kms:CallerAccount": r.account })).toBe("ImplicitlyDenied");
    expect(await r.kmsDecision(who, "kms:Decrypt", key, { ...via, "kms:ViaService": `kinesis.${REGION}.amazonaws.com` })).toBe(
      "ImplicitlyDenied",
    );
    expect(await r.kmsDecision(who, "kms:Decrypt", key, { ...via, "kms:CallerAccount": OTHER_ACCOUNT })).toBe("ImplicitlyDenied");
    expect(await r.kmsDecision(who, "kms:GenerateDataKey", key, via)).toBe("ImplicitlyDenied");
  });
});

describe("denials", () => {
  // Another account: neither key nor bucket policies name it.
  // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html
  test.each(NAMES)("%s: another account's principal cannot use any key or read any bucket", async (name) => {
    const r = requests[name];
    const outsider = `arn:aws:iam::${OTHER_ACCOUNT}:role/Admin`;
    for (const key of model(name).keys()) {
      for (const action of ["kms:Decrypt", "kms:GenerateDataKey", "kms:CreateGrant", "kms:PutKeyPolicy"]) {
        const decision = await r.kmsDecision(outsider, action, key.arn, { "kms:CallerAccount": OTHER_ACCOUNT }, [allowAll("kms")]);
        expect([key.address, action, decision]).toEqual([key.address, action, "ImplicitlyDenied"]);
      }
    }
    for (const bucket of evaluableBuckets(name)) {
      expect([bucket.name, await r.s3(outsider, "s3:GetObject", bucket, "any", TLS, [allowAll("s3")])]).toEqual([
        bucket.name,
        "ImplicitlyDenied",
      ]);
    }
  });

  // Every bucket refuses requests not made over TLS, even from principals allowed s3:*.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
  test.each(NAMES)("%s: every bucket refuses non-TLS requests", async (name) => {
    const r = requests[name];
    const admin = `arn:aws:iam::${r.account}:role/StorageAdmin`;
    expect(evaluableBuckets(name).length).toBeGreaterThan(0);
    for (const bucket of evaluableBuckets(name)) {
      expect(bucket.policy).toBeDefined();
      expect([bucket.name, await r.s3(admin, "s3:GetObject", bucket, "a", TLS, [allowAll("s3")])]).toEqual([bucket.name, "Allowed"]);
      expect([bucket.name, await r.s3(admin, "s3:GetObject", bucket, "a", NO_TLS, [allowAll("s3")])]).toEqual([
        bucket.name,
        "ExplicitlyDenied",
      ]);
      expect([bucket.name, await r.s3(admin, "s3:PutObject", bucket, "a", NO_TLS, [allowAll("s3")])]).toEqual([
        bucket.name,
        "ExplicitlyDenied",
      ]);
    }
  });

  // SSE-KMS buckets accept only their own key.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/specifying-kms-encryption.html
  test.each(NAMES)("%s: PutObject with another KMS key, AES256 or SSE-C is refused", async (name) => {
    const r = requests[name];
    const writer = `arn:aws:iam::${r.account}:role/Writer`;
    const buckets = r.kmsBuckets();
    expect(buckets.length).toBeGreaterThan(0);
    const put = (bucket: BucketModel, context: Context) =>
      r.s3(writer, "s3:PutObject", bucket, "x", { ...TLS, ...context }, [allowAll("s3")]);
    for (const bucket of buckets) {
      const otherKey = `arn:aws:kms:${bucket.region}:${r.account}:key/00000000-1111-2222-3333-444444444444`;
      expect([bucket.name, await put(bucket, sseKms(bucket.encryption!.kmsKeyArn!))]).toEqual([bucket.name, "Allowed"]);
      expect([bucket.name, await put(bucket, sseKms(otherKey))]).toEqual([bucket.name, "ExplicitlyDenied"]);
      expect([bucket.name, await put(bucket, { "s3:x-amz-server-side-encryption": "AES256" })]).toEqual([bucket.name, "ExplicitlyDenied"]);
      expect([bucket.name, await put(bucket, { "s3:x-amz-server-side-encryption-customer-algorithm": "AES256" })]).toEqual([
        bucket.name,
        "ExplicitlyDenied",
      ]);
    }
  });

  // The deployer runs Terraform; the key policy gives it no Decrypt.
  // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
  test.each(NAMES)("%s: the deployer cannot decrypt content by the key policy", async (name) => {
    const r = requests[name];
    const m = model(name);
    const key = contentKeyArn(m);
    const bucket = m.bucket(storageConfig(m, "CALL_RECORDINGS").bucketName!);
    for (const context of [
      {},
      throughS3(bucket, "connect/CallRecordings/a.wav", r.account),
      { "kms:ViaService": `kinesis.${REGION}.amazonaws.com`, "kms:CallerAccount": r.account },
    ]) {
      expect(await r.kmsDecision(INPUTS[name].deployer, "kms:Decrypt", key, context)).toBe("ImplicitlyDenied");
    }
  });

  // The deployer lets Connect create its grant, and no other grantee.
  // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grantee-principal
  // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource
  test.each(NAMES)("%s: the deployer's CreateGrant is for Connect's role only", async (name) => {
    const r = requests[name];
    const { deployer, slr } = INPUTS[name];
    const key = contentKeyArn(model(name));
    const connectGrant = { "kms:GranteePrincipal": slr, "kms:GrantIsForAWSResource": "true", "kms:GrantOperations": ["Decrypt"] };
    expect(await r.kmsDecision(deployer, "kms:CreateGrant", key, connectGrant)).toBe("Allowed");
    const grantees = [
      `arn:aws:iam::${r.account}:role/Attacker`,
      deployer,
      `arn:aws:iam::${OTHER_ACCOUNT}:root`,
      `arn:aws:iam::${OTHER_ACCOUNT}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_x`,
    ];
    for (const grantee of grantees) {
      for (const isForAwsResource of ["true", "false"]) {
        const context = {
          "kms:GranteePrincipal": grantee,
          "kms:GrantOperations": ["Decrypt"],
          "kms:GrantIsForAWSResource": isForAwsResource,
        };
        expect([grantee, isForAwsResource, await r.kmsDecision(deployer, "kms:CreateGrant", key, context)]).toEqual([
          grantee,
          isForAwsResource,
          "ImplicitlyDenied",
        ]);
      }
    }
  });
});
