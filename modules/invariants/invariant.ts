/**
 * Invariants: rules that hold for every stack any valid declaration
 * synthesizes, checked on the synthesized Terraform JSON itself (never on
 * the declaration that produced it). Each is a small function over one
 * stack (or, for names AWS requires unique, over all stacks of a
 * declaration) that returns its violations. Unlike a guardrail, an
 * invariant has no suppression: a violation is a stack AWS would refuse or
 * that would not work once deployed.
 *
 * Two sets (docs/invariants.md): the STATIC invariants need nothing but the
 * JSON and run in synthesis, where a violation stops `npm run synth`; the
 * EVALUATED ones need the IAM engine and IAM metadata (development
 * dependencies) and run in `npm run check` and the tests.
 */
import type { PolicyDocument } from "../config/policy";
import type { StackModel } from "./stack-model";

/** A stack as the invariants see it. */
export interface CheckedStack {
  /** Terraform stack name, e.g. `connect-encryption-prod`. */
  readonly name: string;
  /** Its synthesized Terraform JSON (cdk.tf.json), as written. */
  readonly json: Record<string, any>;
  /** Its references resolved to concrete values in a fixture account (facts.ts). */
  readonly model: StackModel;
  /** The generated policy of the principal that runs Terraform on it (deployer-iam-policy.json). @default none: not checked */
  readonly deployerPolicy?: PolicyDocument;
  /**
   * The declaration field a value of this stack was written in, from its
   * path inside an environment (e.g. `["alerts", "readerArns"]`); undefined
   * where no declaration is at hand (a stack read from disk, the module).
   */
  readonly fieldOf?: (segments: readonly string[]) => string;
}

/** One broken invariant, where it breaks and what to change. */
export interface Violation {
  /** The invariant's ID (`data-flow`, `apply-order`, ...). */
  readonly invariant: string;
  readonly stack: string;
  /** Terraform address of the resource (or the store) it concerns. */
  readonly resource: string;
  readonly message: string;
  /** The AWS (or Terraform) page the rule rests on. */
  readonly source: string;
  /** The declaration field to change, when one can be named. */
  readonly field?: string;
}

/** What an invariant reports before the runner adds the stack and the field's full path. */
export interface Finding {
  readonly resource: string;
  readonly message: string;
  /** Overrides the invariant's own source for this finding. */
  readonly source?: string;
  /** The field's path inside an environment (the runner writes it out in full). */
  readonly field?: readonly string[];
}

export interface Invariant {
  readonly id: string;
  /** What holds, in a sentence (docs/invariants.md). */
  readonly statement: string;
  readonly source: string;
  readonly check: (stack: CheckedStack) => Finding[] | Promise<Finding[]>;
}

/** An invariant over all stacks of one declaration at once. */
export interface DeclarationInvariant {
  readonly id: string;
  readonly statement: string;
  readonly source: string;
  readonly check: (stacks: readonly CheckedStack[]) => (Finding & { readonly stack: string })[];
}

export function violation(invariant: { id: string; source: string }, stack: CheckedStack, finding: Finding): Violation {
  return {
    invariant: invariant.id,
    stack: stack.name,
    resource: finding.resource,
    message: finding.message,
    source: finding.source ?? invariant.source,
    ...(finding.field && stack.fieldOf ? { field: stack.fieldOf(finding.field) } : {}),
  };
}

/** One line per violation: the resource, what is wrong, the field to change, the page. */
export function formatViolation(v: Violation): string {
  const field = v.field ? ` Change: ${v.field}.` : "";
  return `${v.stack}: ${v.resource} [${v.invariant}] ${v.message}.${field} (${v.source})`;
}

/** Thrown by synthesis when a static invariant is broken: nothing is written. */
export class InvariantError extends Error {
  constructor(readonly violations: readonly Violation[]) {
    super(
      [
        `${violations.length} invariant violation${violations.length === 1 ? "" : "s"}: AWS would refuse these stacks, or they would not work once deployed.`,
        ...violations.map((v) => `  - ${formatViolation(v)}`),
        "Nothing was written. docs/invariants.md explains each invariant.",
      ].join("\n"),
    );
    this.name = "InvariantError";
  }
}
