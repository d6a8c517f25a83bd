/**
 * The example declaration, as a test fixture. The repository's cdktf.json
 * starts out as a copy of it, but cdktf.json is the user's: they replace the
 * example on day one, so no test reads it (see docs/tests.md). Tests that
 * need the example's environments read this copy instead.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const EXAMPLE_DECLARATION_FILE = join(__dirname, "..", "fixtures", "example-declaration.json");

/** A fresh copy of the example's `context.connectEncryption`. */
export function exampleDeclaration(): Record<string, any> {
  return JSON.parse(readFileSync(EXAMPLE_DECLARATION_FILE, "utf8"));
}

/** Writes a cdktf.json holding the example declaration into a scratch directory; returns its path. */
export function exampleCdktfJson(): string {
  const path = join(mkdtempSync(join(tmpdir(), "connect-kms-example-")), "cdktf.json");
  writeFileSync(path, JSON.stringify({ language: "typescript", context: { connectEncryption: exampleDeclaration() } }, null, 2));
  return path;
}
