/**
 * Adopting a running contact centre: discovery against recorded AWS answers
 * (aws-sdk-client-mock, no network), the targeted edit of cdktf.json that
 * `--write` makes, and what synthesis does with recorded association IDs
 * (import blocks, warnings, the compliance report). Every declaration here is
 * a fixture built in the test, never the repository's cdktf.json.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mockClient } from "aws-sdk-client-mock";
import { ConnectClient, InstanceStorageConfig, ListInstanceStorageConfigsCommand } from "@aws-sdk/client-connect";
import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { Testing } from "cdktf";
import { DISCOVER_OPTIONS, DISCOVER_USAGE, DiscoverIo, defaultDiscoverIo, discoverMain } from "../modules/cli/discover/cli";
import {
  buildEntries,
  declarationElsewhere,
  runEntry,
  sourcesOf,
  undocumentedOptions,
  undocumentedVariables,
  variablesRead,
} from "./helpers/commands";
import { setJsonMember } from "../modules/cli/discover/json-edit";
import { readDeclaration, resolveEnvironments } from "../modules/config/config";
import { ConnectEncryptionStack } from "../modules/stacks/connect-encryption-stack";
import { checkStack, reportJson, reportMarkdown } from "../modules/guardrails/check";
import { STORAGE_TYPES } from "../modules/config/storage-types";
import { Json, declaration, refuses, resolveOne, synth } from "./helpers/synth";

const ACCOUNT = "333333333333";
const REGION = "eu-west-2";
const INSTANCE = "8c0e6b4f-3a2d-4e5f-9a1b-2c3d4e5f6a7b";
const OLD_KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
const OLD_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${OLD_KEY_ID}`;
const NEW_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0a1b2c3d-0000-4000-8000-000000000001`;
const ALIAS = "alias/acme-prod-connect";
const OLD_BUCKET = "amazon-connect-0123456789ab";
const NEW_BUCKET = `acme-prod-${ACCOUNT}-${REGION}`;
const id = (c: string): string => c.repeat(64);

const connect = mockClient(ConnectClient);
const kms = mockClient(KMSClient);
const sts = mockClient(STSClient);

/** A declaration with an adopted `prod` (and a created `dev`), written in a layout of its own. */
function fixture(adopt: Json = { instance: `arn:aws:connect:${REGION}:${ACCOUNT}:instance/${INSTANCE}` }, storage: Json = {}): Json {
  return {
    language: "typescript",
    app: "node dist/main.js",
    context: {
      connectEncryption: {
        defaults: { region: REGION, namePrefix: "acme" },
        environments: {
          dev: { instance: { create: { alias: "acme-dev" } } },
          prod: { accountId: ACCOUNT, instance: { adopt }, storage },
        },
      },
    },
  };
}

function writeFixture(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "connect-discover-")), "cdktf.json");
  writeFileSync(path, text);
  return path;
}

async function run(args: string[], configPath: string): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: DiscoverIo = { ...defaultDiscoverIo, out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) };
  const code = await discoverMain(args, io, configPath);
  return { code, out, err };
}

const listing = (type: string, configs: InstanceStorageConfig[]): void => {
  connect
    .on(ListInstanceStorageConfigsCommand, { InstanceId: INSTANCE, ResourceType: type as never })
    .resolves({ StorageConfigs: configs });
};

/** An instance with no associations; the declared key does not exist yet. */
function emptyInstance(): void {
  for (const m of [connect, kms, sts]) m.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Discoverer/me` });
  kms
    .on(DescribeKeyCommand, { KeyId: ALIAS })
    .rejects(Object.assign(new Error(`Alias ${ALIAS} is not found.`), { name: "NotFoundException" }));
  connect.on(ListInstanceStorageConfigsCommand).resolves({ StorageConfigs: [] });
}

/** A console-created instance that grew: an association of every type. */
function everyType(): void {
  emptyInstance();
  kms.on(DescribeKeyCommand, { KeyId: ALIAS }).resolves({ KeyMetadata: { KeyId: "k", Arn: NEW_KEY } });
  kms.on(DescribeKeyCommand, { KeyId: OLD_KEY_ID }).resolves({ KeyMetadata: { KeyId: OLD_KEY_ID, Arn: OLD_KEY } });
  const s3 = (type: string, prefix: string, key?: string): void =>
    listing(type, [
      {
        AssociationId: id(type.length.toString(16).slice(-1)),
        StorageType: "S3",
        S3Config: {
          BucketName: OLD_BUCKET,
          BucketPrefix: prefix,
          EncryptionConfig: key ? { EncryptionType: "KMS", KeyId: key } : undefined,
        },
      },
    ]);
  s3("CALL_RECORDINGS", "connect/acme/CallRecordings", OLD_KEY_ID);
  s3("CHAT_TRANSCRIPTS", "connect/acme/ChatTranscripts", OLD_KEY);
  s3("SCHEDULED_REPORTS", "connect/acme/Reports");
  s3("SCREEN_RECORDINGS", "connect/ScreenRecordings", NEW_KEY);
  s3("ATTACHMENTS", "connect/acme/Attachments", OLD_KEY);
  s3("EMAIL_MESSAGES", "connect/acme/Email", OLD_KEY);
  s3("CONTACT_EVALUATIONS", "connect/acme/Evaluations", OLD_KEY);
  listing("CONTACT_TRACE_RECORDS", [
    {
      AssociationId: id("1"),
      StorageType: "KINESIS_STREAM",
      KinesisStreamConfig: { StreamArn: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/ctr-old` },
    },
  ]);
  listing("AGENT_EVENTS", [
    {
      AssociationId: id("2"),
      StorageType: "KINESIS_STREAM",
      KinesisStreamConfig: { StreamArn: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/acme-prod-agent-events` },
    },
  ]);
  for (const [type, c] of [
    ["REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS", "3"],
    ["REAL_TIME_CONTACT_ANALYSIS_CHAT_SEGMENTS", "4"],
    ["REAL_TIME_CONTACT_ANALYSIS_SEGMENTS", "5"],
  ]) {
    listing(type, [
      {
        AssociationId: id(c),
        StorageType: "KINESIS_STREAM",
        KinesisStreamConfig: { StreamArn: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/rtca-old` },
      },
    ]);
  }
  listing("MEDIA_STREAMS", [
    {
      AssociationId: id("6"),
      StorageType: "KINESIS_VIDEO_STREAM",
      KinesisVideoStreamConfig: {
        Prefix: "acme-live",
        RetentionPeriodHours: 0,
        EncryptionConfig: { EncryptionType: "KMS", KeyId: OLD_KEY },
      },
    },
  ]);
}

describe("npm run discover", () => {
  test("an instance with no associations: every declared type is associated on the first apply, and --write records that there are none", async () => {
    emptyInstance();
    const config = writeFixture(`${JSON.stringify(fixture(), null, 2)}\n`);
    const { code, out, err } = await run(["prod", "--write"], config);
    expect(err).not.toMatch(/discover: (?!recorded)/);
    expect(code).toBe(0);
    expect(out).toContain(`Instance ${INSTANCE} in ${REGION}, account ${ACCOUNT} (environment prod)`);
    expect(out).toContain(`Declared key: ${ALIAS} (does not exist yet: created on the first apply)`);
    expect(out).toMatch(
      /CALL_RECORDINGS\n {4}declared: s3:\/\/acme-prod-333333333333-eu-west-2\/connect\/CallRecordings under KMS key alias\/acme-prod-connect/,
    );
    expect(out).toContain("no association yet: associated on the first apply");
    expect(out).toContain("0 type(s) with an existing association, 0 recordable.");
    // One call per resource type, all read-only.
    expect(connect.commandCalls(ListInstanceStorageConfigsCommand)).toHaveLength(STORAGE_TYPES.length);
    expect(
      JSON.parse(readFileSync(config, "utf8")).context.connectEncryption.environments.prod.instance.adopt.existingAssociations,
    ).toEqual({});
    // Recorded "none": synthesis no longer asks for discovery, and imports nothing.
    const [prod] = resolveEnvironments(readDeclaration(config)).filter((e) => e.name === "prod");
    expect(prod.warnings.join("\n")).not.toContain("npm run discover");
  });

  test("an instance with every type: each association, its destination and what the declaration changes; --json; --write edits only the one member", async () => {
    everyType();
    // EMAIL_MESSAGES, CONTACT_EVALUATIONS, SCHEDULED_REPORTS and REAL_TIME_CONTACT_ANALYSIS_SEGMENTS stay off (their defaults); CTRs go to Firehose (the default).
    const original = JSON.stringify(fixture(), null, 2);
    const config = writeFixture(original);
    const human = await run(["prod"], config);
    expect(human.code).toBe(0);
    const block = (type: string): string => human.out.split(`\n${type}\n`)[1].split(/\n[A-Z_]+\n/)[0];
    expect(block("CALL_RECORDINGS")).toContain(`association ${id("f")}`);
    // The key ID in the old association is named by its ARN (kms:DescribeKey).
    expect(block("CALL_RECORDINGS")).toContain(`now:      s3://${OLD_BUCKET}/connect/acme/CallRecordings under KMS key ${OLD_KEY}`);
    expect(block("CALL_RECORDINGS")).toContain(
      `change:   new bucket: ${OLD_BUCKET} -> ${NEW_BUCKET}; new prefix: connect/acme/CallRecordings -> connect/CallRecordings; new key: ${OLD_KEY} -> ${NEW_KEY}`,
    );
    expect(block("CALL_RECORDINGS")).toContain("taken over in place on the first apply (imported, then updated)");
    expect(block("SCREEN_RECORDINGS")).toContain(`change:   new bucket: ${OLD_BUCKET} -> ${NEW_BUCKET}`);
    expect(block("SCREEN_RECORDINGS")).not.toContain("new key");
    expect(block("SCHEDULED_REPORTS")).toContain("under no KMS key (the bucket's default encryption)");
    expect(block("SCHEDULED_REPORTS")).toContain("not declared: stays as it is, and what Connect writes there may stay outside the key");
    expect(block("CONTACT_TRACE_RECORDS")).toContain("destination kind change: KINESIS_STREAM -> KINESIS_FIREHOSE");
    expect(block("AGENT_EVENTS")).toContain("change:   nothing");
    expect(block("AGENT_EVENTS")).toContain("taken over in place on the first apply (imported); nothing changes");
    expect(block("REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS")).toContain(
      `new stream: arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/rtca-old -> arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/acme-prod-rtca-voice`,
    );
    expect(block("MEDIA_STREAMS")).toContain("new video prefix: acme-live -> acme-prod; new retention (hours): 0 -> 24");
    expect(human.out).toContain(`13 type(s) with an existing association, 13 recordable.`);

    const machine = await run(["prod", "--json"], config);
    const report = JSON.parse(machine.out);
    expect(report).toMatchObject({
      environment: "prod",
      instanceId: INSTANCE,
      account: ACCOUNT,
      declaredKey: NEW_KEY,
      declaredKeyExists: true,
    });
    expect(Object.keys(report.recordable)).toEqual([...STORAGE_TYPES]);
    const scheduled = report.types.find((t: Json) => t.type === "SCHEDULED_REPORTS");
    expect([scheduled.verdict, scheduled.declared]).toEqual(["left as it is", undefined]);
    expect(readFileSync(config, "utf8")).toBe(original); // without --write nothing is written

    const written = await run(["prod", "--write"], config);
    expect(written.err).toContain("discover: recorded 13 association ID(s)");
    const after = readFileSync(config, "utf8");
    const recorded = JSON.parse(after).context.connectEncryption.environments.prod.instance.adopt.existingAssociations;
    expect(recorded).toEqual(report.recordable);
    // Synthesis from the written file: an import per declared type, a warning per type left as it is.
    const prod = resolveEnvironments(readDeclaration(config)).find((e) => e.name === "prod")!;
    expect(prod.warnings.filter((w) => w.includes("stays as it is")).map((w) => /existingAssociations\.([A-Z_]+)/.exec(w)![1])).toEqual([
      "EMAIL_MESSAGES",
      "CONTACT_EVALUATIONS",
      "SCHEDULED_REPORTS",
      "REAL_TIME_CONTACT_ANALYSIS_SEGMENTS",
    ]);
  });

  test("a missing permission names the IAM action and exits non-zero", async () => {
    emptyInstance();
    connect.on(ListInstanceStorageConfigsCommand).rejects(
      Object.assign(new Error("User is not authorized to perform connect:ListInstanceStorageConfigs"), {
        name: "AccessDeniedException",
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const config = writeFixture(JSON.stringify(fixture()));
    const { code, out, err } = await run(["prod", "--write"], config);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toContain("discover: missing permission connect:ListInstanceStorageConfigs");
    expect(readFileSync(config, "utf8")).toBe(JSON.stringify(fixture())); // nothing written
  });

  test("a wrong Region or instance (ResourceNotFoundException) is one clear line", async () => {
    emptyInstance();
    connect
      .on(ListInstanceStorageConfigsCommand)
      .rejects(Object.assign(new Error("Instance not found"), { name: "ResourceNotFoundException", $metadata: { httpStatusCode: 404 } }));
    const { code, err } = await run(["prod"], writeFixture(JSON.stringify(fixture())));
    expect(code).toBe(2);
    const failures = err.split("\n").filter((l) => l.startsWith("discover:"));
    expect(failures).toEqual([
      `discover: instance ${INSTANCE} was not found in ${REGION} (Instance not found): check instance.adopt.instance, the environment's region (the instance's Region) and the account of your credentials`,
    ]);
  });

  test("credentials for another account, no credentials, a created instance and an unknown environment stop before any listing", async () => {
    emptyInstance();
    const config = writeFixture(JSON.stringify(fixture()));
    sts.on(GetCallerIdentityCommand).resolves({ Account: "444444444444", Arn: "arn:aws:sts::444444444444:assumed-role/X/me" });
    expect((await run(["prod"], config)).err).toContain(
      "discover: the credentials are for account 444444444444 but prod is in account 333333333333",
    );
    sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error("Could not load credentials"), { name: "CredentialsProviderError" }));
    expect((await run(["prod"], config)).err).toContain("discover: no usable AWS credentials (CredentialsProviderError)");
    expect(await run(["dev"], config)).toMatchObject({
      code: 2,
      err: expect.stringContaining("dev creates its instance (instance.create)"),
    });
    expect(await run(["qa"], config)).toMatchObject({ code: 2, err: expect.stringContaining("qa is not an environment of") });
    expect(connect.commandCalls(ListInstanceStorageConfigsCommand)).toHaveLength(0);
  });
});

describe("--write edits cdktf.json in place", () => {
  const IDS = { CALL_RECORDINGS: id("a"), CHAT_TRANSCRIPTS: id("b") };
  const PATH = ["context", "connectEncryption", "environments", "prod", "instance", "adopt", "existingAssociations"];

  test("unusual formatting (tabs, CRLF, inline objects, odd spacing, unicode escapes) stays byte-identical around the one new member", () => {
    const text = [
      "{",
      '\t"context" : {"connectEncryption":{',
      '\t\t"environments": {',
      '\t\t\t"prod":   {',
      '\t\t\t\t"tags": {"Owner": "caf\\u00e9" , "n":1.50e2},',
      '\t\t\t\t"instance": {',
      '\t\t\t\t\t"adopt": {',
      '\t\t\t\t\t\t"instance"  :  "8c0e6b4f-3a2d-4e5f-9a1b-2c3d4e5f6a7b"',
      "\t\t\t\t\t}",
      "\t\t\t\t}",
      "\t\t\t}",
      "\t\t}",
      "\t}}",
      "}",
      "",
    ].join("\r\n");
    const edited = setJsonMember(text, PATH, IDS);
    const insertion = [
      ',\r\n\t\t\t\t\t\t"existingAssociations": {',
      `\t\t\t\t\t\t\t"CALL_RECORDINGS": "${id("a")}",`,
      `\t\t\t\t\t\t\t"CHAT_TRANSCRIPTS": "${id("b")}"`,
      "\t\t\t\t\t\t}",
    ].join("\r\n");
    const at = text.indexOf('"8c0e6b4f-3a2d-4e5f-9a1b-2c3d4e5f6a7b"') + 38;
    expect(edited).toBe(text.slice(0, at) + insertion + text.slice(at));
    // Writing again replaces the value in place, and writing the same again changes nothing.
    const again = setJsonMember(edited, PATH, { CALL_RECORDINGS: id("c") });
    expect(again).toBe(
      edited.replace(
        insertion,
        `,\r\n\t\t\t\t\t\t"existingAssociations": {\r\n\t\t\t\t\t\t\t"CALL_RECORDINGS": "${id("c")}"\r\n\t\t\t\t\t\t}`,
      ),
    );
    expect(setJsonMember(again, PATH, { CALL_RECORDINGS: id("c") })).toBe(again);
  });

  test("an adoption written on one line gets the member on that line; {} and a missing environment are handled", () => {
    const text = '{"context":{"connectEncryption":{"environments":{"prod":{"instance":{"adopt":{ "instance": "x" }}}}}}}';
    expect(setJsonMember(text, PATH, IDS)).toBe(
      text.replace('"x" }', `"x", "existingAssociations": { "CALL_RECORDINGS": "${id("a")}", "CHAT_TRANSCRIPTS": "${id("b")}" } }`),
    );
    expect(setJsonMember(text, PATH, {})).toBe(text.replace('"x" }', '"x", "existingAssociations": {} }'));
    expect(() => setJsonMember(text, ["context", "connectEncryption", "environments", "qa", "instance", "adopt", "x"], {})).toThrow(
      "context.connectEncryption.environments.qa is not there",
    );
  });

  test("an adoption that comes from the defaults is refused, not written into them", async () => {
    emptyInstance();
    const decl = fixture();
    const prod = decl.context.connectEncryption.environments.prod;
    decl.context.connectEncryption.defaults.instance = prod.instance;
    delete prod.instance;
    decl.context.connectEncryption.environments.dev.instance = { create: { alias: "acme-dev" } };
    const config = writeFixture(JSON.stringify(decl));
    const { code, err } = await run(["prod", "--write"], config);
    expect(code).toBe(2);
    expect(err).toContain("environments.prod does not declare instance.adopt itself (it comes from the defaults)");
    expect(readFileSync(config, "utf8")).toBe(JSON.stringify(decl));
  });
});

describe("recorded associations in the declaration", () => {
  const adopted = (existingAssociations?: unknown, storage: Json = {}): Json => ({
    instance: { adopt: { instance: INSTANCE, ...(existingAssociations === undefined ? {} : { existingAssociations }) } },
    storage,
  });

  test("are validated: known storage types, Connect association IDs", () => {
    expect(refuses(adopted({ CALL_RECORDING: id("a"), CHAT_TRANSCRIPTS: `${id("a")}:CHAT_TRANSCRIPTS`, ATTACHMENTS: 7 }))).toEqual([
      `context.connectEncryption.environments.test.instance.adopt.existingAssociations.CALL_RECORDING: unknown storage type; allowed: ${STORAGE_TYPES.join(", ")}`,
      `context.connectEncryption.environments.test.instance.adopt.existingAssociations.CHAT_TRANSCRIPTS: "${id("a")}:CHAT_TRANSCRIPTS" is not allowed; allowed: a Connect association ID: 1-100 letters, digits, - or _ (no colon), e.g. a 64-digit hex string`,
      "context.connectEncryption.environments.test.instance.adopt.existingAssociations.ATTACHMENTS: 7 is not a string (it is a number); expected a Connect association ID: 1-100 letters, digits, - or _ (no colon), e.g. a 64-digit hex string",
    ]);
    expect(refuses(adopted(["x"]))[0]).toMatch(
      /existingAssociations: \["x"\] is not an object \(it is a list\); expected a map from storage type to association ID/,
    );
    expect(refuses(adopted({ CALL_RECORDINGS: "x".repeat(101) }))).toHaveLength(1);
    expect(refuses({ instance: { create: { alias: "acme-x", existingAssociations: {} } } })[0]).toContain(
      "instance.create.existingAssociations: unknown field",
    );
  });

  test("an adopted environment without them is warned, naming the discovery command; a created one is not", () => {
    const warning = resolveOne(declaration(adopted())).warnings.find((w) => w.includes("existingAssociations"));
    expect(warning).toMatch(/^context\.connectEncryption\.environments\.test\.instance\.adopt\.existingAssociations: not recorded; /);
    expect(warning).toContain("Run `npm run discover -- test` to list them, and `npm run discover -- test --write` to record them");
    expect(resolveOne(declaration(adopted({}))).warnings.join("\n")).not.toContain("existingAssociations");
    expect(resolveOne(declaration()).warnings.join("\n")).not.toContain("existingAssociations");
  });

  test("synthesize an import block per recorded, declared type at its storage-config address, in the provider's import ID format", () => {
    // In the vocabulary's order, which is the order of the associations and so of the import blocks.
    const recorded = { CALL_RECORDINGS: id("a"), CHAT_TRANSCRIPTS: id("b"), CONTACT_TRACE_RECORDS: id("d"), MEDIA_STREAMS: id("c") };
    const { json } = synth(adopted(recorded));
    expect(json.import).toEqual(
      Object.entries(recorded).map(([type, associationId]) => ({
        to: `aws_connect_instance_storage_config.storage_${type.toLowerCase()}`,
        id: `${INSTANCE}:${associationId}:${type}`,
      })),
    );
    for (const { to } of json.import) {
      const [type, name] = to.split(".");
      expect(json.resource[type][name].instance_id).toBe("${data.aws_connect_instance.connect.id}"); // the adopted instance
    }
    expect(synth(adopted({})).json.import).toBeUndefined();
  });

  test("a recorded type the declaration leaves off is not imported: warned, and listed in the compliance report", () => {
    const recorded = { CALL_RECORDINGS: id("a"), SCHEDULED_REPORTS: id("b") };
    const settings = resolveOne(declaration(adopted(recorded, { SCHEDULED_REPORTS: { enabled: false } })));
    expect(settings.warnings.filter((w) => w.includes("existingAssociations"))).toEqual([
      `context.connectEncryption.environments.test.instance.adopt.existingAssociations.SCHEDULED_REPORTS: association ${id("b")} is recorded but the declaration does not enable SCHEDULED_REPORTS; it stays as it is, and what Connect writes there may stay outside the key (enable storage.SCHEDULED_REPORTS to take it over, or accept it: the compliance report lists it)`,
    ]);
    const stack = new ConnectEncryptionStack(Testing.app(), settings);
    expect(JSON.parse(Testing.synth(stack)).import.map((i: Json) => i.to)).toEqual([
      "aws_connect_instance_storage_config.storage_call_recordings",
    ]);
    const result = checkStack(stack);
    expect(JSON.parse(reportJson(result)).leftAsItIs).toEqual([
      {
        subject: `SCHEDULED_REPORTS association ${id("b")}`,
        reason: `existing association ${id("b")} of SCHEDULED_REPORTS is not declared: it stays as it is, not managed here, and what Connect writes there may stay outside the key`,
        path: "connect-encryption-test/Resource/storage",
      },
    ]);
    expect(reportMarkdown(result)).toContain(`## Left as it is`);
    expect(reportMarkdown(result)).toContain(`| SCHEDULED_REPORTS association ${id("b")} | existing association`);
    // A stack without any keeps the report it had.
    const plain = checkStack(new ConnectEncryptionStack(Testing.app(), resolveOne(declaration())));
    expect(JSON.parse(reportJson(plain)).leftAsItIs).toBeUndefined();
    expect(reportMarkdown(plain)).not.toContain("Left as it is");
  });
});

test("the discovery IAM policy grants every action discovery calls, and nothing that writes", () => {
  const read = (path: string): string => readFileSync(join(__dirname, "..", path), "utf8");
  const policy = JSON.parse(read("examples/discover-iam-policy.json"));
  const granted: string[] = policy.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
  // Every call of discovery's code and of the shared code it imports (the listing is cli/aws/storage-configs.ts).
  const called = sourcesOf("modules/cli/discover/discover.ts").flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/call\("([a-z0-9]+:[A-Za-z]+)"/g)].map((m) => m[1]),
  );
  expect(new Set(called)).toEqual(new Set(["kms:DescribeKey", "connect:ListInstanceStorageConfigs"]));
  expect(granted.sort()).toEqual([...new Set([...called, "sts:GetCallerIdentity"])].sort());
  for (const action of granted) expect(action).toMatch(/^[a-z0-9]+:(Get|List|Describe)/);
});

test("--help and -h print the usage and exit 0", async () => {
  for (const flag of ["--help", "-h"]) {
    let out = "";
    const io: DiscoverIo = { ...defaultDiscoverIo, out: (t) => (out += `${t}\n`), err: () => undefined };
    expect(await discoverMain([flag], io, "no-such-cdktf.json")).toBe(0);
    expect(out).toBe(`${DISCOVER_USAGE}\n`);
  }
});

test("the help documents every option the parser accepts, every environment variable discover reads, and an example", () => {
  expect(undocumentedOptions(DISCOVER_USAGE, DISCOVER_OPTIONS)).toEqual([]);
  const read = variablesRead("modules/cli/discover/main.ts");
  expect(read).toEqual(["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED", "CONNECT_ENCRYPTION_CONFIG"]);
  // The AWS SDK reads the credentials' variables itself; the help names them by AWS_PROFILE.
  expect(undocumentedVariables(DISCOVER_USAGE, [...read, "AWS_PROFILE"])).toEqual([]);
  expect(DISCOVER_USAGE).toMatch(/\nExample:\n {2}.*npm run discover -- \S+/);
});

describe("the built entry point (dist/discover.js)", () => {
  beforeAll(buildEntries);

  test("reads the declaration CONNECT_ENCRYPTION_CONFIG names, relative to the working directory or absolute", () => {
    const { cwd, relative, absolute } = declarationElsewhere();
    for (const config of [relative, absolute]) {
      const result = runEntry("discover", ["nosuch"], cwd, config);
      expect([result.status, result.stderr]).toEqual([2, `discover: nosuch is not an environment of ${config}; declared: dev, live\n`]);
    }
  });
});
