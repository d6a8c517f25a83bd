/**
 * Issue 22, driven by the schema: every field whose rule is one of the
 * vocabulary's patterns (bucket prefixes, e-mail endpoints, tags, KMS
 * aliases, state bucket names) is found by walking the valibot schema, and
 * each gets the hostile values of its class, which must be refused at that
 * field; the unusual values AWS accepts must still be accepted. Rules across
 * fields and stacks (case-only tag duplicates, derived aliases, collisions,
 * partitions, lifecycle rules) follow, each with a declaration of its own.
 */
import { resolveDeclaration } from "../modules/config/config";
import {
  EMAIL,
  ENVIRONMENT_ENTRIES,
  KMS_ALIAS,
  S3_PREFIX,
  STATE_BUCKET_NAME,
  TAG_KEY,
  stateBootstrapSchema,
} from "../modules/config/config-schema";
import { ConfigError } from "../modules/config/validation";
import { core } from "./helpers/schema-arbitrary";

type Json = Record<string, any>;
const ROOT = "context.connectEncryption";
const ACCOUNT = "111122223333";

/** A field of the schema: its dotted path inside an environment (or the bootstrap), and how its value is written there. */
interface PatternField {
  readonly path: string;
  readonly pattern: RegExp;
  /** A list's item, a map's key or a map's value: the value sits inside. */
  readonly place: "value" | "item" | "key" | "mapValue";
}

function patternFields(schema: Json, path = ""): PatternField[] {
  const { base, actions } = core(schema);
  const at = (key: string) => (path ? `${path}.${key}` : key);
  const regexOf = (s: Json): RegExp | undefined => core(s).actions.find((a: Json) => a.type === "regex")?.requirement;
  switch (base.type) {
    case "strict_object":
      return Object.entries(base.entries).flatMap(([key, entry]) => patternFields(entry as Json, at(key)));
    case "string": {
      const pattern = actions.find((a: Json) => a.type === "regex")?.requirement;
      return pattern ? [{ path, pattern, place: "value" }] : [];
    }
    case "array": {
      if (core(base.item).base.type === "strict_object") return [];
      const pattern = regexOf(base.item);
      return pattern ? [{ path, pattern, place: "item" }] : [];
    }
    case "record": {
      const key = regexOf(base.key);
      const value = regexOf(base.value);
      return [
        ...(key ? [{ path, pattern: key, place: "key" as const }] : []),
        ...(value ? [{ path, pattern: value, place: "mapValue" as const }] : []),
      ];
    }
    default:
      return [];
  }
}

const ENVIRONMENT_FIELDS = patternFields({ type: "strict_object", entries: ENVIRONMENT_ENTRIES });
const BOOTSTRAP_FIELDS = patternFields(stateBootstrapSchema as unknown as Json);
const fieldsOf = (pattern: RegExp) => ({
  environment: ENVIRONMENT_FIELDS.filter((f) => f.pattern.source === pattern.source),
  bootstrap: BOOTSTRAP_FIELDS.filter((f) => f.pattern.source === pattern.source),
});

function base(): Json {
  return {
    defaults: { region: "eu-west-2", namePrefix: "acme" },
    environments: { prod: { accountId: ACCOUNT, instance: { create: { alias: "acme-prod" } } } },
    stateBootstrap: { region: "eu-west-2", accountId: ACCOUNT, bucket: "acme-state-111122223333" },
  };
}

/** The declaration with `value` written at the field, in the environment or the bootstrap. */
function withValue(field: PatternField, value: string, where: "environment" | "bootstrap"): Json {
  const declaration = base();
  const segments = field.path.split(".");
  let node: Json = where === "environment" ? declaration.environments.prod : declaration.stateBootstrap;
  for (const segment of segments.slice(0, -1)) node = node[segment] ??= {};
  const last = segments[segments.length - 1];
  node[last] = { value, item: [value], key: { [value]: "v" }, mapValue: { Team: value } }[field.place];
  return declaration;
}

function problemsOf(declaration: Json): string[] {
  try {
    resolveDeclaration(declaration);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
}

const fieldPath = (field: PatternField, where: "environment" | "bootstrap") =>
  `${ROOT}.${where === "environment" ? "environments.prod" : "stateBootstrap"}.${field.path}`;

/** Each class: its pattern, values that must be refused at every field of it, and values that must pass its rule. */
const CLASSES: readonly { name: string; pattern: RegExp; refused: readonly string[]; accepted: readonly string[] }[] = [
  {
    name: "bucket prefixes (IAM wildcards)",
    pattern: S3_PREFIX,
    refused: ["connect/*", "connect/rec?rds", "*"],
    accepted: ["connect/Calls"],
  },
  {
    name: "e-mail endpoints (control, zero-width and bidirectional characters)",
    pattern: EMAIL,
    refused: ["soc\u202e@example.com", "so\u200bc@example.com", "soc@exam\u0007ple.com", "soc@example.com\u2066"],
    accepted: ["soc@example.com", "sécurité@exemple.fr"],
  },
  {
    name: "tag keys (AWS's characters, aws: in any case)",
    pattern: TAG_KEY,
    refused: ["AWS:team", "Aws:team", "a\tb", "a\nb", "a\u2028b", "a\u2029b", "\ufeffteam", "a\u000bb"],
    accepted: ["Team", "Kostenstelle", "a\u00a0b", "\u{1F600}".repeat(128)],
  },
  {
    name: "KMS aliases (an empty body)",
    pattern: KMS_ALIAS,
    refused: ["alias/"],
    accepted: ["alias/connect-prod", "connect-prod", "alias/alias"],
  },
  {
    name: "state bucket names (IP addresses, adjacent dots)",
    pattern: STATE_BUCKET_NAME,
    refused: ["192.168.0.1", "acme..state"],
    accepted: ["acme.state"],
  },
];

describe.each(CLASSES)("$name", ({ pattern, refused, accepted }) => {
  const { environment, bootstrap } = fieldsOf(pattern);
  const fields = [...environment.map((f) => [f, "environment"] as const), ...bootstrap.map((f) => [f, "bootstrap"] as const)];

  test("the schema has fields of this class", () => {
    expect(fields.length).toBeGreaterThan(0);
  });

  test.each(
    fields.flatMap(([field, where]) =>
      refused.map((value) => [fieldPath(field, where), JSON.stringify(value), field, where, value] as const),
    ),
  )("%s refuses %s", (path, _shown, field, where, value) => {
    expect(problemsOf(withValue(field, value, where)).some((p) => p.startsWith(path))).toBe(true);
  });

  test.each(
    fields.flatMap(([field, where]) =>
      accepted.map((value) => [fieldPath(field, where), JSON.stringify(value), field, where, value] as const),
    ),
  )("%s does not refuse %s for its characters", (path, _shown, field, where, value) => {
    expect(problemsOf(withValue(field, value, where)).filter((p) => p.startsWith(`${path}:`) && /not allowed/.test(p))).toEqual([]);
  });
});

test("unusual names AWS accepts still work: con, nul and aux as environment names (reserved on Windows, not on AWS)", () => {
  for (const name of ["con", "nul", "aux"]) {
    const declaration = {
      defaults: { region: "eu-west-2", namePrefix: "acme" },
      environments: { [name]: { instance: { create: { alias: `acme-${name}` } } } },
    };
    expect([name, problemsOf(declaration)]).toEqual([name, []]);
  }
});

test("tag values keep non-breaking and ideographic spaces, and refuse line breaks", () => {
  const tags = (value: string) => problemsOf({ ...base(), environments: { prod: { ...base().environments.prod, tags: { Team: value } } } });
  expect(tags("contact\u00a0centre \u3000東京")).toEqual([]);
  for (const value of ["a\nb", "a\u2028b", "a\tb"]) expect(tags(value).join("\n")).toContain(`${ROOT}.environments.prod.tags`);
});

describe("rules across fields and stacks", () => {
  const env = (extra: Json, name = "prod"): Json => ({
    [name]: { accountId: ACCOUNT, instance: { create: { alias: `acme-${name}` } }, ...extra },
  });
  const declaration = (environments: Json, more: Json = {}): Json => ({
    defaults: { region: "eu-west-2", namePrefix: "acme" },
    environments,
    ...more,
  });
  const PROD = `${ROOT}.environments.prod`;

  test.each([
    [{ Team: "a", team: "b" }, 'tags: "Team" and "team" differ only in letter case'],
    [{ environment: "x" }, 'tags: "environment" is in another letter case the tag Environment, which the stacks set themselves'],
    [{ ManagedBy: "me" }, 'tags: "ManagedBy" is the tag ManagedBy, which the stacks set themselves'],
  ])("tags %j are refused", (tags, message) => {
    expect(problemsOf(declaration(env({ tags })))).toContainEqual(expect.stringContaining(`${PROD}.${message}`));
  });

  test("the state bootstrap's tags: case-only duplicates refused too", () => {
    const problems = problemsOf(
      declaration(env({}), { stateBootstrap: { region: "eu-west-2", bucket: "acme-state-1", tags: { Owner: "a", OWNER: "b" } } }),
    );
    expect(problems).toContainEqual(expect.stringContaining(`${ROOT}.stateBootstrap.tags: "Owner" and "OWNER" differ only in letter case`));
  });

  test("a key alias whose derived alerts alias exceeds KMS's 256 characters is refused at key.alias; one that fits is not", () => {
    const long = (body: number) => problemsOf(declaration(env({ key: { alias: `alias/${"a".repeat(body)}` } })));
    expect(long(250)).toContainEqual(
      expect.stringMatching(new RegExp(`^${PROD.replace(/\./g, "\\.")}\\.key\\.alias: makes the alerts key's alias 263 characters long`)),
    );
    expect(long(243)).toEqual([]);
    expect(problemsOf(declaration(env({ key: { alias: `alias/${"a".repeat(250)}` }, alerts: { enabled: false } })))).toEqual([]);
  });

  test.each([
    [
      "the Connect instance alias (across AWS)",
      { live: { instance: { create: { alias: "acme-contact" } } }, qa: { instance: { create: { alias: "ACME-contact" } } } },
      "instance.create.alias",
    ],
    [
      "the Customer Profiles domain (per account and Region)",
      {
        live: { customerProfiles: { enabled: true, domainName: "acme-profiles" } },
        qa: { customerProfiles: { enabled: true, domainName: "acme-profiles" } },
      },
      "customerProfiles.domainName",
    ],
  ])("two environments of one account that share %s are refused at the second's field", (_, overrides, field) => {
    const environments = Object.fromEntries(
      Object.entries(overrides as Json).map(([name, extra]) => [
        name,
        { accountId: ACCOUNT, instance: { create: { alias: `acme-${name}-x` } }, ...(extra as Json) },
      ]),
    );
    const problems = problemsOf(declaration(environments));
    expect(problems.some((p) => p.includes(`.${field}: makes`) && p.includes("is unique"))).toBe(true);
  });

  test("the state key's alias may not be an environment's alias in the same account and Region", () => {
    const problems = problemsOf(
      declaration(env({ key: { alias: "alias/shared" } }), {
        stateBootstrap: { region: "eu-west-2", accountId: ACCOUNT, bucket: "acme-state-1", keyAlias: "alias/shared" },
      }),
    );
    expect(problems).toContainEqual(
      expect.stringContaining(
        `${ROOT}.stateBootstrap.keyAlias: makes the state key's alias "alias/shared", also the key's alias of environment prod`,
      ),
    );
  });

  test("an adopted instance's ARN, the state key and the bootstrap's role are in the partition of their Region", () => {
    const adopted = problemsOf(
      declaration(
        env({ instance: { adopt: { instance: `arn:aws-cn:connect:eu-west-2:${ACCOUNT}:instance/11111111-2222-3333-4444-555555555555` } } }),
      ),
    );
    expect(adopted).toContainEqual(expect.stringContaining(`${PROD}.instance.adopt.instance: "arn:aws-cn:connect:eu-west-2:`));
    const role = problemsOf(
      declaration(env({}), {
        stateBootstrap: { region: "eu-west-2", bucket: "acme-state-1", assumeRoleArn: `arn:aws-us-gov:iam::${ACCOUNT}:role/StateAdmin` },
      }),
    );
    expect(role).toContainEqual(expect.stringContaining(`${ROOT}.stateBootstrap.assumeRoleArn: "arn:aws-us-gov:iam::`));
  });

  test.each([
    ["https://chat.example.com:0", "has port 0"],
    ["https://chat.example.com:65536", "has port 65536"],
    ["https://*.co.uk", "allows every site under co.uk, a public suffix"],
    ["https://*.github.io", "allows every site under github.io, a public suffix"],
    ["https://*.herokuapp.com", "allows every site under herokuapp.com, a public suffix"],
  ])("the CORS origin %s is refused", (origin, message) => {
    const problems = problemsOf(declaration(env({ storage: { ATTACHMENTS: { enabled: true, corsAllowedOrigins: [origin] } } })));
    expect(problems).toContainEqual(expect.stringContaining(`${PROD}.storage.ATTACHMENTS.corsAllowedOrigins[0]: "${origin}" ${message}`));
  });

  test.each(["https://*.example.co.uk", "https://*.acme.github.io", "https://chat.example.com:8443", "https://chat.example.com:65535"])(
    "the CORS origin %s is accepted",
    (origin) => {
      expect(problemsOf(declaration(env({ storage: { ATTACHMENTS: { enabled: true, corsAllowedOrigins: [origin] } } })))).toEqual([]);
    },
  );

  test("a lifecycle prefix rule that expires on or before its own transition is refused", () => {
    const rule = (expireAfterDays: number) =>
      problemsOf(
        declaration(
          env({ bucket: { lifecycle: { prefixRules: [{ prefix: "Analysis/", transitionToGlacierIrAfterDays: 30, expireAfterDays }] } } }),
        ),
      );
    expect(rule(30)).toContainEqual(
      expect.stringContaining(`${PROD}.bucket.lifecycle.prefixRules[0].expireAfterDays: 30 is not after this rule's transition`),
    );
    expect(rule(31)).toEqual([]);
  });
});
