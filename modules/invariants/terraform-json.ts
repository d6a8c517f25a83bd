/** The shapes the invariants read: a synthesized stack's Terraform JSON, and a policy document as AWS evaluates it. */
export type Json = Record<string, any>;
export type PolicyDocument = { readonly Version: string; readonly Statement: readonly Json[] };
