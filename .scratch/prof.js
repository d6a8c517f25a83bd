"use strict";

// modules/connect-encryption-module.ts
var import_node_os = require("node:os");
var import_node_path = require("node:path");
var import_cdktf8 = require("cdktf");
var import_data_aws_iam_session_context2 = require("@cdktf/provider-aws/lib/data-aws-iam-session-context");

// modules/base-stack.ts
var import_cdktf = require("cdktf");
var import_provider = require("@cdktf/provider-aws/lib/provider");
var AWS_PROVIDER_CONSTRAINT = ">= 5.100.0, < 7.0.0";
var TERRAFORM_VERSION_CONSTRAINT = ">= 1.10.0";
var BaseStack = class extends import_cdktf.TerraformStack {
  logicalIds = /* @__PURE__ */ new Map();
  /** @param target where the provider points; none for a module, whose caller configures the provider. */
  constructor(scope, name, target) {
    super(scope, name);
    this.addOverride("terraform.required_providers.aws", { source: "hashicorp/aws", version: AWS_PROVIDER_CONSTRAINT });
    this.addOverride("terraform.required_version", TERRAFORM_VERSION_CONSTRAINT);
    if (!target) return;
    new import_provider.AwsProvider(this, "aws", {
      region: target.region,
      allowedAccountIds: target.accountId ? [target.accountId] : void 0,
      assumeRole: target.assumeRoleArn ? [{ roleArn: target.assumeRoleArn, sessionName: target.sessionName }] : void 0,
      defaultTags: [{ tags: { ...target.tags } }]
    });
  }
  /**
   * Terraform addresses follow the construct path in snake_case, without
   * cdktf's hash suffix (a construct's main resource is called `Resource` and
   * takes its parent's name): `aws_kms_key.key`, `aws_s3_bucket.recordings`,
   * `aws_s3_bucket_policy.recordings_policy`. Readable in plans and for
   * `terraform state` commands, and stable while the construct tree is.
   */
  allocateLogicalId(element) {
    const node = import_cdktf.TerraformElement.isTerraformElement(element) ? element.node : element;
    const scopes = node.scopes;
    const path = scopes.slice(scopes.indexOf(this) + 1).map((scope) => scope.node.id).filter((id) => id !== "Resource");
    const logicalId = path.join("_").replace(/[^A-Za-z0-9_]+/g, "_").toLowerCase();
    const namespace = import_cdktf.TerraformOutput.isTerraformOutput(element) ? "output." : element instanceof import_cdktf.TerraformVariable ? "var." : element instanceof import_cdktf.TerraformLocal ? "local." : "";
    const claim = `${namespace}${logicalId}`;
    const owner = this.logicalIds.get(claim);
    if (owner !== void 0 && owner !== node.path) {
      throw new Error(`Terraform name ${logicalId} is claimed by both ${owner} and ${node.path}; rename one construct`);
    }
    this.logicalIds.set(claim, node.path);
    return logicalId;
  }
  output(id, value, description) {
    new import_cdktf.TerraformOutput(this, id, { value, description });
  }
};

// modules/aws-account.ts
var import_constructs = require("constructs");
var import_data_aws_caller_identity = require("@cdktf/provider-aws/lib/data-aws-caller-identity");
var import_data_aws_partition = require("@cdktf/provider-aws/lib/data-aws-partition");
var import_data_aws_region = require("@cdktf/provider-aws/lib/data-aws-region");
var AwsAccount = class extends import_constructs.Construct {
  /** The 12-digit account ID of the credentials that run Terraform. */
  accountId;
  /** The caller's ARN (for an assumed role: the session ARN). */
  callerArn;
  /** `aws`, `aws-us-gov` or `aws-cn`. */
  partition;
  /** The Region the resources are created in. */
  region;
  /**
   * @param props.region the Region, when known at synthesis; otherwise read
   * from the provider (`data.aws_region`'s `id`, the same in provider 5 and 6).
   */
  constructor(scope, id, props = {}) {
    super(scope, id);
    this.region = props.region ?? new import_data_aws_region.DataAwsRegion(this, "region").id;
    const caller = new import_data_aws_caller_identity.DataAwsCallerIdentity(this, "caller");
    const partition = new import_data_aws_partition.DataAwsPartition(this, "partition");
    this.accountId = caller.accountId;
    this.callerArn = caller.arn;
    this.partition = partition.partition;
  }
  /** `arn:<partition>:iam::<account>:root`: the account as a principal. */
  get rootArn() {
    return `arn:${this.partition}:iam::${this.accountId}:root`;
  }
  /** The `kms:ViaService` value for requests that `service` (e.g. `s3`, `kinesis`) makes in this Region. */
  viaService(service) {
    return `${service}.${this.region}.amazonaws.com`;
  }
  /** An ARN in this account and Region. */
  arn(service, resource) {
    return `arn:${this.partition}:${service}:${this.region}:${this.accountId}:${resource}`;
  }
  /** Matches the service-linked role of every Connect instance in this account. */
  get connectServiceRolePattern() {
    return `arn:${this.partition}:iam::${this.accountId}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_*`;
  }
};

// modules/connect-encryption.ts
var import_constructs8 = require("constructs");
var import_cdktf7 = require("cdktf");

// modules/encryption-key.ts
var import_constructs2 = require("constructs");
var import_cdktf4 = require("cdktf");
var import_kms_grant = require("@cdktf/provider-aws/lib/kms-grant");
var import_kms_key = require("@cdktf/provider-aws/lib/kms-key");
var import_kms_alias = require("@cdktf/provider-aws/lib/kms-alias");
var import_data_aws_iam_session_context = require("@cdktf/provider-aws/lib/data-aws-iam-session-context");

// modules/policy.ts
var import_cdktf2 = require("cdktf");
function policyDocument(statements) {
  return { Version: "2012-10-17", Statement: statements };
}
function renderPolicy(document) {
  return import_cdktf2.Fn.jsonencode(document);
}

// modules/condition.ts
var import_cdktf3 = require("cdktf");
function isDynamic(condition) {
  return typeof condition !== "boolean";
}
function mayExist(condition) {
  return isDynamic(condition) || condition;
}
function applyCondition(element, condition) {
  if (isDynamic(condition)) element.count = import_cdktf3.Token.asNumber(import_cdktf3.Fn.conditional(condition, 1, 0));
  return element;
}
function attributeOf(element, name, condition) {
  if (!isDynamic(condition)) return element.getStringAttribute(name);
  return import_cdktf3.Token.asString(import_cdktf3.Fn.one((0, import_cdktf3.ref)(`${element.fqn}[*].${name}`)));
}
function not(condition) {
  return isDynamic(condition) ? import_cdktf3.Op.not(condition) : !condition;
}
function or(a, b) {
  if (!isDynamic(a) && !isDynamic(b)) return a || b;
  if (a === true || b === true) return true;
  if (a === false) return b;
  if (b === false) return a;
  return import_cdktf3.Op.or(a, b);
}
function hasItems(list) {
  if (list === void 0) return false;
  if (import_cdktf3.Token.isUnresolved(list)) return import_cdktf3.Op.gte(import_cdktf3.Fn.lengthOf(list), 1);
  return list.length > 0;
}
function and(a, b) {
  if (!isDynamic(a) && !isDynamic(b)) return a && b;
  if (a === false || b === false) return false;
  if (a === true) return b;
  if (b === true) return a;
  return import_cdktf3.Op.and(a, b);
}
function choose(condition, value, otherwise) {
  if (!isDynamic(condition)) return condition ? value : otherwise;
  return import_cdktf3.Fn.conditional(condition, value, otherwise);
}
function listOf(items) {
  const present = items.filter((entry) => mayExist(entry.when));
  if (present.every((entry) => !isDynamic(entry.when))) return present.map((entry) => entry.item);
  return import_cdktf3.Token.asAny(import_cdktf3.Fn.concat(present.map((entry) => choose(entry.when, [entry.item], []))));
}

// modules/encryption-key.ts
var KEY_ADMINISTRATION_ACTIONS = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:DeleteAlias",
  "kms:DescribeKey",
  "kms:DisableKey",
  "kms:DisableKeyRotation",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListAliases",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListKeyRotations",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:RevokeGrant",
  "kms:RotateKeyOnDemand",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription"
];
var STREAM_PRODUCER_GRANT_OPERATIONS = ["GenerateDataKey"];
var KEY_USE_ACTIONS = [
  "kms:Decrypt",
  "kms:DescribeKey",
  "kms:Encrypt",
  "kms:GenerateDataKey*",
  "kms:ReEncrypt*"
];
var EncryptionKey = class extends import_constructs2.Construct {
  key;
  alias;
  configuredDeployerArns;
  deployerSession;
  account;
  statements = [];
  constructor(scope, id, props) {
    super(scope, id);
    this.configuredDeployerArns = props.deployerArns;
    this.account = props.account;
    this.addBaseStatements(props);
    this.key = new import_kms_key.KmsKey(this, "Resource", {
      description: props.description,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      enableKeyRotation: true,
      rotationPeriodInDays: props.rotationPeriodInDays ?? 365,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      isEnabled: true,
      multiRegion: false,
      bypassPolicyLockoutSafetyCheck: false,
      // Rendered at synthesis, so statements added by later constructs are included.
      policy: import_cdktf4.Lazy.stringValue({ produce: () => renderPolicy(this.policyDocument) }),
      tags: props.tags,
      lifecycle: { preventDestroy: true }
    });
    this.alias = new import_kms_alias.KmsAlias(this, "alias", {
      name: props.aliasName,
      targetKeyId: this.key.keyId
    });
  }
  /** Full key ARN: the only form Connect's `encryption_config.key_id` accepts. */
  get keyArn() {
    return this.key.arn;
  }
  get keyId() {
    return this.key.keyId;
  }
  get aliasName() {
    return this.alias.name;
  }
  get aliasArn() {
    return this.alias.arn;
  }
  /** Principals that run Terraform: as configured, or the IAM role behind the credentials that run it. */
  get deployerArns() {
    if (this.configuredDeployerArns) return this.configuredDeployerArns;
    this.deployerSession ??= new import_data_aws_iam_session_context.DataAwsIamSessionContext(this, "deployer", { arn: this.account.callerArn });
    return [this.deployerSession.issuerArn];
  }
  /**
   * Lets the deployers associate Connect storage with this key:
   * AssociateInstanceStorageConfig (S3 and Kinesis Video Streams targets)
   * makes Connect create a grant for the instance's service-linked role with
   * the caller's credentials. Only that grant is allowed: made through an AWS
   * service, to a Connect service-linked role of this account.
   */
  enableConnectAssociations() {
    const deployers = this.deployerArns;
    this.addToPolicy({ Sid: "DeployerDescribesKey", Effect: "Allow", Principal: { AWS: deployers }, Action: "kms:DescribeKey", Resource: "*" });
    this.addToPolicy({
      // Terraform reads grants, and removes the ones it created when an
      // association goes; Connect retires its own on disassociation.
      Sid: "DeployerListsAndRevokesGrants",
      Effect: "Allow",
      Principal: { AWS: deployers },
      Action: ["kms:ListGrants", "kms:RetireGrant", "kms:RevokeGrant"],
      Resource: "*"
    });
    this.addToPolicy({
      Sid: "DeployerCreatesConnectGrants",
      Effect: "Allow",
      Principal: { AWS: deployers },
      Action: "kms:CreateGrant",
      Resource: "*",
      Condition: {
        Bool: { "kms:GrantIsForAWSResource": "true" },
        StringLike: { "kms:GranteePrincipal": this.account.connectServiceRolePattern }
      }
    });
  }
  /** The key policy as it will be written to the key. */
  get policyDocument() {
    return policyDocument(listOf(this.statements.map(({ statement, when }) => ({ item: statement, when }))));
  }
  /**
   * Adds a statement to the key policy, present while `when` holds. A Sid
   * added twice is written once, present while either condition holds.
   */
  addToPolicy(statement, when = true) {
    const existing = this.statements.find((s) => s.statement.Sid === statement.Sid);
    if (existing) existing.when = or(existing.when, when);
    else this.statements.push({ statement, when });
  }
  /**
   * Lets a Connect instance's service-linked role write to one Kinesis data
   * stream encrypted with this key. Connect makes no grant for Kinesis data
   * streams itself, so Terraform creates it: GenerateDataKey only (all a
   * Kinesis producer needs), and only with that stream's encryption context.
   */
  grantConnectStreamWrites(scope, id, serviceRoleArn, streamArn, name, when = true) {
    this.addToPolicy(
      {
        Sid: "DeployerGrantsConnectStreamWrites",
        Effect: "Allow",
        Principal: { AWS: this.deployerArns },
        Action: "kms:CreateGrant",
        Resource: "*",
        Condition: {
          StringLike: { "kms:GranteePrincipal": this.account.connectServiceRolePattern },
          "ForAllValues:StringEquals": { "kms:GrantOperations": [...STREAM_PRODUCER_GRANT_OPERATIONS] },
          StringEquals: { "kms:GrantConstraintType": "EncryptionContextSubset" }
        }
      },
      when
    );
    const grant = new import_kms_grant.KmsGrant(scope, id, {
      name,
      keyId: this.keyArn,
      granteePrincipal: serviceRoleArn,
      operations: [...STREAM_PRODUCER_GRANT_OPERATIONS],
      constraints: [{ encryptionContextSubset: { "aws:kinesis:arn": streamArn } }]
    });
    return applyCondition(grant, when);
  }
  /**
   * Lets roles read Kinesis data streams encrypted with this key: Decrypt,
   * only through Kinesis in this Region and account, and only for streams
   * whose ARN matches `streamArnPattern`.
   */
  allowStreamConsumers(roleArns, streamArnPattern) {
    const when = hasItems(roleArns);
    if (when === false) return;
    this.addToPolicy(
      {
        Sid: "StreamConsumersDecryptThroughKinesis",
        Effect: "Allow",
        Principal: { AWS: roleArns },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: {
          StringEquals: { "kms:ViaService": this.account.viaService("kinesis"), "kms:CallerAccount": this.account.accountId },
          StringLike: { "kms:EncryptionContext:aws:kinesis:arn": streamArnPattern }
        }
      },
      when
    );
  }
  /**
   * Lets the deployer turn on Firehose server-side encryption with this key:
   * StartDeliveryStreamEncryption makes Firehose create its own grant with the
   * caller's credentials.
   */
  allowFirehoseEncryption(when = true) {
    this.addToPolicy(
      {
        Sid: "DeployerLetsFirehoseCreateItsGrant",
        Effect: "Allow",
        Principal: { AWS: this.deployerArns },
        Action: "kms:CreateGrant",
        Resource: "*",
        Condition: {
          Bool: { "kms:GrantIsForAWSResource": "true" },
          StringEquals: { "kms:ViaService": this.account.viaService("firehose") }
        }
      },
      when
    );
  }
  /** Lets CloudWatch Logs encrypt the named log group with this key; `sidSuffix` names the statement. */
  allowLogGroupEncryption(sidSuffix, logGroupName, when = true) {
    this.addToPolicy(
      {
        Sid: `CloudWatchLogsEncrypts${sidSuffix}`,
        Effect: "Allow",
        Principal: { Service: `logs.${this.account.region}.amazonaws.com` },
        Action: ["kms:Decrypt*", "kms:Describe*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
        Resource: "*",
        Condition: {
          ArnEquals: { "kms:EncryptionContext:aws:logs:arn": this.account.arn("logs", `log-group:${logGroupName}`) }
        }
      },
      when
    );
  }
  addBaseStatements(props) {
    this.addToPolicy({
      // Without this the key is unmanageable once its named principals are
      // gone; it also lets IAM policies in this account grant key use.
      Sid: "AccountRootAdministersKey",
      Effect: "Allow",
      Principal: { AWS: props.account.rootArn },
      Action: "kms:*",
      Resource: "*"
    });
    this.addToPolicy(
      {
        Sid: "KeyAdministrators",
        Effect: "Allow",
        Principal: { AWS: props.administratorArns ?? [] },
        Action: [...KEY_ADMINISTRATION_ACTIONS],
        Resource: "*"
      },
      hasItems(props.administratorArns)
    );
    this.addToPolicy(
      {
        Sid: "KeyUsers",
        Effect: "Allow",
        Principal: { AWS: props.userArns ?? [] },
        Action: [...KEY_USE_ACTIONS],
        Resource: "*"
      },
      hasItems(props.userArns)
    );
  }
};

// modules/encrypted-bucket.ts
var import_constructs3 = require("constructs");
var import_s3_bucket = require("@cdktf/provider-aws/lib/s3-bucket");
var import_s3_bucket_server_side_encryption_configuration = require("@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration");
var import_s3_bucket_versioning = require("@cdktf/provider-aws/lib/s3-bucket-versioning");
var import_s3_bucket_public_access_block = require("@cdktf/provider-aws/lib/s3-bucket-public-access-block");
var import_s3_bucket_ownership_controls = require("@cdktf/provider-aws/lib/s3-bucket-ownership-controls");
var import_s3_bucket_policy = require("@cdktf/provider-aws/lib/s3-bucket-policy");
var import_cdktf5 = require("cdktf");
var EncryptedBucket = class extends import_constructs3.Construct {
  bucket;
  encryption;
  versioning;
  publicAccessBlock;
  ownershipControls;
  policy;
  /** The bucket policy, as written to the bucket. */
  policyDocument;
  constructor(scope, id, props) {
    super(scope, id);
    const key = props.encryptionKey;
    this.bucket = new import_s3_bucket.S3Bucket(this, "Resource", {
      bucket: props.bucketName,
      forceDestroy: false,
      tags: props.tags,
      lifecycle: { preventDestroy: true }
    });
    this.encryption = new import_s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: "aws:kms",
            kmsMasterKeyId: key.keyArn
          },
          // One data key per bucket instead of one KMS call per object: up to
          // 99% fewer KMS requests; the encryption context becomes the bucket ARN.
          bucketKeyEnabled: true
        }
      ]
    });
    this.publicAccessBlock = new import_s3_bucket_public_access_block.S3BucketPublicAccessBlock(this, "public_access", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true
    });
    this.ownershipControls = new import_s3_bucket_ownership_controls.S3BucketOwnershipControls(this, "ownership", {
      bucket: this.bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" }
    });
    this.versioning = new import_s3_bucket_versioning.S3BucketVersioningA(this, "versioning", {
      bucket: this.bucket.id,
      versioningConfiguration: { status: "Enabled" }
    });
    this.policyDocument = policyDocument(this.policyStatements(key));
    this.policy = new import_s3_bucket_policy.S3BucketPolicy(this, "policy", {
      bucket: this.bucket.id,
      policy: renderPolicy(this.policyDocument),
      // S3 rejects concurrent policy and public-access-block writes on one bucket.
      dependsOn: [this.publicAccessBlock]
    });
  }
  get bucketName() {
    return this.bucket.bucket;
  }
  get bucketArn() {
    return this.bucket.arn;
  }
  /** The default encryption as Terraform configures it (for outputs and audits). */
  get encryptionEvidence() {
    const rule = `${this.encryption.fqn}.rule[*]`;
    return {
      sse_algorithm: import_cdktf5.Token.asString(import_cdktf5.Fn.one((0, import_cdktf5.ref)(`${rule}.apply_server_side_encryption_by_default[0].sse_algorithm`))),
      kms_master_key_id: import_cdktf5.Token.asString(import_cdktf5.Fn.one((0, import_cdktf5.ref)(`${rule}.apply_server_side_encryption_by_default[0].kms_master_key_id`))),
      bucket_key_enabled: import_cdktf5.Token.asString(import_cdktf5.Fn.one((0, import_cdktf5.ref)(`${rule}.bucket_key_enabled`)))
    };
  }
  /** Everything that must be in place before Connect may write here. */
  get readiness() {
    return [this.encryption, this.publicAccessBlock, this.ownershipControls, this.versioning, this.policy];
  }
  policyStatements(key) {
    const objects = `${this.bucket.arn}/*`;
    return [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [this.bucket.arn, objects],
        Condition: { Bool: { "aws:SecureTransport": "false" } }
      },
      {
        Sid: "DenyOtherEncryptionAlgorithms",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:PutObject",
        Resource: objects,
        Condition: {
          Null: { "s3:x-amz-server-side-encryption": "false" },
          StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" }
        }
      },
      {
        Sid: "DenyOtherKmsKeys",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:PutObject",
        Resource: objects,
        Condition: {
          Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
          StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": [key.keyArn, key.keyId, key.aliasArn] }
        }
      },
      {
        Sid: "DenyCustomerProvidedKeys",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:PutObject",
        Resource: objects,
        Condition: { Null: { "s3:x-amz-server-side-encryption-customer-algorithm": "false" } }
      }
    ];
  }
};

// modules/connect-instance.ts
var import_constructs4 = require("constructs");
var import_connect_instance = require("@cdktf/provider-aws/lib/connect-instance");
var import_data_aws_connect_instance = require("@cdktf/provider-aws/lib/data-aws-connect-instance");
var ConnectInstance = class extends import_constructs4.Construct {
  instanceId;
  instanceArn;
  /** ARN of the instance's service-linked role, the principal Connect writes with. */
  serviceRoleArn;
  /** The created instance, or undefined when an existing one is always adopted. */
  created;
  constructor(scope, id, props) {
    super(scope, id);
    const create = props.create ?? props.newInstance !== void 0;
    const adopt = not(create);
    if (mayExist(create) && !props.newInstance) throw new Error(`${this.node.path}: creating an instance needs newInstance`);
    if (mayExist(adopt) && props.adoptInstanceId === void 0) throw new Error(`${this.node.path}: adopting an instance needs adoptInstanceId`);
    const from = (created, adopted, c, d) => c && d ? choose(create, created(c), adopted(d)) : c ? created(c) : adopted(d);
    let existing;
    if (mayExist(create)) {
      const settings = props.newInstance;
      this.created = applyCondition(
        new import_connect_instance.ConnectInstance(this, "Resource", {
          instanceAlias: settings.alias,
          identityManagementType: settings.identityManagementType ?? "CONNECT_MANAGED",
          directoryId: settings.directoryId,
          inboundCallsEnabled: settings.inboundCallsEnabled ?? true,
          outboundCallsEnabled: settings.outboundCallsEnabled ?? true,
          contactFlowLogsEnabled: settings.contactFlowLogsEnabled ?? true,
          contactLensEnabled: settings.contactLensEnabled ?? true,
          tags: settings.tags,
          lifecycle: { preventDestroy: settings.preventDestroy ?? true }
        }),
        create
      );
    }
    if (mayExist(adopt)) {
      existing = applyCondition(
        new import_data_aws_connect_instance.DataAwsConnectInstance(this, mayExist(create) ? "existing" : "Resource", { instanceId: props.adoptInstanceId }),
        adopt
      );
    }
    const attribute = (name) => from(
      (c) => attributeOf(c, name, create),
      (d) => attributeOf(d, name, adopt),
      this.created,
      existing
    );
    this.instanceId = attribute("id");
    this.instanceArn = attribute("arn");
    this.serviceRoleArn = attribute("service_role");
  }
};

// modules/instance-storage.ts
var import_constructs5 = require("constructs");
var import_connect_instance_storage_config = require("@cdktf/provider-aws/lib/connect-instance-storage-config");
var S3_KEY_ID = "storage_config[0].s3_config[0].encryption_config[0].key_id";
var VIDEO_KEY_ID = "storage_config[0].kinesis_video_stream_config[0].encryption_config[0].key_id";
var InstanceStorage = class extends import_constructs5.Construct {
  props;
  byType = /* @__PURE__ */ new Map();
  last;
  constructor(scope, id, props) {
    super(scope, id);
    this.props = props;
  }
  /** Associates an S3-backed type with a prefix of the bucket, encrypted with the key. */
  addS3(type, bucketName, prefix, when = true) {
    this.associate(type, when, S3_KEY_ID, {
      storageType: "S3",
      s3Config: {
        bucketName,
        bucketPrefix: prefix,
        encryptionConfig: { encryptionType: "KMS", keyId: this.props.keyArn }
      }
    });
  }
  /**
   * Associates a streaming type with a Kinesis data stream. The stream is
   * encrypted with the key, but Connect makes no KMS grant for it: pass the
   * grant that lets Connect write, so the association waits for it.
   */
  addKinesisStream(type, streamArn, grant, when = true) {
    this.associate(type, when, void 0, { storageType: "KINESIS_STREAM", kinesisStreamConfig: { streamArn } }, [grant]);
  }
  /** Associates a streaming type with a Firehose delivery stream (encrypted by the stream itself). */
  addFirehose(type, firehoseArn, when = true) {
    this.associate(type, when, void 0, { storageType: "KINESIS_FIREHOSE", kinesisFirehoseConfig: { firehoseArn } });
  }
  /**
   * Associates live media with Kinesis Video Streams, which Connect creates
   * itself under `prefix`, encrypted with the key (Connect makes the grant).
   */
  addKinesisVideo(type, prefix, retentionHours, when = true) {
    this.associate(type, when, VIDEO_KEY_ID, {
      storageType: "KINESIS_VIDEO_STREAM",
      kinesisVideoStreamConfig: {
        prefix,
        retentionPeriodHours: retentionHours,
        encryptionConfig: { encryptionType: "KMS", keyId: this.props.keyArn }
      }
    });
  }
  /** Association ID per type, in creation order (null in the module for a type that is off). */
  get associationIds() {
    return this.perType([...this.byType], (a) => attributeOf(a.resource, "association_id", a.when));
  }
  /**
   * The KMS key each S3 and Kinesis Video association was made with, as
   * Terraform will send it: evidence that every one names the key's full ARN.
   */
  get encryptionKeyIds() {
    const withKeys = [...this.byType].map(([type, alternatives]) => [type, alternatives.filter((a) => a.keyIdPath)]).filter(([, alternatives]) => alternatives.length > 0);
    return this.perType(withKeys, (a) => attributeOf(a.resource, a.keyIdPath, a.when));
  }
  /** One value per type; where a type has alternatives (in the module), the one that exists. */
  perType(entries, value) {
    return Object.fromEntries(
      entries.map(([type, alternatives]) => [
        type,
        alternatives.slice(0, -1).reduceRight((otherwise, a) => choose(a.when, value(a), otherwise), value(alternatives[alternatives.length - 1]))
      ])
    );
  }
  associate(type, when, keyIdPath, storageConfig, alsoAfter = []) {
    if (!mayExist(when)) return;
    const id = this.byType.has(type) ? `${type.toLowerCase()}_${storageConfig.storageType.toLowerCase()}` : type.toLowerCase();
    const after = [...this.last ? [this.last] : this.props.dependsOn ?? [], ...alsoAfter];
    const resource = applyCondition(
      new import_connect_instance_storage_config.ConnectInstanceStorageConfig(this, id, {
        instanceId: this.props.instanceId,
        resourceType: type,
        storageConfig,
        dependsOn: after.length > 0 ? after : void 0
      }),
      when
    );
    this.byType.set(type, [...this.byType.get(type) ?? [], { resource, when, keyIdPath }]);
    this.last = resource;
  }
};

// modules/kinesis-data-stream.ts
var import_constructs6 = require("constructs");
var import_kinesis_stream = require("@cdktf/provider-aws/lib/kinesis-stream");
var import_cdktf6 = require("cdktf");
var KinesisDataStream = class extends import_constructs6.Construct {
  stream;
  enabled;
  key;
  constructor(scope, id, props) {
    super(scope, id);
    this.key = props.encryptionKey;
    this.enabled = props.enabled ?? true;
    const mode = props.capacityMode ?? "ON_DEMAND";
    const provisioned = import_cdktf6.Token.isUnresolved(mode) ? import_cdktf6.Op.eq(mode, "PROVISIONED") : mode === "PROVISIONED";
    if (provisioned === true && props.shardCount === void 0) {
      throw new Error(`${this.node.path}: PROVISIONED needs a shardCount`);
    }
    this.stream = applyCondition(
      new import_kinesis_stream.KinesisStream(this, "Resource", {
        name: props.name,
        encryptionType: "KMS",
        kmsKeyId: this.key.keyArn,
        retentionPeriod: props.retentionHours ?? 24,
        streamModeDetails: { streamMode: mode },
        shardCount: choose(provisioned, props.shardCount, import_cdktf6.Token.isUnresolved(mode) ? import_cdktf6.Token.asNumber(import_cdktf6.Token.nullValue()) : void 0),
        tags: props.tags
      }),
      this.enabled
    );
  }
  get streamArn() {
    return attributeOf(this.stream, "arn", this.enabled);
  }
  /** The stream's encryption as Terraform configures it (for outputs and audits). */
  get encryptionEvidence() {
    return {
      encryption_type: attributeOf(this.stream, "encryption_type", this.enabled),
      kms_key_id: attributeOf(this.stream, "kms_key_id", this.enabled)
    };
  }
  /** Lets a Connect instance (its service-linked role) put records: a KMS grant bound to this stream. */
  grantConnectWrite(serviceRoleArn, grantName) {
    return this.key.grantConnectStreamWrites(this, "connect_grant", serviceRoleArn, this.streamArn, grantName, this.enabled);
  }
};

// modules/firehose-to-s3.ts
var import_constructs7 = require("constructs");
var import_cloudwatch_log_group = require("@cdktf/provider-aws/lib/cloudwatch-log-group");
var import_cloudwatch_log_stream = require("@cdktf/provider-aws/lib/cloudwatch-log-stream");
var import_iam_role = require("@cdktf/provider-aws/lib/iam-role");
var import_iam_role_policy = require("@cdktf/provider-aws/lib/iam-role-policy");
var import_kinesis_firehose_delivery_stream = require("@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream");
var PARTITIONS = "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/";
var LOG_STREAM = "DestinationDelivery";
var FirehoseToS3 = class extends import_constructs7.Construct {
  role;
  rolePolicy;
  deliveryStream;
  logGroup;
  enabled;
  constructor(scope, id, props) {
    super(scope, id);
    const { account, bucket } = props;
    const key = props.encryptionKey;
    const enabled = this.enabled = props.enabled ?? true;
    const logging = and(enabled, props.errorLogging ?? true);
    key.allowFirehoseEncryption(enabled);
    this.role = applyCondition(
      new import_iam_role.IamRole(this, "role", {
        name: `${props.name}-firehose`,
        description: `Firehose delivery of ${props.name} into ${props.prefix}/ of the recordings bucket`,
        assumeRolePolicy: renderPolicy(
          policyDocument([
            {
              Sid: "FirehoseOfThisAccount",
              Effect: "Allow",
              Principal: { Service: "firehose.amazonaws.com" },
              Action: "sts:AssumeRole",
              Condition: { StringEquals: { "sts:ExternalId": account.accountId } }
            }
          ])
        ),
        tags: props.tags
      }),
      enabled
    );
    let logGroupName;
    let logGroupArn;
    if (mayExist(logging)) {
      const name = `/aws/kinesisfirehose/${props.name}`;
      key.allowLogGroupEncryption(`${id.replace(/(^|_)([a-z])/g, (_, __, c) => c.toUpperCase())}Logs`, name, logging);
      this.logGroup = applyCondition(
        new import_cloudwatch_log_group.CloudwatchLogGroup(this, "logs", { name, retentionInDays: 365, kmsKeyId: key.keyArn, tags: props.tags }),
        logging
      );
      logGroupName = attributeOf(this.logGroup, "name", logging);
      logGroupArn = attributeOf(this.logGroup, "arn", logging);
      applyCondition(new import_cloudwatch_log_stream.CloudwatchLogStream(this, "log_stream", { name: LOG_STREAM, logGroupName }), logging);
    }
    const objects = [`${bucket.bucketArn}/${props.prefix}/*`, `${bucket.bucketArn}/${props.errorPrefix}/*`];
    const statements = listOf([
      {
        item: {
          Sid: "WriteUnderOwnPrefixes",
          Effect: "Allow",
          Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"],
          Resource: objects
        },
        when: true
      },
      {
        item: {
          Sid: "FindTheBucket",
          Effect: "Allow",
          Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
          Resource: bucket.bucketArn
        },
        when: true
      },
      {
        item: {
          Sid: "UseTheKeyThroughS3ForThisBucket",
          Effect: "Allow",
          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          Resource: key.keyArn,
          Condition: {
            StringEquals: { "kms:ViaService": account.viaService("s3") },
            // With an S3 Bucket Key the context is the bucket ARN; without, the object ARN.
            StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucket.bucketArn, ...objects] }
          }
        },
        when: true
      },
      {
        item: {
          Sid: "LogDeliveryErrors",
          Effect: "Allow",
          Action: "logs:PutLogEvents",
          Resource: `${logGroupArn}:log-stream:${LOG_STREAM}`
        },
        when: logGroupArn === void 0 ? false : logging
      }
    ]);
    this.rolePolicy = applyCondition(
      new import_iam_role_policy.IamRolePolicy(this, "role_policy", {
        name: "deliver-to-recordings-bucket",
        role: attributeOf(this.role, "id", enabled),
        policy: renderPolicy(policyDocument(statements))
      }),
      enabled
    );
    this.deliveryStream = applyCondition(
      new import_kinesis_firehose_delivery_stream.KinesisFirehoseDeliveryStream(this, "Resource", {
        name: props.name,
        destination: "extended_s3",
        serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: key.keyArn },
        extendedS3Configuration: {
          roleArn: attributeOf(this.role, "arn", enabled),
          bucketArn: bucket.bucketArn,
          kmsKeyArn: key.keyArn,
          prefix: `${props.prefix}/${PARTITIONS}`,
          errorOutputPrefix: `${props.errorPrefix}/!{firehose:error-output-type}/${PARTITIONS}`,
          bufferingSize: props.bufferingSizeMib ?? 5,
          bufferingInterval: props.bufferingIntervalSeconds ?? 300,
          cloudwatchLoggingOptions: logGroupName === void 0 ? { enabled: false } : { enabled: logging, logGroupName, logStreamName: LOG_STREAM }
        },
        tags: props.tags,
        // The role must be able to write before Firehose validates the destination.
        dependsOn: [this.rolePolicy, ...bucket.readiness]
      }),
      enabled
    );
  }
  get deliveryStreamArn() {
    return attributeOf(this.deliveryStream, "arn", this.enabled);
  }
  /** The delivery stream's encryption as Terraform configures it (for outputs and audits). */
  get encryptionEvidence() {
    const attribute = (path) => attributeOf(this.deliveryStream, path, this.enabled);
    return {
      server_side_encryption_enabled: attribute("server_side_encryption[0].enabled"),
      server_side_encryption_key_type: attribute("server_side_encryption[0].key_type"),
      server_side_encryption_key_arn: attribute("server_side_encryption[0].key_arn"),
      s3_kms_key_arn: attribute("extended_s3_configuration[0].kms_key_arn")
    };
  }
  get roleArn() {
    return attributeOf(this.role, "arn", this.enabled);
  }
};

// modules/storage-types.ts
var S3_STORAGE_TYPES = [
  "CALL_RECORDINGS",
  "CHAT_TRANSCRIPTS",
  "SCREEN_RECORDINGS",
  "ATTACHMENTS",
  "EMAIL_MESSAGES",
  "CONTACT_EVALUATIONS",
  "SCHEDULED_REPORTS"
];
var STREAMING_STORAGE_TYPES = [
  "CONTACT_TRACE_RECORDS",
  "AGENT_EVENTS",
  "REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS",
  "REAL_TIME_CONTACT_ANALYSIS_CHAT_SEGMENTS",
  "REAL_TIME_CONTACT_ANALYSIS_SEGMENTS",
  "MEDIA_STREAMS"
];
var S3_STORAGE_TYPE_INFO = {
  CALL_RECORDINGS: {
    enabledByDefault: true,
    defaultPrefix: "connect/CallRecordings",
    content: "call recordings (Contact Lens voice output lands under Analysis/Voice/ in the same bucket)"
  },
  CHAT_TRANSCRIPTS: {
    enabledByDefault: true,
    defaultPrefix: "connect/ChatTranscripts",
    content: "chat transcripts (Contact Lens chat output lands under Analysis/Chat/ in the same bucket)"
  },
  SCREEN_RECORDINGS: {
    enabledByDefault: true,
    defaultPrefix: "connect/ScreenRecordings",
    content: "agent screen recordings"
  },
  ATTACHMENTS: {
    enabledByDefault: true,
    defaultPrefix: "connect/Attachments",
    content: "files shared in chats, tasks, cases and e-mail"
  },
  EMAIL_MESSAGES: {
    enabledByDefault: false,
    defaultPrefix: "connect/EmailMessages",
    content: "inbound and outbound e-mail messages"
  },
  CONTACT_EVALUATIONS: {
    enabledByDefault: false,
    defaultPrefix: "connect/ContactEvaluations",
    content: "agent performance evaluations"
  },
  SCHEDULED_REPORTS: {
    enabledByDefault: false,
    defaultPrefix: "connect/Reports",
    content: "scheduled and exported reports"
  }
};
var STREAMING_STORAGE_TYPE_INFO = {
  CONTACT_TRACE_RECORDS: {
    enabledByDefault: true,
    destinations: ["firehose", "kinesis"],
    shortName: "ctr",
    content: "contact trace records (who called, when, which queue and agent, recording locations)"
  },
  AGENT_EVENTS: {
    enabledByDefault: true,
    destinations: ["kinesis"],
    shortName: "agent-events",
    content: "agent state changes and contact handling events"
  },
  REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS: {
    enabledByDefault: true,
    destinations: ["kinesis"],
    shortName: "rtca-voice",
    content: "Contact Lens real-time voice transcript segments and categories"
  },
  REAL_TIME_CONTACT_ANALYSIS_CHAT_SEGMENTS: {
    enabledByDefault: true,
    destinations: ["kinesis"],
    shortName: "rtca-chat",
    content: "Contact Lens real-time chat analysis segments"
  },
  REAL_TIME_CONTACT_ANALYSIS_SEGMENTS: {
    enabledByDefault: false,
    destinations: ["kinesis"],
    shortName: "rtca",
    replacedBy: "REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS",
    content: "Contact Lens real-time voice segments (deprecated type)"
  },
  MEDIA_STREAMS: {
    enabledByDefault: true,
    destinations: ["kinesis-video"],
    shortName: "media",
    content: "live customer and agent audio (Connect creates the video streams itself)"
  }
};
var STORAGE_TYPES = [...S3_STORAGE_TYPES, ...STREAMING_STORAGE_TYPES];
var CONTACT_LENS_PREFIX = "Analysis/";

// modules/connect-encryption.ts
var ConnectEncryption = class extends import_constructs8.Construct {
  encryptionKey;
  recordings;
  instance;
  storage;
  kinesisStreams = /* @__PURE__ */ new Map();
  connectGrants = /* @__PURE__ */ new Map();
  firehoses = /* @__PURE__ */ new Map();
  account;
  tags;
  constructor(scope, id, props) {
    super(scope, id);
    this.account = props.account;
    this.tags = props.tags;
    this.encryptionKey = new EncryptionKey(this, "key", { ...props.key, account: props.account, tags: props.tags });
    this.encryptionKey.enableConnectAssociations();
    this.recordings = new EncryptedBucket(this, "recordings", { bucketName: props.bucketName, encryptionKey: this.encryptionKey, tags: props.tags });
    const newInstance = props.instance.newInstance;
    this.instance = new ConnectInstance(this, "connect", {
      ...props.instance,
      newInstance: newInstance && props.tags ? { ...newInstance, tags: props.tags } : newInstance
    });
    this.storage = new InstanceStorage(this, "storage", {
      instanceId: this.instance.instanceId,
      keyArn: this.encryptionKey.keyArn,
      dependsOn: this.recordings.readiness
    });
    for (const entry of props.s3Storage) {
      this.storage.addS3(entry.type, this.recordings.bucketName, entry.prefix, entry.enabled ?? true);
    }
    for (const entry of props.streaming) this.addStreaming(props.namePrefix, entry);
    this.encryptionKey.allowStreamConsumers(props.streamConsumerArns ?? [], this.account.arn("kinesis", `stream/${props.namePrefix}-*`));
    this.addOutputs();
  }
  addStreaming(namePrefix, entry) {
    const info = STREAMING_STORAGE_TYPE_INFO[entry.type];
    const id = info.shortName.replace(/-/g, "_");
    const enabled = entry.enabled ?? true;
    const add = (map, item) => {
      map.set(entry.type, [...map.get(entry.type) ?? [], item]);
    };
    switch (entry.destination) {
      case "kinesis": {
        const stream = new KinesisDataStream(this, `${id}_stream`, {
          name: `${namePrefix}-${info.shortName}`,
          encryptionKey: this.encryptionKey,
          capacityMode: entry.capacityMode,
          shardCount: entry.shardCount,
          retentionHours: entry.retentionHours,
          enabled,
          tags: this.tags
        });
        const grant = stream.grantConnectWrite(this.instance.serviceRoleArn, `connect-${info.shortName}`);
        add(this.kinesisStreams, stream);
        add(this.connectGrants, grant);
        this.storage.addKinesisStream(entry.type, stream.streamArn, grant, enabled);
        return;
      }
      case "firehose": {
        const firehose = new FirehoseToS3(this, `${id}_firehose`, {
          name: `${namePrefix}-${info.shortName}`,
          account: this.account,
          encryptionKey: this.encryptionKey,
          bucket: this.recordings,
          prefix: entry.prefix,
          errorPrefix: entry.errorPrefix,
          bufferingSizeMib: entry.bufferingSizeMib,
          bufferingIntervalSeconds: entry.bufferingIntervalSeconds,
          errorLogging: entry.errorLogging,
          enabled,
          tags: this.tags
        });
        add(this.firehoses, firehose);
        this.storage.addFirehose(entry.type, firehose.deliveryStreamArn, enabled);
        return;
      }
      case "kinesis-video":
        this.storage.addKinesisVideo(entry.type, entry.prefix, entry.retentionHours, enabled);
        return;
    }
  }
  addOutputs() {
    const output = (id, value, description) => {
      new import_cdktf7.TerraformOutput(this, id, { value, description });
    };
    const byType = (map, value) => Object.fromEntries(
      [...map].map(([type, items]) => [
        type,
        items.slice(0, -1).reduceRight((otherwise, item) => choose(item.enabled, value(item), otherwise), value(items[items.length - 1]))
      ])
    );
    output("key_arn", this.encryptionKey.keyArn, "ARN of the customer-managed KMS key that encrypts all Connect content");
    output("key_id", this.encryptionKey.keyId, "ID of the customer-managed KMS key");
    output("key_alias", this.encryptionKey.aliasName, "Alias of the KMS key");
    output("s3_bucket_id", this.recordings.bucketName, "Name of the recordings bucket");
    output("s3_bucket_arn", this.recordings.bucketArn, "ARN of the recordings bucket");
    output("connect_instance_id", this.instance.instanceId, "ID of the Amazon Connect instance");
    output("connect_instance_arn", this.instance.instanceArn, "ARN of the Amazon Connect instance");
    output("connect_service_role_arn", this.instance.serviceRoleArn, "ARN of the instance's service-linked role (the grantee of Connect's KMS grants)");
    output("storage_association_ids", this.storage.associationIds, "Association ID per Connect storage resource type");
    output("kinesis_stream_arns", byType(this.kinesisStreams, (s) => s.streamArn), "ARN of the KMS-encrypted Kinesis data stream per streaming type");
    const grants = new Map([...this.connectGrants].map(([type, list]) => [type, list.map((grant, i) => ({ grant, enabled: this.kinesisStreams.get(type)[i].enabled }))]));
    output("connect_stream_grant_ids", byType(grants, ({ grant, enabled }) => attributeOf(grant, "grant_id", enabled)), "KMS grant per Kinesis data stream that lets Connect write to it");
    output("firehose_delivery_stream_arns", byType(this.firehoses, (f) => f.deliveryStreamArn), "ARN of the KMS-encrypted Firehose delivery stream per streaming type");
    output("firehose_role_arns", byType(this.firehoses, (f) => f.roleArn), "ARN of the delivery role per Firehose delivery stream");
    output(
      "encryption_configuration",
      {
        key_arn: this.encryptionKey.keyArn,
        key_rotation_enabled: this.encryptionKey.key.enableKeyRotation,
        bucket: this.recordings.encryptionEvidence,
        storage_key_ids: this.storage.encryptionKeyIds,
        kinesis_streams: byType(this.kinesisStreams, (s) => s.encryptionEvidence),
        firehose_delivery_streams: byType(this.firehoses, (f) => f.encryptionEvidence)
      },
      "How everything is encrypted, as Terraform configures it: the key, the bucket default, the key of every S3 and Kinesis Video association, and every stream's encryption. Evidence for auditors, and what the module's tests assert."
    );
  }
};

// modules/module-docs.ts
var cell = (text) => String(text).replace(/\|/g, "\\|").replace(/\n/g, " ");
var code = (value) => `\`${cell(typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value))}\``;
function moduleDocs(module2, usage) {
  const variables = Object.entries(module2.variable ?? {});
  const outputs = Object.entries(module2.output ?? {});
  const required = module2.terraform.required_providers.aws;
  const lines = [
    "<!-- Generated by `npm run synth` from the module itself (modules/connect-encryption-module.ts); do not edit. -->",
    "# connect-kms-encryption Terraform module",
    "",
    "Everything Amazon Connect writes, under your own AWS KMS key: the key, a hardened recordings bucket, the instance (created or adopted), every storage association on the key's full ARN, and the streaming destinations encrypted with it. Generated from the same constructs as the cdktf stacks of this repository.",
    "",
    "## Usage",
    "",
    "```hcl",
    usage.trim(),
    "```",
    "",
    "## Requirements",
    "",
    "| Name | Version |",
    "|------|---------|",
    `| terraform | \`${module2.terraform.required_version}\` |`,
    `| ${required.source} | \`${required.version}\` |`,
    "",
    "The module configures no provider and no backend: pass one with `providers = { aws = aws.<alias> }` and use `for_each`, `count` and `depends_on` as with any module.",
    "",
    "## Inputs",
    "",
    "| Name | Description | Type | Default | Required |",
    "|------|-------------|------|---------|:--------:|",
    ...variables.map(([name, v]) => {
      const hasDefault = Object.prototype.hasOwnProperty.call(v, "default");
      return `| ${name} | ${cell(v.description)} | \`${cell(v.type)}\` | ${hasDefault ? code(v.default) : "n/a"} | ${hasDefault ? "no" : "yes"} |`;
    }),
    "",
    "## Outputs",
    "",
    "| Name | Description |",
    "|------|-------------|",
    ...outputs.map(([name, o]) => `| ${name} | ${cell(o.description)} |`),
    ""
  ];
  return lines.join("\n");
}

// modules/connect-encryption-module.ts
var MODULE_FILE = "main.tf.json";
var ARN_LIST = (name, kind = "role|user") => ({
  condition: `\${alltrue([for arn in var.${name} : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(${kind})/[A-Za-z0-9+=,.@_/-]+$", arn))])}`,
  errorMessage: `${name} must list IAM ${kind.replace("|", " or ")} ARNs such as arn:aws:iam::123456789012:role/Example; got \${jsonencode(var.${name})}.`
});
var INTEGER_RANGE = (name, min, max, unit) => ({
  condition: `\${var.${name} == floor(var.${name}) && var.${name} >= ${min} && var.${name} <= ${max}}`,
  errorMessage: `${name}: \${var.${name}} is out of range; allowed: an integer from ${min} to ${max} (${unit}).`
});
var ONE_OF = (name, allowed) => ({
  condition: `\${contains(${JSON.stringify(allowed)}, var.${name})}`,
  errorMessage: `${name}: "\${var.${name}}" is not allowed; allowed: ${allowed.join(", ")}.`
});
var S3_PREFIX_RULE = "^[A-Za-z0-9!_.*'()-][A-Za-z0-9!_.*'()/-]{0,126}[A-Za-z0-9!_.*'()-]$";
var ConnectEncryptionModule = class extends BaseStack {
  encryption;
  variables = [];
  constructor(scope, name = "connect-kms-encryption") {
    super(scope, name);
    const v = (id, config) => {
      const variable = new import_cdktf8.TerraformVariable(this, id, {
        type: config.type,
        description: config.description,
        // A null default makes the input optional; cdktf needs it as a token.
        default: config.default === null ? import_cdktf8.Token.nullValue() : typeof config.default === "object" ? void 0 : config.default,
        nullable: config.nullable,
        validation: config.validation
      });
      if (config.default !== null && typeof config.default === "object") variable.addOverride("default", config.default);
      this.variables.push(variable);
      return variable;
    };
    const name_ = v("name", {
      type: "string",
      description: "Leading part of every name (key alias, bucket, streams, roles), e.g. acme-connect-prod: 2-32 lowercase letters, digits or hyphens.",
      validation: [
        {
          condition: '${can(regex("^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$", var.name))}',
          errorMessage: 'name: "${var.name}" is not allowed; allowed: 2-32 lowercase letters, digits or hyphens, starting and ending with a letter or digit.'
        }
      ]
    });
    const tags = v("tags", { type: "map(string)", description: "Tags on every taggable resource (in addition to the provider's default tags).", default: {} });
    const createInstance = v("create_instance", {
      type: "bool",
      description: "Create a new Amazon Connect instance (true) or attach to the existing instance_id (false).",
      default: true
    });
    const instanceAlias = v("instance_alias", {
      type: "string",
      description: "Alias of the instance to create (required when create_instance): 2-64 letters, digits or hyphens, not starting with d-.",
      default: null,
      validation: [
        {
          condition: '${var.instance_alias == null ? !var.create_instance : can(regex("^[0-9A-Za-z][0-9A-Za-z-]{1,63}$", var.instance_alias)) && !startswith(var.instance_alias, "d-")}',
          errorMessage: 'instance_alias: "${coalesce(var.instance_alias, "null")}" is not allowed; allowed: 2-64 letters, digits or hyphens, starting with a letter or digit and not with d- (required when create_instance is true).'
        }
      ]
    });
    const identityManagementType = v("identity_management_type", {
      type: "string",
      description: "How agents sign in to a created instance: CONNECT_MANAGED, SAML or EXISTING_DIRECTORY.",
      default: "CONNECT_MANAGED",
      validation: [ONE_OF("identity_management_type", ["CONNECT_MANAGED", "SAML", "EXISTING_DIRECTORY"])]
    });
    const directoryId = v("directory_id", {
      type: "string",
      description: "AWS Directory Service directory of a created instance; required with EXISTING_DIRECTORY, refused otherwise.",
      default: null,
      validation: [
        {
          condition: '${(var.identity_management_type == "EXISTING_DIRECTORY") == (var.directory_id != null) && (var.directory_id == null || can(regex("^d-[0-9a-f]{10}$", var.directory_id)))}',
          errorMessage: 'directory_id: "${coalesce(var.directory_id, "null")}" is not allowed; allowed: a directory ID such as d-1234567890, set exactly when identity_management_type is EXISTING_DIRECTORY.'
        }
      ]
    });
    const flag = (id, description) => v(id, { type: "bool", description, default: true });
    const inbound = flag("inbound_calls_enabled", "Inbound calls on a created instance.");
    const outbound = flag("outbound_calls_enabled", "Outbound calls on a created instance.");
    const flowLogs = flag("contact_flow_logs_enabled", "Flow logs (the audit trail of each contact) on a created instance.");
    const contactLens = flag("contact_lens_enabled", "Contact Lens on a created instance; its output lands under Analysis/ in the bucket, under the key.");
    v("instance_id", {
      type: "string",
      description: "ID or ARN of the existing instance to attach to (required when create_instance is false). Nothing about the instance is changed.",
      default: null,
      validation: [
        {
          condition: '${var.instance_id == null ? var.create_instance : can(regex("^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|arn:aws[a-z-]*:connect:[a-z0-9-]+:[0-9]{12}:instance/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$", var.instance_id))}',
          errorMessage: 'instance_id: "${coalesce(var.instance_id, "null")}" is neither an instance ID nor an instance ARN; allowed: a UUID such as 11111111-2222-3333-4444-555555555555 or arn:aws:connect:<region>:<account>:instance/<UUID> (required when create_instance is false).'
        }
      ]
    });
    const keyAlias = v("key_alias", {
      type: "string",
      description: "KMS alias, starting with alias/ (default: alias/<name>).",
      default: null,
      validation: [
        {
          condition: '${var.key_alias == null || can(regex("^alias/[A-Za-z0-9/_-]+$", var.key_alias)) && !startswith(coalesce(var.key_alias, "-"), "alias/aws/")}',
          errorMessage: 'key_alias: "${coalesce(var.key_alias, "null")}" is not allowed; allowed: alias/ followed by letters, digits, /, _ or -, not under alias/aws/.'
        }
      ]
    });
    const keyDescription = v("key_description", { type: "string", description: "Description of the KMS key.", default: null });
    const rotation = v("key_rotation_period_in_days", {
      type: "number",
      description: "Days between automatic rotations of the key material (rotation is always on).",
      default: 365,
      validation: [INTEGER_RANGE("key_rotation_period_in_days", 90, 2560, "days")]
    });
    const deletion = v("key_deletion_window_in_days", {
      type: "number",
      description: "Waiting period between a deletion request and the key's deletion.",
      default: 30,
      validation: [INTEGER_RANGE("key_deletion_window_in_days", 7, 30, "days")]
    });
    const administrators = v("key_administrators", {
      type: "list(string)",
      description: "IAM role/user ARNs that manage the key (policy, rotation, aliases, deletion) without using it for data.",
      default: [],
      validation: [ARN_LIST("key_administrators")]
    });
    const users = v("key_users", {
      type: "list(string)",
      description: "IAM role/user ARNs that encrypt and decrypt with the key directly.",
      default: [],
      validation: [ARN_LIST("key_users")]
    });
    const deployers = v("key_deployers", {
      type: "list(string)",
      description: "IAM role/user ARNs that run Terraform (they create Connect's grants); empty = the role behind the caller's credentials.",
      default: [],
      validation: [ARN_LIST("key_deployers")]
    });
    const bucketName = v("bucket_name", {
      type: "string",
      description: "Name of the recordings bucket (default: <name>-<account>-<region>).",
      default: null,
      validation: [
        {
          condition: '${var.bucket_name == null || can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.bucket_name))}',
          errorMessage: 'bucket_name: "${coalesce(var.bucket_name, "null")}" is not allowed; allowed: 3-63 lowercase letters, digits or hyphens, starting and ending with a letter or digit.'
        }
      ]
    });
    const defaultS3 = Object.fromEntries(S3_STORAGE_TYPES.filter((t) => S3_STORAGE_TYPE_INFO[t].enabledByDefault).map((t) => [t, {}]));
    const s3Storage = v("s3_storage", {
      type: "map(object({ prefix = optional(string) }))",
      description: `S3-backed storage types to associate, each with an optional bucket prefix. Types: ${S3_STORAGE_TYPES.join(", ")}.`,
      default: defaultS3,
      nullable: false,
      validation: [
        {
          condition: `\${alltrue([for type in keys(var.s3_storage) : contains(${JSON.stringify(S3_STORAGE_TYPES)}, type)])}`,
          errorMessage: `s3_storage: \${jsonencode(keys(var.s3_storage))} names an unknown storage type; allowed: ${S3_STORAGE_TYPES.join(", ")}.`
        },
        {
          condition: `\${alltrue([for type, config in var.s3_storage : config.prefix == null || can(regex("${S3_PREFIX_RULE}", config.prefix)) && !startswith(coalesce(config.prefix, "-"), "${CONTACT_LENS_PREFIX.replace("/", "")}")])}`,
          errorMessage: `s3_storage: a prefix is not allowed; allowed: 1-128 characters of letters, digits and !_.*'()/-, no leading or trailing /, not under ${CONTACT_LENS_PREFIX} (Contact Lens output).`
        }
      ]
    });
    const ctrDestination = v("contact_trace_records_destination", {
      type: "string",
      description: "Where contact trace records go: firehose (Direct PUT into the bucket), kinesis (a data stream) or none.",
      default: "firehose",
      validation: [ONE_OF("contact_trace_records_destination", ["firehose", "kinesis", "none"])]
    });
    const agentEvents = flag("agent_events_enabled", "Agent events to a Kinesis data stream under the key.");
    const voiceSegments = flag("realtime_voice_segments_enabled", "Contact Lens real-time voice segments to a Kinesis data stream under the key.");
    const chatSegments = flag("realtime_chat_segments_enabled", "Contact Lens real-time chat segments to a Kinesis data stream under the key.");
    const mediaStreams = flag("media_streams_enabled", "Live media to Kinesis Video Streams that Connect creates under the key.");
    const capacityMode = v("stream_capacity_mode", {
      type: "string",
      description: "Capacity mode of the Kinesis data streams: ON_DEMAND or PROVISIONED (then stream_shard_count).",
      default: "ON_DEMAND",
      validation: [ONE_OF("stream_capacity_mode", ["ON_DEMAND", "PROVISIONED"])]
    });
    const shardCount = v("stream_shard_count", {
      type: "number",
      description: "Shards per data stream; required with PROVISIONED, refused with ON_DEMAND.",
      default: null,
      validation: [
        {
          condition: '${(var.stream_capacity_mode == "PROVISIONED") == (var.stream_shard_count != null) && (var.stream_shard_count == null || try(var.stream_shard_count >= 1 && var.stream_shard_count <= 10000 && var.stream_shard_count == floor(var.stream_shard_count), false))}',
          errorMessage: "stream_shard_count: ${coalesce(var.stream_shard_count, -1)} is not allowed; allowed: an integer from 1 to 10000, set exactly when stream_capacity_mode is PROVISIONED."
        }
      ]
    });
    const retention = v("stream_retention_hours", {
      type: "number",
      description: "How long the data streams keep records.",
      default: 24,
      validation: [INTEGER_RANGE("stream_retention_hours", 24, 8760, "hours")]
    });
    const consumers = v("stream_consumer_role_arns", {
      type: "list(string)",
      description: "IAM roles that read the data streams: kms:Decrypt only through Kinesis, for this module's streams.",
      default: [],
      validation: [ARN_LIST("stream_consumer_role_arns", "role")]
    });
    const ctrPrefix = v("ctr_prefix", { type: "string", description: "Bucket prefix of contact trace records delivered by Firehose.", default: "connect/ContactTraceRecords" });
    const ctrErrorPrefix = v("ctr_error_prefix", { type: "string", description: "Bucket prefix of records Firehose failed to deliver.", default: "connect/ContactTraceRecordsErrors" });
    for (const [variable, label] of [
      [ctrPrefix, "ctr_prefix"],
      [ctrErrorPrefix, "ctr_error_prefix"]
    ]) {
      variable.addValidation({
        condition: `\${can(regex("${S3_PREFIX_RULE}", var.${label})) && !startswith(var.${label}, "Analysis")}`,
        errorMessage: `${label}: "\${var.${label}}" is not allowed; allowed: 1-128 characters of letters, digits and !_.*'()/-, no leading or trailing /, not under Analysis/.`
      });
    }
    const bufferSize = v("ctr_buffering_size_mib", {
      type: "number",
      description: "Firehose buffer size before a delivery.",
      default: 5,
      validation: [INTEGER_RANGE("ctr_buffering_size_mib", 1, 128, "MiB")]
    });
    const bufferInterval = v("ctr_buffering_interval_seconds", {
      type: "number",
      description: "Firehose buffer time before a delivery.",
      default: 300,
      validation: [INTEGER_RANGE("ctr_buffering_interval_seconds", 0, 900, "seconds")]
    });
    const ctrLogging = flag("ctr_error_logging", "Firehose delivery errors to a CloudWatch log group encrypted with the key.");
    const mediaPrefix = v("media_streams_prefix", {
      type: "string",
      description: "Prefix of the video streams Connect creates (default: <name>).",
      default: null,
      validation: [
        {
          condition: '${var.media_streams_prefix == null || can(regex("^[A-Za-z0-9_.-]{1,128}$", var.media_streams_prefix))}',
          errorMessage: 'media_streams_prefix: "${coalesce(var.media_streams_prefix, "null")}" is not allowed; allowed: 1-128 letters, digits, _ . or -.'
        }
      ]
    });
    const mediaRetention = v("media_streams_retention_hours", {
      type: "number",
      description: "How long Kinesis Video Streams keep live media (0 keeps none).",
      default: 24,
      validation: [INTEGER_RANGE("media_streams_retention_hours", 0, 87600, "hours")]
    });
    const account = new AwsAccount(this, "account");
    const callerIsDeployer = import_cdktf8.Op.lt(import_cdktf8.Fn.lengthOf(deployers.listValue), 1);
    const session = applyCondition(new import_data_aws_iam_session_context2.DataAwsIamSessionContext(this, "deployer", { arn: account.callerArn }), callerIsDeployer);
    const local = (id, expression) => new import_cdktf8.TerraformLocal(this, id, expression);
    const deployerArns = local(
      "deployer_arns",
      import_cdktf8.Fn.conditional(callerIsDeployer, [attributeOf(session, "issuer_arn", callerIsDeployer)], deployers.listValue)
    );
    const adoptedId = local(
      "adopted_instance_id",
      '${var.instance_id == null ? null : element(reverse(split("/", coalesce(var.instance_id, "-"))), 0)}'
    );
    const defaultPrefixes = local(
      "default_s3_prefixes",
      Object.fromEntries(S3_STORAGE_TYPES.map((t) => [t, S3_STORAGE_TYPE_INFO[t].defaultPrefix]))
    );
    const prefixes = local(
      "s3_prefixes",
      `\${{ for type, config in var.s3_storage : type => coalesce(config.prefix, local.${defaultPrefixes.friendlyUniqueId}[type]) }}`
    );
    const streamingOn = (variable) => variable.booleanValue;
    const kinesis = (type, enabled) => ({
      type,
      destination: "kinesis",
      capacityMode: capacityMode.stringValue,
      shardCount: shardCount.numberValue,
      retentionHours: retention.numberValue,
      enabled
    });
    this.encryption = new ConnectEncryption(this, "Resource", {
      account,
      namePrefix: name_.stringValue,
      tags: tags.value,
      key: {
        aliasName: import_cdktf8.Fn.coalesce([keyAlias.stringValue, `alias/${name_.stringValue}`]),
        description: import_cdktf8.Fn.coalesce([keyDescription.stringValue, `Amazon Connect customer content (${name_.stringValue}): recordings, transcripts, attachments and streams`]),
        rotationPeriodInDays: rotation.numberValue,
        deletionWindowInDays: deletion.numberValue,
        administratorArns: administrators.listValue,
        userArns: users.listValue,
        deployerArns: import_cdktf8.Token.asList(deployerArns.expression)
      },
      bucketName: import_cdktf8.Fn.coalesce([bucketName.stringValue, `${name_.stringValue}-${account.accountId}-${account.region}`]),
      instance: {
        create: createInstance.booleanValue,
        newInstance: {
          alias: instanceAlias.stringValue,
          identityManagementType: identityManagementType.stringValue,
          directoryId: directoryId.stringValue,
          inboundCallsEnabled: inbound.booleanValue,
          outboundCallsEnabled: outbound.booleanValue,
          contactFlowLogsEnabled: flowLogs.booleanValue,
          contactLensEnabled: contactLens.booleanValue
        },
        adoptInstanceId: import_cdktf8.Token.asString(adoptedId.expression)
      },
      s3Storage: S3_STORAGE_TYPES.map((type) => ({
        type,
        prefix: import_cdktf8.Fn.lookup(prefixes.expression, type, "unused"),
        enabled: import_cdktf8.Fn.contains(import_cdktf8.Fn.keys(s3Storage.value), type)
      })),
      streaming: [
        {
          type: "CONTACT_TRACE_RECORDS",
          destination: "firehose",
          prefix: ctrPrefix.stringValue,
          errorPrefix: ctrErrorPrefix.stringValue,
          bufferingSizeMib: bufferSize.numberValue,
          bufferingIntervalSeconds: bufferInterval.numberValue,
          errorLogging: streamingOn(ctrLogging),
          enabled: import_cdktf8.Op.eq(ctrDestination.stringValue, "firehose")
        },
        kinesis("CONTACT_TRACE_RECORDS", import_cdktf8.Op.eq(ctrDestination.stringValue, "kinesis")),
        kinesis("AGENT_EVENTS", streamingOn(agentEvents)),
        kinesis("REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS", streamingOn(voiceSegments)),
        kinesis("REAL_TIME_CONTACT_ANALYSIS_CHAT_SEGMENTS", streamingOn(chatSegments)),
        {
          type: "MEDIA_STREAMS",
          destination: "kinesis-video",
          prefix: import_cdktf8.Fn.coalesce([mediaPrefix.stringValue, name_.stringValue]),
          retentionHours: mediaRetention.numberValue,
          enabled: streamingOn(mediaStreams)
        }
      ],
      streamConsumerArns: consumers.listValue
    });
  }
};
function withoutEscapeWarnings(render) {
  const warn = console.warn;
  let dropNext = false;
  console.warn = (...args) => {
    if (String(args[0]).startsWith("You're using escape sequences")) dropNext = true;
    else if (dropNext) dropNext = false;
    else warn(...args);
  };
  try {
    return render();
  } finally {
    console.warn = warn;
  }
}
function withoutMetadata(value) {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).filter(([key]) => key !== "//").sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map(([key, item]) => [key, withoutMetadata(item)])
  );
}
function renderModule() {
  const app = new import_cdktf8.App({ outdir: (0, import_node_path.join)((0, import_node_os.tmpdir)(), "connect-kms-encryption-module"), skipValidation: true });
  const module2 = new ConnectEncryptionModule(app);
  const config = withoutEscapeWarnings(() => withoutMetadata(module2.toTerraform()));
  config.terraform = {
    required_providers: { aws: { source: "hashicorp/aws", version: AWS_PROVIDER_CONSTRAINT } },
    required_version: TERRAFORM_VERSION_CONSTRAINT
  };
  return `${JSON.stringify(config, null, 2)}
`;
}
var MODULE_USAGE = `
module "connect_encryption" {
  source = "git::https://github.com/<org>/connect-kms-encryption.git//module?ref=v1.2.0"

  name           = "acme-connect-prod"
  instance_alias = "acme-connect-prod"           # or: create_instance = false, instance_id = "<ID or ARN>"
  key_deployers  = ["arn:aws:iam::111122223333:role/ConnectTerraform"]

  s3_storage = {
    CALL_RECORDINGS  = {}
    CHAT_TRANSCRIPTS = {}
    EMAIL_MESSAGES   = { prefix = "connect/Email" }
  }
  contact_trace_records_destination = "firehose"
}
`;
function renderModuleFiles() {
  const json = renderModule();
  return { [MODULE_FILE]: json, "README.md": moduleDocs(JSON.parse(json), MODULE_USAGE) };
}

// .scratch/prof.ts
var t0 = performance.now();
var t1 = performance.now();
renderModuleFiles();
var t2 = performance.now();
renderModuleFiles();
var t3 = performance.now();
console.log(`import ${(t1 - t0).toFixed(0)}ms, first render ${(t2 - t1).toFixed(0)}ms, second ${(t3 - t2).toFixed(0)}ms`);
