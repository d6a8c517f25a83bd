/** Entry point of `npm run discover`: see modules/verify/discover-cli.ts. */
import { discoverMain } from "./modules/verify/discover-cli";

discoverMain(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
