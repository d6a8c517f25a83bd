/** Every resource and data source type the stacks use, with the calls the provider makes for it (types.ts). */
import { ALERT_CALLS } from "./alerts";
import { CONNECT_CALLS } from "./connect";
import { KMS_IAM_CALLS } from "./kms-iam";
import { S3_CALLS } from "./s3";
import { STREAM_CALLS } from "./streams";
import type { ResourceCalls } from "./types";

export const PROVIDER_CALLS: Readonly<Record<string, ResourceCalls>> = {
  ...S3_CALLS,
  ...KMS_IAM_CALLS,
  ...CONNECT_CALLS,
  ...STREAM_CALLS,
  ...ALERT_CALLS,
};

/**
 * The IAM actions of the calls the provider makes in the read functions of
 * `kinds` (a refresh: what `terraform plan` does), with the permissions AWS
 * documents for those calls; sorted, as the tables spell them.
 */
export function providerReadActions(kinds: readonly string[]): string[] {
  const actions = new Set<string>();
  for (const kind of kinds) {
    const table = PROVIDER_CALLS[kind];
    if (!table) throw new Error(`no provider calls are known for ${kind}: add them to modules/invariants/provider-calls/`);
    const reads = table.calls.filter((call) => call.phase === "read");
    for (const call of reads) for (const action of call.actions ?? [`${table.service}:${call.api}`]) actions.add(action);
    for (const dependent of table.dependent ?? []) if (reads.some((call) => call.api === dependent.for)) actions.add(dependent.action);
  }
  return [...actions].sort();
}

export type { ApiCall, DependentPermission, Phase, ResourceCalls, ResourceView } from "./types";
