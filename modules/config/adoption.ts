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
import type { At } from "./validation";

/** Storage type -> association ID, as recorded by discovery (or by hand). */
export type ExistingAssociations = Readonly<Partial<Record<StorageType, string>>>;

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
