/**
 * `npm run render`: rewrites every committed rendering of the code, so that
 * synthesis of a user's declaration never pays for them.
 * Reads: the code alone (constructs, schema, invariants).
 * Writes: module/ and module/modules/replica/, module/replicated/'s stub and
 * the migration example, schema/connect-encryption.schema.json, and the
 * generated tables of docs/configuration.md, docs/terraform-module.md and
 * docs/invariants.md, and the library's API report (docs/library-api.md, from
 * the library built into build/library by scripts/build-library.cjs). `npm test`
 * fails when any of them is stale.
 */
import { join } from "node:path";
import { writeModule } from "../../terraform-module/module-files";
import { writeConfigRenderings } from "../../config/config-docs";
import { writeInvariantsTable } from "../../invariants/docs";
import { skipTokenStackTraces } from "../../stacks/token-stack-traces";

skipTokenStackTraces();
const root = process.cwd();
writeModule(root);
writeConfigRenderings(root);
writeInvariantsTable(root);
// CommonJS beside the bundle, resolved when render runs (tsc and esbuild are loaded only then).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const library = require(join(root, "scripts", "build-library.cjs")) as { buildLibrary: () => void; writeApiReport: () => void };
library.buildLibrary();
library.writeApiReport();
process.stdout.write(
  "Rendered module/, module/modules/replica/, schema/connect-encryption.schema.json, the generated tables of docs/configuration.md, docs/terraform-module.md and docs/invariants.md, and docs/library-api.md\n",
);
