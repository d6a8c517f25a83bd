/**
 * Deploy completeness: the generated deployer policy (deployer-iam-policy.json,
 * and every role built from it) allows each API call the Terraform AWS
 * provider makes to create, read, update and delete each resource of the
 * stack (provider-calls/), on the ARNs the call takes (the Service
 * Authorization Reference's resource types, from IAM metadata), plus the
 * dependent permissions AWS documents for those calls. Every request is
 * decided by the IAM engine with the deployer policy as the caller's and the
 * key or bucket policy of the stack as the resource's.
 */
import { Context, Decision, decide } from "./iam-engine";
import { actionInfo } from "./iam-metadata";
import { CheckedStack, Finding, Invariant } from "./invariant";
import { PROVIDER_CALLS, Phase, ResourceView } from "./provider-calls";
import type { PolicyDocument, StackModel } from "./stack-model";
import { stackResources } from "./views";

const PROVIDER_SOURCE = "https://github.com/hashicorp/terraform-provider-aws/tree/main";

/** The ARNs an action is checked on: `*` for actions without resource types, else those the resource stands for. */
async function targetsOf(action: string, arns: Readonly<Record<string, string | undefined>>): Promise<string[] | string> {
  const info = await actionInfo(action);
  if (!info) return `${action} is not an IAM action (IAM metadata has none)`;
  if (info.wildcardOnly || info.resourceTypes.length === 0) return ["*"];
  const required = info.resourceTypes.filter((t) => t.required);
  if (required.length > 0) {
    const missing = required.filter((t) => arns[t.name] === undefined).map((t) => t.name);
    if (missing.length > 0) return `the call table gives no ${missing.join(", ")} ARN for ${action}`;
    return required.map((t) => arns[t.name]!);
  }
  const optional = info.resourceTypes.find((t) => arns[t.name] !== undefined);
  return optional ? [arns[optional.name]!] : ["*"];
}

/**
 * A key policy that leaves the decision to IAM: what KMS does before a key
 * exists (tags sent with CreateKey are authorized by the caller's IAM
 * policies alone; KMS developer guide, "Controlling access to tags",
 * https://docs.aws.amazon.com/kms/latest/developerguide/tag-permissions.html).
 * The engine decides KMS requests only with a key policy, hence this one.
 */
function keyPolicyDelegatingToIam(partition: string, account: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "BeforeTheKeyExists",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${account}:root` },
        Action: "kms:*",
        Resource: "*",
      },
    ],
  };
}

/** The resource policy AWS evaluates with a request on one of the stack's keys, buckets, topics or queues. */
function resourcePolicyOf(model: StackModel, action: string, arn: string, identityOnly: boolean): PolicyDocument | undefined {
  const service = action.split(":")[0];
  if (identityOnly) return service === "kms" ? keyPolicyDelegatingToIam(model.partition, model.facts.accountId) : undefined;
  if (service === "kms") return model.keys().find((k) => k.arn === arn)?.policy;
  if (service === "s3") return model.buckets().find((b) => arn === b.arn || arn.startsWith(`${b.arn}/`))?.policy;
  if (service === "sns") return model.topics().find((t) => t.arn === arn)?.policy;
  if (service === "sqs") return model.queues().find((q) => q.arn === arn)?.policy;
  return undefined;
}

interface Need {
  /** The phase of the call that needs it (a dependent permission: its call's, else create). */
  readonly phase: Phase;
  readonly action: string;
  readonly on: readonly string[] | string;
  readonly context: Context;
  readonly identityOnly: boolean;
  /** What needs it, for the message. */
  readonly why: string;
  readonly source: string;
}

async function needsOf(kind: string, view: ResourceView): Promise<Need[] | string> {
  const table = PROVIDER_CALLS[kind];
  if (!table) return `no provider calls are known for ${kind}: add them to modules/invariants/provider-calls/`;
  const arns = table.arns(view);
  const needs: Need[] = [];
  for (const call of table.calls.filter((c) => c.when?.(view) ?? true)) {
    for (const action of call.actions ?? [`${table.service}:${call.api}`]) {
      needs.push({
        phase: call.phase,
        action,
        on: await targetsOf(action, arns),
        context: call.context?.(view) ?? {},
        identityOnly: call.identityOnly ?? false,
        why: `${call.phase}: ${call.fn} calls ${call.api}`,
        source: `${PROVIDER_SOURCE}/${table.file}`,
      });
    }
  }
  for (const dependent of (table.dependent ?? []).filter((d) => d.when?.(view) ?? true)) {
    const on = dependent.on(view);
    needs.push({
      phase: table.calls.find((c) => c.api === dependent.for)?.phase ?? "create",
      action: dependent.action,
      on: on === undefined ? `the table cannot name the resource ${dependent.action} is checked on` : [on],
      context: dependent.context?.(view) ?? {},
      identityOnly: false,
      why: `${dependent.for} needs it`,
      source: dependent.source,
    });
  }
  return needs;
}

/** One request a principal makes for a resource of the stack, and the engine's decision. */
export interface DeployRequest {
  readonly resource: string;
  readonly phase: Phase;
  readonly action: string;
  readonly arn: string;
  readonly decision: Decision;
  readonly why: string;
  readonly source: string;
}

/**
 * Every request the provider makes for the stack's resources in `phases`, by
 * `principal` with `policy` as its identity policy, decided once per
 * resource, action, ARN and context; the table's gaps are returned as findings.
 */
export async function deployRequests(
  stack: CheckedStack,
  principal: string,
  policy: PolicyDocument,
  phases: readonly Phase[] = ["create", "read", "update", "delete"],
): Promise<{ readonly requests: DeployRequest[]; readonly gaps: Finding[] }> {
  const { model } = stack;
  const requests: DeployRequest[] = [];
  const gaps: Finding[] = [];
  const decided = new Set<string>();
  for (const { address, kind, view } of stackResources(model)) {
    const needs = await needsOf(kind, view);
    if (typeof needs === "string") {
      gaps.push({ resource: address, message: needs });
      continue;
    }
    for (const need of needs.filter((n) => phases.includes(n.phase))) {
      if (typeof need.on === "string") {
        gaps.push({ resource: address, message: need.on, source: need.source });
        continue;
      }
      for (const arn of need.on) {
        // The same request for the same resource (a call made on create and again on read): decided once.
        const asked = `${address}\u0000${need.action}\u0000${arn}\u0000${JSON.stringify(need.context)}\u0000${need.identityOnly}`;
        if (decided.has(asked)) continue;
        decided.add(asked);
        const evaluation = await decide({
          principal,
          action: need.action,
          resource: arn,
          resourceAccount: model.facts.accountId,
          context: { "aws:SecureTransport": "true", ...need.context },
          identityPolicies: [policy],
          resourcePolicy: resourcePolicyOf(model, need.action, arn, need.identityOnly),
        });
        const { phase, action, why, source } = need;
        requests.push({ resource: address, phase, action, arn, decision: evaluation.decision, why, source });
      }
    }
  }
  return { requests, gaps };
}

async function completenessFindings(stack: CheckedStack): Promise<Finding[]> {
  const policy = stack.deployerPolicy;
  if (!policy) return [];
  const { requests, gaps } = await deployRequests(stack, stack.model.facts.deployerRoleArn, policy);
  const reported = new Set<string>();
  const findings = [...gaps];
  for (const request of requests.filter((r) => r.decision !== "Allowed")) {
    const once = `${request.resource}\u0000${request.action}\u0000${request.arn}`;
    if (reported.has(once)) continue;
    reported.add(once);
    findings.push({
      resource: request.resource,
      message: `the deployer may not ${request.action} on ${request.arn} (${request.decision}); ${request.why}`,
      source: request.source,
    });
  }
  return findings;
}

export const DEPLOY_COMPLETENESS: Invariant = {
  id: "deploy-completeness",
  statement:
    "The generated deployer policy allows every API call the Terraform AWS provider makes to create, read, update and delete each resource of the stack, and the dependent permissions AWS documents for those calls, as the IAM engine decides with the stack's key and bucket policies.",
  source: PROVIDER_SOURCE,
  check: completenessFindings,
};
