/**
 * The AWS SDK for JavaScript prints a multi-line NodeVersionSupportWarning on
 * Node.js 20 (its releases after January 2027 need Node.js 22). This package
 * pins SDK versions that run on Node.js 20, and states the supported range in
 * package.json `engines` and the README, so our commands turn that one
 * warning off with the SDK's own switch for it, which touches no other
 * warning. Setting AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=false
 * brings it back.
 */
export const SDK_NODE_WARNING_SWITCH = "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED";

export function quietSdkNodeVersionWarning(env: NodeJS.ProcessEnv = process.env): void {
  if (env[SDK_NODE_WARNING_SWITCH] === undefined) env[SDK_NODE_WARNING_SWITCH] = "true";
}
