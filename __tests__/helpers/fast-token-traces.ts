// Synthesis in tests skips cdktf's token stack traces as main.ts does.
import { skipTokenStackTraces } from "../../modules/token-stack-traces";

skipTokenStackTraces();
