/** Tests are TypeScript, transpiled by esbuild without type-checking (that is `npm run typecheck`). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": "<rootDir>/scripts/jest-esbuild-transform.js" },
  moduleFileExtensions: ["ts", "js", "json"],
  setupFiles: ["<rootDir>/__tests__/helpers/fast-token-traces.ts", "<rootDir>/__tests__/helpers/use-shared-provider.ts"],
  // Every test runs at least one assertion.
  setupFilesAfterEnv: ["<rootDir>/__tests__/helpers/has-assertions.ts"],
  // Terraform and the AWS provider, checked once: without them the run stops with one line saying what to do.
  // It also starts the provider process that schema-only Terraform commands share; the teardown stops it.
  globalSetup: "<rootDir>/__tests__/helpers/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/helpers/global-teardown.ts",
  testTimeout: 120000,
  // Most of the suite waits on Terraform and its provider: use both cores (jest defaults to cores - 1).
  maxWorkers: 2,
};
