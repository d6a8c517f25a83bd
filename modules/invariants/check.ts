/**
 * Runs the invariants over the stacks of one declaration. The static set
 * (no engine, no IAM metadata) is what synthesis runs before it writes
 * anything; `npm run check` and the tests add the evaluated set
 * (evaluated.ts), which needs the development dependencies.
 */
import { API_CONSTRAINTS } from "./api-constraints";
import { APPLY_ORDER } from "./apply-order";
import { CheckedStack, DeclarationInvariant, Invariant, Violation, violation } from "./invariant";
import { UNIQUENESS } from "./uniqueness";

/** The invariants that need nothing but the synthesized JSON. */
export const STATIC_INVARIANTS: readonly Invariant[] = [API_CONSTRAINTS, APPLY_ORDER];
export const DECLARATION_INVARIANTS: readonly DeclarationInvariant[] = [UNIQUENESS];

/** Violations of the per-stack invariants `invariants` and of the declaration-wide ones, in stack order. */
export async function checkInvariants(stacks: readonly CheckedStack[], invariants: readonly Invariant[]): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const stack of stacks) {
    for (const invariant of invariants) {
      for (const finding of await invariant.check(stack)) violations.push(violation(invariant, stack, finding));
    }
  }
  return [...violations, ...declarationViolations(stacks)];
}

/** The static invariants, synchronously (synthesis is synchronous). */
export function checkStaticInvariants(stacks: readonly CheckedStack[]): Violation[] {
  const violations: Violation[] = [];
  for (const stack of stacks) {
    for (const invariant of STATIC_INVARIANTS) {
      const findings = invariant.check(stack);
      if (findings instanceof Promise) throw new Error(`${invariant.id} is not static`);
      for (const finding of findings) violations.push(violation(invariant, stack, finding));
    }
  }
  return [...violations, ...declarationViolations(stacks)];
}

function declarationViolations(stacks: readonly CheckedStack[]): Violation[] {
  const byName = new Map(stacks.map((s) => [s.name, s]));
  return DECLARATION_INVARIANTS.flatMap((invariant) =>
    invariant.check(stacks).map((finding) => violation(invariant, byName.get(finding.stack)!, finding)),
  );
}
