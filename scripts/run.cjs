// Runs one of the app's commands as `node scripts/run.cjs <command> [args]`:
// builds dist/ if a source changed (scripts/build.cjs), then loads
// dist/<command>.js in this same process, which sees only its own arguments.
// One Node start instead of two for every npm run of a command; CommonJS, whose
// peak memory is about 1 MiB under an ES module runner's. The bundle is
// compiled through a V8 code cache (scripts/code-cache.cjs).
const { join } = require("node:path");
const { buildIfStale } = require("./build.cjs");
const { requireWithCodeCache } = require("./code-cache.cjs");

const [command] = process.argv.splice(2, 1);
if (!/^[a-z-]+$/.test(command ?? "")) {
  process.stderr.write("usage: node scripts/run.cjs <command> [args]\n");
  process.exit(2);
}
buildIfStale();
requireWithCodeCache(join(__dirname, "..", "dist", `${command}.js`));
