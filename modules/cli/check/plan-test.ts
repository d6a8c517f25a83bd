/**
 * Shared by the test suite and `npm run check`.
 *
 * Builds a `terraform test` file that plans a synthesized stack offline: fake
 * credentials and skip flags on the provider, every data source overridden
 * with fixed values, and the key's ARN fixed during plan so that assertions
 * can compare references with it. The assertions are derived from the stack
 * itself: every storage association, bucket and key it contains is checked on
 * Terraform's planned values.
 */
export const FAKE_ACCOUNT = "123456789012";
export const FAKE_KEY_ID = "0a1b2c3d-0000-4000-8000-000000000001";
export const FAKE_INSTANCE_ID = "11111111-2222-3333-4444-555555555555";
export const FAKE_DEPLOYER_ROLE = `arn:aws:iam::${FAKE_ACCOUNT}:role/ConnectDeployer`;

export function fakeKeyArn(region: string, index = 0): string {
  return `arn:aws:kms:${region}:${FAKE_ACCOUNT}:key/${fakeKeyId(index)}`;
}

function fakeKeyId(index: number): string {
  return `${FAKE_KEY_ID.slice(0, -1)}${index + 1}`;
}

/** The Region a resource or data source is in: its provider's (`aws.<alias>`), else the default provider's. */
function regionOf(stack: Json, element: Json, region: string): string {
  const alias = /^aws\.(.+)$/.exec(element.provider ?? "")?.[1];
  if (!alias) return region;
  return (stack.provider.aws as Json[]).find((p) => p.alias === alias)?.region ?? region;
}

/** The fake ARN of every key of the stack, by resource name (the Connect key first). */
function fakeKeyArns(stack: Json, region: string): Record<string, string> {
  const keys = Object.entries<Json>(stack.resource?.aws_kms_key ?? {});
  return Object.fromEntries(keys.map(([name, key], index) => [name, fakeKeyArn(regionOf(stack, key, region), index)]));
}

export const FAKE_SERVICE_ROLE = `arn:aws:iam::${FAKE_ACCOUNT}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_FAKE`;

/** ARNs fixed during plan for resources whose ARN others refer to, so that the references can be checked. */
function fakeArn(type: string, name: string, resource: Json, region: string): string | undefined {
  switch (type) {
    case "aws_kinesis_stream":
      return `arn:aws:kinesis:${region}:${FAKE_ACCOUNT}:stream/${resource.name}`;
    case "aws_kinesis_firehose_delivery_stream":
      return `arn:aws:firehose:${region}:${FAKE_ACCOUNT}:deliverystream/${resource.name}`;
    case "aws_s3_bucket":
      return `arn:aws:s3:::fake-${name}`;
    case "aws_iam_role":
      return `arn:aws:iam::${FAKE_ACCOUNT}:role/${resource.name}`;
    case "aws_kms_alias":
      return `arn:aws:kms:${region}:${FAKE_ACCOUNT}:${resource.name}`;
    default:
      return undefined;
  }
}

type Json = Record<string, any>;

function dataValues(type: string, region: string): Record<string, string> {
  switch (type) {
    case "aws_caller_identity":
      return {
        account_id: FAKE_ACCOUNT,
        arn: `arn:aws:sts::${FAKE_ACCOUNT}:assumed-role/ConnectDeployer/ci`,
        user_id: "AROAFAKEFAKEFAKEFAKE:ci",
      };
    case "aws_partition":
      return { partition: "aws", dns_suffix: "amazonaws.com", reverse_dns_prefix: "com.amazonaws" };
    case "aws_region":
      return { name: region };
    case "aws_iam_session_context":
      return { issuer_arn: FAKE_DEPLOYER_ROLE, issuer_name: "ConnectDeployer", session_name: "ci" };
    case "aws_connect_instance":
      return {
        id: FAKE_INSTANCE_ID,
        arn: `arn:aws:connect:${region}:${FAKE_ACCOUNT}:instance/${FAKE_INSTANCE_ID}`,
        service_role: FAKE_SERVICE_ROLE,
      };
    default:
      throw new Error(`no fake values for data source ${type}: add them to modules/cli/check/plan-test.ts`);
  }
}

function hclValues(values: Record<string, string>): string {
  return `{\n${Object.entries(values)
    .map(([k, v]) => `    ${k} = ${JSON.stringify(v)}`)
    .join("\n")}\n  }`;
}

function assertBlock(condition: string, message: string): string {
  return `  assert {\n    condition     = ${condition}\n    error_message = ${JSON.stringify(message)}\n  }`;
}

/** What every family of assertions reads: the stack's resources and the fake ARNs of its keys. */
interface AssertionContext {
  readonly resources: Json;
  /** The fake ARN of each key, by resource name. */
  readonly keyArns: Record<string, string>;
  /** The Connect key's fake ARN as an HCL string. */
  readonly keyArn: string;
  /** The resource names of one type. */
  readonly names: (type: string) => string[];
}

/**
 * Assertions on planned values, one per security property, for every
 * resource of the stack. The families run in a fixed order, which is the
 * order of the assertions in the test file and of the errors thrown for a
 * stack the checks do not recognise.
 */
export function encryptionAssertions(stack: Json, region: string): string[] {
  const keyArns = fakeKeyArns(stack, region);
  const resources: Json = stack.resource ?? {};
  const context: AssertionContext = {
    resources,
    keyArns,
    keyArn: JSON.stringify(keyArns.key ?? Object.values(keyArns)[0]),
    names: (type) => Object.keys(resources[type] ?? {}),
  };
  return [
    keyRotationAssertions,
    storageAssociationAssertions,
    dataStreamAssertions,
    firehoseAssertions,
    bucketEncryptionAssertions,
    bucketHardeningAssertions,
    replicationAssertions,
    alertsKeyAssertions,
    otherEncryptedResourceAssertions,
    policyAssertions,
    forceDestroyAssertions,
  ].flatMap((family) => family(context));
}

function keyRotationAssertions({ names }: AssertionContext): string[] {
  return names("aws_kms_key").flatMap((name) => {
    const key = `aws_kms_key.${name}`;
    return [
      assertBlock(`${key}.enable_key_rotation == true`, `${key} must rotate`),
      assertBlock(`${key}.customer_master_key_spec == "SYMMETRIC_DEFAULT"`, `${key} must be symmetric`),
    ];
  });
}

/** Every storage association: the S3 ones first (all of them), then live media, data streams and Firehose. */
function storageAssociationAssertions(context: AssertionContext): string[] {
  const associations = Object.entries<Json>(context.resources.aws_connect_instance_storage_config ?? {});
  return [
    ...associations.flatMap(([name, config]) => (config.storage_config.s3_config ? s3AssociationAssertions(name, context) : [])),
    ...associations.flatMap(([name, config]) => streamingAssociationAssertions(name, config, context)),
  ];
}

function s3AssociationAssertions(name: string, { keyArn }: AssertionContext): string[] {
  const address = `aws_connect_instance_storage_config.${name}`;
  return [
    assertBlock(
      `${address}.storage_config[0].s3_config[0].encryption_config[0].key_id == ${keyArn}`,
      `${address} must encrypt with the key's full ARN`,
    ),
    assertBlock(`${address}.storage_config[0].s3_config[0].encryption_config[0].encryption_type == "KMS"`, `${address} must use KMS`),
  ];
}

function streamingAssociationAssertions(name: string, config: Json, { resources, keyArn }: AssertionContext): string[] {
  const address = `aws_connect_instance_storage_config.${name}`;
  const asserts: string[] = [];
  if (config.storage_config.kinesis_video_stream_config) {
    asserts.push(
      assertBlock(
        `${address}.storage_config[0].kinesis_video_stream_config[0].encryption_config[0].key_id == ${keyArn}`,
        `${address} must encrypt live media with the key's full ARN`,
      ),
    );
  }
  if (config.storage_config.kinesis_stream_config) {
    const stream = Object.entries<Json>(resources.aws_kinesis_stream ?? {}).find(
      ([n]) => config.storage_config.kinesis_stream_config.stream_arn === `\${aws_kinesis_stream.${n}.arn}`,
    );
    if (!stream) throw new Error(`${address} streams to something that is not a stream of this stack`);
    asserts.push(
      assertBlock(
        `${address}.storage_config[0].kinesis_stream_config[0].stream_arn == aws_kinesis_stream.${stream[0]}.arn`,
        `${address} must stream to its encrypted stream`,
      ),
    );
  }
  if (config.storage_config.kinesis_firehose_config) {
    asserts.push(
      assertBlock(
        `startswith(${address}.storage_config[0].kinesis_firehose_config[0].firehose_arn, "arn:aws:firehose:")`,
        `${address} must deliver to a Firehose of this stack`,
      ),
    );
  }
  return asserts;
}

/** The data streams, then the grants that let Connect write to them (each bound to one stream). */
function dataStreamAssertions({ resources, keyArn, names }: AssertionContext): string[] {
  const streams = names("aws_kinesis_stream").map((name) => {
    const address = `aws_kinesis_stream.${name}`;
    return assertBlock(
      `${address}.encryption_type == "KMS" && ${address}.kms_key_id == ${keyArn}`,
      `${address} must be encrypted with the key`,
    );
  });
  const grants = Object.entries<Json>(resources.aws_kms_grant ?? {}).flatMap(([name, grant]) => {
    const address = `aws_kms_grant.${name}`;
    const streamRef = /^\$\{(aws_kinesis_stream\.[a-z0-9_]+)\.arn\}$/.exec(
      grant.constraints?.[0]?.encryption_context_subset?.["aws:kinesis:arn"] ?? "",
    );
    if (!streamRef) throw new Error(`${address} is not bound to a stream of this stack`);
    return [
      assertBlock(
        `${address}.key_id == ${keyArn} && ${address}.grantee_principal == ${JSON.stringify(FAKE_SERVICE_ROLE)} && ${address}.operations == toset(["GenerateDataKey"])`,
        `${address} must let only Connect's service-linked role generate data keys`,
      ),
      assertBlock(
        `one(${address}.constraints).encryption_context_subset["aws:kinesis:arn"] == ${streamRef[1]}.arn`,
        `${address} must be bound to one stream's encryption context`,
      ),
    ];
  });
  return [...streams, ...grants];
}

function firehoseAssertions({ keyArn, names }: AssertionContext): string[] {
  return names("aws_kinesis_firehose_delivery_stream").flatMap((name) => {
    const address = `aws_kinesis_firehose_delivery_stream.${name}`;
    return [
      assertBlock(
        `${address}.server_side_encryption[0].enabled && ${address}.server_side_encryption[0].key_type == "CUSTOMER_MANAGED_CMK" && ${address}.server_side_encryption[0].key_arn == ${keyArn}`,
        `${address} must encrypt buffered records with the key`,
      ),
      assertBlock(`${address}.extended_s3_configuration[0].kms_key_arn == ${keyArn}`, `${address} must write objects under the key`),
    ];
  });
}

/** Default encryption of every bucket: SSE-KMS with a key of the stack, or SSE-S3 for a bucket that receives access logs. */
function bucketEncryptionAssertions({ resources, keyArns }: AssertionContext): string[] {
  return Object.entries<Json>(resources.aws_s3_bucket_server_side_encryption_configuration ?? {}).map(([name, sse]) => {
    const address = `aws_s3_bucket_server_side_encryption_configuration.${name}`;
    const byDefault = sse.rule[0].apply_server_side_encryption_by_default;
    if (byDefault.sse_algorithm === "AES256") {
      // Only a bucket that S3 server access logging writes to (it cannot use SSE-KMS).
      const policy = resources.aws_s3_bucket_policy?.[name.replace(/_encryption$/, "_policy")]?.policy;
      if (!String(policy ?? "").includes("logging.s3.amazonaws.com")) {
        throw new Error(`${address} is SSE-S3 but its bucket does not receive S3 server access logs`);
      }
      return assertBlock(
        `alltrue([for r in ${address}.rule : alltrue([for d in r.apply_server_side_encryption_by_default : d.sse_algorithm == "AES256"])])`,
        `${address} must be SSE-S3 (log delivery)`,
      );
    }
    const key = /^\$\{aws_kms_key\.([a-z0-9_]+)\.arn\}$/.exec(byDefault.kms_master_key_id)?.[1];
    if (!key) throw new Error(`${address} is not encrypted with a key of this stack`);
    return assertBlock(
      `alltrue([for r in ${address}.rule : r.bucket_key_enabled && alltrue([for d in r.apply_server_side_encryption_by_default : d.sse_algorithm == "aws:kms" && d.kms_master_key_id == ${JSON.stringify(keyArns[key])}])])`,
      `${address} must default to SSE-KMS with its key and an S3 Bucket Key`,
    );
  });
}

/** Public access blocked and versioning on, for every bucket. */
function bucketHardeningAssertions({ names }: AssertionContext): string[] {
  return [
    ...names("aws_s3_bucket_public_access_block").map((name) => {
      const address = `aws_s3_bucket_public_access_block.${name}`;
      return assertBlock(
        `${address}.block_public_acls && ${address}.block_public_policy && ${address}.ignore_public_acls && ${address}.restrict_public_buckets`,
        `${address} must block all public access`,
      );
    }),
    ...names("aws_s3_bucket_versioning").map((name) => {
      const address = `aws_s3_bucket_versioning.${name}`;
      return assertBlock(`${address}.versioning_configuration[0].status == "Enabled"`, `${address} must be enabled`);
    }),
  ];
}

/** Every replication re-encrypts under a replica key, except the copy of SSE-S3 access logs; then Object Lock's retention. */
function replicationAssertions({ resources, keyArns, names }: AssertionContext): string[] {
  const replications = Object.entries<Json>(resources.aws_s3_bucket_replication_configuration ?? {}).map(([name, replication]) => {
    const address = `aws_s3_bucket_replication_configuration.${name}`;
    const reEncryption = replication.rule[0].destination.encryption_configuration;
    if (reEncryption === undefined) return logCopyAssertion(address, replication, resources);
    const key = /^\$\{aws_kms_key\.([a-z0-9_]+)\.arn\}$/.exec(reEncryption.replica_kms_key_id)?.[1];
    if (!key) throw new Error(`${address} does not re-encrypt with a key of this stack`);
    return assertBlock(
      `alltrue([for r in ${address}.rule : r.source_selection_criteria[0].sse_kms_encrypted_objects[0].status == "Enabled" && r.destination[0].encryption_configuration[0].replica_kms_key_id == ${JSON.stringify(keyArns[key])}])`,
      `${address} must replicate SSE-KMS objects, re-encrypted with the replica's key`,
    );
  });
  const objectLocks = names("aws_s3_bucket_object_lock_configuration").map((name) => {
    const address = `aws_s3_bucket_object_lock_configuration.${name}`;
    return assertBlock(
      `contains(["COMPLIANCE", "GOVERNANCE"], ${address}.rule[0].default_retention[0].mode)`,
      `${address} must set a default retention`,
    );
  });
  return [...replications, ...objectLocks];
}

/** Only an SSE-S3 bucket (an access-log target) may be copied without a replica key. */
function logCopyAssertion(address: string, replication: Json, resources: Json): string {
  const source = /^\$\{aws_s3_bucket\.([a-z0-9_]+)\.id\}$/.exec(replication.bucket)?.[1];
  const sse = Object.values<Json>(resources.aws_s3_bucket_server_side_encryption_configuration ?? {}).find(
    (c) => c.bucket === `\${aws_s3_bucket.${source}.id}`,
  );
  if (sse?.rule?.[0]?.apply_server_side_encryption_by_default?.sse_algorithm !== "AES256") {
    throw new Error(`${address} copies ${source} without re-encrypting under a replica key`);
  }
  return assertBlock(
    `alltrue([for r in ${address}.rule : length(r.destination[0].encryption_configuration) == 0 && r.status == "Enabled"])`,
    `${address} must copy the SSE-S3 access logs as they are`,
  );
}

/** The alerts must not depend on the key they watch: topic and dead-letter queue use the alerts key. */
function alertsKeyAssertions({ keyArns, keyArn, names }: AssertionContext): string[] {
  return [
    ["aws_sns_topic", "kms_master_key_id"],
    ["aws_sqs_queue", "kms_master_key_id"],
  ].flatMap(([type, attribute]) =>
    names(type).map((name) => {
      const alertsKey = keyArns.key_alerts_key;
      if (!alertsKey) throw new Error(`${type}.${name} exists without the alerts key`);
      return assertBlock(
        `${type}.${name}.${attribute} == ${JSON.stringify(alertsKey)} && ${type}.${name}.${attribute} != ${keyArn}`,
        `${type}.${name} must be encrypted with the alerts key, not the key it watches`,
      );
    }),
  );
}

/** Log groups and the Customer Profiles domain: under the Connect key. */
function otherEncryptedResourceAssertions({ keyArn, names }: AssertionContext): string[] {
  return [
    ["aws_cloudwatch_log_group", "kms_key_id"],
    ["aws_customerprofiles_domain", "default_encryption_key"],
  ].flatMap(([type, attribute]) =>
    names(type).map((name) => assertBlock(`${type}.${name}.${attribute} == ${keyArn}`, `${type}.${name} must be encrypted with the key`)),
  );
}

/** Key policies allow no unconditioned `*`; bucket policies deny plain HTTP and allow only S3 log delivery. */
function policyAssertions({ names }: AssertionContext): string[] {
  const keyPolicies = names("aws_kms_key").map((name) => {
    const statements = `jsondecode(aws_kms_key.${name}.policy).Statement`;
    return assertBlock(
      `alltrue([for s in ${statements} : s.Effect != "Allow" || can(s.Condition) || !(try(s.Principal == "*", false) || contains(flatten([try(s.Principal.AWS, [])]), "*"))])`,
      `aws_kms_key.${name} must not allow * without a condition`,
    );
  });
  const bucketPolicies = names("aws_s3_bucket_policy").flatMap((name) => {
    const statements = `jsondecode(aws_s3_bucket_policy.${name}.policy).Statement`;
    return [
      assertBlock(
        `anytrue([for s in ${statements} : s.Effect == "Deny" && s.Condition.Bool["aws:SecureTransport"] == "false" if can(s.Condition.Bool)])`,
        `aws_s3_bucket_policy.${name} must deny requests without TLS`,
      ),
      assertBlock(
        `length([for s in ${statements} : s if s.Effect == "Allow" && try(s.Principal.Service, "") != "logging.s3.amazonaws.com"]) == 0`,
        `aws_s3_bucket_policy.${name} must allow nothing but S3 log delivery`,
      ),
    ];
  });
  return [...keyPolicies, ...bucketPolicies];
}

function forceDestroyAssertions({ names }: AssertionContext): string[] {
  return names("aws_s3_bucket").map((name) => {
    const address = `aws_s3_bucket.${name}`;
    return assertBlock(`${address}.force_destroy == false`, `${address} must not be force-destroyable`);
  });
}

/**
 * The whole test file: provider, overrides, and one plan run with the given assertions.
 *
 * An `import` block makes the plan read the existing object (for a storage
 * association, Connect's DescribeInstanceStorageConfig), which cannot be done
 * offline: each imported storage association is overridden with its recorded
 * association ID instead (the provider's import ID is
 * `<instance-id>:<association-id>:<type>`), unless `overrideImports` is false.
 */
export function offlinePlanTest(
  stack: Json,
  region: string,
  extraAssertions: string[] = [],
  { overrideImports = true }: { overrideImports?: boolean } = {},
): string {
  // One provider block per provider of the stack (the default one and aliases such as the DR Region's).
  const providers: Json[] = stack.provider?.aws ?? [{ region }];
  const blocks: string[] = providers.map((provider) =>
    [
      'provider "aws" {',
      ...(provider.alias ? [`  alias                       = ${JSON.stringify(provider.alias)}`] : []),
      `  region                      = ${JSON.stringify(provider.region ?? region)}`,
      '  access_key                  = "AKIAFAKEFAKEFAKEFAKE"',
      '  secret_key                  = "fake-secret-key-for-offline-plans"',
      "  skip_credentials_validation = true",
      "  skip_requesting_account_id  = true",
      "  skip_metadata_api_check     = true",
      "  skip_region_validation      = true",
      "}",
    ].join("\n"),
  );
  for (const [type, byName] of Object.entries<Json>(stack.data ?? {})) {
    for (const [name, data] of Object.entries<Json>(byName)) {
      blocks.push(
        `override_data {\n  target = data.${type}.${name}\n  values = ${hclValues(dataValues(type, regionOf(stack, data, region)))}\n}`,
      );
    }
  }
  const keyArns = fakeKeyArns(stack, region);
  for (const [index, name] of Object.keys(keyArns).entries()) {
    blocks.push(
      `override_resource {\n  target          = aws_kms_key.${name}\n  override_during = plan\n  values = ${hclValues({ arn: keyArns[name], key_id: fakeKeyId(index) })}\n}`,
    );
  }
  for (const name of Object.keys(stack.resource?.aws_connect_instance ?? {})) {
    blocks.push(
      `override_resource {\n  target          = aws_connect_instance.${name}\n  override_during = plan\n  values = ${hclValues({ id: FAKE_INSTANCE_ID, arn: `arn:aws:connect:${region}:${FAKE_ACCOUNT}:instance/${FAKE_INSTANCE_ID}`, service_role: FAKE_SERVICE_ROLE })}\n}`,
    );
  }
  for (const [type, byName] of Object.entries<Json>(stack.resource ?? {})) {
    for (const [name, resource] of Object.entries<Json>(byName)) {
      const arn = fakeArn(type, name, resource, region);
      if (arn)
        blocks.push(
          `override_resource {\n  target          = ${type}.${name}\n  override_during = plan\n  values = ${hclValues({ arn })}\n}`,
        );
    }
  }
  for (const imported of overrideImports ? ((stack.import ?? []) as Json[]) : []) {
    if (!String(imported.to).startsWith("aws_connect_instance_storage_config.")) {
      throw new Error(`no offline override for the import of ${imported.to}: add one to modules/cli/check/plan-test.ts`);
    }
    const associationId = String(imported.id).split(":")[1];
    blocks.push(
      `override_resource {\n  target          = ${imported.to}\n  override_during = plan\n  values = ${hclValues({ association_id: associationId })}\n}`,
    );
  }
  const asserts = [...encryptionAssertions(stack, region), ...extraAssertions];
  blocks.push(`run "offline_plan" {\n  command = plan\n\n${asserts.join("\n\n")}\n}`);
  return `${blocks.join("\n\n")}\n`;
}
