/**
 * Data flow: every store a stack creates or writes (store.ts) can be written
 * by the service that writes it, and read by at least one principal the
 * declaration names (a key user, auditor, consumer, stream consumer or
 * alerts reader), or by the account's principals where a policy of the
 * stack delegates to IAM (the account root kept). Key administrators are
 * tried too and, by design, read nothing. Decided by the IAM engine, with
 * the key, bucket, queue and topic policies of the stack and its grants.
 */
import { Decision } from "../iam-engine";
import { CheckedStack, Finding, Invariant } from "../invariant";
import { Requests } from "../requests";
import type { StackModel } from "../stack-model";
import { CONTENT_STORES } from "./content";
import { ACCOUNT_PRINCIPAL, CONTROL_STORES, otherKeyBuckets } from "./controls";
import type { Store } from "./store";

const IAM_PRINCIPAL = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\//;

/**
 * The IAM principals the stack's key policies name literally for what they
 * may do, not the stack's own roles: the deployer counts only where the
 * declaration also names it for data (a key user, say), not for deploying.
 */
export function declaredPrincipals(model: StackModel): string[] {
  const own = new Set([model.facts.connectServiceRoleArn, ...model.roles().map((r) => r.arn)]);
  const named = model
    .keys()
    .flatMap((key) => key.policy.Statement.filter((s) => !String(s.Sid ?? "").startsWith("Deployer")))
    .flatMap((s) => [s.Principal?.AWS ?? []].flat() as string[])
    .filter((arn) => IAM_PRINCIPAL.test(arn) && !own.has(arn));
  return [...new Set(named)].sort();
}

/** Buckets a service of the stack writes to: what is left under a key is written by whoever IAM lets. */
function serviceWrittenBuckets(model: StackModel): Set<string> {
  const names = [
    ...model.storageConfigs().flatMap((c) => (c.bucketName ? [c.bucketName] : [])),
    ...model
      .resources("aws_kinesis_firehose_delivery_stream")
      .map(([, b]) => model.bucket(model.string(b.extended_s3_configuration.bucket_arn, "bucket_arn")).name),
    ...model.replications().flatMap((r) => r.destinations.map((d) => model.bucket(d.bucketArn).name)),
    ...model.resources("aws_cloudtrail").map(([, b]) => model.string(b.s3_bucket_name, "s3_bucket_name")),
  ];
  return new Set(names);
}

/**
 * A stack of a Connect instance keeps its content bucket while every storage
 * type that would write there is switched off: it is a store once one is on.
 * Elsewhere (the state stack), a bucket under a key that no service writes
 * holds what the account's principals write (Terraform state).
 */
function servesConnect(model: StackModel): boolean {
  return model.resources("aws_connect_instance").length > 0 || Object.keys(model.json.data?.aws_connect_instance ?? {}).length > 0;
}

export function storesOf(requests: Requests): Store[] {
  const others = servesConnect(requests.model) ? [] : [otherKeyBuckets(serviceWrittenBuckets(requests.model))];
  const finders = [...CONTENT_STORES, ...CONTROL_STORES, ...others];
  return finders.flatMap((find) => find(requests));
}

async function firstRefusal(steps: readonly { what: string; run: () => Promise<Decision> }[]): Promise<string | undefined> {
  for (const s of steps) {
    const decision = await s.run();
    if (decision !== "Allowed") return `${s.what} is ${decision}`;
  }
  return undefined;
}

/** The principals that can read a store (the first that can, unless `all`). */
export async function readersOf(store: Store, candidates: readonly string[], all = false): Promise<string[]> {
  const readers: string[] = [];
  for (const candidate of candidates) {
    if ((await firstRefusal(store.reads(candidate))) === undefined) {
      readers.push(candidate);
      if (!all) break;
    }
  }
  return readers;
}

async function dataFlowFindings(stack: CheckedStack): Promise<Finding[]> {
  const requests = new Requests(stack.model);
  const candidates = [...declaredPrincipals(stack.model), ACCOUNT_PRINCIPAL(requests)];
  const findings: Finding[] = [];
  for (const store of storesOf(requests)) {
    const refused = await firstRefusal(store.writes);
    if (refused)
      findings.push({ resource: store.resource, message: `${store.writer} cannot write ${store.what}: ${refused}`, source: store.source });
    if ((store.otherReaders ?? []).length > 0) continue;
    if ((await readersOf(store, candidates)).length === 0) {
      const tried = candidates.map((c) => c.split(":").pop()).join(", ");
      findings.push({
        resource: store.resource,
        message: `nobody the declaration names can read ${store.what} (tried ${tried}; the account root is not kept or is not enough)`,
        source: store.source,
        field: store.readerField,
      });
    }
  }
  return findings;
}

export const DATA_FLOW: Invariant = {
  id: "data-flow",
  statement:
    "Every store the stack creates or writes can be written by the service that writes it, and read by at least one principal the declaration names (or by the account's principals where the account root is kept), as the IAM engine decides with the stack's policies and grants.",
  source: "https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html",
  check: dataFlowFindings,
};
