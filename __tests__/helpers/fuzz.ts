/**
 * `npm run fuzz -- --runs N --seed S`: the property of properties.test.ts
 * (declaration-property.ts) over many more generated declarations. On a
 * failure fast-check shrinks the declaration, and it is printed ready to
 * paste under "context" in a cdktf.json, with what went wrong and the
 * command that replays it. Bundled and run by scripts/fuzz.mjs.
 */
import fc from "fast-check";
import { skipTokenStackTraces } from "../../modules/stacks/token-stack-traces";
import { declarationArbitrary } from "./declaration-arbitrary";
import { Outcome, checkDeclaration } from "./declaration-property";

interface Options {
  readonly runs: number;
  readonly seed: number;
}

const USAGE = "usage: npm run fuzz -- [--runs N] [--seed S]   (N >= 1, default 1000; S an integer, default the time)";

function parseOptions(args: readonly string[]): Options {
  const values: Record<string, number> = { runs: 1000, seed: Date.now() % 2 ** 31 };
  for (let i = 0; i < args.length; i += 2) {
    const name = /^--(runs|seed)$/.exec(args[i])?.[1];
    const value = Number(args[i + 1]);
    if (!name || !Number.isInteger(value) || (name === "runs" && value < 1)) throw new Error(`${args[i]} ${args[i + 1] ?? ""}: ${USAGE}`);
    values[name] = value;
  }
  return { runs: values.runs, seed: values.seed };
}

/** The first field of each refusal, counted: what the generator most often gets refused for. */
function tally(refusals: readonly (readonly string[])[]): string {
  const counts = new Map<string, number>();
  for (const problems of refusals) {
    const written = /^context\.connectEncryption\.(?:environments\.[^.]+\.)?([^:\[]+)/.exec(problems[0])?.[1] ?? problems[0];
    // Refused by a static invariant at synthesis rather than by the schema: "key.alias [uniqueness]".
    const invariant = /\[([a-z-]+)\]$/.exec(problems[0])?.[1];
    const field = invariant ? `${written} [${invariant}]` : written;
    counts.set(field, (counts.get(field) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([field, n]) => `${field} ${n}`)
    .join(", ");
}

/** Runs the property over `args`' declarations, printing through `print`; the exit code (1 when it failed). */
export async function fuzz(args: readonly string[], print: (line: string) => void = console.log): Promise<number> {
  const { runs, seed } = parseOptions(args);
  const outcomes: Outcome[] = [];
  const started = Date.now();
  const property = fc.asyncProperty(declarationArbitrary, async (declaration) => {
    outcomes.push(await checkDeclaration(declaration));
  });
  const result = await fc.check(property, { numRuns: runs, seed, endOnFailure: false });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  // What the runs found before any shrinking (the failing run adds none).
  const checked = outcomes.slice(0, result.failed ? result.numRuns - 1 : result.numRuns);
  const refused = checked.flatMap((o) => ("refused" in o ? [o.refused] : []));
  const stacks = checked.reduce((sum, o) => sum + ("stacks" in o ? o.stacks : 0), 0);
  print(
    `${result.numRuns} declarations in ${seconds} s (seed ${seed}): ${checked.length - refused.length} accepted (${stacks} stacks), ${refused.length} refused${refused.length ? ` (${tally(refused)})` : ""}`,
  );
  if (!result.failed) return 0;
  const [declaration] = result.counterexample ?? [];
  const error = result.errorInstance;
  print(`\nFAILED after ${result.numShrinks} shrinks. ${error instanceof Error ? error.message : String(error)}`);
  print(`\nThe shrunk declaration, for "context" in cdktf.json:\n${JSON.stringify({ connectEncryption: declaration }, null, 2)}`);
  print(`\nReplay: npm run fuzz -- --runs ${runs} --seed ${seed}`);
  return 1;
}

if (require.main === module) {
  // As in main.ts and the tests.
  skipTokenStackTraces();
  fuzz(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(error.message);
      process.exit(2);
    },
  );
}
