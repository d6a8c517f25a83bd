/**
 * `npm run discover -- <environment> [--json] [--write]`.
 * Reads: the declaration file and, read-only, the adopted instance's storage
 * associations and their destinations in AWS.
 * Writes: a table (or JSON) on stdout; with --write, the environment's
 * `instance.adopt.existingAssociations` in the declaration file, the rest of it
 * byte-identical (json-edit.ts).
 * How: cli.ts (arguments, AWS clients), discover.ts (what differs per type).
 */
import { defaultDiscoverIo, discoverMain } from "./cli";
import { declarationFile } from "../declaration-file";
import { quietSdkNodeVersionWarning } from "../node-support";

quietSdkNodeVersionWarning();
discoverMain(process.argv.slice(2), defaultDiscoverIo, declarationFile(process.env)).then((code) => {
  process.exitCode = code;
});
