/**
 * Production controls in an environment's configuration: retention
 * (lifecycle), WORM (Object Lock), a disaster-recovery copy (cross-Region
 * replication), server access logs, key-misuse alerts and Customer Profiles.
 */
import { At, Problems, readBoolean, readEnum, readInteger, readObject, readString, readStringList, show } from "./validation";
import { AWS_REGIONS } from "./regions";

export interface PrefixRetention {
  readonly prefix: string;
  readonly expireAfterDays?: number;
  readonly transitionToGlacierIrAfterDays?: number;
}

export interface LifecycleSettings {
  /** Objects move to S3 Glacier Instant Retrieval after this many days. */
  readonly transitionToGlacierIrAfterDays?: number;
  /** Objects expire after this many days (the retention window). */
  readonly expireAfterDays?: number;
  /** Superseded versions are deleted this many days after they stop being current. */
  readonly noncurrentVersionExpirationDays?: number;
  readonly abortIncompleteMultipartUploadDays: number;
  /** Shorter retention under some prefixes (e.g. `Analysis/`). */
  readonly prefixRules: readonly PrefixRetention[];
}

export interface ObjectLockSettings {
  readonly mode: "COMPLIANCE" | "GOVERNANCE";
  readonly days?: number;
  readonly years?: number;
}

export interface ReplicationSettings {
  readonly region: string;
  /** @default `<bucket>-replica` */
  readonly bucketName?: string;
  readonly deleteMarkerReplication: boolean;
  readonly storageClass: string;
}

export type AccessLogSettings =
  | { readonly destination: "dedicated" }
  | { readonly destination: "existing"; readonly bucketName: string }
  | { readonly destination: "none"; readonly reason: string };

export interface AlertSettings {
  readonly enabled: boolean;
  readonly emails: readonly string[];
  /** Create a multi-Region CloudTrail trail (for accounts without one). */
  readonly createTrail: boolean;
}

export interface CustomerProfilesSettings {
  readonly enabled: boolean;
  readonly domainName?: string;
  readonly defaultExpirationDays: number;
}

export interface BucketControls {
  readonly lifecycle: LifecycleSettings;
  readonly objectLock?: ObjectLockSettings;
  readonly replication?: ReplicationSettings;
  readonly accessLogs: AccessLogSettings;
  /** Object events to EventBridge (S3 keeps one notification configuration per bucket). */
  readonly eventBridgeNotifications: boolean;
}

const S3_PREFIX = /^(?!\/)(?!.*\/\/)[A-Za-z0-9!_.*'()/-]{1,1024}$/;
const BUCKET = /^(?!xn--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const DOMAIN_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const REPLICA_STORAGE_CLASSES = [
  "STANDARD",
  "STANDARD_IA",
  "ONEZONE_IA",
  "INTELLIGENT_TIERING",
  "GLACIER_IR",
  "GLACIER",
  "DEEP_ARCHIVE",
] as const;

export const BUCKET_CONTROL_FIELDS = ["name", "lifecycle", "objectLock", "replication", "accessLogs", "eventBridgeNotifications"];

export function resolveBucketControls(
  problems: Problems,
  at: At,
  raw: Record<string, unknown>,
  region: string | undefined,
): BucketControls {
  const lifecycle = resolveLifecycle(problems, at, raw.lifecycle);
  const objectLock = resolveObjectLock(problems, at, raw.objectLock);
  const replication = resolveReplication(problems, at, raw.replication, region);
  const accessLogs = resolveAccessLogs(problems, at, raw.accessLogs);
  const eventBridgeNotifications = readBoolean(problems, at("bucket", "eventBridgeNotifications"), raw.eventBridgeNotifications) ?? true;

  const lockDays = objectLock ? (objectLock.days ?? (objectLock.years ?? 0) * 365) : 0;
  if (objectLock && lifecycle.expireAfterDays !== undefined && lifecycle.expireAfterDays < lockDays) {
    problems.add(
      at("bucket", "lifecycle", "expireAfterDays"),
      `${lifecycle.expireAfterDays} is shorter than the Object Lock retention (${lockDays} days): locked versions cannot expire before it; expire at ${lockDays} days or later`,
    );
  }
  return { lifecycle, objectLock, replication, accessLogs, eventBridgeNotifications };
}

function resolveLifecycle(problems: Problems, at: At, value: unknown): LifecycleSettings {
  const path = (...s: string[]): string => at("bucket", "lifecycle", ...s);
  const raw =
    readObject(problems, path(), value, [
      "transitionToGlacierIrAfterDays",
      "expireAfterDays",
      "noncurrentVersionExpirationDays",
      "abortIncompleteMultipartUploadDays",
      "prefixRules",
    ]) ?? {};
  const transition = readInteger(problems, path("transitionToGlacierIrAfterDays"), raw.transitionToGlacierIrAfterDays, 0, 36500, "days");
  const expire = readInteger(problems, path("expireAfterDays"), raw.expireAfterDays, 1, 36500, "days");
  if (transition !== undefined && expire !== undefined && expire <= transition) {
    problems.add(
      path("expireAfterDays"),
      `${expire} is not after the transition to GLACIER_IR at ${transition} days; expire later than the transition, or drop the transition`,
    );
  }
  if (transition !== undefined && expire !== undefined && expire - transition < 90) {
    problems.add(
      path("expireAfterDays"),
      `objects would stay ${expire - transition} days in GLACIER_IR, which bills 90 at least; expire at ${transition + 90} days or later`,
    );
  }
  const prefixRules: PrefixRetention[] = [];
  if (raw.prefixRules !== undefined && !Array.isArray(raw.prefixRules)) {
    problems.add(
      path("prefixRules"),
      `${show(raw.prefixRules)} is not a list; expected a list of { prefix, expireAfterDays?, transitionToGlacierIrAfterDays? }`,
    );
  }
  for (const [index, item] of (Array.isArray(raw.prefixRules) ? raw.prefixRules : []).entries()) {
    const rulePath = (...s: string[]): string => path(`prefixRules[${index}]`, ...s);
    const rule = readObject(problems, rulePath(), item, ["prefix", "expireAfterDays", "transitionToGlacierIrAfterDays"]);
    if (!rule) continue;
    const prefix = readString(problems, rulePath("prefix"), rule.prefix, S3_PREFIX, "an object key prefix such as Analysis/");
    if (rule.prefix === undefined) problems.add(rulePath("prefix"), "missing; a prefix rule needs the prefix it applies to");
    const ruleExpire = readInteger(problems, rulePath("expireAfterDays"), rule.expireAfterDays, 1, 36500, "days");
    const ruleTransition = readInteger(
      problems,
      rulePath("transitionToGlacierIrAfterDays"),
      rule.transitionToGlacierIrAfterDays,
      0,
      36500,
      "days",
    );
    if (ruleExpire === undefined && ruleTransition === undefined) {
      problems.add(rulePath(), "sets neither expireAfterDays nor transitionToGlacierIrAfterDays; a prefix rule must change something");
    }
    // S3 applies every matching rule and the earliest action wins, so a prefix rule can only shorten.
    if (ruleExpire !== undefined && expire !== undefined && ruleExpire >= expire) {
      problems.add(
        rulePath("expireAfterDays"),
        `${ruleExpire} has no effect: the bucket-wide expiry at ${expire} days comes first; a prefix rule can only shorten retention`,
      );
    }
    if (prefix) prefixRules.push({ prefix, expireAfterDays: ruleExpire, transitionToGlacierIrAfterDays: ruleTransition });
  }
  return {
    transitionToGlacierIrAfterDays: transition,
    expireAfterDays: expire,
    noncurrentVersionExpirationDays: readInteger(
      problems,
      path("noncurrentVersionExpirationDays"),
      raw.noncurrentVersionExpirationDays,
      1,
      36500,
      "days",
    ),
    abortIncompleteMultipartUploadDays:
      readInteger(problems, path("abortIncompleteMultipartUploadDays"), raw.abortIncompleteMultipartUploadDays, 1, 365, "days") ?? 7,
    prefixRules,
  };
}

function resolveObjectLock(problems: Problems, at: At, value: unknown): ObjectLockSettings | undefined {
  if (value === undefined) return undefined;
  const path = (...s: string[]): string => at("bucket", "objectLock", ...s);
  const raw = readObject(problems, path(), value, ["mode", "days", "years"]);
  if (!raw) return undefined;
  const mode = readEnum(problems, path("mode"), raw.mode, ["COMPLIANCE", "GOVERNANCE"] as const);
  if (raw.mode === undefined)
    problems.add(
      path("mode"),
      "missing; allowed: COMPLIANCE (nobody can shorten or remove the lock) or GOVERNANCE (principals with s3:BypassGovernanceRetention can)",
    );
  const days = readInteger(problems, path("days"), raw.days, 1, 36500, "days");
  const years = readInteger(problems, path("years"), raw.years, 1, 100, "years");
  if ((raw.days === undefined) === (raw.years === undefined)) {
    problems.add(path(), "set exactly one of days or years for the default retention");
  }
  return mode ? { mode, days, years } : undefined;
}

function resolveReplication(problems: Problems, at: At, value: unknown, region: string | undefined): ReplicationSettings | undefined {
  if (value === undefined) return undefined;
  const path = (...s: string[]): string => at("bucket", "replication", ...s);
  const raw = readObject(problems, path(), value, ["region", "bucketName", "deleteMarkerReplication", "storageClass"]);
  if (!raw) return undefined;
  if (raw.region === undefined) problems.add(path("region"), "missing; name the disaster-recovery Region, e.g. eu-west-1");
  const replicaRegion = readEnum(problems, path("region"), raw.region, AWS_REGIONS);
  if (replicaRegion !== undefined && replicaRegion === region) {
    problems.add(
      path("region"),
      `${show(replicaRegion)} is the environment's own Region; a disaster-recovery copy must be in another Region`,
    );
  }
  const bucketName = readString(problems, path("bucketName"), raw.bucketName, BUCKET, "3-63 lowercase letters, digits or hyphens");
  const deleteMarkerReplication = readBoolean(problems, path("deleteMarkerReplication"), raw.deleteMarkerReplication) ?? false;
  const storageClass = readEnum(problems, path("storageClass"), raw.storageClass, REPLICA_STORAGE_CLASSES) ?? "STANDARD";
  return replicaRegion && replicaRegion !== region
    ? { region: replicaRegion, bucketName, deleteMarkerReplication, storageClass }
    : undefined;
}

function resolveAccessLogs(problems: Problems, at: At, value: unknown): AccessLogSettings {
  const path = (...s: string[]): string => at("bucket", "accessLogs", ...s);
  const raw = readObject(problems, path(), value, ["destination", "bucketName", "reason"]) ?? {};
  const destination = readEnum(problems, path("destination"), raw.destination, ["dedicated", "existing", "none"] as const) ?? "dedicated";
  if (raw.bucketName !== undefined && destination !== "existing")
    problems.add(path("bucketName"), `only applies with destination existing, not ${destination}`);
  if (raw.reason !== undefined && destination !== "none")
    problems.add(path("reason"), `only applies with destination none, not ${destination}`);
  switch (destination) {
    case "existing": {
      if (raw.bucketName === undefined)
        problems.add(path("bucketName"), "missing; destination existing needs the name of the bucket that receives the logs");
      const bucketName = readString(problems, path("bucketName"), raw.bucketName, BUCKET, "3-63 lowercase letters, digits or hyphens");
      return { destination, bucketName: bucketName ?? "" };
    }
    case "none": {
      const reason = readString(
        problems,
        path("reason"),
        raw.reason,
        /^[^\u0000-\u001f]{20,500}$/,
        "20-500 characters saying why these logs are not needed",
      );
      if (raw.reason === undefined) {
        problems.add(
          path("reason"),
          "missing; turning access logs off needs a written reason (20-500 characters), which the compliance report shows",
        );
      }
      return { destination, reason: reason ?? "" };
    }
    default:
      return { destination };
  }
}

export function resolveAlerts(problems: Problems, at: At, value: unknown): AlertSettings {
  const raw = readObject(problems, at("alerts"), value, ["enabled", "emails", "createTrail"]) ?? {};
  const enabled = readBoolean(problems, at("alerts", "enabled"), raw.enabled) ?? true;
  const emails = readStringList(problems, at("alerts", "emails"), raw.emails, EMAIL, "e-mail addresses") ?? [];
  if (!enabled && emails.length > 0) problems.add(at("alerts", "emails"), "e-mail subscriptions need alerts.enabled = true");
  const createTrail = readBoolean(problems, at("alerts", "createTrail"), raw.createTrail) ?? false;
  if (!enabled && createTrail) problems.add(at("alerts", "createTrail"), "the trail feeds the alerts; it needs alerts.enabled = true");
  return { enabled, emails, createTrail };
}

export function resolveCustomerProfiles(problems: Problems, at: At, value: unknown): CustomerProfilesSettings {
  const raw = readObject(problems, at("customerProfiles"), value, ["enabled", "domainName", "defaultExpirationDays"]) ?? {};
  const enabled = readBoolean(problems, at("customerProfiles", "enabled"), raw.enabled) ?? false;
  const domainName = readString(
    problems,
    at("customerProfiles", "domainName"),
    raw.domainName,
    DOMAIN_NAME,
    "1-64 letters, digits, _ or -",
  );
  const defaultExpirationDays =
    readInteger(problems, at("customerProfiles", "defaultExpirationDays"), raw.defaultExpirationDays, 1, 1098, "days") ?? 366;
  if (!enabled && (raw.domainName !== undefined || raw.defaultExpirationDays !== undefined)) {
    problems.add(at("customerProfiles"), "settings given but enabled is not true; set enabled: true or remove them");
  }
  return { enabled, domainName, defaultExpirationDays };
}
