// A jest transformer that only strips types: ts-jest would type-check every
// test file again, which `npm run typecheck` already does once.
const { transformSync } = require("esbuild");

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: "ts",
      format: "cjs",
      target: "node20",
      sourcemap: "both",
      sourcefile: filename,
    });
    return { code, map };
  },
};
