// Measures synthesis as users run it. Wall time and peak RSS over repeated
// runs, reported as median/min/max against the budgets; exits non-zero when a
// median is over budget.
//
//   npm run bench            # 7 runs of each measure
//   BENCH_RUNS=15 npm run bench
//
// Also synthesizes generated declarations of 1, 10 and 50 environments and
// reports the cost of each added environment.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const runs = Math.max(5, Number(process.env.BENCH_RUNS ?? 7));
const recorder = join(root, "scripts", "bench", "record-rss.cjs");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `command` `runs` times in `cwd`; returns wall ms and the peak RSS (MiB) of any Node process it started. */
function measure(command, args, cwd, env = {}) {
  const walls = [];
  const peaks = [];
  for (let i = 0; i < runs; i++) {
    const scratch = mkdtempSync(join(tmpdir(), "connect-kms-bench-"));
    const rssFile = join(scratch, "rss.txt");
    writeFileSync(rssFile, "");
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, {
      cwd,
      encoding: "utf8",
      env: {
        ...process.env,
        ...env,
        BENCH_RSS_FILE: rssFile,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${recorder}`.trim(),
      },
    });
    const wall = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) {
      throw new Error(`${command} ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
    }
    const kib = readFileSync(rssFile, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => Number(line.split("\t")[1]));
    walls.push(wall);
    peaks.push(Math.max(...kib) / 1024);
    rmSync(scratch, { recursive: true, force: true });
  }
  return { walls, peaks };
}

function row(name, values, unit, budget) {
  const m = median(values);
  const verdict = budget === undefined ? "" : m <= budget ? "ok" : "OVER";
  return {
    text: `| ${name.padEnd(44)} | ${String(values.length).padStart(4)} | ${m.toFixed(1).padStart(8)} | ${Math.min(...values)
      .toFixed(1)
      .padStart(8)} | ${Math.max(...values)
      .toFixed(1)
      .padStart(8)} | ${(budget === undefined ? "-" : `<= ${budget}`).padStart(8)} | ${unit.padEnd(4)} | ${verdict.padEnd(4)} |`,
    over: verdict === "OVER",
  };
}

const rows = [];
const synth = measure(npm, ["run", "--silent", "synth"], root);
rows.push(row("npm run synth (build + synth), wall", synth.walls, "ms", 600));
rows.push(row("npm run synth, peak RSS of any process", synth.peaks, "MiB", 150));
const bare = measure(process.execPath, [join(root, "dist", "main.js")], root);
rows.push(row("node dist/main.js (synth only), wall", bare.walls, "ms"));
rows.push(row("node dist/main.js, peak RSS", bare.peaks, "MiB"));

/** A declaration of `count` environments, each a full stack (new instance, every default storage type). */
function generatedProject(count) {
  const dir = mkdtempSync(join(tmpdir(), `connect-kms-bench-${count}-`));
  const environments = {};
  for (let i = 1; i <= count; i++) {
    environments[`e${i}`] = { accountId: String(100000000000 + i), instance: { create: { alias: `acme-bench-e${i}` } } };
  }
  const context = { connectEncryption: { defaults: { region: "eu-west-2", namePrefix: "acme" }, environments } };
  writeFileSync(join(dir, "cdktf.json"), JSON.stringify({ language: "typescript", app: "node dist/main.js", context }));
  return dir;
}

const scaling = [];
for (const count of [1, 10, 50]) {
  const dir = generatedProject(count);
  const result = measure(process.execPath, [join(root, "dist", "main.js")], dir, { CDKTF_OUTDIR: join(dir, "cdktf.out") });
  scaling.push({ count, median: median(result.walls), result });
  rows.push(row(`synth of ${count} environment(s), wall`, result.walls, "ms"));
  rmSync(dir, { recursive: true, force: true });
}
const perEnvironment = (scaling[2].median - scaling[0].median) / (scaling[2].count - scaling[0].count);
rows.push({
  text: `| ${"cost per added environment (1 -> 50)".padEnd(44)} | ${"".padStart(4)} | ${perEnvironment.toFixed(1).padStart(8)} | ${"".padStart(8)} | ${"".padStart(8)} | ${"<= 50".padStart(8)} | ms   | ${(perEnvironment <= 50 ? "ok" : "OVER").padEnd(4)} |`,
  over: perEnvironment > 50,
});

/** Validation alone (schema, resolution, conflicts) of a 50-environment declaration, in-process. */
function validationOf50() {
  const { buildSync } = createRequire(import.meta.url)("esbuild");
  const scratch = mkdtempSync(join(root, "node_modules", ".bench-config-"));
  const outfile = join(scratch, "config.js");
  buildSync({
    absWorkingDir: root,
    entryPoints: ["modules/config/config.ts"],
    outfile,
    bundle: true,
    packages: "external",
    platform: "node",
    format: "cjs",
    logLevel: "warning",
  });
  const { resolveDeclaration } = createRequire(join(root, "package.json"))(outfile);
  const environments = {};
  for (let i = 1; i <= 50; i++) {
    environments[`e${i}`] = {
      accountId: String(100000000000 + i),
      instance: { create: { alias: `acme-bench-e${i}` } },
      key: { rotationPeriodInDays: 180 },
      tags: { Team: `t${i}` },
    };
  }
  const declaration = { defaults: { region: "eu-west-2", namePrefix: "acme", tags: { Project: "cc" } }, environments };
  resolveDeclaration(declaration); // warm-up: the first call compiles the regular expressions
  const walls = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    resolveDeclaration(declaration);
    walls.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  rmSync(scratch, { recursive: true, force: true });
  return walls;
}
rows.push(row("validation of 50 environments (in-process)", validationOf50(), "ms", 100));

console.log(`Synthesis benchmark: ${runs} runs each, ${new Date().toISOString().slice(0, 10)}, node ${process.version}`);
console.log("| measure                                      | runs |   median |      min |      max |   budget | unit | ok?  |");
console.log("|----------------------------------------------|------|----------|----------|----------|----------|------|------|");
for (const r of rows) console.log(r.text);
if (rows.some((r) => r.over)) {
  console.error("A median is over its budget.");
  process.exitCode = 1;
}
