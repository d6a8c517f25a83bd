/**
 * Rules across fields and environments, and the AWS APIs' own limits that
 * only show once values are combined (generated names, tag counts, policy
 * sizes). Each rule is a small named function over the resolved declaration;
 * each problem names the field where the value was written.
 */
import { partitionOf } from "./regions";
import { LOCKABLE_TYPES, LOCKED_BY_DEFAULT, UNLOCKED_REPLICA_SUFFIX } from "./storage-types";
import type { Declaration, EnvironmentSettings, StateBootstrapSettings } from "./declaration";
import { PARTITIONS, reservedBucketName } from "./config-schema";
import { tagProblems } from "./aws-api-constraints";
import { Problems, Written, isPlainObject, show, writtenAt } from "./validation";
import { checkNames, checkTagKeys } from "./name-checks";
import { getDomain } from "tldts";

const arnPartition = (arn: string): string | undefined => (PARTITIONS as readonly string[]).find((p) => arn.startsWith(`arn:${p}:`));
const arnAccount = (arn: string): string | undefined => arn.split(":")[4] || undefined;
const arnRegion = (arn: string): string | undefined => arn.split(":")[3] || undefined;

export function checkConflicts(problems: Problems, declaration: unknown, root: string, resolved: Declaration): void {
  const at = writtenAt(declaration, root);
  for (const environment of resolved.environments) {
    checkAccountsAndPartitions(problems, at, environment);
    checkAdoptedPartition(problems, declaration, at, environment);
    checkBucketControls(problems, at, environment);
    checkLockedTypes(problems, at, environment);
    checkTagCount(problems, at, environment);
    checkKeyPolicySize(problems, at, environment);
    checkReaders(problems, at, environment);
    checkTagsAccepted(problems, at, environment);
    checkLifecycleRuleIds(problems, at, environment);
    checkTagKeys(problems, at(environment.name, "tags"), environment.tags, STACK_TAG_KEYS);
    checkCorsOrigins(problems, at, environment);
  }
  checkOneEnvironmentPerInstance(problems, at, resolved.environments);
  checkBucketNames(problems, at, root, resolved);
  checkNames(problems, at, root, resolved);
  if (resolved.stateBootstrap) checkBootstrap(problems, root, resolved.stateBootstrap);
}

/**
 * An adopted instance named by ARN: its partition is that of the
 * environment's Region (the ARN is reduced to its ID, so a wrong partition
 * would otherwise be dropped without a word). Instances are never inherited
 * from the defaults.
 */
function checkAdoptedPartition(problems: Problems, declaration: unknown, at: Written, env: EnvironmentSettings): void {
  const environments = isPlainObject(declaration) && isPlainObject(declaration.environments) ? declaration.environments : {};
  const own = environments[env.name];
  const instance =
    isPlainObject(own) && isPlainObject(own.instance) && isPlainObject(own.instance.adopt) ? own.instance.adopt.instance : undefined;
  if (typeof instance !== "string" || !instance.startsWith("arn:")) return;
  const partition = partitionOf(env.region);
  if (arnPartition(instance) !== partition) {
    problems.add(
      at(env.name, "instance", "adopt", "instance"),
      `${show(instance)} is in partition ${instance.split(":")[1]}, but Region ${env.region} is in ${partition}; allowed: an ARN of partition ${partition}, or the instance ID`,
    );
  }
}

/** The role, the state key and every ARN must be in the environment's account, Region and partition. */
function checkAccountsAndPartitions(problems: Problems, at: Written, env: EnvironmentSettings): void {
  const partition = partitionOf(env.region);
  if (env.assumeRoleArn !== undefined) {
    const account = arnAccount(env.assumeRoleArn);
    if (env.accountId !== undefined && account !== env.accountId) {
      problems.add(
        at(env.name, "assumeRoleArn"),
        `${show(env.assumeRoleArn)} is in account ${account}, not the environment's account ${env.accountId}; allowed: a role in ${env.accountId}`,
      );
    }
  }
  if (env.state.backend === "s3") {
    const key = env.state.kmsKeyId;
    if (arnRegion(key) !== env.state.region) {
      problems.add(
        at(env.name, "state", "kmsKeyId"),
        `${show(key)} is in Region ${arnRegion(key)}, but the state bucket is in ${env.state.region}; allowed: a key in ${env.state.region}`,
      );
    }
    if (env.accountId !== undefined && arnAccount(key) !== env.accountId) {
      problems.add(
        at(env.name, "state", "kmsKeyId"),
        `${show(key)} is in account ${arnAccount(key)}, not the environment's account ${env.accountId}; allowed: a key in ${env.accountId}`,
      );
    }
  }
  const arns: [string[], readonly string[]][] = [
    [["assumeRoleArn"], env.assumeRoleArn ? [env.assumeRoleArn] : []],
    [["key", "administratorArns"], env.key.administratorArns],
    [["key", "userArns"], env.key.userArns],
    [["key", "deployerArns"], env.key.deployerArns ?? []],
    [["key", "auditorArns"], env.key.auditorArns],
    [["key", "consumerArns"], env.key.consumerArns],
    [["streams", "consumerRoleArns"], env.streamConsumerArns],
    [["alerts", "readerArns"], env.alerts.readerArns],
    ...(env.state.backend === "s3" ? [[["state", "kmsKeyId"], [env.state.kmsKeyId]] as [string[], string[]]] : []),
  ];
  if (env.state.backend === "s3" && arnPartition(env.state.kmsKeyId) !== partitionOf(env.state.region)) {
    problems.add(
      at(env.name, "state", "kmsKeyId"),
      `${show(env.state.kmsKeyId)} is in partition ${arnPartition(env.state.kmsKeyId)}, but the state bucket's Region ${env.state.region} is in ${partitionOf(env.state.region)}`,
    );
  }
  for (const [segments, list] of arns) {
    for (const arn of list.filter((a) => arnPartition(a) !== partition)) {
      problems.add(
        at(env.name, ...segments),
        `${show(arn)} is in partition ${arnPartition(arn)}, but Region ${env.region} is in ${partition}; allowed: ARNs of partition ${partition}`,
      );
    }
  }
}

function checkBucketControls(problems: Problems, at: Written, env: EnvironmentSettings): void {
  const replication = env.bucket.replication;
  if (replication && partitionOf(replication.region) !== partitionOf(env.region)) {
    problems.add(
      at(env.name, "bucket", "replication", "region"),
      `${show(replication.region)} is in partition ${partitionOf(replication.region)}, but the bucket is in ${partitionOf(env.region)}; S3 replicates only within a partition`,
    );
  }
  const lock = env.bucket.objectLock;
  const lockDays = lock ? (lock.days ?? (lock.years ?? 0) * 365) : 0;
  env.bucket.lifecycle.prefixRules.forEach((rule, index) => {
    if (lock && rule.expireAfterDays !== undefined && rule.expireAfterDays < lockDays) {
      problems.add(
        `${at(env.name, "bucket", "lifecycle", "prefixRules")}[${index}].expireAfterDays`,
        `${rule.expireAfterDays} is shorter than the Object Lock retention (${lockDays} days): locked versions cannot expire before it; allowed: ${lockDays} or more`,
      );
    }
  });
}

/**
 * With Object Lock, only the types bucket.objectLock.lockedTypes names are
 * written to the locked bucket (storage-types.ts, LOCKABLE_TYPES). Before
 * that choice existed every type was: a declaration that stores other types
 * says which it locks, so that none is unlocked without its author knowing.
 */
function checkLockedTypes(problems: Problems, at: Written, env: EnvironmentSettings): void {
  const lock = env.bucket.objectLock;
  if (!lock) return;
  const stored: string[] = [
    ...env.s3Storage.map((entry) => entry.type),
    ...env.streamingStorage.filter((entry) => entry.destination === "firehose").map((entry) => entry.type),
  ].filter((type) => (LOCKABLE_TYPES as readonly string[]).includes(type));
  const path = at(env.name, "bucket", "objectLock", "lockedTypes");
  if (lock.lockedTypes === undefined) {
    const others = stored.filter((type) => !(LOCKED_BY_DEFAULT as readonly string[]).includes(type));
    if (others.length === 0) return;
    problems.add(
      path,
      `missing; with Object Lock, only the types listed here are written to the locked bucket, the others (here ${others.join(", ")}) to ${env.namePrefix}-${env.name}-attach-<account> under the same key without Object Lock. Connect recommends locking call recordings alone: write ${JSON.stringify(LOCKED_BY_DEFAULT)}. To keep every type locked, as before this field existed, write ${JSON.stringify(stored)}`,
    );
    return;
  }
  if (lock.lockedTypes.length === 0) {
    problems.add(
      path,
      'lists no type: Object Lock would lock an empty bucket; list the types to lock (e.g. ["CALL_RECORDINGS"]), or remove bucket.objectLock',
    );
  }
  for (const type of lock.lockedTypes.filter((t) => !stored.includes(t))) {
    problems.add(
      path,
      `${show(type)} is not stored by environment ${env.name}; allowed: the types it stores (${stored.join(", ") || "none"})`,
    );
  }
}

/**
 * CORS origins of the attachments bucket: a port is 1-65535, and a wildcard
 * (`*.`) stands only for subdomains of a registrable domain. `*.co.uk` or
 * `*.github.io` would let anyone who registers a name under a public suffix
 * upload from the browser; the Public Suffix List (through tldts, private
 * suffixes included) says which names are public suffixes.
 */
function checkCorsOrigins(problems: Problems, at: Written, env: EnvironmentSettings): void {
  env.attachmentOrigins.forEach((origin, index) => {
    const path = `${at(env.name, "storage", "ATTACHMENTS", "corsAllowedOrigins")}[${index}]`;
    const { host, port } = /^https:\/\/(?<host>[^:/]+)(?::(?<port>\d+))?$/.exec(origin)?.groups ?? {};
    if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
      problems.add(path, `${show(origin)} has port ${port}; allowed: a port from 1 to 65535`);
    }
    if (host?.startsWith("*.")) {
      const below = host.slice(2);
      const domain = getDomain(below, { allowPrivateDomains: true });
      if (!domain) {
        problems.add(
          path,
          `${show(origin)} allows every site under ${below}, a public suffix (anyone can register a name there); allowed: a wildcard below a registrable domain, such as https://*.example.co.uk`,
        );
      }
    }
  });
}

/** Default tags count against S3's and KMS's 50 tags per resource. https://docs.aws.amazon.com/batch/latest/userguide/tag-restrictions.html */
export const MAX_TAGS = 50;
/** The provider default tags the stacks add (Purpose only on disaster-recovery resources). */
export const STACK_TAG_KEYS = ["Environment", "ManagedBy", "Purpose"];
/** The state bootstrap's own default tags. */
const BOOTSTRAP_TAG_KEYS = ["ManagedBy", "Purpose"];

function checkTagCount(problems: Problems, at: Written, env: EnvironmentSettings): void {
  const keys = new Set([...Object.keys(env.tags), ...STACK_TAG_KEYS]);
  if (keys.size > MAX_TAGS) {
    problems.add(
      at(env.name, "tags"),
      `${Object.keys(env.tags).length} tags plus the stacks' own (${STACK_TAG_KEYS.join(", ")}) make ${keys.size}; AWS allows ${MAX_TAGS} per resource, so at most ${MAX_TAGS - STACK_TAG_KEYS.length} of your own`,
    );
  }
}

/**
 * Without the account-root statement the key policy is the only way in: "Without permission from
 * the key policy, IAM policies that allow permissions have no effect" (KMS developer guide, "Key
 * policies", https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html). So every
 * store the environment encrypts needs a principal the declaration names to read it.
 */
function checkReaders(problems: Problems, at: Written, env: EnvironmentSettings): void {
  if (env.key.allowAccountRoot) return;
  const { userArns, auditorArns, consumerArns } = env.key;
  const writesS3 = env.s3Storage.length > 0 || env.streamingStorage.some((s) => s.destination === "firehose");
  if (writesS3 && userArns.length + auditorArns.length + consumerArns.length === 0) {
    problems.add(
      at(env.name, "key", "allowAccountRoot"),
      `false leaves the recordings, transcripts and Firehose deliveries of environment ${env.name} readable by nobody: name key.auditorArns, key.consumerArns or key.userArns (they decrypt through S3), or keep the account root`,
    );
  }
  const streamed = env.streamingStorage.filter((s) => s.destination !== "firehose").map((s) => s.type);
  if (streamed.length > 0 && userArns.length === 0 && env.streamConsumerArns.length === 0) {
    problems.add(
      at(env.name, "streams", "consumerRoleArns"),
      `missing; with key.allowAccountRoot false nobody could read ${streamed.join(", ")} of environment ${env.name}: name the roles that read the streams here (they decrypt through Kinesis and Kinesis Video Streams), or key.userArns, or turn those storage types off`,
    );
  }
  if (env.alerts.enabled && env.alerts.readerArns.length === 0) {
    problems.add(
      at(env.name, "alerts", "readerArns"),
      `missing; with key.allowAccountRoot false nobody could read the alerts' dead-letter queue of environment ${env.name}${env.alerts.createTrail ? " or the trail's log and digest files" : ""}: name the roles that read them here (key.auditorArns is the default), or keep the account root`,
    );
  }
}

/** The resource types an environment's stack creates that carry its tags (provider default tags), with what they are. */
function taggedResources(env: EnvironmentSettings): [string, string][] {
  const streaming = env.streamingStorage.map((s) => s.destination);
  const firehose = streaming.includes("firehose");
  return [
    ["aws_kms_key", "the keys"],
    ["aws_s3_bucket", "the buckets"],
    ...(firehose || env.bucket.replication ? [["aws_iam_role", "the service roles"] as [string, string]] : []),
    ...(streaming.includes("kinesis") ? [["aws_kinesis_stream", "the data streams"] as [string, string]] : []),
    ...(firehose
      ? ([
          ["aws_kinesis_firehose_delivery_stream", "the Firehose delivery stream"],
          ["aws_cloudwatch_log_group", "its log group"],
        ] as [string, string][])
      : []),
    ...(env.alerts.enabled
      ? ([
          ["aws_cloudwatch_event_rule", "the alerts' rule"],
          ["aws_sns_topic", "the alerts' topic"],
          ["aws_sqs_queue", "the alerts' queue"],
        ] as [string, string][])
      : []),
    ...(env.alerts.enabled && env.alerts.createTrail ? [["aws_cloudtrail", "the trail"] as [string, string]] : []),
    ...(env.instance.kind === "create" ? [["aws_connect_instance", "the Connect instance"] as [string, string]] : []),
    ...(env.customerProfiles.enabled ? [["aws_customerprofiles_domain", "the Customer Profiles domain"] as [string, string]] : []),
  ];
}

/**
 * Every resource of the stack carries the environment's tags, and some
 * services accept fewer characters than the schema (CloudTrail no empty
 * value, Customer Profiles no space or non-ASCII letter in a key): each tag
 * must suit every service of the environment, as AWS's API models say.
 */
function checkTagsAccepted(problems: Problems, at: Written, env: EnvironmentSettings): void {
  const resources = taggedResources(env);
  for (const [key, value] of Object.entries(env.tags)) {
    for (const [type, what] of resources) {
      for (const problem of tagProblems(type, key, value)) {
        problems.add(at(env.name, "tags"), `the tag ${JSON.stringify(key)} would be refused on ${what}: ${problem}`);
      }
    }
  }
}

/** KMS refuses key policies over 32 KiB. https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html */
export const MAX_KEY_POLICY_BYTES = 32768;
/** Measured on the example: the key policy without named principals is about 4 KB; each ARN appears in up to three statements. */
const KEY_POLICY_BASE_BYTES = 6000;
const STATEMENTS_PER_ARN = 3;

function checkKeyPolicySize(problems: Problems, at: Written, env: EnvironmentSettings): void {
  const key = env.key;
  const arns = [
    ...key.administratorArns,
    ...key.userArns,
    ...(key.deployerArns ?? []),
    ...key.auditorArns,
    ...key.consumerArns,
    ...env.streamConsumerArns,
  ];
  const estimate = KEY_POLICY_BASE_BYTES + arns.reduce((sum, arn) => sum + (arn.length + 3) * STATEMENTS_PER_ARN, 0);
  if (estimate > MAX_KEY_POLICY_BYTES) {
    problems.add(
      at(env.name, "key"),
      `its ${arns.length} principal ARNs make a key policy of about ${estimate} bytes; KMS allows ${MAX_KEY_POLICY_BYTES}: name fewer principals (use roles shared by many users)`,
    );
  }
}

/** S3 lifecycle rule IDs are at most 255 characters. https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html */
function checkLifecycleRuleIds(problems: Problems, at: Written, env: EnvironmentSettings): void {
  env.bucket.lifecycle.prefixRules.forEach((rule, index) => {
    const id = `prefix-${index + 1}-${rule.prefix.replace(/[^A-Za-z0-9]+/g, "-").replace(/-+$/, "")}`;
    if (id.length > 255) {
      problems.add(
        `${at(env.name, "bucket", "lifecycle", "prefixRules")}[${index}].prefix`,
        `${show(rule.prefix)} makes the lifecycle rule ID ${id.length} characters long; S3 allows 255, so at most ${255 - (id.length - rule.prefix.length)} characters`,
      );
    }
  });
}

function checkOneEnvironmentPerInstance(problems: Problems, at: Written, environments: readonly EnvironmentSettings[]): void {
  const owners = new Map<string, string>();
  for (const env of environments) {
    const instance = env.instance;
    const identity =
      instance.kind === "adopt" ? `instance ${instance.instanceId}` : `alias ${instance.alias} in ${env.accountId ?? "?"}/${env.region}`;
    if (instance.kind === "create" && env.accountId === undefined) continue;
    const other = owners.get(identity);
    const field = instance.kind === "adopt" ? at(env.name, "instance", "adopt", "instance") : at(env.name, "instance", "create", "alias");
    if (other !== undefined) {
      problems.add(
        field,
        `${other} already ${instance.kind === "adopt" ? "adopts" : "creates"} ${identity}; one instance belongs to one environment (its storage associations would fight)`,
      );
    } else owners.set(identity, `environment ${env.name}`);
  }
}

interface NamedBucket {
  readonly name: string;
  readonly what: string;
  readonly field: string;
}

/** With Object Lock, the bucket without it exists for attachments and for every stored type the lock does not list. */
function storesUnlocked(env: EnvironmentSettings): boolean {
  const lock = env.bucket.objectLock;
  if (!lock) return false;
  const locked: readonly string[] = lock.lockedTypes ?? LOCKED_BY_DEFAULT;
  const stored: string[] = [
    ...env.s3Storage.map((entry) => entry.type),
    ...env.streamingStorage.filter((entry) => entry.destination === "firehose").map((entry) => entry.type),
  ];
  return stored.some((type) => type === "ATTACHMENTS" || ((LOCKABLE_TYPES as readonly string[]).includes(type) && !locked.includes(type)));
}

/** Every bucket a stack creates, with the field that names it (generated names: namePrefix). */
export function createdBuckets(at: Written, env: EnvironmentSettings): NamedBucket[] {
  const account = env.accountId;
  const prefix = `${env.namePrefix}-${env.name}`;
  const generated = at(env.name, "namePrefix");
  const buckets: NamedBucket[] = [];
  const recordings = env.bucket.name ?? (account ? `${prefix}-${account}-${env.region}` : undefined);
  if (recordings) {
    const field = env.bucket.name ? at(env.name, "bucket", "name") : generated;
    buckets.push({ name: recordings, what: `the recordings bucket of ${env.name}`, field });
  }
  if (!account) return buckets;
  const derived = (suffix: string, what: string): void => {
    buckets.push({ name: `${prefix}-${suffix}-${account}`, what: `${what} of ${env.name}`, field: generated });
  };
  if (env.bucket.accessLogs.destination === "dedicated") derived("logs", "the access-log bucket");
  if (storesUnlocked(env)) derived("attach", "the bucket without Object Lock");
  if (env.alerts.enabled && env.alerts.createTrail) derived("trail", "the trail bucket");
  const replication = env.bucket.replication;
  if (replication) {
    if (replication.bucketName) {
      const field = at(env.name, "bucket", "replication", "bucketName");
      buckets.push({ name: replication.bucketName, what: `the disaster-recovery copy of ${env.name}`, field });
    } else derived("dr", "the disaster-recovery copy");
    derived("dr-logs", "the disaster-recovery access-log bucket");
    if (storesUnlocked(env)) derived(UNLOCKED_REPLICA_SUFFIX, "the disaster-recovery copy of the bucket without Object Lock");
  }
  return buckets;
}

function checkBucketNames(problems: Problems, at: Written, root: string, resolved: Declaration): void {
  const all = resolved.environments.flatMap((env) => createdBuckets(at, env));
  const bootstrap = resolved.stateBootstrap;
  if (bootstrap?.bucket) {
    const field = `${root}.stateBootstrap.bucket`;
    all.push(
      { name: bootstrap.bucket, what: "the state bucket", field },
      { name: `${bootstrap.bucket}-logs`, what: "the state bucket's access logs", field },
    );
    if (bootstrap.replicaRegion) {
      all.push(
        { name: `${bootstrap.bucket}-dr`, what: "the state bucket's copy", field },
        { name: `${bootstrap.bucket}-dr-logs`, what: "the copy's access logs", field },
      );
    }
  }
  const seen = new Map<string, NamedBucket>();
  for (const bucket of all) {
    const reserved = reservedBucketName(bucket.name);
    if (reserved)
      problems.add(
        bucket.field,
        `makes ${bucket.what} ${show(bucket.name)}, which ${reserved.replace(/^S3/, "S3 refuses:")}; choose another name`,
      );
    // The state bootstrap reports its own companions' lengths (resolveBootstrap).
    else if (bucket.name.length > 63 && !bucket.field.endsWith(".stateBootstrap.bucket"))
      problems.add(bucket.field, `makes ${bucket.what} ${show(bucket.name)} ${bucket.name.length} characters long; S3 allows 63`);
    const other = seen.get(bucket.name);
    if (other)
      problems.add(
        bucket.field,
        `makes ${bucket.what} ${show(bucket.name)}, the name of ${other.what} too; bucket names are unique, so choose another`,
      );
    else seen.set(bucket.name, bucket);
  }
  for (const env of resolved.environments) checkLogTarget(problems, at, env, seen);
}

/** Access logs delivered into the bucket they log would log their own delivery, without end. */
function checkLogTarget(problems: Problems, at: Written, env: EnvironmentSettings, created: Map<string, NamedBucket>): void {
  const logs = env.bucket.accessLogs;
  if (logs.destination !== "existing") return;
  const target = created.get(logs.bucketName);
  const own = env.bucket.name ?? (env.accountId ? `${env.namePrefix}-${env.name}-${env.accountId}-${env.region}` : undefined);
  if (logs.bucketName === own || (target && target.what.startsWith("the recordings bucket"))) {
    problems.add(
      at(env.name, "bucket", "accessLogs", "bucketName"),
      `${show(logs.bucketName)} is ${target?.what ?? "the bucket being logged"}; access logs must go to another bucket (a bucket logging into itself logs its own deliveries without end)`,
    );
  }
}

function checkBootstrap(problems: Problems, root: string, bootstrap: StateBootstrapSettings): void {
  if (bootstrap.replicaRegion && partitionOf(bootstrap.replicaRegion) !== partitionOf(bootstrap.region)) {
    problems.add(
      `${root}.stateBootstrap.replicaRegion`,
      `${show(bootstrap.replicaRegion)} is in another partition than ${bootstrap.region}; S3 replicates only within a partition`,
    );
  }
  if (bootstrap.assumeRoleArn && arnPartition(bootstrap.assumeRoleArn) !== partitionOf(bootstrap.region)) {
    problems.add(
      `${root}.stateBootstrap.assumeRoleArn`,
      `${show(bootstrap.assumeRoleArn)} is in partition ${arnPartition(bootstrap.assumeRoleArn)}, but Region ${bootstrap.region} is in ${partitionOf(bootstrap.region)}`,
    );
  }
  if (bootstrap.assumeRoleArn && bootstrap.accountId && arnAccount(bootstrap.assumeRoleArn) !== bootstrap.accountId) {
    problems.add(
      `${root}.stateBootstrap.assumeRoleArn`,
      `${show(bootstrap.assumeRoleArn)} is not in the state bootstrap's account ${bootstrap.accountId}`,
    );
  }
  checkTagKeys(problems, `${root}.stateBootstrap.tags`, bootstrap.tags, BOOTSTRAP_TAG_KEYS);
  const keys = new Set([...Object.keys(bootstrap.tags), ...BOOTSTRAP_TAG_KEYS]);
  if (keys.size > MAX_TAGS)
    problems.add(`${root}.stateBootstrap.tags`, `${keys.size} tags with the stack's own; AWS allows ${MAX_TAGS} per resource`);
}
