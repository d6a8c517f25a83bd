/**
 * Valid-looking declarations across the whole schema, for the properties of
 * properties.test.ts and `npm run fuzz`. Each group is walked from the
 * schema (schema-arbitrary.ts), so every field is generated; the overrides
 * below only make values fit together the way a user's would (ARNs in the
 * environment's account and partition, exactly one of instance.create and
 * instance.adopt, a lifecycle whose days follow each other, S3 state in the
 * bootstrap's bucket...), and now and then they do not, so that refusals are
 * exercised too. Names come from small pools, so that environments sharing
 * an account and Region also share names.
 */
import fc from "fast-check";
import { ENVIRONMENT_ENTRIES, environmentSchema, stateBootstrapSchema } from "../../modules/config/config-schema";
import { partitionOf } from "../../modules/config/regions";
import {
  DESTINATION_FIELDS,
  LOCKABLE_TYPES,
  LOCKED_BY_DEFAULT,
  S3StorageType,
  S3_STORAGE_TYPES,
  S3_STORAGE_TYPE_INFO,
  STREAMING_STORAGE_TYPES,
  STREAMING_STORAGE_TYPE_INFO,
  StreamDestination,
  StreamingStorageType,
} from "../../modules/config/storage-types";
import { core, schemaArbitrary } from "./schema-arbitrary";

type Json = Record<string, any>;

export const ACCOUNTS = ["111111111111", "222222222222", "333333333333"] as const;
/** Regions and their disaster-recovery partners (replication stays in a partition). */
const REGIONS: Readonly<Record<string, readonly string[]>> = {
  "eu-west-2": ["eu-west-1", "eu-central-1"],
  "eu-west-1": ["eu-west-2"],
  "us-east-1": ["us-west-2"],
  "ap-southeast-2": ["ap-southeast-1"],
  "ca-central-1": ["us-east-1"],
  "us-gov-west-1": ["us-gov-east-1"],
};
const NAME_PREFIXES = ["acme", "contoso-cc", "p", "abcdefghijklmnopqrstuvwx"];
const ENV_NAMES = ["dev", "prod", "staging", "live", "qa2", "e", "abcdefghijklmnop"];
const ROLES = ["Admin", "Deployer", "Auditor", "Consumer", "User", "StreamReader", "AlertReader", "ops/nested/Analyst"];
const TAG_KEYS = ["Project", "Owner", "cost-centre", "k".repeat(128), "app:tier"];
/** Keys and values the schema takes but some service refuses (Customer Profiles no space or non-ASCII key, CloudTrail no empty value). */
const PICKY_TAG_KEYS = ["Data Classification", "Ünïcode"];
const TAG_VALUES = ["confidential", "Zürich", "v".repeat(256), "a b", "x@y.z", "１２３"];
const PICKY_TAG_VALUES = [""];
const EMAILS = ["soc@example.com", "kms-alerts+prod@example.org"];
const ORIGINS = ["https://www.example.com", "https://*.example.org:8443"];
const ALIAS_BODIES = ["connect", "connect-prod", "team/connect", "a".repeat(240)];

/** What an environment's values must agree with. */
interface EnvironmentContext {
  readonly name: string;
  readonly account?: string;
  readonly region: string;
  readonly namePrefix: string;
  readonly bootstrap?: Json;
}

const roleArn = (ctx: EnvironmentContext, name: string) =>
  `arn:${partitionOf(ctx.region)}:iam::${ctx.account ?? "123456789012"}:role/${name}`;
const roles = (ctx: EnvironmentContext) =>
  fc.uniqueArray(
    fc.constantFrom(...ROLES).map((name) => roleArn(ctx, name)),
    { maxLength: 2 },
  );
/** The value, or absent once in `frequency` draws (at least 2); absent is where it shrinks to. */
const maybe = <T>(arbitrary: fc.Arbitrary<T>, frequency = 2) => fc.option(arbitrary, { nil: undefined, freq: frequency });
/** The value once in three draws, else absent (where it shrinks to). */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary, weight: 1 });
const rarely = <T>(usual: readonly T[], picky: readonly T[]) =>
  fc.oneof({ arbitrary: fc.constantFrom(...usual), weight: 19 }, { arbitrary: fc.constantFrom(...picky), weight: 1 });
const tags = fc.dictionary(rarely(TAG_KEYS, PICKY_TAG_KEYS), rarely(TAG_VALUES, PICKY_TAG_VALUES), { maxKeys: 3 });

/** Retention whose days follow each other as S3 and the lifecycle rules require (a prefix rule only shortens it). */
const lifecycle = fc
  .record({
    transition: maybe(fc.integer({ min: 0, max: 365 })),
    extra: fc.integer({ min: 90, max: 3000 }),
    expire: fc.boolean(),
    noncurrent: maybe(fc.integer({ min: 1, max: 3650 })),
    abort: maybe(fc.integer({ min: 1, max: 365 })),
    rule: maybe(
      fc.record({
        prefix: fc.constantFrom("Analysis/", "connect/CallRecordings/training/"),
        transition: fc.integer({ min: 0, max: 60 }),
        expire: maybe(fc.integer({ min: 400, max: 4000 })),
      }),
    ),
  })
  .map(({ transition, extra, expire, noncurrent, abort, rule }) => {
    const expireAfterDays = expire ? (transition ?? 0) + extra : undefined;
    const ruleExpiry =
      rule?.expire !== undefined && (expireAfterDays === undefined || rule.expire < expireAfterDays) ? rule.expire : undefined;
    return {
      transitionToGlacierIrAfterDays: transition,
      expireAfterDays,
      noncurrentVersionExpirationDays: noncurrent,
      abortIncompleteMultipartUploadDays: abort,
      prefixRules: rule
        ? [{ prefix: rule.prefix, transitionToGlacierIrAfterDays: rule.transition, expireAfterDays: ruleExpiry }]
        : undefined,
    };
  });

/** Where the access logs go, with what each destination needs. */
const accessLogs = fc.oneof(
  fc.constant({ destination: "dedicated" }),
  fc.constant({ destination: "existing", bucketName: "central-access-logs-bucket" }),
  fc.constant({ destination: "none", reason: "Requests are logged by CloudTrail data events in the organisation trail." }),
);

/** Values of single fields that must fit the environment (its account, Region, names), by path under the environment. */
function leafOverrides(ctx: EnvironmentContext): Record<string, fc.Arbitrary<unknown>> {
  const arns = roles(ctx);
  const streamingPrefixes = Object.fromEntries(
    STREAMING_STORAGE_TYPES.flatMap((type) => {
      const at = `storage.${type}`;
      const video = STREAMING_STORAGE_TYPE_INFO[type].destinations.includes("kinesis-video");
      return [
        [`${at}.destination`, fc.constantFrom(...STREAMING_STORAGE_TYPE_INFO[type].destinations)],
        [`${at}.prefix`, video ? fc.constantFrom("media", "live.audio") : fc.constantFrom(`connect/${type}`, `${type.toLowerCase()}/out`)],
        [`${at}.errorPrefix`, fc.constantFrom(`connect/${type}Errors`, `${type.toLowerCase()}/errors`)],
        [`${at}.shardCount`, fc.integer({ min: 1, max: 4 })],
      ];
    }),
  );
  const s3Prefixes = Object.fromEntries(
    S3_STORAGE_TYPES.map((type) => [
      `storage.${type}.prefix`,
      fc.constantFrom(S3_STORAGE_TYPE_INFO[type].defaultPrefix, `custom/${type.toLowerCase()}`),
    ]),
  );
  return {
    // environmentArbitrary adds it (always present).
    instance: fc.constant(undefined),
    accountId: fc.constant(ctx.account),
    region: fc.constant(ctx.region),
    namePrefix: fc.constant(ctx.namePrefix),
    assumeRoleArn: fc.constant(roleArn(ctx, "Deployer")),
    tags,
    "key.alias": fc.constantFrom(...ALIAS_BODIES).map((body) => (body.length > 200 ? `alias/${body}` : `alias/${body}-${ctx.name}`)),
    "key.description": fc.constantFrom("Connect content", "Schlüssel für Aufnahmen", "d".repeat(8192)),
    "key.administratorArns": arns,
    "key.userArns": arns,
    "key.auditorArns": arns,
    "key.consumerArns": arns,
    "key.deployerArns": fc.constant([roleArn(ctx, "Deployer")]),
    "bucket.name": fc.constantFrom(`${ctx.namePrefix}-${ctx.name}-recordings`, `${ctx.namePrefix}-shared-recordings`),
    "bucket.lifecycle": lifecycle,
    "bucket.objectLock.days": fc.integer({ min: 1, max: 30 }),
    "bucket.objectLock.years": fc.constant(1),
    "bucket.replication.region": fc.constantFrom(...(REGIONS[ctx.region] ?? [])),
    "bucket.replication.bucketName": fc.constant(`${ctx.namePrefix}-${ctx.name}-copy`),
    "bucket.accessLogs": accessLogs,
    ...s3Prefixes,
    "storage.ATTACHMENTS.corsAllowedOrigins": fc.uniqueArray(fc.constantFrom(...ORIGINS), { maxLength: 2 }),
    ...streamingPrefixes,
    "streams.consumerRoleArns": fc.constant([roleArn(ctx, "StreamReader")]),
    "streams.shardCount": fc.integer({ min: 1, max: 4 }),
    state: stateArbitrary(ctx),
    "alerts.emails": fc.uniqueArray(fc.constantFrom(...EMAILS), { maxLength: 2 }),
    "alerts.readerArns": fc.uniqueArray(
      fc.constantFrom("AlertReader", "Auditor").map((n) => roleArn(ctx, n)),
      { maxLength: 1 },
    ),
    "customerProfiles.domainName": fc.constant(`${ctx.namePrefix}-${ctx.name}-profiles`),
  };
}

/** An instance ID of the environment's own (an instance belongs to one environment). */
const instanceId = (name: string) =>
  `8c0e6b4f-3a2d-4e5f-9a1b-${[...name]
    .map((c) => c.charCodeAt(0).toString(16))
    .join("")
    .padEnd(12, "0")
    .slice(0, 12)}`;

/** Exactly one of create and adopt, each walked from the schema, with an alias and instance of the environment's own. */
function instanceArbitrary(ctx: EnvironmentContext): fc.Arbitrary<Json> {
  const uuid = instanceId(ctx.name);
  const arn = `arn:${partitionOf(ctx.region)}:connect:${ctx.region}:${ctx.account ?? "123456789012"}:instance/${uuid}`;
  const alias = `${ctx.namePrefix}-contact-${ctx.name}`.slice(0, 45).replace(/-+$/, "");
  const overrides: Record<string, fc.Arbitrary<unknown>> = {
    "create.alias": fc.constant(alias),
    "create.directoryId": fc.constant("d-1234567890"),
    "adopt.instance": ctx.account ? fc.constantFrom(uuid, arn) : fc.constant(uuid),
  };
  const { base } = core(ENVIRONMENT_ENTRIES.instance as Json);
  const kind = (name: "create" | "adopt") =>
    schemaArbitrary(base.entries[name], name, (path) => overrides[path]).map((value) => ({ [name]: value as Json }));
  return fc.oneof(kind("create"), kind("adopt")).map((instance) => {
    const create = instance.create;
    if (!create) return { adopt: { ...instance.adopt, instance: instance.adopt.instance ?? uuid } };
    // A directory only for EXISTING_DIRECTORY, which needs one.
    const { directoryId, ...rest } = create;
    const directory = rest.identityManagementType === "EXISTING_DIRECTORY" ? { directoryId: directoryId ?? "d-1234567890" } : {};
    return { create: { ...rest, alias: rest.alias ?? alias, ...directory } };
  });
}

/** Where the environment's state lives; S3 state goes into the bootstrap's bucket when there is one. */
function stateArbitrary(ctx: EnvironmentContext): fc.Arbitrary<Json> {
  // The state key must be in the environment's account and partition: the bootstrap's bucket only serves those that share them.
  const bootstrap =
    ctx.bootstrap?.accountId !== undefined &&
    ctx.bootstrap.accountId === ctx.account &&
    partitionOf(ctx.bootstrap.region) === partitionOf(ctx.region)
      ? ctx.bootstrap
      : undefined;
  const own = {
    bucket: "existing-tf-state",
    region: ctx.region,
    kmsKeyId: `arn:${partitionOf(ctx.region)}:kms:${ctx.region}:${ctx.account ?? "123456789012"}:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`,
  };
  const shared = bootstrap && {
    bucket: bootstrap.bucket,
    region: bootstrap.region,
    key: `envs/${ctx.name}/terraform.tfstate`,
    kmsKeyId: `arn:${partitionOf(bootstrap.region)}:kms:${bootstrap.region}:${bootstrap.accountId}:${bootstrap.keyAlias ?? "alias/connect-encryption-state"}`,
  };
  const s3 = fc
    .record(
      {
        key: maybe(fc.constant("connect/terraform.tfstate")),
        workspaceKeyPrefix: maybe(fc.constant("workspaces")),
        dynamodbTable: maybe(fc.constant("terraform-locks"), 4),
      },
      { requiredKeys: [] },
    )
    .map((extra) => ({ backend: "s3", ...extra, ...(shared ?? own) }));
  const cloud = fc
    .record(
      {
        organization: fc.constant("acme"),
        hostname: maybe(fc.constantFrom("app.terraform.io", "tfe.example.com")),
        byTags: fc.boolean(),
        project: maybe(fc.constant("contact-centre")),
      },
      { requiredKeys: ["organization", "byTags"] },
    )
    // A workspace by name, or the workspaces of some tags.
    .map(({ byTags, ...cloud }) => ({
      backend: "cloud",
      ...cloud,
      ...(byTags ? { workspaceTags: ["connect", ctx.name] } : { workspace: `connect-${ctx.name}` }),
    }));
  return fc.oneof(fc.constant({ backend: "local" }), s3, cloud);
}

/**
 * An environment always has its instance (the schema has it optional only
 * because the defaults have none). Nine in ten root-less environments name
 * readers of everything their key encrypts, as the readers' rule requires;
 * the tenth is left as drawn, and often refused.
 */
function environmentArbitrary(ctx: EnvironmentContext): fc.Arbitrary<Json> {
  const overrides = leafOverrides(ctx);
  return fc
    .tuple(
      schemaArbitrary(environmentSchema, "", (path) => overrides[path]),
      instanceArbitrary(ctx),
      fc.nat(9),
    )
    .map(([env, instance, readable]) => {
      const drawn = coherent(ctx, withoutUndefined({ ...(env as Json), instance }));
      return drawn.key?.allowAccountRoot === false && readable > 0 ? withReaders(ctx, drawn) : drawn;
    });
}

/**
 * The fields drawn one by one, made to fit together as the configuration's
 * rules across fields require: a root-less key administered by its deployer,
 * each streaming type with the fields of its destination, shards only for
 * provisioned streams, Object Lock with its mode and one retention, versions
 * kept at least as long as they are locked, nothing set on what is off.
 */
function coherent(ctx: EnvironmentContext, env: Json): Json {
  const out = { ...env };
  if (out.key?.allowAccountRoot === false) {
    const deployer = roleArn(ctx, "Deployer");
    // KMS refuses a key policy that would lock out the principal that puts it.
    out.key = { ...out.key, deployerArns: [deployer], administratorArns: [...new Set([...(out.key.administratorArns ?? []), deployer])] };
  }
  if (out.storage) out.storage = coherentStorage(out.storage);
  if (out.streams) out.streams = provisioned(out.streams);
  if (out.bucket) out.bucket = coherentBucket(ctx, out.bucket);
  if (out.bucket?.objectLock)
    out.bucket = { ...out.bucket, objectLock: coherentLock(out.bucket.objectLock, storedLockable(out.storage ?? {})) };
  if (out.alerts?.enabled === false) out.alerts = { enabled: false };
  // Settings of Customer Profiles mean it is on (its default is off), unless it is written off.
  const profiles = out.customerProfiles;
  if (profiles?.enabled === false) out.customerProfiles = { enabled: false };
  else if (profiles && Object.keys(profiles).some((field) => field !== "enabled")) out.customerProfiles = { ...profiles, enabled: true };
  return withoutUndefined(out);
}

/** The types the environment stores that Object Lock can hold (S3 types and Firehose deliveries), defaults included. */
function storedLockable(storage: Json): string[] {
  return LOCKABLE_TYPES.filter((type) => {
    const entry = storage[type];
    if ((S3_STORAGE_TYPES as readonly string[]).includes(type))
      return entry?.enabled ?? S3_STORAGE_TYPE_INFO[type as S3StorageType].enabledByDefault;
    const info = STREAMING_STORAGE_TYPE_INFO[type as StreamingStorageType];
    return (entry?.enabled ?? info.enabledByDefault) && (entry?.destination ?? info.destinations[0]) === "firehose";
  });
}

/** Locked types among the stored ones, never empty; named whenever other types than call recordings are stored. */
function coherentLock(lock: Json, stored: readonly string[]): Json {
  const { lockedTypes, ...rest } = lock;
  const kept = ((lockedTypes ?? []) as string[]).filter((type) => stored.includes(type));
  const others = stored.some((type) => !(LOCKED_BY_DEFAULT as readonly string[]).includes(type));
  if (kept.length > 0) return { ...rest, lockedTypes: kept };
  if (!others) return rest;
  return { ...rest, lockedTypes: [stored.includes("CALL_RECORDINGS") ? "CALL_RECORDINGS" : stored[0]] };
}

/** Shards only in PROVISIONED mode (where they are required). */
function provisioned(streams: Json): Json {
  const { shardCount, ...rest } = streams;
  return rest.capacityMode === "PROVISIONED" ? { ...rest, shardCount: shardCount ?? 1 } : rest;
}

function coherentStorage(storage: Json): Json {
  const out: Json = { ...storage };
  for (const type of STREAMING_STORAGE_TYPES) {
    const entry = out[type];
    if (!entry) continue;
    const destination: StreamDestination = entry.destination ?? STREAMING_STORAGE_TYPE_INFO[type].destinations[0];
    const fields = ["enabled", "destination", ...DESTINATION_FIELDS[destination]];
    const kept = Object.fromEntries(Object.entries(entry).filter(([field]) => fields.includes(field)));
    out[type] = destination === "kinesis" ? provisioned(kept) : kept;
  }
  return out;
}

function coherentBucket(ctx: EnvironmentContext, bucket: Json): Json {
  const out: Json = { ...bucket };
  if (out.replication) out.replication = { ...out.replication, region: out.replication.region ?? REGIONS[ctx.region][0] };
  if (out.objectLock) {
    const { mode, days, years } = out.objectLock;
    out.objectLock = { mode: mode ?? "GOVERNANCE", ...(years !== undefined && days === undefined ? { years } : { days: days ?? 1 }) };
  }
  // Locked versions cannot expire before their retention ends.
  const lockDays = out.objectLock ? (out.objectLock.days ?? out.objectLock.years * 365) : 0;
  const lifecycle = out.lifecycle;
  const expiries = [lifecycle?.expireAfterDays, ...(lifecycle?.prefixRules ?? []).map((r: Json) => r.expireAfterDays)];
  if (expiries.some((days) => days !== undefined && days < lockDays)) delete out.lifecycle;
  return out;
}

/** A root-less environment with someone named to read its content, its streams and its alerts. */
function withReaders(ctx: EnvironmentContext, env: Json): Json {
  const auditors = env.key.auditorArns?.length ? env.key.auditorArns : [roleArn(ctx, "Auditor")];
  const alerts = env.alerts?.readerArns?.length === 0 ? { ...env.alerts, readerArns: [roleArn(ctx, "AlertReader")] } : env.alerts;
  return {
    ...env,
    key: { ...env.key, auditorArns: auditors },
    streams: {
      ...env.streams,
      consumerRoleArns: env.streams?.consumerRoleArns?.length ? env.streams.consumerRoleArns : [roleArn(ctx, "StreamReader")],
    },
    ...(alerts ? { alerts } : {}),
  };
}

function bootstrapArbitrary(names: readonly string[]): fc.Arbitrary<Json> {
  return fc
    .record({
      region: fc.constantFrom(...Object.keys(REGIONS)),
      account: fc.constantFrom(...ACCOUNTS),
      replica: fc.boolean(),
    })
    .chain(({ region, account, replica }) =>
      schemaArbitrary(stateBootstrapSchema, "", (path) => {
        const fixed: Record<string, fc.Arbitrary<unknown>> = {
          region: fc.constant(region),
          accountId: fc.constant(account),
          assumeRoleArn: maybe(fc.constant(`arn:${partitionOf(region)}:iam::${account}:role/StateDeployer`)),
          bucket: fc.constantFrom(`acme-tf-state-${account}`, "tf-state-shared"),
          keyAlias: maybe(fc.constantFrom("alias/connect-encryption-state", "alias/state")),
          replicaRegion: fc.constant(replica ? REGIONS[region][0] : undefined),
          tags,
          "hcpTerraform.roleNames": fc.constant(Object.fromEntries(names.map((n) => [n, `connect-${n}-hcp`]))),
        };
        return fixed[path];
      }).map((bootstrap) => ({ ...(bootstrap as Json), region, bucket: (bootstrap as Json).bucket ?? `acme-tf-state-${account}` })),
    )
    .map((bootstrap) => withoutUndefined(bootstrap));
}

/** Groups whose fields belong together (a backend and its settings, one kind of instance): left to the defaults whole. */
const WHOLE_GROUPS = new Set(["instance", "state"]);

/** Fields an environment can leave to the defaults: each top-level field, and each field of a group. */
const HOISTABLE: readonly string[] = Object.entries(ENVIRONMENT_ENTRIES).flatMap(([name, entry]) => {
  const { base } = core(entry as Record<string, any>);
  const fields = base.type === "strict_object" && !WHOLE_GROUPS.has(name) ? Object.keys(base.entries) : [];
  return [name, ...fields.map((field) => `${name}.${field}`)];
});

/**
 * The declaration with the fields of `paths` that every environment writes
 * alike moved into the defaults, as a user factors them out (the defaults'
 * own value, if any, is replaced). Groups left empty are removed.
 */
function hoisted(declaration: Json, paths: readonly string[]): Json {
  const environments: Json[] = Object.values(declaration.environments);
  const get = (node: Json | undefined, path: string[]) =>
    path.reduce<any>((n, key) => (n && typeof n === "object" ? n[key] : undefined), node);
  for (const dotted of paths) {
    const path = dotted.split(".");
    const values = environments.map((env) => get(env, path));
    if (values[0] === undefined || values.some((value) => JSON.stringify(value) !== JSON.stringify(values[0]))) continue;
    const parent = path.slice(0, -1).reduce((node, key) => (node[key] ??= {}), (declaration.defaults ??= {}));
    parent[path[path.length - 1]] = values[0];
    for (const env of environments) {
      delete get(env, path.slice(0, -1))[path[path.length - 1]];
      if (path.length > 1 && Object.keys(env[path[0]]).length === 0) delete env[path[0]];
    }
  }
  return declaration;
}

/** A declaration: defaults, one to three environments, and sometimes the state bootstrap. */
export const declarationArbitrary: fc.Arbitrary<Json> = fc
  .record({
    namePrefix: fc.constantFrom(...NAME_PREFIXES),
    region: fc.constantFrom(...Object.keys(REGIONS)),
    defaultTags: maybe(tags),
    // One environment most often, three least (each adds a stack to check).
    names: fc
      .oneof({ arbitrary: fc.constant(1), weight: 14 }, { arbitrary: fc.constant(2), weight: 5 }, { arbitrary: fc.constant(3), weight: 1 })
      .chain((count) => fc.shuffledSubarray(ENV_NAMES, { minLength: count, maxLength: count })),
    places: fc.array(
      fc.record({ account: maybe(fc.constantFrom(...ACCOUNTS), 4), region: maybe(fc.constantFrom(...Object.keys(REGIONS)), 3) }),
      { minLength: 3, maxLength: 3 },
    ),
    toDefaults: fc.subarray([...HOISTABLE], { maxLength: 8 }),
  })
  .chain((drawn) => sometimes(bootstrapArbitrary(drawn.names)).chain((bootstrap) => declarationOf({ ...drawn, bootstrap })));

function declarationOf(drawn: {
  namePrefix: string;
  region: string;
  defaultTags?: Json;
  names: string[];
  places: { account?: string; region?: string }[];
  toDefaults: string[];
  bootstrap?: Json;
}): fc.Arbitrary<Json> {
  const { namePrefix, region, defaultTags, names, places, bootstrap, toDefaults } = drawn;
  const contexts = names.map((name, i): EnvironmentContext => ({
    name,
    namePrefix,
    account: places[i].account,
    region: places[i].region ?? region,
    bootstrap,
  }));
  return fc.tuple(...contexts.map(environmentArbitrary)).map((envs) =>
    withDeployRolesForCloud(
      hoisted(
        withoutUndefined({
          defaults: withoutUndefined({ region, namePrefix, tags: defaultTags }),
          // An environment's own region only where it differs from the defaults'.
          environments: Object.fromEntries(envs.map((env, i) => [names[i], withoutUndefined({ ...env, region: places[i].region })])),
          stateBootstrap: bootstrap,
        }),
        toDefaults,
      ),
    ),
  );
}

/** Deploy role names only with deploy roles, for the environments whose state is in HCP Terraform (the others get no role). */
function withDeployRolesForCloud(declaration: Json): Json {
  const roleNames = declaration.stateBootstrap?.hcpTerraform?.roleNames;
  if (!roleNames) return declaration;
  const cloud = (name: string) =>
    name in declaration.environments && (declaration.environments[name].state ?? declaration.defaults?.state)?.backend === "cloud";
  const roles = declaration.stateBootstrap.hcpTerraform.deployRoles === true;
  const kept = Object.fromEntries(Object.entries(roleNames).filter(([name]) => roles && cloud(name)));
  const hcpTerraform = { ...declaration.stateBootstrap.hcpTerraform, roleNames: Object.keys(kept).length > 0 ? kept : undefined };
  return withoutUndefined({ ...declaration, stateBootstrap: { ...declaration.stateBootstrap, hcpTerraform } });
}

/** The value with its undefined fields removed (JSON has none), objects emptied of them left out. */
function withoutUndefined(value: Json): Json {
  return JSON.parse(JSON.stringify(value));
}
