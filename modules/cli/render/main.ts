/**
 * `npm run render`: rewrites every committed rendering of the code, so that
 * synthesis of a user's declaration never pays for them.
 * Reads: the code alone (constructs, schema, invariants).
 * Writes: module/ and module/modules/replica/, module/replicated/'s stub and
 * the migration example, schema/connect-encryption.schema.json, and the
 * generated tables of docs/configuration.md, docs/terraform-module.md and
 * docs/invariants.md. `npm test` fails when any of them is stale.
 */
import { writeModule } from "../../terraform-module/module-files";
import { writeConfigRenderings } from "../../config/config-docs";
import { writeInvariantsTable } from "../../invariants/docs";
import { skipTokenStackTraces } from "../../stacks/token-stack-traces";

skipTokenStackTraces();
const root = process.cwd();
writeModule(root);
writeConfigRenderings(root);
writeInvariantsTable(root);
process.stdout.write(
  "Rendered module/, module/modules/replica/, schema/connect-encryption.schema.json and the generated tables of docs/configuration.md, docs/terraform-module.md and docs/invariants.md\n",
);
