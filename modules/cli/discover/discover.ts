/**
 * Discovery of an adopted instance's existing storage associations, read-only:
 * one ListInstanceStorageConfigs per resource type, KMS DescribeKey to name
 * keys by their ARN, and for each association what the declaration would
 * change when the first apply takes it over.
 */
import { ConnectClient, InstanceStorageConfig } from "@aws-sdk/client-connect";
import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { EnvironmentSettings } from "../../config/config";
import { STORAGE_TYPES, STREAMING_STORAGE_TYPE_INFO, StorageType } from "../../config/storage-types";
import { call } from "../aws/calls";
import { listStorageConfigs } from "../aws/storage-configs";

export interface DiscoveryClients {
  readonly connect: ConnectClient;
  readonly kms: KMSClient;
}

/** Where an association sends its content, as Connect reports it (or as the declaration has it). */
export type Destination =
  | { readonly kind: "S3"; readonly bucket: string; readonly prefix: string; readonly key?: string }
  | { readonly kind: "KINESIS_STREAM"; readonly streamArn: string }
  | { readonly kind: "KINESIS_FIREHOSE"; readonly firehoseArn: string }
  | { readonly kind: "KINESIS_VIDEO_STREAM"; readonly prefix: string; readonly retentionHours: number; readonly key?: string };

export type Verdict =
  /** Exists and is declared: imported on the first apply and updated in place. */
  | "take over"
  /** Exists, is declared, and already is what the declaration says. */
  | "take over unchanged"
  /** Exists, not declared: left as it is. */
  | "left as it is"
  /** Declared, does not exist yet: associated on the first apply. */
  | "associate"
  /** Connect lists more than one association of the type: which one to take over is the user's call. */
  | "ambiguous";

export interface DiscoveredType {
  readonly type: StorageType;
  /** The existing associations of the type (normally none or one). */
  readonly existing: readonly { readonly associationId: string; readonly destination: Destination }[];
  /** What the declaration associates; undefined when the type is not declared. */
  readonly declared?: Destination;
  readonly verdict: Verdict;
  /** What the first apply changes, e.g. `new bucket: a -> b`; empty when nothing. */
  readonly changes: readonly string[];
}

export interface Discovery {
  readonly instanceId: string;
  readonly region: string;
  readonly account: string;
  /** The declared key: its ARN when it exists already, else its alias (created on the first apply). */
  readonly declaredKey: string;
  readonly declaredKeyExists: boolean;
  /** Every type with an existing or a declared association, in the vocabulary's order. */
  readonly types: readonly DiscoveredType[];
  /** What `--write` records: storage type -> association ID (types with exactly one association). */
  readonly recordable: Readonly<Partial<Record<StorageType, string>>>;
  /** Things worth saying that are not about one type (e.g. a key that could not be resolved). */
  readonly notes: readonly string[];
}

const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]+$/;

/** The declared destination of each declared type, with names as the stacks give them. */
export function declaredDestinations(
  environment: EnvironmentSettings,
  account: string,
  partition: string,
  keyName: string,
): Map<StorageType, Destination> {
  const namePrefix = `${environment.namePrefix}-${environment.name}`;
  const bucket = environment.bucket.name ?? `${namePrefix}-${account}-${environment.region}`;
  const arn = (service: string, resource: string): string => `arn:${partition}:${service}:${environment.region}:${account}:${resource}`;
  const declared = new Map<StorageType, Destination>();
  for (const entry of environment.s3Storage) declared.set(entry.type, { kind: "S3", bucket, prefix: entry.prefix, key: keyName });
  for (const entry of environment.streamingStorage) {
    const name = `${namePrefix}-${STREAMING_STORAGE_TYPE_INFO[entry.type].shortName}`;
    switch (entry.destination) {
      case "kinesis":
        declared.set(entry.type, { kind: "KINESIS_STREAM", streamArn: arn("kinesis", `stream/${name}`) });
        break;
      case "firehose":
        declared.set(entry.type, { kind: "KINESIS_FIREHOSE", firehoseArn: arn("firehose", `deliverystream/${name}`) });
        break;
      case "kinesis-video":
        declared.set(entry.type, {
          kind: "KINESIS_VIDEO_STREAM",
          prefix: entry.prefix,
          retentionHours: entry.retentionHours,
          key: keyName,
        });
        break;
    }
  }
  return declared;
}

function destinationOf(config: InstanceStorageConfig): Destination | undefined {
  switch (config.StorageType) {
    case "S3":
      return {
        kind: "S3",
        bucket: config.S3Config?.BucketName ?? "",
        prefix: config.S3Config?.BucketPrefix ?? "",
        key: config.S3Config?.EncryptionConfig?.KeyId,
      };
    case "KINESIS_STREAM":
      return { kind: "KINESIS_STREAM", streamArn: config.KinesisStreamConfig?.StreamArn ?? "" };
    case "KINESIS_FIREHOSE":
      return { kind: "KINESIS_FIREHOSE", firehoseArn: config.KinesisFirehoseConfig?.FirehoseArn ?? "" };
    case "KINESIS_VIDEO_STREAM":
      return {
        kind: "KINESIS_VIDEO_STREAM",
        prefix: config.KinesisVideoStreamConfig?.Prefix ?? "",
        retentionHours: config.KinesisVideoStreamConfig?.RetentionPeriodHours ?? 0,
        key: config.KinesisVideoStreamConfig?.EncryptionConfig?.KeyId,
      };
    default:
      return undefined;
  }
}

/** What taking over `existing` as `declared` changes. */
export function changesBetween(existing: Destination, declared: Destination): string[] {
  if (existing.kind !== declared.kind) return [`destination kind change: ${existing.kind} -> ${declared.kind}`];
  const changes: string[] = [];
  const differ = (label: string, from: string | number | undefined, to: string | number | undefined): void => {
    if (from !== to) changes.push(`${label}: ${from ?? "none"} -> ${to ?? "none"}`);
  };
  switch (existing.kind) {
    case "S3": {
      const d = declared as typeof existing;
      differ("new bucket", existing.bucket, d.bucket);
      differ("new prefix", existing.prefix, d.prefix);
      differ("new key", existing.key ?? "none (no KMS key in the association)", d.key);
      break;
    }
    case "KINESIS_STREAM":
      differ("new stream", existing.streamArn, (declared as typeof existing).streamArn);
      break;
    case "KINESIS_FIREHOSE":
      differ("new delivery stream", existing.firehoseArn, (declared as typeof existing).firehoseArn);
      break;
    case "KINESIS_VIDEO_STREAM": {
      const d = declared as typeof existing;
      differ("new video prefix", existing.prefix, d.prefix);
      differ("new retention (hours)", existing.retentionHours, d.retentionHours);
      differ("new key", existing.key ?? "none (no KMS key in the association)", d.key);
      break;
    }
  }
  return changes;
}

/** The key as an ARN when KMS can say (an ID or an alias in an old association); else as written. */
async function keyArnOf(kms: KMSClient, key: string, notes: string[]): Promise<string> {
  if (KEY_ARN.test(key)) return key;
  try {
    const { KeyMetadata } = await call("kms:DescribeKey", () => kms.send(new DescribeKeyCommand({ KeyId: key })));
    return KeyMetadata?.Arn ?? key;
  } catch (error) {
    notes.push(`key ${key} could not be resolved to its ARN (${(error as Error).message}); compared as written`);
    return key;
  }
}

/** The declared key's ARN when it exists already (its alias resolves), else undefined. */
async function declaredKeyArn(kms: KMSClient, alias: string, notes: string[]): Promise<string | undefined> {
  try {
    const { KeyMetadata } = await call("kms:DescribeKey", () => kms.send(new DescribeKeyCommand({ KeyId: alias })));
    return KeyMetadata?.Arn;
  } catch (error) {
    if ((error as { name?: string }).name === "NotFoundException") return undefined;
    notes.push(`the declared key ${alias} could not be looked up (${(error as Error).message}); treated as not created yet`);
    return undefined;
  }
}

/** Lists every type's associations and compares them with the declaration. Errors that stop discovery are thrown. */
export async function discover(
  aws: DiscoveryClients,
  environment: EnvironmentSettings,
  instanceId: string,
  identity: { account: string; partition: string },
  progress: (message: string) => void = () => undefined,
): Promise<Discovery> {
  const notes: string[] = [];
  progress(`looking up the declared key ${environment.key.aliasName}`);
  const existingKey = await declaredKeyArn(aws.kms, environment.key.aliasName, notes);
  const keyName = existingKey ?? environment.key.aliasName;
  const declared = declaredDestinations(environment, identity.account, identity.partition, keyName);

  const types: DiscoveredType[] = [];
  const recordable: Partial<Record<StorageType, string>> = {};
  for (const type of STORAGE_TYPES) {
    progress(`listing the ${type} associations of instance ${instanceId}`);
    const configs = await listStorageConfigs(aws.connect, instanceId, type, notes);
    if (!configs) continue;
    const existing: DiscoveredType["existing"][number][] = [];
    for (const config of configs) {
      const destination = destinationOf(config);
      if (!config.AssociationId || !destination) {
        notes.push(`${type}: an association of storage type ${config.StorageType ?? "?"} that this tool does not know was left out`);
        continue;
      }
      const withKey =
        (destination.kind === "S3" || destination.kind === "KINESIS_VIDEO_STREAM") && destination.key
          ? { ...destination, key: await keyArnOf(aws.kms, destination.key, notes) }
          : destination;
      existing.push({ associationId: config.AssociationId, destination: withKey });
    }
    const wanted = declared.get(type);
    if (existing.length === 0 && !wanted) continue;
    if (existing.length === 1) recordable[type] = existing[0].associationId;
    let verdict: Verdict;
    let changes: string[] = [];
    if (existing.length > 1) {
      verdict = "ambiguous";
      notes.push(
        `${type}: Connect lists ${existing.length} associations (${existing.map((e) => e.associationId).join(", ")}); none is recorded: keep one (disassociate the others in the console) and run discovery again`,
      );
    } else if (existing.length === 0) {
      verdict = "associate";
    } else if (!wanted) {
      verdict = "left as it is";
    } else {
      changes = changesBetween(existing[0].destination, wanted);
      verdict = changes.length === 0 ? "take over unchanged" : "take over";
    }
    types.push({ type, existing, declared: wanted, verdict, changes });
  }
  return {
    instanceId,
    region: environment.region,
    account: identity.account,
    declaredKey: keyName,
    declaredKeyExists: existingKey !== undefined,
    types,
    recordable,
    notes,
  };
}

// --- the report -----------------------------------------------------------------

export function describeDestination(d: Destination): string {
  switch (d.kind) {
    case "S3":
      return `s3://${d.bucket}/${d.prefix} under ${d.key ? `KMS key ${d.key}` : "no KMS key (the bucket's default encryption)"}`;
    case "KINESIS_STREAM":
      return `Kinesis data stream ${d.streamArn}`;
    case "KINESIS_FIREHOSE":
      return `Firehose delivery stream ${d.firehoseArn}`;
    case "KINESIS_VIDEO_STREAM":
      return `Kinesis Video Streams ${d.prefix}*, kept ${d.retentionHours} hours, under ${d.key ? `KMS key ${d.key}` : "no KMS key"}`;
  }
}

const VERDICT_TEXT: Record<Verdict, string> = {
  "take over": "taken over in place on the first apply (imported, then updated)",
  "take over unchanged": "taken over in place on the first apply (imported); nothing changes",
  "left as it is": "not declared: stays as it is, and what Connect writes there may stay outside the key",
  associate: "no association yet: associated on the first apply",
  ambiguous: "more than one association: none recorded (see the notes)",
};

export function discoveryTable(environment: string, d: Discovery): string {
  const lines = [
    `Instance ${d.instanceId} in ${d.region}, account ${d.account} (environment ${environment})`,
    `Declared key: ${d.declaredKey}${d.declaredKeyExists ? "" : " (does not exist yet: created on the first apply)"}`,
    "",
  ];
  for (const t of d.types) {
    lines.push(`${t.type}`);
    for (const e of t.existing) lines.push(`  association ${e.associationId}`, `    now:      ${describeDestination(e.destination)}`);
    if (t.declared) lines.push(`    declared: ${describeDestination(t.declared)}`);
    lines.push(`    change:   ${t.verdict === "take over" ? t.changes.join("; ") : t.verdict === "take over unchanged" ? "nothing" : "-"}`);
    lines.push(`    ${VERDICT_TEXT[t.verdict]}`);
  }
  if (d.types.length === 0) lines.push("No association exists and none is declared.");
  const existing = d.types.filter((t) => t.existing.length > 0).length;
  lines.push("", `${existing} type(s) with an existing association, ${Object.keys(d.recordable).length} recordable.`);
  for (const note of d.notes) lines.push(`Note: ${note}`);
  return lines.join("\n");
}

export function discoveryJson(environment: string, d: Discovery): string {
  return JSON.stringify({ environment, ...d }, null, 2);
}
