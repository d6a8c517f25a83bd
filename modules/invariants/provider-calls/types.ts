/**
 * The AWS API calls the Terraform AWS provider makes for each resource type
 * of our stacks, read from the provider's own source
 * (hashicorp/terraform-provider-aws, `internal/service/<service>/<file>`,
 * the function named per call), for the versions we admit (5.100 and 6.x).
 * Each call names the IAM actions that authorize it (the Service
 * Authorization Reference; usually `<service>:<Operation>`, S3 and a few
 * others differ) and, where the provider makes it only for some
 * configurations, the condition. Update calls are kept when the stack sets
 * the attribute whose change makes them, since a later edit of the
 * declaration changes it. The deploy-completeness invariant checks that the
 * generated deployer policy allows every call, and the dependent permissions
 * AWS documents for them, with the IAM engine.
 */
import type { Context } from "../iam-engine";

export type Phase = "create" | "read" | "update" | "delete";

/** One resource of a stack, its attributes resolved to fixture values. */
export interface ResourceView {
  readonly type: string;
  readonly name: string;
  readonly region: string;
  readonly account: string;
  readonly partition: string;
  /** The resolved value at a dotted attribute path (nested blocks are walked into), or undefined. */
  get(path: string): unknown;
  /** Whether the resource (or its provider's default tags) sets any tag. */
  readonly tagged: boolean;
  /** The resource's own ARN, as the stack model builds it. */
  readonly arn: string;
  /** The principal that runs Terraform, and Connect's service-linked role, in the fixture account. */
  readonly deployer: string;
  readonly connectServiceRole: string;
  /** Whether a bucket of the stack encrypts with an S3 Bucket Key (some calls then need more). */
  bucketKeyEnabled(bucketName: string): boolean;
}

export interface ApiCall {
  readonly phase: Phase;
  /** The API operation the provider calls. */
  readonly api: string;
  /** The provider function that calls it. */
  readonly fn: string;
  /** The IAM actions that authorize it. @default `<service>:<api>` */
  readonly actions?: readonly string[];
  /** Only for resources where this holds. @default always */
  readonly when?: (resource: ResourceView) => boolean;
  /** Condition keys the request carries (e.g. a grant's grantee and operations). @default TLS only */
  readonly context?: (resource: ResourceView) => Context;
  /** Checked against the caller's IAM policies alone: the resource does not exist yet (tags sent with CreateKey). */
  readonly identityOnly?: boolean;
}

/** A permission AWS documents as needed with a call, on another resource than the call's own. */
export interface DependentPermission {
  /** The API operation that needs it. */
  readonly for: string;
  readonly action: string;
  /** The resource it is checked on (an ARN, or `*`). */
  readonly on: (resource: ResourceView) => string | undefined;
  /** What the request carries besides TLS (condition keys the service sets). */
  readonly context?: (resource: ResourceView) => Context;
  readonly when?: (resource: ResourceView) => boolean;
  /** The page that documents it. */
  readonly source: string;
}

export interface ResourceCalls {
  /** The provider source file. */
  readonly file: string;
  /** The IAM service prefix of its calls. */
  readonly service: string;
  readonly calls: readonly ApiCall[];
  /**
   * The ARNs the resource stands for, by the IAM resource type name the
   * Service Authorization Reference gives (`bucket`, `key`, `alias`, ...):
   * each call is checked on the ones its actions take.
   */
  readonly arns: (resource: ResourceView) => Readonly<Record<string, string | undefined>>;
  readonly dependent?: readonly DependentPermission[];
}

export const call = (phase: Phase, api: string, fn: string, extra: Omit<ApiCall, "phase" | "api" | "fn"> = {}): ApiCall => ({
  phase,
  api,
  fn,
  ...extra,
});

export const isSet = (value: unknown): boolean =>
  value !== undefined && value !== null && value !== "" && !(Array.isArray(value) && value.length === 0);
