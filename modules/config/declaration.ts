/**
 * The declaration's vocabulary: what one resolved declaration holds (every
 * environment's settings, the state bootstrap) and the names every layer
 * shares. Types and constants only, so that config.ts (which resolves a
 * declaration) and the resolvers and checks it calls all import from here,
 * and none imports its caller.
 */
import type { ExistingAssociations } from "./adoption";
import type { AlertSettings, BucketControls, CustomerProfilesSettings } from "./controls-settings";
import type { StateSettings } from "./state-settings";
import type { S3StorageSettings, StreamingStorageSettings } from "./storage-settings";

/** The context key in cdktf.json that holds the declaration. */
export const CONTEXT_KEY = "connectEncryption";

export const IDENTITY_MANAGEMENT_TYPES = ["CONNECT_MANAGED", "SAML", "EXISTING_DIRECTORY"] as const;
export type IdentityManagementType = (typeof IDENTITY_MANAGEMENT_TYPES)[number];

export interface KeySettings {
  /** Alias name, always starting with `alias/`. */
  readonly aliasName: string;
  readonly description: string;
  readonly rotationPeriodInDays: number;
  readonly deletionWindowInDays: number;
  /** IAM role/user ARNs that manage the key (no data-plane use). */
  readonly administratorArns: readonly string[];
  /** IAM role/user ARNs that encrypt and decrypt with the key. */
  readonly userArns: readonly string[];
  /** Roles that may only decrypt, through S3 (to read un-redacted originals). */
  readonly auditorArns: readonly string[];
  /** Downstream readers (Athena, QuickSight, Lambda): decrypt through S3 in this account. */
  readonly consumerArns: readonly string[];
  /** Whether the account root keeps kms:* (the IAM-delegation statement). */
  readonly allowAccountRoot: boolean;
  /** Principals that associate storage configs; undefined = the IAM role that runs Terraform. */
  readonly deployerArns?: readonly string[];
  /**
   * Principals that only read the keys' configuration: the HCP Terraform plan
   * role of a root-less environment. Not a field of the declaration: set
   * from stateBootstrap.hcpTerraform (withPlanRoles).
   */
  readonly readOnlyArns?: readonly string[];
}

export interface BucketSettings extends BucketControls {
  /** Explicit bucket name; undefined = `<namePrefix>-<environment>-<account>-<region>`. */
  readonly name?: string;
}

export interface CreatedInstanceSettings {
  readonly kind: "create";
  readonly alias: string;
  readonly identityManagementType: IdentityManagementType;
  readonly directoryId?: string;
  readonly inboundCallsEnabled: boolean;
  readonly outboundCallsEnabled: boolean;
  readonly contactFlowLogsEnabled: boolean;
  readonly contactLensEnabled: boolean;
  readonly preventDestroy: boolean;
}

export interface AdoptedInstanceSettings {
  readonly kind: "adopt";
  readonly instanceId: string;
  /**
   * The instance's storage associations before adoption (storage type ->
   * association ID), as `npm run discover -- <env> --write` records them;
   * undefined when discovery was not recorded.
   */
  readonly existingAssociations?: ExistingAssociations;
}

export type InstanceSettings = CreatedInstanceSettings | AdoptedInstanceSettings;

export interface EnvironmentSettings {
  /** Environment name, e.g. `dev`. */
  readonly name: string;
  /** Terraform stack name, e.g. `connect-encryption-dev`. */
  readonly stackName: string;
  readonly region: string;
  /** The only account this environment may be applied to (the provider refuses others). */
  readonly accountId?: string;
  /** Role the provider assumes to deploy. */
  readonly assumeRoleArn?: string;
  /** Where this environment's Terraform state lives. */
  readonly state: StateSettings;
  /** Leading part of every resource name. */
  readonly namePrefix: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly key: KeySettings;
  readonly bucket: BucketSettings;
  readonly instance: InstanceSettings;
  /** Enabled S3-backed storage types, in the vocabulary's order. */
  readonly s3Storage: readonly S3StorageSettings[];
  /** Enabled streaming storage types and their destinations, in the vocabulary's order. */
  readonly streamingStorage: readonly StreamingStorageSettings[];
  /** Roles that consume the Kinesis data streams. */
  readonly streamConsumerArns: readonly string[];
  /** Web origins (besides the instance's own) allowed to upload chat attachments from the browser. */
  readonly attachmentOrigins: readonly string[];
  /** Key-misuse alerts. */
  readonly alerts: AlertSettings;
  /** An optional Customer Profiles domain under the key. */
  readonly customerProfiles: CustomerProfilesSettings;
  /** Accepted, but worth telling the user about at synth time. */
  readonly warnings: readonly string[];
}

export const STACK_NAME_PREFIX = "connect-encryption";

/** stateBootstrap.hcpTerraform: the OIDC provider and a deploy role per cloud environment (hcp-terraform-settings.ts resolves it). */
export interface HcpTerraformSettings {
  /** Create the OIDC provider and the deploy roles (or, for other accounts, write their policies). */
  readonly deployRoles: boolean;
  /** Apply role name per environment (its plan role adds `-plan`); default `<stackName>-hcp-deploy`. */
  readonly roleNames: Readonly<Record<string, string>>;
}

/** The stack that creates the state bucket and key, itself on local state. */
export interface StateBootstrapSettings {
  readonly stackName: string;
  readonly region: string;
  readonly accountId?: string;
  readonly assumeRoleArn?: string;
  /** The state bucket; undefined when the bootstrap creates HCP Terraform deploy roles alone. */
  readonly bucket?: string;
  /** Alias of the state key, including `alias/`. */
  readonly keyAlias: string;
  /** Region of a disaster-recovery copy of the state and its access logs. @default none */
  readonly replicaRegion?: string;
  readonly tags: Readonly<Record<string, string>>;
  /** HCP Terraform OIDC provider and deploy roles (hcp-deploy-roles.ts). @default none */
  readonly hcpTerraform?: HcpTerraformSettings;
  /** Accepted, but worth telling the user about at synth time. */
  readonly warnings?: readonly string[];
}

export interface Declaration {
  readonly environments: readonly EnvironmentSettings[];
  readonly stateBootstrap?: StateBootstrapSettings;
}

export const STATE_BOOTSTRAP_STACK = `${STACK_NAME_PREFIX}-state`;

/** The buckets named after the state bucket: its access logs, and with a replica the copy and the copy's logs. */
export function stateCompanionBuckets(bucket: string): { readonly logs: string; readonly replica: string; readonly replicaLogs: string } {
  return { logs: `${bucket}-logs`, replica: `${bucket}-dr`, replicaLogs: `${bucket}-dr-logs` };
}
