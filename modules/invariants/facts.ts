/**
 * What a synthesized stack's references resolve to, for the invariants: a
 * fixture account read from the stack itself. The account is the one the
 * provider is pinned to (`allowed_account_ids`), else that of the role it
 * assumes or of the deployer the key policy names, else a placeholder; the
 * deployer is the role the provider assumes, else the deployer the key
 * policy names, else a placeholder role standing for "whoever runs
 * Terraform"; Connect's service-linked role is a placeholder of the shape
 * Connect gives it. Nothing is looked up in AWS.
 */
import { partitionOf } from "../config/regions";
import { CheckedStack } from "./invariant";
import { Facts, Json, StackModel } from "./stack-model";

/** The account of a stack that declares none and assumes no role (12 digits, so that names keep their real length). */
export const PLACEHOLDER_ACCOUNT = "123456789012";

const roleArn = (partition: string, account: string, name: string): string => `arn:${partition}:iam::${account}:role/${name}`;

/** The role that stands for the credentials running Terraform when the stack names none. */
export const placeholderDeployer = (partition: string, account: string): string => roleArn(partition, account, "terraform-deployer");

/** The service-linked role Connect creates for an instance (https://docs.aws.amazon.com/connect/latest/adminguide/connect-slr.html). */
export const placeholderConnectServiceRole = (partition: string, account: string): string =>
  roleArn(partition, account, "aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_fixture0001");

function defaultProvider(json: Json): Json | undefined {
  return (json.provider?.aws ?? []).find((p: Json) => p.alias === undefined);
}

function literalArn(value: unknown): string | undefined {
  return typeof value === "string" && value.startsWith("arn:") && !value.includes("${") ? value : undefined;
}

/** The first deployer the key policies name literally (`DeployerDescribesKey`), when the provider assumes no role. */
function declaredDeployer(json: Json, provisional: Facts): string | undefined {
  if (!json.resource?.aws_kms_key) return undefined;
  const model = new StackModel(json, provisional);
  for (const key of model.keys()) {
    const statement = key.policy.Statement.find((s) => s.Sid === "DeployerDescribesKey");
    const principals = [statement?.Principal?.AWS ?? []].flat();
    const found = principals.map(literalArn).find((arn) => arn !== undefined && arn !== provisional.deployerRoleArn);
    if (found) return found;
  }
  return undefined;
}

/** The facts of a stack in `accountId`, with the placeholder deployer. */
function placeholderFacts(accountId: string, partition: string): Facts {
  return {
    accountId,
    deployerRoleArn: placeholderDeployer(partition, accountId),
    deployerSessionArn: `arn:${partition}:sts::${accountId}:assumed-role/terraform-deployer/terraform`,
    connectServiceRoleArn: placeholderConnectServiceRole(partition, accountId),
    partition,
  };
}

export function factsOf(json: Json): Facts {
  const provider = defaultProvider(json);
  const assumed = literalArn([provider?.assume_role ?? []].flat()[0]?.role_arn);
  const pinned: string | undefined = provider?.allowed_account_ids?.[0];
  const partition = partitionOf(String(provider?.region ?? "us-east-1"));
  const provisional = placeholderFacts(pinned ?? assumed?.split(":")[4] ?? PLACEHOLDER_ACCOUNT, partition);
  const declared = assumed ? undefined : declaredDeployer(json, provisional);
  const deployerRoleArn = assumed ?? declared ?? provisional.deployerRoleArn;
  // Unpinned, the stack deploys to whichever account the credentials are in: the assumed role's, else the declared deployer's.
  const accountId = pinned ?? deployerRoleArn.split(":")[4];
  const roleName = deployerRoleArn.split("/").pop();
  return {
    ...placeholderFacts(accountId, partition),
    deployerRoleArn,
    deployerSessionArn: `arn:${partition}:sts::${accountId}:assumed-role/${roleName}/terraform`,
  };
}

/** A stack as the invariants read it, from its synthesized JSON (and, when known, its deployer policy and field paths). */
export function checkedStack(name: string, json: Json, extra: Omit<CheckedStack, "name" | "json" | "model"> = {}): CheckedStack {
  return { name, json, model: new StackModel(json, factsOf(json)), ...extra };
}
