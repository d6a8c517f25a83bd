/**
 * Properties of every declaration, not of one example (issue 20). Each
 * declaration is refused with messages that name the field, or synthesizes
 * stacks that satisfy every guardrail and every invariant, static and
 * evaluated (helpers/declaration-property.ts). Checked on the declarations
 * written by hand (the issue's, those that showed a defect, the suite's),
 * then on declarations generated across the whole schema
 * (helpers/declaration-arbitrary.ts), a few of which Terraform validates
 * with the real AWS provider. PROPERTY_RUNS sets the number of generated
 * declarations (default 100, fixed seed); `npm run fuzz` runs many more.
 */
import fc from "fast-check";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { resolveDeclaration } from "../modules/config/config";
import { declarationSchema } from "../modules/config/config-schema";
import { AWS_REGIONS } from "../modules/config/regions";
import {
  DESTINATION_FIELDS,
  STREAMING_STORAGE_TYPES,
  STREAMING_STORAGE_TYPE_INFO,
  StreamingStorageType,
} from "../modules/config/storage-types";
import { ConfigError } from "../modules/config/validation";
import { formatViolation } from "../modules/invariants/invariant";
import { buildStacks } from "../modules/stacks/synthesis";
import { declarationArbitrary } from "./helpers/declaration-arbitrary";
import { checkDeclaration } from "./helpers/declaration-property";
import { DECLARATIONS } from "./helpers/declarations";
import { violationsOf } from "./helpers/invariants";
import { core, leafPaths } from "./helpers/schema-arbitrary";
import { Json } from "./helpers/synth";
import { terraform } from "./helpers/terraform";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 100);
/** Refusals cost no synthesis: the invalid-value property checks more of them. */
const REFUSAL_RUNS = Math.max(RUNS, 300);
const SEED = 20261203;
/** Declarations generated (not checked) to show what the generator reaches. */
const SAMPLE = 800;
/** Stacks Terraform validates in one run (each costs the provider's schema checks, not its start). */
const MAX_VALIDATED_STACKS = 4;
const FIXTURES = join(__dirname, "fixtures", "declarations");

describe("declarations written by hand: every stack satisfies every invariant", () => {
  test.each(readdirSync(FIXTURES).filter((file) => file.endsWith(".json")))("%s", async (file) => {
    const violations = await violationsOf(JSON.parse(readFileSync(join(FIXTURES, file), "utf8")));
    expect(violations.map(formatViolation)).toEqual([]);
  });
  test.each(Object.keys(DECLARATIONS))("%s", async (name) => {
    expect((await violationsOf(DECLARATIONS[name])).map(formatViolation)).toEqual([]);
  });
});

describe("generated declarations", () => {
  const accepted: { declaration: Json; stacks: number; resourceTypes: readonly string[] }[] = [];
  let refused = 0;

  test(`${RUNS} of them: each refused clearly at a field, or its stacks satisfy every guardrail and invariant`, async () => {
    await fc.assert(
      fc.asyncProperty(declarationArbitrary, async (declaration) => {
        const outcome = await checkDeclaration(declaration);
        if ("refused" in outcome) refused++;
        else accepted.push({ declaration, ...outcome });
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // Both sides of the property are exercised, most runs on the side that synthesizes.
    expect(accepted.length).toBeGreaterThanOrEqual(RUNS * 0.6);
    expect(refused).toBeGreaterThan(0);
  });

  test("a few, chosen for the resource types they hold between them, validate with Terraform and the AWS provider", () => {
    const chosen = mostResourceTypes(accepted, MAX_VALIDATED_STACKS);
    expect(chosen.length).toBeGreaterThan(0);
    const root = mkdtempSync(join(tmpdir(), "connect-kms-generated-"));
    const modules: Record<string, { source: string }> = {};
    const imports: Json[] = [];
    chosen.forEach(({ declaration }, i) => {
      const outdir = join(root, `declaration-${i}`);
      const app = new App({ outdir, skipValidation: true });
      const stacks = buildStacks(app, resolveDeclaration(declaration, "generated declaration"));
      app.synth();
      for (const { settings } of stacks) {
        const name = `d${i}_${settings.stackName.replace(/-/g, "_")}`;
        const dir = `declaration-${i}/stacks/${settings.stackName}`;
        modules[name] = { source: `./${dir}` };
        imports.push(...rootImports(join(root, dir, "cdk.tf.json"), name));
      }
    });
    // Each stack a module of one root: one provider start validates them all (their backends are ignored there, with a warning).
    const main = { terraform: { required_providers: { aws: { source: "hashicorp/aws" } } }, module: modules };
    writeFileSync(join(root, "main.tf.json"), JSON.stringify(imports.length > 0 ? { ...main, import: imports } : main, null, 2));
    terraform(root, ["init", "-backend=false", "-input=false"]);
    expect(terraform(root, ["validate"]).output).toContain("Success! The configuration is valid");
  });
});

/** Terraform takes import blocks in the root module only: a stack's move there, addressed into its module. */
function rootImports(file: string, module: string): Json[] {
  const stack = JSON.parse(readFileSync(file, "utf8"));
  const blocks: Json[] = stack.import ?? [];
  delete stack.import;
  writeFileSync(file, JSON.stringify(stack));
  return blocks.map((block) => ({ ...block, to: `module.${module}.${block.to}` }));
}

/** Declarations, greedily, each adding the most resource types the others lack, within `maxStacks` stacks in all. */
function mostResourceTypes<T extends { stacks: number; resourceTypes: readonly string[] }>(
  candidates: readonly T[],
  maxStacks: number,
): T[] {
  const chosen: T[] = [];
  const seen = new Set<string>();
  for (;;) {
    const room = maxStacks - chosen.reduce((sum, c) => sum + c.stacks, 0);
    const gain = (c: T) => c.resourceTypes.filter((type) => !seen.has(type)).length;
    const best = candidates.filter((c) => !chosen.includes(c) && c.stacks <= room).sort((a, b) => gain(b) - gain(a))[0];
    if (!best || gain(best) === 0) return chosen;
    chosen.push(best);
    best.resourceTypes.forEach((type) => seen.add(type));
  }
}

describe("the generator covers the schema", () => {
  // Generating and resolving is cheap: a larger sample than the property's shows what it can reach.
  const sample = fc.sample(declarationArbitrary, { numRuns: SAMPLE, seed: SEED }).filter(resolves);
  const values = new Map<string, Set<string>>();
  for (const declaration of sample) {
    for (const [path, value] of leafValues(declaration)) values.set(path, (values.get(path) ?? new Set()).add(value));
  }

  test("most generated declarations are valid", () => {
    expect(sample.length).toBeGreaterThan(SAMPLE * 0.6);
  });

  test("every field of the schema a valid declaration can set is set by one", () => {
    const set = new Set([...values.keys()]);
    const covered = (leaf: string) => [...set].some((path) => path === leaf || path.startsWith(`${leaf}.`));
    expect(leafPaths(declarationSchema).filter((leaf) => settable(leaf) && !covered(leaf))).toEqual([]);
  });

  // Regions are drawn from a few of each partition the generator serves (aws, aws-us-gov), not all of them.
  test("every value of every choice but the Region (each option, true and false) occurs in a valid declaration", () => {
    const choices = choiceLeaves(declarationSchema).filter(([path, options]) => options !== AWS_REGIONS && settable(path));
    const missing = choices.flatMap(([path, options]) =>
      options.filter((option) => !values.get(path)?.has(JSON.stringify(option))).map((option) => `${path} = ${JSON.stringify(option)}`),
    );
    expect(missing).toEqual([]);
  });
});

/**
 * Whether a valid declaration can set the field: the schema gives every
 * streaming type the fields of every destination, and the configuration
 * takes only those of the type's own destinations (DESTINATION_FIELDS).
 */
function settable(leaf: string): boolean {
  const streaming = /\.storage\.([A-Z_]+)\.([A-Za-z]+)$/.exec(leaf);
  if (!streaming || !(STREAMING_STORAGE_TYPES as readonly string[]).includes(streaming[1])) return true;
  const [, type, field] = streaming;
  const destinations = STREAMING_STORAGE_TYPE_INFO[type as StreamingStorageType].destinations;
  return ["enabled", "destination", ...destinations.flatMap((d) => DESTINATION_FIELDS[d])].includes(field);
}

function resolves(declaration: Json): boolean {
  try {
    resolveDeclaration(declaration, "generated declaration");
    return true;
  } catch (error) {
    if (error instanceof ConfigError) return false;
    throw error;
  }
}

/** Each leaf a declaration sets, with its value as JSON, environment names written `<key>` as leafPaths writes them. */
function leafValues(declaration: Json): [string, string][] {
  const found: [string, string][] = [];
  const visit = (value: unknown, path: string): void => {
    if (Array.isArray(value) && value.some((item) => item && typeof item === "object")) value.forEach((item) => visit(item, `${path}[]`));
    else if (value && typeof value === "object" && !Array.isArray(value)) {
      for (const [key, item] of Object.entries(value)) visit(item, path ? `${path}.${key}` : key);
    } else found.push([path.replace(/^environments\.[^.]+\./, "environments.<key>."), JSON.stringify(value)]);
  };
  visit(declaration, "");
  return found;
}

/** The picklist and boolean leaves of a schema, with their options. */
function choiceLeaves(schema: Json, path = ""): [string, readonly unknown[]][] {
  const { base } = core(schema);
  const at = (key: string) => (path ? `${path}.${key}` : key);
  if (base.type === "strict_object") return Object.entries(base.entries).flatMap(([key, entry]) => choiceLeaves(entry as Json, at(key)));
  if (base.type === "array") return choiceLeaves(base.item, `${path}[]`);
  if (base.type === "record") return choiceLeaves(base.value, `${path}.<key>`);
  if (base.type === "picklist") return [[path, base.options]];
  if (base.type === "boolean") return [[path, [true, false]]];
  return [];
}

/** Invalid values, each with the field (of the first environment) it must be refused at. */
const INVALID: readonly { field: string; set: (env: Json, declaration: Json) => void }[] = [
  { field: "key.rotationPeriodInDays", set: (e) => ((e.key ??= {}).rotationPeriodInDays = 89) },
  { field: "key.deletionWindowInDays", set: (e) => ((e.key ??= {}).deletionWindowInDays = 31) },
  { field: "key.userArns[0]", set: (e) => ((e.key ??= {}).userArns = ["*"]) },
  { field: "key.alias", set: (e) => ((e.key ??= {}).alias = "alias/aws/connect") },
  { field: "instance.create.alias", set: (e) => (e.instance = { create: { alias: "d-contact" } }) },
  { field: "instance.adopt.instance", set: (e) => (e.instance = { adopt: { instance: "instance-1" } }) },
  { field: "storage.CALL_RECORDING", set: (e) => ((e.storage ??= {}).CALL_RECORDING = { enabled: true }) },
  { field: "storage.AGENT_EVENTS.destination", set: (e) => ((e.storage ??= {}).AGENT_EVENTS = { destination: "firehose" }) },
  {
    field: "storage.CONTACT_TRACE_RECORDS.destination",
    set: (e) => ((e.storage ??= {}).CONTACT_TRACE_RECORDS = { destination: "kinesis-firehose" }),
  },
  { field: "storage.MEDIA_STREAMS.retentionHours", set: (e) => ((e.storage ??= {}).MEDIA_STREAMS = { retentionHours: 87601 }) },
  { field: "streams.retentionHours", set: (e) => ((e.streams ??= {}).retentionHours = 23) },
  { field: "region", set: (e) => (e.region = "eu-west-9") },
  { field: "accountId", set: (e) => (e.accountId = "12345") },
  // (The defaults' own values of a group would complete it: they go.)
  {
    field: "bucket.objectLock",
    set: (e, d) => ((e.bucket ??= {}).objectLock = { mode: "COMPLIANCE" }) && delete d.defaults?.bucket?.objectLock,
  },
  { field: "bucket.replication.region", set: (e, d) => ((e.bucket ??= {}).replication = { region: e.region ?? d.defaults.region }) },
  {
    field: "bucket.accessLogs.reason",
    set: (e, d) => ((e.bucket ??= {}).accessLogs = { destination: "none" }) && delete d.defaults?.bucket?.accessLogs,
  },
  { field: "alerts.emails", set: (e) => (e.alerts = { enabled: false, emails: ["soc@example.com"] }) },
  { field: "colour", set: (e) => (e.colour = "blue") },
];

test("an invalid value written into a valid generated declaration is refused at its field", () => {
  fc.assert(
    fc.property(declarationArbitrary.filter(resolves), fc.constantFrom(...INVALID), (generated, invalid) => {
      // A copy: fast-check may hand the same value to another run.
      const declaration = structuredClone(generated);
      const [name, env] = Object.entries<Json>(declaration.environments)[0];
      invalid.set(env, declaration);
      let error: unknown;
      try {
        resolveDeclaration(declaration, "generated declaration");
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.join("\n")).toContain(`context.connectEncryption.environments.${name}.${invalid.field}`);
    }),
    { numRuns: REFUSAL_RUNS, seed: SEED },
  );
});
