// Fills modules/config/aws-api-constraints.json with the length and pattern
// constraints of AWS's own API models (botocore's service-2.json, the models
// the AWS SDKs are generated from). Each entry names the API member a value
// reaches ("kms:CreateAlias.AliasName"); this script resolves the member's
// shape and copies its min, max and pattern. Entries marked "doc" have no
// constraint in the model and keep the one typed from the page they cite.
//
// The npm package aws-sdk (v2) ships its models minified, without
// constraints; botocore keeps them. Debian packages botocore:
//   curl -sO http://deb.debian.org/debian/pool/main/p/python-botocore/python3-botocore_<version>_all.deb
//   dpkg-deb -x python3-botocore_<version>_all.deb botocore
//   node scripts/api-constraints.mjs botocore/usr/lib/python3/dist-packages/botocore
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const table = join(root, "modules", "config", "aws-api-constraints.json");
const botocore = process.argv[2];
if (!botocore) {
  console.error("usage: node scripts/api-constraints.mjs <botocore package directory (holding data/ and __init__.py)>");
  process.exit(2);
}

const models = new Map();
function model(service) {
  if (!models.has(service)) {
    const dir = join(botocore, "data", service);
    const version = readdirSync(dir).sort().pop();
    models.set(service, { version, json: JSON.parse(readFileSync(join(dir, version, "service-2.json"), "utf8")) });
  }
  return models.get(service);
}

/** "kms:CreateAlias.AliasName" -> the member's shape, through structures, lists (their member) and maps (key, value). */
function resolve(api) {
  const [service, path] = api.split(":");
  const [operation, ...members] = path.split(".");
  const { json, version } = model(service);
  let name = json.operations[operation]?.input?.shape;
  if (!name) throw new Error(`${api}: no operation ${operation} in ${service}`);
  for (const member of members) {
    let shape = json.shapes[name];
    if (shape.type === "list") shape = json.shapes[(name = shape.member.shape)];
    if (shape.type === "map" && (member === "key" || member === "value")) {
      name = shape[member].shape;
      continue;
    }
    const next = shape.members?.[member]?.shape;
    if (!next) throw new Error(`${api}: no member ${member} in ${name}`);
    name = next;
  }
  const shape = json.shapes[name];
  return { model: `${service}/${version}/service-2.json`, shape: name, min: shape.min, max: shape.max, pattern: shape.pattern };
}

const document = JSON.parse(readFileSync(table, "utf8"));
const version = /__version__ = '([^']+)'/.exec(readFileSync(join(botocore, "__init__.py"), "utf8"))[1];
document.botocore = version;
const fill = (entry, key = "api") => {
  const { min, max, pattern, ...rest } = resolve(entry[key]);
  return { ...entry, ...rest, min: min ?? null, max: max ?? null, pattern: pattern ?? null };
};
document.fields = document.fields.map((entry) => (entry.api ? fill(entry) : entry));
document.tags = document.tags.map((entry) => ({ ...entry, keyShape: resolve(entry.key), valueShape: resolve(entry.value) }));
writeFileSync(table, `${JSON.stringify(document, null, 2)}\n`);
console.log(`${table}: ${document.fields.length} fields and ${document.tags.length} tag sets from botocore ${version}`);
