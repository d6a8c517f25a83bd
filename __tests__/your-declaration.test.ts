/**
 * cdktf.json is yours: the example it starts as is documentation, and the
 * suite's own configurations are fixtures (__tests__/fixtures/,
 * helpers/declarations.ts). The one test here that reads your cdktf.json (or
 * the file CONNECT_ENCRYPTION_CONFIG names) asks only that it is valid and
 * that every stack it declares synthesizes and passes the guardrails, so
 * `npm test` passes for any valid declaration. `npm run check` puts your
 * stacks through Terraform as well.
 */
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { synthesizeDeclaration } from "../modules/stacks/synthesis";
import { exampleCdktfJson, exampleDeclaration } from "./helpers/example";

const ROOT = resolve(__dirname, "..");
const YOURS = process.env.CONNECT_ENCRYPTION_CONFIG ?? join(ROOT, "cdktf.json");

test("your cdktf.json is valid, and every stack it declares synthesizes and passes the guardrails", () => {
  let result: ReturnType<typeof synthesizeDeclaration> | undefined;
  try {
    result = synthesizeDeclaration(YOURS, { outdir: join(mkdtempSync(join(tmpdir(), "connect-kms-yours-")), "cdktf.out") });
  } catch (error) {
    throw new Error(`${YOURS} does not synthesize (run npm run synth to see the same message):\n${(error as Error).message}`);
  }
  expect(result.stacks.length).toBeGreaterThan(0);
});

test("no other test reads the repository's cdktf.json: tests read fixtures, so they pass whatever cdktf.json declares", () => {
  const readers = readdirSync(__dirname, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && file !== "your-declaration.test.ts")
    .filter((file) => {
      const text = readFileSync(join(__dirname, file), "utf8");
      return /\(\s*["']\.\.\/cdktf\.json["']\s*\)|join\([^)]*(ROOT|__dirname)[^)]*["']cdktf\.json["']\s*\)/.test(text);
    });
  expect(readers).toEqual([]);
});

test("a user's first edit, an environment added to the example declaration, synthesizes every stack through the guardrails", () => {
  const declaration = exampleDeclaration();
  declaration.environments.qa = { accountId: "444444444444", instance: { create: { alias: "acme-connect-qa" } } };
  const config = exampleCdktfJson(declaration);
  const dir = dirname(config);
  const result = synthesizeDeclaration(config, { outdir: join(dir, "cdktf.out") });
  expect(result.stacks.map((s) => s.stackName).sort()).toEqual(
    ["dev", "prod", "qa", "staging", "state"].map((env) => `connect-encryption-${env}`),
  );
  expect(readdirSync(join(dir, "cdktf.out", "stacks")).sort()).toContain("connect-encryption-qa");
});
