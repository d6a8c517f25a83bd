/** Tests are TypeScript, transpiled by esbuild without type-checking (that is `npm run typecheck`). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": "<rootDir>/scripts/jest-esbuild-transform.js" },
  moduleFileExtensions: ["ts", "js", "json"],
  setupFiles: ["<rootDir>/__tests__/helpers/fast-token-traces.ts"],
  testTimeout: 120000,
  // Most of the suite waits on Terraform and its provider: use both cores (jest defaults to cores - 1).
  maxWorkers: 2,
};
