/**
 * What a stack knowingly leaves as it is, outside what it manages (e.g. an
 * adopted instance's existing storage association of a type the declaration
 * does not enable). Not a rule violation: the compliance report lists each
 * one with its reason, so that an auditor sees what may stay outside the key.
 */
import { IConstruct } from "constructs";

export interface LeftAsItIs {
  /** What is left, e.g. `SCHEDULED_REPORTS association 0123...`. */
  readonly subject: string;
  readonly reason: string;
  /** Construct path of the part of the stack that would otherwise manage it. */
  readonly path: string;
}

const byConstruct = new WeakMap<IConstruct, LeftAsItIs[]>();

export function recordLeftAsItIs(construct: IConstruct, subject: string, reason: string): void {
  byConstruct.set(construct, [...(byConstruct.get(construct) ?? []), { subject, reason, path: construct.node.path }]);
}

/** Everything recorded as left as it is in a construct tree. */
export function leftAsItIsIn(root: IConstruct): LeftAsItIs[] {
  return root.node.findAll().flatMap((construct) => byConstruct.get(construct) ?? []);
}
