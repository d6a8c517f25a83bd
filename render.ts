/**
 * `npm run render`: rewrites every committed rendering of the code, so that
 * synthesis of a user's declaration never pays for them: the Terraform
 * module (module/, module/replicated/) and its tables in
 * docs/terraform-module.md, the JSON Schema of the declaration and the
 * configuration table in docs/configuration.md. `npm test`
 * fails when any of them is stale.
 */
import { writeModule } from "./modules/terraform-module/connect-encryption-module";
import { writeConfigRenderings } from "./modules/config/config-docs";
import { skipTokenStackTraces } from "./modules/stacks/token-stack-traces";

skipTokenStackTraces();
const root = process.cwd();
writeModule(root);
writeConfigRenderings(root);
process.stdout.write(
  "Rendered module/, module/replicated/, schema/connect-encryption.schema.json and the generated tables of docs/configuration.md and docs/terraform-module.md\n",
);
