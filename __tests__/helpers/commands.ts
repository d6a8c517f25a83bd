/**
 * What the command tests share about a command as a user meets it: its help
 * held to the option table its parser reads and to the environment variables
 * its code reads (taken from the code, so that a new one without a line in
 * the help fails), and the built entry point run in a directory of its own.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, normalize, resolve } from "node:path";
import { CliOption } from "../../modules/cli/options";

const ROOT = resolve(__dirname, "..", "..");

/** The word `text` must contain: not as part of a longer option (`--json` is not in `--json-lines`). */
function mentions(text: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^\\w-])${escaped}(?![\\w-])`, "m").test(text);
}

/** The options of the table, long and short spellings, that the help does not mention. */
export function undocumentedOptions(help: string, options: readonly CliOption[]): string[] {
  return options.flatMap((o) => [o.name, ...(o.short ? [o.short] : [])]).filter((spelling) => !mentions(help, spelling));
}

/** The variables the help does not mention. */
export function undocumentedVariables(help: string, variables: readonly string[]): string[] {
  return variables.filter((name) => !mentions(help, name));
}

/** The repository's .ts file a relative import of `from` names, if it is one. */
function importedFile(from: string, specifier: string): string | undefined {
  const base = normalize(join(dirname(from), specifier));
  return [`${base}.ts`, join(base, "index.ts")].find(existsSync);
}

/** `entry` (a path from the repository root) and every repository file it imports, transitively. */
export function sourcesOf(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const [, specifier] of text.matchAll(/(?:from|import|require)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
      const imported = importedFile(file, specifier);
      if (imported) visit(imported);
    }
  };
  visit(join(ROOT, entry));
  return [...seen];
}

/**
 * The environment variables the code of `entry` reads by name: `env.NAME`,
 * `process.env.NAME`, and `env[NAME]` where NAME is a constant of those
 * files (`const NAME = "VALUE"`). A name built at run time (TF_TOKEN_<host>)
 * is not seen here: the test that calls this adds it.
 */
export function variablesRead(entry: string): string[] {
  const texts = sourcesOf(entry).map((file) => readFileSync(file, "utf8"));
  const constants = new Map(
    texts.flatMap((t) => [...t.matchAll(/\bconst ([A-Z][A-Z0-9_]*) = "([A-Z][A-Z0-9_]*)"/g)].map((m) => [m[1], m[2]])),
  );
  const names = texts.flatMap((t) => [
    ...[...t.matchAll(/\benv\.([A-Z][A-Z0-9_]*)\b/g)].map((m) => m[1]),
    ...[...t.matchAll(/\benv\[([A-Z][A-Z0-9_]*)\]/g)].map((m) => constants.get(m[1]) ?? `unresolved constant ${m[1]}`),
  ]);
  return [...new Set(names)].sort();
}

/** Builds dist/ (nothing when it is newer than every source), as `npm run <command>` does first. */
export function buildEntries(): void {
  execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs")]);
}

/**
 * A working directory without a cdktf.json, and a declaration (environments
 * dev and live, live in HCP Terraform) at a path relative to it and at an
 * absolute path elsewhere: joined to the working directory, the absolute one
 * would name no file.
 */
export function declarationElsewhere(): { cwd: string; relative: string; absolute: string } {
  const text = JSON.stringify({
    language: "typescript",
    context: {
      connectEncryption: {
        defaults: { region: "eu-west-2", namePrefix: "acme" },
        environments: {
          dev: { instance: { create: { alias: "acme-dev" } } },
          live: {
            accountId: "444444444444",
            instance: { create: { alias: "acme-live" } },
            state: { backend: "cloud", organization: "acme", workspace: "connect-encryption-live" },
          },
        },
      },
    },
  });
  const cwd = mkdtempSync(join(tmpdir(), "connect-kms-cwd-"));
  mkdirSync(join(cwd, "declarations"));
  writeFileSync(join(cwd, "declarations", "cdktf.json"), text);
  const absolute = join(mkdtempSync(join(tmpdir(), "connect-kms-declaration-")), "connect.json");
  writeFileSync(absolute, text);
  return { cwd, relative: join("declarations", "cdktf.json"), absolute };
}

/** Runs dist/<command>.js in `cwd` with CONNECT_ENCRYPTION_CONFIG set to `config`. */
export function runEntry(command: string, args: readonly string[], cwd: string, config: string) {
  const env = { ...process.env, CONNECT_ENCRYPTION_CONFIG: config };
  return spawnSync(process.execPath, [join(ROOT, "dist", `${command}.js`), ...args], { cwd, env, encoding: "utf8" });
}
