/**
 * Small readers for untrusted configuration. Each one checks a value at a
 * named path, records a problem that says what was wrong and what is allowed,
 * and returns the typed value (or undefined, so checking can go on and every
 * problem is reported in one run).
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

/** An object whose keys must all be in `allowed`. */
export function readObject(
  problems: Problems,
  path: string,
  value: unknown,
  allowed: readonly string[],
  noun = "field",
): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) {
    problems.add(path, `${show(value)} is not an object; expected an object with ${noun}s ${allowed.join(", ")}`);
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      problems.add(`${path}.${key}`, `unknown ${noun}; allowed ${noun}s: ${allowed.join(", ")}`);
    }
  }
  return value;
}

export function readBoolean(problems: Problems, path: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === "boolean") return value;
  problems.add(path, `${show(value)} is not a boolean; allowed: true or false`);
  return undefined;
}

export function readInteger(problems: Problems, path: string, value: unknown, min: number, max: number, unit: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    problems.add(path, `${show(value)} is out of range; allowed: an integer from ${min} to ${max} (${unit})`);
    return undefined;
  }
  return value;
}

export function readString(problems: Problems, path: string, value: unknown, pattern: RegExp, allowed: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !pattern.test(value)) {
    problems.add(path, `${show(value)} is not allowed; allowed: ${allowed}`);
    return undefined;
  }
  return value;
}

export function readEnum<T extends string>(problems: Problems, path: string, value: unknown, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    problems.add(path, `${show(value)} is not allowed; allowed: ${allowed.join(", ")}`);
    return undefined;
  }
  return value as T;
}

export function readStringList(problems: Problems, path: string, value: unknown, pattern: RegExp, allowed: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    problems.add(path, `${show(value)} is not a list; expected a list of ${allowed}`);
    return undefined;
  }
  const items = value.map((item, index) => readString(problems, `${path}[${index}]`, item, pattern, allowed));
  if (items.some((item) => item === undefined)) return undefined;
  const seen = new Set<string>();
  for (const item of items as string[]) {
    if (seen.has(item)) problems.add(path, `${show(item)} is listed twice; list each entry once`);
    seen.add(item);
  }
  return items as string[];
}

export function readStringMap(
  problems: Problems,
  path: string,
  value: unknown,
  keyPattern: RegExp,
  valuePattern: RegExp,
  allowed: string,
): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) {
    problems.add(path, `${show(value)} is not an object; expected a map of ${allowed}`);
    return undefined;
  }
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (!keyPattern.test(key)) {
      problems.add(`${path}.${key}`, `the key is not allowed; allowed: ${allowed}`);
      continue;
    }
    const checked = readString(problems, `${path}.${key}`, item, valuePattern, allowed);
    if (checked !== undefined) result[key] = checked;
  }
  return result;
}
