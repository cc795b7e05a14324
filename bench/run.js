#!/usr/bin/env node
// Runs a benchmark file on this Node and on Node 22 and 24: `node bench/run.js bench/tracing.bench.ts`.
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");
const { OTHER_NODE_VERSIONS, ensureNodeRuntime } = require("../scripts/node-runtimes");

const file = process.argv[2] || "bench/tracing.bench.ts";
const root = path.resolve(__dirname, "..");
const binaries = [process.execPath, ...OTHER_NODE_VERSIONS.map(ensureNodeRuntime)];
for (const binary of binaries) {
  const run = spawnSync(binary, ["--expose-gc", "-r", "ts-node/register/transpile-only", file], { cwd: root, stdio: "inherit" });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
