/**
 * The read-only policies users attach for `npm run discover` and `npm run
 * verify`, evaluated with the IAM engine: every call the commands make is
 * allowed, and nothing that changes or reads content beyond them is.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decide } from "../modules/invariants/iam-engine";

const ACCOUNT = "111111111111";
const REGION = "eu-west-2";
const READER = `arn:aws:iam::${ACCOUNT}:role/ConnectDiscovery`;
const INSTANCE = `arn:aws:connect:${REGION}:${ACCOUNT}:instance/0f0e0d0c-1111-2222-3333-444455556666`;
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0a1b2c3d-0000-4000-8000-000000000001`;
const policyOf = (file: string) => JSON.parse(readFileSync(join(__dirname, "..", "examples", file), "utf8"));

// A key policy that delegates to IAM (the account-root statement): what makes an identity policy count on a key.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
const DELEGATING_KEY_POLICY = {
  Version: "2012-10-17" as const,
  Statement: [
    { Sid: "Root", Effect: "Allow" as const, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" },
  ],
};

async function decision(file: string, action: string, resource: string) {
  const resourcePolicy = action.startsWith("kms:") ? DELEGATING_KEY_POLICY : undefined;
  const result = await decide({
    principal: READER,
    action,
    resource,
    resourceAccount: ACCOUNT,
    identityPolicies: [policyOf(file)],
    resourcePolicy,
  });
  return result.decision;
}

describe("examples/discover-iam-policy.json", () => {
  // Connect API reference, ListInstanceStorageConfigs; KMS DescribeKey; STS GetCallerIdentity
  // (https://docs.aws.amazon.com/connect/latest/APIReference/API_ListInstanceStorageConfigs.html,
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonconnect.html).
  test.each([
    ["connect:ListInstanceStorageConfigs", INSTANCE],
    ["kms:DescribeKey", KEY],
    ["sts:GetCallerIdentity", "*"],
  ])("allows what discovery calls: %s", async (action, resource) => {
    expect(await decision("discover-iam-policy.json", action, resource)).toBe("Allowed");
  });

  test.each([
    ["connect:AssociateInstanceStorageConfig", INSTANCE],
    ["connect:UpdateInstanceStorageConfig", `${INSTANCE}/storage-config/abc`],
    ["connect:DisassociateInstanceStorageConfig", INSTANCE],
    ["kms:Decrypt", KEY],
    ["kms:CreateGrant", KEY],
    ["s3:GetObject", "arn:aws:s3:::acme-connect-prod-recordings/connect/CallRecordings/x.wav"],
    ["iam:PutRolePolicy", `arn:aws:iam::${ACCOUNT}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_x`],
  ])("allows nothing that changes an association or reads content: %s", async (action, resource) => {
    expect(await decision("discover-iam-policy.json", action, resource)).toBe("ImplicitlyDenied");
  });
});

describe("examples/verifier-iam-policy.json", () => {
  test.each([
    ["kms:Encrypt", KEY],
    ["kms:CreateGrant", KEY],
    ["kms:ScheduleKeyDeletion", KEY],
    ["s3:PutObject", "arn:aws:s3:::acme-connect-prod-recordings/x"],
    ["s3:DeleteObject", "arn:aws:s3:::acme-connect-prod-recordings/x"],
    ["connect:UpdateInstanceStorageConfig", `${INSTANCE}/storage-config/abc`],
    ["sns:Publish", `arn:aws:sns:${REGION}:${ACCOUNT}:acme-connect-prod-key-misuse`],
  ])("changes nothing: %s", async (action, resource) => {
    expect(await decision("verifier-iam-policy.json", action, resource)).toBe("ImplicitlyDenied");
  });

  // kms:Decrypt only through S3 (HeadObject on SSE-KMS objects), never directly.
  // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
  test("decrypts only through S3", async () => {
    const via = (service: string) =>
      decide({
        principal: READER,
        action: "kms:Decrypt",
        resource: KEY,
        resourceAccount: ACCOUNT,
        context: { "kms:ViaService": `${service}.${REGION}.amazonaws.com`, "kms:CallerAccount": ACCOUNT },
        identityPolicies: [policyOf("verifier-iam-policy.json")],
        resourcePolicy: DELEGATING_KEY_POLICY,
      });
    expect((await via("s3")).decision).toBe("Allowed");
    expect((await via("kinesis")).decision).toBe("ImplicitlyDenied");
  });
});
