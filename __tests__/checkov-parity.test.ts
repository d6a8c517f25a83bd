/**
 * Checkov cannot run in CI here (no Python package index), so this keeps its
 * measured result honest between runs, for every stack of several valid
 * declarations (helpers/declarations.ts), not only the example's. Each
 * condition is Checkov's own, read from its check sources: most S3 graph
 * checks only ask that a resource of some type references the bucket.
 *
 * Checkov reads no per-resource skip in Terraform JSON (see .checkov.yaml for
 * the source lines), so a check that a valid declaration can fail on purpose
 * is skipped globally, and a guardrail enforces it instead on every bucket:
 * a bucket that fails the check must be one the guardrail reports as
 * suppressed (with the declaration's reason), and every bucket it reports as
 * passed must pass the check.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Json } from "./helpers/synth";
import { DECLARATIONS, buildAll } from "./helpers/declarations";
import { checkStack } from "../modules/guardrails/check";
import { BUCKET_ACCESS_LOGGED, BUCKET_EVENTS_TO_EVENTBRIDGE, BUCKET_REPLICATED, BUCKET_SSE_KMS } from "../modules/guardrails/rules";
import { TerraformStack } from "cdktf";

const SKIPPED = readFileSync(join(__dirname, "..", ".checkov.yaml"), "utf8")
  .split("\n")
  .filter((line) => /^\s+- CKV/.test(line))
  .map((line) => line.trim().slice(2));

const stacks: [string, Json, TerraformStack][] = Object.entries(DECLARATIONS).flatMap(([label, decl]) =>
  buildAll(decl).map(({ name, json, stack }): [string, Json, TerraformStack] => [`${label}: ${name}`, json, stack]),
);

/** Checks a valid declaration can fail on purpose: skipped by Checkov, enforced per bucket by these guardrails. */
const ENFORCED_BY_GUARDRAIL: Record<string, string> = {
  CKV_AWS_145: BUCKET_SSE_KMS.id,
  CKV_AWS_18: BUCKET_ACCESS_LOGGED.id,
  CKV_AWS_144: BUCKET_REPLICATED.id,
  CKV2_AWS_62: BUCKET_EVENTS_TO_EVENTBRIDGE.id,
};

/** Resources of `type` whose listed attributes reference bucket `name`. */
function referencing(stack: Json, type: string, name: string, attributes: string[]): Json[] {
  return Object.values<Json>(stack.resource[type] ?? {}).filter((r) =>
    attributes.some((a) => JSON.stringify(r[a] ?? null).includes(`aws_s3_bucket.${name}.`)),
  );
}

const BUCKET_CHECKS: Record<string, (stack: Json, name: string) => boolean> = {
  // S3 buckets should have event notifications enabled
  CKV2_AWS_62: (s, b) => referencing(s, "aws_s3_bucket_notification", b, ["bucket"]).length > 0,
  // access logging: a connected aws_s3_bucket_logging, as source or as target
  CKV_AWS_18: (s, b) => referencing(s, "aws_s3_bucket_logging", b, ["bucket", "target_bucket"]).length > 0,
  // cross-Region replication: a connected aws_s3_bucket_replication_configuration
  CKV_AWS_144: (s, b) => referencing(s, "aws_s3_bucket_replication_configuration", b, ["bucket", "rule"]).length > 0,
  // a lifecycle configuration
  CKV2_AWS_61: (s, b) => referencing(s, "aws_s3_bucket_lifecycle_configuration", b, ["bucket"]).length > 0,
  // versioning enabled
  CKV_AWS_21: (s, b) =>
    referencing(s, "aws_s3_bucket_versioning", b, ["bucket"]).some((v) => v.versioning_configuration.status === "Enabled"),
  // public access block with block_public_acls and block_public_policy
  CKV2_AWS_6: (s, b) =>
    referencing(s, "aws_s3_bucket_public_access_block", b, ["bucket"]).some((p) => p.block_public_acls && p.block_public_policy),
  // default encryption is aws:kms
  CKV_AWS_145: (s, b) =>
    referencing(s, "aws_s3_bucket_server_side_encryption_configuration", b, ["bucket"]).some(
      (c) => c.rule[0].apply_server_side_encryption_by_default.sse_algorithm === "aws:kms",
    ),
};

describe.each(stacks)("the %s stack, as Checkov reads it", (_, stack, construct) => {
  const buckets = Object.keys(stack.resource.aws_s3_bucket);
  const compliance = checkStack(construct);

  test("has a terraform block whose entries are all objects, or Checkov's JSON parser scans nothing (checkov#7454)", () => {
    for (const [key, value] of Object.entries<unknown>(stack.terraform)) expect([key, typeof value]).toEqual([key, "object"]);
  });

  test.each(Object.keys(BUCKET_CHECKS).filter((id) => !SKIPPED.includes(id)))("every bucket passes %s", (id) => {
    expect(buckets.filter((bucket) => !BUCKET_CHECKS[id](stack, bucket))).toEqual([]);
  });

  test.each(Object.entries(ENFORCED_BY_GUARDRAIL))(
    "%s (skipped by Checkov) fails only on buckets that guardrail %s reports as suppressed with a reason, and holds on every bucket it passes",
    (id, ruleId) => {
      const results = compliance.results.find((r) => r.rule.id === ruleId)!.perResource;
      const resultOf = (bucket: string) => results.find((r) => r.resource === `aws_s3_bucket.${bucket}`);
      for (const bucket of buckets) {
        const result = resultOf(bucket);
        expect([bucket, result?.result]).toEqual([bucket, BUCKET_CHECKS[id](stack, bucket) ? expect.any(String) : "suppressed"]);
        if (result?.result === "suppressed") expect(result.reason).toMatch(/\w{10,}/);
        if (result?.result === "pass") expect([bucket, BUCKET_CHECKS[id](stack, bucket)]).toEqual([bucket, true]);
      }
    },
  );

  test("every KMS key rotates and carries its own policy (CKV_AWS_7, CKV2_AWS_64)", () => {
    for (const [name, key] of Object.entries<Json>(stack.resource.aws_kms_key)) {
      expect([name, key.enable_key_rotation, typeof key.policy]).toEqual([name, true, "string"]);
    }
  });
});

/** Checks the alerts trail fails by design (.checkov.yaml says why), each with the attribute Checkov reads. */
const TRAIL_BY_DESIGN: Record<string, string> = { CKV_AWS_252: "sns_topic_name", CKV2_AWS_10: "cloud_watch_logs_group_arn" };

test(".checkov.yaml skips only Checkov's false positives, the checks a valid declaration can fail on purpose, and the trail's by design", () => {
  expect(SKIPPED).toEqual(["CKV_AWS_269", "CKV_AWS_270", ...Object.keys(ENFORCED_BY_GUARDRAIL), ...Object.keys(TRAIL_BY_DESIGN)]);
});

test("the trail skips cover one trail: the alerts trail, which sets neither attribute and keeps the trail checks that hold", () => {
  const trails = stacks.flatMap(([label, stack]) =>
    Object.entries<Json>(stack.resource.aws_cloudtrail ?? {}).map(([name, trail]) => [label, name, trail] as const),
  );
  expect(trails.length).toBeGreaterThan(0);
  for (const [label, name, trail] of trails) {
    expect([label, name]).toEqual([label, "key_alerts_trail"]);
    for (const attribute of Object.values(TRAIL_BY_DESIGN))
      expect([label, attribute, trail[attribute]]).toEqual([label, attribute, undefined]);
    // CKV_AWS_67 (multi-Region), CKV_AWS_36 (log file validation), CKV_AWS_35 (KMS): the checks that hold.
    expect([label, trail.is_multi_region_trail, trail.enable_log_file_validation, typeof trail.kms_key_id]).toEqual([
      label,
      true,
      true,
      "string",
    ]);
  }
});

test("the declarations checked here do fail each globally skipped check somewhere, so the skips are needed", () => {
  for (const id of Object.keys(ENFORCED_BY_GUARDRAIL)) {
    const failing = stacks.filter(([, stack]) => Object.keys(stack.resource.aws_s3_bucket).some((b) => !BUCKET_CHECKS[id](stack, b)));
    expect([id, failing.length > 0]).toEqual([id, true]);
  }
});
