import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";

/**
 * Where the stack runs, read from the provider at plan time so that no
 * account ID or partition is written into the configuration.
 */
export class AwsAccount extends Construct {
  /** The 12-digit account ID of the credentials that run Terraform. */
  readonly accountId: string;
  /** The caller's ARN (for an assumed role: the session ARN). */
  readonly callerArn: string;
  /** `aws`, `aws-us-gov` or `aws-cn`. */
  readonly partition: string;
  /** The Region the resources are created in. */
  readonly region: string;

  /**
   * @param props.region the Region, when known at synthesis; otherwise read
   * from the provider (`data.aws_region`'s `id`, the same in provider 5 and 6).
   */
  constructor(scope: Construct, id: string, props: { readonly region?: string; readonly provider?: TerraformProvider } = {}) {
    super(scope, id);
    const provider = props.provider;
    this.region = props.region ?? new DataAwsRegion(this, "region", { provider }).id;
    const caller = new DataAwsCallerIdentity(this, "caller", { provider });
    const partition = new DataAwsPartition(this, "partition", { provider });
    this.accountId = caller.accountId;
    this.callerArn = caller.arn;
    this.partition = partition.partition;
  }

  /** `arn:<partition>:iam::<account>:root`: the account as a principal. */
  get rootArn(): string {
    return `arn:${this.partition}:iam::${this.accountId}:root`;
  }

  /** The `kms:ViaService` value for requests that `service` (e.g. `s3`, `kinesis`) makes in this Region. */
  viaService(service: string): string {
    return `${service}.${this.region}.amazonaws.com`;
  }

  /** An ARN in this account and Region. */
  arn(service: string, resource: string): string {
    return `arn:${this.partition}:${service}:${this.region}:${this.accountId}:${resource}`;
  }

  /** Matches the service-linked role of every Connect instance in this account. */
  get connectServiceRolePattern(): string {
    return `arn:${this.partition}:iam::${this.accountId}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_*`;
  }
}
