// Transpiles the app to CommonJS without type-checking, so synth pays only
// for what it runs (type-checking is `npm run typecheck`, part of `npm test`).
// Packages stay external: deep imports keep the AWS provider bindings that
// get loaded down to the few resources the stacks use. Like make, it does
// nothing when the output is newer than every source, and then does not even
// load esbuild: a run of an up-to-date app pays for a few hundred stat calls.
// CommonJS, so that scripts/run.cjs checks and runs in one CommonJS process;
// `node scripts/build.mjs` is the command line.
const { existsSync, readdirSync, rmSync, statSync } = require("node:fs");
const { join } = require("node:path");

const root = join(__dirname, "..");
// dist/<out>.js per command: the app at the root, every other command with its code in modules/cli/<folder>/.
const entryPoints = [
  { in: "main.ts", out: "main" },
  ...Object.entries({
    verify: "verify",
    discover: "discover",
    "reencrypt-plan": "reencrypt",
    check: "check",
    publish: "publish",
    render: "render",
  }).map(([out, folder]) => ({ in: `modules/cli/${folder}/main.ts`, out })),
];
const outputs = entryPoints.map((entry) => join(root, "dist", `${entry.out}.js`));

function sources(directory) {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    return entry.isDirectory() ? sources(path) : entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Whether every output is newer than every source, the lockfile and this file. */
function upToDate() {
  const inputs = [join(root, "main.ts"), ...sources(join(root, "modules")), join(root, "package-lock.json"), __filename];
  const newestInput = Math.max(...inputs.map((path) => statSync(path).mtimeMs));
  return outputs.every((path) => existsSync(path) && statSync(path).mtimeMs > newestInput);
}

/** Bundles the entry points into dist/ when a source is newer than an output (or one is missing). */
function buildIfStale() {
  if (upToDate()) return;
  require("esbuild").buildSync({
    absWorkingDir: root,
    entryPoints,
    outdir: "dist",
    bundle: true,
    // cdktf, constructs and the AWS provider bindings are bundled (with deep
    // imports, only the resources we use): one file to load instead of
    // hundreds. The AWS SDK stays external (verify, discover).
    external: ["@aws-sdk/*", "@cloud-copilot/iam-simulate"],
    // cdktf's asset support pulls in an archiver we never call: no asset is synthesized. Its
    // child_process is loaded when first used (scripts/lazy-child-process.cjs).
    alias: { archiver: "./scripts/archiver-unused.cjs", child_process: "./scripts/lazy-child-process.cjs" },
    platform: "node",
    target: "node20",
    format: "cjs",
    sourcemap: "linked",
    logLevel: "warning",
  });
  // The code caches of the bundles before (scripts/code-cache.cjs): none of them can be used again.
  for (const file of readdirSync(join(root, "dist")).filter((name) => name.endsWith(".v8-cache")))
    rmSync(join(root, "dist", file), { force: true });
}

module.exports = { buildIfStale, upToDate };
