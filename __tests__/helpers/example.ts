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

/**
 * Writes a scratch file in cdktf.json's shape holding `declaration` (default:
 * the example fixture); returns its path, for CONNECT_ENCRYPTION_CONFIG.
 */
export function exampleCdktfJson(declaration: Record<string, any> = exampleDeclaration()): string {
  const path = join(mkdtempSync(join(tmpdir(), "connect-kms-example-")), "cdktf.json");
  writeFileSync(path, JSON.stringify({ language: "typescript", context: { connectEncryption: declaration } }, null, 2));
  return path;
}
