/**
 * How the module declares its inputs: each a `variable` whose validation is the
 * rule of the declaration field it corresponds to (module-variables.ts), so
 * that a module call and a cdktf declaration accept the same values.
 */
import { IResolvable, TerraformStack, TerraformVariable, Token } from "cdktf";
import { Validation, allowedText, schemaField, variableValidations } from "./module-variables";

/** Shorthands: the validation blocks of a module input from the declaration field it corresponds to (module-variables.ts). */
export const FIELD = (name: string, ...path: string[]): Validation[] => variableValidations(name, schemaField(...path));
export const OPTIONAL_FIELD = (name: string, ...path: string[]): Validation[] =>
  variableValidations(name, schemaField(...path), { optional: true });
/** An input of the module's own shape, with no declaration field: contact_trace_records_destination. */
export const ONE_OF = (name: string, allowed: readonly string[]): Validation => ({
  condition: `\${contains(${JSON.stringify(allowed)}, var.${name})}`,
  errorMessage: `${name}: "\${var.${name}}" is not allowed; allowed: ${allowed.join(", ")}.`,
});
/** "allowed: ..." of a declaration field, for a variable's description. */
export const ALLOWED = (...path: string[]): string => `allowed: ${allowedText(schemaField(...path))}`;

/** A module input as declared: a null default makes it optional; an object default is written as given. */
export interface InputConfig {
  readonly type: string;
  readonly description: string;
  readonly default?: unknown;
  readonly nullable?: boolean;
  readonly validation?: Validation[];
}

/** A bool input as the construct's condition: the construct takes a Terraform expression where the stacks pass true or false. */
export const isTrue = (variable: TerraformVariable): IResolvable => variable.booleanValue as unknown as IResolvable;

/** Declares the inputs of one module stack. */
export class ModuleInputs {
  constructor(private readonly stack: TerraformStack) {}

  input(id: string, config: InputConfig): TerraformVariable {
    const variable = new TerraformVariable(this.stack, id, {
      type: config.type,
      description: config.description,
      // A null default makes the input optional; cdktf needs it as a token.
      default: config.default === null ? Token.nullValue() : typeof config.default === "object" ? undefined : config.default,
      nullable: config.nullable,
      validation: config.validation,
    });
    // cdktf would snake_case the keys of an object default (CALL_RECORDINGS -> call_recordings).
    if (config.default !== null && typeof config.default === "object") variable.addOverride("default", config.default);
    return variable;
  }

  /** A bool input that is on unless the caller turns it off. */
  flag(id: string, description: string): TerraformVariable {
    return this.input(id, { type: "bool", description, default: true });
  }
}
