/**
 * A few refused declarations run as users run them (node dist/main.js in a
 * project directory): exit 1, the field named, no stack trace, and nothing
 * written or changed (the directory holds exactly its cdktf.json afterwards).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");
const MAIN = join(ROOT, "dist", "main.js");
const VALID_ENV = '"prod": {"region": "eu-west-2", "instance": {"create": {"alias": "acme-prod"}}';

beforeAll(() => execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs")]));

test.each([
  ["a byte-order mark", `\ufeff{"context": {"connectEncryption": {"environments": {${VALID_ENV}}}}}}`, "cdktf.json: line 1, column 1"],
  [
    "a syntax error",
    `{"context": {\n  "connectEncryption": {"environments": {${VALID_ENV},}}}}}`,
    "cdktf.json: cannot be read as JSON: line 2",
  ],
  [
    "an object-model key",
    `{"context": {"connectEncryption": {"environments": {${VALID_ENV}, "tags": {"__proto__": "x"}}}}}}`,
    "environments.prod.tags.__proto__",
  ],
  [
    "a template sequence",
    `{"context": {"connectEncryption": {"environments": {${VALID_ENV}, "key": {"description": "\${file(\\"/etc/passwd\\")}"}}}}}}`,
    "environments.prod.key.description",
  ],
  // Issue 22: JSON.parse would keep the last of the two, and decoding would turn the byte into U+FFFD; both without a word.
  [
    "a key written twice",
    `{"context": {"connectEncryption": {"environments": {${VALID_ENV},\n  "key": {"allowAccountRoot": false,\n    "allowAccountRoot": true}}}}}}`,
    "cdktf.json: context.connectEncryption.environments.prod.key.allowAccountRoot: written twice (lines 2 and 3); JSON keeps only the last",
  ],
  [
    "an environment written twice",
    `{"context": {"connectEncryption": {"environments": {${VALID_ENV}},\n  ${VALID_ENV}}}}}}`,
    "cdktf.json: context.connectEncryption.environments.prod: written twice (lines 1 and 2)",
  ],
  [
    "invalid UTF-8 (a lone 0xC3)",
    Buffer.concat([
      Buffer.from(`{"context": {"connectEncryption": {"environments": {${VALID_ENV}, "tags": {"team": "`),
      Buffer.from([0xc3]),
      Buffer.from('"}}}}}}'),
    ]),
    "cdktf.json: byte offset 150 (line 1, column 151) is not valid UTF-8 (the bytes there: 0xC3 0x22); save the file as UTF-8",
  ],
])("%s: exit 1, the field named, no stack trace, nothing written", (_, text, field) => {
  const dir = mkdtempSync(join(tmpdir(), "connect-kms-refused-"));
  writeFileSync(join(dir, "cdktf.json"), text);
  const env = { ...process.env };
  delete env.CDKTF_OUTDIR;
  const result = spawnSync(process.execPath, [MAIN], { cwd: dir, encoding: "utf8", env });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain(field);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(readdirSync(dir)).toEqual(["cdktf.json"]);
  expect(readFileSync(join(dir, "cdktf.json")).equals(Buffer.from(text))).toBe(true);
});
