#!/usr/bin/env node
// Runs the unit suites again on Node 22 and 24, whose AsyncLocalStorage works differently from
// Node 20's. The runtimes come from the optional dependencies node-22 / node-24 (npm packages of
// the official binaries); where a platform has none, that version is reported as skipped.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const jest = require.resolve("jest/bin/jest");
let failed = false;
for (const pkg of ["node-22", "node-24"]) {
  const binary = path.join(root, "node_modules", pkg, "bin", "node");
  if (!fs.existsSync(binary)) {
    process.stdout.write(`${pkg}: runtime not installed on this platform, skipped\n`);
    continue;
  }
  const version = spawnSync(binary, ["--version"], { encoding: "utf8" }).stdout.trim();
  process.stdout.write(`\n=== unit suites on Node ${version} ===\n`);
  const run = spawnSync(binary, [jest, "--selectProjects", "unit", "legacy-decorators", ...process.argv.slice(2)], {
    cwd: root,
    stdio: "inherit",
  });
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
