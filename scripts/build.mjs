// `node scripts/build.mjs`: bundles dist/ when a source changed (scripts/build.cjs does the work).
import { createRequire } from "node:module";

createRequire(import.meta.url)("./build.cjs").buildIfStale();
