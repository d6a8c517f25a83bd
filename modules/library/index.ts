/**
 * connect-kms-encryption as a library: the stacks of a declaration, added to
 * an App of your own (one that holds other stacks too), the same stacks
 * `npm run synth` writes from cdktf.json. The declaration is the object
 * cdktf.json holds under context.connectEncryption (docs/configuration.md),
 * validated by the same schema: a mistake is refused with the field where it
 * is written, before anything is added.
 *
 *   const app = new App();
 *   const encryption = addConnectEncryptionStacks(app, { environments: { prod: { ... } } });
 *   app.synth();
 *   encryption.writeReports();
 */
import { App, TerraformStack } from "cdktf";
import type { DeclarationInput, EnvironmentInput, StateBootstrapInput } from "../config/config-schema";
import { writeReports } from "../guardrails/check";
import { writeDeployerPolicies } from "../stacks/deployer-policy";
import { addSelectedStacks, selectDeclaration } from "../stacks/synthesis";

export { ConfigError } from "../config/validation";
export { GuardrailError } from "../guardrails/check";
export { InvariantError } from "../invariants/invariant";

/** The declaration: shared defaults, one entry per environment, and the optional state bootstrap. */
export type ConnectEncryptionDeclaration = DeclarationInput;
/** One environment of the declaration (and the shape of its defaults). */
export type EnvironmentDeclaration = EnvironmentInput;
/** The state bootstrap of the declaration. */
export type StateBootstrapDeclaration = StateBootstrapInput;

export interface AddConnectEncryptionStacksOptions {
  /**
   * Only these environments' stacks; `state` names the state bootstrap stack.
   * @default every stack of the declaration
   */
  readonly environments?: readonly string[];
  /**
   * What refusals call the declaration, and where the field paths they name start
   * (`declaration.environments.prod.key.rotationPeriodInDays`).
   * @default "declaration"
   */
  readonly name?: string;
}

/** The stacks added, with what the declaration warns about and the files that go beside them. */
export interface ConnectEncryptionStacks {
  /** The stacks, the state bootstrap first, then the environments in name order. */
  readonly stacks: readonly TerraformStack[];
  /** Warnings about the declaration (e.g. alerts that rely on a trail the stacks do not create). */
  readonly warnings: readonly string[];
  /**
   * After `app.synth()`: writes each stack's compliance report (compliance/<stack>.json and .md)
   * and its deployer IAM policy (beside its cdk.tf.json) into the app's output directory.
   */
  writeReports(): void;
}

/**
 * Adds the declaration's stacks to `app`, after validating the whole
 * declaration and running the guardrails and the static invariants on them.
 * Throws a ConfigError, a GuardrailError or an InvariantError (each naming
 * what to change); the app must then not be synthesized.
 */
export function addConnectEncryptionStacks(
  app: App,
  declaration: ConnectEncryptionDeclaration,
  options: AddConnectEncryptionStacksOptions = {},
): ConnectEncryptionStacks {
  const name = options.name ?? "declaration";
  const selection = selectDeclaration(declaration, options.environments ?? [], `the ${name} given to addConnectEncryptionStacks`, name);
  const added = addSelectedStacks(app, declaration, selection);
  return {
    stacks: added.stacks,
    warnings: added.warnings,
    writeReports: () => {
      writeReports(app.outdir, added.compliance);
      writeDeployerPolicies(app.outdir, added.stacks);
    },
  };
}
