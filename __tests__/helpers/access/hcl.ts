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
 */

export type Expr =
  | { kind: "literal"; value: string | number | boolean | null }
  | { kind: "template"; parts: (string | Expr)[] }
  | { kind: "object"; entries: [Expr, Expr][] }
  | { kind: "tuple"; items: Expr[] }
  | { kind: "ref"; path: (string | number)[] }
  | { kind: "call"; name: string; args: Expr[] }
  | { kind: "unary"; op: "!" | "-"; operand: Expr }
  | { kind: "binary"; op: "==" | "!=" | "&&" | "||"; left: Expr; right: Expr }
  | { kind: "conditional"; test: Expr; then: Expr; else: Expr };

export class HclError extends Error {}

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

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
    let left = this.unary();
    for (;;) {
      if (this.peek("==")) {
        this.pos += 2;
        left = { kind: "binary", op: "==", left, right: this.unary() };
      } else if (this.peek("!=")) {
        this.pos += 2;
        left = { kind: "binary", op: "!=", left, right: this.unary() };
      } else return left;
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
    for (;;) {
      if (this.src[this.pos] === ".") {
        this.pos++;
        if (this.src[this.pos] === "*") this.fail("splat expressions are not supported");
        path.push(this.identifier());
      } else if (this.src[this.pos] === "[") {
        this.pos++;
        this.skipSpace();
        const match = /^[0-9]+/.exec(this.src.slice(this.pos));
        if (!match) this.fail("only numeric indexes are supported");
        this.pos += match[0].length;
        path.push(Number(match[0]));
        this.expect("]");
      } else break;
    }
    return { kind: "ref", path };
  }

  private object(): Expr {
    this.expect("{");
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

  private tuple(): Expr {
    this.expect("[");
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
  const parser = new Parser(source);
  const result = parser.template(undefined);
  if (!parser.atEnd()) parser.fail("trailing input");
  return result;
}

/** Resolves a reference path such as `["aws_iam_role", "replica_role", "arn"]` to a concrete value. */
export type RefResolver = (path: readonly (string | number)[]) => unknown;

const FUNCTIONS: Record<string, (args: unknown[]) => unknown> = {
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

/** Evaluates an expression to plain JSON values with `resolve` supplying references. */
export function evaluate(expr: Expr, resolve: RefResolver): unknown {
  switch (expr.kind) {
    case "literal":
      return expr.value;
    case "template": {
      // A template that is exactly one interpolation keeps its value's type (as Terraform does).
      if (expr.parts.length === 1 && typeof expr.parts[0] !== "string") return evaluate(expr.parts[0], resolve);
      return expr.parts
        .map((part) => {
          if (typeof part === "string") return part;
          const value = evaluate(part, resolve);
          if (typeof value === "object" && value !== null) throw new HclError("interpolated a structure into a string");
          return String(value);
        })
        .join("");
    }
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [keyExpr, valueExpr] of expr.entries) {
        const key = evaluate(keyExpr, resolve);
        if (typeof key !== "string") throw new HclError("object key is not a string");
        if (key in out) throw new HclError(`duplicate object key ${key}`);
        out[key] = evaluate(valueExpr, resolve);
      }
      return out;
    }
    case "tuple":
      return expr.items.map((item) => evaluate(item, resolve));
    case "ref":
      return resolve(expr.path);
    case "call": {
      const fn = FUNCTIONS[expr.name];
      if (!fn) throw new HclError(`unsupported function ${expr.name}()`);
      return fn(expr.args.map((arg) => evaluate(arg, resolve)));
    }
    case "unary": {
      const value = evaluate(expr.operand, resolve);
      if (expr.op === "!") {
        if (typeof value !== "boolean") throw new HclError("! of a non-boolean");
        return !value;
      }
      throw new HclError(`unsupported unary ${expr.op}`);
    }
    case "binary": {
      const left = evaluate(expr.left, resolve);
      const right = evaluate(expr.right, resolve);
      switch (expr.op) {
        case "==":
          return JSON.stringify(left) === JSON.stringify(right);
        case "!=":
          return JSON.stringify(left) !== JSON.stringify(right);
        case "&&":
        case "||":
          if (typeof left !== "boolean" || typeof right !== "boolean") throw new HclError(`${expr.op} of non-booleans`);
          return expr.op === "&&" ? left && right : left || right;
      }
      throw new HclError("unreachable");
    }
    case "conditional": {
      const test = evaluate(expr.test, resolve);
      if (typeof test !== "boolean") throw new HclError("condition is not a boolean");
      return evaluate(test ? expr.then : expr.else, resolve);
    }
  }
}

/** Parses and evaluates one Terraform JSON string attribute. */
export function evaluateAttribute(source: string, resolve: RefResolver): unknown {
  return evaluate(parseTemplate(source), resolve);
}
