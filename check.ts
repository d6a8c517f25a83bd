/** Entry point of `npm run check`: see modules/cli/terraform-check/check.ts. */
import { checkMain } from "./modules/cli/terraform-check/check";
import { declarationFile } from "./modules/cli/declaration-file";
import { skipTokenStackTraces } from "./modules/stacks/token-stack-traces";

skipTokenStackTraces();
checkMain(process.argv.slice(2), undefined, declarationFile(process.env)).then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    process.exitCode = 2;
  },
);
