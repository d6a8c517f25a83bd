/**
 * The classes of input the declaration refuses (issue 14), checked in-process
 * through the resolver: each is refused with a ConfigError whose message names
 * the field where the value was written, and says what is allowed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { resolveDeclaration } from "../modules/config/config";
import { parseJsonText } from "../modules/config/config-check";
import { CONFIG_DOCS_FILE, JSON_SCHEMA_FILE, renderJsonSchema, withConfigTable } from "../modules/config/config-docs";
import { ConfigError } from "../modules/config/validation";
import { createdBuckets } from "../modules/config/config-conflicts";
import { writtenAt } from "../modules/config/validation";

const ROOT = "context.connectEncryption";
const ENV = `${ROOT}.environments.prod`;
const ACCOUNT = "111122223333";

/** A valid declaration of one environment, `prod`, with `overrides` merged in. */
function decl(prod: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    defaults: { region: "eu-west-2", namePrefix: "acme" },
    environments: { prod: { accountId: ACCOUNT, instance: { create: { alias: "acme-prod" } }, ...prod } },
    ...extra,
  };
}

function problems(declaration: unknown): string[] {
  try {
    resolveDeclaration(declaration);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe("renderings of the schema are current", () => {
  test("the committed JSON Schema", () => {
    expect(readFileSync(join(__dirname, "..", JSON_SCHEMA_FILE), "utf8")).toBe(renderJsonSchema());
  });
  test("the configuration table of docs/configuration.md (run `npm run render` if this fails)", () => {
    const page = readFileSync(join(__dirname, "..", CONFIG_DOCS_FILE), "utf8");
    expect(withConfigTable(page)).toBe(page);
  });
});

describe("the file itself", () => {
  test("a byte-order mark", () => {
    expect(parseJsonText('\ufeff{"context": {}}').problem).toContain("byte-order mark");
  });
  test("a syntax error is reported by line and column", () => {
    expect(parseJsonText('{\n  "context": {\n    "a": 1,\n  }\n}').problem).toMatch(/line 4, column 3/);
  });
  test("an unfinished file", () => {
    expect(parseJsonText('{\n  "context": ').problem).toMatch(/line 2, column 14/);
  });
});

describe("pathological structure", () => {
  test("nesting thousands of levels deep", () => {
    let deep: unknown = {};
    for (let i = 0; i < 5000; i++) deep = { tags: deep };
    expect(problems(decl({ bucket: deep })).join("\n")).toContain(`${ENV}.bucket`);
  });
  test("a very large list", () => {
    const arns = Array.from({ length: 5000 }, (_, i) => `arn:aws:iam::${ACCOUNT}:role/r${i}`);
    expect(problems(decl({ key: { userArns: arns } }))[0]).toMatch(new RegExp(`^${ENV}.key.userArns: a list of 5000 entries`));
  });
  test("a very long string", () => {
    expect(problems(decl({ key: { description: "x".repeat(100000) } }))[0]).toContain(`${ENV}.key.description:`);
  });
  test.each([[[]], ["x"], [42], [null]])("the wrong top-level type: %p", (value) => {
    expect(problems(value)[0]).toMatch(/^context\.connectEncryption: .*(not an object|missing)/);
  });
});

describe("keys that are object-model names are refused by name, never merged", () => {
  test.each(["__proto__", "constructor", "prototype"])("%s in tags, defaults and storage", (key) => {
    const raw = JSON.parse(`{"defaults": {"region": "eu-west-2", "${key}": {"polluted": true}},
      "environments": {"prod": {"instance": {"create": {"alias": "a1"}}, "tags": {"${key}": "x"}}}}`);
    const found = problems(raw);
    expect(found).toContain(
      `${ROOT}.defaults.${key}: the key "${key}" is refused: it names JavaScript's object model; allowed: the field names this schema lists`,
    );
    expect(found.some((p) => p.startsWith(`${ENV}.tags.${key}:`))).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("errors in defaults are reported once, at defaults", () => {
  test("with three environments inheriting them", () => {
    const raw = decl({}, {});
    (raw.defaults as Record<string, unknown>).key = { rotationPeriodInDays: 10 };
    (raw.environments as Record<string, unknown>).dev = { instance: { create: { alias: "acme-dev" } } };
    (raw.environments as Record<string, unknown>).qa = { instance: { create: { alias: "acme-qa" } } };
    expect(problems(raw)).toEqual([
      `${ROOT}.defaults.key.rotationPeriodInDays: 10 is out of range; allowed: an integer from 90 to 2560 (days)`,
    ]);
  });
});

describe("wrong types are named type errors", () => {
  test.each([
    [{ key: { rotationPeriodInDays: "48" } }, `${ENV}.key.rotationPeriodInDays: "48" is not a number (it is a string)`],
    [{ key: { deletionWindowInDays: Infinity } }, `${ENV}.key.deletionWindowInDays: Infinity is not a finite number`],
    [{ key: { allowAccountRoot: "false" } }, `${ENV}.key.allowAccountRoot: "false" is not a boolean (it is a string)`],
    [{ tags: ["a"] }, `${ENV}.tags: ["a"] is not an object (it is a list)`],
    [{ key: { userArns: "arn" } }, `${ENV}.key.userArns: "arn" is not a list (it is a string)`],
    [{ region: 7 }, `${ENV}.region: 7 is not a string (it is a number)`],
  ])("%p", (prod, message) => {
    expect(problems(decl(prod))[0]).toContain(message);
  });
});

describe("Terraform template sequences are refused in every string", () => {
  test.each([
    [{ key: { description: "cost ${var.x}" } }, "key.description"],
    [{ tags: { Team: "%{if true}x%{endif}" } }, "tags.Team"],
    [{ alerts: { emails: ["${a}@example.com"] } }, "alerts.emails[0]"],
    [{ bucket: { accessLogs: { destination: "none", reason: "not needed because ${reason} says so" } } }, "bucket.accessLogs.reason"],
    [{ customerProfiles: { enabled: true, domainName: "${x}" } }, "customerProfiles.domainName"],
  ])("%p", (prod, field) => {
    expect(problems(decl(prod)).join("\n")).toContain(`${ENV}.${field}: `);
    expect(problems(decl(prod)).join("\n")).toContain("Terraform template sequence");
  });
  test("a lone $ or % is literal and accepted", () => {
    expect(problems(decl({ key: { description: "costs $5 or 5% {really}" } }))).toEqual([]);
  });
});

describe("conflicts across fields and environments", () => {
  const adopt = { adopt: { instance: "11111111-2222-3333-4444-555555555555" } };
  test("two environments adopting one instance", () => {
    const raw = decl({ instance: adopt });
    (raw.environments as Record<string, unknown>).qa = { accountId: ACCOUNT, instance: adopt };
    expect(problems(raw).join("\n")).toMatch(/environments\.(prod|qa)\.instance\.adopt\.instance: environment (prod|qa) already adopts/);
  });
  test("two buckets with one name", () => {
    const raw = decl({ bucket: { name: "acme-shared-bucket" } });
    (raw.environments as Record<string, unknown>).qa = {
      accountId: ACCOUNT,
      instance: { create: { alias: "acme-qa" } },
      bucket: { name: "acme-shared-bucket" },
    };
    expect(problems(raw).join("\n")).toMatch(
      /bucket\.name: makes the recordings bucket of \w+ "acme-shared-bucket", the name of the recordings bucket/,
    );
  });
  test("a named bucket equal to another environment's generated log bucket", () => {
    const raw = decl({ bucket: { name: `acme-qa-logs-${ACCOUNT}` } });
    (raw.environments as Record<string, unknown>).qa = { accountId: ACCOUNT, instance: { create: { alias: "acme-qa" } } };
    expect(problems(raw).join("\n")).toContain(`acme-qa-logs-${ACCOUNT}`);
  });
  test("a replica named like its source", () => {
    expect(
      problems(decl({ bucket: { name: "acme-rec", replication: { region: "eu-west-1", bucketName: "acme-rec" } } })).join("\n"),
    ).toContain(`${ENV}.bucket.replication.bucketName`);
  });
  test("access logs sent to the bucket they log", () => {
    expect(
      problems(decl({ bucket: { name: "acme-rec", accessLogs: { destination: "existing", bucketName: "acme-rec" } } })).join("\n"),
    ).toContain(`${ENV}.bucket.accessLogs.bucketName: "acme-rec" is the recordings bucket`);
  });
  test("a prefix rule expiring before the Object Lock retention", () => {
    const bucket = {
      objectLock: { mode: "GOVERNANCE", days: 30 },
      lifecycle: { prefixRules: [{ prefix: "Analysis/", expireAfterDays: 10 }] },
    };
    expect(problems(decl({ bucket })).join("\n")).toContain(
      `${ENV}.bucket.lifecycle.prefixRules[0].expireAfterDays: 10 is shorter than the Object Lock retention`,
    );
  });
  test("an assumed role in another account", () => {
    expect(problems(decl({ assumeRoleArn: "arn:aws:iam::999999999999:role/Deploy" }))[0]).toContain(`${ENV}.assumeRoleArn: `);
  });
  test("a state key in another Region or account", () => {
    const state = { backend: "s3", bucket: "acme-state", region: "eu-west-2", kmsKeyId: "arn:aws:kms:eu-west-1:999999999999:alias/state" };
    const found = problems(decl({ state })).join("\n");
    expect(found).toContain(`${ENV}.state.kmsKeyId: "arn:aws:kms:eu-west-1:999999999999:alias/state" is in Region eu-west-1`);
    expect(found).toContain("is in account 999999999999");
  });
  test("replication into another partition", () => {
    expect(problems(decl({ bucket: { replication: { region: "cn-north-1" } } }))[0]).toContain(
      `${ENV}.bucket.replication.region: "cn-north-1" is in partition aws-cn`,
    );
  });
});

describe("limits of the AWS APIs", () => {
  test.each(["xn--acme", "sthree-acme", "acme-s3alias", "acme--ol-s3", "acme--x-s3", "acme--table-s3", "amzn-s3-demo-acme"])(
    "bucket name %s",
    (name) => {
      expect(problems(decl({ bucket: { name } }))[0]).toContain(`${ENV}.bucket.name: "${name}" is not allowed: S3 reserves`);
    },
  );
  // Found by npm run fuzz (seed 4): the first name of the DR copy of the bucket without Object Lock (-dr-attach-) was one too long.
  test("the longest name prefix and environment name derive bucket names S3 accepts, every optional bucket on", () => {
    const environment = "e".repeat(16);
    const declaration = {
      defaults: { region: "eu-west-2", namePrefix: "p".repeat(24) },
      environments: {
        [environment]: {
          accountId: ACCOUNT,
          instance: { create: { alias: "acme-longest" } },
          bucket: {
            name: "acme-recordings",
            objectLock: { mode: "GOVERNANCE", days: 1, lockedTypes: ["CALL_RECORDINGS"] },
            replication: { region: "eu-west-1" },
          },
          alerts: { createTrail: true },
        },
      },
    };
    expect(problems(declaration)).toEqual([]);
    const names = createdBuckets(writtenAt(declaration, ROOT), resolveDeclaration(declaration).environments[0]).map((b) => b.name);
    expect(names).toContain(`${"p".repeat(24)}-${environment}-drattach-${ACCOUNT}`);
    expect(names.map((name) => name.length).sort((a, b) => b - a)[0]).toBe(63);
  });
  test("a name prefix that makes generated bucket names reserved", () => {
    expect(problems(decl({ namePrefix: "xn--a" })).join("\n")).toContain(`${ENV}.namePrefix: makes the recordings bucket`);
  });
  test.each([["d-abc"], ["a".repeat(46)], ["acme-"], ["ac_me"]])("instance alias %s", (alias) => {
    expect(problems(decl({ instance: { create: { alias } } }))[0]).toContain(`${ENV}.instance.create.alias:`);
  });
  test.each(["aws/x", "alias/aws/x", "alias/a b"])("KMS alias %s", (alias) => {
    expect(problems(decl({ key: { alias } }))[0]).toContain(`${ENV}.key.alias:`);
  });
  test("more than 50 tags with the stacks' own", () => {
    const tags = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`T${i}`, "x"]));
    expect(problems(decl({ tags }))[0]).toContain(`${ENV}.tags: 48 tags plus the stacks' own`);
  });
  test("a tag key Customer Profiles refuses, with the domain on", () => {
    const found = problems(decl({ tags: { "Data Classification": "x" }, customerProfiles: { enabled: true } }));
    expect(found.join("\n")).toContain(
      `${ENV}.tags: the tag "Data Classification" would be refused on the Customer Profiles domain: the key does not match`,
    );
    expect(problems(decl({ tags: { "Data Classification": "x" }, customerProfiles: { enabled: false } }))).toEqual([]);
  });
  test("an empty tag value CloudTrail refuses, with a trail", () => {
    const found = problems(decl({ tags: { Owner: "" }, alerts: { enabled: true, createTrail: true } }));
    expect(found.join("\n")).toContain(`${ENV}.tags: the tag "Owner" would be refused on the trail: the value`);
    expect(problems(decl({ tags: { Owner: "" }, alerts: { enabled: true, createTrail: false } }))).toEqual([]);
  });
  test("a key policy over 32 KB", () => {
    const userArns = Array.from({ length: 300 }, (_, i) => `arn:aws:iam::${ACCOUNT}:role/some-rather-long-role-name-${i}`);
    expect(problems(decl({ key: { userArns } }))[0]).toContain(`${ENV}.key: its 300 principal ARNs make a key policy of about`);
  });
  test("more lifecycle rules than S3 allows", () => {
    const prefixRules = Array.from({ length: 997 }, (_, i) => ({ prefix: `p${i}/`, transitionToGlacierIrAfterDays: 1 }));
    expect(problems(decl({ bucket: { lifecycle: { prefixRules } } }))[0]).toContain(`${ENV}.bucket.lifecycle.prefixRules:`);
  });
  test("a lifecycle rule ID over 255 characters", () => {
    const prefixRules = [{ prefix: `${"a".repeat(300)}/`, transitionToGlacierIrAfterDays: 1 }];
    expect(problems(decl({ bucket: { lifecycle: { prefixRules } } }))[0]).toContain(`${ENV}.bucket.lifecycle.prefixRules[0].prefix:`);
  });
  test.each(["arn:aws-foo:iam::111122223333:role/A", "arn:awsx:iam::111122223333:role/A"])("an ARN outside a real partition: %s", (arn) => {
    expect(problems(decl({ key: { userArns: [arn] } }))[0]).toContain(`${ENV}.key.userArns[0]:`);
  });
  test("an ARN of another partition than the Region's", () => {
    expect(problems(decl({ key: { userArns: ["arn:aws-cn:iam::111122223333:role/A"] } }))[0]).toContain(`${ENV}.key.userArns: "arn:aws-cn`);
  });
});
