/**
 * Synthesis of a declaration file, as `npm run synth` runs it and as
 * `npm run check` and the tests reuse it: read and validate the whole
 * declaration, build the selected stacks, run the guardrails on them, and
 * only then write the stacks, their compliance reports and deployer policies.
 */
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { App } from "cdktf";
import { DECLARATION_ROOT, Declaration, readDeclaration, resolveDeclaration, selectStacks } from "../config/config";
import { writtenAt } from "../config/validation";
import { StackResult, assertCompliant, checkStack, writeReports } from "../guardrails/check";
import { checkStaticInvariants } from "../invariants/check";
import { checkedStack } from "../invariants/facts";
import { CheckedStack, InvariantError } from "../invariants/invariant";
import { ConnectEncryptionStack } from "./connect-encryption-stack";
import { StateBootstrapStack, deployRoleSources } from "./state-bootstrap-stack";
import { deployerPolicy, deployerTargetOf, writeDeployerPolicies } from "./deployer-policy";

export interface WrittenStack {
  readonly stackName: string;
  /** The stack's directory (holding cdk.tf.json). */
  readonly dir: string;
  readonly region: string;
  /** Resources in the stack's Terraform JSON. */
  readonly resources: number;
}

export interface SynthesisResult {
  readonly outdir: string;
  readonly stacks: readonly WrittenStack[];
  readonly warnings: readonly string[];
  readonly compliance: readonly StackResult[];
  /** Stack directories of earlier runs that this run's manifest no longer lists, removed. */
  readonly removedStale: readonly string[];
  /** The stacks as the invariants read them, with their deployer policies (made on demand: `npm run check` asks). */
  readonly invariantStacks: () => CheckedStack[];
}

export interface SynthesisOptions {
  /** Environments to synthesize (`state` names the bootstrap stack); all when empty. */
  readonly requested?: readonly string[];
  /** Where to write; cdktf's default (CDKTF_OUTDIR, else ./cdktf.out) when absent. */
  readonly outdir?: string;
}

/**
 * Synthesizes the declaration in `configPath`. Throws a ConfigError (invalid
 * declaration, unknown environment), a GuardrailError (a rule violated) or
 * an InvariantError (a stack AWS would refuse) before anything is written.
 */
export function synthesizeDeclaration(configPath: string, options: SynthesisOptions = {}): SynthesisResult {
  const raw = readDeclaration(configPath);
  // Validated before the App exists: cdktf creates the output directory with it.
  const selection = selectDeclaration(raw, options.requested ?? [], configPath);
  // Our own validation has run; cdktf's would add a `terraform version` call
  // (for the cloud block), which makes synthesis need Terraform installed.
  const app = new App({ skipValidation: true, ...(options.outdir ? { outdir: options.outdir } : {}) });
  const { stacks, compliance, warnings } = addSelectedStacks(app, raw, selection);
  app.synth();
  writeReports(app.outdir, compliance);
  writeDeployerPolicies(app.outdir, stacks);
  const removedStale = removeStaleStacks(app.outdir);
  return {
    outdir: app.outdir,
    stacks: stacks.map((stack) => writtenStack(app.outdir, stack)),
    warnings,
    compliance,
    removedStale,
    invariantStacks: () => invariantStacks(raw, stacks, true),
  };
}

/** The stacks a declaration adds to an app, their guardrails' results and the declaration's warnings. */
export interface DeclarationStacks {
  readonly stacks: readonly DeclarationStack[];
  readonly compliance: readonly StackResult[];
  readonly warnings: readonly string[];
}

/** A validated declaration, the part of it to build, and where its fields' paths start. */
export interface DeclarationSelection {
  readonly declaration: Declaration;
  readonly selected: Declaration;
  readonly root: string;
}

/**
 * Validates the declaration `raw` (as written in `source`, at `root` there) and
 * selects `requested` (all when empty); throws a ConfigError.
 */
export function selectDeclaration(
  raw: unknown,
  requested: readonly string[],
  source: string,
  root = DECLARATION_ROOT,
): DeclarationSelection {
  const declaration = resolveDeclaration(raw, source, root);
  return { declaration, selected: selectStacks(declaration, requested, source), root };
}

/**
 * Adds the selected stacks to `app` and runs the guardrails and the static
 * invariants on them; throws a GuardrailError or an InvariantError, and then
 * the stacks must not be synthesized. The declaration-file app and the
 * library (modules/library) both build through it.
 */
export function addSelectedStacks(app: App, raw: unknown, { declaration, selected, root }: DeclarationSelection): DeclarationStacks {
  const { environments, stateBootstrap } = selected;
  const warnings = [...(stateBootstrap?.warnings ?? []), ...environments.flatMap((e) => e.warnings)];
  const stacks = buildStacks(app, declaration, selected);
  // Guardrails run on the rendered stacks before anything is written.
  const compliance = stacks.map((stack) => checkStack(stack));
  assertCompliant(compliance);
  assertInvariants(raw, stacks, root);
  return { stacks, compliance, warnings };
}

/**
 * The stacks as the invariants read them, with the declaration field each
 * value was written in, and (for the evaluated invariants) each stack's
 * generated deployer policy.
 */
export function invariantStacks(
  raw: unknown,
  stacks: readonly DeclarationStack[],
  withDeployerPolicies = false,
  root = DECLARATION_ROOT,
): CheckedStack[] {
  const at = writtenAt(raw, root);
  return stacks.map((stack) => {
    const settings = stack.settings;
    const fieldOf =
      "namePrefix" in settings
        ? (segments: readonly string[]) => at(settings.name, ...segments)
        : (segments: readonly string[]) => `${root}.stateBootstrap${BOOTSTRAP_FIELDS[segments.join(".")] ?? ""}`;
    const json = JSON.parse(JSON.stringify(stack.toTerraform()));
    const deployer = withDeployerPolicies ? { deployerPolicy: deployerPolicy(json, deployerTargetOf(settings)) } : {};
    return checkedStack(settings.stackName, json, { fieldOf, ...deployer });
  });
}

/** An environment's field, where the state bootstrap has one of its own. */
const BOOTSTRAP_FIELDS: Readonly<Record<string, string>> = { "key.alias": ".keyAlias", "bucket.name": ".bucket", tags: ".tags" };

/** The invariants that need no engine (modules/invariants/check.ts): a violation stops synthesis. */
function assertInvariants(raw: unknown, stacks: readonly DeclarationStack[], root: string): void {
  const violations = checkStaticInvariants(invariantStacks(raw, stacks, false, root));
  if (violations.length > 0) throw new InvariantError(violations);
}

export type DeclarationStack = ConnectEncryptionStack | StateBootstrapStack;

/**
 * The stacks of `selected` (all of the declaration unless narrowed), the
 * state bootstrap first. The environments are built first: with
 * hcpTerraform.deployRoles the bootstrap's deploy roles carry each
 * environment's deployer policy, generated from its rendered JSON; the
 * declaration's environments not selected are rendered in a scratch App
 * (deployRoleSources).
 */
export function buildStacks(app: App, declaration: Declaration, selected: Declaration = declaration): DeclarationStack[] {
  const environmentStacks = selected.environments.map((environment) => new ConnectEncryptionStack(app, environment));
  const bootstrap = selected.stateBootstrap;
  const bootstrapStack =
    bootstrap && new StateBootstrapStack(app, bootstrap, deployRoleSources(bootstrap, declaration.environments, environmentStacks));
  return [...(bootstrapStack ? [bootstrapStack] : []), ...environmentStacks];
}

function writtenStack(outdir: string, stack: ConnectEncryptionStack | StateBootstrapStack): WrittenStack {
  const stackName = stack.settings.stackName;
  const dir = join(outdir, "stacks", stackName);
  const json = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8"));
  const resources = Object.values<Record<string, unknown>>(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
  return { stackName, dir, region: stack.settings.region, resources };
}

/**
 * Narrowing synthesis to some environments rewrites the manifest with those
 * alone; the directories (and compliance reports) of the other stacks, from
 * an earlier run, would stay behind, stale, for someone to `terraform apply`
 * by hand. They are removed: `cdktf deploy` synthesizes again itself, and no
 * state lives there (local state is at the project root). Only directories
 * that hold a synthesized stack are touched.
 */
function removeStaleStacks(outdir: string): string[] {
  const stacksDir = join(outdir, "stacks");
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
  const listed = new Set(Object.keys(manifest.stacks ?? {}));
  const stale = existsSync(stacksDir)
    ? readdirSync(stacksDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && !listed.has(entry.name) && existsSync(join(stacksDir, entry.name, "cdk.tf.json")))
        .map((entry) => entry.name)
        .sort()
    : [];
  for (const name of stale) {
    rmSync(join(stacksDir, name), { recursive: true, force: true });
    for (const ext of ["json", "md"]) rmSync(join(outdir, "compliance", `${name}.${ext}`), { force: true });
  }
  return stale;
}

/** The lines `npm run synth` ends with: one per stack written, what was removed, then the warnings. */
export function synthesisSummary(result: SynthesisResult, cwd = process.cwd()): { out: string[]; err: string[] } {
  const shown = (path: string): string => relative(cwd, path) || ".";
  const width = Math.max(...result.stacks.map((s) => s.stackName.length));
  const out = [
    `Synthesized ${result.stacks.length} stack${result.stacks.length === 1 ? "" : "s"} into ${shown(result.outdir)}:`,
    ...result.stacks.map(
      (s) => `  ${s.stackName.padEnd(width)}  ${String(s.resources).padStart(4)} resources  ${shown(join(s.dir, "cdk.tf.json"))}`,
    ),
    `Compliance reports: ${shown(join(result.outdir, "compliance"))}/<stack>.md and .json`,
    ...(result.removedStale.length > 0
      ? [`Removed stale stack directories that this synthesis does not list: ${result.removedStale.join(", ")}`]
      : []),
  ];
  const err = result.warnings.map((w) => `Warning: ${w}`);
  return { out, err };
}
