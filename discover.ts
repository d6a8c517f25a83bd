/** Entry point of `npm run discover`: see modules/cli/verify/discover-cli.ts. */
import { defaultDiscoverIo, discoverMain } from "./modules/cli/verify/discover-cli";
import { declarationFile } from "./modules/cli/declaration-file";
import { quietSdkNodeVersionWarning } from "./modules/cli/node-support";

quietSdkNodeVersionWarning();
discoverMain(process.argv.slice(2), defaultDiscoverIo, declarationFile(process.env)).then((code) => {
  process.exitCode = code;
});
