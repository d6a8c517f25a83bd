/**
 * How problems with the declaration are collected and reported. The rules of
 * each field live in the schema (config-schema.ts); the resolvers only add the
 * problems of rules across fields and environments.
 */

/** Builds the path at which a configuration field was written (in an environment, or in the defaults). */
export type At = (...segments: string[]) => string;

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid configuration in ${source}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export class Problems {
  private readonly list: string[] = [];

  /** Records a problem once: a rule broken in the defaults is reported once, not per environment that inherits it. */
  add(path: string, message: string): void {
    this.addLine(`${path}: ${message}`);
  }

  addLine(line: string): void {
    if (!this.list.includes(line)) this.list.push(line);
  }

  get all(): readonly string[] {
    return this.list;
  }

  throwIfAny(source: string): void {
    if (this.list.length > 0) throw new ConfigError(source, this.list);
  }
}

import { show } from "./schema-fields";
export { show };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Where a field of an environment was written: under the environment, or in the defaults it inherits. */
export type Written = (environment: string, ...segments: string[]) => string;

/** The path of a field as the user wrote it: in the environment, else in the defaults. */
export function writtenAt(declaration: unknown, root: string): Written {
  const lookup = (node: unknown, segments: string[]): unknown =>
    segments.reduce((value, s) => (isPlainObject(value) ? value[s] : undefined), node);
  return (environment, ...segments) => {
    const top = isPlainObject(declaration) ? declaration : {};
    const own = lookup(isPlainObject(top.environments) ? top.environments[environment] : undefined, segments);
    const inDefaults = own === undefined && lookup(top.defaults, segments) !== undefined;
    return [inDefaults ? `${root}.defaults` : `${root}.environments.${environment}`, ...segments].join(".");
  };
}
