/** The offline plan test lives in modules/cli/check/ (shared with `npm run check`). */
export * from "../../modules/cli/check/plan-test";
