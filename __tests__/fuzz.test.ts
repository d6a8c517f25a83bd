/**
 * `npm run fuzz` (helpers/fuzz.ts, bundled by scripts/fuzz.mjs): its
 * options, its report, and what it prints of a failure: the shrunk
 * declaration, ready to paste under "context" in cdktf.json, and the command
 * that replays the run. The property itself is properties.test.ts's.
 */
jest.mock("./helpers/declaration-property", () => ({
  // A stand-in property that fails for every declaration of two environments or more.
  checkDeclaration: async (declaration: Record<string, any>) => {
    if (Object.keys(declaration.environments).length > 1) throw new Error("accepted, but: two environments");
    return { stacks: 1, resourceTypes: [] };
  },
}));

// Required after the mock (this suite's transform does not hoist jest.mock above imports).
const { fuzz } = require("./helpers/fuzz") as typeof import("./helpers/fuzz");

async function run(args: string[]): Promise<{ code: number; printed: string }> {
  const lines: string[] = [];
  const code = await fuzz(args, (line) => lines.push(line));
  return { code, printed: lines.join("\n") };
}

test("options: --runs and --seed, anything else refused with the usage", async () => {
  await expect(run(["--runs", "0"])).rejects.toThrow(/usage: npm run fuzz -- \[--runs N\] \[--seed S\]/);
  await expect(run(["--seeds", "3"])).rejects.toThrow(/usage/);
  await expect(run(["--runs", "x"])).rejects.toThrow(/usage/);
});

test("a failure is reported with the shrunk declaration, ready to paste, and the command that replays it", async () => {
  const { code, printed } = await run(["--runs", "200", "--seed", "5"]);
  expect(code).toBe(1);
  expect(printed).toMatch(/^\d+ declarations in [\d.]+ s \(seed 5\): \d+ accepted/);
  expect(printed).toContain("FAILED after");
  expect(printed).toContain("accepted, but: two environments");
  const pasted = printed.split('for "context" in cdktf.json:\n')[1].split("\n\nReplay:")[0];
  const shrunk = JSON.parse(pasted).connectEncryption;
  // Shrunk to the smallest declaration that still fails: two environments.
  expect(Object.keys(shrunk.environments)).toHaveLength(2);
  expect(printed).toContain("Replay: npm run fuzz -- --runs 200 --seed 5");
});
