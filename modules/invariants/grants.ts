/**
 * KMS grants, which the IAM engine knows nothing of, and KMS decisions that
 * combine the key policy (through the engine) with them.
 *
 * Modelled grants:
 * - `aws_kms_grant` resources, created by the deployer directly
 *   (kms:GrantIsForAWSResource false).
 * - Connect's grants: AssociateInstanceStorageConfig with an S3 or Kinesis
 *   Video Streams target and a KMS key makes Connect create, with the
 *   caller's permissions, a grant on the key whose grantee is the instance's
 *   service-linked role and which lets it encrypt and decrypt
 *   (https://docs.aws.amazon.com/connect/latest/adminguide/key-management.html).
 *   The page does not list the operations; modelled as the data-key and
 *   encrypt/decrypt operations below, without constraints.
 * - Firehose's grant: with server-side encryption of type
 *   CUSTOMER_MANAGED_CMK, Firehose calls CreateGrant with the caller's
 *   credentials so that Firehose can encrypt and decrypt
 *   (https://docs.aws.amazon.com/firehose/latest/APIReference/API_DeliveryStreamEncryptionConfigurationInput.html).
 *   The grantee is a Firehose-owned principal: modelled as `firehose.amazonaws.com`.
 *
 * A grant is in effect only if its CreateGrant call is allowed by the key
 * policy at creation time (evaluated with the engine); a grant permits an
 * operation for its grantee when the operation is listed and its
 * encryption-context constraint holds
 * (https://docs.aws.amazon.com/kms/latest/developerguide/grants.html,
 * https://docs.aws.amazon.com/kms/latest/developerguide/create-grant-overview.html).
 * An explicit deny in the key policy still wins
 * (https://docs.aws.amazon.com/kms/latest/developerguide/determining-access.html).
 */
import { Context, Decision, decide } from "./iam-engine";
import type { KeyModel, PolicyDocument, StackModel } from "./stack-model";

export interface Grant {
  /** Where the grant comes from: the resource address or the modelled service behaviour. */
  readonly source: string;
  readonly keyArn: string;
  readonly grantee: string;
  readonly operations: readonly string[];
  readonly encryptionContextSubset?: Readonly<Record<string, string>>;
  readonly encryptionContextEquals?: Readonly<Record<string, string>>;
  /** The CreateGrant call that creates the grant. */
  readonly creation: { readonly principal: string; readonly context: Context };
}

/** What Connect's association grant lets the service-linked role do ("encryption and decryption"). */
export const CONNECT_ASSOCIATION_GRANT_OPERATIONS = [
  "Decrypt",
  "Encrypt",
  "GenerateDataKey",
  "GenerateDataKeyWithoutPlaintext",
  "DescribeKey",
];
/** What Firehose's own grant lets it do ("encrypt and decrypt data"). */
export const FIREHOSE_GRANT_OPERATIONS = ["Decrypt", "Encrypt", "GenerateDataKey"];
export const FIREHOSE_GRANTEE = "firehose.amazonaws.com";

function constraintType(grant: Pick<Grant, "encryptionContextSubset" | "encryptionContextEquals">): Context {
  if (grant.encryptionContextSubset) return { "kms:GrantConstraintType": "EncryptionContextSubset" };
  if (grant.encryptionContextEquals) return { "kms:GrantConstraintType": "EncryptionContextEquals" };
  return {};
}

/** Every grant the stack creates or makes a service create. */
export function stackGrants(model: StackModel): Grant[] {
  const { accountId, deployerRoleArn, connectServiceRoleArn } = model.facts;
  const grants: Grant[] = [];
  for (const g of model.kmsGrants()) {
    grants.push({
      source: g.address,
      keyArn: g.keyArn,
      grantee: g.grantee,
      operations: g.operations,
      encryptionContextSubset: g.encryptionContextSubset,
      encryptionContextEquals: g.encryptionContextEquals,
      creation: {
        principal: deployerRoleArn,
        context: {
          "kms:GranteePrincipal": g.grantee,
          "kms:GrantOperations": g.operations,
          "kms:GrantIsForAWSResource": "false",
          "kms:CallerAccount": accountId,
          ...constraintType(g),
        },
      },
    });
  }
  for (const config of model.storageConfigs()) {
    if (!config.keyArn) continue;
    grants.push({
      source: `connect-association:${config.resourceType}`,
      keyArn: config.keyArn,
      grantee: connectServiceRoleArn,
      operations: CONNECT_ASSOCIATION_GRANT_OPERATIONS,
      creation: {
        principal: deployerRoleArn,
        context: {
          "kms:GranteePrincipal": connectServiceRoleArn,
          "kms:GrantOperations": CONNECT_ASSOCIATION_GRANT_OPERATIONS,
          "kms:GrantIsForAWSResource": "true",
          "kms:CallerAccount": accountId,
        },
      },
    });
  }
  for (const [address, block] of model.resources("aws_kinesis_firehose_delivery_stream")) {
    const sse = block.server_side_encryption;
    if (!sse || model.value(sse.enabled) !== true || model.value(sse.key_type) !== "CUSTOMER_MANAGED_CMK") continue;
    grants.push({
      source: `firehose-sse:${address}`,
      keyArn: model.string(sse.key_arn, `${address}.server_side_encryption.key_arn`),
      grantee: FIREHOSE_GRANTEE,
      operations: FIREHOSE_GRANT_OPERATIONS,
      creation: {
        principal: deployerRoleArn,
        context: {
          "kms:GranteePrincipal": FIREHOSE_GRANTEE,
          "kms:GrantOperations": FIREHOSE_GRANT_OPERATIONS,
          "kms:GrantIsForAWSResource": "true",
          "kms:ViaService": `firehose.${model.regionOf(block)}.amazonaws.com`,
          "kms:CallerAccount": accountId,
        },
      },
    });
  }
  return grants;
}

function accountOf(arn: string): string {
  const account = arn.split(":")[4];
  if (!/^[0-9]{12}$/.test(account ?? "")) throw new Error(`no account in ${arn}`);
  return account;
}

/** The role a principal ARN acts as: roles and their assumed-role sessions are the same grantee. */
function samePrincipal(grantee: string, principal: string): boolean {
  if (grantee === principal) return true;
  const session = /^arn:aws[a-z-]*:sts::([0-9]{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(principal);
  if (!session) return false;
  const role = /^arn:aws[a-z-]*:iam::([0-9]{12}):role\/(?:.*\/)?([^/]+)$/.exec(grantee);
  return !!role && role[1] === session[1] && role[2] === session[2];
}

/** The encryption context a request carries, from its `kms:EncryptionContext:<key>` context entries. */
export function encryptionContextOf(context: Context): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(context)) {
    const match = /^kms:EncryptionContext:(.+)$/i.exec(key);
    if (match) out[match[1]] = Array.isArray(value) ? value[0] : value;
  }
  return out;
}

/** Whether a grant (assumed in effect) permits `kms:<operation>` by `principal` with `context`. */
export function grantPermits(grant: Grant, principal: string, action: string, keyArn: string, context: Context): boolean {
  if (grant.keyArn !== keyArn || !samePrincipal(grant.grantee, principal)) return false;
  const operation = action.replace(/^kms:/, "");
  if (!grant.operations.includes(operation)) return false;
  const ec = encryptionContextOf(context);
  if (grant.encryptionContextSubset) {
    if (!Object.entries(grant.encryptionContextSubset).every(([k, v]) => ec[k] === v)) return false;
  }
  if (grant.encryptionContextEquals) {
    const wanted = Object.entries(grant.encryptionContextEquals);
    if (wanted.length !== Object.keys(ec).length || !wanted.every(([k, v]) => ec[k] === v)) return false;
  }
  return true;
}

/** Whether the key policy (alone) lets the grant's creator make it. */
export async function grantInEffect(grant: Grant, key: KeyModel): Promise<boolean> {
  const evaluation = await decide({
    principal: grant.creation.principal,
    action: "kms:CreateGrant",
    resource: key.arn,
    resourceAccount: accountOf(key.arn),
    context: grant.creation.context,
    resourcePolicy: key.policy,
  });
  return evaluation.decision === "Allowed";
}

export interface KmsRequest {
  readonly principal: string;
  readonly action: string;
  readonly context?: Context;
  /** IAM policies of the caller (count only where the key policy delegates to the account). */
  readonly identityPolicies?: readonly PolicyDocument[];
}

export interface KmsEvaluation {
  readonly decision: Decision;
  /** "key policy", "grant <source>", or "none". */
  readonly by: string;
}

/** A KMS request on `key`: key policy (and IAM, where delegated) through the engine, then grants in effect. */
export async function decideKms(key: KeyModel, grants: readonly Grant[], request: KmsRequest): Promise<KmsEvaluation> {
  const context = request.context ?? {};
  const policy = await decide({
    principal: request.principal,
    action: request.action,
    resource: key.arn,
    resourceAccount: accountOf(key.arn),
    context,
    identityPolicies: request.identityPolicies,
    resourcePolicy: key.policy,
  });
  if (policy.decision !== "ImplicitlyDenied")
    return { decision: policy.decision, by: policy.decision === "Allowed" ? "key policy" : "key policy deny" };
  for (const grant of grants) {
    if (grantPermits(grant, request.principal, request.action, key.arn, context) && (await grantInEffect(grant, key))) {
      return { decision: "Allowed", by: `grant ${grant.source}` };
    }
  }
  return { decision: "ImplicitlyDenied", by: "none" };
}
