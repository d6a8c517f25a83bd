/**
 * `npm run reencrypt-plan -- <environment>`: how to bring objects an adopted
 * instance wrote before adoption under the environment's key.
 * Reads: the declaration file and, read-only, the old destinations of the
 * instance's S3 associations and the objects under them in AWS.
 * Writes: `cdktf.out/reencrypt/<environment>/` (S3 Batch Operations jobs, role
 * policies, the runbook); nothing is submitted.
 * How: cli.ts (arguments, AWS clients), plan.ts (the survey), job.ts (the files).
 */
import { defaultReencryptIo, reencryptMain } from "./cli";
import { declarationFile } from "../declaration-file";

reencryptMain(process.argv.slice(2), defaultReencryptIo, declarationFile(process.env)).then((code) => {
  process.exitCode = code;
});
