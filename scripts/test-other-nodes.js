#!/usr/bin/env node
// Runs the unit suites again on Node 22 and 24, whose AsyncLocalStorage works differently from
// Node 20's. Set MLFLOW_HAYSTACK_SKIP_OTHER_NODES=1 to skip. Extra arguments go to jest.
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");
const { OTHER_NODE_VERSIONS, ensureNodeRuntime } = require("./node-runtimes");

if (process.env.MLFLOW_HAYSTACK_SKIP_OTHER_NODES === "1") {
  process.stdout.write("MLFLOW_HAYSTACK_SKIP_OTHER_NODES=1: unit suites on Node 22 and 24 skipped\n");
  process.exit(0);
}
const root = path.resolve(__dirname, "..");
const jest = require.resolve("jest/bin/jest");
let failed = false;
for (const version of OTHER_NODE_VERSIONS) {
  const binary = ensureNodeRuntime(version);
  process.stdout.write(`\n=== unit suites on Node ${version} ===\n`);
  const run = spawnSync(binary, [jest, ...process.argv.slice(2), "--selectProjects", "unit", "legacy-decorators"], {
    cwd: root,
    stdio: "inherit",
  });
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
