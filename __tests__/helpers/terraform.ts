/** The Terraform runner lives in modules/cli/check/ (shared with `npm run check`). */
export * from "../../modules/cli/check/terraform";
