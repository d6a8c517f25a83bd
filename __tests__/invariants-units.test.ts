/**
 * Each invariant can fail: a stack that satisfies it (a fixture
 * declaration's, built in memory) is broken in one place, and the invariant
 * reports that place and only it. The table in docs/invariants.md is the
 * one the invariants render.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { API_CONSTRAINTS } from "../modules/invariants/api-constraints";
import { APPLY_ORDER } from "../modules/invariants/apply-order";
import { DEPLOY_COMPLETENESS } from "../modules/invariants/deploy-completeness";
import { INVARIANTS_DOCS_FILE, withInvariantsTable } from "../modules/invariants/docs";
import { checkedStack } from "../modules/invariants/facts";
import { IAM_METADATA, patternsMeet } from "../modules/invariants/iam-policies";
import type { CheckedStack, Finding, Invariant } from "../modules/invariants/invariant";
import { ConfigError } from "../modules/config/validation";
import { UNIQUENESS } from "../modules/invariants/uniqueness";
import { synthesizeDeclaration } from "../modules/stacks/synthesis";
import { DECLARATIONS } from "./helpers/declarations";
import { declarationStacks } from "./helpers/invariants";
import type { Json } from "./helpers/synth";

const ENVIRONMENT = "connect-encryption-test";
let original: CheckedStack;

beforeAll(() => {
  original = declarationStacks(DECLARATIONS["defaults without replication"]).find((s) => s.name === ENVIRONMENT)!;
});

/** The environment stack with `change` applied to a copy of its JSON (and of its deployer policy). */
function broken(change: (json: Json, deployer: Json) => void): CheckedStack {
  const json = structuredClone(original.json);
  const deployerPolicy = structuredClone(original.deployerPolicy!) as Json;
  change(json, deployerPolicy);
  return checkedStack(original.name, json, { deployerPolicy: deployerPolicy as any });
}

const findings = async (invariant: Invariant, stack: CheckedStack): Promise<Finding[]> => invariant.check(stack);
const firstName = (json: Json, type: string): string => Object.keys(json.resource[type]).sort()[0];

describe.each([API_CONSTRAINTS, APPLY_ORDER, IAM_METADATA, DEPLOY_COMPLETENESS])("$id", (invariant) => {
  test("holds on the unbroken stack", async () => {
    expect(await findings(invariant, original)).toEqual([]);
  });
});

describe("api-constraints", () => {
  test("an alias longer than KMS takes is reported at its resource and field", async () => {
    const stack = broken((json) => {
      json.resource.aws_kms_alias[firstName(json, "aws_kms_alias")].name = `alias/${"a".repeat(260)}`;
    });
    const found = await findings(API_CONSTRAINTS, stack);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ resource: `aws_kms_alias.${firstName(stack.json, "aws_kms_alias")}`, field: ["key", "alias"] });
    expect(found[0].message).toMatch(/^name: .*256/);
  });

  test("a tag key in AWS's reserved prefix, set through the provider's default tags, is reported on every tagged resource", async () => {
    const stack = broken((json) => {
      json.provider.aws[0].default_tags = [{ tags: { "aws:team": "contact-centre" } }];
    });
    const found = await findings(API_CONSTRAINTS, stack);
    expect(found.length).toBeGreaterThan(3);
    expect(found.every((f) => f.field?.join(".") === "tags" && f.message.startsWith('tag "aws:team"'))).toBe(true);
  });
});

describe("apply-order", () => {
  test("bucket logging without its order after the target bucket's policy is reported", async () => {
    const stack = broken((json) => {
      for (const block of Object.values<Json>(json.resource.aws_s3_bucket_logging)) delete block.depends_on;
    });
    const found = await findings(APPLY_ORDER, stack);
    expect(found.length).toBe(Object.keys(stack.json.resource.aws_s3_bucket_logging).length);
    expect(found.every((f) => f.resource.startsWith("aws_s3_bucket_logging.") && f.message.includes("the target bucket's policy"))).toBe(
      true,
    );
  });
});

describe("uniqueness", () => {
  test("two stacks of one account and Region that name the same bucket, alias and roles are reported, each name once", () => {
    const twin = checkedStack("connect-encryption-twin", structuredClone(original.json));
    const found = UNIQUENESS.check([original, twin]);
    const types = new Set(found.map((f) => f.resource.split(".")[0]));
    expect([...types]).toEqual(expect.arrayContaining(["aws_s3_bucket", "aws_kms_alias", "aws_iam_role"]));
    expect(found.every((f) => f.stack === "connect-encryption-twin")).toBe(true);
    expect(new Set(found.map((f) => f.resource)).size).toBe(found.length);
  });

  // Found by npm run fuzz (seed 1), first refused here by the invariant at synthesis, now by the configuration at the field.
  test("two environments that give one account and Region the same key alias are refused at the second's key.alias", () => {
    const dir = mkdtempSync(join(tmpdir(), "connect-kms-uniqueness-"));
    const alias = "alias/contact-centre";
    writeFileSync(
      join(dir, "cdktf.json"),
      JSON.stringify({
        context: {
          connectEncryption: {
            defaults: { region: "us-east-1", namePrefix: "p" },
            environments: {
              live: { key: { alias }, instance: { create: { alias: "p-contact-live" } } },
              staging: { key: { alias }, instance: { create: { alias: "p-contact-staging" } } },
            },
          },
        },
      }),
    );
    const outdir = join(dir, "out");
    let refused: unknown;
    try {
      synthesizeDeclaration(join(dir, "cdktf.json"), { outdir });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).problems).toEqual([
      expect.stringMatching(
        /^context\.connectEncryption\.environments\.staging\.key\.alias: makes the key's alias of environment staging "alias\/contact-centre", also the key's alias of environment live; a KMS alias in account .* Region us-east-1 is unique/,
      ),
      expect.stringMatching(
        /^context\.connectEncryption\.environments\.staging\.key\.alias: makes the alerts key's alias of environment staging/,
      ),
    ]);
    expect(existsSync(outdir)).toBe(false);
  });

  test("the same stack alone collides with nothing", () => {
    expect(UNIQUENESS.check([original])).toEqual([]);
  });
});

describe("iam-metadata", () => {
  const withStatement = (statement: Json) =>
    broken((_json, deployer) => {
      deployer.Statement.push({ Sid: "Broken", Effect: "Allow", ...statement });
    });
  const messagesOf = async (statement: Json) =>
    (await findings(IAM_METADATA, withStatement(statement))).map((f) => `${f.resource}: ${f.message}`);

  test("an action IAM does not have", async () => {
    expect(await messagesOf({ Action: "kms:Frobnicate", Resource: "*" })).toEqual([
      "deployer-iam-policy.json: deployer policy statement Broken: kms:Frobnicate is no IAM action",
    ]);
  });

  test("a condition key of another service", async () => {
    expect(
      await messagesOf({
        Action: "kms:Decrypt",
        Resource: "arn:aws:kms:eu-central-1:123456789012:key/*",
        Condition: { StringEquals: { "s3:x-amz-server-side-encryption": "aws:kms" } },
      }),
    ).toEqual([
      "deployer-iam-policy.json: deployer policy statement Broken: condition key s3:x-amz-server-side-encryption does not apply to kms:Decrypt",
    ]);
  });

  test("an ARN of a shape the action does not take, and a resource ARN on an action that takes only *", async () => {
    const messages = await messagesOf({ Action: ["kms:Decrypt", "kms:CreateKey"], Resource: "arn:aws:s3:::some-bucket/*" });
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain("none of arn:aws:s3:::some-bucket/* has the shape kms:Decrypt takes");
    expect(messages[1]).toContain('kms:CreateKey takes no resource ARN, only "*"');
  });

  test("a wildcard that matches no action of the service", async () => {
    expect(await messagesOf({ Action: "kms:Frob*", Resource: "*" })).toEqual([
      "deployer-iam-policy.json: deployer policy statement Broken: kms:Frob* is no IAM action",
    ]);
  });
});

describe("deploy-completeness", () => {
  test("a deployer policy without the statement that lets it create keys is reported for the key", async () => {
    const stack = broken((_json, deployer) => {
      deployer.Statement = deployer.Statement.filter((s: Json) => ![s.Action].flat().includes("kms:CreateKey"));
    });
    const found = await findings(DEPLOY_COMPLETENESS, stack);
    expect(found.some((f) => f.resource.startsWith("aws_kms_key.") && f.message.includes("kms:CreateKey"))).toBe(true);
  });
});

describe("patternsMeet: whether a policy ARN can match an ARN of a template's shape", () => {
  test.each([
    ["arn:aws:kms:eu-central-1:123456789012:key/*", "arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}", true],
    ["arn:aws:kms:*:123456789012:alias/x", "arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}", false],
    ["arn:aws:s3:::bucket/*", "arn:${Partition}:s3:::${BucketName}/${ObjectName}", true],
    ["arn:aws:s3:::bucket", "arn:${Partition}:s3:::${BucketName}/${ObjectName}", false],
    // A `*` stays within its part of the ARN: here "log-group" stands where the account ID belongs.
    ["arn:aws:logs:*:log-group:g", "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}", false],
    // The resource part keeps its colons.
    [
      "arn:aws:logs:eu-central-1:123456789012:log-group:/aws/x:*",
      "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}",
      true,
    ],
    ["arn:aws:sns:eu-central-1:123456789012:topic-?", "arn:${Partition}:sns:${Region}:${Account}:${TopicName}", true],
  ])("%s against %s: %s", (arn, shape, meets) => {
    expect(patternsMeet(arn, shape)).toBe(meets);
  });
});

test(`the table of ${INVARIANTS_DOCS_FILE} is the one the invariants render (npm run render writes it)`, () => {
  const page = readFileSync(join(__dirname, "..", INVARIANTS_DOCS_FILE), "utf8");
  expect(page).toBe(withInvariantsTable(page));
});
