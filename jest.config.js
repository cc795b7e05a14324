/** Every test runs from `npm test`: unit specs (TC39 decorators), the decorator specs again in
 * legacy `experimentalDecorators` mode, and integration specs against real loopback servers. */
const fs = require("node:fs");
const path = require("node:path");
const tsJest = (tsconfig) => ({ "^.+\\.ts$": ["ts-jest", { tsconfig, diagnostics: { warnOnly: false } }] });

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      transform: tsJest("tsconfig.json"),
      testMatch: ["<rootDir>/spec/**/*.spec.ts"],
      testPathIgnorePatterns: ["/node_modules/", "<rootDir>/spec/integration/"],
    },
    {
      displayName: "legacy-decorators",
      testEnvironment: "node",
      transform: tsJest("tsconfig.legacy-decorators.json"),
      testMatch: ["<rootDir>/spec/**/*.decorators.spec.ts"],
    },
    fs.existsSync(path.join(__dirname, "spec/support/global-setup.ts")) && {
      displayName: "integration",
      testEnvironment: "node",
      transform: tsJest("tsconfig.json"),
      testMatch: ["<rootDir>/spec/integration/**/*.spec.ts"],
      globalSetup: "<rootDir>/spec/support/global-setup.ts",
      globalTeardown: "<rootDir>/spec/support/global-teardown.ts",
      testTimeout: 120000,
    },
  ].filter(Boolean),
};
