/**
 * `npm run publish -- --export <dir>`: for VCS-driven HCP Terraform
 * workspaces, which plan what a repository holds. Synthesizes every
 * environment whose state is in HCP Terraform and writes each stack's
 * Terraform files (cdk.tf.json, versions.tf: nothing machine-specific, no
 * state, no lock file) into <dir>/<stack>/, the working directory its
 * workspace watches. A file is rewritten only when its bytes change, and a
 * stack directory the declaration no longer has is removed, so that an
 * unchanged declaration leaves the tree, and a commit of it, as it was.
 * Reads the declaration; writes only under <dir>.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthesizeDeclaration } from "../../stacks/synthesis";

/** The files of a stack a workspace plans; the rest of cdktf.out (reports, policies, manifest) stays out. */
export const EXPORTED_FILES = ["cdk.tf.json", "versions.tf"] as const;

export interface ExportedStack {
  readonly stackName: string;
  readonly changed: boolean;
}

/** Writes `text` to `path` only when it differs; returns whether it did. */
function writeIfChanged(path: string, text: string): boolean {
  if (existsSync(path) && readFileSync(path, "utf8") === text) return false;
  writeFileSync(path, text);
  return true;
}

/** Exports the stacks of `environments` (cloud ones) of the declaration at `configPath` into `outDir`. */
export function exportStacks(configPath: string, environments: readonly string[], outDir: string): ExportedStack[] {
  mkdirSync(outDir, { recursive: true });
  if (environments.length === 0) {
    removeStale(outDir, new Set());
    return [];
  }
  const scratch = mkdtempSync(join(tmpdir(), "connect-kms-export-"));
  try {
    const result = synthesizeDeclaration(configPath, { requested: environments, outdir: join(scratch, "cdktf.out") });
    const stacks = result.stacks.filter((stack) => environments.some((env) => stack.stackName === `connect-encryption-${env}`));
    const exported = stacks.map((stack): ExportedStack => {
      const dir = join(outDir, stack.stackName);
      mkdirSync(dir, { recursive: true });
      const changed = EXPORTED_FILES.map((file) => writeIfChanged(join(dir, file), readFileSync(join(stack.dir, file), "utf8")));
      return { stackName: stack.stackName, changed: changed.some(Boolean) };
    });
    removeStale(outDir, new Set(stacks.map((stack) => stack.stackName)));
    return exported;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Removes stack directories of an earlier export (a cdk.tf.json inside) that the declaration no longer has. */
function removeStale(outDir: string, kept: ReadonlySet<string>): void {
  for (const entry of readdirSync(outDir, { withFileTypes: true })) {
    if (entry.isDirectory() && !kept.has(entry.name) && existsSync(join(outDir, entry.name, "cdk.tf.json"))) {
      rmSync(join(outDir, entry.name), { recursive: true, force: true });
    }
  }
}
