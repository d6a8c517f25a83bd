/**
 * One AWS call as the read-only commands (verify, discover, reencrypt-plan)
 * make it: an access-denied answer becomes a MissingPermission naming the IAM
 * action, so a check reports which permission it lacks; credential errors
 * pass through and stop the run.
 */
/** Errors that mean the credentials themselves are wrong: no check can run. */
export const CREDENTIAL_ERRORS = new Set([
  "CredentialsProviderError",
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
]);
const ACCESS_DENIED = new Set(["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationErrorException"]);

export class MissingPermission extends Error {
  constructor(readonly action: string) {
    super(`missing permission ${action}`);
  }
}

/** Runs one AWS call; an access-denied answer becomes a MissingPermission naming the IAM action. */
export async function call<T>(action: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    const name = (error as { name?: string }).name ?? "";
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (ACCESS_DENIED.has(name) || (status === 403 && !CREDENTIAL_ERRORS.has(name))) throw new MissingPermission(action);
    throw error;
  }
}
