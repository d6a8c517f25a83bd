/**
 * Which declaration file the commands read: the one CONNECT_ENCRYPTION_CONFIG
 * names, as synthesis (main.ts) reads it, so that every command works on the
 * stacks the user synthesized.
 */

/**
 * CONNECT_ENCRYPTION_CONFIG, else cdktf.json; an empty variable is an unset
 * one, as in the shell's ${VAR:-default}. Kept as given: the file system
 * resolves a relative path against the working directory and leaves an
 * absolute one alone, which is what a user typing it means.
 */
export function declarationFile(env: NodeJS.ProcessEnv): string {
  return env.CONNECT_ENCRYPTION_CONFIG || "cdktf.json";
}
