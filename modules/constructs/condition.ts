/**
 * Optional parts of the configuration. In a stack, whether a part exists is
 * known at synthesis (a boolean) and a part that is off is simply not
 * written. In the Terraform module it is decided by Terraform from the
 * caller's inputs (an expression): the part is written with
 * `count = <expression> ? 1 : 0`, and references to it go through `one()`.
 * The constructs are the same for both; only the condition differs.
 */
import { Fn, IResolvable, Op, TerraformDataSource, TerraformResource, Token, ref } from "cdktf";

/** `true`/`false` when known at synthesis, or a boolean Terraform expression (e.g. `var.x`). */
export type Condition = boolean | IResolvable;

export function isDynamic(condition: Condition): condition is IResolvable {
  return typeof condition !== "boolean";
}

/** Whether to write the part at all: false only when it is statically off. */
export function mayExist(condition: Condition): boolean {
  return isDynamic(condition) || condition;
}

/** Gives `element` its condition: nothing when always on, a `count` when decided by Terraform. */
export function applyCondition<T extends TerraformResource | TerraformDataSource>(element: T, condition: Condition): T {
  if (isDynamic(condition)) element.count = Token.asNumber(Fn.conditional(condition, 1, 0));
  return element;
}

/** An attribute of a conditional element: a plain reference, or `one(<element>[*].<name>)` (null when absent). */
export function attributeOf(element: TerraformResource | TerraformDataSource, name: string, condition: Condition): string {
  if (!isDynamic(condition)) return element.getStringAttribute(name);
  return Token.asString(Fn.one(ref(`${element.fqn}[*].${name}`)));
}

/** The opposite condition. */
export function not(condition: Condition): Condition {
  return isDynamic(condition) ? (Op.not(condition) as IResolvable) : !condition;
}

/** Either condition. */
export function or(a: Condition, b: Condition): Condition {
  if (!isDynamic(a) && !isDynamic(b)) return a || b;
  if (a === true || b === true) return true;
  if (a === false) return b;
  if (b === false) return a;
  return Op.or(a, b) as IResolvable;
}

/** Whether a list (possibly a Terraform expression) has items. */
export function hasItems(list: readonly string[] | undefined): Condition {
  if (list === undefined) return false;
  // (cdktf renders a literal 0 operand as undefined, hence >= 1.)
  if (Token.isUnresolved(list)) return Op.gte(Fn.lengthOf(list), 1) as IResolvable;
  return list.length > 0;
}

/** Both conditions. */
export function and(a: Condition, b: Condition): Condition {
  if (!isDynamic(a) && !isDynamic(b)) return a && b;
  if (a === false || b === false) return false;
  if (a === true) return b;
  if (b === true) return a;
  return Op.and(a, b) as IResolvable;
}

/** `value` when `condition`, else `otherwise`; decided now when the condition is static. */
export function choose<T>(condition: Condition, value: T, otherwise: T): T {
  if (!isDynamic(condition)) return condition ? value : otherwise;
  return Fn.conditional(condition, value, otherwise) as T;
}

/** Items whose condition holds, as a list (a `concat` of conditionals when some are dynamic). */
export function listOf<T>(items: readonly { readonly item: T; readonly when: Condition }[]): T[] {
  const present = items.filter((entry) => mayExist(entry.when));
  if (present.every((entry) => !isDynamic(entry.when))) return present.map((entry) => entry.item);
  return Token.asAny(Fn.concat(present.map((entry) => choose(entry.when, [entry.item], [])))) as unknown as T[];
}
