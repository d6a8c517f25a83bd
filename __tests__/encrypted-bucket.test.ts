import { synth, Json } from "./helpers/synth";

describe("recordings bucket (EncryptedBucket)", () => {
  const { json, stack, resolve } = synth();
  const policy = resolve(stack.recordings.policyDocument);
  const statement = (sid: string): Json => policy.Statement.find((s: Json) => s.Sid === sid);
  const objects = "${aws_s3_bucket.recordings.arn}/*";

  test("is named after prefix, environment, account and Region unless named explicitly", () => {
    expect(json.resource.aws_s3_bucket.recordings.bucket).toBe("acme-test-${data.aws_caller_identity.account_caller.account_id}-eu-west-2");
    expect(synth({ bucket: { name: "acme-recordings-prod" } }).json.resource.aws_s3_bucket.recordings.bucket).toBe("acme-recordings-prod");
  });

  test("cannot be destroyed through Terraform and is never force-destroyed", () => {
    const bucket = json.resource.aws_s3_bucket.recordings;
    expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
    expect(bucket.force_destroy).toBe(false);
  });

  test("encrypts by default with SSE-KMS under the key's ARN and an S3 Bucket Key", () => {
    const sse = json.resource.aws_s3_bucket_server_side_encryption_configuration.recordings_encryption;
    expect(sse.bucket).toBe("${aws_s3_bucket.recordings.id}");
    expect(sse.rule).toEqual([
      {
        apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.key.arn}" },
        bucket_key_enabled: true,
      },
    ]);
  });

  test("blocks all four kinds of public access", () => {
    expect(json.resource.aws_s3_bucket_public_access_block.recordings_public_access).toMatchObject({
      bucket: "${aws_s3_bucket.recordings.id}",
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  test("disables ACLs (BucketOwnerEnforced) and enables versioning", () => {
    expect(json.resource.aws_s3_bucket_ownership_controls.recordings_ownership.rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
    expect(json.resource.aws_s3_bucket_versioning.recordings_versioning.versioning_configuration).toEqual({ status: "Enabled" });
  });

  test("denies every request that is not over TLS, on the bucket and its objects", () => {
    expect(statement("DenyInsecureTransport")).toEqual({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: ["${aws_s3_bucket.recordings.arn}", objects],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
  });

  test("denies uploads that ask for another algorithm, but only when they ask for one", () => {
    const s = statement("DenyOtherEncryptionAlgorithms");
    expect(s).toMatchObject({ Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: objects });
    // Without the Null guard, uploads with no header (which get the bucket default) would be refused.
    expect(s.Condition).toEqual({
      Null: { "s3:x-amz-server-side-encryption": "false" },
      StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
    });
  });

  test("denies uploads that name another KMS key, accepting this key by ARN, ID or alias ARN", () => {
    const s = statement("DenyOtherKmsKeys");
    expect(s).toMatchObject({ Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: objects });
    expect(s.Condition).toEqual({
      Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
      StringNotEquals: {
        "s3:x-amz-server-side-encryption-aws-kms-key-id": [
          "${aws_kms_key.key.arn}",
          "${aws_kms_key.key.key_id}",
          "${aws_kms_alias.key_alias.arn}",
        ],
      },
    });
  });

  test("denies customer-provided keys (SSE-C)", () => {
    expect(statement("DenyCustomerProvidedKeys").Condition).toEqual({
      Null: { "s3:x-amz-server-side-encryption-customer-algorithm": "false" },
    });
  });

  test("allows nothing: every statement is a Deny, so the policy never opens the bucket", () => {
    expect(policy.Statement.map((s: Json) => s.Effect)).toEqual(["Deny", "Deny", "Deny", "Deny"]);
  });

  test("writes the policy after the public access block", () => {
    expect(json.resource.aws_s3_bucket_policy.recordings_policy.depends_on).toEqual([
      "aws_s3_bucket_public_access_block.recordings_public_access",
    ]);
  });
});
