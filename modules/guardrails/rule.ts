/**
 * Guardrails: named, pure checks over a synthesized stack, each mapped to the
 * controls it evidences. A violation stops synthesis unless the resource
 * carries a suppression with a written reason.
 */
import { IConstruct } from "constructs";

export type Json = Record<string, any>;

/** One resource of the stack as Terraform will see it. */
export interface ResourceView {
  readonly type: string;
  readonly name: string;
  /** Terraform address, e.g. `aws_kms_key.key`. */
  readonly address: string;
  /** Construct path, e.g. `connect-encryption-prod/Resource/key/Resource`. */
  readonly path: string;
  readonly config: Json;
}

/** What a rule may look at: the resolved stack, and the constructs that own policies. */
export interface StackView {
  readonly stackName: string;
  readonly resources: readonly ResourceView[];
  /** The stack's `terraform` block (backend, cloud, required versions). */
  readonly terraform: Json;
  /** Resources of one type. */
  ofType(type: string): readonly ResourceView[];
  /** The construct that owns a resource (e.g. the EncryptedBucket of a bucket policy). */
  ownerOf(resource: ResourceView): IConstruct | undefined;
  /** A value with its tokens rendered as Terraform references. */
  resolve(value: unknown): any;
}

export interface Finding {
  /** Construct path of the offending resource. */
  readonly path: string;
  /** What is wrong, in the resource's terms. */
  readonly message: string;
}

export interface Rule {
  /** Stable ID, e.g. `CE04`. */
  readonly id: string;
  readonly name: string;
  /** What the rule requires. */
  readonly requirement: string;
  /** How to fix a violation. */
  readonly fix: string;
  /** Control references per framework, e.g. `{ "PCI DSS v4.0": ["3.5.1"] }`. */
  readonly controls: Readonly<Record<string, readonly string[]>>;
  /** Resource types the rule looks at (for the report's "resources checked"). */
  readonly appliesTo: readonly string[];
  readonly check: (stack: StackView) => Finding[];
}
