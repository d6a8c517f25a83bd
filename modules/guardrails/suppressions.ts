import { IConstruct } from "constructs";

export interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
  /** Construct path the suppression covers (the construct and everything under it). */
  readonly path: string;
}

const byConstruct = new WeakMap<IConstruct, Suppression[]>();
const MIN_REASON = 20;

/**
 * Accepts a rule's violation on one construct (and the resources under it),
 * for a written reason that the compliance report shows.
 */
export function suppress(construct: IConstruct, ruleId: string, reason: string): void {
  if (reason.trim().length < MIN_REASON) {
    throw new Error(
      `${construct.node.path}: suppressing ${ruleId} needs a written reason of at least ${MIN_REASON} characters, not ${JSON.stringify(reason)}`,
    );
  }
  byConstruct.set(construct, [...(byConstruct.get(construct) ?? []), { ruleId, reason: reason.trim(), path: construct.node.path }]);
}

/** Every suppression in a construct tree. */
export function suppressionsIn(root: IConstruct): Suppression[] {
  return root.node.findAll().flatMap((construct) => byConstruct.get(construct) ?? []);
}

/** The suppression that covers a finding at `path` for `ruleId`, if any. */
export function coveringSuppression(suppressions: readonly Suppression[], ruleId: string, path: string): Suppression | undefined {
  return suppressions.find((s) => s.ruleId === ruleId && (path === s.path || path.startsWith(`${s.path}/`)));
}
