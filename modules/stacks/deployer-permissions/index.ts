/** The deployer's permissions table, by service (table.ts says what an entry holds). */
import { ALERTS_NAMES, ALERTS_NEEDS } from "./alerts";
import { CONNECT_NAMES, CONNECT_NEEDS } from "./connect";
import { DATA_NAMES, DATA_NEEDS } from "./data-sources";
import { IAM_NAMES, IAM_NEEDS } from "./iam";
import { KMS_NAMES, KMS_NEEDS } from "./kms";
import { S3_NAMES, S3_NEEDS } from "./s3";
import { STREAMS_NAMES, STREAMS_NEEDS } from "./streams";
import type { NameSources, Needs } from "./table";

export type { NameSource, Need, Needs, Scope } from "./table";
export { PASS_ROLE_SERVICES, PREFIXED_SCOPES, SCOPE_SIDS } from "./scopes";
export { DATA_NEEDS };

/** The service tables as one, refusing a type two services list (a later spread would silently win). */
export function oneTable<T>(...tables: readonly Readonly<Record<string, T>>[]): Readonly<Record<string, T>> {
  const merged: Record<string, T> = {};
  for (const table of tables) {
    for (const [type, entry] of Object.entries(table)) {
      if (type in merged) throw new Error(`deployer permissions: ${type} is listed by two services`);
      merged[type] = entry;
    }
  }
  return merged;
}

/** Resource type -> actions to create, read, update, delete and tag it, with hashicorp/aws 5.100 and 6.x. */
export const RESOURCE_NEEDS: Needs = oneTable(S3_NEEDS, KMS_NEEDS, IAM_NEEDS, CONNECT_NEEDS, STREAMS_NEEDS, ALERTS_NEEDS);

export const NAME_SOURCES: NameSources = oneTable(S3_NAMES, KMS_NAMES, IAM_NAMES, CONNECT_NAMES, STREAMS_NAMES, ALERTS_NAMES, DATA_NAMES);
