/**
 * `npm run publish -- <environment>`: synthesizes one environment and uploads
 * its stack as a configuration version of its HCP Terraform workspace (see
 * modules/cli/publish/). The token comes from TF_TOKEN_<host> or `terraform login`.
 */
import { runPublishCli } from "./modules/cli/publish/cli";

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
