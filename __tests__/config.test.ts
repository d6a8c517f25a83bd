import { resolveEnvironments } from "../modules/config/config";
import { declaration, problemsOf, refuses, resolveOne, Json } from "./helpers/synth";

const ENV = "context.connectEncryption.environments.test";
const DEFAULTS = "context.connectEncryption.defaults";

describe("configuration: valid declarations", () => {
  test("a minimal environment gets the documented defaults", () => {
    const env = resolveOne(declaration());
    expect(env).toMatchObject({
      name: "test",
      stackName: "connect-encryption-test",
      region: "eu-west-2",
      namePrefix: "acme",
      key: {
        aliasName: "alias/acme-test-connect",
        rotationPeriodInDays: 365,
        deletionWindowInDays: 30,
        administratorArns: [],
        userArns: [],
      },
      instance: {
        kind: "create",
        alias: "acme-connect-test",
        identityManagementType: "CONNECT_MANAGED",
        inboundCallsEnabled: true,
        outboundCallsEnabled: true,
        contactFlowLogsEnabled: true,
        contactLensEnabled: true,
        preventDestroy: true,
      },
    });
    expect(env.key.deployerArns).toBeUndefined();
    expect(env.s3Storage.map((s) => s.type)).toEqual(["CALL_RECORDINGS", "CHAT_TRANSCRIPTS", "SCREEN_RECORDINGS", "ATTACHMENTS"]);
  });

  test("environment values override defaults field by field; instance is replaced whole", () => {
    const decl = declaration(
      { key: { rotationPeriodInDays: 180 }, instance: { adopt: { instance: "11111111-2222-3333-4444-555555555555" } } },
      { key: { deletionWindowInDays: 7, rotationPeriodInDays: 730 }, instance: { create: { alias: "ignored" } } },
    );
    const env = resolveOne(decl);
    expect(env.key.rotationPeriodInDays).toBe(180);
    expect(env.key.deletionWindowInDays).toBe(7);
    expect(env.instance).toEqual({ kind: "adopt", instanceId: "11111111-2222-3333-4444-555555555555" });
  });

  test("an instance ARN is reduced to its ID", () => {
    const env = resolveOne(
      declaration({
        instance: { adopt: { instance: "arn:aws:connect:eu-west-2:123456789012:instance/11111111-2222-3333-4444-555555555555" } },
      }),
    );
    expect(env.instance).toEqual({ kind: "adopt", instanceId: "11111111-2222-3333-4444-555555555555" });
  });

  // Issue 21: EventBridge receives API-call events only through a trail that logs them.
  describe("alerts that depend on a trail the stack does not create warn, until the declaration says", () => {
    const trailWarnings = (alerts: Json | undefined) =>
      resolveOne(declaration(alerts === undefined ? {} : { alerts })).warnings.filter((w) => w.includes("alerts.createTrail"));
    test("alerts on (the default), createTrail not written: a warning at the field, naming verify", () => {
      expect(trailWarnings(undefined)).toEqual([
        expect.stringMatching(
          /^context\.connectEncryption\.environments\.test\.alerts\.createTrail: not set, so the key-misuse alerts fire only if a CloudTrail trail already records management events .*`npm run verify -- test`.*set alerts\.createTrail to true to create one, or to false to say that one exists$/,
        ),
      ]);
    });
    test.each([
      ["createTrail true: the stack makes its own trail", { createTrail: true }],
      ["createTrail false: the declaration says a trail exists", { createTrail: false }],
      ["alerts off", { enabled: false }],
    ])("%s: no warning", (_, alerts) => {
      expect(trailWarnings(alerts)).toEqual([]);
    });
  });

  test("the example declaration (the fixture the repository's cdktf.json starts as) is valid", () => {
    const example = require("./fixtures/example-declaration.json");
    expect(resolveEnvironments(example).map((e) => e.name)).toEqual(["dev", "prod", "staging"]);
  });
});

describe("configuration: refused with the field, the value and what is allowed", () => {
  test("an unknown storage type", () => {
    expect(refuses({ storage: { CALL_RECORDING: { enabled: true } } })).toEqual([
      `${ENV}.storage.CALL_RECORDING: unknown storage type; allowed storage types: CALL_RECORDINGS, CHAT_TRANSCRIPTS, SCREEN_RECORDINGS, ATTACHMENTS, EMAIL_MESSAGES, CONTACT_EVALUATIONS, SCHEDULED_REPORTS, CONTACT_TRACE_RECORDS, AGENT_EVENTS, REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS, REAL_TIME_CONTACT_ANALYSIS_CHAT_SEGMENTS, REAL_TIME_CONTACT_ANALYSIS_SEGMENTS, MEDIA_STREAMS`,
    ]);
  });

  test.each([
    ["starting with d-", "d-contact"],
    ["with an underscore", "acme_connect"],
    ["ending with a hyphen", "acme-"],
    ["longer than 45 characters", "a".repeat(46)],
    ["starting with a hyphen", "-acme"],
  ])("an instance alias Connect rejects: %s", (_, alias) => {
    const [problem] = refuses({ instance: { create: { alias } } });
    expect(problem).toContain(`${ENV}.instance.create.alias: ${JSON.stringify(alias)} is not allowed`);
    expect(problem).toContain("1-45 letters, digits or hyphens");
  });

  test.each([89, 2561])("a rotation period out of range: %p", (days) => {
    expect(refuses({ key: { rotationPeriodInDays: days } })).toEqual([
      `${ENV}.key.rotationPeriodInDays: ${JSON.stringify(days)} is out of range; allowed: an integer from 90 to 2560 (days)`,
    ]);
  });

  test.each([
    [365.5, "365.5 is not an integer; allowed: an integer from 90 to 2560 (days)"],
    ["365", '"365" is not a number (it is a string); expected an integer from 90 to 2560 (days)'],
    [Infinity, "Infinity is not a finite number; allowed: an integer from 90 to 2560 (days)"],
  ])("a rotation period of the wrong type is named a type error: %p", (days, message) => {
    expect(refuses({ key: { rotationPeriodInDays: days } })).toEqual([`${ENV}.key.rotationPeriodInDays: ${message}`]);
  });

  test("a deletion window out of range", () => {
    expect(refuses({ key: { deletionWindowInDays: 31 } })).toEqual([
      `${ENV}.key.deletionWindowInDays: 31 is out of range; allowed: an integer from 7 to 30 (days)`,
    ]);
  });

  test.each([
    "not-an-id",
    "11111111-2222-3333-4444-55555555555",
    "arn:aws:connect:eu-west-2:123456789012:contact-flow/11111111-2222-3333-4444-555555555555",
    "arn:aws:s3:::bucket",
  ])("an adopt ID that is neither an instance ID nor an instance ARN: %s", (instance) => {
    const [problem] = refuses({ instance: { adopt: { instance } } });
    expect(problem).toContain(`${ENV}.instance.adopt.instance: ${JSON.stringify(instance)} is neither an instance ID nor an instance ARN`);
    expect(problem).toContain("allowed: an instance ID");
  });

  test("an adopted instance in another Region", () => {
    const [problem] = refuses({
      instance: { adopt: { instance: "arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555" } },
    });
    expect(problem).toContain("is in Region us-east-1 but this environment deploys to eu-west-2");
  });

  test("an unknown field, anywhere, reported where it was written", () => {
    expect(refuses({ colour: "blue" })).toEqual([
      `${ENV}.colour: unknown field; allowed fields: accountId, region, assumeRoleArn, namePrefix, tags, key, bucket, instance, storage, streams, state, alerts, customerProfiles`,
    ]);
    expect(refuses({}, { key: { rotation: 90 } })[0]).toMatch(
      new RegExp(`^${DEFAULTS}\\.key\\.rotation: unknown field; allowed fields: alias, `),
    );
    expect(refuses({ instance: { create: { alias: "acme-x", lens: true } } })[0]).toContain(`${ENV}.instance.create.lens: unknown field`);
    expect(problemsOf({ ...declaration(), extra: 1 })).toEqual([
      "context.connectEncryption.extra: unknown field; allowed fields: defaults, environments, stateBootstrap",
    ]);
  });

  test("a problem in the defaults names the defaults", () => {
    expect(refuses({}, { key: { rotationPeriodInDays: 10 } })).toEqual([
      `${DEFAULTS}.key.rotationPeriodInDays: 10 is out of range; allowed: an integer from 90 to 2560 (days)`,
    ]);
  });

  test("both or neither of create and adopt", () => {
    expect(refuses({ instance: {} })).toEqual([`${ENV}.instance: set exactly one of create (a new instance) or adopt (an existing one)`]);
    expect(refuses({ instance: { create: { alias: "acme-x" }, adopt: { instance: "11111111-2222-3333-4444-555555555555" } } })).toEqual([
      `${ENV}.instance: set exactly one of create (a new instance) or adopt (an existing one)`,
    ]);
    expect(problemsOf({ defaults: { region: "eu-west-2" }, environments: { test: {} } })).toEqual([
      `${ENV}.instance: missing; set either instance.create (a new instance) or instance.adopt (an existing one)`,
    ]);
  });

  test("directory rules for identity management", () => {
    expect(refuses({ instance: { create: { alias: "acme-x", identityManagementType: "EXISTING_DIRECTORY" } } })).toEqual([
      `${ENV}.instance.create.directoryId: missing; EXISTING_DIRECTORY needs the directory's ID`,
    ]);
    expect(refuses({ instance: { create: { alias: "acme-x", directoryId: "d-1234567890" } } })).toEqual([
      `${ENV}.instance.create.directoryId: only allowed with identityManagementType EXISTING_DIRECTORY, not CONNECT_MANAGED`,
    ]);
    expect(refuses({ instance: { create: { alias: "acme-x", identityManagementType: "LDAP" } } })).toEqual([
      `${ENV}.instance.create.identityManagementType: "LDAP" is not allowed; allowed: CONNECT_MANAGED, SAML, EXISTING_DIRECTORY`,
    ]);
  });

  test("storage prefixes that collide with each other or with Contact Lens output", () => {
    expect(refuses({ storage: { CALL_RECORDINGS: { prefix: "Analysis/Voice" } } })).toEqual([
      `${ENV}.storage.CALL_RECORDINGS.prefix: "Analysis/Voice" is reserved: Contact Lens writes its output under Analysis/; choose another prefix`,
    ]);
    expect(refuses({ storage: { CHAT_TRANSCRIPTS: { prefix: "connect/CallRecordings/chat" } } })).toEqual([
      `${ENV}.storage.CHAT_TRANSCRIPTS.prefix: "connect/CallRecordings/chat" overlaps the prefix "connect/CallRecordings" of CALL_RECORDINGS; each storage type needs its own prefix`,
    ]);
    expect(refuses({ storage: { ATTACHMENTS: { prefix: "/leading" } } })[0]).toContain(
      `${ENV}.storage.ATTACHMENTS.prefix: "/leading" is not allowed`,
    );
  });

  test("key principals that are not IAM role or user ARNs", () => {
    expect(refuses({ key: { userArns: ["*"] } })[0]).toBe(
      `${ENV}.key.userArns[0]: "*" is not allowed; allowed: IAM role or user ARNs such as arn:aws:iam::123456789012:role/ConnectKeyAdmin`,
    );
    expect(refuses({ key: { deployerArns: [] } })[0]).toContain(`${ENV}.key.deployerArns: is empty`);
    expect(refuses({ key: { administratorArns: "arn:aws:iam::123456789012:role/A" } })[0]).toContain("is not a list");
  });

  test("a KMS alias in the reserved aws/ namespace", () => {
    expect(refuses({ key: { alias: "alias/aws/s3" } })[0]).toContain(`${ENV}.key.alias: "alias/aws/s3" is not allowed`);
  });

  test("a Region that is not an AWS Region code, and a missing Region", () => {
    expect(refuses({ region: "london" })[0]).toMatch(
      new RegExp(`^${ENV}\\.region: "london" is not allowed; allowed: af-south-1, .*eu-west-2, .*us-west-2$`),
    );
    expect(problemsOf({ environments: { test: { instance: { create: { alias: "acme-x" } } } } })).toEqual([
      `${ENV}.region: missing; set the AWS Region, e.g. "eu-west-2"`,
    ]);
  });

  test("a default bucket name that would exceed 63 characters", () => {
    const long = (bucket?: Json): Json => ({
      defaults: { region: "ap-southeast-2", namePrefix: "contact-centre-platform" },
      environments: { preproduction: { instance: { create: { alias: "acme-x" } }, bucket } },
    });
    expect(problemsOf(long())).toEqual([
      'context.connectEncryption.defaults.namePrefix: "contact-centre-platform" makes the default bucket name <namePrefix>-preproduction-<account>-ap-southeast-2 65 characters long; S3 allows 63: shorten namePrefix or set bucket.name',
    ]);
    expect(() => resolveEnvironments(long({ name: "acme-recordings" }))).not.toThrow();
  });

  test("an invalid bucket name or environment name", () => {
    expect(refuses({ bucket: { name: "Upper.Case" } })[0]).toContain(`${ENV}.bucket.name: "Upper.Case" is not allowed`);
    expect(problemsOf({ defaults: { region: "eu-west-2" }, environments: { Prod: {} } })[0]).toContain(
      'context.connectEncryption.environments.Prod: environment name "Prod" is not allowed',
    );
  });

  test("a missing declaration or no environments", () => {
    expect(problemsOf(undefined)[0]).toContain("context.connectEncryption: missing");
    expect(problemsOf({ environments: {} })[0]).toContain("context.connectEncryption.environments: {} declares no environment");
  });

  test("every problem is reported at once, not just the first", () => {
    const problems = refuses({ region: "nowhere", key: { rotationPeriodInDays: 1 }, storage: { FOO: {} } });
    expect(problems).toHaveLength(3);
    expect(problems.join("\n")).toMatch(/region[\s\S]*rotationPeriodInDays[\s\S]*storage\.FOO/);
  });
});
