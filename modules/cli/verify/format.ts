/** The verifier's report: a table for people, JSON for CI. */
import { CheckResult } from "./model";

const MARK: Record<CheckResult["status"], string> = { pass: "PASS", fail: "FAIL", "not-yet": "NOT YET", error: "ERROR" };

export function summary(results: readonly CheckResult[]): Record<CheckResult["status"], number> {
  const counts = { pass: 0, fail: 0, "not-yet": 0, error: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}

export function table(results: readonly CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.id.length), 5);
  const lines = results.map(
    (r) => `${MARK[r.status].padEnd(7)}  ${r.id.padEnd(width)}  ${r.title}\n${" ".repeat(9 + width)}  ${r.evidence}`,
  );
  const s = summary(results);
  return [...lines, "", `${s.pass} passed, ${s.fail} failed, ${s["not-yet"]} not yet, ${s.error} could not be checked`].join("\n");
}

export function json(results: readonly CheckResult[], context: Record<string, string>): string {
  return JSON.stringify({ ...context, summary: summary(results), checks: results }, null, 2);
}

/** Non-zero when anything failed or could not be checked; "not yet" is not a failure. */
export function exitCode(results: readonly CheckResult[]): number {
  const s = summary(results);
  return s.fail > 0 || s.error > 0 ? 1 : 0;
}
