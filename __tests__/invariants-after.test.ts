/**
 * The declarations whose stacks broke the invariants before the fixes
 * (invariants-before.test.ts) now synthesize stacks that satisfy all of
 * them, and so do the example and the suite's other declarations.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { DECLARATIONS } from "./helpers/declarations";
import { violationsOf } from "./helpers/invariants";
import { formatViolation } from "../modules/invariants/invariant";

const DIR = join(__dirname, "fixtures", "declarations");
const ISSUE_DECLARATIONS = readdirSync(DIR).filter((f) => f.endsWith(".json"));

test.each(ISSUE_DECLARATIONS)("%s: every stack satisfies every invariant", async (file) => {
  const violations = await violationsOf(JSON.parse(readFileSync(join(DIR, file), "utf8")));
  expect(violations.map(formatViolation)).toEqual([]);
});

test.each(Object.keys(DECLARATIONS))("%s: every stack satisfies every invariant", async (name) => {
  const violations = await violationsOf(DECLARATIONS[name]);
  expect(violations.map(formatViolation)).toEqual([]);
});
