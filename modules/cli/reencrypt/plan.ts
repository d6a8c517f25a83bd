/**
 * The survey behind `npm run reencrypt-plan`, read-only: where the adopted
 * instance's S3 associations write (ListInstanceStorageConfigs), and, for
 * each of those destinations, how many objects are not under the
 * environment's key (a bounded ListObjectsV2 + HeadObject sample), plus the
 * bucket's S3 Inventory configurations that could serve as the manifest of a
 * Batch Operations job (ListBucketInventoryConfigurations).
 */
import { ConnectClient } from "@aws-sdk/client-connect";
import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import {
  HeadObjectCommand,
  InventoryConfiguration,
  ListBucketInventoryConfigurationsCommand,
  ListObjectsV2Command,
  S3Client,
  _Object,
} from "@aws-sdk/client-s3";
import { EnvironmentSettings } from "../../config/config";
import { S3_STORAGE_TYPES, StorageType } from "../../config/storage-types";
import { call } from "../aws/calls";
import { listStorageConfigs } from "../aws/storage-configs";

export interface ReencryptClients {
  readonly connect: ConnectClient;
  readonly kms: KMSClient;
  readonly s3: S3Client;
}

/** A bucket and prefix that Connect wrote to before the take-over. */
export interface OldDestination {
  /** The storage types whose association writes here (empty for a `--source` given by hand). */
  readonly types: readonly StorageType[];
  readonly bucket: string;
  /** The listing prefix: the association's prefix with a trailing `/` (or empty for the whole bucket). */
  readonly prefix: string;
  /** The association's key, as an ARN when KMS could name it; undefined for none. */
  readonly associationKey?: string;
}

/** An S3 Inventory configuration of the old bucket that lists the destination with each object's encryption status. */
export interface UsableInventory {
  readonly id: string;
  /** The inventory's destination bucket name (not the ARN). */
  readonly bucket: string;
  readonly accountId?: string;
  /** The folder its manifests are published under: `<prefix>/<source bucket>/<id>/`. */
  readonly manifestFolder: string;
  readonly frequency: string;
  /** The inventory's own filter prefix (empty: the whole bucket). */
  readonly filterPrefix: string;
}

export interface SampledObject {
  readonly key: string;
  readonly size: number;
  readonly storageClass: string;
  /** `new key`, `SSE-KMS <arn>`, `DSSE-KMS <arn>`, `SSE-S3` or `unencrypted`. */
  readonly encryption: string;
  /** The KMS key the object is under, when it is under one. */
  readonly kmsKey?: string;
}

export interface DestinationSurvey {
  readonly destination: OldDestination;
  /** False when the bucket no longer exists (nothing to sample). */
  readonly exists: boolean;
  /** Copy in place: the old bucket is the environment's bucket. */
  readonly inPlace: boolean;
  readonly sampled: number;
  /** True when the listing ended before --max-objects: every object was sampled. */
  readonly complete: boolean;
  /** The sampled objects that are not under the new key (the CSV manifest's rows). */
  readonly notUnderKey: readonly SampledObject[];
  /** Objects per encryption label, in order of first appearance. */
  readonly byEncryption: Readonly<Record<string, number>>;
  readonly inventory?: UsableInventory;
  readonly notes: readonly string[];
}

export interface ReencryptSurvey {
  readonly instanceId: string;
  readonly region: string;
  readonly account: string;
  readonly partition: string;
  /** The environment's key; undefined while it does not exist yet (before the first apply). */
  readonly newKeyArn?: string;
  readonly newKeyAlias: string;
  /** The environment's recordings bucket: where every copy goes. */
  readonly targetBucket: string;
  readonly destinations: readonly DestinationSurvey[];
  readonly notes: readonly string[];
}

/** A refusal that stops the plan before anything is written (exit 2). */
export class PlanRefused extends Error {}

const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]+$/;
/** Storage classes whose objects must be restored before a copy (Copy objects, S3 User Guide: restrictions). */
export const ARCHIVED_CLASSES = new Set(["GLACIER", "DEEP_ARCHIVE"]);
/** The largest object a Batch Operations copy handles (Copy objects, S3 User Guide: restrictions). */
export const COPY_LIMIT_BYTES = 5 * 1024 ** 3;
export const NEW_KEY_LABEL = "new key";

/** The environment's recordings bucket, named as the stack names it. */
export function recordingsBucket(environment: EnvironmentSettings, account: string): string {
  return environment.bucket.name ?? `${environment.namePrefix}-${environment.name}-${account}-${environment.region}`;
}

/** The bucket the completion reports (and the uploaded manifests) go to, as the stack names its access-log bucket. */
export function logBucket(environment: EnvironmentSettings, account: string): string | undefined {
  const logs = environment.bucket.accessLogs;
  if (logs.destination === "existing") return logs.bucketName;
  if (logs.destination === "dedicated") return `${environment.namePrefix}-${environment.name}-logs-${account}`;
  return undefined;
}

const folder = (prefix: string): string => (prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`);

/** `s3://bucket/prefix` as given to --source. */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!match) throw new Error(`${url} is not an s3://bucket/prefix location`);
  return { bucket: match[1], prefix: folder(match[2] ?? "") };
}

/** The environment's key by its alias; undefined when it does not exist yet (the first apply creates it). */
export async function newKeyArn(kms: KMSClient, alias: string): Promise<string | undefined> {
  try {
    const { KeyMetadata } = await call("kms:DescribeKey", () => kms.send(new DescribeKeyCommand({ KeyId: alias })));
    if (!KeyMetadata?.Arn) throw new PlanRefused(`KMS did not name the key of ${alias}`);
    return KeyMetadata.Arn;
  } catch (error) {
    if ((error as { name?: string }).name === "NotFoundException") return undefined;
    throw error;
  }
}

async function keyArnOf(kms: KMSClient, key: string, notes: string[]): Promise<string | undefined> {
  if (KEY_ARN.test(key)) return key;
  try {
    const { KeyMetadata } = await call("kms:DescribeKey", () => kms.send(new DescribeKeyCommand({ KeyId: key })));
    return KeyMetadata?.Arn;
  } catch (error) {
    notes.push(`the old key ${key} could not be named by its ARN (${(error as Error).message}); keys are taken from the objects instead`);
    return undefined;
  }
}

/** The S3 destinations of the instance's existing associations, one per bucket and prefix. */
export async function oldDestinations(
  aws: ReencryptClients,
  instanceId: string,
  notes: string[],
  progress: (message: string) => void,
): Promise<OldDestination[]> {
  const found = new Map<string, { types: StorageType[]; bucket: string; prefix: string; associationKey?: string }>();
  for (const type of S3_STORAGE_TYPES) {
    progress(`listing the ${type} associations of instance ${instanceId}`);
    const configs = await listStorageConfigs(aws.connect, instanceId, type, notes);
    if (!configs) continue;
    for (const config of configs) {
      if (config.StorageType !== "S3" || !config.S3Config?.BucketName) continue;
      const bucket = config.S3Config.BucketName;
      const prefix = folder(config.S3Config.BucketPrefix ?? "");
      const id = `${bucket}/${prefix}`;
      const keyId = config.S3Config.EncryptionConfig?.KeyId;
      const associationKey = keyId ? await keyArnOf(aws.kms, keyId, notes) : undefined;
      const entry = found.get(id) ?? { types: [], bucket, prefix, associationKey };
      entry.types.push(type);
      found.set(id, entry);
    }
  }
  return [...found.values()];
}

/** An enabled CSV inventory of the current versions that covers `prefix` and reports each object's encryption status. */
async function usableInventory(s3: S3Client, bucket: string, prefix: string, notes: string[]): Promise<UsableInventory | undefined> {
  const all: InventoryConfiguration[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await call("s3:GetInventoryConfiguration", () =>
        s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: bucket, ContinuationToken: token })),
      );
      all.push(...(page.InventoryConfigurationList ?? []));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } catch (error) {
    // Optional: without it the plan writes a CSV manifest of the sample.
    notes.push(
      `the inventory configurations of ${bucket} could not be read (${(error as Error).message}); a CSV manifest is written instead`,
    );
    return undefined;
  }
  for (const inventory of all) {
    const filterPrefix = inventory.Filter?.Prefix ?? "";
    const destination = inventory.Destination?.S3BucketDestination;
    const usable =
      inventory.IsEnabled &&
      inventory.IncludedObjectVersions === "Current" &&
      destination?.Format === "CSV" &&
      (inventory.OptionalFields ?? []).includes("EncryptionStatus") &&
      prefix.startsWith(filterPrefix);
    if (!usable || !inventory.Id || !destination?.Bucket) continue;
    const destinationBucket = destination.Bucket.replace(/^arn:[^:]+:s3:::/, "");
    const base = destination.Prefix ? folder(destination.Prefix) : "";
    return {
      id: inventory.Id,
      bucket: destinationBucket,
      accountId: destination.AccountId,
      manifestFolder: `${base}${bucket}/${inventory.Id}/`,
      frequency: inventory.Schedule?.Frequency ?? "unknown",
      filterPrefix,
    };
  }
  if (all.length > 0) {
    notes.push(
      `${bucket} has S3 Inventory configuration(s) (${all.map((i) => i.Id).join(", ")}), but none is an enabled CSV inventory of current versions with EncryptionStatus covering ${prefix || "the bucket"}; a CSV manifest is written instead`,
    );
  }
  return undefined;
}

function label(head: { ServerSideEncryption?: string; SSEKMSKeyId?: string }, newKey: string | undefined): string {
  switch (head.ServerSideEncryption) {
    case "aws:kms":
      return head.SSEKMSKeyId === newKey ? NEW_KEY_LABEL : `SSE-KMS ${head.SSEKMSKeyId ?? "unknown key"}`;
    case "aws:kms:dsse":
      return `DSSE-KMS ${head.SSEKMSKeyId ?? "unknown key"}`;
    case "AES256":
      return "SSE-S3";
    case undefined:
      return "unencrypted";
    default:
      return head.ServerSideEncryption;
  }
}

const HEAD_CONCURRENCY = 16;

/** Samples one destination: up to `maxObjects` objects listed, each one's encryption read with HeadObject. */
export async function surveyDestination(
  s3: S3Client,
  destination: OldDestination,
  targetBucket: string,
  newKey: string | undefined,
  maxObjects: number,
  progress: (message: string) => void,
): Promise<DestinationSurvey> {
  const inPlace = destination.bucket === targetBucket;
  progress(`sampling up to ${maxObjects} objects under s3://${destination.bucket}/${destination.prefix}`);
  const listing = await listSample(s3, destination, maxObjects);
  if (!listing) {
    return {
      destination,
      exists: false,
      inPlace,
      sampled: 0,
      complete: true,
      notUnderKey: [],
      byEncryption: {},
      notes: [`${destination.bucket} does not exist any more: nothing to re-encrypt there`],
    };
  }
  const objects = await headObjects(s3, destination.bucket, listing.objects.slice(0, maxObjects), newKey);
  const byEncryption: Record<string, number> = {};
  for (const object of objects) byEncryption[object.encryption] = (byEncryption[object.encryption] ?? 0) + 1;
  const notUnderKey = objects.filter((o) => o.encryption !== NEW_KEY_LABEL);
  const notes = uncopyableNotes(notUnderKey);
  const inventory = notUnderKey.length > 0 ? await usableInventory(s3, destination.bucket, destination.prefix, notes) : undefined;
  return {
    destination,
    exists: true,
    inPlace,
    sampled: objects.length,
    complete: listing.complete,
    notUnderKey,
    byEncryption,
    inventory,
    notes,
  };
}

/**
 * Up to `maxObjects` objects under the destination's prefix (folder markers
 * left out), and whether that is all of them; undefined when the bucket is gone.
 */
async function listSample(
  s3: S3Client,
  destination: OldDestination,
  maxObjects: number,
): Promise<{ objects: _Object[]; complete: boolean } | undefined> {
  const listed: _Object[] = [];
  let token: string | undefined;
  let complete = true;
  try {
    do {
      const page = await call("s3:ListBucket", () =>
        s3.send(
          new ListObjectsV2Command({
            Bucket: destination.bucket,
            Prefix: destination.prefix || undefined,
            ContinuationToken: token,
            MaxKeys: Math.min(1000, maxObjects - listed.length),
          }),
        ),
      );
      listed.push(...(page.Contents ?? []).filter((o) => o.Key && !(o.Key.endsWith("/") && (o.Size ?? 0) === 0)));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      if (token && listed.length >= maxObjects) complete = false;
    } while (token && listed.length < maxObjects);
  } catch (error) {
    if ((error as { name?: string }).name !== "NoSuchBucket") throw error;
    return undefined;
  }
  return { objects: listed, complete };
}

/** Each object's encryption, size and storage class, HEAD_CONCURRENCY requests at a time; objects deleted meanwhile are left out. */
async function headObjects(s3: S3Client, bucket: string, sample: readonly _Object[], newKey: string | undefined): Promise<SampledObject[]> {
  const objects: SampledObject[] = [];
  for (let i = 0; i < sample.length; i += HEAD_CONCURRENCY) {
    const heads = await Promise.all(
      sample.slice(i, i + HEAD_CONCURRENCY).map(async (object) => {
        try {
          const head = await call("s3:GetObject", () => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: object.Key! })));
          const encryption = label(head, newKey);
          return {
            key: object.Key!,
            size: object.Size ?? head.ContentLength ?? 0,
            storageClass: object.StorageClass ?? head.StorageClass ?? "STANDARD",
            encryption,
            kmsKey: head.ServerSideEncryption?.startsWith("aws:kms") ? head.SSEKMSKeyId : undefined,
          };
        } catch (error) {
          const name = (error as { name?: string }).name;
          if (name === "NotFound" || name === "NoSuchKey") return undefined; // deleted since it was listed
          throw error;
        }
      }),
    );
    for (const head of heads) if (head) objects.push(head);
  }
  return objects;
}

/** What a Batch Operations copy cannot take: archived objects (restore first) and objects over its size limit. */
function uncopyableNotes(notUnderKey: readonly SampledObject[]): string[] {
  const notes: string[] = [];
  const archived = notUnderKey.filter((o) => ARCHIVED_CLASSES.has(o.storageClass)).length;
  const tooLarge = notUnderKey.filter((o) => o.size > COPY_LIMIT_BYTES).length;
  if (archived > 0)
    notes.push(
      `${archived} object(s) in S3 Glacier Flexible Retrieval or Deep Archive must be restored before they can be copied; they are left out of the manifest`,
    );
  if (tooLarge > 0)
    notes.push(
      `${tooLarge} object(s) are larger than 5 GB, the Batch Operations copy limit; they are left out of the manifest (copy them with a multipart copy)`,
    );
  return notes;
}

/** The whole survey; errors that stop it are thrown (nothing is written then). */
export async function surveyReencryption(
  aws: ReencryptClients,
  environment: EnvironmentSettings,
  instanceId: string,
  identity: { account: string; partition: string },
  options: { maxObjects: number; extraSources: readonly { bucket: string; prefix: string }[] },
  progress: (message: string) => void = () => undefined,
): Promise<ReencryptSurvey> {
  const notes: string[] = [];
  progress(`looking up the environment's key ${environment.key.aliasName}`);
  const newKey = await newKeyArn(aws.kms, environment.key.aliasName);
  const targetBucket = recordingsBucket(environment, identity.account);
  const destinations = await oldDestinations(aws, instanceId, notes, progress);
  for (const source of options.extraSources) {
    if (!destinations.some((d) => d.bucket === source.bucket && d.prefix === source.prefix)) {
      destinations.push({ types: [], bucket: source.bucket, prefix: source.prefix });
    }
  }
  const surveys: DestinationSurvey[] = [];
  for (const destination of destinations) {
    surveys.push(await surveyDestination(aws.s3, destination, targetBucket, newKey, options.maxObjects, progress));
  }
  return {
    instanceId,
    region: environment.region,
    account: identity.account,
    partition: identity.partition,
    newKeyArn: newKey,
    newKeyAlias: environment.key.aliasName,
    targetBucket,
    destinations: surveys,
    notes,
  };
}
