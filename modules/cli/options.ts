/**
 * The options of a command line, as one table per command: the parser reads
 * it, and the tests hold each command's help to it, so that an option the
 * parser accepts and the help does not mention fails the suite instead of
 * staying unknown to users.
 */

export interface CliOption {
  /** The long spelling, as typed: `--region`. */
  readonly name: `--${string}`;
  /** A short spelling, if any: `-h`. */
  readonly short?: `-${string}`;
  /** The value it takes, as the help writes it (`<region>`); none for a flag. */
  readonly value?: string;
  /** May be given more than once, each value kept; a value option given twice is otherwise refused as ambiguous. */
  readonly repeatable?: boolean;
}

export interface CommandLine {
  /** The arguments that are not options, in order. */
  readonly positionals: readonly string[];
  /** The values of each option given, by its long name (an empty list for a flag). */
  readonly given: ReadonlyMap<string, readonly string[]>;
}

/** The options as `--outputs <file>, --region <region>, --json, --help`, for a refusal to list. */
export function optionList(options: readonly CliOption[]): string {
  return options.map((o) => (o.value ? `${o.name} ${o.value}` : o.name)).join(", ");
}

/** True when the arguments ask for the help (anywhere: the help is printed before anything else is read). */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes("--help") || argv.includes("-h");
}

/** Splits the arguments into options of the table and positionals; throws one line for anything else. */
export function parseCommandLine(argv: readonly string[], options: readonly CliOption[]): CommandLine {
  const positionals: string[] = [];
  const given = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const option = options.find((o) => o.name === arg || o.short === arg);
    if (!option) throw new Error(`unknown option ${arg}; allowed: ${optionList(options)}`);
    const values = given.get(option.name) ?? [];
    if (option.value !== undefined) {
      const value = argv[i + 1];
      // Another option where the value should be means the value was left out, not that it is "--json".
      if (value === undefined || value.startsWith("--")) throw new Error(`${arg} needs a value: ${option.name} ${option.value}`);
      if (values.length > 0 && !option.repeatable) throw new Error(`${option.name} is given twice; give it once`);
      values.push(value);
      i++;
    }
    given.set(option.name, values);
  }
  return { positionals, given };
}

/** The one value of an option, or undefined when it was not given. */
export function valueOf(line: CommandLine, name: string): string | undefined {
  return line.given.get(name)?.[0];
}
