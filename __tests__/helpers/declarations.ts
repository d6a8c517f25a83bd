/**
 * Declarations the suite checks whole (every stack they declare), chosen to
 * cover what a valid cdktf.json can look like, so that properties such as
 * the Checkov parity and the compliance report's truth hold for any of them
 * and not only for the example.
 */
import { Testing } from "cdktf";
import { resolveDeclaration } from "../../modules/config/config";
import { ConnectEncryptionStack } from "../../modules/stacks/connect-encryption-stack";
import { StateBootstrapStack, deployRoleSources } from "../../modules/stacks/state-bootstrap-stack";
import { declaration, Json } from "./synth";
import { exampleDeclaration } from "./example";
import { FAKE_INSTANCE_ID } from "./plan-test";

const ADMIN = "arn:aws:iam::123456789012:role/KeyAdmin";
const AUDITOR = "arn:aws:iam::123456789012:role/Auditor";
const STREAM_READER = "arn:aws:iam::123456789012:role/StreamReader";

export const DECLARATIONS: Record<string, Json> = {
  /** The example cdktf.json, as the repository ships it. */
  example: exampleDeclaration(),
  /** Defaults only: no replication, dedicated access logs, alerts without a trail. */
  "defaults without replication": declaration(),
  /** An adopted instance with every S3 storage type on. */
  "adopted instance": declaration({
    instance: { adopt: { instance: FAKE_INSTANCE_ID, existingAssociations: {} } },
    storage: { EMAIL_MESSAGES: { enabled: true }, CONTACT_EVALUATIONS: { enabled: true }, SCHEDULED_REPORTS: { enabled: true } },
  }),
  /** A trail of its own, in an environment without replication. */
  "with trail": declaration({ alerts: { enabled: true, createTrail: true } }),
  /** A copy in a second Region, and a trail of its own. */
  "replicated, with trail": declaration({
    bucket: { replication: { region: "eu-west-1" } },
    alerts: { enabled: true, createTrail: true },
  }),
  /** Object Lock moves attachments to a bucket of their own. */
  "object lock and attachments": declaration({
    bucket: { objectLock: { mode: "GOVERNANCE", days: 30, lockedTypes: ["CALL_RECORDINGS"] } },
    storage: { ATTACHMENTS: { enabled: true } },
  }),
  /** Access logs sent elsewhere, no EventBridge notifications, no root statement. */
  "existing log bucket, no notifications, no root": declaration({
    bucket: { accessLogs: { destination: "existing", bucketName: "central-logs-123456789012" }, eventBridgeNotifications: false },
    key: { allowAccountRoot: false, administratorArns: [ADMIN], deployerArns: [ADMIN], auditorArns: [AUDITOR] },
    streams: { consumerRoleArns: [STREAM_READER] },
  }),
  /** No access logs at all, with the reason the declaration must give. */
  "no access logs": declaration({
    bucket: { accessLogs: { destination: "none", reason: "Access is logged by CloudTrail data events in the organisation trail." } },
  }),
};

export interface BuiltStack {
  readonly name: string;
  readonly stack: ConnectEncryptionStack | StateBootstrapStack;
  readonly json: Json;
}

/** Every stack of a declaration (the state bootstrap first), built and synthesized in memory. */
export function buildAll(decl: Json): BuiltStack[] {
  const { environments, stateBootstrap } = resolveDeclaration(decl, "test declaration");
  const stacks = [
    ...(stateBootstrap ? [new StateBootstrapStack(Testing.app(), stateBootstrap, deployRoleSources(stateBootstrap, environments))] : []),
    ...environments.map((e) => new ConnectEncryptionStack(Testing.app(), e)),
  ];
  return stacks.map((stack) => ({ name: stack.settings.stackName, stack, json: JSON.parse(Testing.synth(stack)) }));
}
