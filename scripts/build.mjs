// Transpiles the app to one CommonJS file without type-checking, so synth
// pays only for what it runs (type-checking is `npm run typecheck`, part of
// `npm test`). Packages stay external: deep imports keep the AWS provider
// bindings that get loaded down to the few resources the stacks use.
import { buildSync } from "esbuild";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

buildSync({
  absWorkingDir: root,
  entryPoints: ["main.ts", "verify.ts"],
  outdir: "dist",
  bundle: true,
  packages: "external",
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: "linked",
  logLevel: "warning",
});
