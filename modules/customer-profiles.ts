import { Construct } from "constructs";
import { CustomerprofilesDomain } from "@cdktf/provider-aws/lib/customerprofiles-domain";
import { AwsAccount } from "./aws-account";
import { EncryptionKey } from "./encryption-key";
import { Condition, applyCondition } from "./condition";

export interface CustomerProfilesProps {
  readonly account: AwsAccount;
  readonly encryptionKey: EncryptionKey;
  readonly domainName: string;
  /**
   * Days a profile is kept when nothing sets another expiry.
   * @default 366
   */
  readonly defaultExpirationDays?: number;
  /**
   * Whether the domain exists (a Terraform expression in the module).
   * @default true
   */
  readonly enabled?: Condition;
  readonly tags?: Readonly<Record<string, string>>;
}

/** A Customer Profiles domain whose default encryption key is the customer-managed key. */
export class CustomerProfiles extends Construct {
  readonly domain: CustomerprofilesDomain;

  constructor(scope: Construct, id: string, props: CustomerProfilesProps) {
    super(scope, id);
    props.encryptionKey.allowService(
      "CustomerProfilesEncryptsProfiles",
      "profile.amazonaws.com",
      ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey*"],
      { StringEquals: { "aws:SourceAccount": props.account.accountId } },
      props.enabled ?? true,
    );
    this.domain = applyCondition(
      new CustomerprofilesDomain(this, "Resource", {
        domainName: props.domainName,
        defaultEncryptionKey: props.encryptionKey.keyArn,
        defaultExpirationDays: props.defaultExpirationDays ?? 366,
        tags: props.tags,
      }),
      props.enabled ?? true,
    );
  }
}
