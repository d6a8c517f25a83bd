/**
 * Entry point: reads the declaration in cdktf.json, validates all of it, and
 * only then builds the stacks: one per environment, and the state bootstrap
 * stack when one is declared, and regenerates the Terraform module in
 * module/ (from the same constructs). Arguments (or CONNECT_ENVIRONMENTS, comma
 * separated) narrow synthesis to some environments: `npm run synth -- prod`;
 * `state` names the bootstrap stack. An invalid declaration or an unknown
 * name exits non-zero before anything is written.
 */
import { App } from "cdktf";
import { readDeclaration, resolveDeclaration, selectStacks } from "./modules/config";
import { ConfigError } from "./modules/validation";
import { GuardrailError, assertCompliant, checkStack, writeReports } from "./modules/guardrails/check";
import { ConnectEncryptionStack } from "./modules/connect-encryption-stack";
import { StateBootstrapStack } from "./modules/state-bootstrap-stack";
import { writeModule } from "./modules/connect-encryption-module";
import { writeDeployerPolicies } from "./modules/deployer-policy";
import { skipTokenStackTraces } from "./modules/token-stack-traces";

skipTokenStackTraces();

const configPath = process.env.CONNECT_ENCRYPTION_CONFIG ?? "cdktf.json";
const requested = [...process.argv.slice(2), ...(process.env.CONNECT_ENVIRONMENTS ?? "").split(",")].filter(Boolean);

try {
  const declaration = resolveDeclaration(readDeclaration(configPath), configPath);
  const { environments, stateBootstrap } = selectStacks(declaration, requested, configPath);
  for (const warning of environments.flatMap((e) => e.warnings)) process.stderr.write(`Warning: ${warning}\n`);
  // Our own validation has run; cdktf's would add a `terraform version` call
  // (for the cloud block), which makes synthesis need Terraform installed.
  const app = new App({ skipValidation: true });
  const stacks = [
    ...(stateBootstrap ? [new StateBootstrapStack(app, stateBootstrap)] : []),
    ...environments.map((environment) => new ConnectEncryptionStack(app, environment)),
  ];
  // Guardrails run on the rendered stacks before anything is written.
  const compliance = stacks.map((stack) => checkStack(stack));
  assertCompliant(compliance);
  app.synth();
  writeReports(app.outdir, compliance);
  writeDeployerPolicies(app.outdir, stacks);
  if (requested.length === 0) writeModule(process.cwd());
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof GuardrailError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
