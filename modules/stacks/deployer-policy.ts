/**
 * The IAM policy of the principal that runs Terraform on a stack, generated
 * from that stack's synthesized Terraform JSON: the resource and data source
 * TYPES present decide the actions, the names in the JSON and the stack's
 * name prefix decide the resources, and `terraform.backend.s3` adds access to
 * the state. The actions per type are data, by service, in
 * deployer-permissions/ (each entry citing its page); this file scopes them
 * to the stack's names, Regions and account, adds the statements that need
 * conditions and the state's, and writes the document. A type without an
 * entry stops synthesis, so a new construct cannot ship without its deployer
 * permissions.
 *
 * Pure and fast: it runs during synthesis (no AWS SDK, no cdktf, no policy
 * libraries); only `writeDeployerPolicies` touches the file system.
 * Conditioned statements below cite their pages as the table does (SAR
 * <service>: the Service Authorization Reference page of the service).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { EnvironmentSettings, StateBootstrapSettings } from "../config/config";
import type { ConditionBlock, PolicyDocument, PolicyStatement } from "../config/policy";
import { partitionOf } from "../config/regions";
import {
  DATA_NEEDS,
  NAME_SOURCES,
  Need,
  PASS_ROLE_SERVICES,
  PREFIXED_SCOPES,
  RESOURCE_NEEDS,
  SCOPE_SIDS,
  Scope,
} from "./deployer-permissions";

export type { PolicyDocument, PolicyStatement } from "../config/policy";
export {
  INLINE_POLICY_MAX_CHARACTERS,
  MANAGED_POLICY_MAX_CHARACTERS,
  managedPolicyParts,
  permissionParts,
  policyCharacters,
} from "./policy-size";

/** Written beside each stack's cdk.tf.json. */
export const DEPLOYER_POLICY_FILE = "deployer-iam-policy.json";

type Json = Record<string, any>;

/** The parts of a synthesized stack (cdk.tf.json) that the policy depends on. */
export interface TerraformJson {
  readonly resource?: Record<string, Record<string, Json>>;
  readonly data?: Record<string, Record<string, Json>>;
  readonly terraform?: { readonly backend?: Record<string, Json> };
  readonly provider?: { readonly aws?: readonly Json[] };
}

/** What is known about where a stack is deployed. */
export interface DeployerTarget {
  /** Region of the default `aws` provider. */
  readonly region: string;
  /** Region of the aliased `aws.dr` provider. @default read from the stack's provider block */
  readonly drRegion?: string;
  /** @default `*` in every ARN's account field (statements so scoped end their Sid with `AnyAccount`) */
  readonly accountId?: string;
  /** @default from the Region: aws-cn for cn-*, aws-us-gov for us-gov-*, else aws */
  readonly partition?: string;
  /** Leading part of the stack's resource names, e.g. `acme-connect-prod`: roles, streams, topics, rules are scoped to `<namePrefix>-*`. */
  readonly namePrefix: string;
}

const REFERENCE = /^\$\{(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}$/;
const INTERPOLATION = /\$\{[^}]*\}/g;
const ACCOUNT_ID_REFERENCE = /\$\{data\.aws_caller_identity\.[A-Za-z0-9_-]+\.account_id\}/g;

class PolicyBuilder {
  private readonly partition: string;
  private readonly account: string;
  private readonly providerRegions = new Map<string, string>();
  private readonly actions = new Map<Scope, Set<string>>();
  /** Per scope: "<region>\u0000<name>" (name may hold `*`). */
  private readonly names = new Map<Scope, Set<string>>();
  private readonly regions = new Map<Scope, Set<string>>();
  /** Actions needed only on one target (e.g. a storage config's bucket): scope -> name key -> actions. */
  private readonly targetActions = new Map<Scope, Map<string, Set<string>>>();
  private readonly unknown = new Set<string>();

  constructor(
    private readonly stack: TerraformJson,
    private readonly target: DeployerTarget,
  ) {
    this.partition = target.partition ?? partitionOf(target.region);
    this.account = target.accountId ?? "*";
    for (const provider of stack.provider?.aws ?? []) {
      if (provider.alias && typeof provider.region === "string") this.providerRegions.set(provider.alias, provider.region);
    }
    if (target.drRegion) this.providerRegions.set("dr", target.drRegion);
  }

  build(): PolicyDocument {
    this.collect("resource", RESOURCE_NEEDS);
    this.collect("data", DATA_NEEDS);
    if (this.unknown.size > 0) {
      throw new Error(
        `No deployer IAM permissions are known for ${[...this.unknown].sort().join(", ")}: ` +
          "add the actions they need to the service's file in modules/stacks/deployer-permissions/ (data sources: data-sources.ts)",
      );
    }
    const statements: PolicyStatement[] = [];
    for (const [scope, sid] of SCOPE_SIDS) {
      const actions = this.actions.get(scope);
      if (!actions || actions.size === 0) continue;
      const resources = this.scopeResources(scope);
      if (resources.length === 0) throw new Error(`deployer policy: no resources found for ${sid} (${[...actions].join(", ")})`);
      statements.push(this.statement(sid, actions, resources));
      // Actions needed on some targets only (a storage config's bucket): their own statement.
      const perTarget = this.targetActions.get(scope);
      if (perTarget) {
        const extra = new Map<string, Set<string>>();
        for (const [key, acts] of perTarget) {
          const missing = [...acts].filter((a) => !actions.has(a));
          if (missing.length === 0) continue;
          for (const arn of this.arnsFor(scope, [key])) {
            for (const a of missing) {
              if (!extra.has(a)) extra.set(a, new Set());
              extra.get(a)!.add(arn);
            }
          }
        }
        if (extra.size > 0) {
          const acts = new Set(extra.keys());
          const res = new Set([...extra.values()].flatMap((s) => [...s]));
          statements.push(this.statement(`${sid}ReadByConnect`, acts, [...res]));
        }
      }
    }
    statements.push(...this.conditionedStatements());
    statements.push(...this.stateStatements());
    const document: PolicyDocument = { Version: "2012-10-17", Statement: statements.map((s) => this.markAnyAccount(s)) };
    const sids = document.Statement.map((s) => s.Sid);
    const duplicate = sids.find((sid, i) => sids.indexOf(sid) !== i);
    if (duplicate) throw new Error(`deployer policy: Sid ${duplicate} written twice`);
    return document;
  }

  // --- reading the stack -----------------------------------------------------

  private collect(kind: "resource" | "data", table: Readonly<Record<string, readonly Need[]>>): void {
    const blocks = this.stack[kind] ?? {};
    for (const type of Object.keys(blocks).sort()) {
      const needs = table[type];
      if (!needs) {
        this.unknown.add(kind === "data" ? `data source ${type}` : type);
        continue;
      }
      for (const name of Object.keys(blocks[type]).sort()) {
        const body = blocks[type][name];
        const region = this.regionOf(body.provider, `${type}.${name}`);
        for (const { scope, actions } of needs) {
          this.addActions(scope, actions);
          this.regionsFor(scope).add(region);
        }
        const sourceKey = kind === "data" ? `data.${type}` : type;
        for (const source of NAME_SOURCES[sourceKey] ?? []) {
          const raw = source.path.length === 0 ? "*" : valueAt(body, source.path);
          if (raw === undefined) continue;
          if (typeof raw !== "string") throw new Error(`deployer policy: ${type}.${name}.${source.path.join(".")} is not a string`);
          let value = this.resolveName(raw, source.scope);
          if (source.transform) value = source.transform(value);
          const key = `${region}\u0000${value}`;
          this.namesFor(source.scope).add(key);
          this.regionsFor(source.scope).add(region);
          if (source.actions) {
            const byTarget = this.targetActions.get(source.scope) ?? new Map<string, Set<string>>();
            this.targetActions.set(source.scope, byTarget);
            const set = byTarget.get(key) ?? new Set<string>();
            source.actions.forEach((a) => set.add(a));
            byTarget.set(key, set);
          }
        }
      }
    }
  }

  private regionOf(provider: unknown, address: string): string {
    if (provider === undefined || provider === "aws") return this.target.region;
    const alias = typeof provider === "string" && provider.startsWith("aws.") ? provider.slice(4) : undefined;
    const region = alias && this.providerRegions.get(alias);
    if (!region) throw new Error(`deployer policy: ${address} uses provider ${String(provider)}, whose Region is unknown`);
    return region;
  }

  /**
   * A name as written in the JSON: a literal; a reference to another resource
   * of the stack (its own name); an ARN or URL (its last part); otherwise its
   * interpolations become `*` (the account ID when it is known).
   */
  private resolveName(raw: string, scope: Scope, depth = 0): string {
    const reference = REFERENCE.exec(raw);
    if (reference && depth < 4) {
      const [, data, type, name] = reference;
      const body = (data ? this.stack.data : this.stack.resource)?.[type]?.[name];
      const source = (NAME_SOURCES[data ? `data.${type}` : type] ?? []).find((s) => s.scope === scope);
      if (body && source && source.path.length > 0) {
        const value = valueAt(body, source.path);
        if (typeof value === "string") return this.resolveName(value, scope, depth + 1);
      }
      // A resource without a name of its own (a Connect instance's ID), or one outside the stack.
      return "*";
    }
    const filled = raw.replace(ACCOUNT_ID_REFERENCE, this.account).replace(INTERPOLATION, "*");
    if (scope === "instance" && filled.startsWith("arn:")) return filled.split("/").pop() ?? "*";
    if (filled.startsWith("arn:")) {
      const tail = filled.split(":").slice(5).join(":");
      return tail.includes("/") ? tail.slice(tail.indexOf("/") + 1) : tail;
    }
    if (filled.startsWith("https://")) return filled.split("/").pop() ?? "*";
    return filled;
  }

  private addActions(scope: Scope, actions: readonly string[]): void {
    const set = this.actions.get(scope) ?? new Set<string>();
    actions.forEach((a) => set.add(a));
    this.actions.set(scope, set);
  }

  private namesFor(scope: Scope): Set<string> {
    const set = this.names.get(scope) ?? new Set<string>();
    this.names.set(scope, set);
    return set;
  }

  private regionsFor(scope: Scope): Set<string> {
    const set = this.regions.get(scope) ?? new Set<string>();
    this.regions.set(scope, set);
    return set;
  }

  private has(type: string, kind: "resource" | "data" = "resource"): boolean {
    return Object.keys(this.stack[kind]?.[type] ?? {}).length > 0;
  }

  private instances(type: string): Json[] {
    const blocks = this.stack.resource?.[type] ?? {};
    return Object.keys(blocks)
      .sort()
      .map((name) => blocks[name]);
  }

  private regionsOfType(type: string): string[] {
    const blocks = this.stack.resource?.[type] ?? {};
    return sorted(Object.entries(blocks).map(([name, body]) => this.regionOf(body.provider, `${type}.${name}`)));
  }

  // --- ARNs ------------------------------------------------------------------

  private arn(service: string, region: string, resource: string): string {
    return `arn:${this.partition}:${service}:${region}:${this.account}:${resource}`;
  }

  private keyArns(regions: Iterable<string>): string[] {
    return sorted([...regions].map((region) => this.arn("kms", region, "key/*")));
  }

  private get connectServiceRolePattern(): string {
    return `arn:${this.partition}:iam::${this.account}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_*`;
  }

  /** ARNs for name keys of a scope, collapsing names under the prefix where the scope allows it. */
  private arnsFor(scope: Scope, keys: Iterable<string>): string[] {
    const prefix = `${this.target.namePrefix}-`;
    const arns: string[] = [];
    for (const key of keys) {
      const [region, rawName] = key.split("\u0000");
      const name = PREFIXED_SCOPES.has(scope) && rawName.startsWith(prefix) ? `${prefix}*` : rawName;
      switch (scope) {
        case "bucket":
          arns.push(`arn:${this.partition}:s3:::${name}`);
          break;
        case "alias":
          arns.push(this.arn("kms", region, name.startsWith("alias/") ? name : `alias/${name}`));
          break;
        case "role":
          arns.push(`arn:${this.partition}:iam::${this.account}:role/${name}`);
          break;
        case "instance":
          arns.push(this.arn("connect", region, `instance/${name}`));
          break;
        case "connectFlowLogs":
          arns.push(this.arn("logs", region, `log-group:${name}`), this.arn("logs", region, `log-group:${name}:*`));
          break;
        case "stream":
          arns.push(this.arn("kinesis", region, `stream/${name}`));
          break;
        case "firehose":
          arns.push(this.arn("firehose", region, `deliverystream/${name}`));
          break;
        case "logGroup":
          arns.push(this.arn("logs", region, `log-group:${name}`), this.arn("logs", region, `log-group:${name}:*`));
          break;
        case "rule":
          arns.push(this.arn("events", region, `rule/${name}`));
          break;
        case "topic":
          arns.push(this.arn("sns", region, name));
          break;
        case "queue":
          arns.push(this.arn("sqs", region, name));
          break;
        case "trail":
          arns.push(this.arn("cloudtrail", region, `trail/${name}`));
          break;
        case "domain":
          arns.push(this.arn("profile", region, `domains/${name}`));
          break;
        case "oidcProvider":
          arns.push(`arn:${this.partition}:iam::${this.account}:oidc-provider/${name}`);
          break;
        case "policy":
          arns.push(`arn:${this.partition}:iam::${this.account}:policy/${name}`);
          break;
        default:
          throw new Error(`deployer policy: scope ${scope} has no names`);
      }
    }
    return sorted(arns);
  }

  private scopeResources(scope: Scope): string[] {
    const regions = sorted(this.regions.get(scope) ?? []);
    switch (scope) {
      case "any":
        return ["*"];
      case "key":
        return this.keyArns(regions);
      case "connectRole":
        return [`arn:${this.partition}:iam::${this.account}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_*`];
      case "directory":
        return sorted(regions.map((region) => this.arn("ds", region, "directory/*")));
      case "streamEncryption":
        // SAR kinesis: Start/StopStreamEncryption require both the stream and the key (kmsKey) resource.
        return sorted([...this.arnsFor("stream", this.names.get("stream") ?? []), ...this.keyArns(regions)]);
      default:
        return this.arnsFor(scope, this.names.get(scope) ?? []);
    }
  }

  private statement(sid: string, actions: Iterable<string>, resources: readonly string[], condition?: ConditionBlock): PolicyStatement {
    const action = sorted(actions);
    const resource = sorted(resources);
    return {
      Sid: sid,
      Effect: "Allow",
      Action: action,
      Resource: resource.length === 1 ? resource[0] : resource,
      ...(condition ? { Condition: condition } : {}),
    };
  }

  /** Without a declared account, the Sid of every statement with `*` in an ARN's account field says so. */
  private markAnyAccount(statement: PolicyStatement): PolicyStatement {
    if (this.target.accountId) return statement;
    const resources = [statement.Resource ?? []].flat();
    const anyAccount = resources.some((arn) => arn !== "*" && arn.split(":")[4] === "*");
    return anyAccount ? { ...statement, Sid: `${statement.Sid}AnyAccount` } : statement;
  }

  // --- statements with conditions --------------------------------------------

  /** In this order: passing roles, attaching policies, the grants services create, key use through services, lookups. */
  private conditionedStatements(): PolicyStatement[] {
    return [
      ...this.passRoleStatements(),
      ...this.roleStatements(),
      ...this.grantStatements(),
      ...this.keyUseThroughServiceStatements(),
      ...this.lookupStatements(),
    ];
  }

  /**
   * IAM user guide, "Granting a user permissions to pass a role to an AWS service": PassRole only to
   * the service each role trusts, checked with iam:PassedToService, role by role (not by prefix).
   */
  private passRoleStatements(): PolicyStatement[] {
    const passed = new Map<string, Set<string>>();
    for (const [name, body] of Object.entries(this.stack.resource?.aws_iam_role ?? {})) {
      const trust = typeof body.assume_role_policy === "string" ? body.assume_role_policy : JSON.stringify(body.assume_role_policy ?? "");
      const services = sorted(new Set([...trust.matchAll(/"([a-z0-9.-]+\.amazonaws\.com(?:\.cn)?)"/g)].map((m) => m[1])));
      const roleArn = `arn:${this.partition}:iam::${this.account}:role/${typeof body.name === "string" ? this.resolveName(body.name, "role") : "*"}`;
      for (const service of services) {
        if (!PASS_ROLE_SERVICES[service]) {
          throw new Error(
            `deployer policy: aws_iam_role.${name} trusts ${service}; add it to PASS_ROLE_SERVICES in modules/deployer-policy.ts if the deployer must pass it`,
          );
        }
        const set = passed.get(service) ?? new Set<string>();
        set.add(roleArn);
        passed.set(service, set);
      }
    }
    return sorted(passed.keys()).map((service) =>
      this.statement(PASS_ROLE_SERVICES[service], ["iam:PassRole"], [...passed.get(service)!], {
        StringEquals: { "iam:PassedToService": service },
      }),
    );
  }

  /** Attaching the stack's own managed policies, and the service-linked role a new Connect instance creates. */
  private roleStatements(): PolicyStatement[] {
    const statements: PolicyStatement[] = [];
    // IAM user guide, "Controlling access to policies with conditions": iam:PolicyARN limits the
    // attachments to the stack's own managed policies, on the stack's roles (SAR iam, AttachRolePolicy).
    if (this.has("aws_iam_role_policy_attachment")) {
      const attachments = this.instances("aws_iam_role_policy_attachment");
      const roles = sorted(
        attachments.map(
          (a) => `arn:${this.partition}:iam::${this.account}:role/${typeof a.role === "string" ? this.resolveName(a.role, "role") : "*"}`,
        ),
      );
      const policies = sorted(
        attachments.map(
          (a) =>
            `arn:${this.partition}:iam::${this.account}:policy/${typeof a.policy_arn === "string" ? this.resolveName(a.policy_arn, "policy") : "*"}`,
        ),
      );
      statements.push(
        this.statement("AttachOnlyStackPolicies", ["iam:AttachRolePolicy", "iam:DetachRolePolicy"], roles, {
          ArnEquals: { "iam:PolicyARN": policies.length === 1 ? policies[0] : policies },
        }),
      );
    }
    // Connect admin guide, "Use service-linked roles for Amazon Connect": creating an instance creates
    // its service-linked role with the caller's permissions.
    if (this.has("aws_connect_instance")) {
      statements.push(
        this.statement("CreateConnectServiceLinkedRole", ["iam:CreateServiceLinkedRole"], [this.connectServiceRolePattern], {
          StringEquals: { "iam:AWSServiceName": "connect.amazonaws.com" },
        }),
      );
    }
    return statements;
  }

  /** The grants on the key for Connect's service-linked role: those Connect creates, and those Terraform creates. */
  private grantStatements(): PolicyStatement[] {
    const statements: PolicyStatement[] = [];
    if (this.has("aws_connect_instance_storage_config")) {
      // Connect admin guide, "Encryption at rest" / key management, and KMS developer guide,
      // "kms:GrantIsForAWSResource": AssociateInstanceStorageConfig makes Connect create a grant for
      // the instance's service-linked role with the caller's credentials.
      statements.push(
        this.statement(
          "ConnectCreatesGrantsForItsServiceLinkedRole",
          ["kms:CreateGrant"],
          this.keyArns(this.regionsOfType("aws_connect_instance_storage_config")),
          {
            Bool: { "kms:GrantIsForAWSResource": "true" },
            StringLike: { "kms:GranteePrincipal": this.connectServiceRolePattern },
          },
        ),
      );
    }
    if (this.has("aws_kms_grant")) {
      // KMS developer guide, "Grant constraints" and "kms:GranteePrincipal", "kms:GrantOperations":
      // the grants Terraform creates (Connect writing to KMS-encrypted data streams), to Connect's
      // service-linked role only, with only the operations the stack's grants name.
      const grants = this.instances("aws_kms_grant");
      const grantees = new Set<string>();
      for (const grant of grants) grantees.add(this.granteePattern(grant.grantee_principal));
      const operations = sorted(new Set(grants.flatMap((g) => [g.operations ?? []].flat() as string[])));
      const constrained = grants.every((g) => [g.constraints ?? []].flat().some((c: Json) => c?.encryption_context_subset !== undefined));
      const condition: ConditionBlock = {
        StringLike: { "kms:GranteePrincipal": sorted(grantees).length === 1 ? sorted(grantees)[0] : sorted(grantees) },
        "ForAllValues:StringEquals": { "kms:GrantOperations": operations },
        ...(constrained ? { StringEquals: { "kms:GrantConstraintType": "EncryptionContextSubset" } } : {}),
      };
      statements.push(
        this.statement(
          "TerraformGrantsConnectStreamWrites",
          ["kms:CreateGrant"],
          this.keyArns(this.regionsOfType("aws_kms_grant")),
          condition,
        ),
      );
    }
    return statements;
  }

  /** Services that use the key with the caller's credentials while Terraform creates their resources, Region by Region. */
  private keyUseThroughServiceStatements(): PolicyStatement[] {
    const suffix = (region: string): string => regionSuffix(region, this.target.region);
    return [
      // Firehose developer guide, "Data protection / server-side encryption with CMKs": Firehose creates
      // its own grant with the caller's credentials. Its grantee is internal to Firehose, so the
      // condition is that the request comes through Firehose in this Region, for an AWS resource.
      ...this.regionsOfType("aws_kinesis_firehose_delivery_stream").map((region) =>
        this.statement(`FirehoseCreatesItsGrant${suffix(region)}`, ["kms:CreateGrant"], this.keyArns([region]), {
          Bool: { "kms:GrantIsForAWSResource": "true" },
          StringEquals: { "kms:ViaService": `firehose.${region}.amazonaws.com` },
        }),
      ),
      // Kinesis developer guide, "Permissions to use user-generated KMS keys": StartStreamEncryption checks
      // that the caller may generate data keys, through Kinesis. Never Decrypt.
      ...this.regionsOfType("aws_kinesis_stream").map((region) =>
        this.statement(`KinesisChecksStreamKey${suffix(region)}`, ["kms:GenerateDataKey"], this.keyArns([region]), {
          StringEquals: { "kms:ViaService": `kinesis.${region}.amazonaws.com` },
        }),
      ),
      // Connect admin guide, "Enable Customer Profiles" (KMS key permissions): CreateDomain with a default
      // encryption key uses the key with the caller's credentials, through Customer Profiles. No Decrypt.
      // As the key policy's DeployerCreatesProfilesDomainWithKey: CreateGrant and GenerateDataKey, only
      // through Customer Profiles in this Region (which alone can set kms:ViaService to it).
      ...this.regionsOfType("aws_customerprofiles_domain").map((region) =>
        this.statement(`CustomerProfilesUsesKey${suffix(region)}`, ["kms:CreateGrant", "kms:GenerateDataKey"], this.keyArns([region]), {
          StringEquals: { "kms:ViaService": `profile.${region}.amazonaws.com` },
        }),
      ),
    ];
  }

  /** What the stack's data sources read about the deployer's role and the instance. */
  private lookupStatements(): PolicyStatement[] {
    const statements: PolicyStatement[] = [];
    // The provider's aws_iam_session_context reads the role behind the session (iam:GetRole, SAR iam).
    if (this.has("aws_iam_session_context", "data")) {
      const assumed = sorted(
        new Set((this.stack.provider?.aws ?? []).flatMap((p) => [p.assume_role ?? []].flat().map((a: Json) => a?.role_arn))),
      );
      const roles =
        assumed.length > 0 && assumed.every((a) => typeof a === "string" && !a.includes("${"))
          ? assumed
          : [`arn:${this.partition}:iam::${this.account}:role/*`];
      statements.push(this.statement("ReadDeployerRoleForSessionContext", ["iam:GetRole"], roles));
    }
    // SAR connect: ListInstances takes no resource; the data source needs it to find an instance by alias.
    const byAlias = Object.values(this.stack.data?.aws_connect_instance ?? {}).some((d) => d.instance_alias !== undefined);
    if (byAlias) statements.push(this.statement("FindConnectInstanceByAlias", ["connect:ListInstances"], ["*"]));
    return statements;
  }

  private granteePattern(value: unknown): string {
    if (typeof value !== "string") throw new Error("deployer policy: aws_kms_grant without grantee_principal");
    // The service role of a Connect instance of the stack: the service-linked role's name pattern.
    if (/^\$\{(data\.)?aws_connect_instance\.[A-Za-z0-9_-]+\.service_role\}$/.test(value)) return this.connectServiceRolePattern;
    if (!value.includes("${")) return value;
    throw new Error(
      `deployer policy: cannot tell whom aws_kms_grant grants to (${value}); name a literal ARN or a Connect instance's service_role`,
    );
  }

  // --- Terraform state -------------------------------------------------------

  /**
   * Terraform documentation, S3 backend, "Permissions Required": ListBucket on the bucket, GetObject and
   * PutObject on the state, Get/Put/DeleteObject on `<key>.tflock` with use_lockfile, the KMS key
   * with kms_key_id, and the DynamoDB table's items with dynamodb_table.
   */
  private stateStatements(): PolicyStatement[] {
    const s3 = this.stack.terraform?.backend?.s3;
    if (!s3) return [];
    const bucket: string = s3.bucket;
    const key: string = s3.key;
    const region: string = s3.region ?? this.target.region;
    const partition = partitionOf(region);
    const keys = [key];
    if (s3.workspace_key_prefix) keys.push(`${s3.workspace_key_prefix}/*/${key}`);
    const objects = keys.map((k) => `arn:${partition}:s3:::${bucket}/${k}`);
    const statements: PolicyStatement[] = [
      this.statement("TerraformStateBucketList", ["s3:ListBucket"], [`arn:${partition}:s3:::${bucket}`]),
      this.statement("TerraformStateObject", ["s3:GetObject", "s3:PutObject"], objects),
    ];
    if (s3.use_lockfile === true) {
      statements.push(
        this.statement(
          "TerraformStateLockFile",
          ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
          objects.map((o) => `${o}.tflock`),
        ),
      );
    }
    const kmsKeyId: unknown = s3.kms_key_id;
    if (typeof kmsKeyId === "string") {
      const parts = kmsKeyId.split(":");
      const viaS3 = { "kms:ViaService": `s3.${region}.amazonaws.com` };
      if (parts[0] === "arn" && parts[5]?.startsWith("alias/")) {
        // An alias ARN is not what KMS authorizes against: the key's ARN is. KMS developer guide,
        // "Use aliases to control access to KMS keys": kms:ResourceAliases names the key by alias.
        statements.push(
          this.statement(
            "TerraformStateKey",
            ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"],
            [`${parts.slice(0, 5).join(":")}:key/*`],
            {
              StringEquals: viaS3,
              "ForAnyValue:StringEquals": { "kms:ResourceAliases": parts.slice(5).join(":") },
            },
          ),
        );
      } else if (parts[0] === "arn") {
        statements.push(
          this.statement("TerraformStateKey", ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"], [kmsKeyId], { StringEquals: viaS3 }),
        );
      } else {
        throw new Error(`deployer policy: the S3 backend's kms_key_id ${kmsKeyId} is not an ARN; name the key or alias by ARN`);
      }
    }
    if (typeof s3.dynamodb_table === "string") {
      // SAR dynamodb (list_amazondynamodb.html): item actions and DescribeTable take the table.
      const table = `arn:${partition}:dynamodb:${region}:${this.account}:table/${s3.dynamodb_table}`;
      statements.push(
        this.statement(
          "TerraformStateLockTable",
          ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
          [table],
        ),
      );
    }
    return statements;
  }
}

function valueAt(body: Json, path: readonly string[]): unknown {
  let value: unknown = body;
  for (const step of path) {
    if (Array.isArray(value)) value = value[0];
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Json)[step];
  }
  return Array.isArray(value) ? value[0] : value;
}

function sorted<T extends string>(values: Iterable<T>): T[] {
  return [...new Set(values)].sort();
}

/** Sid suffix for statements repeated per Region: none for the stack's own Region. */
function regionSuffix(region: string, primary: string): string {
  return region === primary
    ? ""
    : region
        .split("-")
        .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
        .join("");
}

/** The actions a resource (or, with `data`, data source) type needs, as listed in the table; undefined for an unknown type. */
export function deployerActionsFor(type: string, kind: "resource" | "data" = "resource"): readonly string[] | undefined {
  const needs = (kind === "data" ? DATA_NEEDS : RESOURCE_NEEDS)[type];
  return needs && sorted(needs.flatMap((n) => n.actions));
}

/**
 * The IAM policy that lets a principal run Terraform on one synthesized stack
 * (plan, apply, destroy), and nothing it does not need. Throws for a resource
 * or data source type it has no permissions for.
 */
export function deployerPolicy(stack: TerraformJson, target: DeployerTarget): PolicyDocument {
  return new PolicyBuilder(stack, target).build();
}

/** The document as written to disk: 2-space JSON with a trailing newline. */
export function renderDeployerPolicy(document: PolicyDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** The stacks main.ts builds: an environment or the state bootstrap. */
export interface DeployedStack {
  readonly settings: EnvironmentSettings | StateBootstrapSettings;
}

/** What is known about a stack's target from its settings. */
export function deployerTargetOf(settings: EnvironmentSettings | StateBootstrapSettings): DeployerTarget {
  if ("namePrefix" in settings) {
    return { region: settings.region, accountId: settings.accountId, namePrefix: `${settings.namePrefix}-${settings.name}` };
  }
  return { region: settings.region, accountId: settings.accountId, drRegion: settings.replicaRegion, namePrefix: settings.stackName };
}

/** Writes `deployer-iam-policy.json` beside each synthesized stack's cdk.tf.json (after `app.synth()`). */
export function writeDeployerPolicies(outdir: string, stacks: readonly DeployedStack[]): void {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
  for (const { settings } of stacks) {
    const entry = manifest.stacks?.[settings.stackName];
    if (!entry) throw new Error(`deployer policy: ${settings.stackName} is not in ${join(outdir, "manifest.json")}`);
    const json: TerraformJson = JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath), "utf8"));
    const document = deployerPolicy(json, deployerTargetOf(settings));
    writeFileSync(join(outdir, entry.workingDirectory, DEPLOYER_POLICY_FILE), renderDeployerPolicy(document));
  }
}
