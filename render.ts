/**
 * `npm run render`: rewrites every committed rendering of the code, so that
 * synthesis of a user's declaration never pays for them: the Terraform
 * module (module/, module/modules/replica/) and its tables in
 * docs/terraform-module.md, the JSON Schema of the declaration and the
 * configuration table in docs/configuration.md, the invariants' table in
 * docs/invariants.md. `npm test`
 * fails when any of them is stale.
 */
import { writeModule } from "./modules/terraform-module/connect-encryption-module";
import { writeConfigRenderings } from "./modules/config/config-docs";
import { writeInvariantsTable } from "./modules/invariants/docs";
import { skipTokenStackTraces } from "./modules/stacks/token-stack-traces";

skipTokenStackTraces();
const root = process.cwd();
writeModule(root);
writeConfigRenderings(root);
writeInvariantsTable(root);
process.stdout.write(
  "Rendered module/, module/modules/replica/, schema/connect-encryption.schema.json and the generated tables of docs/configuration.md, docs/terraform-module.md and docs/invariants.md\n",
);
