/** In every test file: the Terraform runner's schema-only commands use the provider process the global setup shared. */
import { shareProvider } from "../../modules/cli/check/terraform";
import { SHARED_PROVIDER_ENV } from "./shared-provider";

shareProvider(process.env[SHARED_PROVIDER_ENV]);
