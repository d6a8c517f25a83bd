/**
 * `npm run publish -- <environment>` (or `--list`, `--export <dir>`).
 * Reads: the declaration file, the environment's synthesized stack, the HCP
 * Terraform token (TF_TOKEN_<host> or `terraform login`).
 * Writes: a configuration version of the environment's workspace (upload);
 * with --export, `<dir>/<stack>/` for VCS-driven workspaces; the run's URL on stdout.
 * How: cli.ts (arguments, synthesis), hcp-terraform.ts (the API), vcs-export.ts.
 */
import { runPublishCli } from "./cli";

runPublishCli(process.argv.slice(2), process.env, process.cwd(), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`publish: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
