/**
 * `npm run verify -- <environment> [--outputs file.json] [--json]`: read-only
 * proof that a deployed environment keeps Connect's content under its key.
 * Reads: the declaration file, the environment's outputs (`terraform output
 * -json` in its stack directory, or --outputs), and AWS, read-only.
 * Writes: a report on stdout (table or JSON); exit 1 when a check fails.
 * How: cli.ts (arguments, AWS clients), run.ts (the checks in order),
 * checks.ts and checks-controls.ts (one function per check), model.ts (the outputs).
 */
import { defaultIo, main } from "./cli";
import { declarationFile } from "../declaration-file";
import { quietSdkNodeVersionWarning } from "../node-support";

quietSdkNodeVersionWarning();
main(process.argv.slice(2), defaultIo, declarationFile(process.env)).then((code) => {
  process.exitCode = code;
});
