/**
 * The invariants find, on their own, the defects that issue 20 reported and
 * the ones they found next: fixtures/before-invariants/ holds the stacks of
 * three declarations (fixtures/declarations/) as the code synthesized them
 * before the fixes (commit 68df95a), with their deployer policies. Each row
 * names the invariant, the stack, the resource and what the finding says.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { checkAllInvariants } from "../modules/invariants/evaluated";
import { checkedStack } from "../modules/invariants/facts";
import type { Violation } from "../modules/invariants/invariant";

const BEFORE = join(__dirname, "fixtures", "before-invariants");
const DECLARATIONS = readdirSync(BEFORE).sort();

const found = new Map<string, Violation[]>();
const jsonOf = new Map<string, Record<string, any>[]>();

beforeAll(async () => {
  for (const declaration of DECLARATIONS) {
    const dir = join(BEFORE, declaration);
    const stacks = readdirSync(dir)
      .filter((file) => file.endsWith(".tf.json"))
      .map((file) => {
        const name = file.replace(/\.tf\.json$/, "");
        const json = JSON.parse(readFileSync(join(dir, file), "utf8"));
        const deployerPolicy = JSON.parse(readFileSync(join(dir, `${name}.deployer.json`), "utf8"));
        return checkedStack(name, json, { deployerPolicy });
      });
    jsonOf.set(
      declaration,
      stacks.map((s) => ({ name: s.name, json: s.json })),
    );
    found.set(declaration, await checkAllInvariants(stacks));
  }
});

const has = (declaration: string, invariant: string, stack: string, resource: string, ...says: string[]) =>
  found
    .get(declaration)!
    .some((v) => v.invariant === invariant && v.stack === stack && v.resource === resource && says.every((s) => v.message.includes(s)));

test("the three declarations of the issue, as synthesized before the fixes, are all here", () => {
  expect(DECLARATIONS).toEqual(["every-option", "rootless-live-other-region", "rootless-prod-with-trail"]);
});

// Issue 20: "In a root-less environment, nobody can decrypt the alerts dead-letter queue or the trail's log files."
test.each([
  ["rootless-prod-with-trail", "connect-encryption-prod", "aws_sqs_queue.key_alerts_dead_letters", "the undelivered alerts"],
  ["rootless-prod-with-trail", "connect-encryption-prod", "aws_cloudtrail.key_alerts_trail", "log files"],
  ["rootless-prod-with-trail", "connect-encryption-prod", "aws_cloudtrail.key_alerts_trail", "digest files"],
  ["rootless-live-other-region", "connect-encryption-live", "aws_sqs_queue.key_alerts_dead_letters", "the undelivered alerts"],
])("%s: data-flow reports nobody reads %s %s (%s)", (declaration, stack, resource, what) => {
  expect(has(declaration, "data-flow", stack, resource, "nobody the declaration names can read", what)).toBe(true);
});

// Issue 20: "Creating the trail fails: ... kms:Decrypt permissions are required to create or update a trail".
test.each([
  ["every-option", "connect-encryption-prod"],
  ["rootless-prod-with-trail", "connect-encryption-prod"],
])("%s: deploy-completeness reports the deployer cannot kms:Decrypt for CreateTrail in %s", (declaration, stack) => {
  expect(
    has(declaration, "deploy-completeness", stack, "aws_cloudtrail.key_alerts_trail", "may not kms:Decrypt", "CreateTrail needs it"),
  ).toBe(true);
});

// Issue 20: "aws_s3_bucket_logging can run before the target bucket's policy exists".
test.each(DECLARATIONS)("%s: apply-order reports every bucket logging configuration of every stack", (declaration) => {
  const expected = jsonOf
    .get(declaration)!
    .flatMap(({ name, json }) =>
      Object.keys(json.resource.aws_s3_bucket_logging ?? {}).map((logging) => `${name} aws_s3_bucket_logging.${logging}`),
    );
  const reported = found
    .get(declaration)!
    .filter((v) => v.invariant === "apply-order" && v.message.includes("target bucket's policy"))
    .map((v) => `${v.stack} ${v.resource}`);
  expect(expected.length).toBeGreaterThan(2);
  expect([...new Set(reported)].sort()).toEqual(expected.sort());
});

// Found by the invariants next (not in the issue).
test.each([
  [
    "data-flow",
    "rootless-prod-with-trail",
    "connect-encryption-prod",
    "aws_connect_instance_storage_config.storage_media_streams",
    "live media",
  ],
  [
    "data-flow",
    "rootless-live-other-region",
    "connect-encryption-live",
    "aws_connect_instance_storage_config.storage_media_streams",
    "live media",
  ],
  ["deploy-completeness", "every-option", "connect-encryption-prod", "aws_iam_role.replica_role", "iam:UpdateRoleDescription"],
  [
    "deploy-completeness",
    "rootless-live-other-region",
    "connect-encryption-test",
    "aws_iam_role.ctr_firehose_role",
    "iam:UpdateRoleDescription",
  ],
  [
    "iam-metadata",
    "every-option",
    "connect-encryption-prod",
    "aws_kms_key.key",
    "kms:EncryptionContext:aws:logs:arn does not apply to kms:Describe*",
  ],
])("%s reports, in %s %s, %s: %s", (invariant, declaration, stack, resource, says) => {
  expect(has(declaration, invariant, stack, resource, says)).toBe(true);
});

test("every violation names its invariant's page and, where a declaration was at hand, nothing else is invented", () => {
  const all = [...found.values()].flat();
  expect(all.length).toBeGreaterThan(20);
  for (const v of all) expect(v.source).toMatch(/^https:\/\//);
  // Read from disk, the stacks carry no declaration: no field is named.
  expect(all.filter((v) => v.field !== undefined)).toEqual([]);
});
