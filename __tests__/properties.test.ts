/**
 * Property-based tests: random valid configurations synthesize and satisfy
 * every guardrail with their key and buckets at the same Terraform
 * addresses; random invalid ones are refused with an error naming the field.
 * PROPERTY_RUNS scales the number of runs (default 100 valid, 300 invalid),
 * sized to keep `npm test` within its minute on a 2-core machine.
 */
import fc from "fast-check";
import { Testing } from "cdktf";
import { resolveEnvironments } from "../modules/config/config";
import { ConfigError } from "../modules/config/validation";
import { ConnectEncryptionStack } from "../modules/stacks/connect-encryption-stack";
import { assertCompliant, checkStack } from "../modules/guardrails/check";
import { S3_STORAGE_TYPES, S3_STORAGE_TYPE_INFO } from "../modules/config/storage-types";
import { Json } from "./helpers/synth";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 100);
const ROLE = (name: string): string => `arn:aws:iam::123456789012:role/${name}`;
const REGIONS = ["eu-west-2", "us-east-1", "ap-southeast-2", "eu-central-1"] as const;

const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });
const roles = (prefix: string): fc.Arbitrary<string[]> =>
  fc.uniqueArray(
    fc.constantFrom("A", "B", "C").map((n) => ROLE(`${prefix}${n}`)),
    { maxLength: 3 },
  );

const s3Storage = fc.record(
  Object.fromEntries(
    S3_STORAGE_TYPES.map((type) => [
      type,
      fc.record({
        enabled: fc.boolean(),
        prefix: maybe(fc.constantFrom(`custom/${type.toLowerCase()}`, S3_STORAGE_TYPE_INFO[type].defaultPrefix)),
      }),
    ]),
  ),
);

const kinesis = fc.oneof(
  fc.record({ capacityMode: fc.constant("ON_DEMAND"), retentionHours: fc.integer({ min: 24, max: 8760 }) }),
  fc.record({
    capacityMode: fc.constant("PROVISIONED"),
    shardCount: fc.integer({ min: 1, max: 10000 }),
    retentionHours: fc.integer({ min: 24, max: 8760 }),
  }),
);

const streaming = fc.record({
  CONTACT_TRACE_RECORDS: fc.oneof(
    fc.record({
      enabled: fc.boolean(),
      destination: fc.constant("firehose"),
      bufferingSizeMib: fc.integer({ min: 1, max: 128 }),
      bufferingIntervalSeconds: fc.integer({ min: 0, max: 900 }),
      errorLogging: fc.boolean(),
    }),
    kinesis.map((k) => ({ enabled: true, destination: "kinesis", ...k })),
  ),
  AGENT_EVENTS: fc.record({ enabled: fc.boolean() }),
  REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS: fc.record({ enabled: fc.boolean() }),
  REAL_TIME_CONTACT_ANALYSIS_CHAT_SEGMENTS: fc.record({ enabled: fc.boolean() }),
  MEDIA_STREAMS: fc.record({ enabled: fc.boolean(), retentionHours: fc.integer({ min: 0, max: 87600 }) }),
});

const lifecycle = fc
  .record({
    transition: maybe(fc.integer({ min: 0, max: 365 })),
    extra: fc.integer({ min: 90, max: 3000 }),
    expire: fc.boolean(),
    noncurrent: maybe(fc.integer({ min: 1, max: 3650 })),
    analysis: fc.boolean(),
  })
  .map(({ transition, extra, expire, noncurrent, analysis }) => {
    const expireAfterDays = expire ? (transition ?? 0) + extra : undefined;
    return {
      transitionToGlacierIrAfterDays: transition,
      expireAfterDays,
      noncurrentVersionExpirationDays: noncurrent,
      prefixRules: analysis ? [{ prefix: "Analysis/", transitionToGlacierIrAfterDays: 30 }] : [],
    };
  });

const keySettings = fc
  .record({
    rotationPeriodInDays: fc.integer({ min: 90, max: 2560 }),
    deletionWindowInDays: fc.integer({ min: 7, max: 30 }),
    administratorArns: roles("Admin"),
    userArns: roles("User"),
    auditorArns: roles("Auditor"),
    consumerArns: roles("Consumer"),
    rootless: fc.boolean(),
  })
  .map(({ rootless, ...key }) =>
    rootless
      ? {
          ...key,
          allowAccountRoot: false,
          deployerArns: [ROLE("Deployer")],
          administratorArns: [...key.administratorArns, ROLE("Deployer")],
          // Without the root, someone named must read what the key encrypts (and users read the streams too).
          userArns: [...key.userArns.filter((u) => u !== ROLE("UserA")), ROLE("UserA")],
          auditorArns: [...key.auditorArns.filter((u) => u !== ROLE("AuditorA")), ROLE("AuditorA")],
        }
      : key,
  );

/** A valid environment, and the region it deploys to. */
const environment = fc
  .record({
    region: fc.constantFrom(...REGIONS),
    adopt: fc.boolean(),
    key: keySettings,
    storage: fc.tuple(s3Storage, streaming).map(([s3, streams]) => ({ ...s3, ...streams })),
    streams: fc.record({ consumerRoleArns: roles("Reader") }),
    lifecycle: lifecycle,
    objectLock: maybe(fc.record({ mode: fc.constantFrom("COMPLIANCE", "GOVERNANCE"), days: fc.integer({ min: 1, max: 30 }) })),
    replicate: fc.boolean(),
    accessLogs: fc.constantFrom<Json>(
      { destination: "dedicated" },
      { destination: "existing", bucketName: "acme-central-logs" },
      { destination: "none", reason: "Logged centrally by CloudTrail data events for this bucket." },
    ),
    alerts: fc.record({ enabled: fc.boolean() }),
    customerProfiles: fc.record({ enabled: fc.boolean() }),
  })
  .map((e): Json => ({
    region: e.region,
    instance: e.adopt ? { adopt: { instance: "11111111-2222-3333-4444-555555555555" } } : { create: { alias: "acme-property" } },
    key: e.key,
    storage: e.storage,
    streams: e.streams,
    bucket: {
      lifecycle:
        e.objectLock && e.lifecycle.expireAfterDays !== undefined && e.lifecycle.expireAfterDays < e.objectLock.days ? {} : e.lifecycle,
      objectLock: e.objectLock,
      replication: e.replicate ? { region: "eu-west-1" } : undefined,
      accessLogs: e.accessLogs,
    },
    alerts: e.alerts,
    customerProfiles: e.customerProfiles,
  }));

const declarationOf = (env: Json): Json => ({ defaults: { namePrefix: "acme" }, environments: { prop: env } });

test("random valid configurations synthesize, pass every guardrail, and keep the key and buckets at their addresses", () => {
  fc.assert(
    fc.property(environment, (env) => {
      const [settings] = resolveEnvironments(declarationOf(env));
      const stack = new ConnectEncryptionStack(Testing.app(), settings);
      assertCompliant([checkStack(stack)]);
      const json = stack.toTerraform();
      // Options never move the key or the buckets: an upgrade can never plan their replacement.
      const keys = ["key", ...(env.alerts.enabled !== false ? ["key_alerts_key"] : []), ...(env.bucket.replication ? ["replica_key"] : [])];
      expect(Object.keys(json.resource.aws_kms_key).sort()).toEqual(keys.sort());
      const buckets = [
        "recordings",
        ...(env.bucket.objectLock && env.storage.ATTACHMENTS?.enabled ? ["attachments"] : []),
        ...(env.bucket.accessLogs.destination === "dedicated" ? ["access_logs"] : []),
        ...(env.bucket.replication ? ["replica_bucket", "replica_logs"] : []),
      ];
      expect(Object.keys(json.resource.aws_s3_bucket).sort()).toEqual(buckets.sort());
    }),
    { numRuns: RUNS, seed: 20261128 },
  );
});

/** Invalid values, each with the field it must be reported against. */
const INVALID: readonly { field: string; set: (env: Json) => void }[] = [
  { field: "key.rotationPeriodInDays", set: (e) => (e.key.rotationPeriodInDays = 89) },
  { field: "key.deletionWindowInDays", set: (e) => (e.key.deletionWindowInDays = 31) },
  { field: "key.userArns[0]", set: (e) => (e.key.userArns = ["*"]) },
  { field: "key.alias", set: (e) => (e.key.alias = "alias/aws/connect") },
  { field: "instance.create.alias", set: (e) => (e.instance = { create: { alias: "d-contact" } }) },
  { field: "instance.adopt.instance", set: (e) => (e.instance = { adopt: { instance: "instance-1" } }) },
  { field: "storage.CALL_RECORDING", set: (e) => (e.storage.CALL_RECORDING = { enabled: true }) },
  { field: "storage.AGENT_EVENTS.destination", set: (e) => (e.storage.AGENT_EVENTS = { destination: "firehose" }) },
  {
    field: "storage.CONTACT_TRACE_RECORDS.destination",
    set: (e) => (e.storage.CONTACT_TRACE_RECORDS = { destination: "kinesis-firehose" }),
  },
  { field: "storage.MEDIA_STREAMS.retentionHours", set: (e) => (e.storage.MEDIA_STREAMS = { retentionHours: 87601 }) },
  { field: "streams.retentionHours", set: (e) => (e.streams.retentionHours = 23) },
  { field: "region", set: (e) => (e.region = "eu-west-9") },
  { field: "accountId", set: (e) => (e.accountId = "12345") },
  { field: "bucket.objectLock", set: (e) => (e.bucket.objectLock = { mode: "COMPLIANCE" }) },
  { field: "bucket.replication.region", set: (e) => (e.bucket.replication = { region: e.region }) },
  { field: "bucket.accessLogs.reason", set: (e) => (e.bucket.accessLogs = { destination: "none" }) },
  { field: "alerts.emails", set: (e) => (e.alerts = { enabled: false, emails: ["soc@example.com"] }) },
  { field: "colour", set: (e) => (e.colour = "blue") },
];

test("random invalid configurations are refused with an error that names the field", () => {
  fc.assert(
    fc.property(environment, fc.constantFrom(...INVALID), (env, invalid) => {
      invalid.set(env);
      let error: unknown;
      try {
        resolveEnvironments(declarationOf(env));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.join("\n")).toContain(`context.connectEncryption.environments.prop.${invalid.field}`);
    }),
    { numRuns: RUNS * 3, seed: 20261128 },
  );
});
