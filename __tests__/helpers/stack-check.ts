import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthToDirectory, Json } from "./synth";
import { init, planTest } from "./terraform";
import { offlinePlanTest } from "./plan-test";

export interface SynthesizedStack {
  readonly dir: string;
  readonly stack: Json;
  readonly region: string;
}

/** Synthesizes a declaration into a scratch directory; returns each stack's directory and JSON. */
export function synthesized(decl: Json): SynthesizedStack[] {
  const outdir = mkdtempSync(join(tmpdir(), "connect-kms-tf-synth-"));
  return synthToDirectory(decl, outdir).map(({ stackName, region }) => {
    const dir = join(outdir, "stacks", stackName);
    return { dir, stack: JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")), region };
  });
}

/**
 * init, then the offline plan test with the stack's own assertions and
 * `extra` ones. `terraform test` validates the configuration first (the
 * broken-stack test in terraform-variants shows a provider validation
 * failing it), so a separate `terraform validate` would only repeat that.
 */
export function checkStack({ dir, stack, region }: SynthesizedStack, extra: string[] = []): void {
  init(dir, { shareProviders: true });
  planOnly({ dir, stack, region }, extra);
}

/** The offline plan test alone (it validates the configuration too), for stacks already validated elsewhere. */
export function planOnly({ dir, stack, region }: SynthesizedStack, extra: string[] = []): void {
  const result = planTest(dir, "offline_plan", offlinePlanTest(stack, region, extra));
  expect(result.output).toMatch(/run "offline_plan"\.\.\. pass/);
  expect(result.output).toMatch(/1 passed, 0 failed/);
}
