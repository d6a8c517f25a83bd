// `npm test`: the type check (tsc --noEmit) and the suite (jest), side by
// side; the run fails when either does. Arguments go to jest, so that
// `npm test -- <pattern>` narrows the suite (the type check stays whole).
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", process.platform === "win32" ? `${name}.cmd` : name);

function run(command, args, options) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, ...options });
    let printed = "";
    child.stdout?.on("data", (chunk) => (printed += chunk));
    child.stderr?.on("data", (chunk) => (printed += chunk));
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), printed }));
  });
}

// Terraform and the provider first: without them the run stops at once, with the line that says what to do,
// instead of after the type check.
const { preflight } = createRequire(import.meta.url)("./preflight.cjs");
const missing = preflight();
if (missing) {
  process.stderr.write(`\nnpm test cannot run the Terraform tests: ${missing}\n\n`);
  process.exit(1);
}

// The type check's output is held back until the suite is done, so the two never interleave.
const [types, suite] = await Promise.all([
  run(bin("tsc"), ["--noEmit"], { stdio: ["ignore", "pipe", "pipe"] }),
  run(bin("jest"), process.argv.slice(2), { stdio: "inherit" }),
]);
if (types.code !== 0) process.stderr.write(`\ntsc --noEmit failed:\n${types.printed}\n`);
else process.stdout.write("tsc --noEmit: no type errors\n");
process.exitCode = types.code !== 0 ? types.code : suite.code;
