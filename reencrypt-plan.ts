/** Entry point of `npm run reencrypt-plan`: see modules/cli/verify/reencrypt-cli.ts. */
import { defaultReencryptIo, reencryptMain } from "./modules/cli/verify/reencrypt-cli";
import { declarationFile } from "./modules/cli/declaration-file";

reencryptMain(process.argv.slice(2), defaultReencryptIo, declarationFile(process.env)).then((code) => {
  process.exitCode = code;
});
