/**
 * Entry point: reads the declaration in cdktf.json, validates all of it, and
 * only then builds the stacks: one per environment, and the state bootstrap
 * stack when one is declared (the Terraform module is rendered by
 * `npm run render`, not here: synthesis pays only for the user's stacks). Arguments (or CONNECT_ENVIRONMENTS, comma
 * separated) narrow synthesis to some environments: `npm run synth -- prod`;
 * `state` names the bootstrap stack; the directories of stacks left out are
 * removed (see modules/synthesis.ts). An invalid declaration or an unknown
 * name exits non-zero before anything is written. It ends with one line per
 * stack written, then the warnings.
 */
import { ConfigError } from "./modules/config/validation";
import { GuardrailError } from "./modules/guardrails/check";
import { InvariantError } from "./modules/invariants/invariant";
import { synthesisSummary, synthesizeDeclaration } from "./modules/stacks/synthesis";
import { skipTokenStackTraces } from "./modules/stacks/token-stack-traces";

skipTokenStackTraces();

const configPath = process.env.CONNECT_ENCRYPTION_CONFIG ?? "cdktf.json";
const requested = [...process.argv.slice(2), ...(process.env.CONNECT_ENVIRONMENTS ?? "").split(",")].filter(Boolean);

try {
  const result = synthesizeDeclaration(configPath, { requested });
  const { out, err } = synthesisSummary(result);
  process.stdout.write(`${out.join("\n")}\n`);
  for (const line of err) process.stderr.write(`${line}\n`);
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof GuardrailError || error instanceof InvariantError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
