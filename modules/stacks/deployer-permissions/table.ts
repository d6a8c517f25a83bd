/**
 * The shape of the deployer's permissions table: per Terraform resource (or
 * data source) type, the actions it needs and on which scope, and where in
 * its body the names that scope is limited to are read. One file per service
 * holds its entries, each citing the page that requires it (SAR <service>:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_<service>.html,
 * which also says which actions take no resource ARN: scope "any"); the
 * provider's own calls per type are in invariants/provider-calls/, and the
 * deploy-completeness invariant holds these entries to them.
 */

/** Where a set of actions applies; each scope becomes one statement. */
export type Scope =
  | "any"
  | "bucket"
  | "key"
  | "alias"
  | "role"
  | "connectRole"
  | "instance"
  | "directory"
  | "connectFlowLogs"
  | "stream"
  | "streamEncryption"
  | "firehose"
  | "logGroup"
  | "rule"
  | "topic"
  | "queue"
  | "trail"
  | "domain"
  | "oidcProvider"
  | "policy";

export interface Need {
  readonly scope: Scope;
  readonly actions: readonly string[];
}

export const need = (scope: Scope, ...actions: string[]): Need => ({ scope, actions });

/** Where names are read in a resource, which scope they extend, and actions needed on that target only. */
export interface NameSource {
  readonly path: readonly string[];
  readonly scope: Scope;
  readonly actions?: readonly string[];
  readonly transform?: (name: string) => string;
}

/** Resource (or data source) type -> what it needs. */
export type Needs = Readonly<Record<string, readonly Need[]>>;
/** Resource type (data sources as `data.<type>`) -> where its names are read. */
export type NameSources = Readonly<Record<string, readonly NameSource[]>>;
