/** Entry point of `npm run check`: see modules/terraform-check/check.ts. */
import { checkMain } from "./modules/terraform-check/check";
import { skipTokenStackTraces } from "./modules/token-stack-traces";

skipTokenStackTraces();
process.exitCode = checkMain(process.argv.slice(2), undefined, process.env.CONNECT_ENCRYPTION_CONFIG ?? "cdktf.json");
