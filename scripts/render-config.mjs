// Writes the committed renderings of the declaration's schema: the JSON
// Schema of context.connectEncryption (for editors) and the README's
// configuration table. `npm test` fails when either is stale.
import { buildSync } from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const scratch = mkdtempSync(join(root, "node_modules", ".render-config-"));
const outfile = join(scratch, "config-docs.js");
buildSync({
  absWorkingDir: root,
  entryPoints: ["modules/config-docs.ts"],
  outfile,
  bundle: true,
  packages: "external",
  platform: "node",
  format: "cjs",
  logLevel: "warning",
});
try {
  createRequire(join(root, "package.json"))(outfile).writeConfigRenderings(root);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
