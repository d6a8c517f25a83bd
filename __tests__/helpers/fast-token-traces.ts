// Synthesis in tests skips cdktf's token stack traces as main.ts does.
import { skipTokenStackTraces } from "../../modules/stacks/token-stack-traces";

skipTokenStackTraces();

// The verifier's tests build SDK clients, as `npm run verify` does: the same switch keeps the SDK's Node.js 20 notice out of the output.
import { quietSdkNodeVersionWarning } from "../../modules/cli/node-support";

quietSdkNodeVersionWarning();
