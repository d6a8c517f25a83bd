import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";

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

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const caller = new DataAwsCallerIdentity(this, "caller");
    const partition = new DataAwsPartition(this, "partition");
    this.accountId = caller.accountId;
    this.callerArn = caller.arn;
    this.partition = partition.partition;
  }

  /** `arn:<partition>:iam::<account>:root`: the account as a principal. */
  get rootArn(): string {
    return `arn:${this.partition}:iam::${this.accountId}:root`;
  }

  /** Matches the service-linked role of every Connect instance in this account. */
  get connectServiceRolePattern(): string {
    return `arn:${this.partition}:iam::${this.accountId}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_*`;
  }
}
