/**
 * Evaluates the generated Terraform module (module/main.tf.json) under a set
 * of input values, as `terraform plan` would decide it, into a stack-like
 * JSON that the access matrix's StackModel and row helpers read:
 *
 * - input values: the module's `variable` blocks give the defaults and the
 *   type constraints; given values are converted by those constraints
 *   (optional object attributes become null), unknown or missing inputs fail;
 * - `local.*`: the module's `locals`, evaluated on demand;
 * - `count`: evaluated for every resource and data source; a block whose
 *   count is 0 is left out, one whose count is 1 is kept (without `count`);
 * - references through counted blocks: `x[*].attr` is `[]` for count 0 and
 *   `[x.attr]` for count 1, `x[0].attr` needs count 1, and a bare `x.attr`
 *   of a counted block is read only when it has exactly one instance (the
 *   matrix's discovery refers to existing resources that way; the module's
 *   own source is held to Terraform's rules by `terraform validate`);
 * - `count.index`: written as the instance's number; several instances are
 *   kept (as `name[0]`, `name[1]`, ...) only of types the matrix does not read;
 * - every `policy` / `assume_role_policy` of an existing resource is
 *   resolved into a concrete document in the returned JSON.
 *
 * Expressions are read with the module dialect of ./hcl (see its header for
 * exactly what is supported). Anything else fails loudly: `for_each`, a
 * count above 1 on a resource the matrix reads, `each.*`,
 * `self.*`, `module.*`, tuple `for` expressions, functions outside the list,
 * template directives. Variable `validation` blocks are NOT evaluated (the
 * module's own tests run them with real Terraform): a fixture must hold
 * values the module accepts.
 */
import { HclError, SPLAT, evaluateModuleAttribute, step } from "../../../modules/invariants/hcl";
import { Facts, Json, PolicyDocument, StackModel } from "../../../modules/invariants/stack-model";

// ---- type constraints -------------------------------------------------------------------------

type TypeConstraint =
  | { kind: "string" | "number" | "bool" }
  | { kind: "list" | "map"; element: TypeConstraint }
  | { kind: "object"; attributes: Record<string, { type: TypeConstraint; optional: boolean }> };

/** Parses the type constraints the module's variables use: string, number, bool, list(), map(), object({... optional() ...}). */
export function parseType(source: string): TypeConstraint {
  let pos = 0;
  const fail = (message: string): never => {
    throw new HclError(`type constraint ${JSON.stringify(source)}: ${message} at ${pos}`);
  };
  const space = () => {
    while (/\s/.test(source[pos] ?? "")) pos++;
  };
  const expect = (text: string) => {
    space();
    if (!source.startsWith(text, pos)) fail(`expected '${text}'`);
    pos += text.length;
  };
  const word = (): string => {
    space();
    const match = /^[a-z_][a-z0-9_]*/.exec(source.slice(pos));
    if (!match) return fail("expected a name");
    pos += match[0].length;
    return match[0];
  };
  const type = (): TypeConstraint => {
    const name = word();
    if (name === "string" || name === "number" || name === "bool") return { kind: name };
    if (name === "list" || name === "map") {
      expect("(");
      const element = type();
      expect(")");
      return { kind: name, element };
    }
    if (name === "object") {
      expect("(");
      expect("{");
      const attributes: Record<string, { type: TypeConstraint; optional: boolean }> = {};
      space();
      while (source[pos] !== "}") {
        const attribute = word();
        expect("=");
        space();
        let optional = false;
        let attributeType: TypeConstraint;
        if (source.startsWith("optional(", pos)) {
          pos += "optional(".length;
          optional = true;
          attributeType = type();
          space();
          if (source[pos] === ",") fail("optional() defaults are not supported");
          expect(")");
        } else attributeType = type();
        attributes[attribute] = { type: attributeType, optional };
        space();
        if (source[pos] === ",") pos++;
        space();
      }
      expect("}");
      expect(")");
      return { kind: "object", attributes };
    }
    return fail(`unsupported type ${name}`);
  };
  const result = type();
  space();
  if (pos !== source.length) fail("trailing input");
  return result;
}

/** Converts an input value by a type constraint (strictly: no string/number/bool conversions). */
export function convert(value: unknown, type: TypeConstraint, what: string): unknown {
  if (value === null) return null;
  const fail = (): never => {
    throw new HclError(`${what}: ${JSON.stringify(value)} does not fit ${type.kind}`);
  };
  switch (type.kind) {
    case "string":
    case "number":
    case "bool":
      return typeof value === (type.kind === "bool" ? "boolean" : type.kind) ? value : fail();
    case "list":
      return Array.isArray(value) ? value.map((item, i) => convert(item, type.element, `${what}[${i}]`)) : fail();
    case "map":
      if (typeof value !== "object" || Array.isArray(value)) return fail();
      return Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, convert(v, type.element, `${what}.${k}`)]));
    case "object": {
      if (typeof value !== "object" || Array.isArray(value)) return fail();
      const given = value as Json;
      for (const key of Object.keys(given)) {
        if (!(key in type.attributes)) throw new HclError(`${what}: unexpected attribute ${key}`);
      }
      const out: Json = {};
      for (const [name, attribute] of Object.entries(type.attributes)) {
        if (given[name] === undefined && !attribute.optional) throw new HclError(`${what}: attribute ${name} is required`);
        out[name] = given[name] === undefined ? null : convert(given[name], attribute.type, `${what}.${name}`);
      }
      return out;
    }
  }
}

/** The module's input values: defaults from its `variable` blocks, overridden by `given`. */
export function moduleInputs(module: Json, given: Json): Json {
  const variables: Record<string, Json> = module.variable ?? {};
  for (const name of Object.keys(given)) {
    if (!(name in variables)) throw new HclError(`the module has no variable ${name}`);
  }
  const inputs: Json = {};
  for (const [name, block] of Object.entries(variables)) {
    if (!(name in given) && !("default" in block)) throw new HclError(`variable ${name} is required`);
    const raw = name in given ? given[name] : block.default;
    if (typeof block.type !== "string") throw new HclError(`variable ${name} has no type constraint`);
    if (raw === null && block.nullable === false) throw new HclError(`variable ${name} may not be null`);
    inputs[name] = convert(raw, parseType(block.type), `var.${name}`);
  }
  return inputs;
}

// ---- the model -------------------------------------------------------------------------------

/** Resource types with several instances that the matrix never reads (left out of the stack-like JSON). */
const UNREAD_MULTI_INSTANCE_TYPES = ["aws_sns_topic_subscription"];

interface ModuleContext {
  readonly module: Json;
  readonly inputs: Json;
  /** The evaluated `count` of each block ("resource.type.name" / "data.type.name"), undefined without one. */
  readonly counts?: ReadonlyMap<string, number | undefined>;
}

/** A StackModel over (part of) the module: reads the module dialect and resolves `var.*`, `local.*` and counted references. */
export class ModuleStackModel extends StackModel {
  private readonly locals = new Map<string, unknown>();
  private readonly evaluatingLocals = new Set<string>();
  private readonly countCache = new Map<string, number | undefined>();

  constructor(
    json: Json,
    facts: Facts,
    private readonly context: ModuleContext,
  ) {
    super(json, facts);
  }

  get inputs(): Json {
    return this.context.inputs;
  }

  protected override evaluateString(source: string): unknown {
    return evaluateModuleAttribute(source, (path) => this.resolve(path));
  }

  /** The evaluated `count` of a block (undefined when it has none). */
  countOf(kind: "resource" | "data", type: string, name: string): number | undefined {
    const key = `${kind}.${type}.${name}`;
    if (this.context.counts) {
      if (!this.context.counts.has(key)) throw new HclError(`reference to missing ${kind} ${type}.${name}`);
      return this.context.counts.get(key);
    }
    if (this.countCache.has(key)) return this.countCache.get(key);
    const block = this.context.module[kind]?.[type]?.[name];
    if (!block) throw new HclError(`reference to missing ${kind} ${type}.${name}`);
    if (block.for_each !== undefined) throw new HclError(`${key}: for_each is not supported`);
    let count: number | undefined;
    if (block.count !== undefined) {
      const value = this.value(block.count);
      if (typeof value !== "number" || !Number.isInteger(value) || value < 0) throw new HclError(`${key}: count ${JSON.stringify(value)}`);
      count = value;
    }
    this.countCache.set(key, count);
    return count;
  }

  local(name: string): unknown {
    if (this.locals.has(name)) return this.locals.get(name);
    const source = this.context.module.locals?.[name];
    if (source === undefined) throw new HclError(`no local ${name}`);
    if (this.evaluatingLocals.has(name)) throw new HclError(`local ${name} refers to itself`);
    this.evaluatingLocals.add(name);
    try {
      const value = this.value(source);
      this.locals.set(name, value);
      return value;
    } finally {
      this.evaluatingLocals.delete(name);
    }
  }

  override resolve(path: readonly (string | number)[]): unknown {
    const [root] = path;
    if (root === "var") {
      const name = String(path[1]);
      if (!(name in this.context.inputs)) throw new HclError(`no variable ${name}`);
      return path.slice(2).reduce(step, this.context.inputs[name]);
    }
    if (root === "local") return path.slice(2).reduce(step, this.local(String(path[1])));
    if (["count", "each", "self", "module", "path", "terraform"].includes(String(root))) {
      throw new HclError(`unsupported reference ${path.join(".")}`);
    }
    const kind = root === "data" ? "data" : "resource";
    const head = kind === "data" ? 3 : 2;
    const base = path.slice(0, head);
    const [type, name] = kind === "data" ? [String(path[1]), String(path[2])] : [String(path[0]), String(path[1])];
    const count = this.countOf(kind, type, name);
    const next = path[head];
    const rest = path.slice(head + 1);
    if (next === SPLAT) {
      if (count === 0) return [];
      if (count !== undefined && count > 1) throw new HclError(`${path.join(".")}: a splat over ${count} instances is not supported`);
      return [super.resolve([...base, ...rest])];
    }
    if (typeof next === "number") {
      if (count === undefined) throw new HclError(`${path.join(".")}: index into a block without count`);
      if (next >= count) throw new HclError(`${path.join(".")}: index ${next} of ${count} instances`);
      if (count > 1) throw new HclError(`${path.join(".")}: ${count} instances are not supported`);
      return super.resolve([...base, ...rest]);
    }
    // A bare reference to a counted block: Terraform's validation (run by the module's own tests)
    // refuses it in module source; the matrix's discovery uses it for an existing single instance.
    if (count !== undefined && count !== 1) throw new HclError(`${path.join(".")}: a bare reference to a block with ${count} instances`);
    return super.resolve(path);
  }
}

/**
 * A block's instances, keyed as Terraform addresses them within the type
 * (`name`, or `name[0]`, `name[1]`, ... when `indexed`), each with
 * `count.index` written as its number: a block kept with count 1 is its one
 * instance, and one of several (only of types the matrix does not read) is
 * each of them, for the invariants that read every resource.
 */
function instancesOf(name: string, block: Json, count: number | undefined, indexed: boolean): [string, Json][] {
  const withIndex = (value: unknown, index: number): unknown => {
    if (typeof value === "string") return value.replace(/\bcount\.index\b/g, String(index));
    if (Array.isArray(value)) return value.map((v) => withIndex(v, index));
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withIndex(v, index)]));
    return value;
  };
  return Array.from({ length: count ?? 1 }, (_, index) => {
    // Without a count, count.index stays, to be refused where it is read (as Terraform refuses it).
    const copy = (count === undefined ? { ...block } : withIndex({ ...block }, index)) as Json;
    delete copy.count;
    return [indexed ? `${name}[${index}]` : name, copy];
  });
}

/** Makes a resolved value a literal again for the stack-like JSON (`${` becomes `$${`). */
function literal(value: unknown): unknown {
  if (typeof value === "string") {
    if (value.includes("%{")) throw new HclError(`cannot write ${JSON.stringify(value)} back as a literal`);
    return value.split("${").join("$${");
  }
  if (Array.isArray(value)) return value.map(literal);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, literal(v)]));
  return value;
}

const POLICY_ATTRIBUTES = ["policy", "assume_role_policy"];

export interface EvaluatedModule {
  /** The input values used (defaults and given values, converted). */
  readonly inputs: Json;
  /** Instances of every resource and data source ("aws_x.name" / "data.aws_x.name"): the evaluated count, or 1. */
  readonly instances: Readonly<Record<string, number>>;
  /** Stack-like Terraform JSON: a provider with `region`, the existing data sources and resources, policies resolved. */
  readonly json: Json;
  /** The access matrix's model of `json` (resolves the module's remaining expressions on demand). */
  readonly model: ModuleStackModel;
}

/**
 * Evaluates the module under `given` input values, in `region`, for the
 * fixture `facts`; `aliases` are the caller's other providers (a composed
 * root's `aws.dr`: compose.ts).
 */
export function evaluateModule(
  module: Json,
  given: Json,
  facts: Facts,
  region: string,
  aliases: readonly { readonly alias: string; readonly region: string }[] = [],
): EvaluatedModule {
  for (const key of Object.keys(module)) {
    if (!["data", "locals", "output", "resource", "terraform", "variable"].includes(key))
      throw new HclError(`unsupported module block ${key}`);
  }
  if (module.provider) throw new HclError("the module declares a provider: not modelled");
  const inputs = moduleInputs(module, given);
  const provider = { aws: [{ region }, ...aliases] };
  const full = new ModuleStackModel({ ...module, provider }, facts, { module, inputs });

  const counts = new Map<string, number | undefined>();
  const instances: Record<string, number> = {};
  const kept: Json = { data: {}, resource: {} };
  for (const kind of ["data", "resource"] as const) {
    for (const [type, blocks] of Object.entries<Json>(module[kind] ?? {})) {
      for (const [name, block] of Object.entries<Json>(blocks)) {
        const count = full.countOf(kind, type, name);
        counts.set(`${kind}.${type}.${name}`, count);
        instances[`${kind === "data" ? "data." : ""}${type}.${name}`] = count ?? 1;
        if (count === 0) continue;
        if (count !== undefined && count > 1 && !(kind === "resource" && UNREAD_MULTI_INSTANCE_TYPES.includes(type))) {
          throw new HclError(`${kind}.${type}.${name}: ${count} instances of a block the matrix may read are not supported`);
        }
        for (const [address, copy] of instancesOf(name, block, count, count !== undefined && count > 1))
          (kept[kind][type] ??= {})[address] = copy;
      }
    }
  }

  const context: ModuleContext = { module, inputs, counts };
  const pruned: Json = { locals: module.locals, variable: module.variable, provider, ...kept };
  const reader = new ModuleStackModel(pruned, facts, context);
  const resource: Json = {};
  for (const [type, blocks] of Object.entries<Json>(pruned.resource)) {
    resource[type] = {};
    for (const [name, block] of Object.entries<Json>(blocks)) {
      const copy: Json = { ...block };
      for (const attribute of POLICY_ATTRIBUTES) {
        if (copy[attribute] === undefined) continue;
        const document: PolicyDocument = reader.policy(copy[attribute], `${type}.${name}.${attribute}`);
        copy[attribute] = literal(document);
      }
      resource[type][name] = copy;
    }
  }
  const json: Json = { ...pruned, resource };
  return { inputs, instances, json, model: new ModuleStackModel(json, facts, context) };
}
