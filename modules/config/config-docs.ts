/**
 * Renderings of the declaration's schema that are committed: the JSON Schema
 * editors use to check cdktf.json, and the configuration table of
 * docs/configuration.md.
 * `npm run render` writes them; a test fails when either is stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { declarationSchema, environmentSchema, stateBootstrapSchema } from "./config-schema";
import { fieldInfo } from "./schema-fields";

export const JSON_SCHEMA_FILE = "schema/connect-encryption.schema.json";
/** The page that holds the configuration table, between the markers. */
export const CONFIG_DOCS_FILE = "docs/configuration.md";
export const TABLE_BEGIN = "<!-- BEGIN GENERATED CONFIG (npm run render) -->";
export const TABLE_END = "<!-- END GENERATED CONFIG -->";

// The parts of valibot's schema objects that the renderings read.
interface Node {
  readonly type: string;
  readonly pipe?: readonly Node[];
  readonly entries?: Readonly<Record<string, Node>>;
  readonly wrapped?: Node;
  readonly item?: Node;
  readonly key?: Node;
  readonly value?: Node;
  readonly options?: readonly string[];
  readonly requirement?: unknown;
}

type Json = { [key: string]: unknown };

const unwrap = (node: Node): Node => (node.type === "optional" && node.wrapped ? unwrap(node.wrapped) : node);
const actions = (node: Node): readonly Node[] => (node.pipe ?? []).slice(1);
const action = (node: Node, type: string): Node | undefined => actions(node).find((a) => a.type === type) ?? nested(node, type);
/** A pipe whose first element is itself a pipe (a field built on a field). */
const nested = (node: Node, type: string): Node | undefined => (node.pipe?.[0]?.pipe ? action(node.pipe[0], type) : undefined);
/**
 * The schema under the pipes. plainObject's own pipe is a bare `custom`
 * check followed by the schema it guards: that check is skipped. A pipe that
 * starts with a whole plainObject (itself a pipe) goes into it.
 */
const base = (node: Node): Node => {
  const first = node.pipe?.[0];
  if (!first || first === node) return node;
  return first.type === "custom" && !first.pipe && node.pipe?.[1] ? base(node.pipe[1]) : base(first);
};

/** JSON Schema (draft-07, which editors support best) of one schema node. */
export function toJsonSchema(input: Node): Json {
  const node = unwrap(input);
  const info = fieldInfo(node);
  const out: Json = info ? { description: withAllowed(info.description, info.allowed, info.default) } : {};
  const core = base(node);
  switch (core.type) {
    case "string": {
      const pattern = action(node, "regex")?.requirement as RegExp | undefined;
      return { ...out, type: "string", ...(pattern ? { pattern: pattern.source } : {}) };
    }
    case "number": {
      const min = action(node, "min_value")?.requirement;
      const max = action(node, "max_value")?.requirement;
      return { ...out, type: action(node, "integer") ? "integer" : "number", minimum: min, maximum: max };
    }
    case "boolean":
      return { ...out, type: "boolean" };
    case "picklist":
      return { ...out, type: "string", enum: [...(core.options ?? [])] };
    case "array":
      return { ...out, type: "array", items: toJsonSchema(core.item as Node), maxItems: action(node, "max_length")?.requirement };
    case "record":
      return { ...out, type: "object", additionalProperties: toJsonSchema(core.value as Node), propertyNames: keySchema(core.key as Node) };
    case "strict_object": {
      const entries = core.entries ?? {};
      const properties = Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, toJsonSchema(v)]));
      const required = Object.entries(entries)
        .filter(([, v]) => v.type !== "optional")
        .map(([k]) => k);
      return { ...out, type: "object", properties, additionalProperties: false, ...(required.length ? { required } : {}) };
    }
    default:
      return out;
  }
}

function keySchema(node: Node): Json {
  const core = base(node);
  if (core.type === "picklist") return { enum: [...(core.options ?? [])] };
  const pattern = action(node, "regex")?.requirement as RegExp | undefined;
  return pattern ? { pattern: pattern.source } : {};
}

function withAllowed(description: string, allowed: string, defaultText?: string): string {
  const sentence = (text: string): string => (/[.)]$/.test(text) ? text : `${text}.`);
  return [sentence(description), `Allowed: ${sentence(allowed)}`, defaultText ? `Default: ${sentence(defaultText)}` : ""]
    .filter(Boolean)
    .join(" ");
}

/** The committed JSON Schema of `context.connectEncryption`. */
export function renderJsonSchema(): string {
  // The file describes cdktf.json as a whole (so that an editor can check it
  // directly) and leaves every field but context.connectEncryption to cdktf.
  const schema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://github.com/acme/connect-kms-encryption/schema/connect-encryption.schema.json",
    title: "cdktf.json with context.connectEncryption",
    type: "object",
    properties: {
      context: { type: "object", properties: { connectEncryption: { $ref: "#/definitions/connectEncryption" } } },
    },
    definitions: { connectEncryption: toJsonSchema(declarationSchema as unknown as Node) },
  };
  return `${JSON.stringify(schema, (_, value) => (value === undefined ? undefined : value), 2)}\n`;
}

/** One row per field of an environment (the defaults have the same fields). */
function tableRows(node: Node, path: string[]): string[] {
  const core = base(unwrap(node));
  const info = fieldInfo(unwrap(node));
  if (core.type === "strict_object" && path.length < (path[0] === "stateBootstrap" ? 4 : 3)) {
    return Object.entries(core.entries ?? {}).flatMap(([key, child]) => tableRows(child, [...path, key]));
  }
  if (!info) return [];
  const cell = (text: string): string => text.replace(/\|/g, "\\|");
  // The Region list is long and lives in modules/config/regions.ts.
  const allowed =
    core.type === "picklist" && (core.options ?? []).length > 10
      ? "an AWS Region code such as eu-west-2 (modules/config/regions.ts)"
      : info.allowed;
  const defaultText = info.default === undefined ? "–" : `\`${info.default}\``;
  return [`| \`${path.join(".")}\` | ${cell(defaultText)} | ${cell(info.description)}; allowed: ${cell(allowed)} |`];
}

/** The configuration table of docs/configuration.md, between its markers. */
export function renderConfigTable(): string {
  const rows = tableRows(environmentSchema as unknown as Node, []);
  const bootstrap = tableRows(stateBootstrapSchema as unknown as Node, ["stateBootstrap"]);
  return [
    TABLE_BEGIN,
    "Fields of `defaults` and of each entry of `environments` (an environment overrides the defaults field by field):",
    "",
    "| Field | Default | Meaning; allowed |",
    "|---|---|---|",
    ...rows,
    "",
    "Fields of `stateBootstrap` (the stack that creates the S3 state bucket and key):",
    "",
    "| Field | Default | Meaning; allowed |",
    "|---|---|---|",
    ...bootstrap,
    TABLE_END,
  ].join("\n");
}

/** The page (CONFIG_DOCS_FILE) with its table replaced by the current rendering. */
export function withConfigTable(page: string): string {
  const begin = page.indexOf(TABLE_BEGIN);
  const end = page.indexOf(TABLE_END);
  if (begin < 0 || end < begin) throw new Error(`${CONFIG_DOCS_FILE} has no ${TABLE_BEGIN} ... ${TABLE_END} markers`);
  return page.slice(0, begin) + renderConfigTable() + page.slice(end + TABLE_END.length);
}

/** Writes both renderings under `root`. */
export function writeConfigRenderings(root: string): void {
  writeFileSync(join(root, JSON_SCHEMA_FILE), renderJsonSchema());
  const page = join(root, CONFIG_DOCS_FILE);
  writeFileSync(page, withConfigTable(readFileSync(page, "utf8")));
}
