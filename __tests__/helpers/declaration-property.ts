/**
 * The property every declaration must have: it is refused with messages
 * that each name a field where it was written (or should be) and say what
 * is wrong, or it synthesizes stacks that pass every guardrail and satisfy
 * every invariant, static and evaluated. Shared by properties.test.ts and
 * `npm run fuzz` (scripts/fuzz.mjs).
 */
import { App } from "cdktf";
import { resolveDeclaration } from "../../modules/config/config";
import { ConfigError } from "../../modules/config/validation";
import { GuardrailError, assertCompliant, checkStack } from "../../modules/guardrails/check";
import { checkStaticInvariants } from "../../modules/invariants/check";
import { checkAllInvariants } from "../../modules/invariants/evaluated";
import { Violation, formatViolation } from "../../modules/invariants/invariant";
import { buildStacks, invariantStacks } from "../../modules/stacks/synthesis";

type Json = Record<string, any>;

/** Refused with these problems, or accepted: how many stacks, and the resource types they hold. */
export type Outcome = { readonly refused: readonly string[] } | { readonly stacks: number; readonly resourceTypes: readonly string[] };

const ROOT = "context.connectEncryption";
/** Violations shown of a failing declaration (a shrunk one usually has few; the first say what is wrong). */
const MAX_SHOWN = 12;
const PROBLEM = /^context\.connectEncryption((?:\.[^.:\s\[]+(?:\[\d+\])?)*): (.+)$/;

/** Whether a refusal names a field whose parent the declaration has, and says more than a word. */
export function unclearRefusal(declaration: Json, problem: string): string | undefined {
  const match = PROBLEM.exec(problem);
  if (!match) return `does not start with a field path under ${ROOT}`;
  if (match[2].trim().length < 12) return "says too little";
  const segments = match[1].split(".").filter(Boolean);
  // A missing field is named where it belongs: its parent may be missing too, but not its environment (or the bootstrap).
  const owner = segments[0] === "environments" ? 2 : 1;
  const present = match[2].startsWith("missing") ? segments.slice(0, Math.min(owner, segments.length - 1)) : segments.slice(0, -1);
  let node: unknown = declaration;
  for (const segment of present) {
    const [key, index] = segment.split(/\[(\d+)\]/);
    node = node && typeof node === "object" ? (node as Json)[key] : undefined;
    if (index !== undefined) node = Array.isArray(node) ? node[Number(index)] : undefined;
    if (node === undefined) return `names ${segment}, which the declaration does not have`;
  }
  return undefined;
}

/**
 * Synthesis runs the static invariants before it writes anything: a
 * declaration whose every violation is one the user can fix at a field the
 * declaration wrote (two environments that give one account and Region the
 * same key alias) is refused there, as clearly as by the schema. Any other
 * violation is the package's fault, and fails the property below.
 */
function synthesisRefusal(declaration: Json, violations: readonly Violation[]): string[] | undefined {
  if (violations.length === 0 || !violations.every((v) => v.field && writes(declaration, v.field))) return undefined;
  return violations.map((v) => `${v.field}: ${v.message} [${v.invariant}]`);
}

/** Whether the declaration itself holds the field (`context.connectEncryption.environments.prod.key.alias`). */
function writes(declaration: Json, field: string): boolean {
  let node: unknown = declaration;
  for (const segment of field.slice(ROOT.length + 1).split(".")) {
    if (!node || typeof node !== "object" || !(segment in node)) return false;
    node = (node as Json)[segment];
  }
  return true;
}

/** Checks the property on one declaration; throws an Error saying how it fails. */
export async function checkDeclaration(declaration: Json): Promise<Outcome> {
  let resolved;
  try {
    resolved = resolveDeclaration(declaration, "generated declaration");
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const unclear = error.problems.map((p) => [p, unclearRefusal(declaration, p)]).filter(([, why]) => why !== undefined);
    if (unclear.length > 0) throw new Error(`refused unclearly:\n${unclear.map(([p, why]) => `  ${p}\n    (${why})`).join("\n")}`);
    return { refused: error.problems };
  }
  const stacks = buildStacks(new App({ skipValidation: true }), resolved);
  const refusedAtSynthesis = synthesisRefusal(declaration, checkStaticInvariants(invariantStacks(declaration, stacks)));
  if (refusedAtSynthesis) return { refused: refusedAtSynthesis };
  const failing: string[] = [];
  try {
    assertCompliant(stacks.map((stack) => checkStack(stack)));
  } catch (error) {
    if (!(error instanceof GuardrailError)) throw error;
    failing.push(error.message);
  }
  const violations = await checkAllInvariants(invariantStacks(declaration, stacks, true));
  const problems = [...failing, ...violations.map(formatViolation)];
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_SHOWN).map((line) => `  ${line}`);
    const more = problems.length > MAX_SHOWN ? [`  ... and ${problems.length - MAX_SHOWN} more`] : [];
    throw new Error(`accepted, but:\n${[...shown, ...more].join("\n")}`);
  }
  const resourceTypes = [...new Set(stacks.flatMap((stack) => Object.keys(stack.toTerraform().resource ?? {})))].sort();
  return { stacks: stacks.length, resourceTypes };
}
