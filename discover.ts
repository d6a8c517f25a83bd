/** Entry point of `npm run discover`: see modules/cli/verify/discover-cli.ts. */
import { discoverMain } from "./modules/cli/verify/discover-cli";
import { quietSdkNodeVersionWarning } from "./modules/cli/node-support";

quietSdkNodeVersionWarning();
discoverMain(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
