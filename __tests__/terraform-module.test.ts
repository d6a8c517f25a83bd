/**
 * The Terraform module in module/ (and its disaster-recovery submodule in
 * module/modules/replica): generated as HCL from the same construct as the
 * stacks, committed, and golden-tested with `terraform fmt -check` and
 * `terraform validate`. The examples that use it, as users do, are in
 * terraform-examples.test.ts.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { MODULE_DIRECTORY } from "../modules/terraform-module/connect-encryption-module";
import { renderAllModuleFiles, synthesizeModule } from "../modules/terraform-module/module-files";
import {
  MODULE_DOCS_FILE,
  RELEASE_REF,
  moduleDataSources,
  moduleTables,
  pinnedUsage,
  withModuleTables,
} from "../modules/terraform-module/module-docs";
import { REPLICA_MODULE_DIRECTORY } from "../modules/terraform-module/replica-module";
import { CHECKOV_SKIPS, checkovSkipComments } from "../modules/terraform-module/checkov-skips";
import { initAndValidate, terraform } from "./helpers/terraform";
import { synth, Json } from "./helpers/synth";

const ROOT = resolve(__dirname, "..");
const files = renderAllModuleFiles();
const tfModule: Json = synthesizeModule().json;
const replica: Json = synthesizeModule("replica").json;
const main = files[join(MODULE_DIRECTORY, "main.tf")];

describe("the module artifact", () => {
  test.each(Object.keys(files))("%s is committed and up to date (run `npm run render` if this fails)", (file) => {
    expect(readFileSync(join(ROOT, file), "utf8")).toBe(files[file]);
  });

  test("is plain HCL, laid out as terraform-aws-modules are: no Terraform JSON is left in the module folders", () => {
    for (const directory of [MODULE_DIRECTORY, REPLICA_MODULE_DIRECTORY]) {
      const committed = readdirSync(join(ROOT, directory)).filter((f) => /\.tf(\.json)?$/.test(f));
      expect(committed.sort()).toEqual(["main.tf", "outputs.tf", "variables.tf", "versions.tf"]);
    }
    expect(existsSync(join(ROOT, MODULE_DIRECTORY, "main.tf.json"))).toBe(false);
    // Every resource and data source of the construct is declared in main.tf, every input and output in its own file.
    for (const section of ["resource", "data"]) {
      for (const [type, byName] of Object.entries<Json>(tfModule[section])) {
        for (const name of Object.keys(byName)) expect(main).toContain(`${section} "${type}" "${name}" {`);
      }
    }
    for (const name of Object.keys(tfModule.variable))
      expect(files[join(MODULE_DIRECTORY, "variables.tf")]).toContain(`variable "${name}" {`);
    for (const name of Object.keys(tfModule.output)) expect(files[join(MODULE_DIRECTORY, "outputs.tf")]).toContain(`output "${name}" {`);
  });

  test("configures no provider, backend or cloud block, and requires Terraform and an AWS provider that admit 5.100 and 6.x", () => {
    expect(tfModule.provider).toBeUndefined();
    expect(tfModule.terraform).toEqual({
      required_version: ">= 1.10.0",
      required_providers: { aws: { source: "hashicorp/aws", version: ">= 5.100.0, < 7.0.0" } },
    });
    const versions = files[join(MODULE_DIRECTORY, "versions.tf")];
    expect(versions).toContain('required_version = ">= 1.10.0"');
    expect(versions).not.toContain("configuration_aliases");
    for (const [file, text] of Object.entries(files)) {
      expect([file, /^\s*(provider|backend|cloud)\s*("[^"]*"\s*)?\{/m.test(text) && file.endsWith(".tf")]).toEqual([file, false]);
      expect([file, /\/work\/|\/tmp\//.test(text)]).toEqual([file, false]);
    }
  });

  test("exactly one folder declares the main key: the copy's key is the replica module's, through the provider its caller passes", () => {
    const keyFolders = Object.entries(files)
      .filter(([file, text]) => file.endsWith("main.tf") && text.includes('resource "aws_kms_key" "key" {'))
      .map(([file]) => file);
    expect(keyFolders.sort()).toEqual([join(MODULE_DIRECTORY, "main.tf"), join(REPLICA_MODULE_DIRECTORY, "main.tf")]);
    expect(replica.resource.aws_kms_key.key.description).toBe("Disaster-recovery copy of Amazon Connect customer content");
    // No aliased provider anywhere: each module uses the one its caller passes.
    for (const json of [tfModule, replica]) {
      expect(json.terraform.required_providers.aws.configuration_aliases).toBeUndefined();
      for (const byName of Object.values<Json>(json.resource))
        for (const body of Object.values<Json>(byName)) expect(body.provider).toBeUndefined();
    }
  });

  test("every policy of both modules is an aws_iam_policy_document: no jsonencode to read through, optional statements as dynamic blocks", () => {
    for (const [label, json] of [
      ["module", tfModule],
      ["replica", replica],
    ] as const) {
      for (const [type, byName] of Object.entries<Json>(json.resource)) {
        for (const [name, body] of Object.entries<Json>(byName)) {
          for (const attribute of ["policy", "assume_role_policy"].filter((a) => body[a] !== undefined)) {
            expect([label, `${type}.${name}.${attribute}`, body[attribute]]).toEqual([
              label,
              `${type}.${name}.${attribute}`,
              expect.stringMatching(/^\$\{(one\()?data\.aws_iam_policy_document\.[a-z_]+(\[\*\])?\.json\)?\}$/),
            ]);
          }
        }
      }
    }
    // (The alerts rule's event pattern is the one jsonencode left: it is no policy.)
    for (const file of [join(MODULE_DIRECTORY, "main.tf"), join(REPLICA_MODULE_DIRECTORY, "main.tf")])
      expect([file, files[file].match(/^ *[a-z_]+ += jsonencode\(/gm)?.map((m) => m.trim()) ?? []]).toEqual([
        file,
        file.startsWith("module/main") ? ["event_pattern = jsonencode("] : [],
      ]);
    // The key policy: the statements that always exist as blocks, the optional ones as dynamic blocks over their condition.
    const keyPolicy = tfModule.data.aws_iam_policy_document.key_policy_document;
    expect(keyPolicy.statement.map((s: Json) => s.sid)).toEqual(
      expect.arrayContaining(["AccountRootAdministersKey", "DeployerDescribesKey", "DeployerCreatesConnectGrants"]),
    );
    expect(keyPolicy.dynamic.statement.map((d: Json) => [d.content.sid, d.for_each])).toEqual(
      expect.arrayContaining([["KeyAdministrators", "${(length(var.key_administrators) >= 1) ? [1] : []}"]]),
    );
    expect(main).toMatch(/dynamic "statement" \{\n {4}for_each = \(length\(var\.key_administrators\) >= 1\) \? \[1\] : \[\]\n/);
    // A document is counted as its resource is: the attachments bucket's exists with that bucket only.
    expect(tfModule.data.aws_iam_policy_document.attachments_policy_document.count).toBe(tfModule.resource.aws_s3_bucket.attachments.count);
  });

  test("each Checkov finding the module keeps is skipped on the blocks it concerns, with its reason, and no skip is stale", () => {
    const addresses = (json: Json) =>
      (["resource", "data"] as const).flatMap((section) =>
        Object.entries<Json>(json[section] ?? {}).flatMap(([type, byName]) =>
          Object.keys(byName).map((name) => `${section}.${type}.${name}`),
        ),
      );
    const all = [...addresses(tfModule), ...addresses(replica)];
    for (const skip of CHECKOV_SKIPS) {
      expect([skip.checks.join(), all.filter((a) => skip.blocks.test(a)).length > 0]).toEqual([skip.checks.join(), true]);
      expect(skip.reason.length).toBeGreaterThan(40);
    }
    // Rendered inside the block, where Checkov's Terraform runner reads per-resource skips.
    expect(main).toMatch(
      /data "aws_iam_policy_document" "key_policy_document" \{\n {2}# checkov:skip=CKV_AWS_109: a key policy, where Resource "\*" means this key/,
    );
    expect(main).toMatch(/resource "aws_cloudtrail" "key_alerts_trail" \{\n {2}# checkov:skip=CKV_AWS_252: /);
    expect(checkovSkipComments("resource.aws_s3_bucket.recordings")).toEqual([]);
  });

  test("the main module replicates into what the replica module outputs, and only when replication is given", () => {
    expect(tfModule.variable.replication.default).toBeNull();
    expect(tfModule.resource.aws_s3_bucket_replication_configuration.replica.count).toBe("${(var.replication != null) ? 1 : 0}");
    expect(tfModule.resource.aws_s3_bucket_replication_configuration.replica_logs_replication.count).toBe(
      "${((var.replication != null) && var.access_logs_enabled) ? 1 : 0}",
    );
    expect(tfModule.resource.aws_iam_role_policy.replica_role_policy.role).toBe("${try(var.replication.role_name, null)}");
    expect(tfModule.resource.aws_iam_role_policy.replica_role_policy.policy).toBe(
      "${one(data.aws_iam_policy_document.replica_role_policy_document[*].json)}",
    );
    const rolePolicy = JSON.stringify(tfModule.data.aws_iam_policy_document.replica_role_policy_document);
    expect(rolePolicy).toContain('"values":["s3.${data.aws_region.account_region.id}.amazonaws.com"]');
    expect(rolePolicy).toContain('"values":["s3.${try(var.replication.region, null)}.amazonaws.com"]');
    // The replica module's output has exactly the fields the main module's input takes.
    const fields = (type: string) => [...type.matchAll(/(\w+) = (?:optional\()?(?:string|bool)/g)].map((m) => m[1]).sort();
    expect(Object.keys(replica.output.replication.value).sort()).toEqual(fields(tfModule.variable.replication.type));
    expect(Object.keys(tfModule.output.replica_settings.value).sort()).toEqual(
      [...replica.variable.primary.type.matchAll(/(\w+) = /g)]
        .map((m) => m[1])
        .filter((f) => !["mode", "days", "years"].includes(f))
        .sort(),
    );
    // The replica's outputs wait until the copy can receive objects.
    expect(replica.output.replication.depends_on).toEqual(expect.arrayContaining(["${aws_s3_bucket_versioning.bucket_versioning}"]));
    // The replica key's alias must fit KMS's limit: the replica module checks it, the main module checks -alerts.
    expect(replica.variable.primary.validation[0].condition).toContain('-dr") <= 256');
  });

  test("has the same outputs as a stack with every option on (and replica_settings, for the replica module)", () => {
    const everything = synth({
      bucket: { objectLock: { mode: "GOVERNANCE", days: 30, lockedTypes: ["CALL_RECORDINGS"] }, replication: { region: "eu-west-1" } },
      storage: { ATTACHMENTS: { enabled: true } },
      alerts: { createTrail: true },
      customerProfiles: { enabled: true },
    });
    expect(Object.keys(tfModule.output).sort()).toEqual([...Object.keys(everything.json.output), "replica_settings"].sort());
  });

  test("reads account, partition and Region from the caller's provider", () => {
    expect(Object.keys(tfModule.data).sort()).toEqual(expect.arrayContaining(["aws_caller_identity", "aws_partition", "aws_region"]));
    expect(main).not.toMatch(/"(eu|us|ap|ca|sa|me|af)-[a-z]+-[0-9]"/);
  });

  test("documents every input and output, and validates the risky ones", () => {
    for (const [name, variable] of Object.entries<Json>(tfModule.variable)) {
      expect([name, variable.description]).toEqual([name, expect.stringMatching(/\w/)]);
      expect(variable.type).toBeTruthy();
    }
    for (const name of [
      "name",
      "instance_alias",
      "instance_id",
      "key_alias",
      "key_rotation_period_in_days",
      "key_deletion_window_in_days",
      "key_administrators",
      "key_users",
      "s3_storage",
      "stream_retention_hours",
      "media_streams_retention_hours",
      "contact_trace_records_destination",
    ]) {
      expect([name, (tfModule.variable[name].validation?.length ?? 0) > 0]).toEqual([name, true]);
    }
    expect(tfModule.variable.s3_storage.default).toEqual({
      ATTACHMENTS: {},
      CALL_RECORDINGS: {},
      CHAT_TRANSCRIPTS: {},
      SCREEN_RECORDINGS: {},
    });
    for (const output of Object.values<Json>(tfModule.output)) expect(output.description).toMatch(/\w/);
  });

  test("only name is required: the instance alias defaults to it, and the rule between instance_alias and instance_id names both", () => {
    const required = Object.entries<Json>(tfModule.variable)
      .filter(([, v]) => !("default" in v))
      .map(([name]) => name);
    expect(required).toEqual(["name"]);
    const messages = [...tfModule.variable.instance_alias.validation, ...tfModule.variable.instance_id.validation].map(
      (v: Json) => v.error_message as string,
    );
    expect(messages.filter((m) => m.includes("instance_alias") && m.includes("instance_id")).length).toBe(2);
    expect(tfModule.resource.aws_connect_instance.connect.instance_alias).toBe("${coalesce(var.instance_alias, var.name)}");
  });

  test("docs/terraform-module.md carries the same generated tables (run `npm run render` if this fails)", () => {
    const page = readFileSync(join(ROOT, MODULE_DOCS_FILE), "utf8");
    expect(withModuleTables(page, moduleTables(tfModule))).toBe(page);
    expect(page).toContain("| key_rotation_period_in_days |");
  });

  test("every generated file's header names the file that generates it and the npm script that runs it, both real", () => {
    const scripts = Object.keys(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts);
    for (const [file, text] of Object.entries(files)) {
      // The header is the leading comment: `#` lines in HCL, one `<!-- -->` line in Markdown.
      const header = file.endsWith(".md") ? (/^<!--(.*?)-->/.exec(text)?.[1] ?? "") : (/^(?:#.*\n)+/.exec(text)?.[0] ?? "");
      const script = /`npm run ([a-z-]+)`/.exec(header)?.[1];
      const sources = [...header.matchAll(/\b(modules\/[\w./-]+\.ts)\b/g)].map((m) => m[1]);
      expect([file, script !== undefined && scripts.includes(script)]).toEqual([file, true]);
      expect([file, sources.length > 0]).toEqual([file, true]);
      for (const source of sources) expect([file, source, existsSync(join(ROOT, source))]).toEqual([file, source, true]);
    }
  });

  test("the module READMEs pin their usage to the package's version, whatever ref the usage text carries", () => {
    const version = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;
    expect(RELEASE_REF).toBe(`v${version}`);
    expect(
      pinnedUsage(
        'source = "git::https://x/y.git//module?ref=v9.9.9"\nsource = "git::https://x/y.git//module/modules/replica?ref=<version>"',
      ),
    ).toBe(
      `source = "git::https://x/y.git//module?ref=${RELEASE_REF}"\nsource = "git::https://x/y.git//module/modules/replica?ref=${RELEASE_REF}"`,
    );
    for (const directory of [MODULE_DIRECTORY, REPLICA_MODULE_DIRECTORY])
      expect(files[join(directory, "README.md")]).toContain(`?ref=${RELEASE_REF}"`);
  });

  test("the data sources table says which inputs make each data source exist (its count) and whether reading it calls AWS", () => {
    const byAddress = (json: Json) => Object.fromEntries(moduleDataSources(json).map((d) => [d.address, d]));
    const sources = byAddress(tfModule);
    expect(Object.keys(sources).sort()).toEqual(
      Object.entries<Json>(tfModule.data)
        .flatMap(([type, byName]) => Object.keys(byName).map((name) => `data.${type}.${name}`))
        .sort(),
    );
    expect(sources["data.aws_caller_identity.account_caller"]).toEqual({
      address: "data.aws_caller_identity.account_caller",
      provider: "aws",
      condition: undefined,
      calls: "STS GetCallerIdentity",
      reads: ["account_id", "arn"],
    });
    expect(sources["data.aws_connect_instance.connect_existing"]).toMatchObject({
      condition: "!var.create_instance",
      calls: expect.stringContaining("DescribeInstance"),
    });
    expect(sources["data.aws_iam_session_context.deployer"]).toMatchObject({
      condition: "length(var.key_deployers) < 1",
      calls: expect.stringContaining("GetRole"),
      reads: ["issuer_arn"],
    });
    for (const quiet of ["data.aws_partition.account_partition", "data.aws_region.account_region"]) expect(sources[quiet].calls).toBeNull();
    // The replica module's own lookups go through the provider its caller passes, and its caller identity calls STS there too.
    expect(byAddress(replica)["data.aws_caller_identity.account_caller"]).toMatchObject({
      provider: "aws",
      calls: "STS GetCallerIdentity",
      reads: ["account_id"],
    });
    expect(files[join(REPLICA_MODULE_DIRECTORY, "README.md")]).toContain(
      "| `data.aws_caller_identity.account_caller` | `aws` | always | yes: STS GetCallerIdentity |",
    );
    // A data source whose calls nobody has classified stops the rendering instead of being documented as either.
    expect(() => moduleDataSources({ data: { aws_availability_zones: { zones: {} } } })).toThrow(
      /DATA_SOURCE_CALLS.*aws_availability_zones/,
    );
  });

  test("the module READMEs' tables list every input and output", () => {
    for (const [directory, json] of [
      [MODULE_DIRECTORY, tfModule],
      [REPLICA_MODULE_DIRECTORY, replica],
    ] as const) {
      const readme = files[join(directory, "README.md")];
      for (const name of [...Object.keys(json.variable), ...Object.keys(json.output)]) expect(readme).toContain(`| ${name} |`);
    }
  });

  test("makes every optional part conditional on the inputs instead of leaving it out", () => {
    expect(tfModule.resource.aws_connect_instance.connect.count).toBe("${var.create_instance ? 1 : 0}");
    expect(tfModule.data.aws_connect_instance.connect_existing.count).toBe("${!var.create_instance ? 1 : 0}");
    expect(tfModule.resource.aws_kinesis_firehose_delivery_stream.ctr_firehose.count).toBe(
      '${(var.contact_trace_records_destination == "firehose") ? 1 : 0}',
    );
    expect(tfModule.resource.aws_connect_instance_storage_config.storage_email_messages.count).toBe(
      '${contains(keys(var.s3_storage), "EMAIL_MESSAGES") ? 1 : 0}',
    );
    // The key and the bucket are never conditional, and never destroyable.
    expect(tfModule.resource.aws_kms_key.key.count).toBeUndefined();
    expect(tfModule.resource.aws_kms_key.key.lifecycle).toEqual({ prevent_destroy: true });
    expect(tfModule.resource.aws_s3_bucket.recordings.lifecycle).toEqual({ prevent_destroy: true });
    // ... and the HCL says so too.
    expect(main).toMatch(/resource "aws_kms_key" "key" \{\n(?:(?!\n\}).)*lifecycle \{\n {4}prevent_destroy = true\n {2}\}/s);
    expect(main).toMatch(/resource "aws_connect_instance" "connect" \{\n {2}count = var\.create_instance \? 1 : 0\n/);
    expect(main).toMatch(
      / dynamic "expiration" \{\n +for_each = \(var\.expire_after_days == null\) \? \[\] : \[var\.expire_after_days\]\n/,
    );
  });
});

describe("the module with real Terraform", () => {
  // Copies of the module folders (Terraform writes .terraform/ into the directory it runs in).
  const workspace = mkdtempSync(join(tmpdir(), "connect-kms-module-"));
  cpSync(join(ROOT, MODULE_DIRECTORY), join(workspace, MODULE_DIRECTORY), { recursive: true });

  // Terraform validates and plans both variants as the examples call them (terraform-examples.test.ts):
  // a root's validation covers its modules, so no separate run here.
  test("is `terraform fmt` clean", () => {
    const result = terraform(join(workspace, MODULE_DIRECTORY), ["fmt", "-check", "-recursive"]); // fails on unformatted HCL, listing the files
    expect(result.output.trim()).toBe("");
  });

  test("an input the table marks required is required by Terraform too; the optional ones are left out by the minimal example", () => {
    const required = Object.entries<Json>(tfModule.variable).filter(([, v]) => !("default" in v));
    const root = join(workspace, "required-inputs");
    cpSync(join(workspace, MODULE_DIRECTORY), join(root, "module"), { recursive: true });
    for (const [name] of required) {
      const others = required.filter(([other]) => other !== name).map(([other]) => `  ${other} = "acme-connect-dev"\n`);
      writeFileSync(
        join(root, "main.tf"),
        `provider "aws" {\n  region = "eu-west-2"\n}\n\nmodule "connect_encryption" {\n  source = "./module"\n${others.join("")}}\n`,
      );
      expect(() => initAndValidate(root)).toThrow(new RegExp(`Missing required argument[\\s\\S]*"${name}" is required`));
    }
  });
});
