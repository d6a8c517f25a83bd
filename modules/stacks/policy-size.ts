/** How large a policy is as IAM counts it, and how a large one becomes policies IAM accepts. */
import type { PolicyDocument, PolicyStatement } from "../config/policy";

/**
 * IAM quotas (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length):
 * a managed policy holds at most 6,144 characters and a role's inline
 * policies 10,240 together, whitespace not counted.
 */
export const MANAGED_POLICY_MAX_CHARACTERS = 6144;

/** A role's inline policies hold 10,240 characters together (same IAM quotas page). */
export const INLINE_POLICY_MAX_CHARACTERS = 10240;

/** The characters IAM counts in a policy: its JSON without whitespace outside strings. */
export function policyCharacters(document: PolicyDocument): number {
  return JSON.stringify(document).length;
}

/**
 * The document split, statement by statement in order, into as few
 * documents as fit a managed policy each: attach them all to the deployer
 * role when the whole is too large for one.
 */
export function managedPolicyParts(document: PolicyDocument, limit = MANAGED_POLICY_MAX_CHARACTERS): PolicyDocument[] {
  const parts: PolicyStatement[][] = [];
  for (const statement of document.Statement) {
    const current = parts[parts.length - 1];
    if (current && policyCharacters(documentOf([...current, statement])) <= limit) current.push(statement);
    else if (policyCharacters(documentOf([statement])) > limit)
      throw new Error(`deployer policy: statement ${statement.Sid} alone exceeds ${limit} characters`);
    else parts.push([statement]);
  }
  return parts.map(documentOf);
}

function documentOf(statements: readonly PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** The permissions of one role: inline when they fit IAM's 10,240 characters, else managed policies of up to 6,144 each. */
export function permissionParts(document: PolicyDocument): { readonly inline: boolean; readonly parts: readonly PolicyDocument[] } {
  return policyCharacters(document) <= INLINE_POLICY_MAX_CHARACTERS
    ? { inline: true, parts: [document] }
    : { inline: false, parts: managedPolicyParts(document) };
}
