/**
 * The compliance report's Markdown says what its JSON says, resource by
 * resource, for every stack of several declarations: an auditor reading the
 * Markdown must never see a resource as suppressed (or passed) when the JSON,
 * and the findings behind it, say otherwise.
 */
import { checkStack, reportJson, reportMarkdown } from "../modules/guardrails/check";
import { BuiltStack, DECLARATIONS, buildAll } from "./helpers/declarations";
import { Json } from "./helpers/synth";

const stacks: [string, BuiltStack][] = Object.entries(DECLARATIONS).flatMap(([label, decl]) =>
  buildAll(decl).map((built): [string, BuiltStack] => [`${label}: ${built.name}`, built]),
);

/** The rows of the Markdown's "Results per resource" table: rule, resource, result, reason. */
function markdownRows(markdown: string): { rule: string; resource: string; result: string; reason: string }[] {
  const section = markdown.split("## Results per resource")[1].split("\n## ")[0];
  return section
    .split("\n")
    .filter((line) => /^\| CE\d\d /.test(line))
    .map((line) => {
      const [rule, resource, result, reason] = line
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((c) => c.trim());
      return { rule, resource: resource.replace(/`/g, ""), result, reason: reason.replace(/\\\|/g, "|") };
    });
}

describe.each(stacks)("the compliance report of %s", (_, { stack }) => {
  const result = checkStack(stack);
  const json: Json = JSON.parse(reportJson(result));
  const markdown = reportMarkdown(result);
  const rows = markdownRows(markdown);

  test("lists every resource of every rule with the JSON's result and reason, and nothing else", () => {
    const fromJson = json.rules.flatMap((rule: Json) =>
      rule.perResource.length === 0
        ? [{ rule: rule.id, resource: "-", result: "not applicable", reason: "" }]
        : rule.perResource.map((r: Json) => ({ rule: rule.id, resource: r.resource, result: r.result, reason: r.reason ?? "" })),
    );
    expect(rows).toEqual(fromJson);
  });

  test("shows a resource as suppressed only when a finding on it was suppressed, and as passed only when none was", () => {
    for (const rule of json.rules) {
      const suppressedAddresses = new Set(rule.suppressed.map((f: Json) => f.message.split(": ")[0]));
      const violatedAddresses = new Set(rule.violations.map((f: Json) => f.message.split(": ")[0]));
      for (const row of rows.filter((r) => r.rule === rule.id && r.resource !== "-")) {
        expect([rule.id, row.resource, row.result]).toEqual([
          rule.id,
          row.resource,
          violatedAddresses.has(row.resource) ? "violated" : suppressedAddresses.has(row.resource) ? "suppressed" : "pass",
        ]);
      }
      // Every resource the rule checked has a row, and the rule's own result agrees with them.
      expect(rule.resources.every((r: string) => rows.some((row) => row.rule === rule.id && row.resource === r))).toBe(true);
      const summary = markdown.split("\n").find((line) => line.startsWith(`| ${rule.id} ${rule.name} |`))!;
      expect(summary.split(" | ").at(-1)).toMatch(new RegExp(`^${rule.status}\\b`));
    }
  });
});

test("the recordings bucket's encryption (CE04) is reported as passed, not as suppressed, beside the suppressed log bucket", () => {
  const [dev] = buildAll(DECLARATIONS["defaults without replication"]);
  const rows = markdownRows(reportMarkdown(checkStack(dev.stack)));
  expect(rows.filter((r) => r.rule === "CE04").map((r) => [r.resource, r.result])).toEqual([
    ["aws_s3_bucket.access_logs", "suppressed"],
    ["aws_s3_bucket.recordings", "pass"],
  ]);
});
