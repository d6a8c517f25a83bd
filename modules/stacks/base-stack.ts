import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Construct, Node } from "constructs";
import { ISynthesisSession, TerraformElement, TerraformLocal, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
// cdktf's own hook for writing files beside a stack's JSON (its assets use it); not re-exported from the package root.
import { addCustomSynthesis } from "cdktf/lib/synthesize/synthesizer";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";

/**
 * Provider versions the synthesized configuration admits. The bindings are
 * generated from 6.x, but only arguments that 5.100 also knows are used, so
 * teams still on 5.100 can apply it (and it is validated against 5.100 here).
 */
export const AWS_PROVIDER_CONSTRAINT = ">= 5.100.0, < 7.0.0";
/** S3-native state locking (`use_lockfile`) needs 1.10. */
export const TERRAFORM_VERSION_CONSTRAINT = ">= 1.10.0";

/** The file beside each synthesized configuration (and in the module) that carries the Terraform version constraint. */
export const VERSIONS_FILE = "versions.tf";

/**
 * `required_version` is written in HCL beside the JSON instead of inside it:
 * Checkov's Terraform JSON parser stops on a string-valued
 * `terraform.required_version` (bridgecrewio/checkov#7454, unfixed) and then
 * scans nothing at all. Terraform merges the two `terraform` blocks.
 */
export function renderVersionsFile(): string {
  return [
    "# Written by synthesis with the JSON beside it; Terraform merges both terraform blocks.",
    "# Kept out of the JSON so that Checkov can parse it (bridgecrewio/checkov#7454).",
    "terraform {",
    `  required_version = "${TERRAFORM_VERSION_CONSTRAINT}"`,
    "}",
    "",
  ].join("\n");
}

export interface AwsTarget {
  readonly region: string;
  /** The provider refuses to run against any other account. @default any account */
  readonly accountId?: string;
  /** Role the provider assumes. @default the caller's own credentials */
  readonly assumeRoleArn?: string;
  /** Tags on every resource. */
  readonly tags: Readonly<Record<string, string>>;
  /** Session name when assuming the role, visible in CloudTrail. */
  readonly sessionName: string;
}

/**
 * A stack with the package's conventions: the AWS provider pinned to one
 * account and Region, version constraints that admit 5.100 and 6.x, and
 * readable Terraform addresses.
 */
export class BaseStack extends TerraformStack {
  private readonly logicalIds = new Map<string, string>();

  /** @param target where the provider points; none for a module, whose caller configures the provider. */
  constructor(scope: Construct, name: string, target?: AwsTarget) {
    super(scope, name);
    this.addOverride("terraform.required_providers.aws", { source: "hashicorp/aws", version: AWS_PROVIDER_CONSTRAINT });
    addCustomSynthesis(this, {
      onSynthesize: (session: ISynthesisSession) => {
        const directory = join(session.outdir, session.manifest.forStack(this).workingDirectory);
        writeFileSync(join(directory, VERSIONS_FILE), renderVersionsFile());
      },
    });
    if (target) this.addProvider(undefined, target);
  }

  /**
   * cdktf's preparation resolves the whole stack once more, to discover
   * cross-stack references; these stacks have none (each environment stands
   * alone) and always configure their backend, so that pass is skipped.
   */
  override prepareStack(): void {}

  private rendered?: unknown;

  /**
   * Rendered once: the guardrails read the same configuration that synthesis
   * then writes (and synthesis does not pay for rendering twice).
   */
  override toTerraform(): any {
    this.rendered ??= super.toTerraform();
    return this.rendered;
  }

  /** The AWS provider for `target`: the default one, or one with `alias` (e.g. another Region's). */
  protected addProvider(alias: string | undefined, target: AwsTarget): AwsProvider {
    return new AwsProvider(this, alias ? `aws_${alias}` : "aws", {
      alias,
      region: target.region,
      allowedAccountIds: target.accountId ? [target.accountId] : undefined,
      assumeRole: target.assumeRoleArn ? [{ roleArn: target.assumeRoleArn, sessionName: target.sessionName }] : undefined,
      defaultTags: [{ tags: { ...target.tags } }],
    });
  }

  /**
   * Terraform addresses follow the construct path in snake_case, without
   * cdktf's hash suffix (a construct's main resource is called `Resource` and
   * takes its parent's name): `aws_kms_key.key`, `aws_s3_bucket.recordings`,
   * `aws_s3_bucket_policy.recordings_policy`. Readable in plans and for
   * `terraform state` commands, and stable while the construct tree is.
   */
  protected override allocateLogicalId(element: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(element) ? element.node : element;
    const scopes = node.scopes;
    const path = scopes
      .slice(scopes.indexOf(this) + 1)
      .map((scope) => scope.node.id)
      .filter((id) => id !== "Resource");
    const logicalId = path
      .join("_")
      .replace(/[^A-Za-z0-9_]+/g, "_")
      .toLowerCase();
    // Outputs, variables and locals have namespaces of their own; resources and data sources share one here.
    const namespace = TerraformOutput.isTerraformOutput(element)
      ? "output."
      : element instanceof TerraformVariable
        ? "var."
        : element instanceof TerraformLocal
          ? "local."
          : "";
    const claim = `${namespace}${logicalId}`;
    const owner = this.logicalIds.get(claim);
    if (owner !== undefined && owner !== node.path) {
      throw new Error(`Terraform name ${logicalId} is claimed by both ${owner} and ${node.path}; rename one construct`);
    }
    this.logicalIds.set(claim, node.path);
    return logicalId;
  }

  protected output(id: string, value: unknown, description: string): void {
    new TerraformOutput(this, id, { value, description });
  }
}
