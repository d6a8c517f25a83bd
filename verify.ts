/** Entry point of `npm run verify`: see modules/cli/verify/cli.ts. */
import { main } from "./modules/cli/verify/cli";
import { quietSdkNodeVersionWarning } from "./modules/cli/node-support";

quietSdkNodeVersionWarning();
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
