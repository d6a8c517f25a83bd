/**
 * Reads a synthesized stack's Terraform JSON into concrete policies: every
 * reference in a policy is resolved to the value it would have once applied
 * in a fixture account (ARNs built from the resources' own names, the
 * provider's Region, the fixture's account and deployer).
 *
 * Discovery is by resource type, never by address, so a new key, bucket,
 * topic, queue or role is picked up by the matrix; an IAM policy resource the
 * matrix cannot model (managed policies, attachments) fails loudly.
 */
import { partitionOf } from "../config/regions";
import { evaluateAttribute } from "./hcl";
import { policyDocumentOf } from "./policy-document-data";

import type { Json, PolicyDocument } from "./terraform-json";

export type { Json, PolicyDocument } from "./terraform-json";

/** What the synthesized references resolve to in the fixture account. */
export interface Facts {
  readonly accountId: string;
  /** The deploying role (what `data.aws_iam_session_context.*.issuer_arn` returns). */
  readonly deployerRoleArn: string;
  /** The session the deployer runs as (`data.aws_caller_identity.*.arn`). */
  readonly deployerSessionArn: string;
  /** The Connect instance's service-linked role (`service_role` of the instance). */
  readonly connectServiceRoleArn: string;
  /** @default the partition of the stack's Region */
  readonly partition?: string;
}

export interface KeyModel {
  readonly address: string;
  readonly arn: string;
  readonly region: string;
  readonly policy: PolicyDocument;
}
export interface BucketModel {
  readonly address: string;
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly policy?: PolicyDocument;
  /** Default encryption: `AES256` or `aws:kms` with its key. */
  readonly encryption?: { readonly algorithm: string; readonly kmsKeyArn?: string; readonly bucketKey: boolean };
}
export interface TopicModel {
  readonly address: string;
  readonly arn: string;
  readonly kmsKeyArn?: string;
  readonly policy?: PolicyDocument;
}
export interface QueueModel {
  readonly address: string;
  readonly arn: string;
  readonly kmsKeyArn?: string;
  readonly policy?: PolicyDocument;
}
export interface RoleModel {
  readonly address: string;
  readonly name: string;
  readonly arn: string;
  readonly trust: PolicyDocument;
  readonly inline: PolicyDocument[];
  /** Its identity policies: the inline ones and the stack's managed policies attached to it (a split deploy-role policy). */
  readonly policies: PolicyDocument[];
}
export interface KmsGrantModel {
  readonly address: string;
  readonly keyArn: string;
  readonly grantee: string;
  readonly operations: string[];
  readonly encryptionContextSubset?: Record<string, string>;
  readonly encryptionContextEquals?: Record<string, string>;
}
export interface StorageConfigModel {
  readonly address: string;
  readonly resourceType: string;
  readonly storageType: string;
  readonly bucketName?: string;
  readonly prefix?: string;
  readonly keyArn?: string;
  readonly streamArn?: string;
  readonly firehoseArn?: string;
}
export interface ReplicationModel {
  readonly address: string;
  readonly roleArn: string;
  readonly sourceBucket: string;
  readonly destinations: { readonly bucketArn: string; readonly replicaKeyArn?: string }[];
}

const UNMODELLED_POLICY_TYPES = ["aws_iam_policy_attachment", "aws_kms_key_policy"];

export class StackModel {
  readonly region: string;
  /** The partition of the stack's Region (what data.aws_partition returns). */
  readonly partition: string;
  private readonly providers = new Map<string, string>();
  private readonly resolving = new Set<string>();
  /** What discovery found, once: the JSON is never changed after the model is made. */
  private readonly memo = new Map<string, unknown>();

  constructor(
    readonly json: Json,
    readonly facts: Facts,
  ) {
    for (const provider of json.provider?.aws ?? []) {
      const alias = provider.alias ? `aws.${provider.alias}` : "aws";
      this.providers.set(alias, provider.region);
      for (const allowed of provider.allowed_account_ids ?? []) {
        if (allowed !== facts.accountId)
          throw new Error(`provider ${alias} is pinned to ${allowed}, the fixture account is ${facts.accountId}`);
      }
    }
    const region = this.providers.get("aws");
    if (!region) throw new Error("the stack has no default aws provider with a region");
    this.region = region;
    this.partition = facts.partition ?? partitionOf(region);
    for (const type of UNMODELLED_POLICY_TYPES) {
      if (json.resource?.[type])
        throw new Error(`${type} is not modelled by the access matrix: extend __tests__/helpers/access/policies.ts`);
    }
  }

  private once<T>(key: string, find: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, find());
    return this.memo.get(key) as T;
  }

  resources(type: string): [string, Json][] {
    return Object.entries<Json>(this.json.resource?.[type] ?? {});
  }

  private block(kind: "resource" | "data", type: string, name: string): Json {
    const block = this.json[kind]?.[type]?.[name];
    if (!block) throw new Error(`reference to missing ${kind} ${type}.${name}`);
    return block;
  }

  regionOf(block: Json): string {
    const provider = block.provider ?? "aws";
    const region = this.providers.get(provider);
    if (!region) throw new Error(`unknown provider ${provider}`);
    return region;
  }

  /** The concrete value of a Terraform JSON attribute (literal or with interpolations). */
  value(source: unknown): unknown {
    if (typeof source === "string") return this.evaluateString(source);
    if (Array.isArray(source)) return source.map((item) => this.value(item));
    if (source && typeof source === "object") {
      return Object.fromEntries(Object.entries(source).map(([k, v]) => [k, this.value(v)]));
    }
    return source;
  }

  /** Evaluates one string attribute (a subclass may read another dialect: see module-eval.ts). */
  protected evaluateString(source: string): unknown {
    return evaluateAttribute(source, (path) => this.resolve(path));
  }

  string(source: unknown, what: string): string {
    const value = this.value(source);
    if (typeof value !== "string") throw new Error(`${what} did not resolve to a string: ${JSON.stringify(value)}`);
    return value;
  }

  policy(source: unknown, what: string): PolicyDocument {
    let value = this.value(source);
    if (typeof value === "string") value = JSON.parse(value);
    const doc = value as PolicyDocument;
    if (!doc || doc.Version !== "2012-10-17" || !Array.isArray(doc.Statement)) throw new Error(`${what} is not a policy document`);
    return doc;
  }

  /** Resolves `data.<type>.<name>.<attr>` and `<type>.<name>.<attr>` to fixture values. */
  resolve(path: readonly (string | number)[]): unknown {
    const key = path.join(".");
    if (this.resolving.has(key)) throw new Error(`reference cycle at ${key}`);
    this.resolving.add(key);
    try {
      if (path[0] === "data") return this.resolveData(String(path[1]), String(path[2]), path.slice(3));
      if (path[0] === "var" || path[0] === "local" || path[0] === "module") throw new Error(`unsupported reference ${key}`);
      return this.resolveResource(String(path[0]), String(path[1]), path.slice(2));
    } finally {
      this.resolving.delete(key);
    }
  }

  private resolveData(type: string, name: string, rest: readonly (string | number)[]): unknown {
    const block = this.block("data", type, name);
    const attr = rest.join(".");
    const { accountId } = this.facts;
    const region = this.regionOf(block);
    const table: Record<string, Record<string, () => unknown>> = {
      aws_caller_identity: {
        account_id: () => accountId,
        id: () => accountId,
        arn: () => this.facts.deployerSessionArn,
      },
      aws_partition: { partition: () => this.partition, dns_suffix: () => "amazonaws.com", id: () => this.partition },
      aws_region: { name: () => region, region: () => region, id: () => region },
      aws_iam_session_context: {
        issuer_arn: () => this.facts.deployerRoleArn,
        arn: () => this.string(block.arn, `data.${type}.${name}.arn`),
      },
      aws_iam_policy_document: {
        json: () => JSON.stringify(policyDocumentOf(block, (source) => this.value(source), `data.${type}.${name}`)),
      },
      aws_connect_instance: {
        service_role: () => this.facts.connectServiceRoleArn,
        id: () => this.string(block.instance_id, "instance_id"),
        arn: () => `arn:${this.partition}:connect:${region}:${accountId}:instance/${this.string(block.instance_id, "instance_id")}`,
      },
    };
    const resolver = table[type]?.[attr];
    if (!resolver) throw new Error(`cannot resolve data.${type}.${name}.${attr}`);
    return resolver();
  }

  private resolveResource(type: string, name: string, rest: readonly (string | number)[]): unknown {
    const block = this.block("resource", type, name);
    const attr = rest.join(".");
    const acct = this.facts.accountId;
    const region = this.regionOf(block);
    const own = (attribute: string): string => this.string(block[attribute], `${type}.${name}.${attribute}`);
    const arns: Record<string, () => string> = {
      aws_iam_role: () => `arn:${this.partition}:iam::${acct}:role${block.path ?? "/"}${own("name")}`,
      aws_s3_bucket: () => `arn:${this.partition}:s3:::${own("bucket")}`,
      aws_kms_key: () => `arn:${this.partition}:kms:${region}:${acct}:key/${name}`,
      aws_kms_alias: () => `arn:${this.partition}:kms:${region}:${acct}:${own("name")}`,
      aws_sns_topic: () => `arn:${this.partition}:sns:${region}:${acct}:${own("name")}`,
      aws_sqs_queue: () => `arn:${this.partition}:sqs:${region}:${acct}:${own("name")}`,
      aws_kinesis_stream: () => `arn:${this.partition}:kinesis:${region}:${acct}:stream/${own("name")}`,
      aws_kinesis_firehose_delivery_stream: () => `arn:${this.partition}:firehose:${region}:${acct}:deliverystream/${own("name")}`,
      aws_cloudwatch_log_group: () => `arn:${this.partition}:logs:${region}:${acct}:log-group:${own("name")}`,
      aws_cloudwatch_event_rule: () => `arn:${this.partition}:events:${region}:${acct}:rule/${own("name")}`,
      aws_customerprofiles_domain: () => `arn:${this.partition}:profile:${region}:${acct}:domains/${own("domain_name")}`,
      aws_cloudtrail: () => `arn:${this.partition}:cloudtrail:${region}:${acct}:trail/${own("name")}`,
      aws_connect_instance: () => `arn:${this.partition}:connect:${region}:${acct}:instance/${name}`,
      // IAM names an OIDC provider by its URL without the scheme (CreateOpenIDConnectProvider, Response).
      aws_iam_openid_connect_provider: () => `arn:${this.partition}:iam::${acct}:oidc-provider/${own("url").replace(/^https:\/\//, "")}`,
      aws_iam_policy: () => `arn:${this.partition}:iam::${acct}:policy/${own("name")}`,
    };
    const ids: Record<string, () => string> = {
      aws_iam_role: () => own("name"),
      aws_s3_bucket: () => own("bucket"),
      aws_kms_key: () => name,
      aws_kms_alias: () => own("name"),
      aws_sns_topic: () => arns.aws_sns_topic(),
      aws_sqs_queue: () => `https://sqs.${region}.amazonaws.com/${acct}/${own("name")}`,
      aws_connect_instance: () => name,
    };
    switch (attr) {
      case "arn":
        if (arns[type]) return arns[type]();
        break;
      case "id":
        if (ids[type]) return ids[type]();
        break;
      case "key_id":
        if (type === "aws_kms_key") return name;
        break;
      case "url":
        if (type === "aws_sqs_queue") return ids.aws_sqs_queue();
        break;
      case "service_role":
        if (type === "aws_connect_instance") return this.facts.connectServiceRoleArn;
        break;
      default:
        // A configured argument (name, bucket, ...) resolves to its own value.
        if (rest.length === 1 && block[attr] !== undefined && typeof block[attr] !== "object") return this.value(block[attr]);
    }
    throw new Error(`cannot resolve ${type}.${name}.${attr}`);
  }

  // ---- discovery -------------------------------------------------------------------------------

  keys(): KeyModel[] {
    return this.once("keys", () => this.discoverKeys());
  }

  private discoverKeys(): KeyModel[] {
    return this.resources("aws_kms_key").map(([address, block]) => ({
      address: `aws_kms_key.${address}`,
      arn: this.string("${aws_kms_key." + address + ".arn}", address),
      region: this.regionOf(block),
      policy: this.policy(block.policy, `aws_kms_key.${address}.policy`),
    }));
  }

  key(arn: string): KeyModel {
    const key = this.keys().find((k) => k.arn === arn);
    if (!key) throw new Error(`no key ${arn} in the stack`);
    return key;
  }

  buckets(): BucketModel[] {
    return this.once("buckets", () => this.discoverBuckets());
  }

  private discoverBuckets(): BucketModel[] {
    const policies = this.resources("aws_s3_bucket_policy").map(([address, block]) => ({
      bucket: this.string(block.bucket, `${address}.bucket`),
      policy: this.policy(block.policy, `aws_s3_bucket_policy.${address}.policy`),
    }));
    const encryption = this.resources("aws_s3_bucket_server_side_encryption_configuration").map(([address, block]) => {
      const rules = block.rule as Json[];
      if (rules.length !== 1) throw new Error(`${address}: expected one encryption rule`);
      const byDefault = rules[0].apply_server_side_encryption_by_default;
      return {
        bucket: this.string(block.bucket, `${address}.bucket`),
        algorithm: this.string(byDefault.sse_algorithm, "sse_algorithm"),
        kmsKeyArn: byDefault.kms_master_key_id === undefined ? undefined : this.string(byDefault.kms_master_key_id, "kms_master_key_id"),
        bucketKey: this.value(rules[0].bucket_key_enabled ?? false) === true,
      };
    });
    const buckets = this.resources("aws_s3_bucket").map(([address, block]) => {
      const name = this.string(block.bucket, `${address}.bucket`);
      const policy = policies.filter((p) => p.bucket === name);
      const sse = encryption.filter((e) => e.bucket === name);
      if (policy.length > 1 || sse.length > 1) throw new Error(`bucket ${name} has more than one policy or encryption configuration`);
      return {
        address: `aws_s3_bucket.${address}`,
        name,
        arn: `arn:${this.partition}:s3:::${name}`,
        region: this.regionOf(block),
        policy: policy[0]?.policy,
        encryption: sse[0] && { algorithm: sse[0].algorithm, kmsKeyArn: sse[0].kmsKeyArn, bucketKey: sse[0].bucketKey },
      };
    });
    for (const p of policies) {
      if (!buckets.some((b) => b.name === p.bucket)) throw new Error(`bucket policy for unknown bucket ${p.bucket}`);
    }
    return buckets;
  }

  bucket(name: string): BucketModel {
    const bucket = this.buckets().find((b) => b.name === name || b.arn === name);
    if (!bucket) throw new Error(`no bucket ${name} in the stack`);
    return bucket;
  }

  topics(): TopicModel[] {
    return this.once("topics", () => this.discoverTopics());
  }

  private discoverTopics(): TopicModel[] {
    const policies = this.resources("aws_sns_topic_policy").map(([address, block]) => ({
      arn: this.string(block.arn, `${address}.arn`),
      policy: this.policy(block.policy, `aws_sns_topic_policy.${address}.policy`),
    }));
    return this.resources("aws_sns_topic").map(([address, block]) => {
      const arn = this.string("${aws_sns_topic." + address + ".arn}", address);
      return {
        address: `aws_sns_topic.${address}`,
        arn,
        kmsKeyArn: block.kms_master_key_id === undefined ? undefined : this.string(block.kms_master_key_id, "kms_master_key_id"),
        policy: block.policy !== undefined ? this.policy(block.policy, `${address}.policy`) : policies.find((p) => p.arn === arn)?.policy,
      };
    });
  }

  queues(): QueueModel[] {
    return this.once("queues", () => this.discoverQueues());
  }

  private discoverQueues(): QueueModel[] {
    const policies = this.resources("aws_sqs_queue_policy").map(([address, block]) => ({
      url: this.string(block.queue_url, `${address}.queue_url`),
      policy: this.policy(block.policy, `aws_sqs_queue_policy.${address}.policy`),
    }));
    return this.resources("aws_sqs_queue").map(([address, block]) => {
      const url = this.string("${aws_sqs_queue." + address + ".url}", address);
      return {
        address: `aws_sqs_queue.${address}`,
        arn: this.string("${aws_sqs_queue." + address + ".arn}", address),
        kmsKeyArn: block.kms_master_key_id === undefined ? undefined : this.string(block.kms_master_key_id, "kms_master_key_id"),
        policy: block.policy !== undefined ? this.policy(block.policy, `${address}.policy`) : policies.find((p) => p.url === url)?.policy,
      };
    });
  }

  roles(): RoleModel[] {
    return this.once("roles", () => this.discoverRoles());
  }

  private discoverRoles(): RoleModel[] {
    const inline = this.resources("aws_iam_role_policy").map(([address, block]) => ({
      role: this.string(block.role, `${address}.role`),
      policy: this.policy(block.policy, `aws_iam_role_policy.${address}.policy`),
    }));
    const managed = new Map(
      this.resources("aws_iam_policy").map(([address, block]) => [
        this.string("${aws_iam_policy." + address + ".arn}", address),
        this.policy(block.policy, `aws_iam_policy.${address}.policy`),
      ]),
    );
    const attached = this.resources("aws_iam_role_policy_attachment").map(([address, block]) => {
      const policyArn = this.string(block.policy_arn, `${address}.policy_arn`);
      const policy = managed.get(policyArn);
      if (!policy) throw new Error(`aws_iam_role_policy_attachment.${address} attaches ${policyArn}, which is not a policy of the stack`);
      return { role: this.string(block.role, `${address}.role`), policy };
    });
    return this.resources("aws_iam_role").map(([address, block]) => {
      const name = this.string(block.name, `${address}.name`);
      if (block.inline_policy || block.managed_policy_arns)
        throw new Error(`${address}: inline_policy/managed_policy_arns are not modelled`);
      const own = inline.filter((p) => p.role === name).map((p) => p.policy);
      return {
        address: `aws_iam_role.${address}`,
        name,
        arn: this.string("${aws_iam_role." + address + ".arn}", address),
        trust: this.policy(block.assume_role_policy, `${address}.assume_role_policy`),
        inline: own,
        policies: [...own, ...attached.filter((a) => a.role === name).map((a) => a.policy)],
      };
    });
  }

  role(arn: string): RoleModel {
    const role = this.roles().find((r) => r.arn === arn);
    if (!role) throw new Error(`no role ${arn} in the stack`);
    return role;
  }

  kmsGrants(): KmsGrantModel[] {
    return this.once("kmsGrants", () => this.discoverKmsGrants());
  }

  private discoverKmsGrants(): KmsGrantModel[] {
    return this.resources("aws_kms_grant").map(([address, block]) => {
      const constraints = (this.value(block.constraints ?? []) as Json[]) ?? [];
      if (constraints.length > 1) throw new Error(`${address}: more than one constraints block`);
      return {
        address: `aws_kms_grant.${address}`,
        keyArn: this.string(block.key_id, `${address}.key_id`),
        grantee: this.string(block.grantee_principal, `${address}.grantee_principal`),
        operations: this.value(block.operations) as string[],
        encryptionContextSubset: constraints[0]?.encryption_context_subset,
        encryptionContextEquals: constraints[0]?.encryption_context_equals,
      };
    });
  }

  storageConfigs(): StorageConfigModel[] {
    return this.once("storageConfigs", () => this.discoverStorageConfigs());
  }

  private discoverStorageConfigs(): StorageConfigModel[] {
    return this.resources("aws_connect_instance_storage_config").map(([address, block]) => {
      const config = block.storage_config;
      const s3 = config.s3_config;
      const kvs = config.kinesis_video_stream_config;
      const encryption = s3?.encryption_config ?? kvs?.encryption_config;
      return {
        address: `aws_connect_instance_storage_config.${address}`,
        resourceType: block.resource_type,
        storageType: config.storage_type,
        bucketName: s3 && this.string(s3.bucket_name, "bucket_name"),
        prefix: s3 ? this.string(s3.bucket_prefix, "bucket_prefix") : kvs && this.string(kvs.prefix, "prefix"),
        keyArn: encryption && this.string(encryption.key_id, "key_id"),
        streamArn: config.kinesis_stream_config && this.string(config.kinesis_stream_config.stream_arn, "stream_arn"),
        firehoseArn: config.kinesis_firehose_config && this.string(config.kinesis_firehose_config.firehose_arn, "firehose_arn"),
      };
    });
  }

  replications(): ReplicationModel[] {
    return this.once("replications", () => this.discoverReplications());
  }

  private discoverReplications(): ReplicationModel[] {
    return this.resources("aws_s3_bucket_replication_configuration").map(([address, block]) => ({
      address: `aws_s3_bucket_replication_configuration.${address}`,
      roleArn: this.string(block.role, `${address}.role`),
      sourceBucket: this.string(block.bucket, `${address}.bucket`),
      destinations: (block.rule as Json[]).map((rule) => ({
        bucketArn: this.string(rule.destination.bucket, "destination.bucket"),
        replicaKeyArn:
          rule.destination.encryption_configuration &&
          this.string(rule.destination.encryption_configuration.replica_kms_key_id, "replica_kms_key_id"),
      })),
    }));
  }

  /** Resources of `type` with the given attributes resolved (for names, ARNs, key references). */
  described(type: string, attributes: readonly string[]): (Record<string, unknown> & { address: string; arn?: string })[] {
    return this.once(`described:${type}:${attributes.join(",")}`, () => this.describe(type, attributes));
  }

  private describe(type: string, attributes: readonly string[]): (Record<string, unknown> & { address: string; arn?: string })[] {
    return this.resources(type).map(([address, block]) => {
      const out: Record<string, unknown> & { address: string; arn?: string } = { address: `${type}.${address}` };
      for (const attribute of attributes) {
        if (attribute === "arn") out.arn = this.string("${" + type + "." + address + ".arn}", address);
        else if (block[attribute] !== undefined) out[attribute] = this.value(block[attribute]);
      }
      return out;
    });
  }
}
