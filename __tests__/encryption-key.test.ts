import { synth, Json } from "./helpers/synth";
import { KEY_ADMINISTRATION_ACTIONS, KEY_USE_ACTIONS } from "../modules/constructs/encryption-key";
import { STREAMING_STORAGE_TYPES } from "../modules/config/storage-types";

const statement = (doc: Json, sid: string): Json => {
  const found = doc.Statement.find((s: Json) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid}; have ${doc.Statement.map((s: Json) => s.Sid).join(", ")}`);
  return found;
};
const actions = (s: Json): string[] => [s.Action].flat();
const NO_STREAMING = Object.fromEntries(STREAMING_STORAGE_TYPES.map((t) => [t, { enabled: false }]));

describe("customer-managed key", () => {
  const { json, stack, resolve } = synth();
  const key = json.resource.aws_kms_key.key;
  const policy = resolve(stack.encryptionKey.policyDocument);

  test("is a symmetric encryption key with rotation on every 365 days by default", () => {
    expect(key.key_usage).toBe("ENCRYPT_DECRYPT");
    expect(key.customer_master_key_spec).toBe("SYMMETRIC_DEFAULT");
    expect(key.enable_key_rotation).toBe(true);
    expect(key.rotation_period_in_days).toBe(365);
    expect(key.deletion_window_in_days).toBe(30);
    expect(key.is_enabled).toBe(true);
    expect(key.bypass_policy_lockout_safety_check).toBe(false);
  });

  test("cannot be destroyed through Terraform", () => {
    expect(key.lifecycle).toEqual({ prevent_destroy: true });
  });

  test("takes rotation period and deletion window from the configuration", () => {
    const custom = synth({ key: { rotationPeriodInDays: 90, deletionWindowInDays: 7 } }).json.resource.aws_kms_key.key;
    expect(custom.rotation_period_in_days).toBe(90);
    expect(custom.deletion_window_in_days).toBe(7);
  });

  test("has an alias pointing at it, derived from the name prefix and environment by default", () => {
    const alias = json.resource.aws_kms_alias.key_alias;
    expect(alias.name).toBe("alias/acme-test-connect");
    expect(alias.target_key_id).toBe("${aws_kms_key.key.key_id}");
    expect(synth({ key: { alias: "contact-centre" } }).json.resource.aws_kms_alias.key_alias.name).toBe("alias/contact-centre");
    expect(synth({ key: { alias: "alias/cc/prod" } }).json.resource.aws_kms_alias.key_alias.name).toBe("alias/cc/prod");
  });

  test("writes the key policy explicitly, as a jsonencode expression", () => {
    expect(key.policy).toMatch(/^\$\{jsonencode\(\{/);
    expect(policy.Version).toBe("2012-10-17");
  });

  test("lets the account root administer the key, and only the root gets kms:*", () => {
    const root = statement(policy, "AccountRootAdministersKey");
    expect(root.Principal).toEqual({
      AWS: "arn:${data.aws_partition.account_partition.partition}:iam::${data.aws_caller_identity.account_caller.account_id}:root",
    });
    expect(root.Action).toBe("kms:*");
    const others = policy.Statement.filter((s: Json) => s.Sid !== "AccountRootAdministersKey");
    for (const s of others) expect(actions(s)).not.toContain("kms:*");
  });

  test("lets the deploying role describe the key and create only Connect's grants", () => {
    const deployer = "${data.aws_iam_session_context.key_deployer.issuer_arn}";
    const describe = statement(policy, "DeployerDescribesKey");
    expect(describe.Principal).toEqual({ AWS: [deployer] });
    expect(actions(describe)).toEqual(["kms:DescribeKey"]);

    const grants = statement(policy, "DeployerCreatesConnectGrants");
    expect(grants.Principal).toEqual({ AWS: [deployer] });
    expect(actions(grants)).toEqual(["kms:CreateGrant"]);
    expect(grants.Condition.Bool).toEqual({ "kms:GrantIsForAWSResource": "true" });
    expect(grants.Condition.StringLike["kms:GranteePrincipal"]).toBe(
      "arn:${data.aws_partition.account_partition.partition}:iam::${data.aws_caller_identity.account_caller.account_id}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_*",
    );
    // The deployer role is read from the caller's session, so an assumed role becomes its role ARN.
    expect(json.data.aws_iam_session_context.key_deployer.arn).toBe("${data.aws_caller_identity.account_caller.arn}");
  });

  test("names explicit deployer roles instead of the caller when configured", () => {
    const role = "arn:aws:iam::123456789012:role/TerraformDeployer";
    const custom = synth({ key: { deployerArns: [role] } });
    const doc = custom.resolve(custom.stack.encryptionKey.policyDocument);
    expect(statement(doc, "DeployerCreatesConnectGrants").Principal).toEqual({ AWS: [role] });
    expect(custom.json.data.aws_iam_session_context).toBeUndefined();
  });

  test("has only the root and deployer statements when nothing else needs the key", () => {
    const { stack: bare, resolve: resolveBare } = synth({ storage: NO_STREAMING, alerts: { enabled: false } });
    const sids = resolveBare(bare.encryptionKey.policyDocument).Statement.map((s: Json) => s.Sid);
    expect(sids).toEqual([
      "AccountRootAdministersKey",
      "DeployerDescribesKey",
      "DeployerListsAndRevokesGrants",
      "DeployerCreatesConnectGrants",
    ]);
  });

  test("lets the deployer list, retire and revoke grants, and nothing else of the grant API", () => {
    expect(actions(statement(policy, "DeployerListsAndRevokesGrants"))).toEqual(["kms:ListGrants", "kms:RetireGrant", "kms:RevokeGrant"]);
  });

  test("gives administrators management without data-plane use, and users data-plane use only", () => {
    const admin = "arn:aws:iam::123456789012:role/KeyAdmin";
    const user = "arn:aws:iam::123456789012:role/Analytics";
    const custom = synth({ key: { administratorArns: [admin], userArns: [user] } });
    const doc = custom.resolve(custom.stack.encryptionKey.policyDocument);
    const admins = statement(doc, "KeyAdministrators");
    expect(admins.Principal).toEqual({ AWS: [admin] });
    expect(actions(admins)).toEqual([...KEY_ADMINISTRATION_ACTIONS]);
    for (const dataPlane of ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:CreateGrant"]) {
      expect(actions(admins)).not.toContain(dataPlane);
    }
    const users = statement(doc, "KeyUsers");
    expect(users.Principal).toEqual({ AWS: [user] });
    expect(actions(users)).toEqual([...KEY_USE_ACTIONS]);
    expect(actions(users)).not.toContain("kms:PutKeyPolicy");
  });

  test("never allows a wildcard principal without a condition", () => {
    const custom = synth({
      key: { administratorArns: ["arn:aws:iam::123456789012:role/A"], userArns: ["arn:aws:iam::123456789012:role/U"] },
    });
    const doc = custom.resolve(custom.stack.encryptionKey.policyDocument);
    const wildcard = (s: any): boolean =>
      s.Principal === "*" || [s.Principal?.AWS ?? []].flat().includes("*") || [s.Principal?.Service ?? []].flat().includes("*");
    const unconditioned = doc.Statement.filter((s: any) => s.Effect === "Allow" && wildcard(s) && s.Condition === undefined);
    expect(unconditioned.map((s: any) => s.Sid)).toEqual([]);
    // The check above can fail: the same filter finds such a statement when there is one.
    const open = { Sid: "Open", Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" };
    expect([...doc.Statement, open].filter((s: any) => s.Effect === "Allow" && wildcard(s) && s.Condition === undefined)).toEqual([open]);
  });
});
