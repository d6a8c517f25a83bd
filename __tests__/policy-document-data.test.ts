/**
 * The invariants and the access matrix read the module's policies through
 * invariants/policy-document-data.ts, our reading of what the AWS provider
 * computes for `data "aws_iam_policy_document"`. Here the real provider
 * computes the same blocks (a root of data sources and outputs only: apply
 * makes no AWS call) and both readings must agree, for every shape the
 * module writes: a principal "*", several principal types, several
 * conditions under one test, no resources (a trust policy), and optional
 * statements as dynamic blocks over `[1]` or `[]`.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evaluateAttribute } from "../modules/invariants/hcl";
import { policyDocumentOf } from "../modules/invariants/policy-document-data";
import { terraform } from "./helpers/terraform";
import type { Json } from "./helpers/synth";

const ROLE = "arn:aws:iam::111122223333:role/ConnectKeyAdmin";
const OTHER = "arn:aws:iam::111122223333:role/ComplianceAuditor";

const DOCUMENTS: Record<string, Json> = {
  bucket_policy: {
    statement: [
      {
        sid: "DenyInsecureTransport",
        effect: "Deny",
        actions: ["s3:*"],
        resources: ["arn:aws:s3:::acme", "arn:aws:s3:::acme/*"],
        principals: [{ type: "*", identifiers: ["*"] }],
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
    ],
    dynamic: {
      statement: [
        {
          for_each: "${true ? [1] : []}",
          content: {
            sid: "LogDelivery",
            effect: "Allow",
            actions: ["s3:PutObject"],
            resources: ["arn:aws:s3:::acme/logs/*"],
            principals: [{ type: "Service", identifiers: ["logging.s3.amazonaws.com"] }],
            condition: [
              { test: "StringEquals", variable: "aws:SourceAccount", values: ["111122223333"] },
              { test: "ArnLike", variable: "aws:SourceArn", values: ["arn:aws:s3:::acme-logs"] },
            ],
          },
        },
        {
          for_each: "${false ? [1] : []}",
          content: {
            sid: "Absent",
            effect: "Allow",
            actions: ["s3:GetObject"],
            resources: ["*"],
            principals: [{ type: "AWS", identifiers: [ROLE] }],
          },
        },
      ],
    },
  },
  key_policy: {
    statement: [
      {
        sid: "KeyUsersThroughS3",
        effect: "Allow",
        actions: ["kms:Decrypt", "kms:DescribeKey"],
        resources: ["*"],
        principals: [
          { type: "AWS", identifiers: [ROLE, OTHER] },
          { type: "Service", identifiers: ["s3.amazonaws.com"] },
        ],
        condition: [
          { test: "StringEquals", variable: "kms:ViaService", values: ["s3.eu-west-2.amazonaws.com"] },
          { test: "StringEquals", variable: "kms:CallerAccount", values: ["111122223333"] },
        ],
      },
    ],
  },
  trust_policy: {
    statement: [
      {
        sid: "FirehoseOfThisAccount",
        effect: "Allow",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["firehose.amazonaws.com"] }],
        condition: [{ test: "StringEquals", variable: "sts:ExternalId", values: ["111122223333"] }],
      },
    ],
  },
};

/** IAM reads a one-element list as its element, and a list as a set: both readings compared in that form. */
function normalized(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(normalized);
    if (items.length === 1) return items[0];
    return items.every((i) => typeof i === "string") ? [...items].sort() : items;
  }
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalized(v)]));
  return value;
}

const providerJson = ((): Record<string, Json> => {
  const dir = mkdtempSync(join(tmpdir(), "connect-kms-policy-documents-"));
  const root = {
    terraform: { required_providers: { aws: { source: "hashicorp/aws", version: ">= 5.100.0, < 7.0.0" } } },
    provider: {
      aws: {
        region: "eu-west-2",
        access_key: "AKIAFAKEFAKEFAKEFAKE",
        secret_key: "fake-secret-key-for-offline-plans",
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        skip_region_validation: true,
      },
    },
    data: { aws_iam_policy_document: DOCUMENTS },
    output: Object.fromEntries(Object.keys(DOCUMENTS).map((name) => [name, { value: `\${data.aws_iam_policy_document.${name}.json}` }])),
  };
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify(root, null, 2));
  terraform(dir, ["init", "-backend=false", "-input=false"]);
  terraform(dir, ["apply", "-auto-approve", "-input=false"]);
  const outputs = JSON.parse(terraform(dir, ["output", "-json"]).output) as Record<string, { value: string }>;
  return Object.fromEntries(Object.entries(outputs).map(([name, { value }]) => [name, JSON.parse(value)]));
})();

const ours = (block: Json) =>
  policyDocumentOf(
    block,
    (source) =>
      typeof source === "string"
        ? evaluateAttribute(source, () => {
            throw new Error("no references here");
          })
        : source,
    "test",
  );

test.each(Object.keys(DOCUMENTS))("%s: our reading of the document is the provider's", (name) => {
  const provider = providerJson[name];
  const mine = ours(DOCUMENTS[name]);
  expect(normalized(mine)).toEqual(normalized(provider));
});

test('not vacuous: the provider kept the dynamic statement over [1], dropped the one over [], and wrote Principal "*"', () => {
  const statements = providerJson.bucket_policy.Statement as Json[];
  expect(statements.map((s) => s.Sid)).toEqual(["DenyInsecureTransport", "LogDelivery"]);
  expect(statements[0].Principal).toBe("*");
  expect(providerJson.trust_policy.Statement[0].Resource).toBeUndefined();
});
