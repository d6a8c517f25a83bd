/**
 * Tests of the access matrix's own machinery: the HCL-subset parser, the
 * reference resolver, the engine's encryption-context gap and the shim that
 * covers it, and the grant model. If these are wrong, the matrix proves nothing.
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { HclError, evaluateAttribute, parseTemplate } from "../modules/invariants/hcl";
import { decide } from "../modules/invariants/iam-engine";
import { reducedFor, resourceMatches, wildcardMatch } from "../modules/invariants/request-reduction";
import { Grant, decideKms, grantPermits } from "../modules/invariants/grants";
import { KeyModel, PolicyDocument, StackModel } from "../modules/invariants/stack-model";

const ACCOUNT = "123456789012";
const KEY = `arn:aws:kms:eu-west-2:${ACCOUNT}:key/k`;

describe("HCL subset parser", () => {
  const refs = (path: readonly (string | number)[]): unknown => {
    const table: Record<string, unknown> = {
      "aws_iam_role.r.arn": `arn:aws:iam::${ACCOUNT}:role/r`,
      "data.aws_partition.p.partition": "aws",
      "data.aws_caller_identity.c.account_id": ACCOUNT,
      "local.list": ["a"],
      "local.flag": true,
    };
    const key = path.join(".");
    if (!(key in table)) throw new Error(`unknown ${key}`);
    return table[key];
  };

  test("reads a cdktf policy: objects, tuples, bare references, interpolated strings", () => {
    const source =
      '${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Sid" = "X", "Principal" = {"AWS" = aws_iam_role.r.arn}, "Action" = ["kms:Decrypt"], ' +
      '"Resource" = "arn:${data.aws_partition.p.partition}:iam::${data.aws_caller_identity.c.account_id}:role/y", "N" = 3, "B" = false}]})}';
    expect(evaluateAttribute(source, refs)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "X",
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/r` },
          Action: ["kms:Decrypt"],
          Resource: `arn:aws:iam::${ACCOUNT}:role/y`,
          N: 3,
          B: false,
        },
      ],
    });
  });

  test("keeps literal text, escapes, $${ and the type of a lone interpolation", () => {
    expect(evaluateAttribute('plain "text"', refs)).toBe('plain "text"');
    expect(evaluateAttribute("$${not.a.ref}", refs)).toBe("${not.a.ref}");
    expect(evaluateAttribute('${jsonencode({"a" = "x\\"y\\u0041"})}', refs)).toEqual({ a: 'x"yA' });
    expect(evaluateAttribute("${local.list}", refs)).toEqual(["a"]);
    expect(evaluateAttribute("${one(local.list)}", refs)).toBe("a");
    expect(evaluateAttribute('${local.flag ? "on" : "off"}', refs)).toBe("on");
    expect(evaluateAttribute('${!local.flag || local.flag == true ? "yes" : "no"}', refs)).toBe("yes");
  });

  test("fails loudly on what it does not know", () => {
    expect(() => evaluateAttribute('${lookup(local.map, "k")}', refs)).toThrow(/unsupported function lookup/);
    expect(() => parseTemplate("${[for x in local.list : x]}")).toThrow(HclError);
    expect(() => parseTemplate("${aws_iam_role.r[*].arn}")).toThrow(HclError);
    expect(() => parseTemplate('${jsonencode({k = "unquoted key"})}')).toThrow(/quoted/);
    expect(() => parseTemplate("%{ if true }x%{ endif }")).toThrow(/directives/);
    expect(() => evaluateAttribute("${aws_iam_role.missing.arn}", refs)).toThrow(/unknown/);
  });
});

describe("reference resolver", () => {
  const stack = {
    provider: { aws: [{ region: "eu-west-2" }, { alias: "dr", region: "eu-west-1" }] },
    data: { aws_caller_identity: { c: {} }, aws_iam_session_context: { s: { arn: "${data.aws_caller_identity.c.arn}" } } },
    resource: {
      aws_iam_role: { r: { name: "app-${data.aws_caller_identity.c.account_id}", assume_role_policy: "{}" } },
      aws_kms_key: { k: { provider: "aws.dr", policy: "${jsonencode({})}" } },
      aws_s3_bucket: { b: { bucket: "bucket-1" } },
      aws_sqs_queue: { q: { name: "dlq" } },
    },
  };
  const facts = {
    accountId: ACCOUNT,
    deployerRoleArn: `arn:aws:iam::${ACCOUNT}:role/Deployer`,
    deployerSessionArn: `arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/tf`,
    connectServiceRoleArn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_x`,
  };
  const model = new StackModel(stack, facts);

  test("builds ARNs from resource names, provider Regions and the fixture account", () => {
    expect(model.value("${aws_iam_role.r.arn}")).toBe(`arn:aws:iam::${ACCOUNT}:role/app-${ACCOUNT}`);
    expect(model.value("${aws_kms_key.k.arn}")).toBe(`arn:aws:kms:eu-west-1:${ACCOUNT}:key/k`);
    expect(model.value("${aws_s3_bucket.b.arn}/*")).toBe("arn:aws:s3:::bucket-1/*");
    expect(model.value("${aws_sqs_queue.q.url}")).toBe(`https://sqs.eu-west-2.amazonaws.com/${ACCOUNT}/dlq`);
    expect(model.value("${data.aws_iam_session_context.s.issuer_arn}")).toBe(facts.deployerRoleArn);
  });

  test("a role's identity policies are its inline ones and the stack's managed policies attached to it", () => {
    const document = { Version: "2012-10-17", Statement: [{ Sid: "S", Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] };
    const inline = { Version: "2012-10-17", Statement: [{ Sid: "I", Effect: "Allow", Action: "sqs:SendMessage", Resource: "*" }] };
    const withManaged = new StackModel(
      {
        ...stack,
        resource: {
          ...stack.resource,
          aws_iam_role: { r: { name: "app-role", assume_role_policy: JSON.stringify({ Version: "2012-10-17", Statement: [] }) } },
          aws_iam_policy: { part: { name: "app-1", policy: JSON.stringify(document) } },
          aws_iam_role_policy_attachment: { a: { role: "${aws_iam_role.r.name}", policy_arn: "${aws_iam_policy.part.arn}" } },
          aws_iam_role_policy: { i: { role: "${aws_iam_role.r.id}", policy: JSON.stringify(inline) } },
        },
      },
      facts,
    );
    const [role] = withManaged.roles();
    expect(role.inline).toEqual([inline]);
    expect(role.policies).toEqual([inline, document]);
  });

  test("refuses references it cannot resolve and policy resources it does not model", () => {
    expect(() => model.value("${aws_s3_bucket.b.website_endpoint}")).toThrow(/cannot resolve/);
    expect(() => model.value("${aws_s3_bucket.nope.arn}")).toThrow(/missing/);
    expect(() => model.value("${var.x}")).toThrow(/unsupported reference/);
    expect(() => new StackModel({ ...stack, resource: { ...stack.resource, aws_iam_policy_attachment: { p: {} } } }, facts)).toThrow(
      /not modelled/,
    );
    expect(
      () => new StackModel({ ...stack, provider: { aws: [{ region: "eu-west-2", allowed_account_ids: ["000000000000"] }] } }, facts),
    ).toThrow(/pinned/);
  });
});

describe("encryption context: the engine's gap and the shim", () => {
  const policy: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "logs.eu-west-2.amazonaws.com" },
        Action: "kms:GenerateDataKey",
        Resource: "*",
        Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:eu-west-2:${ACCOUNT}:log-group:g` } },
      },
    ],
  };
  const request = (group: string) => ({
    principal: "logs.eu-west-2.amazonaws.com",
    action: "kms:GenerateDataKey",
    resource: KEY,
    resourceAccount: ACCOUNT,
    context: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:eu-west-2:${ACCOUNT}:log-group:${group}` },
    resourcePolicy: policy,
  });

  // If this starts failing, the engine has fixed the gap: the shim can go.
  test("iam-simulate 0.1.173 drops kms:EncryptionContext:* keys from the request", async () => {
    const result = await runSimulation(
      {
        request: {
          principal: "logs.eu-west-2.amazonaws.com",
          action: "kms:GenerateDataKey",
          resource: { resource: KEY, accountId: ACCOUNT },
          contextVariables: request("g").context,
        },
        identityPolicies: [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: policy,
      },
      {},
    );
    expect(result.resultType).toBe("single");
    if (result.resultType !== "single") return;
    expect(result.result.ignoredContextKeys).toEqual(["kms:EncryptionContext:aws:logs:arn"]);
    expect(result.overallResult).toBe("ImplicitlyDenied");
  });

  test("the shim evaluates the dropped key: the right context allows, another denies, none denies", async () => {
    expect(await decide(request("g"))).toEqual({
      decision: "Allowed",
      via: "engine+ec-shim",
      ignoredContextKeys: ["kms:EncryptionContext:aws:logs:arn"],
    });
    expect((await decide(request("other"))).decision).toBe("ImplicitlyDenied");
    expect(await decide({ ...request("g"), context: {} })).toEqual({ decision: "ImplicitlyDenied", via: "engine", ignoredContextKeys: [] });
  });

  test("any other key the engine drops fails the row", async () => {
    await expect(decide({ ...request("g"), context: { "kms:ViaServce": "s3.eu-west-2.amazonaws.com" } })).rejects.toThrow(/kms:ViaServce/);
    await expect(decide({ ...request("g"), action: "kms:Frobnicate" })).rejects.toThrow(/refused/);
  });
});

describe("requests reduced to what bears on them, and decisions shared", () => {
  const ROLE = `arn:aws:iam::${ACCOUNT}:role/Reader`;
  const bucket = (name: string, account = ACCOUNT) => ({ arn: `arn:aws:s3:::${name}/o`, account });
  const identity: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Read",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject"],
        Resource: ["arn:aws:s3:::data-*/*", "arn:aws:s3:::other/*"],
      },
      { Sid: "NotThis", Effect: "Deny", Action: "s3:GetObject", Resource: "arn:aws:s3:::data-secret/*" },
      { Sid: "Unrelated", Effect: "Allow", Action: "kms:Decrypt", Resource: "*" },
    ],
  };
  const request = (target: { arn: string; account: string }) => ({
    principal: ROLE,
    action: "s3:GetObject",
    resource: target.arn,
    resourceAccount: target.account,
    identityPolicies: [identity],
  });

  test("wildcards: * and ? within a string, case-insensitive only for actions; ARNs part by part", () => {
    expect(wildcardMatch("s3:Get*", "S3:GETOBJECT", true)).toBe(true);
    expect(wildcardMatch("data-?", "data-ab")).toBe(false);
    expect(wildcardMatch("Data-*", "data-a")).toBe(false);
    expect(wildcardMatch("arn:${aws:username}", "arn:anything")).toBe(true);
    // A wildcard in one part of an ARN never spans into the next.
    expect(resourceMatches("arn:aws:kms:*:123456789012:key/*", "arn:aws:kms:eu-west-2:123456789012:key/k")).toBe(true);
    expect(resourceMatches("arn:aws:kms:*:123456789012:alias/*", "arn:aws:kms:eu-west-2:123456789012:key/k")).toBe(false);
    expect(resourceMatches("arn:aws:kms:eu-?:123456789012:key/k", "arn:aws:kms:eu-west-2:123456789012:key/k")).toBe(false);
    expect(resourceMatches("*", "anything")).toBe(true);
  });

  test("only the matching statements, actions and resources are kept; the canonical form names the request", () => {
    const reduced = reducedFor(identity, "s3:GetObject", bucket("data-a").arn);
    expect(reduced.document.Statement).toEqual([
      { Sid: "Read", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::data-*/*"] },
    ]);
    expect(reduced.canonical).toEqual([{ Sid: "Read", Effect: "Allow", Action: ["s3:GetObject"], Resource: "*" }]);
    expect(reducedFor(identity, "s3:GetObject", bucket("data-secret").arn).document.Statement.map((st: any) => st.Sid)).toEqual([
      "Read",
      "NotThis",
    ]);
    // Nothing applies: the first statement stays, so a resource policy is still a policy.
    expect(reducedFor(identity, "sqs:SendMessage", "arn:aws:sqs:eu-west-2:123456789012:q").document.Statement).toHaveLength(1);
    const notAction: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Deny", NotAction: "s3:*", Resource: "*" }] };
    expect(reducedFor(notAction, "s3:GetObject", bucket("x").arn).canonical).toBeUndefined();
  });

  test("shared decisions never cross what tells requests apart: a Deny, another resource type, another account's resource", async () => {
    expect((await decide(request(bucket("data-a")))).decision).toBe("Allowed");
    expect((await decide(request(bucket("data-b")))).decision).toBe("Allowed");
    expect((await decide(request(bucket("data-secret")))).decision).toBe("ExplicitlyDenied");
    expect((await decide(request(bucket("elsewhere")))).decision).toBe("ImplicitlyDenied");
    expect((await decide({ ...request(bucket("data-a")), action: "s3:GetObjectAcl" })).decision).toBe("ImplicitlyDenied");
    // Another account's object: the identity policy alone no longer suffices (its bucket policy would have to allow it).
    expect((await decide(request(bucket("data-a", "999999999999")))).decision).toBe("ImplicitlyDenied");
  });
});

describe("resource policies reduced to the statements that can name the caller", () => {
  const key = (principal: string, context: Record<string, string> = { "kms:ViaService": "s3.eu-west-2.amazonaws.com" }) => ({
    principal,
    action: "kms:Decrypt",
    resource: KEY,
    resourceAccount: ACCOUNT,
    context,
    resourcePolicy: {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "Readers",
          Effect: "Allow",
          Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:role/team/Reader`, `arn:aws:iam::${ACCOUNT}:role/Other`] },
          Action: "kms:Decrypt",
          Resource: "*",
          Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-2.amazonaws.com" } },
        },
        { Sid: "Logs", Effect: "Allow", Principal: { Service: "logs.eu-west-2.amazonaws.com" }, Action: "kms:Decrypt", Resource: "*" },
      ],
    } as PolicyDocument,
  });

  test("a named role and its sessions are allowed; another role, another account, another service are not", async () => {
    expect((await decide(key(`arn:aws:iam::${ACCOUNT}:role/team/Reader`))).decision).toBe("Allowed");
    expect((await decide(key(`arn:aws:sts::${ACCOUNT}:assumed-role/Reader/session-1`))).decision).toBe("Allowed");
    expect((await decide(key(`arn:aws:iam::${ACCOUNT}:role/Stranger`))).decision).toBe("ImplicitlyDenied");
    expect((await decide(key(`arn:aws:iam::999999999999:role/team/Reader`))).decision).toBe("ImplicitlyDenied");
    expect((await decide(key("logs.eu-west-2.amazonaws.com"))).decision).toBe("Allowed");
    expect((await decide(key("sqs.amazonaws.com"))).decision).toBe("ImplicitlyDenied");
  });

  test("a context value a statement reads still tells decisions apart; one none reads does not matter", async () => {
    const reader = `arn:aws:iam::${ACCOUNT}:role/team/Reader`;
    expect((await decide(key(reader, { "kms:ViaService": "sqs.eu-west-2.amazonaws.com" }))).decision).toBe("ImplicitlyDenied");
    const unread = { "kms:ViaService": "s3.eu-west-2.amazonaws.com", "kms:CallerAccount": ACCOUNT };
    expect((await decide(key(reader, unread))).decision).toBe("Allowed");
    expect((await decide(key(reader, { ...unread, "kms:CallerAccount": "999999999999" }))).decision).toBe("Allowed");
  });
});

describe("grant model", () => {
  const grantee = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_x`;
  const deployer = `arn:aws:iam::${ACCOUNT}:role/Deployer`;
  const grant: Grant = {
    source: "test",
    keyArn: KEY,
    grantee,
    operations: ["GenerateDataKey"],
    encryptionContextSubset: { "aws:kinesis:arn": "arn:aws:kinesis:eu-west-2:123456789012:stream/s" },
    creation: { principal: deployer, context: { "kms:GranteePrincipal": grantee, "kms:GrantOperations": ["GenerateDataKey"] } },
  };
  const ec = (stream: string) => ({
    "kms:EncryptionContext:aws:kinesis:arn": `arn:aws:kinesis:eu-west-2:123456789012:stream/${stream}`,
    "kms:EncryptionContext:extra": "1",
  });

  test("a grant permits its operations, for its grantee (or a session of that role), within its constraint", () => {
    expect(grantPermits(grant, grantee, "kms:GenerateDataKey", KEY, ec("s"))).toBe(true);
    expect(
      grantPermits(grant, `arn:aws:sts::${ACCOUNT}:assumed-role/AWSServiceRoleForAmazonConnect_x/s1`, "kms:GenerateDataKey", KEY, ec("s")),
    ).toBe(true);
    expect(grantPermits(grant, grantee, "kms:Decrypt", KEY, ec("s"))).toBe(false);
    expect(grantPermits(grant, grantee, "kms:GenerateDataKey", KEY, ec("t"))).toBe(false);
    expect(grantPermits(grant, deployer, "kms:GenerateDataKey", KEY, ec("s"))).toBe(false);
    expect(grantPermits(grant, grantee, "kms:GenerateDataKey", `${KEY}2`, ec("s"))).toBe(false);
    const equals = {
      ...grant,
      encryptionContextSubset: undefined,
      encryptionContextEquals: { "aws:kinesis:arn": "arn:aws:kinesis:eu-west-2:123456789012:stream/s" },
    };
    expect(grantPermits(equals, grantee, "kms:GenerateDataKey", KEY, ec("s"))).toBe(false);
  });

  const key = (statements: PolicyDocument["Statement"]): KeyModel => ({
    address: "k",
    arn: KEY,
    region: "eu-west-2",
    policy: { Version: "2012-10-17", Statement: statements },
  });
  const deployerMayGrant = { Effect: "Allow", Principal: { AWS: deployer }, Action: "kms:CreateGrant", Resource: "*" };
  const request = { principal: grantee, action: "kms:GenerateDataKey", context: ec("s") };

  test("a grant counts only if the key policy let its creator make it; an explicit deny still wins", async () => {
    expect(await decideKms(key([deployerMayGrant]), [grant], request)).toEqual({ decision: "Allowed", by: "grant test" });
    expect(await decideKms(key([]), [grant], request)).toEqual({ decision: "ImplicitlyDenied", by: "none" });
    const deny = { Effect: "Deny", Principal: { AWS: grantee }, Action: "kms:*", Resource: "*" };
    expect((await decideKms(key([deployerMayGrant, deny]), [grant], request)).decision).toBe("ExplicitlyDenied");
  });
});
