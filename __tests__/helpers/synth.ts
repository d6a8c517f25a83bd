import { App, DefaultTokenResolver, StringConcat, Testing, Tokenization } from "cdktf";
import { resolveDeclaration, resolveEnvironments, EnvironmentSettings } from "../../modules/config/config";
import { ConfigError } from "../../modules/config/validation";
import { StateBootstrapStack, deployRoleSources } from "../../modules/stacks/state-bootstrap-stack";
import { ConnectEncryptionStack } from "../../modules/stacks/connect-encryption-stack";

export type Json = Record<string, any>;

/** A valid declaration for one environment `test`; `env` and `defaults` are merged over it. */
export function declaration(env: Json = {}, defaults: Json = {}): Json {
  return {
    defaults: { region: "eu-west-2", namePrefix: "acme", ...defaults },
    environments: {
      test: { instance: { create: { alias: "acme-connect-test" } }, ...env },
    },
  };
}

export function resolveOne(decl: Json): EnvironmentSettings {
  const [environment] = resolveEnvironments(decl, "test declaration");
  return environment;
}

export interface Synthesized {
  readonly stack: ConnectEncryptionStack;
  /** The stack's Terraform JSON. */
  readonly json: Json;
  /** A value with its tokens rendered as Terraform references, e.g. a policy document. */
  resolve(value: unknown): any;
}

/** Synthesizes the `test` environment of a declaration (`env` and `defaults` merged over a valid one). */
export function synth(env: Json = {}, defaults: Json = {}): Synthesized {
  const stack = new ConnectEncryptionStack(Testing.app(), resolveOne(declaration(env, defaults)));
  const json = JSON.parse(Testing.synth(stack));
  const resolve = (value: unknown): any =>
    Tokenization.resolve(value, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) });
  return { stack, json, resolve };
}

/** Full synthesis of every stack into `outdir`, as `npm run synth` does; returns each stack's name and Region. */
export function synthToDirectory(decl: Json, outdir: string): { stackName: string; region: string }[] {
  const { environments, stateBootstrap } = resolveDeclaration(decl, "test declaration");
  const app = new App({ outdir });
  const stacks = environments.map((environment) => new ConnectEncryptionStack(app, environment));
  if (stateBootstrap) new StateBootstrapStack(app, stateBootstrap, deployRoleSources(stateBootstrap, environments, stacks));
  app.synth();
  return [...(stateBootstrap ? [stateBootstrap] : []), ...environments];
}

/** The one resource of `type` in a stack, failing if there is not exactly one. */
export function only(stack: Json, type: string): Json {
  const all = Object.values<Json>(stack.resource?.[type] ?? {});
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** The problems a declaration is refused with (fails the test if it is accepted). */
export function problemsOf(decl: unknown): readonly string[] {
  try {
    resolveDeclaration(decl, "test declaration");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("the declaration was accepted");
}

/** The problems of the `test` environment of a declaration (`env` and `defaults` merged over a valid one). */
export function refuses(env: Json, defaults: Json = {}): readonly string[] {
  return problemsOf(declaration(env, defaults));
}
