/**
 * A root that calls module/ beside module/modules/replica, as one module the
 * evaluator reads (module-eval.ts): what Terraform does with the two calls,
 * written out. The replica module's blocks are renamed `dr_<name>` and pinned
 * to the `aws.dr` provider (the caller's provider for the DR Region); each
 * module's reference to the other's output becomes a local holding that
 * output's expression (`var.replication` in the main module,
 * `var.primary` in the replica module), and the replica's own inputs are
 * renamed `dr_<input>`. A block that reads the replica's output waits for
 * what that output depends on, as Terraform orders a reference to a module
 * output after the output's `depends_on`.
 */
import type { Json } from "../synth";

const PREFIX = "dr_";

/** Rewrites every string in `value` with `rewrite`. */
function rewriteStrings(value: unknown, rewrite: (text: string) => string): unknown {
  if (typeof value === "string") return rewrite(value);
  if (Array.isArray(value)) return value.map((v) => rewriteStrings(v, rewrite));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteStrings(v, rewrite)]));
  return value;
}

/** The replica module's references renamed: its resources, data sources and variables, and var.primary to the main module's output. */
function replicaRenamer(replica: Json): (text: string) => string {
  const names = (section: "resource" | "data") =>
    Object.entries<Json>(replica[section] ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => [type, name]));
  const resources = new Map(names("resource").map(([type, name]) => [`${type}.${name}`, `${type}.${PREFIX}${name}`]));
  const data = new Map(names("data").map(([type, name]) => [`data.${type}.${name}`, `data.${type}.${PREFIX}${name}`]));
  return (text) =>
    text
      .replace(/\bvar\.primary\b/g, "local.main_replica_settings")
      .replace(/\bvar\.([a-z_]+)/g, `var.${PREFIX}$1`)
      .replace(/\bdata\.(aws_[a-z0-9_]+)\.([a-z0-9_]+)/g, (m) => data.get(m) ?? m)
      .replace(/(?<![.\w])(aws_[a-z0-9_]+)\.([a-z0-9_]+)/g, (m) => resources.get(m) ?? m);
}

/** The two modules as one, with the DR Region's provider alias `dr`. */
export function composeModules(main: Json, replica: Json): Json {
  const rename = replicaRenamer(replica);
  const renamedBlocks = (section: "resource" | "data"): Json =>
    Object.fromEntries(
      Object.entries<Json>(replica[section] ?? {}).map(([type, byName]) => [
        type,
        Object.fromEntries(
          Object.entries<Json>(byName).map(([name, body]) => [
            `${PREFIX}${name}`,
            { ...(rewriteStrings(body, rename) as Json), provider: "aws.dr" },
          ]),
        ),
      ]),
    );
  const toReplica = (text: string) => text.replace(/\bvar\.replication\b/g, "local.dr_replication");
  const mainPart = rewriteStrings(
    { resource: main.resource, data: main.data, locals: main.locals ?? {}, output: main.output },
    toReplica,
  ) as Json;
  // A reference to a module's output waits for what the output depends on (the replica's readiness).
  const outputWaits = (rewriteStrings(replica.output.replication.depends_on ?? [], rename) as string[]).map((d) =>
    d.replace(/^\$\{(.*)\}$/, "$1"),
  );
  for (const byName of Object.values<Json>(mainPart.resource as Json)) {
    for (const body of Object.values<Json>(byName)) {
      if (JSON.stringify(body).includes("local.dr_replication")) body.depends_on = [...(body.depends_on ?? []), ...outputWaits];
    }
  }
  return {
    ...main,
    resource: mergeInto(mainPart.resource as Json, renamedBlocks("resource")),
    data: mergeInto(mainPart.data as Json, renamedBlocks("data")),
    locals: {
      ...(mainPart.locals as Json),
      main_replica_settings: main.output.replica_settings.value,
      dr_replication: rewriteStrings(replica.output.replication.value, rename),
    },
    variable: {
      ...Object.fromEntries(Object.entries<Json>(main.variable).filter(([name]) => name !== "replication")),
      ...Object.fromEntries(
        Object.entries<Json>(replica.variable)
          .filter(([name]) => name !== "primary")
          .map(([name, block]) => [`${PREFIX}${name}`, rewriteStrings(block, rename)]),
      ),
    },
    output: mainPart.output,
  };
}

function mergeInto(base: Json, extra: Json): Json {
  const merged: Json = structuredClone(base ?? {});
  for (const [type, byName] of Object.entries<Json>(extra)) merged[type] = { ...merged[type], ...byName };
  return merged;
}
