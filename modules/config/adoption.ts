/**
 * Taking over a running contact centre's storage associations in place.
 *
 * Connect's AssociateInstanceStorageConfig associates a resource type for the
 * first time only, so an adopted instance that already has associations must
 * have them imported into Terraform state (an `import` block per type) and then
 * updated to the declared bucket, prefix and key, instead of associated again.
 * `npm run discover -- <env> --write` records the existing association IDs in
 * the environment's `instance.adopt.existingAssociations`; this file turns them
 * into import IDs and into the warnings for what is left as it is.
 */
import { STORAGE_TYPES, StorageType } from "./storage-types";
import { At, Problems, isPlainObject, show } from "./validation";

/**
 * An association ID as Connect returns it: the API allows 1-100 characters
 * (AssociationId in the Connect API reference); real ones are 64 hex digits.
 * No colon: the provider's import ID separates its three fields with colons.
 */
export const ASSOCIATION_ID = /^[A-Za-z0-9_-]{1,100}$/;
const ASSOCIATION_ID_RULE = "a Connect association ID: 1-100 letters, digits, - or _ (no colon), e.g. a 64-digit hex string";

/** Storage type -> association ID, as recorded by discovery (or by hand). */
export type ExistingAssociations = Readonly<Partial<Record<StorageType, string>>>;

/** Reads `instance.adopt.existingAssociations`; undefined when the field is absent. */
export function readExistingAssociations(problems: Problems, path: string, value: unknown): ExistingAssociations | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) {
    problems.add(
      path,
      `${show(value)} is not an object; expected a map from storage type to association ID, e.g. { "CALL_RECORDINGS": "<association ID>" } (npm run discover -- <env> --write records it)`,
    );
    return undefined;
  }
  const recorded: Partial<Record<StorageType, string>> = {};
  for (const [type, id] of Object.entries(value)) {
    if (!(STORAGE_TYPES as readonly string[]).includes(type)) {
      problems.add(`${path}.${type}`, `unknown storage type; allowed: ${STORAGE_TYPES.join(", ")}`);
      continue;
    }
    if (typeof id !== "string" || !ASSOCIATION_ID.test(id)) {
      problems.add(`${path}.${type}`, `${show(id)} is not allowed; allowed: ${ASSOCIATION_ID_RULE}`);
      continue;
    }
    recorded[type as StorageType] = id;
  }
  return recorded;
}

/** The provider's import ID of aws_connect_instance_storage_config: `<instance-id>:<association-id>:<resource-type>`. */
export function storageConfigImportId(instanceId: string, associationId: string, type: StorageType): string {
  return `${instanceId}:${associationId}:${type}`;
}

export interface RecordedAssociation {
  readonly type: StorageType;
  readonly associationId: string;
}

/** Recorded associations split into those the declaration takes over and those it leaves as they are. */
export function partitionRecorded(
  recorded: ExistingAssociations,
  declaredTypes: readonly StorageType[],
): { readonly takenOver: RecordedAssociation[]; readonly leftAsTheyAre: RecordedAssociation[] } {
  const entries = STORAGE_TYPES.filter((type) => recorded[type] !== undefined).map((type) => ({ type, associationId: recorded[type]! }));
  return {
    takenOver: entries.filter((e) => declaredTypes.includes(e.type)),
    leftAsTheyAre: entries.filter((e) => !declaredTypes.includes(e.type)),
  };
}

/** What the user is told at synthesis about an adopted instance's existing associations. */
export function adoptionWarnings(
  environment: string,
  at: At,
  recorded: ExistingAssociations | undefined,
  declaredTypes: readonly StorageType[],
): string[] {
  const path = at("instance", "adopt", "existingAssociations");
  if (recorded === undefined) {
    return [
      `${path}: not recorded; an adopted instance usually has storage associations already (a console-created one has at least CALL_RECORDINGS, CHAT_TRANSCRIPTS and SCHEDULED_REPORTS), and Connect refuses to associate a type a second time. Run \`npm run discover -- ${environment}\` to list them, and \`npm run discover -- ${environment} --write\` to record them so that the first apply takes them over in place ({} records that there are none)`,
    ];
  }
  return partitionRecorded(recorded, declaredTypes).leftAsTheyAre.map(
    ({ type, associationId }) =>
      `${path}.${type}: association ${associationId} is recorded but the declaration does not enable ${type}; it stays as it is, and what Connect writes there may stay outside the key (enable storage.${type} to take it over, or accept it: the compliance report lists it)`,
  );
}

/** Why a recorded association is left alone, as the compliance report states it. */
export function leftAsItIsReason(type: StorageType, associationId: string): string {
  return `existing association ${associationId} of ${type} is not declared: it stays as it is, not managed here, and what Connect writes there may stay outside the key`;
}
