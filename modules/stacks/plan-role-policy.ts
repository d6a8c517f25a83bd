/**
 * The permissions of an HCP Terraform plan role. A plan refreshes each
 * resource in the state and reads each data source; it changes nothing
 * (Terraform, "terraform plan": "reads the current state of any
 * already-existing remote objects",
 * https://developer.hashicorp.com/terraform/cli/commands/plan). So the plan
 * role gets the environment's generated deployer policy cut down to the
 * actions of the calls the Terraform AWS provider makes in its read
 * functions, for the resource and data source types of the stack (the
 * `read` phase of modules/invariants/provider-calls/, each table read from
 * the provider's source), each kept on the resources and under the
 * conditions the deployer policy gives it.
 */
import { PolicyDocument, PolicyStatement, policyDocument } from "../config/policy";
import { providerReadActions } from "../invariants/provider-calls";
import type { TerraformJson } from "./deployer-policy";

/** The kinds of a stack as the call tables name them: `aws_s3_bucket`, `data.aws_iam_session_context`. */
function kindsOf(stack: TerraformJson): string[] {
  return [...Object.keys(stack.resource ?? {}), ...Object.keys(stack.data ?? {}).map((type) => `data.${type}`)];
}

/** The provider's read actions for `kinds`, lower-cased (IAM matches actions without regard to case). */
export function readActionsOf(kinds: readonly string[]): Set<string> {
  return new Set(providerReadActions(kinds).map((action) => action.toLowerCase()));
}

/** A statement with only the actions in `keep`, or undefined when none is left (Deny statements stay whole). */
function narrowed(statement: PolicyStatement, keep: ReadonlySet<string>): PolicyStatement | undefined {
  if (statement.Effect === "Deny") return statement;
  const actions = [statement.Action].flat().filter((action) => keep.has(action.toLowerCase()));
  if (actions.length === 0) return undefined;
  return { ...statement, Action: actions.length === 1 ? actions[0] : actions };
}

/** The plan role's policy: the deployer policy of `stack` with only what the provider's reads need. */
export function planRolePolicy(stack: TerraformJson, deployer: PolicyDocument): PolicyDocument {
  const keep = readActionsOf(kindsOf(stack));
  const statements = deployer.Statement.map((statement) => narrowed(statement, keep)).filter((s) => s !== undefined);
  return policyDocument(statements.map((statement) => ({ ...statement, Sid: `${statement.Sid}Read` })));
}
