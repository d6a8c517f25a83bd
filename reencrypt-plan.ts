/** Entry point of `npm run reencrypt-plan`: see modules/cli/verify/reencrypt-cli.ts. */
import { reencryptMain } from "./modules/cli/verify/reencrypt-cli";

reencryptMain(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
