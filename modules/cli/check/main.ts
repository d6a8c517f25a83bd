/**
 * `npm run check [-- <environment> ...]`: the user's declaration checked as the
 * suite checks the package's.
 * Reads: the declaration file (CONNECT_ENCRYPTION_CONFIG, else cdktf.json),
 * Terraform and the AWS provider (TERRAFORM_PROVIDER_MIRROR offline).
 * Writes: only a scratch directory it removes; one line per stack on stdout.
 * How: check.ts (synthesis, guardrails, invariants), terraform.ts and
 * plan-test.ts (init, validate, an offline plan under `terraform test`).
 */
import { checkMain } from "./check";
import { declarationFile } from "../declaration-file";
import { skipTokenStackTraces } from "../../stacks/token-stack-traces";

skipTokenStackTraces();
checkMain(process.argv.slice(2), undefined, declarationFile(process.env)).then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    process.exitCode = 2;
  },
);
