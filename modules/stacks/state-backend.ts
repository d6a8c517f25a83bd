import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TaggedCloudWorkspaces, TerraformStack } from "cdktf";
import { StateSettings } from "../config/state-settings";

/**
 * Configures where a stack keeps its state. Local state is a file in the
 * project root, named after the stack, written as a path relative to the
 * stack's directory (cdktf.out/stacks/<stack>), so no machine path ends up in
 * the output. S3 state is always encrypted with the given key and locked with
 * S3-native lock files, with the credentials of the role the stack's
 * provider assumes, when it assumes one.
 */
export function configureStateBackend(stack: TerraformStack, stackName: string, state: StateSettings, assumeRoleArn?: string): void {
  switch (state.backend) {
    case "local":
      new LocalBackend(stack, { path: `../../../terraform.${stackName}.tfstate` });
      return;
    case "s3":
      new S3Backend(stack, {
        bucket: state.bucket,
        key: state.key,
        region: state.region,
        encrypt: true,
        kmsKeyId: state.kmsKeyId,
        workspaceKeyPrefix: state.workspaceKeyPrefix,
        dynamodbTable: state.dynamodbTable,
        // The role the provider assumes carries the deployer policy, state access included: the backend
        // assumes it too, so `terraform init` and the state reads and writes use the same identity as the
        // plan (Terraform S3 backend, "Assume Role Configuration",
        // https://developer.hashicorp.com/terraform/language/backend/s3#assume-role-configuration).
        assumeRole: assumeRoleArn ? { roleArn: assumeRoleArn, sessionName: stackName } : undefined,
      });
      // cdktf 0.21's S3Backend predates S3-native locking (Terraform >= 1.10).
      stack.addOverride("terraform.backend.s3.use_lockfile", true);
      return;
    case "cloud":
      new CloudBackend(stack, {
        organization: state.organization,
        hostname: state.hostname,
        workspaces:
          "name" in state.workspace
            ? new NamedCloudWorkspace(state.workspace.name, state.workspace.project)
            : new TaggedCloudWorkspaces([...state.workspace.tags], state.workspace.project),
      });
      return;
  }
}
