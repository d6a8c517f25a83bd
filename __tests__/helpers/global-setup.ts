/**
 * Runs once before the suite: a good part of it needs Terraform and the
 * hashicorp/aws provider. When they cannot be had (no Terraform, a mirror
 * that is not one, no network and no mirror), the run stops here with one
 * line saying what to do, instead of the same Terraform error in every test.
 * The check is scripts/preflight.cjs, which `npm test` runs before anything.
 * Then it starts the provider process that schema-only commands share
 * (shared-provider.ts); global-teardown.ts stops it.
 */
import { shareProviderForRun } from "./shared-provider";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { preflight } = require("../../scripts/preflight.cjs") as { preflight: () => string | undefined };

export const STOP_SHARED_PROVIDER = Symbol.for("connect-kms.stopSharedProvider");

export default async function globalSetup(): Promise<void> {
  const missing = preflight();
  if (missing) {
    process.stderr.write(`\nnpm test cannot run the Terraform tests: ${missing}\n\n`);
    process.exit(1);
  }
  (globalThis as Record<symbol, unknown>)[STOP_SHARED_PROVIDER] = await shareProviderForRun();
}
