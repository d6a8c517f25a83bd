// `npm run deploy|diff|destroy|list`: the cdktf CLI with its telemetry off.
// Offline (and behind proxies) cdktf's update check prints
// "[ERROR] ... getaddrinfo ENOTFOUND" on every command; CHECKPOINT_DISABLE
// switches it off (a value you set yourself wins). CDKTF_BIN names another
// cdktf executable (the tests give a stand-in).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = process.env.CDKTF_BIN ?? join(root, "node_modules", ".bin", process.platform === "win32" ? "cdktf.cmd" : "cdktf");
const env = { CHECKPOINT_DISABLE: "1", ...process.env };
const result = spawnSync(bin, process.argv.slice(2), { stdio: "inherit", env });
process.exitCode = result.status ?? 1;
