/**
 * The dependency graph of a synthesized stack, as Terraform builds it: an
 * edge for every reference inside a `${...}` expression and for every
 * `depends_on` entry. Terraform creates a resource only after everything it
 * depends on, directly or through others.
 */
type Json = Record<string, any>;

const REFERENCE = /(?<![A-Za-z0-9_.])(data\.)?(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g;
const INTERPOLATION = /\$\{([^{}]|\{[^{}]*\})*\}/g;

/** Every resource and data source address of the stack (`aws_s3_bucket.recordings`, `data.aws_region.account_region`). */
export function addressesOf(json: Json): string[] {
  const of = (kind: "resource" | "data", prefix: string) =>
    Object.entries<Json>(json[kind] ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${prefix}${type}.${name}`));
  return [...of("resource", ""), ...of("data", "data.")];
}

/** The block at an address. */
export function blockAt(json: Json, address: string): Json | undefined {
  const [kind, type, name] = address.startsWith("data.") ? ["data", ...address.slice(5).split(".")] : ["resource", ...address.split(".")];
  return json[kind]?.[type]?.[name];
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === "object") Object.values(value).forEach((v) => strings(v, out));
  return out;
}

/** The addresses a value refers to inside its interpolations (those that exist in the stack). */
export function referencesIn(value: unknown, known: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  for (const text of strings(value)) {
    for (const [interpolation] of text.matchAll(INTERPOLATION)) {
      for (const [, data, type, name] of interpolation.matchAll(REFERENCE)) {
        const address = `${data ?? ""}${type}.${name}`;
        if (known.has(address)) found.add(address);
      }
    }
  }
  return found;
}

export class DependencyGraph {
  private readonly edges = new Map<string, Set<string>>();

  constructor(readonly json: Json) {
    const known = new Set(addressesOf(json));
    for (const address of known) {
      const block = blockAt(json, address) ?? {};
      const { depends_on: dependsOn, ...rest } = block;
      const direct = referencesIn(rest, known);
      for (const entry of [dependsOn ?? []].flat()) if (typeof entry === "string" && known.has(entry)) direct.add(entry);
      direct.delete(address);
      this.edges.set(address, direct);
    }
  }

  /** Whether Terraform creates `to` before `from` (a path of references or depends_on from `from` to `to`). */
  dependsOn(from: string, to: string): boolean {
    const seen = new Set<string>();
    const queue = [from];
    while (queue.length > 0) {
      const next = queue.pop()!;
      for (const target of this.edges.get(next) ?? []) {
        if (target === to) return true;
        if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
    return false;
  }
}
