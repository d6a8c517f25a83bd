// `npm run fuzz -- --runs N --seed S`: bundles the fuzz entry
// (__tests__/helpers/fuzz.ts, which uses the development dependencies
// fast-check and the IAM engine) into a scratch directory and runs it.
import { buildSync } from "esbuild";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const scratch = mkdtempSync(join(tmpdir(), "connect-kms-fuzz-"));
const bundle = join(scratch, "fuzz.js");
try {
  buildSync({
    absWorkingDir: root,
    entryPoints: ["__tests__/helpers/fuzz.ts"],
    outfile: bundle,
    bundle: true,
    // Loaded at run time from the project's node_modules, as in the tests.
    external: ["@aws-sdk/*", "@cloud-copilot/*"],
    alias: { archiver: "./scripts/archiver-unused.cjs" },
    nodePaths: [join(root, "node_modules")],
    platform: "node",
    target: "node20",
    format: "cjs",
    logLevel: "warning",
  });
  const run = spawnSync(process.execPath, [bundle, ...process.argv.slice(2)], {
    stdio: "inherit",
    env: { ...process.env, NODE_PATH: join(root, "node_modules") },
  });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
