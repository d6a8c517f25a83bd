import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Every file below `dir`, by its path under it, with its text: two trees compare byte for byte with toEqual. */
export function textsUnder(dir: string, under = ""): Record<string, string> {
  return Object.assign(
    {},
    ...readdirSync(join(dir, under), { withFileTypes: true }).map((entry) =>
      entry.isDirectory()
        ? textsUnder(dir, join(under, entry.name))
        : { [join(under, entry.name)]: readFileSync(join(dir, under, entry.name), "utf8") },
    ),
  );
}
