/**
 * Names across fields and stacks, refused where the user wrote them: tag
 * keys that differ only in letter case, names derived from a value that
 * outgrow the value's own limit, and names AWS keeps unique that two stacks
 * of one declaration would both create. The uniqueness invariant
 * (modules/invariants/uniqueness.ts) checks the same names on the
 * synthesized stacks; here they are refused at the field, before synthesis.
 */
import type { Declaration, EnvironmentSettings, StateBootstrapSettings } from "./declaration";
import { partitionOf } from "./regions";
import { Problems, show } from "./validation";

type Written = (environment: string, ...segments: string[]) => string;

/** KMS alias names hold at most 256 characters, alias/ included (KMS developer guide, "Create aliases": https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html). */
export const KMS_ALIAS_MAX = 256;

/**
 * IAM compares tag keys without regard to case (IAM user guide, "Tagging
 * IAM resources", case sensitivity: a role cannot carry two keys that
 * differ only in case; https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html),
 * and the stacks' roles carry every default tag: two user keys that differ
 * only in case fail when a role is created, and a key the stacks set
 * themselves (in any case) fails or silently replaces the user's value.
 */
export function checkTagKeys(
  problems: Problems,
  field: string,
  tags: Readonly<Record<string, string>>,
  stackKeys: readonly string[],
): void {
  const seen = new Map<string, string>();
  for (const key of Object.keys(tags)) {
    const own = stackKeys.find((stackKey) => stackKey.toLowerCase() === key.toLowerCase());
    if (own) {
      problems.add(
        field,
        `${show(key)} is ${own === key ? "" : "in another letter case "}the tag ${own}, which the stacks set themselves (IAM compares tag keys without regard to case); remove it`,
      );
      continue;
    }
    const other = seen.get(key.toLowerCase());
    if (other) {
      problems.add(
        field,
        `${show(other)} and ${show(key)} differ only in letter case; IAM compares tag keys without regard to case, so keep one`,
      );
    } else seen.set(key.toLowerCase(), key);
  }
}

/** The KMS aliases a stack creates: its own and the ones it derives (alerts key, disaster-recovery key). */
function environmentAliases(env: EnvironmentSettings): { readonly name: string; readonly region: string; readonly what: string }[] {
  const alias = env.key.aliasName;
  return [
    { name: alias, region: env.region, what: "the key's alias" },
    ...(env.alerts.enabled ? [{ name: `${alias}-alerts`, region: env.region, what: "the alerts key's alias" }] : []),
    ...(env.bucket.replication
      ? [{ name: `${alias}-dr`, region: env.bucket.replication.region, what: "the disaster-recovery key's alias" }]
      : []),
  ];
}

function bootstrapAliases(bootstrap: StateBootstrapSettings): { readonly name: string; readonly region: string; readonly what: string }[] {
  return [
    { name: bootstrap.keyAlias, region: bootstrap.region, what: "the state key's alias" },
    ...(bootstrap.replicaRegion
      ? [{ name: `${bootstrap.keyAlias}-dr`, region: bootstrap.replicaRegion, what: "the state copy's key alias" }]
      : []),
  ];
}

/** Derived aliases meet KMS's limit too. */
function checkDerivedAliases(problems: Problems, at: Written, root: string, resolved: Declaration): void {
  for (const env of resolved.environments) {
    for (const alias of environmentAliases(env).filter((a) => a.name.length > KMS_ALIAS_MAX)) {
      problems.add(
        at(env.name, "key", "alias"),
        `makes ${alias.what} ${alias.name.length} characters long (${show(alias.name.slice(0, 40))}...); KMS allows ${KMS_ALIAS_MAX}: shorten the alias`,
      );
    }
  }
  const bootstrap = resolved.stateBootstrap;
  for (const alias of bootstrap ? bootstrapAliases(bootstrap).filter((a) => a.name.length > KMS_ALIAS_MAX) : []) {
    problems.add(
      `${root}.stateBootstrap.keyAlias`,
      `makes ${alias.what} ${alias.name.length} characters long; KMS allows ${KMS_ALIAS_MAX}`,
    );
  }
}

interface ScopedName {
  /** Where AWS keeps it unique: account and Region, or everywhere. */
  readonly scope: string;
  readonly name: string;
  readonly what: string;
  readonly field: string;
}

/** An account the declaration does not pin is the credentials' one: unpinned stacks may share it. */
const accountOf = (accountId: string | undefined): string => accountId ?? "(the account of the credentials)";

function environmentNames(at: Written, env: EnvironmentSettings): ScopedName[] {
  const account = accountOf(env.accountId);
  const names: ScopedName[] = environmentAliases(env).map((alias) => ({
    scope: `KMS alias in account ${account}, Region ${alias.region}`,
    name: alias.name,
    what: `${alias.what} of environment ${env.name}`,
    field: at(env.name, "key", "alias"),
  }));
  // (Role, stream, queue and log group names start with <namePrefix>-<environment>: environment names hold
  // no hyphen and are unique in a declaration, so two stacks never share that start.)
  if (env.customerProfiles.enabled) {
    names.push({
      scope: `Customer Profiles domain in account ${account}, Region ${env.region}`,
      name: env.customerProfiles.domainName ?? `${env.namePrefix}-${env.name}`,
      what: `the Customer Profiles domain of environment ${env.name}`,
      field: at(env.name, "customerProfiles", "domainName"),
    });
  }
  // The instance alias is part of its access URL (<alias>.my.connect.aws): unique across AWS.
  if (env.instance.kind === "create") {
    names.push({
      scope: `Amazon Connect instance alias in partition ${partitionOf(env.region)}`,
      name: env.instance.alias,
      what: `the instance alias of environment ${env.name}`,
      field: at(env.name, "instance", "create", "alias"),
    });
  }
  return names;
}

/** Names AWS keeps unique never collide across the stacks of one declaration. */
function checkCollisions(problems: Problems, at: Written, root: string, resolved: Declaration): void {
  const names = resolved.environments.flatMap((env) => environmentNames(at, env));
  const bootstrap = resolved.stateBootstrap;
  if (bootstrap) {
    for (const alias of bootstrapAliases(bootstrap))
      names.push({
        scope: `KMS alias in account ${accountOf(bootstrap.accountId)}, Region ${alias.region}`,
        name: alias.name,
        what: alias.what,
        field: `${root}.stateBootstrap.keyAlias`,
      });
  }
  const seen = new Map<string, ScopedName>();
  for (const entry of names) {
    const key = `${entry.scope}\u0000${entry.scope.startsWith("Amazon Connect") ? entry.name.toLowerCase() : entry.name}`;
    const other = seen.get(key);
    if (!other) seen.set(key, entry);
    else
      problems.add(
        entry.field,
        `makes ${entry.what} ${show(entry.name)}, also ${other.what}; a ${entry.scope} is unique, so choose another`,
      );
  }
}

export function checkNames(problems: Problems, at: Written, root: string, resolved: Declaration): void {
  checkDerivedAliases(problems, at, root, resolved);
  checkCollisions(problems, at, root, resolved);
}
