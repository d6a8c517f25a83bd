/**
 * The committed JSON Schema (schema/connect-encryption.schema.json), the one
 * editors use to check cdktf.json, run by a real JSON Schema validator (Ajv,
 * draft-07): it accepts the example declaration, and refuses what synthesis
 * refuses for the same field.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { exampleDeclaration } from "./helpers/example";
import { renderConfigTable } from "../modules/config/config-docs";

const schema = JSON.parse(readFileSync(join(__dirname, "..", "schema", "connect-encryption.schema.json"), "utf8"));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const cdktfJson = (declaration: unknown) => ({ language: "typescript", app: "npm run synth", context: { connectEncryption: declaration } });

test("accepts the example declaration", () => {
  expect(validate(cdktfJson(exampleDeclaration()))).toBe(true);
  expect(validate.errors ?? []).toEqual([]);
});

test("describes every environment field, with what is allowed", () => {
  const environment = schema.definitions.connectEncryption.properties.environments;
  const fields = Object.keys(environment.additionalProperties.properties);
  expect(fields).toEqual(expect.arrayContaining(["region", "namePrefix", "key", "bucket", "instance", "storage", "state", "alerts"]));
  expect(environment.additionalProperties.properties.key.properties.rotationPeriodInDays).toMatchObject({
    type: "integer",
    minimum: 90,
    maximum: 2560,
  });
});

test.each([
  ["an unknown field", (d: any) => (d.environments.dev.colour = "blue"), "/context/connectEncryption/environments/dev"],
  [
    "a number as a string",
    (d: any) => (d.defaults.key.rotationPeriodInDays = "365"),
    "/context/connectEncryption/defaults/key/rotationPeriodInDays",
  ],
  [
    "a rotation period out of range",
    (d: any) => (d.defaults.key.rotationPeriodInDays = 89),
    "/context/connectEncryption/defaults/key/rotationPeriodInDays",
  ],
  [
    "an unknown storage type",
    (d: any) => (d.defaults.storage.CALL_RECORDING = { enabled: true }),
    "/context/connectEncryption/defaults/storage",
  ],
  [
    "a bucket prefix with //",
    (d: any) => (d.defaults.storage.CALL_RECORDINGS.prefix = "a//b"),
    "/context/connectEncryption/defaults/storage/CALL_RECORDINGS/prefix",
  ],
])("refuses %s, at the field", (_, mutate, path) => {
  const declaration = exampleDeclaration();
  mutate(declaration);
  expect(validate(cdktfJson(declaration))).toBe(false);
  expect((validate.errors ?? []).map((e) => e.instancePath)).toContain(path);
});

test("the configuration table (docs/configuration.md) has a row per field, the bootstrap's included", () => {
  const rows = renderConfigTable()
    .split("\n")
    .filter((line) => line.startsWith("| `"));
  expect(rows.length).toBeGreaterThan(60);
  for (const field of [
    "key.alias",
    "bucket.objectLock.mode",
    "storage.ATTACHMENTS.corsAllowedOrigins",
    "alerts.createTrail",
    "stateBootstrap.bucket",
  ]) {
    expect(rows.some((row) => row.startsWith(`| \`${field}\` |`))).toBe(true);
  }
});
