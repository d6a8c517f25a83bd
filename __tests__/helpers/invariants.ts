/**
 * Every stack of a declaration, built in memory as synthesis builds them,
 * and read by the invariants (with their deployer policies), as
 * `npm run check` reads a user's stacks.
 */
import { App } from "cdktf";
import { resolveDeclaration } from "../../modules/config/config";
import { checkAllInvariants } from "../../modules/invariants/evaluated";
import type { CheckedStack, Violation } from "../../modules/invariants/invariant";
import { buildStacks, invariantStacks } from "../../modules/stacks/synthesis";
import type { Json } from "./synth";

export function declarationStacks(declaration: Json): CheckedStack[] {
  const resolved = resolveDeclaration(declaration, "test declaration");
  return invariantStacks(declaration, buildStacks(new App({ skipValidation: true }), resolved), true);
}

/** Every invariant's violations over every stack of the declaration. */
export function violationsOf(declaration: Json): Promise<Violation[]> {
  return checkAllInvariants(declarationStacks(declaration));
}
