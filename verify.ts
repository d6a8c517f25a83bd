/** Entry point of `npm run verify`: see modules/cli/verify/cli.ts. */
import { defaultIo, main } from "./modules/cli/verify/cli";
import { declarationFile } from "./modules/cli/declaration-file";
import { quietSdkNodeVersionWarning } from "./modules/cli/node-support";

quietSdkNodeVersionWarning();
main(process.argv.slice(2), defaultIo, declarationFile(process.env)).then((code) => {
  process.exitCode = code;
});
