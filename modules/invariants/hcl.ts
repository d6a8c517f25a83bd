/**
 * A parser and evaluator for exactly the subset of Terraform expression
 * syntax that cdktf writes into policy attributes, e.g.
 *
 *   ${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Principal" = {"AWS" = aws_iam_role.r.arn}}]})}
 *
 * Supported: template strings with `${...}` interpolations, object literals
 * with quoted keys (`{"k" = v, ...}`), tuples, numbers, `true`/`false`/`null`,
 * references (`data.x.y.attr`, `aws_iam_role.name.arn`, `x[0]`), calls of
 * `jsonencode`, `one`, `tostring`, conditionals `c ? a : b` with `==` / `!=`
 * / `!` / `&&` / `||`. Anything else throws, so a policy the matrix cannot
 * read fails the suite instead of being skipped.
 *
 * The MODULE dialect (`parseModuleTemplate`, `evaluateModuleAttribute`), for
 * the generated Terraform module (module/main.tf.json), adds what that module
 * writes and nothing more: splats `x[*].attr` (a `"*"` step in a reference
 * path, for the resolver to expand over the resource's `count`), dynamic
 * indexes `x[expr]` and attribute access on values, comparisons `<` `>` `<=`
 * `>=`, object `for` expressions `{ for k, v in m : k => v }` (no `if`, no
 * `...` grouping), and the functions `concat`, `element`, `length`, `coalesce`, `try`,
 * `trimprefix`, `contains`, `keys`, `lookup`. The stack dialect still refuses all of them.
 */

export type Expr =
  | { kind: "literal"; value: string | number | boolean | null }
  | { kind: "template"; parts: (string | Expr)[] }
  | { kind: "object"; entries: [Expr, Expr][] }
  | { kind: "tuple"; items: Expr[] }
  | { kind: "ref"; path: (string | number)[] }
  | { kind: "call"; name: string; args: Expr[] }
  | { kind: "unary"; op: "!" | "-"; operand: Expr }
  | { kind: "binary"; op: "==" | "!=" | "&&" | "||" | "<" | ">" | "<=" | ">="; left: Expr; right: Expr }
  | { kind: "conditional"; test: Expr; then: Expr; else: Expr }
  | { kind: "index"; base: Expr; key: Expr }
  | { kind: "getattr"; base: Expr; name: string }
  | { kind: "forObject"; keyVar: string; valueVar: string; collection: Expr; key: Expr; value: Expr };

export class HclError extends Error {}
/** A dynamic lookup failure (missing attribute or key, index out of range): the only error `try()` absorbs. */
export class HclLookupError extends HclError {}

/** The step of a reference path written `[*]` (module dialect only). */
export const SPLAT = "*";

class Parser {
  private pos = 0;
  constructor(
    private readonly src: string,
    private readonly moduleSyntax = false,
  ) {}

  fail(message: string): never {
    throw new HclError(`${message} at offset ${this.pos}: ...${this.src.slice(Math.max(0, this.pos - 30), this.pos + 30)}...`);
  }

  private skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos])) this.pos++;
  }

  private peek(text: string): boolean {
    this.skipSpace();
    return this.src.startsWith(text, this.pos);
  }

  private expect(text: string): void {
    if (!this.peek(text)) this.fail(`expected '${text}'`);
    this.pos += text.length;
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.src.length;
  }

  /** A template (the content of a JSON string attribute): literal text and `${expr}`, until `stop` or the end. */
  template(stop: string | undefined): Expr {
    const parts: (string | Expr)[] = [];
    let text = "";
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos];
      if (stop !== undefined && ch === stop) break;
      if (this.src.startsWith("$${", this.pos)) {
        text += "${";
        this.pos += 3;
      } else if (this.src.startsWith("${", this.pos)) {
        if (text) parts.push(text);
        text = "";
        this.pos += 2;
        parts.push(this.expression());
        this.expect("}");
      } else if (this.src.startsWith("%{", this.pos)) {
        this.fail("template directives are not supported");
      } else if (stop !== undefined && ch === "\\") {
        text += this.escape();
      } else {
        text += ch;
        this.pos++;
      }
    }
    if (text) parts.push(text);
    return { kind: "template", parts };
  }

  private escape(): string {
    const next = this.src[this.pos + 1];
    this.pos += 2;
    const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\" };
    if (next in simple) return simple[next];
    if (next === "u") {
      const hex = this.src.slice(this.pos, this.pos + 4);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("bad \\u escape");
      this.pos += 4;
      return String.fromCharCode(parseInt(hex, 16));
    }
    return this.fail(`unsupported escape \\${next}`);
  }

  expression(): Expr {
    const test = this.or();
    if (this.peek("?")) {
      this.pos++;
      const thenExpr = this.expression();
      this.expect(":");
      const elseExpr = this.expression();
      return { kind: "conditional", test, then: thenExpr, else: elseExpr };
    }
    return test;
  }

  private or(): Expr {
    let left = this.and();
    while (this.peek("||")) {
      this.pos += 2;
      left = { kind: "binary", op: "||", left, right: this.and() };
    }
    return left;
  }

  private and(): Expr {
    let left = this.equality();
    while (this.peek("&&")) {
      this.pos += 2;
      left = { kind: "binary", op: "&&", left, right: this.equality() };
    }
    return left;
  }

  private equality(): Expr {
    let left = this.comparison();
    for (;;) {
      if (this.peek("==")) {
        this.pos += 2;
        left = { kind: "binary", op: "==", left, right: this.comparison() };
      } else if (this.peek("!=")) {
        this.pos += 2;
        left = { kind: "binary", op: "!=", left, right: this.comparison() };
      } else return left;
    }
  }

  private comparison(): Expr {
    let left = this.unary();
    if (!this.moduleSyntax) return left;
    for (;;) {
      const op = (["<=", ">=", "<", ">"] as const).find((candidate) => this.peek(candidate));
      if (!op) return left;
      this.pos += op.length;
      left = { kind: "binary", op, left, right: this.unary() };
    }
  }

  private unary(): Expr {
    if (this.peek("!")) {
      this.pos++;
      return { kind: "unary", op: "!", operand: this.unary() };
    }
    return this.primary();
  }

  private primary(): Expr {
    this.skipSpace();
    const ch = this.src[this.pos];
    if (ch === "(") {
      this.pos++;
      const inner = this.expression();
      this.expect(")");
      return inner;
    }
    if (ch === '"') {
      this.pos++;
      const value = this.template('"');
      this.expect('"');
      return value;
    }
    if (ch === "{") return this.object();
    if (ch === "[") return this.tuple();
    if (ch === "-" || /[0-9]/.test(ch ?? "")) {
      const match = /^-?[0-9]+(\.[0-9]+)?/.exec(this.src.slice(this.pos));
      if (!match) this.fail("bad number");
      this.pos += match[0].length;
      return { kind: "literal", value: Number(match[0]) };
    }
    if (/[A-Za-z_]/.test(ch ?? "")) return this.identifierExpression();
    return this.fail(`unexpected character '${ch ?? "end of input"}'`);
  }

  private identifier(): string {
    const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.src.slice(this.pos));
    if (!match) this.fail("expected an identifier");
    this.pos += match[0].length;
    return match[0];
  }

  private identifierExpression(): Expr {
    const name = this.identifier();
    if (name === "true" || name === "false") return { kind: "literal", value: name === "true" };
    if (name === "null") return { kind: "literal", value: null };
    if (this.src[this.pos] === "(") {
      this.pos++;
      const args: Expr[] = [];
      while (!this.peek(")")) {
        args.push(this.expression());
        if (this.peek(",")) this.pos++;
        else break;
      }
      this.expect(")");
      return { kind: "call", name, args };
    }
    const path: (string | number)[] = [name];
    // Once a dynamic index is met, further steps apply to the value (module dialect).
    let dynamic: Expr | undefined;
    for (;;) {
      if (this.src[this.pos] === ".") {
        this.pos++;
        if (this.src[this.pos] === "*") this.fail("splat expressions are not supported");
        const attribute = this.identifier();
        if (dynamic) dynamic = { kind: "getattr", base: dynamic, name: attribute };
        else path.push(attribute);
      } else if (this.src[this.pos] === "[") {
        this.pos++;
        this.skipSpace();
        const match = /^[0-9]+(?=\s*\])/.exec(this.src.slice(this.pos));
        if (match && !dynamic) {
          this.pos += match[0].length;
          path.push(Number(match[0]));
        } else if (!this.moduleSyntax) {
          this.fail(this.src[this.pos] === "*" ? "splat expressions are not supported" : "only numeric indexes are supported");
        } else if (this.src[this.pos] === "*") {
          if (dynamic || path.includes(SPLAT)) this.fail("a splat after a dynamic index or another splat is not supported");
          this.pos++;
          path.push(SPLAT);
        } else {
          if (path.includes(SPLAT)) this.fail("an index after a splat is not supported");
          dynamic = { kind: "index", base: dynamic ?? { kind: "ref", path }, key: this.expression() };
        }
        this.expect("]");
      } else break;
    }
    return dynamic ?? { kind: "ref", path };
  }

  private object(): Expr {
    this.expect("{");
    this.skipSpace();
    if (/^for\s/.test(this.src.slice(this.pos))) {
      if (!this.moduleSyntax) this.fail("for expressions are not supported");
      return this.forObject();
    }
    const entries: [Expr, Expr][] = [];
    while (!this.peek("}")) {
      this.skipSpace();
      if (this.src[this.pos] !== '"') this.fail("object keys must be quoted strings");
      const key = this.primary();
      this.skipSpace();
      if (this.src[this.pos] === "=" || this.src[this.pos] === ":") this.pos++;
      else this.fail("expected '=' after an object key");
      entries.push([key, this.expression()]);
      if (this.peek(",")) this.pos++;
      else if (!this.peek("}")) this.fail("expected ',' or '}' in an object");
    }
    this.expect("}");
    return { kind: "object", entries };
  }

  /** `{ for k, v in collection : key => value }`, after the `{`. */
  private forObject(): Expr {
    this.pos += 3;
    this.skipSpace();
    let keyVar = this.identifier();
    let valueVar: string;
    if (this.peek(",")) {
      this.pos++;
      this.skipSpace();
      valueVar = this.identifier();
    } else {
      valueVar = keyVar;
      keyVar = "";
    }
    this.skipSpace();
    if (this.identifier() !== "in") this.fail("expected 'in'");
    const collection = this.expression();
    this.expect(":");
    const key = this.expression();
    this.expect("=>");
    const value = this.expression();
    if (this.peek("...")) this.fail("grouping (...) in for expressions is not supported");
    this.skipSpace();
    if (/^if\s/.test(this.src.slice(this.pos))) this.fail("if clauses in for expressions are not supported");
    this.expect("}");
    return { kind: "forObject", keyVar, valueVar, collection, key, value };
  }

  private tuple(): Expr {
    this.expect("[");
    this.skipSpace();
    if (/^for\s/.test(this.src.slice(this.pos))) this.fail("tuple for expressions are not supported");
    const items: Expr[] = [];
    while (!this.peek("]")) {
      items.push(this.expression());
      if (this.peek(",")) this.pos++;
      else if (!this.peek("]")) this.fail("expected ',' or ']' in a tuple");
    }
    this.expect("]");
    return { kind: "tuple", items };
  }
}

/** Parses a Terraform JSON string attribute (literal text with `${...}` interpolations). */
export function parseTemplate(source: string): Expr {
  return parsedOnce(source, false);
}

/** Parses a Terraform JSON string attribute of the generated module (module dialect, see the header). */
export function parseModuleTemplate(source: string): Expr {
  return parsedOnce(source, true);
}

/** Parsed templates, by dialect and source: stacks repeat the same references many times over (bounded: the oldest go first). */
const parsed = new Map<string, Expr>();
const MAX_PARSED = 20000;

function parsedOnce(source: string, moduleSyntax: boolean): Expr {
  const key = `${moduleSyntax ? "m" : "s"}${source}`;
  let expr = parsed.get(key);
  if (!expr) {
    expr = parse(source, moduleSyntax);
    if (parsed.size >= MAX_PARSED) parsed.delete(parsed.keys().next().value as string);
    parsed.set(key, expr);
  }
  return expr;
}

function parse(source: string, moduleSyntax: boolean): Expr {
  const parser = new Parser(source, moduleSyntax);
  const result = parser.template(undefined);
  if (!parser.atEnd()) parser.fail("trailing input");
  return result;
}

/** Resolves a reference path such as `["aws_iam_role", "replica_role", "arn"]` to a concrete value. */
export type RefResolver = (path: readonly (string | number)[]) => unknown;

type Fn = (args: unknown[]) => unknown;

const FUNCTIONS: Record<string, Fn> = {
  // The policy JSON is what we want, so jsonencode returns the value itself.
  jsonencode: ([value]) => value,
  one: ([list]) => {
    if (!Array.isArray(list) || list.length > 1) throw new HclError("one() needs a list of at most one element");
    return list.length === 0 ? null : list[0];
  },
  tostring: ([value]) => {
    if (typeof value === "object" && value !== null) throw new HclError("tostring() of a structure");
    return String(value);
  },
};

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function arity(name: string, args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) throw new HclError(`${name}() takes ${min === max ? min : `${min} to ${max}`} arguments`);
}

/** The functions of the module dialect (`try` is evaluated lazily by `evaluate`, not here). */
const MODULE_FUNCTIONS: Record<string, Fn> = {
  ...FUNCTIONS,
  concat: (args) => {
    if (!args.every(Array.isArray)) throw new HclError("concat() of a non-list");
    return (args as unknown[][]).flat(1);
  },
  // Terraform's element wraps the index around the list's length.
  element: (args) => {
    arity("element", args, 2);
    const [list, index] = args;
    if (!Array.isArray(list) || list.length === 0) throw new HclError("element() of an empty or non-list");
    if (typeof index !== "number" || !Number.isInteger(index) || index < 0) throw new HclError(`element() index ${JSON.stringify(index)}`);
    return list[index % list.length];
  },
  length: (args) => {
    arity("length", args, 1);
    const [value] = args;
    if (Array.isArray(value) || typeof value === "string") return value.length;
    if (isMap(value)) return Object.keys(value).length;
    throw new HclError(`length() of ${JSON.stringify(value)}`);
  },
  // Terraform's coalesce skips null and empty strings, and fails when nothing is left.
  coalesce: (args) => {
    const found = args.find((value) => value !== null && value !== "");
    if (found === undefined) throw new HclError("coalesce(): no non-null, non-empty argument");
    return found;
  },
  // The module takes key_alias with or without alias/ and strips it before adding it.
  trimprefix: (args) => {
    arity("trimprefix", args, 2);
    const [text, prefix] = args;
    if (typeof text !== "string" || typeof prefix !== "string") throw new HclError("trimprefix() of a non-string");
    return text.startsWith(prefix) ? text.slice(prefix.length) : text;
  },
  contains: (args) => {
    arity("contains", args, 2);
    const [list, value] = args;
    // A null list is a value Terraform only knows at plan time: try() absorbs it there too.
    if (list === null) throw new HclLookupError("contains() of null");
    if (!Array.isArray(list)) throw new HclError("contains() of a non-list");
    return list.some((item) => JSON.stringify(item) === JSON.stringify(value));
  },
  // Map keys, in lexicographical order (as Terraform returns them).
  keys: (args) => {
    arity("keys", args, 1);
    if (!isMap(args[0])) throw new HclError("keys() of a non-map");
    return Object.keys(args[0]).sort();
  },
  lookup: (args) => {
    arity("lookup", args, 2, 3);
    const [map, key] = args;
    if (!isMap(map) || typeof key !== "string") throw new HclError("lookup() needs a map and a string key");
    if (key in map) return map[key];
    if (args.length === 3) return args[2];
    throw new HclLookupError(`lookup(): no key ${key}`);
  },
};

/** One step of a traversal on a value: an object attribute / map key, or a list index. */
export function step(value: unknown, key: string | number): unknown {
  if (typeof key === "number") {
    if (!Array.isArray(value)) throw new HclError(`numeric index into a non-list: ${JSON.stringify(value)}`);
    if (key < 0 || key >= value.length || !Number.isInteger(key)) throw new HclLookupError(`index ${key} out of range`);
    return value[key];
  }
  if (key === SPLAT) throw new HclError("a splat over a value is not supported");
  // Terraform: "Attempt to get attribute from null value", a dynamic error try() absorbs.
  if (value === null) throw new HclLookupError(`attribute ${key} of null`);
  if (!isMap(value)) throw new HclError(`attribute ${key} of a non-object: ${JSON.stringify(value)}`);
  if (!(key in value)) throw new HclLookupError(`no attribute or key ${key}`);
  return value[key];
}

type Recur = (e: Expr, r?: RefResolver) => unknown;

/** Evaluates an expression to plain JSON values with `resolve` supplying references. */
export function evaluate(expr: Expr, resolve: RefResolver, functions: Record<string, Fn> = FUNCTIONS): unknown {
  const recur: Recur = (e, r = resolve) => evaluate(e, r, functions);
  switch (expr.kind) {
    case "literal":
      return expr.value;
    case "template":
      return evaluateTemplate(expr, recur, functions === MODULE_FUNCTIONS);
    case "object":
      return evaluateObject(expr, recur);
    case "tuple":
      return expr.items.map((item) => recur(item));
    case "ref":
      return resolve(expr.path);
    case "index": {
      const key = recur(expr.key);
      if (typeof key !== "string" && typeof key !== "number") throw new HclError(`index of type ${typeof key}`);
      return step(recur(expr.base), key);
    }
    case "getattr":
      return step(recur(expr.base), expr.name);
    case "forObject":
      return evaluateForObject(expr, resolve, recur);
    case "call":
      return evaluateCall(expr, recur, functions);
    case "unary": {
      const value = recur(expr.operand);
      if (expr.op === "!") {
        if (typeof value !== "boolean") throw new HclError("! of a non-boolean");
        return !value;
      }
      throw new HclError(`unsupported unary ${expr.op}`);
    }
    case "binary":
      return evaluateBinary(expr.op, recur(expr.left), recur(expr.right));
    case "conditional": {
      const test = recur(expr.test);
      if (typeof test !== "boolean") throw new HclError("condition is not a boolean");
      return recur(test ? expr.then : expr.else);
    }
  }
}

/** A template: a lone interpolation keeps its value's type (as Terraform does); otherwise the parts as text. */
function evaluateTemplate(expr: Extract<Expr, { kind: "template" }>, recur: Recur, moduleDialect: boolean): unknown {
  if (expr.parts.length === 1 && typeof expr.parts[0] !== "string") return recur(expr.parts[0]);
  return expr.parts
    .map((part) => {
      if (typeof part === "string") return part;
      const value = recur(part);
      if (typeof value === "object" && value !== null) throw new HclError("interpolated a structure into a string");
      if (value === null && moduleDialect) throw new HclError("interpolated null into a string");
      return String(value);
    })
    .join("");
}

function evaluateObject(expr: Extract<Expr, { kind: "object" }>, recur: Recur): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [keyExpr, valueExpr] of expr.entries) {
    const key = recur(keyExpr);
    if (typeof key !== "string") throw new HclError("object key is not a string");
    if (key in out) throw new HclError(`duplicate object key ${key}`);
    out[key] = recur(valueExpr);
  }
  return out;
}

/** `{ for k, v in collection : key => value }`: the variables bound in a scope over `resolve`. */
function evaluateForObject(expr: Extract<Expr, { kind: "forObject" }>, resolve: RefResolver, recur: Recur): Record<string, unknown> {
  const collection = recur(expr.collection);
  if (!Array.isArray(collection) && !isMap(collection)) throw new HclError("for over a non-collection");
  const items: [string | number, unknown][] = Array.isArray(collection)
    ? collection.map((v, i) => [i, v])
    : Object.keys(collection)
        .sort()
        .map((k) => [k, collection[k]]);
  const out: Record<string, unknown> = {};
  for (const [k, v] of items) {
    const bound: Record<string, unknown> = { [expr.valueVar]: v };
    if (expr.keyVar) bound[expr.keyVar] = k;
    const scoped: RefResolver = (path) =>
      typeof path[0] === "string" && path[0] in bound ? path.slice(1).reduce(step, bound[path[0]]) : resolve(path);
    const key = recur(expr.key, scoped);
    if (typeof key !== "string") throw new HclError("for expression key is not a string");
    if (key in out) throw new HclError(`duplicate key ${key} in a for expression`);
    out[key] = recur(expr.value, scoped);
  }
  return out;
}

function evaluateCall(expr: Extract<Expr, { kind: "call" }>, recur: Recur, functions: Record<string, Fn>): unknown {
  if (expr.name === "try" && functions === MODULE_FUNCTIONS) {
    // Only dynamic lookup failures fall through to the next argument; anything else is a real error.
    for (const arg of expr.args) {
      try {
        return recur(arg);
      } catch (error) {
        if (!(error instanceof HclLookupError)) throw error;
      }
    }
    throw new HclError("try(): no argument succeeded");
  }
  const fn = functions[expr.name];
  if (!fn) throw new HclError(`unsupported function ${expr.name}()`);
  return fn(expr.args.map((arg) => recur(arg)));
}

function evaluateBinary(op: Extract<Expr, { kind: "binary" }>["op"], left: unknown, right: unknown): unknown {
  switch (op) {
    case "==":
      return JSON.stringify(left) === JSON.stringify(right);
    case "!=":
      return JSON.stringify(left) !== JSON.stringify(right);
    case "&&":
    case "||":
      if (typeof left !== "boolean" || typeof right !== "boolean") throw new HclError(`${op} of non-booleans`);
      return op === "&&" ? left && right : left || right;
    case "<":
    case ">":
    case "<=":
    case ">=":
      if (typeof left !== "number" || typeof right !== "number") throw new HclError(`${op} of non-numbers`);
      return op === "<" ? left < right : op === ">" ? left > right : op === "<=" ? left <= right : left >= right;
  }
}

/** Parses and evaluates one Terraform JSON string attribute. */
export function evaluateAttribute(source: string, resolve: RefResolver): unknown {
  return evaluate(parseTemplate(source), resolve);
}

/** Parses and evaluates one string attribute of the generated module (module dialect). */
export function evaluateModuleAttribute(source: string, resolve: RefResolver): unknown {
  return evaluate(parseModuleTemplate(source), resolve, MODULE_FUNCTIONS);
}
