/** Every test runs from `npm test`: unit specs (TC39 decorators), the decorator specs again in
 * legacy `experimentalDecorators` mode, and integration specs against real loopback servers
 * (a real `mlflow server` started once by the integration project's global setup). */
const tsJest = (tsconfig) => ({ "^.+\\.ts$": ["ts-jest", { tsconfig, diagnostics: { warnOnly: false } }] });
const localStore = "<rootDir>/spec/support/jest-local-store.ts";

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      transform: tsJest("tsconfig.json"),
      testMatch: ["<rootDir>/spec/**/*.spec.ts"],
      // `*.legacy.spec.ts` use decorators that exist only under experimentalDecorators (NestJS's).
      testPathIgnorePatterns: ["/node_modules/", "<rootDir>/spec/integration/", "\\.legacy\\.spec\\.ts$"],
      setupFilesAfterEnv: [localStore],
    },
    {
      displayName: "legacy-decorators",
      testEnvironment: "node",
      transform: tsJest("tsconfig.legacy-decorators.json"),
      testMatch: ["<rootDir>/spec/**/*.decorators.spec.ts", "<rootDir>/spec/**/*.legacy.spec.ts"],
      setupFilesAfterEnv: [localStore],
    },
    {
      displayName: "integration",
      testEnvironment: "node",
      transform: tsJest("tsconfig.json"),
      testMatch: ["<rootDir>/spec/integration/**/*.spec.ts"],
      globalSetup: "<rootDir>/spec/support/global-setup.ts",
      globalTeardown: "<rootDir>/spec/support/global-teardown.ts",
      // testTimeout is a global-only option; this sets 120 s for the integration project alone.
      setupFilesAfterEnv: [localStore, "<rootDir>/spec/support/integration-timeout.ts"],
    },
  ],
};
