/**
 * The resources and data sources of a stack as the provider-call tables
 * read them (provider-calls/types.ts): attributes resolved to fixture
 * values, the resource's own ARN, its Region and account.
 */
import type { ResourceView } from "./provider-calls";
import type { Json, StackModel } from "./stack-model";

function valueAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const step of path) {
    if (Array.isArray(current)) current = current[0];
    if (!current || typeof current !== "object") return undefined;
    current = (current as Json)[step];
  }
  return current;
}

/** Whether the resource is created with tags: its own, or its provider's default tags. */
function taggedIn(model: StackModel, block: Json): boolean {
  const alias = typeof block.provider === "string" && block.provider.startsWith("aws.") ? block.provider.slice(4) : undefined;
  const provider = (model.json.provider?.aws ?? []).find((p: Json) => p.alias === alias);
  const defaults = [provider?.default_tags ?? []].flat()[0]?.tags ?? {};
  return Object.keys(defaults).length > 0 || Object.keys(block.tags ?? {}).length > 0;
}

export interface StackResource {
  /** `aws_s3_bucket.recordings`, `data.aws_region.account_region`. */
  readonly address: string;
  /** The table key: the type, prefixed `data.` for a data source. */
  readonly kind: string;
  readonly view: ResourceView;
}

/** Every resource and data source of the stack, as views. */
export function stackResources(model: StackModel): StackResource[] {
  const bucketKeys = bucketKeyNames(model);
  const out: StackResource[] = [];
  for (const kind of ["resource", "data"] as const) {
    for (const [type, byName] of Object.entries<Record<string, Json>>(model.json[kind] ?? {})) {
      for (const [name, block] of Object.entries(byName)) {
        const address = kind === "data" ? `data.${type}.${name}` : `${type}.${name}`;
        out.push({ address, kind: kind === "data" ? `data.${type}` : type, view: viewOf(model, address, type, name, block, bucketKeys) });
      }
    }
  }
  return out;
}

/** The buckets of the stack whose default encryption uses an S3 Bucket Key. */
function bucketKeyNames(model: StackModel): ReadonlySet<string> {
  return new Set(
    model
      .buckets()
      .filter((b) => b.encryption?.bucketKey)
      .map((b) => b.name),
  );
}

function viewOf(
  model: StackModel,
  address: string,
  type: string,
  name: string,
  block: Json,
  bucketKeys: ReadonlySet<string>,
): ResourceView {
  const facts = model.facts;
  return {
    type,
    name,
    region: model.regionOf(block),
    account: facts.accountId,
    partition: model.partition,
    tagged: taggedIn(model, block),
    get: (path) => {
      const raw = valueAt(block, path.split("."));
      return raw === undefined ? undefined : model.value(raw);
    },
    get arn() {
      return model.string(`\${${address}.arn}`, `${address}.arn`);
    },
    deployer: facts.deployerRoleArn,
    connectServiceRole: facts.connectServiceRoleArn,
    bucketKeyEnabled: (bucket) => bucketKeys.has(bucket),
  };
}
