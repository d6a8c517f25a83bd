/**
 * What `npm run reencrypt-plan` writes for the user to review and submit
 * (nothing here calls AWS): per old destination, a CSV manifest of the
 * objects found outside the key and an S3 Batch Operations CreateJob request
 * (S3PutObjectCopy into the environment's bucket under the new key); the IAM
 * role those jobs run as (trust and least-privilege permissions); and the
 * runbook.
 *
 * Sources (S3 User Guide):
 * - "Granting permissions for Batch Operations"
 *   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-iam-role-policies.html):
 *   the role is assumed by batchoperations.s3.amazonaws.com; whatever the
 *   operation, it reads the manifest and writes the report; version-specific
 *   permissions (s3:GetObjectVersion) only when the manifest names versions;
 *   for encrypted objects it needs the KMS keys that encrypt them.
 * - "Copy objects" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-copy-object.html):
 *   one source bucket and one destination bucket per job; read on the source,
 *   write on the destination; objects up to 5 GB; S3 Glacier Flexible
 *   Retrieval and Deep Archive objects restored first; the job is created in
 *   the destination's Region; copies into a versioned bucket are new versions.
 * - S3CopyObjectOperation (Amazon S3 API Reference): without NewObjectTagging
 *   the source's tags are copied; BucketKeyEnabled; SSEAwsKmsKeyId.
 */
import { createHash } from "node:crypto";
import { ARCHIVED_CLASSES, COPY_LIMIT_BYTES, DestinationSurvey, ReencryptSurvey, SampledObject } from "./plan";

/** Prefix (in the log bucket) of the uploaded manifests and of the completion reports. */
export const REPORT_PREFIX = "batch-reencrypt";

/** Storage classes a Batch Operations copy may write (S3CopyObjectOperation.StorageClass). */
const COPY_STORAGE_CLASSES = new Set([
  "STANDARD",
  "STANDARD_IA",
  "ONEZONE_IA",
  "GLACIER",
  "INTELLIGENT_TIERING",
  "DEEP_ARCHIVE",
  "GLACIER_IR",
]);

/** A survey made once the environment's key exists: jobs can name it. */
export type KeyedSurvey = ReencryptSurvey & { readonly newKeyArn: string };

export interface PlanContext {
  readonly environment: string;
  /** `<namePrefix>-<environment>`. */
  readonly namePrefix: string;
  /** Where reports and uploaded manifests go. */
  readonly reportBucket: string;
}

export interface JobPlan {
  /** File stem, e.g. `CALL_RECORDINGS` or `CALL_RECORDINGS-STANDARD_IA`. */
  readonly name: string;
  readonly survey: DestinationSurvey;
  readonly storageClass: string;
  /** The CSV manifest's text, or undefined when the job reads an S3 Inventory report. */
  readonly manifest?: string;
  /** The CreateJob request (`aws s3control create-job --cli-input-json`). */
  readonly request: Record<string, unknown>;
  /** S3 location the manifest must be uploaded to (CSV manifests only). */
  readonly manifestUpload?: { readonly bucket: string; readonly key: string };
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly Record<string, unknown>[];
}

export interface WrittenPlan {
  readonly jobs: readonly JobPlan[];
  readonly roleName: string;
  readonly roleArn: string;
  readonly trustPolicy: PolicyDocument;
  readonly permissionsPolicy: PolicyDocument;
  /** File name -> text, relative to `cdktf.out/reencrypt/<environment>/`. */
  readonly files: Readonly<Record<string, string>>;
}

const s3Arn = (partition: string, resource: string): string => `arn:${partition}:s3:::${resource}`;

/** One manifest line: bucket,key with the key URL-encoded, as a Batch Operations CSV manifest wants it. */
function manifestLine(bucket: string, key: string): string {
  return `${bucket},${encodeURIComponent(key).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** The copies of a destination: one job per storage class (a job writes one class), none for what cannot be copied. */
function copyable(survey: DestinationSurvey): Map<string, SampledObject[]> {
  const byClass = new Map<string, SampledObject[]>();
  for (const object of survey.notUnderKey) {
    if (ARCHIVED_CLASSES.has(object.storageClass) || object.size > COPY_LIMIT_BYTES) continue;
    const storageClass = COPY_STORAGE_CLASSES.has(object.storageClass) ? object.storageClass : "STANDARD";
    byClass.set(storageClass, [...(byClass.get(storageClass) ?? []), object]);
  }
  return byClass;
}

function destinationName(survey: DestinationSurvey, index: number): string {
  return survey.destination.types.length > 0 ? survey.destination.types.join("+") : `source-${index + 1}`;
}

function jobsOf(survey: DestinationSurvey, index: number, plan: KeyedSurvey, context: PlanContext, roleArn: string): JobPlan[] {
  const base = destinationName(survey, index);
  const d = survey.destination;
  const operation = (storageClass: string): Record<string, unknown> => ({
    S3PutObjectCopy: {
      TargetResource: s3Arn(plan.partition, plan.targetBucket),
      // Keep Content-Type and user metadata; only the encryption changes.
      MetadataDirective: "COPY",
      NewObjectMetadata: { SSEAlgorithm: "KMS" },
      SSEAwsKmsKeyId: plan.newKeyArn,
      BucketKeyEnabled: true,
      StorageClass: storageClass,
    },
  });
  const request = (name: string, storageClass: string, manifest: Record<string, unknown>): Record<string, unknown> => {
    const body = {
      AccountId: plan.account,
      ConfirmationRequired: true,
      Operation: operation(storageClass),
      Manifest: manifest,
      Report: {
        Bucket: s3Arn(plan.partition, context.reportBucket),
        Prefix: REPORT_PREFIX,
        Format: "Report_CSV_20180820",
        Enabled: true,
        ReportScope: "AllTasks",
      },
      Priority: 10,
      RoleArn: roleArn,
      Description: `${context.namePrefix} re-encrypt ${name}`.slice(0, 256),
    };
    // The same plan submitted twice creates one job (CreateJob is idempotent on this token).
    return { ...body, ClientRequestToken: createHash("sha256").update(JSON.stringify(body)).digest("hex").slice(0, 64) };
  };

  if (survey.inventory) {
    // The inventory lists every current object under its filter (the ones already under the key too); the
    // classes sampled decide the job's storage class: the most common one.
    const classes = [...copyable(survey).entries()].sort((a, b) => b[1].length - a[1].length);
    const storageClass = classes[0]?.[0] ?? "STANDARD";
    const inv = survey.inventory;
    return [
      {
        name: base,
        survey,
        storageClass,
        request: request(base, storageClass, {
          Spec: { Format: "S3InventoryReport_CSV_20161130" },
          Location: {
            ObjectArn: s3Arn(plan.partition, `${inv.bucket}/${inv.manifestFolder}<YYYY-MM-DDTHH-MMZ>/manifest.json`),
            ETag: "<ETag of that manifest.json>",
          },
        }),
      },
    ];
  }
  const groups = [...copyable(survey).entries()];
  return groups.map(([storageClass, objects]) => {
    const name = groups.length > 1 ? `${base}-${storageClass}` : base;
    const manifest = `${objects.map((o) => manifestLine(d.bucket, o.key)).join("\n")}\n`;
    const key = `${REPORT_PREFIX}/manifests/${context.environment}/manifest-${name}.csv`;
    return {
      name,
      survey,
      storageClass,
      manifest,
      manifestUpload: { bucket: context.reportBucket, key },
      request: request(name, storageClass, {
        Spec: { Format: "S3BatchOperations_CSV_20180820", Fields: ["Bucket", "Key"] },
        // The ETag of a single-part upload to a bucket with SSE-S3 default encryption (the log bucket) is
        // the MD5 of the content; the runbook checks it after the upload.
        Location: {
          ObjectArn: s3Arn(plan.partition, `${context.reportBucket}/${key}`),
          ETag: createHash("md5").update(manifest).digest("hex"),
        },
      }),
    };
  });
}

/** The role's permissions: exactly what the jobs above do, on exactly their prefixes and keys. */
function permissions(plan: KeyedSurvey, jobs: readonly JobPlan[], context: PlanContext): PolicyDocument {
  const p = plan.partition;
  const surveys = [...new Set(jobs.map((j) => j.survey))];
  const sources = surveys.map((s) => s3Arn(p, `${s.destination.bucket}/${s.destination.prefix}*`));
  // The copy keeps each key: the target prefixes are the source prefixes, in the environment's bucket.
  const targets = [...new Set(surveys.map((s) => s3Arn(p, `${plan.targetBucket}/${s.destination.prefix}*`)))];
  const manifests = [
    ...(jobs.some((j) => j.manifest !== undefined)
      ? [s3Arn(p, `${context.reportBucket}/${REPORT_PREFIX}/manifests/${context.environment}/*`)]
      : []),
    ...surveys.filter((s) => s.inventory).map((s) => s3Arn(p, `${s.inventory!.bucket}/${s.inventory!.manifestFolder}*`)),
  ];
  const oldKeys = [
    ...new Set(
      surveys.flatMap((s) => [
        ...(s.destination.associationKey ? [s.destination.associationKey] : []),
        ...s.notUnderKey.flatMap((o) => (o.kmsKey ? [o.kmsKey] : [])),
      ]),
    ),
  ]
    .filter((k) => k !== plan.newKeyArn)
    .sort();
  const viaS3 = { StringEquals: { "kms:ViaService": `s3.${plan.region}.amazonaws.com` } };
  const statements: Record<string, unknown>[] = [
    {
      // Read each object to copy and its tags (copied along, as NewObjectTagging is not set). No
      // s3:GetObjectVersion: the manifests name no versions. No s3:GetObjectAcl: ACLs are not copied.
      Sid: "ReadTheOldObjects",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectTagging"],
      Resource: sources,
    },
    {
      // Write the copies only under the new key, and only under the copied prefixes of the environment's bucket.
      Sid: "WriteTheCopiesUnderTheNewKey",
      Effect: "Allow",
      Action: "s3:PutObject",
      Resource: targets,
      Condition: {
        StringEquals: { "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": plan.newKeyArn },
      },
    },
    { Sid: "CopyTheTags", Effect: "Allow", Action: "s3:PutObjectTagging", Resource: targets },
    { Sid: "ReadTheManifests", Effect: "Allow", Action: "s3:GetObject", Resource: manifests },
    {
      // Batch Operations writes each job's report under <prefix>/job-<job ID>/.
      Sid: "WriteTheCompletionReports",
      Effect: "Allow",
      Action: "s3:PutObject",
      Resource: s3Arn(p, `${context.reportBucket}/${REPORT_PREFIX}/job-*`),
    },
  ];
  if (oldKeys.length > 0) {
    statements.push({ Sid: "DecryptTheOldObjectsThroughS3", Effect: "Allow", Action: "kms:Decrypt", Resource: oldKeys, Condition: viaS3 });
  }
  statements.push({
    // GenerateDataKey and Encrypt to write under the key; Decrypt because the copies use S3 Bucket Keys
    // (and a multipart copy reads its own parts back).
    Sid: "EncryptTheCopiesThroughS3",
    Effect: "Allow",
    Action: ["kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt"],
    Resource: plan.newKeyArn,
    Condition: viaS3,
  });
  return { Version: "2012-10-17", Statement: statements };
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

type WrittenJobs = Omit<WrittenPlan, "files">;

/** README.md of the plan: the steps in the order they are run, then what to keep in mind. */
function runbook(plan: KeyedSurvey, context: PlanContext, written: WrittenJobs): string {
  return [
    ...reviewSteps(plan, context, written),
    ...roleSteps(written),
    ...manifestUploadSteps(written),
    ...jobSteps(plan, context, written),
    ...RUNBOOK_CAVEATS,
  ].join("\n");
}

/** The title, and step 1: which job copies what from where. */
function reviewSteps(plan: KeyedSurvey, context: PlanContext, written: WrittenJobs): string[] {
  return [
    `# Re-encrypting the old content of ${context.environment}`,
    "",
    "Written by `npm run reencrypt-plan`; nothing has been submitted to AWS or changed there.",
    `Every job copies objects found outside the key into \`${plan.targetBucket}\` (same keys),`,
    `encrypted under \`${plan.newKeyArn}\` with S3 Bucket Keys. Run these commands from this folder.`,
    "",
    "## 1. Review",
    "",
    "| Job | Source | Objects in the manifest | Storage class | In place |",
    "| --- | --- | --- | --- | --- |",
    ...written.jobs.map(
      (j) =>
        `| \`job-${j.name}.json\` | \`s3://${j.survey.destination.bucket}/${j.survey.destination.prefix}\` | ${
          j.manifest === undefined ? "S3 Inventory report (every current object under its filter)" : j.manifest.split("\n").length - 1
        } | ${j.storageClass} | ${j.survey.inPlace ? "yes" : "no"} |`,
    ),
    "",
    "A CSV manifest lists only the objects the plan sampled; when the sample stopped at `--max-objects`,",
    "run the plan again with a larger one, or configure an S3 Inventory report (CSV, current versions,",
    "with the EncryptionStatus field) on the old bucket and run the plan again once it has been published.",
    "",
  ];
}

/** Step 2: the role the jobs run as, and what the key's policy may need. */
function roleSteps(written: WrittenJobs): string[] {
  return [
    "## 2. Create the role the jobs run as",
    "",
    "```sh",
    `aws iam create-role --role-name ${written.roleName} --assume-role-policy-document file://trust-policy.json`,
    `aws iam put-role-policy --role-name ${written.roleName} --policy-name reencrypt --policy-document file://permissions-policy.json`,
    "```",
    "",
    "If the key's policy does not let IAM policies grant its use (`key.allowAccountRoot: false`), add",
    `\`${written.roleArn}\` to the environment's \`key.userArns\` and apply first. You also need`,
    "`s3:CreateJob` and `iam:PassRole` on this role to submit the jobs.",
    "",
  ];
}

/** Step 3: upload the CSV manifests (their ETags are in the job files), or point the jobs at the newest inventory report. */
function manifestUploadSteps(written: WrittenJobs): string[] {
  const lines = ["## 3. Upload the manifests", ""];
  const uploads = written.jobs.filter((j) => j.manifestUpload);
  if (uploads.length > 0) {
    lines.push("```sh");
    for (const j of uploads) {
      const u = j.manifestUpload!;
      lines.push(`aws s3 cp manifest-${j.name}.csv s3://${u.bucket}/${u.key}`);
      lines.push(`aws s3api head-object --bucket ${u.bucket} --key ${u.key} --query ETag --output text`);
    }
    lines.push("```", "", "Each ETag printed must be the `Manifest.Location.ETag` of its job file (edit the file if it is not).", "");
  }
  for (const j of written.jobs.filter((job) => job.manifest === undefined)) {
    const inv = j.survey.inventory!;
    lines.push(
      `\`job-${j.name}.json\` reads the S3 Inventory report \`${inv.id}\` (${inv.frequency}): replace \`<YYYY-MM-DDTHH-MMZ>\` with the`,
      `newest report's folder under \`s3://${inv.bucket}/${inv.manifestFolder}\` and \`<ETag of that manifest.json>\` with`,
      `the output of \`aws s3api head-object --bucket ${inv.bucket} --key <that manifest.json> --query ETag --output text\`.`,
      "Objects the inventory lists outside the copied prefix fail (the role may not write them) and show in the report.",
      "",
    );
  }
  return lines;
}

/** Steps 4 and 5: create the jobs, confirm them, and check their reports. */
function jobSteps(plan: KeyedSurvey, context: PlanContext, written: WrittenJobs): string[] {
  return [
    "## 4. Create the jobs (they wait for your confirmation)",
    "",
    "```sh",
    ...written.jobs.map((j) => `aws s3control create-job --region ${plan.region} --cli-input-json file://job-${j.name}.json`),
    `aws s3control update-job-status --region ${plan.region} --account-id ${plan.account} --job-id <job ID> --requested-job-status Ready`,
    "```",
    "",
    "## 5. Check",
    "",
    `Each job writes its completion report (every task, succeeded or failed) to \`s3://${context.reportBucket}/${REPORT_PREFIX}/job-<job ID>/\`.`,
    "Then run `npm run reencrypt-plan -- " +
      context.environment +
      "` again: an in-place destination should have nothing left outside the key.",
    "",
  ];
}

/** What a copy does not undo, whatever the plan. */
const RUNBOOK_CAVEATS = [
  "## Mind",
  "",
  "- Copies into a versioned bucket are new versions: the originals stay (as noncurrent versions in place, or in the",
  "  old bucket) under their old encryption until you delete them or a lifecycle rule expires them.",
  "- Object Lock: locked originals cannot be deleted before their retention ends; a copy into a bucket with default",
  "  retention is itself locked.",
  "- Replication: the copies are new objects and are replicated to the disaster-recovery copy, under its own key.",
  "- Objects over 5 GB and objects in S3 Glacier Flexible Retrieval or Deep Archive are not in any manifest.",
  "- Connect's own pages find a contact's recording where it was written: after a copy to another bucket, keep the",
  "  originals as long as you need them there.",
  "",
];

/** Everything the plan writes; no job at all when nothing is outside the key. */
export function writePlan(plan: KeyedSurvey, context: PlanContext): WrittenPlan {
  const roleName = `${context.namePrefix}-reencrypt`;
  const roleArn = `arn:${plan.partition}:iam::${plan.account}:role/${roleName}`;
  const jobs = plan.destinations.flatMap((survey, index) => jobsOf(survey, index, plan, context, roleArn));
  const trustPolicy: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "BatchOperationsOfThisAccount",
        Effect: "Allow",
        Principal: { Service: "batchoperations.s3.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": plan.account } },
      },
    ],
  };
  const permissionsPolicy = permissions(plan, jobs, context);
  const files: Record<string, string> = {};
  if (jobs.length > 0) {
    for (const job of jobs) {
      files[`job-${job.name}.json`] = json(job.request);
      if (job.manifest !== undefined) files[`manifest-${job.name}.csv`] = job.manifest;
    }
    files["trust-policy.json"] = json(trustPolicy);
    files["permissions-policy.json"] = json(permissionsPolicy);
    files["README.md"] = runbook(plan, context, { jobs, roleName, roleArn, trustPolicy, permissionsPolicy });
  }
  return { jobs, roleName, roleArn, trustPolicy, permissionsPolicy, files };
}
