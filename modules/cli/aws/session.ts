/**
 * What the read-only commands (`npm run verify`, `npm run discover`) share:
 * how SDK clients are configured, how an environment is looked up in the
 * declaration, which account the credentials are for, and how a failure that
 * stops a run becomes one line for the user.
 */
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { AdoptedInstanceSettings, EnvironmentSettings, readDeclaration, resolveEnvironments } from "../../config/config";
import { CREDENTIAL_ERRORS } from "./calls";

/** Every SDK client of these commands: the environment's Region, and the standard retry mode's backoff on throttling (up to 5 attempts). */
export function clientConfig(region: string): { region: string; maxAttempts: number } {
  return { region, maxAttempts: 5 };
}

/** The named environment of a declaration file, validated whole; throws with a one-line reason. */
export function environmentNamed(configPath: string, name: string): EnvironmentSettings {
  const environments = resolveEnvironments(readDeclaration(configPath), configPath);
  const environment = environments.find((e) => e.name === name);
  if (!environment) {
    throw new Error(`${name} is not an environment of ${configPath}; declared: ${environments.map((e) => e.name).join(", ")}`);
  }
  return environment;
}

/** An environment whose instance is adopted (instance.adopt). */
export type AdoptedEnvironment = EnvironmentSettings & { readonly instance: AdoptedInstanceSettings };

/** An environment that adopts its instance, for the commands about the instance's existing storage; `purpose` says why in the refusal. */
export function adoptedEnvironmentNamed(configPath: string, name: string, purpose: string): AdoptedEnvironment {
  const environment = environmentNamed(configPath, name);
  if (environment.instance.kind !== "adopt") {
    throw new Error(`${name} creates its instance (instance.create); ${purpose} (instance.adopt)`);
  }
  return environment as AdoptedEnvironment;
}

/** The credentials' account and partition (sts:GetCallerIdentity needs no permission). */
export async function callerIdentity(sts: STSClient): Promise<{ account: string; partition: string; arn: string }> {
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  return { account: identity.Account ?? "", partition: identity.Arn?.split(":")[1] ?? "aws", arn: identity.Arn ?? "" };
}

/** Why the credentials cannot act on `environment` (another account than it declares), or undefined. */
export function accountMismatch(identity: { readonly account: string }, environment: EnvironmentSettings): string | undefined {
  if (environment.accountId === undefined || identity.account === environment.accountId) return undefined;
  return `the credentials are for account ${identity.account} but ${environment.name} is in account ${environment.accountId}`;
}

/** A refusal naming the IAM action (the verifier's MissingPermission), recognised by its shape. */
function missingAction(error: unknown): string | undefined {
  const action = (error as { action?: unknown }).action;
  return typeof action === "string" && (error as Error).message?.startsWith("missing permission") ? action : undefined;
}

/** One line for an error that stopped `command`: credentials, a missing permission, or the service's own words. */
export function failureMessage(command: string, error: unknown): string {
  const name = (error as { name?: string }).name ?? "Error";
  const action = missingAction(error);
  if (action) return `${command}: missing permission ${action}: allow it to the role you run ${command} with, then run again`;
  if (CREDENTIAL_ERRORS.has(name) || name === "CredentialsProviderError") {
    return `${command}: no usable AWS credentials (${name}): sign in (e.g. aws sso login) or set AWS_PROFILE, then run again`;
  }
  return `${command}: ${name}: ${String((error as Error).message ?? error).split("\n")[0]}`;
}
