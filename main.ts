/**
 * Entry point: reads the declaration in cdktf.json, validates all of it, and
 * only then builds one stack per environment. An invalid declaration exits
 * non-zero before anything is written.
 */
import { App } from "cdktf";
import { readDeclaration, resolveEnvironments } from "./modules/config";
import { ConfigError } from "./modules/validation";
import { ConnectEncryptionStack } from "./modules/connect-encryption-stack";

const configPath = process.env.CONNECT_ENCRYPTION_CONFIG ?? "cdktf.json";

try {
  const environments = resolveEnvironments(readDeclaration(configPath), configPath);
  for (const warning of environments.flatMap((e) => e.warnings)) process.stderr.write(`Warning: ${warning}\n`);
  const app = new App();
  for (const environment of environments) new ConnectEncryptionStack(app, environment);
  app.synth();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
