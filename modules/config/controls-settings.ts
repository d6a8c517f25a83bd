/**
 * Production controls in an environment's configuration: retention
 * (lifecycle), WORM (Object Lock), a disaster-recovery copy (cross-Region
 * replication), server access logs, key-misuse alerts and Customer Profiles.
 */
import type { EnvironmentInput } from "./config-schema";
import { At, Problems, show } from "./validation";

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
  /** The storage types written to the locked bucket; undefined when the declaration does not say (LOCKED_BY_DEFAULT). */
  readonly lockedTypes?: readonly string[];
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
  /** Who reads the dead-letter queue and the trail's files (decrypt with the alerts key); default the key's auditors. */
  readonly readerArns: readonly string[];
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

/** The sections as the schema accepts them. */
type BucketInput = NonNullable<EnvironmentInput["bucket"]>;
type AlertsInput = EnvironmentInput["alerts"];
type CustomerProfilesInput = EnvironmentInput["customerProfiles"];

export function resolveBucketControls(problems: Problems, at: At, raw: BucketInput, region: string | undefined): BucketControls {
  const lifecycle = resolveLifecycle(problems, at, raw.lifecycle ?? {});
  const objectLock = resolveObjectLock(problems, at, raw.objectLock);
  const replication = resolveReplication(problems, at, raw.replication, region);
  const accessLogs = resolveAccessLogs(problems, at, raw.accessLogs ?? {});
  const eventBridgeNotifications = raw.eventBridgeNotifications ?? true;

  const lockDays = objectLock ? (objectLock.days ?? (objectLock.years ?? 0) * 365) : 0;
  if (objectLock && lifecycle.expireAfterDays !== undefined && lifecycle.expireAfterDays < lockDays) {
    problems.add(
      at("bucket", "lifecycle", "expireAfterDays"),
      `${lifecycle.expireAfterDays} is shorter than the Object Lock retention (${lockDays} days): locked versions cannot expire before it; expire at ${lockDays} days or later`,
    );
  }
  return { lifecycle, objectLock, replication, accessLogs, eventBridgeNotifications };
}

function resolveLifecycle(problems: Problems, at: At, raw: NonNullable<BucketInput["lifecycle"]>): LifecycleSettings {
  const path = (...s: string[]): string => at("bucket", "lifecycle", ...s);
  const transition = raw.transitionToGlacierIrAfterDays;
  const expire = raw.expireAfterDays;
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
  for (const [index, rule] of (raw.prefixRules ?? []).entries()) {
    const rulePath = (...s: string[]): string => path(`prefixRules[${index}]`, ...s);
    const { prefix, expireAfterDays: ruleExpire, transitionToGlacierIrAfterDays: ruleTransition } = rule;
    if (ruleExpire === undefined && ruleTransition === undefined) {
      problems.add(rulePath(), "sets neither expireAfterDays nor transitionToGlacierIrAfterDays; a prefix rule must change something");
    }
    // S3 refuses a rule whose expiration does not come after its transition (PutBucketLifecycleConfiguration).
    if (ruleExpire !== undefined && ruleTransition !== undefined && ruleExpire <= ruleTransition) {
      problems.add(
        rulePath("expireAfterDays"),
        `${ruleExpire} is not after this rule's transition to GLACIER_IR at ${ruleTransition} days; expire later than the transition, or drop the transition`,
      );
    }
    // S3 applies every matching rule and the earliest action wins, so a prefix rule can only shorten.
    if (ruleExpire !== undefined && expire !== undefined && ruleExpire >= expire) {
      problems.add(
        rulePath("expireAfterDays"),
        `${ruleExpire} has no effect: the bucket-wide expiry at ${expire} days comes first; a prefix rule can only shorten retention`,
      );
    }
    prefixRules.push({ prefix, expireAfterDays: ruleExpire, transitionToGlacierIrAfterDays: ruleTransition });
  }
  return {
    transitionToGlacierIrAfterDays: transition,
    expireAfterDays: expire,
    noncurrentVersionExpirationDays: raw.noncurrentVersionExpirationDays,
    abortIncompleteMultipartUploadDays: raw.abortIncompleteMultipartUploadDays ?? 7,
    prefixRules,
  };
}

function resolveObjectLock(problems: Problems, at: At, raw: BucketInput["objectLock"]): ObjectLockSettings | undefined {
  if (raw === undefined) return undefined;
  const path = (...s: string[]): string => at("bucket", "objectLock", ...s);
  if (raw.mode === undefined)
    problems.add(
      path("mode"),
      "missing; allowed: COMPLIANCE (nobody can shorten or remove the lock) or GOVERNANCE (principals with s3:BypassGovernanceRetention can)",
    );
  if ((raw.days === undefined) === (raw.years === undefined)) {
    problems.add(path(), "set exactly one of days or years for the default retention");
  }
  return raw.mode ? { mode: raw.mode, days: raw.days, years: raw.years, lockedTypes: raw.lockedTypes } : undefined;
}

function resolveReplication(
  problems: Problems,
  at: At,
  raw: BucketInput["replication"],
  region: string | undefined,
): ReplicationSettings | undefined {
  if (raw === undefined) return undefined;
  const path = (...s: string[]): string => at("bucket", "replication", ...s);
  const replicaRegion = raw.region;
  if (replicaRegion === undefined) problems.add(path("region"), "missing; name the disaster-recovery Region, e.g. eu-west-1");
  if (replicaRegion !== undefined && replicaRegion === region) {
    problems.add(
      path("region"),
      `${show(replicaRegion)} is the environment's own Region; a disaster-recovery copy must be in another Region`,
    );
  }
  const deleteMarkerReplication = raw.deleteMarkerReplication ?? false;
  const storageClass = raw.storageClass ?? "STANDARD";
  return replicaRegion && replicaRegion !== region
    ? { region: replicaRegion, bucketName: raw.bucketName, deleteMarkerReplication, storageClass }
    : undefined;
}

function resolveAccessLogs(problems: Problems, at: At, raw: NonNullable<BucketInput["accessLogs"]>): AccessLogSettings {
  const path = (...s: string[]): string => at("bucket", "accessLogs", ...s);
  const destination = raw.destination ?? "dedicated";
  if (raw.bucketName !== undefined && destination !== "existing")
    problems.add(path("bucketName"), `only applies with destination existing, not ${destination}`);
  if (raw.reason !== undefined && destination !== "none")
    problems.add(path("reason"), `only applies with destination none, not ${destination}`);
  switch (destination) {
    case "existing": {
      if (raw.bucketName === undefined)
        problems.add(path("bucketName"), "missing; destination existing needs the name of the bucket that receives the logs");
      return { destination, bucketName: raw.bucketName ?? "" };
    }
    case "none": {
      if (raw.reason === undefined) {
        problems.add(
          path("reason"),
          "missing; turning access logs off needs a written reason (20-500 characters), which the compliance report shows",
        );
      }
      return { destination, reason: raw.reason ?? "" };
    }
    default:
      return { destination };
  }
}

/** `auditorArns`: the key's auditors, who read the alerts unless alerts.readerArns names others. */
export function resolveAlerts(problems: Problems, at: At, raw: AlertsInput = {}, auditorArns: readonly string[] = []): AlertSettings {
  const enabled = raw.enabled ?? true;
  const emails = raw.emails ?? [];
  if (!enabled && emails.length > 0) problems.add(at("alerts", "emails"), "e-mail subscriptions need alerts.enabled = true");
  const createTrail = raw.createTrail ?? false;
  if (!enabled && createTrail) problems.add(at("alerts", "createTrail"), "the trail feeds the alerts; it needs alerts.enabled = true");
  if (!enabled && raw.readerArns !== undefined && raw.readerArns.length > 0) {
    problems.add(at("alerts", "readerArns"), "readers of the alerts need alerts.enabled = true");
  }
  return { enabled, emails, createTrail, readerArns: raw.readerArns ?? auditorArns };
}

/**
 * EventBridge receives "AWS API Call via CloudTrail" events only where a
 * trail logs them: "To record events with a detail-type value of AWS API
 * Call via CloudTrail, a CloudTrail trail with logging enabled is required"
 * (EventBridge user guide, "AWS service events delivered via AWS CloudTrail",
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html):
 * alerts without a trail of their own rely on one the stack cannot see.
 * Writing `createTrail: false` says that one exists and silences this.
 */
export function alertsTrailWarning(at: At, raw: AlertsInput | undefined, alerts: AlertSettings, environment: string): string | undefined {
  if (!alerts.enabled || alerts.createTrail || raw?.createTrail !== undefined) return undefined;
  return (
    `${at("alerts", "createTrail")}: not set, so the key-misuse alerts fire only if a CloudTrail trail already records management events in this account and Region ` +
    `(EventBridge receives API-call events only through one). \`npm run verify -- ${environment}\` checks for it after deployment; ` +
    "set alerts.createTrail to true to create one, or to false to say that one exists"
  );
}

export function resolveCustomerProfiles(problems: Problems, at: At, raw: CustomerProfilesInput = {}): CustomerProfilesSettings {
  const enabled = raw.enabled ?? false;
  const defaultExpirationDays = raw.defaultExpirationDays ?? 366;
  if (!enabled && (raw.domainName !== undefined || raw.defaultExpirationDays !== undefined)) {
    problems.add(at("customerProfiles"), "settings given but enabled is not true; set enabled: true or remove them");
  }
  return { enabled, domainName: raw.domainName, defaultExpirationDays };
}
