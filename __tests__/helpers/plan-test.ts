/** The offline plan test lives in modules/terraform-check/ (shared with `npm run check`). */
export * from "../../modules/cli/terraform-check/plan-test";
