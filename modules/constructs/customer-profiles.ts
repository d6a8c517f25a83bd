import { Construct } from "constructs";
import { CustomerprofilesDomain } from "@cdktf/provider-aws/lib/customerprofiles-domain";
import { AwsAccount } from "./aws-account";
import { EncryptionKey } from "./encryption-key";
import { Condition, applyCondition, attributeOf } from "./condition";

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

/** What Customer Profiles does with the domain's key (Connect admin guide, see below). */
export const CUSTOMER_PROFILES_KEY_ACTIONS = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey"] as const;

/**
 * A Customer Profiles domain whose default encryption key is the
 * customer-managed key. Linking the domain to the Connect instance is a
 * Customer Profiles integration (PutIntegration with the instance ARN as its
 * URI), which the AWS provider has no resource for: the
 * `customer_profiles_integration_command` output gives the exact command.
 */
export class CustomerProfiles extends Construct {
  readonly domain: CustomerprofilesDomain;
  readonly domainArn: string;
  readonly enabled: Condition;

  constructor(scope: Construct, id: string, props: CustomerProfilesProps) {
    super(scope, id);
    const enabled = props.enabled ?? true;
    this.enabled = enabled;
    const key = props.encryptionKey;
    // Not an attribute of the domain resource: the ARN Customer Profiles names as aws:SourceArn.
    this.domainArn = props.account.arn("profile", `domains/${props.domainName}`);
    // Connect admin guide, "Enable Customer Profiles for your instance" and "Cross-service
    // confused deputy prevention" (https://docs.aws.amazon.com/connect/latest/adminguide/enable-customer-profiles.html,
    // https://docs.aws.amazon.com/connect/latest/adminguide/cross-service-confused-deputy-prevention.html):
    // Customer Profiles needs GenerateDataKey, CreateGrant and Decrypt on the domain's key,
    // scoped to this account and this domain.
    key.allowService(
      "CustomerProfilesEncryptsProfiles",
      "profile.amazonaws.com",
      CUSTOMER_PROFILES_KEY_ACTIONS,
      {
        StringEquals: { "aws:SourceAccount": props.account.accountId },
        ArnEquals: { "aws:SourceArn": this.domainArn },
      },
      enabled,
    );
    // CreateDomain with a DefaultEncryptionKey checks the key with the caller's credentials:
    // without the account-root statement (prod), nothing else would let the deployer do it.
    // Only through Customer Profiles in this Region, and no Decrypt.
    key.addToPolicy(
      {
        Sid: "DeployerCreatesProfilesDomainWithKey",
        Effect: "Allow",
        Principal: { AWS: key.deployerArns },
        Action: ["kms:CreateGrant", "kms:DescribeKey", "kms:GenerateDataKey"],
        Resource: "*",
        Condition: { StringEquals: { "kms:ViaService": props.account.viaService("profile") } },
      },
      enabled,
    );
    this.domain = applyCondition(
      new CustomerprofilesDomain(this, "Resource", {
        domainName: props.domainName,
        defaultEncryptionKey: key.keyArn,
        defaultExpirationDays: props.defaultExpirationDays ?? 366,
        tags: props.tags,
      }),
      enabled,
    );
  }

  /** The domain's name (null in the module when the domain is off). */
  get domainName(): string {
    return attributeOf(this.domain, "domain_name", this.enabled);
  }
}
