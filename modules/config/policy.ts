/**
 * IAM / KMS / S3 policy documents as typed values. Policies are rendered with
 * Terraform's own `jsonencode`, so references inside them stay expressions
 * (which also keeps an HCL rendering of the output valid).
 */
import { Fn } from "cdktf";

export type ConditionBlock = Record<string, Record<string, string | readonly string[]>>;

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  /** Resource policies (key, bucket, trust) name a principal; identity policies do not. */
  readonly Principal?:
    | "*"
    | {
        readonly AWS?: string | readonly string[];
        readonly Service?: string | readonly string[];
        /** An identity provider (SAML or OIDC), in trust policies of roles assumed with a web identity. */
        readonly Federated?: string;
      };
  readonly Action: string | readonly string[];
  /** Absent only in trust policies, which IAM refuses with a Resource. */
  readonly Resource?: string | readonly string[];
  readonly Condition?: ConditionBlock;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

export function policyDocument(statements: readonly PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** The document as a Terraform `jsonencode(...)` expression. */
export function renderPolicy(document: PolicyDocument): string {
  return Fn.jsonencode(document);
}
