/**
 * Terraform addresses of what must never be replaced. A refactor that moves
 * one of these fails here; the fix is a `moved` block in the stack (and this
 * list), never a silent rename that would plan a destroy (which
 * prevent_destroy would then refuse, blocking every deploy).
 */
import { Testing } from "cdktf";
import { resolveDeclaration } from "../modules/config/config";
import { ConnectEncryptionStack } from "../modules/stacks/connect-encryption-stack";
import { StateBootstrapStack, deployRoleSources } from "../modules/stacks/state-bootstrap-stack";
import { Json } from "./helpers/synth";
import { exampleDeclaration } from "./helpers/example";

const EXAMPLE = exampleDeclaration();

const PROTECTED = ["aws_kms_key", "aws_s3_bucket", "aws_connect_instance"];

function protectedAddresses(json: Json): string[] {
  return PROTECTED.flatMap((type) => Object.keys(json.resource[type] ?? {}).map((name) => `${type}.${name}`)).sort();
}

const WITH_NEW_INSTANCE_AND_DR_COPY = [
  "aws_connect_instance.connect",
  "aws_kms_key.key",
  "aws_kms_key.key_alerts_key",
  "aws_kms_key.replica_key",
  "aws_s3_bucket.access_logs",
  "aws_s3_bucket.recordings",
  "aws_s3_bucket.replica_bucket",
  "aws_s3_bucket.replica_logs",
];

test("the example's keys, buckets and instances keep their Terraform addresses", () => {
  const { environments, stateBootstrap } = resolveDeclaration(EXAMPLE);
  const actual: Record<string, string[]> = {};
  for (const environment of environments) {
    actual[environment.name] = protectedAddresses(JSON.parse(Testing.synth(new ConnectEncryptionStack(Testing.app(), environment))));
  }
  actual.state = protectedAddresses(
    JSON.parse(Testing.synth(new StateBootstrapStack(Testing.app(), stateBootstrap!, deployRoleSources(stateBootstrap!, environments)))),
  );
  expect(actual).toEqual({
    dev: WITH_NEW_INSTANCE_AND_DR_COPY,
    staging: WITH_NEW_INSTANCE_AND_DR_COPY,
    prod: [
      "aws_kms_key.key",
      "aws_kms_key.key_alerts_key",
      "aws_kms_key.replica_key",
      "aws_s3_bucket.access_logs",
      "aws_s3_bucket.attachments",
      "aws_s3_bucket.recordings",
      "aws_s3_bucket.replica_bucket",
      "aws_s3_bucket.replica_logs",
      // Issue 21: the copy of what Object Lock does not hold, itself without Object Lock (new, nothing moved).
      "aws_s3_bucket.replica_unlocked_bucket",
    ],
    state: [
      "aws_kms_key.state_key",
      "aws_kms_key.state_replica_key",
      "aws_s3_bucket.state_access_logs",
      "aws_s3_bucket.state_bucket",
      "aws_s3_bucket.state_replica_bucket",
      "aws_s3_bucket.state_replica_logs",
    ],
  });
});

test("the stacks declare no moved blocks yet: no protected address has ever changed", () => {
  const { environments } = resolveDeclaration(EXAMPLE);
  for (const environment of environments) {
    const json = JSON.parse(Testing.synth(new ConnectEncryptionStack(Testing.app(), environment)));
    expect(json.moved).toBeUndefined();
  }
});
