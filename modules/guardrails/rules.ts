/** The rules, each a small pure function of the stack. */
import { Finding, Json, ResourceView, Rule, StackView } from "./rule";
import { PolicyDocument, PolicyStatement } from "../config/policy";

/**
 * A construct that writes a resource's policy (EncryptedBucket, EncryptionKey):
 * read by shape, so that the rules depend on no construct.
 */
function writesPolicy(owner: unknown): owner is { readonly policyDocument: PolicyDocument } {
  return typeof owner === "object" && owner !== null && "policyDocument" in owner;
}

const PCI = "PCI DSS v4.0";
const HIPAA = "HIPAA Security Rule";

/** `${aws_kms_key.<name>.arn}`: a reference to a key ARN of this stack. */
const KEY_ARN_REFERENCE = /^\$\{aws_kms_key\.[a-z0-9_]+\.arn\}$/;
const isKeyArn = (value: unknown): boolean => typeof value === "string" && KEY_ARN_REFERENCE.test(value);

const finding = (resource: ResourceView, message: string): Finding => ({ path: resource.path, message: `${resource.address}: ${message}` });
const one = (value: unknown): Json => (Array.isArray(value) ? value[0] : value) ?? {};

/** Resources of `type` whose `bucket` argument refers to the given bucket. */
function attachedTo(stack: StackView, type: string, bucket: ResourceView): ResourceView[] {
  return stack
    .ofType(type)
    .filter(
      (r) => r.config.bucket === `\${aws_s3_bucket.${bucket.name}.id}` || r.config.bucket === `\${aws_s3_bucket.${bucket.name}.bucket}`,
    );
}

export const STORAGE_CONFIG_USES_KEY_ARN: Rule = {
  id: "CE01",
  name: "storage-config-uses-key-arn",
  requirement:
    "Every S3 and Kinesis Video Streams storage config encrypts with KMS and names a customer-managed key of this stack by its full ARN.",
  fix: "Use the key's `arn` (not `key_id`, `id` or an alias) in `encryption_config.key_id`, with `encryption_type = KMS`.",
  controls: { [PCI]: ["3.5.1"], [HIPAA]: ["164.312(a)(2)(iv)"] },
  appliesTo: ["aws_connect_instance_storage_config"],
  check: (stack) =>
    stack.ofType("aws_connect_instance_storage_config").flatMap((r) => {
      const config = one(r.config.storage_config);
      const target = config.s3_config ?? config.kinesis_video_stream_config;
      if (!target) return [];
      const encryption = one(one(target).encryption_config);
      return encryption.encryption_type === "KMS" && isKeyArn(encryption.key_id)
        ? []
        : [finding(r, `encryption_config is ${JSON.stringify(encryption)}, not KMS with a key ARN of this stack`)];
    }),
};

export const KINESIS_STREAM_USES_KEY: Rule = {
  id: "CE02",
  name: "kinesis-stream-uses-key",
  requirement: "Every Kinesis data stream is encrypted (`encryption_type = KMS`) with a customer-managed key of this stack.",
  fix: 'Set `encryption_type = "KMS"` and `kms_key_id` to the key\'s ARN; never `alias/aws/kinesis`.',
  controls: { [PCI]: ["3.5.1"], [HIPAA]: ["164.312(a)(2)(iv)"] },
  appliesTo: ["aws_kinesis_stream"],
  check: (stack) =>
    stack
      .ofType("aws_kinesis_stream")
      .filter((r) => r.config.encryption_type !== "KMS" || !isKeyArn(r.config.kms_key_id))
      .map((r) => finding(r, `encryption_type ${r.config.encryption_type ?? "NONE"} with key ${r.config.kms_key_id ?? "none"}`)),
};

export const FIREHOSE_USES_KEY: Rule = {
  id: "CE03",
  name: "firehose-uses-key",
  requirement:
    "Every Firehose delivery stream encrypts buffered records with a customer-managed key (CUSTOMER_MANAGED_CMK) and writes objects with it.",
  fix: "Use Direct PUT, `server_side_encryption { enabled = true, key_type = CUSTOMER_MANAGED_CMK, key_arn = <key ARN> }` and `extended_s3_configuration.kms_key_arn`.",
  controls: { [PCI]: ["3.5.1"], [HIPAA]: ["164.312(a)(2)(iv)"] },
  appliesTo: ["aws_kinesis_firehose_delivery_stream"],
  check: (stack) =>
    stack.ofType("aws_kinesis_firehose_delivery_stream").flatMap((r) => {
      const sse = one(r.config.server_side_encryption);
      const s3 = one(r.config.extended_s3_configuration);
      const ok = sse.enabled === true && sse.key_type === "CUSTOMER_MANAGED_CMK" && isKeyArn(sse.key_arn) && isKeyArn(s3.kms_key_arn);
      return ok ? [] : [finding(r, "buffered records or delivered objects are not under a customer-managed key of this stack")];
    }),
};

export const BUCKET_SSE_KMS: Rule = {
  id: "CE04",
  name: "bucket-sse-kms-with-bucket-key",
  requirement: "Every bucket defaults to SSE-KMS with a customer-managed key of this stack and an S3 Bucket Key.",
  fix: "Add an `aws_s3_bucket_server_side_encryption_configuration` with `sse_algorithm = aws:kms`, the key's ARN and `bucket_key_enabled = true`.",
  controls: { [PCI]: ["3.5.1"], [HIPAA]: ["164.312(a)(2)(iv)"] },
  appliesTo: ["aws_s3_bucket"],
  check: (stack) =>
    stack.ofType("aws_s3_bucket").flatMap((bucket) => {
      const rules = attachedTo(stack, "aws_s3_bucket_server_side_encryption_configuration", bucket).flatMap((r) => r.config.rule ?? []);
      const ok =
        rules.length > 0 &&
        rules.every((rule: Json) => {
          const byDefault = one(rule.apply_server_side_encryption_by_default);
          return byDefault.sse_algorithm === "aws:kms" && isKeyArn(byDefault.kms_master_key_id) && rule.bucket_key_enabled === true;
        });
      return ok ? [] : [finding(bucket, "default encryption is not SSE-KMS with a key of this stack and an S3 Bucket Key")];
    }),
};

export const BUCKET_PUBLIC_ACCESS_BLOCKED: Rule = {
  id: "CE05",
  name: "bucket-public-access-blocked",
  requirement: "Every bucket blocks all four kinds of public access.",
  fix: "Add an `aws_s3_bucket_public_access_block` with all four flags true.",
  controls: { [PCI]: ["3.5.1"], [HIPAA]: ["164.312(a)(2)(iv)"] },
  appliesTo: ["aws_s3_bucket"],
  check: (stack) =>
    stack.ofType("aws_s3_bucket").flatMap((bucket) => {
      const blocks = attachedTo(stack, "aws_s3_bucket_public_access_block", bucket);
      const ok = blocks.some((b) =>
        ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"].every(
          (flag) => b.config[flag] === true,
        ),
      );
      return ok ? [] : [finding(bucket, "public access is not blocked in all four ways")];
    }),
};

export const BUCKET_TLS_ONLY: Rule = {
  id: "CE06",
  name: "bucket-tls-only",
  requirement: "Every bucket policy denies requests that do not use TLS (`aws:SecureTransport = false`) on the bucket and its objects.",
  fix: "Build the bucket with EncryptedBucket, whose policy starts with DenyInsecureTransport.",
  controls: { [PCI]: ["4.2.1"], [HIPAA]: ["164.312(e)(2)(ii)"] },
  appliesTo: ["aws_s3_bucket"],
  check: (stack) =>
    stack.ofType("aws_s3_bucket").flatMap((bucket) => {
      const owner = stack.ownerOf(bucket);
      if (!writesPolicy(owner)) return [finding(bucket, "has no policy this package wrote, so TLS-only cannot be shown")];
      const statements: PolicyStatement[] = stack.resolve(owner.policyDocument).Statement;
      const ok = statements.some(
        (s) =>
          s.Effect === "Deny" &&
          s.Principal === "*" &&
          s.Action === "s3:*" &&
          s.Condition?.Bool?.["aws:SecureTransport"] === "false" &&
          [s.Resource].flat().length === 2,
      );
      return ok ? [] : [finding(bucket, "the bucket policy does not deny non-TLS requests on the bucket and its objects")];
    }),
};

export const BUCKET_VERSIONING: Rule = {
  id: "CE07",
  name: "bucket-versioning-enabled",
  requirement: "Every bucket keeps versions, so an overwrite or deletion never loses a recording.",
  fix: "Add an `aws_s3_bucket_versioning` with status Enabled.",
  controls: { [PCI]: ["3.5.1", "10.5.1"], [HIPAA]: ["164.312(c)(1)"] },
  appliesTo: ["aws_s3_bucket"],
  check: (stack) =>
    stack
      .ofType("aws_s3_bucket")
      .filter(
        (bucket) =>
          !attachedTo(stack, "aws_s3_bucket_versioning", bucket).some((v) => one(v.config.versioning_configuration).status === "Enabled"),
      )
      .map((bucket) => finding(bucket, "versioning is not enabled")),
};

export const KEY_ROTATION: Rule = {
  id: "CE08",
  name: "key-rotation-enabled",
  requirement: "Every customer-managed key is symmetric and rotates automatically (at most every 2560 days).",
  fix: "Set `enable_key_rotation = true` and `rotation_period_in_days` from 90 to 2560.",
  controls: { [PCI]: ["3.6.1", "3.7.4"], [HIPAA]: ["164.312(a)(2)(iv)"] },
  appliesTo: ["aws_kms_key"],
  check: (stack) =>
    stack
      .ofType("aws_kms_key")
      .filter(
        (k) =>
          k.config.enable_key_rotation !== true || !(k.config.rotation_period_in_days >= 90 && k.config.rotation_period_in_days <= 2560),
      )
      .map((k) => finding(k, `rotation is ${k.config.enable_key_rotation ? `every ${k.config.rotation_period_in_days} days` : "off"}`)),
};

export const KEY_POLICY_NO_WILDCARD: Rule = {
  id: "CE09",
  name: "key-policy-no-unconditioned-wildcard",
  requirement: "No key policy statement allows `*` (any principal) without a condition, and only the account root gets `kms:*`.",
  fix: "Name principals, or add conditions such as kms:ViaService and kms:CallerAccount.",
  controls: { [PCI]: ["3.6.1"], [HIPAA]: ["164.312(a)(2)(iv)"] },
  appliesTo: ["aws_kms_key"],
  check: (stack) =>
    stack.ofType("aws_kms_key").flatMap((k) => {
      const owner = stack.ownerOf(k);
      if (!writesPolicy(owner)) return [finding(k, "has no policy this package wrote, so it cannot be checked")];
      const statements: PolicyStatement[] = stack.resolve(owner.policyDocument).Statement;
      return statements.flatMap((s) => {
        const principals = s.Principal === "*" ? ["*"] : [s.Principal?.AWS ?? []].flat();
        const problems: Finding[] = [];
        if (s.Effect === "Allow" && principals.includes("*") && !s.Condition)
          problems.push(finding(k, `statement ${s.Sid} allows * without a condition`));
        if (s.Effect === "Allow" && [s.Action].flat().includes("kms:*") && s.Sid !== "AccountRootAdministersKey")
          problems.push(finding(k, `statement ${s.Sid} grants kms:*`));
        return problems;
      });
    }),
};

export const PROTECTED_FROM_DESTROY: Rule = {
  id: "CE10",
  name: "key-and-buckets-protected-from-destroy",
  requirement:
    "Keys and buckets carry `lifecycle.prevent_destroy`, and no bucket is `force_destroy`, so a destroy or a rename cannot lose data or the key that decrypts it.",
  fix: "Keep `prevent_destroy = true`; retire data deliberately (see the README).",
  controls: { [PCI]: ["3.6.1", "3.7.5"], [HIPAA]: ["164.312(a)(2)(iv)"] },
  appliesTo: ["aws_kms_key", "aws_s3_bucket"],
  check: (stack) =>
    [...stack.ofType("aws_kms_key"), ...stack.ofType("aws_s3_bucket")]
      .filter((r) => r.config.lifecycle?.prevent_destroy !== true || r.config.force_destroy === true)
      .map((r) => finding(r, "can be destroyed by Terraform")),
};

export const REMOTE_STATE_ENCRYPTED_AND_LOCKED: Rule = {
  id: "CE11",
  name: "remote-state-encrypted-and-locked",
  requirement:
    "S3 state is encrypted with a KMS key and locked (`use_lockfile`); HCP Terraform state is managed by HCP Terraform; local state is for development only.",
  fix: "Set `encrypt = true`, `kms_key_id` and `use_lockfile = true` on the S3 backend.",
  controls: { [PCI]: ["3.5.1"], [HIPAA]: ["164.312(a)(2)(iv)"] },
  appliesTo: ["terraform.backend"],
  check: (stack) => {
    const s3 = stack.terraform.backend?.s3;
    if (!s3) return [];
    const ok = s3.encrypt === true && typeof s3.kms_key_id === "string" && s3.use_lockfile === true;
    return ok
      ? []
      : [{ path: `${stack.stackName}/backend`, message: "terraform.backend.s3: state is not both encrypted with a KMS key and locked" }];
  },
};

export const CONTENT_BUCKET_ACCESS_LOGGED: Rule = {
  id: "CE12",
  name: "content-bucket-access-logged",
  requirement: "Every bucket that Connect or Firehose writes customer content to has server access logging.",
  fix: "Keep `bucket.accessLogs` (dedicated or existing bucket); `none` needs a written reason.",
  controls: { [PCI]: ["10.2.1"], [HIPAA]: ["164.312(b)"] },
  appliesTo: ["aws_s3_bucket"],
  check: (stack) => {
    const written = new Set(
      [
        ...stack.ofType("aws_connect_instance_storage_config").map((r) => one(one(r.config.storage_config).s3_config).bucket_name),
        ...stack.ofType("aws_kinesis_firehose_delivery_stream").map((r) => one(r.config.extended_s3_configuration).bucket_arn),
      ].filter(Boolean),
    );
    return stack
      .ofType("aws_s3_bucket")
      .filter((b) => written.has(`\${aws_s3_bucket.${b.name}.bucket}`) || written.has(`\${aws_s3_bucket.${b.name}.arn}`))
      .filter((b) => attachedTo(stack, "aws_s3_bucket_logging", b).length === 0)
      .map((b) => finding(b, "holds Connect content but has no server access logging"));
  },
};

/**
 * The three rules below are the guardrail side of Checkov checks that a valid
 * declaration can fail on purpose (`.checkov.yaml` explains why Checkov must
 * skip them globally: it reads no per-resource skip in Terraform JSON). Here
 * they hold on every bucket, and the buckets a declaration exempts carry a
 * suppression with its reason, which the compliance report lists per resource.
 */
export const BUCKET_ACCESS_LOGGED: Rule = {
  id: "CE13",
  name: "bucket-access-logged",
  requirement:
    "Every bucket has S3 server access logging, or is itself the target that receives access logs (Checkov CKV_AWS_18, enforced here per bucket).",
  fix: "Keep `bucket.accessLogs` (dedicated or existing bucket); `none` needs a written reason.",
  controls: { [PCI]: ["10.2.1"], [HIPAA]: ["164.312(b)"] },
  appliesTo: ["aws_s3_bucket"],
  check: (stack) =>
    stack
      .ofType("aws_s3_bucket")
      .filter(
        (b) =>
          attachedTo(stack, "aws_s3_bucket_logging", b).length === 0 &&
          !stack
            .ofType("aws_s3_bucket_logging")
            .some((l) => [`\${aws_s3_bucket.${b.name}.id}`, `\${aws_s3_bucket.${b.name}.bucket}`].includes(l.config.target_bucket)),
      )
      .map((b) => finding(b, "neither has server access logging nor receives access logs")),
};

export const BUCKET_REPLICATED: Rule = {
  id: "CE14",
  name: "bucket-replicated",
  requirement:
    "Every bucket is copied to another Region (the source or the destination of a replication configuration) when the environment declares a copy (Checkov CKV_AWS_144, enforced here per bucket).",
  fix: "Declare `bucket.replication` (or `replicaRegion` for the state bootstrap); without it, each bucket is reported as suppressed with that reason.",
  controls: { [PCI]: ["10.3.3"], [HIPAA]: ["164.308(a)(7)(ii)(A)"] },
  appliesTo: ["aws_s3_bucket"],
  check: (stack) =>
    stack
      .ofType("aws_s3_bucket")
      .filter(
        (b) =>
          !stack
            .ofType("aws_s3_bucket_replication_configuration")
            .some((r) => JSON.stringify([r.config.bucket, r.config.rule]).includes(`\${aws_s3_bucket.${b.name}.`)),
      )
      .map((b) => finding(b, "is not copied to another Region")),
};

export const BUCKET_EVENTS_TO_EVENTBRIDGE: Rule = {
  id: "CE15",
  name: "bucket-events-to-eventbridge",
  requirement:
    "Every bucket sends its object events (created, deleted, restored) to Amazon EventBridge, where rules can alert on them (Checkov CKV2_AWS_62, enforced here per bucket).",
  fix: "Keep `bucket.eventBridgeNotifications` true; `false` (another tool manages the notifications) is reported as suppressed with that reason.",
  controls: { [PCI]: ["10.2.1"], [HIPAA]: ["164.312(b)"] },
  appliesTo: ["aws_s3_bucket"],
  check: (stack) =>
    stack
      .ofType("aws_s3_bucket")
      .filter((b) => !attachedTo(stack, "aws_s3_bucket_notification", b).some((n) => n.config.eventbridge === true))
      .map((b) => finding(b, "does not send its events to EventBridge")),
};

export const ALL_RULES: readonly Rule[] = [
  STORAGE_CONFIG_USES_KEY_ARN,
  KINESIS_STREAM_USES_KEY,
  FIREHOSE_USES_KEY,
  BUCKET_SSE_KMS,
  BUCKET_PUBLIC_ACCESS_BLOCKED,
  BUCKET_TLS_ONLY,
  BUCKET_VERSIONING,
  KEY_ROTATION,
  KEY_POLICY_NO_WILDCARD,
  PROTECTED_FROM_DESTROY,
  REMOTE_STATE_ENCRYPTED_AND_LOCKED,
  CONTENT_BUCKET_ACCESS_LOGGED,
  BUCKET_ACCESS_LOGGED,
  BUCKET_REPLICATED,
  BUCKET_EVENTS_TO_EVENTBRIDGE,
];

export interface Pack {
  readonly name: string;
  readonly framework: string;
  readonly rules: readonly Rule[];
}

/** Packs group the rules by the framework they evidence. */
export const PACKS: readonly Pack[] = [PCI, HIPAA].map((framework) => ({
  name: framework,
  framework,
  rules: ALL_RULES.filter((rule) => rule.controls[framework]?.length),
}));
