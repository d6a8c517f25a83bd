/**
 * fast-check arbitraries read off the declaration's schema (valibot): every
 * field of a group is generated, from its own rule (a picklist's options, an
 * integer's range, a string's pattern, a list of its items) unless an
 * override names it. A field added to the schema is therefore generated too;
 * one whose rule cannot be generated (a pattern with a lookahead, which
 * fast-check's stringMatching cannot invert) stops the build and names its
 * path, so that an override is written for it.
 */
import fc from "fast-check";
import * as v from "valibot";

type Schema = Record<string, any>;
export type Overrides = (path: string) => fc.Arbitrary<unknown> | undefined;

/** The structural schema behind optional(), pipe() and our plainObject() wrapper, and the checks piped onto it. */
export function core(schema: Schema): { base: Schema; actions: Schema[] } {
  if (schema.type === "optional") return core(schema.wrapped);
  if (!schema.pipe) return { base: schema, actions: [] };
  const schemas = schema.pipe.filter((p: Schema) => p.kind === "schema");
  const actions = schema.pipe.filter((p: Schema) => p.kind !== "schema");
  const structural = schemas.filter((p: Schema) => p.type !== "custom");
  const inner = structural.length > 0 ? structural[structural.length - 1] : schemas[0];
  if (inner === schema.pipe[0] && inner.pipe === undefined) return { base: inner, actions };
  const deeper = core(inner);
  return { base: deeper.base, actions: [...deeper.actions, ...actions] };
}

const requirement = (actions: Schema[], type: string): any => actions.find((a) => a.type === type)?.requirement;

/** A string of the field's own rule: its pattern, without lookaheads (kept as a filter), and every other check. */
function stringArbitrary(schema: Schema, actions: Schema[], path: string): fc.Arbitrary<string> {
  const pattern: RegExp | undefined = requirement(actions, "regex");
  if (!pattern) return fc.string({ maxLength: 20 }).filter((s) => v.is(schema as v.GenericSchema, s));
  const withoutLookaheads = new RegExp(pattern.source.replace(/\(\?![^()]*\)/g, ""), pattern.flags);
  try {
    return fc.stringMatching(withoutLookaheads).filter((s) => v.is(schema as v.GenericSchema, s));
  } catch (error) {
    throw new Error(`${path}: cannot generate strings of ${pattern} (${(error as Error).message}); give it an override`);
  }
}

/** An arbitrary of the values `schema` accepts at `path` (dotted, relative to where the walk began). */
export function schemaArbitrary(schema: Schema, path: string, overrides: Overrides): fc.Arbitrary<unknown> {
  const override = overrides(path);
  if (override) return override;
  const { base, actions } = core(schema);
  const at = (key: string) => (path ? `${path}.${key}` : key);
  switch (base.type) {
    case "strict_object": {
      const entries = Object.fromEntries(
        Object.entries(base.entries).map(([key, entry]) => [key, schemaArbitrary(entry as Schema, at(key), overrides)]),
      );
      return fc.record(entries, { requiredKeys: [] });
    }
    case "picklist":
      return fc.constantFrom(...(base.options as unknown[]));
    case "boolean":
      return fc.boolean();
    case "number":
      return fc.integer({ min: requirement(actions, "min_value") ?? 0, max: requirement(actions, "max_value") ?? 1000 });
    case "string":
      return stringArbitrary(schema, actions, path);
    case "array":
      return fc.uniqueArray(schemaArbitrary(base.item, `${path}[]`, overrides), { maxLength: 2 });
    case "record":
      return fc.dictionary(
        schemaArbitrary(base.key, `${path}.<key>`, overrides) as fc.Arbitrary<string>,
        schemaArbitrary(base.value, `${path}.<value>`, overrides),
        { maxKeys: 2 },
      );
    default:
      throw new Error(`${path}: no arbitrary for a ${base.type} field; give it an override`);
  }
}

/** Every leaf path of a schema (lists as `[]`, map keys as `<key>`), for the coverage check. */
export function leafPaths(schema: Schema, path = ""): string[] {
  const { base } = core(schema);
  const at = (key: string) => (path ? `${path}.${key}` : key);
  if (base.type === "strict_object") return Object.entries(base.entries).flatMap(([key, entry]) => leafPaths(entry as Schema, at(key)));
  if (base.type === "array" && core(base.item).base.type === "strict_object") return leafPaths(base.item, `${path}[]`);
  if (base.type === "record" && core(base.value).base.type === "strict_object") return leafPaths(base.value, `${path}.<key>`);
  return [path];
}
