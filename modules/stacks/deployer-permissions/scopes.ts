/** How the statements are laid out: one per scope, in this order, with these Sids. */
import type { Scope } from "./table";

/** Scopes whose names are collapsed to `<namePrefix>-*`; the others are listed name by name. */
export const PREFIXED_SCOPES: ReadonlySet<Scope> = new Set<Scope>(["role", "stream", "firehose", "rule", "topic", "queue", "trail"]);

/** Statement Sid per scope, in the order statements are written. */
export const SCOPE_SIDS: readonly [Scope, string][] = [
  ["any", "NoResourceLevelPermissions"],
  ["bucket", "StackBuckets"],
  ["key", "KeysInStackRegions"],
  ["alias", "StackKeyAliases"],
  ["role", "StackRoles"],
  ["connectRole", "ConnectServiceLinkedRolePolicies"],
  ["instance", "ConnectInstance"],
  ["directory", "ConnectInstanceDirectory"],
  ["connectFlowLogs", "ConnectContactFlowLogGroup"],
  ["stream", "StackDataStreams"],
  ["streamEncryption", "StackDataStreamEncryption"],
  ["firehose", "StackDeliveryStreams"],
  ["logGroup", "StackLogGroups"],
  ["rule", "StackEventRules"],
  ["topic", "StackTopics"],
  ["queue", "StackQueues"],
  ["trail", "StackTrails"],
  ["domain", "StackProfilesDomains"],
  ["oidcProvider", "StackOidcProviders"],
  ["policy", "StackManagedPolicies"],
];

/** Services allowed as the receivers of iam:PassRole, from the trust policies of the stack's roles. */
export const PASS_ROLE_SERVICES: Readonly<Record<string, string>> = {
  "firehose.amazonaws.com": "PassRolesToFirehoseOnly",
  "s3.amazonaws.com": "PassRolesToS3ReplicationOnly",
};
