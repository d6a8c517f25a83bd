// Runs one of the app's commands as `node scripts/run.mjs <command> [args]`:
// builds dist/ if a source changed (scripts/build.mjs), then loads
// dist/<command>.js in this same process, which sees only its own arguments.
// One Node start instead of two for every npm run of a command.
import { createRequire } from "node:module";
import { buildIfStale } from "./build.mjs";

const [command] = process.argv.splice(2, 1);
if (!/^[a-z-]+$/.test(command ?? "")) {
  process.stderr.write("usage: node scripts/run.mjs <command> [args]\n");
  process.exit(2);
}
await buildIfStale();
createRequire(import.meta.url)(`../dist/${command}.js`);
