// Preloaded into every Node process of a benchmarked command (through
// NODE_OPTIONS): on exit, appends the process's peak resident set size in KiB.
const { appendFileSync } = require("node:fs");

const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on("exit", () => {
    appendFileSync(file, `${process.pid} ${process.argv.slice(1).join(" ")}\t${process.resourceUsage().maxRSS}\n`);
  });
}
