/** Runs the rules on a stack, and renders the compliance report. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DefaultTokenResolver, StringConcat, TerraformStack, Tokenization } from "cdktf";
import { IConstruct } from "constructs";
import { Finding, Json, ResourceView, Rule, StackView } from "./rule";
import { ALL_RULES } from "./rules";
import { Suppression, coveringSuppression, suppressionsIn } from "./suppressions";
import { LeftAsItIs, leftAsItIsIn } from "./left-as-is";

export interface RuleResult {
  readonly rule: Rule;
  readonly status: "pass" | "fail" | "suppressed" | "not applicable";
  /** Addresses of the resources the rule looked at. */
  readonly resources: readonly string[];
  readonly violations: readonly Finding[];
  readonly suppressed: readonly (Finding & { readonly reason: string })[];
  /** The result on each resource checked, in the order of `resources`. */
  readonly perResource: readonly ResourceResult[];
}

/** A rule's result on one resource: passed, violated, or violated and suppressed (with the suppression's reason). */
export interface ResourceResult {
  readonly resource: string;
  readonly result: "pass" | "violated" | "suppressed";
  readonly reason?: string;
}

export interface StackResult {
  readonly stackName: string;
  readonly results: readonly RuleResult[];
  readonly suppressions: readonly Suppression[];
  /** What the stack knowingly leaves as it is (reported, never a failure). */
  readonly leftAsItIs: readonly LeftAsItIs[];
}

export class GuardrailError extends Error {
  constructor(readonly failures: readonly { stackName: string; result: RuleResult }[]) {
    super(
      `Guardrails refused the configuration:\n${failures
        .flatMap(({ result }) =>
          result.violations.map(
            (v) => `  - [${result.rule.id} ${result.rule.name}] ${v.path}: ${v.message}\n      fix: ${result.rule.fix}`,
          ),
        )
        .join("\n")}`,
    );
    this.name = "GuardrailError";
  }
}

function viewOf(stack: TerraformStack): StackView {
  const json: Json = stack.toTerraform();
  const resources: ResourceView[] = Object.entries<Json>(json.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries<Json>(byName).map(([name, config]) => ({
      type,
      name,
      address: `${type}.${name}`,
      path: config["//"]?.metadata?.path ?? `${stack.node.path}/${name}`,
      config,
    })),
  );
  const constructs = new Map<string, IConstruct>(stack.node.findAll().map((c) => [c.node.path, c]));
  return {
    stackName: stack.node.id,
    resources,
    terraform: json.terraform ?? {},
    ofType: (type) => resources.filter((r) => r.type === type),
    ownerOf: (resource) => constructs.get(resource.path)?.node.scope,
    resolve: (value) => Tokenization.resolve(value, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) }),
  };
}

/**
 * The address a finding is about: the resource at its construct path, else
 * the address its message starts with (`aws_kms_key.key: ...`), else the
 * stack's backend (CE11).
 */
function addressOf(view: StackView, finding: Finding): string {
  const byPath = view.resources.find((r) => r.path === finding.path);
  if (byPath) return byPath.address;
  const named = /^([a-z0-9_]+\.[A-Za-z0-9_-]+): /.exec(finding.message)?.[1];
  return named ?? "terraform.backend";
}

function perResource(
  view: StackView,
  resources: readonly string[],
  violations: readonly Finding[],
  suppressed: readonly (Finding & { reason: string })[],
): ResourceResult[] {
  const violated = new Set(violations.map((f) => addressOf(view, f)));
  const reasons = new Map<string, string[]>();
  for (const f of suppressed) {
    const address = addressOf(view, f);
    if (!(reasons.get(address) ?? []).includes(f.reason)) reasons.set(address, [...(reasons.get(address) ?? []), f.reason]);
  }
  const addresses = [...resources, ...[...violated, ...reasons.keys()].filter((a) => !resources.includes(a))];
  return addresses.map((resource): ResourceResult => {
    if (violated.has(resource)) return { resource, result: "violated" };
    const why = reasons.get(resource);
    return why ? { resource, result: "suppressed", reason: why.join(" ") } : { resource, result: "pass" };
  });
}

export function checkStack(stack: TerraformStack, rules: readonly Rule[] = ALL_RULES): StackResult {
  const view = viewOf(stack);
  const suppressions = suppressionsIn(stack);
  const results = rules.map((rule): RuleResult => {
    const findings = rule.check(view);
    const violations: Finding[] = [];
    const suppressed: (Finding & { reason: string })[] = [];
    for (const f of findings) {
      const s = coveringSuppression(suppressions, rule.id, f.path);
      if (s) suppressed.push({ ...f, reason: s.reason });
      else violations.push(f);
    }
    const resources = rule.appliesTo.flatMap((type) =>
      type === "terraform.backend" ? (view.terraform.backend ? ["terraform.backend"] : []) : view.ofType(type).map((r) => r.address),
    );
    const status =
      violations.length > 0 ? "fail" : suppressed.length > 0 ? "suppressed" : resources.length === 0 ? "not applicable" : "pass";
    return { rule, status, resources, violations, suppressed, perResource: perResource(view, resources, violations, suppressed) };
  });
  return { stackName: view.stackName, results, suppressions, leftAsItIs: leftAsItIsIn(stack) };
}

/** Throws a GuardrailError listing every unsuppressed violation. */
export function assertCompliant(results: readonly StackResult[]): void {
  const failures = results.flatMap((r) =>
    r.results.filter((x) => x.status === "fail").map((result) => ({ stackName: r.stackName, result })),
  );
  if (failures.length > 0) throw new GuardrailError(failures);
}

export function reportJson(result: StackResult): string {
  return `${JSON.stringify(
    {
      stack: result.stackName,
      rules: result.results.map(({ rule, status, resources, violations, suppressed, perResource }) => ({
        id: rule.id,
        name: rule.name,
        requirement: rule.requirement,
        controls: rule.controls,
        status,
        resources,
        violations,
        suppressed,
        perResource,
      })),
      suppressions: result.suppressions,
      // Only when there is something: reports of stacks without it stay as they were.
      ...(result.leftAsItIs.length > 0 ? { leftAsItIs: result.leftAsItIs } : {}),
    },
    null,
    2,
  )}\n`;
}

/** A rule's result in one cell: its status, and for a suppressed rule how many resources were suppressed and how many passed. */
function ruleResultCell({ status, perResource }: RuleResult): string {
  if (status !== "suppressed" && status !== "fail") return status;
  const count = (result: ResourceResult["result"]): number => perResource.filter((r) => r.result === result).length;
  const parts = (["violated", "suppressed", "pass"] as const)
    .filter((r) => count(r) > 0)
    .map((r) => `${count(r)} ${r === "pass" ? "passed" : r}`);
  return `${status} (${parts.join(", ")})`;
}

export function reportMarkdown(result: StackResult): string {
  const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const lines = [
    `# Compliance report: ${result.stackName}`,
    "",
    "Written by synthesis; synthesis stops on any unsuppressed violation. Each rule's result is listed below, then its result on every resource it checked: `pass`, or `suppressed` with the written reason (a rule is `suppressed` when at least one resource is; its other resources passed). A rule that checked no resource is `not applicable`.",
    "",
    "| Rule | Requirement | Controls | Result |",
    "|------|-------------|----------|--------|",
    ...result.results.map(
      (r) =>
        `| ${r.rule.id} ${r.rule.name} | ${cell(r.rule.requirement)} | ${cell(
          Object.entries(r.rule.controls)
            .map(([f, c]) => `${f} ${c.join(", ")}`)
            .join("; "),
        )} | ${ruleResultCell(r)} |`,
    ),
    "",
    "## Results per resource",
    "",
    "| Rule | Resource | Result | Reason |",
    "|------|----------|--------|--------|",
    ...result.results.flatMap(({ rule, perResource }) =>
      perResource.length === 0
        ? [`| ${rule.id} | - | not applicable | |`]
        : perResource.map((r) => `| ${rule.id} | \`${r.resource}\` | ${r.result} | ${r.reason ? cell(r.reason) : ""} |`),
    ),
    "",
    "## Suppressions",
    "",
    ...(result.results.some((r) => r.suppressed.length > 0)
      ? [
          "| Rule | Resource | Reason |",
          "|------|----------|--------|",
          ...result.results.flatMap(({ rule, suppressed }) => suppressed.map((s) => `| ${rule.id} | \`${s.path}\` | ${cell(s.reason)} |`)),
        ]
      : ["None."]),
    "",
    ...(result.leftAsItIs.length > 0
      ? [
          "## Left as it is",
          "",
          "Not managed by this stack, and so not covered by the rules above: content written there may stay outside the key.",
          "",
          "| What | Reason |",
          "|------|--------|",
          ...result.leftAsItIs.map((l) => `| ${cell(l.subject)} | ${cell(l.reason)} |`),
          "",
        ]
      : []),
  ];
  return lines.join("\n");
}

/** Writes `<outdir>/compliance/<stack>.json` and `.md`. */
export function writeReports(outdir: string, results: readonly StackResult[]): void {
  const directory = join(outdir, "compliance");
  mkdirSync(directory, { recursive: true });
  for (const result of results) {
    writeFileSync(join(directory, `${result.stackName}.json`), reportJson(result));
    writeFileSync(join(directory, `${result.stackName}.md`), reportMarkdown(result));
  }
}
