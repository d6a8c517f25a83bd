/**
 * The invariants that need the IAM engine and IAM metadata (development
 * dependencies): data flow, deploy completeness and the policies' fit to
 * IAM's metadata. `npm run check` and the tests run them after the static
 * set (check.ts).
 */
import { STATIC_INVARIANTS, checkInvariants } from "./check";
import { DATA_FLOW } from "./data-flow";
import { DEPLOY_COMPLETENESS } from "./deploy-completeness";
import { engineAvailable } from "./iam-engine";
import { IAM_METADATA } from "./iam-policies";
import { metadataAvailable } from "./iam-metadata";
import type { CheckedStack, Invariant, Violation } from "./invariant";

export const EVALUATED_INVARIANTS: readonly Invariant[] = [DATA_FLOW, DEPLOY_COMPLETENESS, IAM_METADATA];

/** Every invariant, static and evaluated, over the stacks of one declaration. */
export function checkAllInvariants(stacks: readonly CheckedStack[]): Promise<Violation[]> {
  return checkInvariants(stacks, [...STATIC_INVARIANTS, ...EVALUATED_INVARIANTS]);
}

/** Why the evaluated invariants cannot run here, or undefined when they can. */
export function evaluatedUnavailable(): string | undefined {
  if (engineAvailable() && metadataAvailable()) return undefined;
  return "the IAM engine and IAM metadata (development dependencies) are not installed: run npm ci to evaluate data flow, deploy completeness and policies";
}
