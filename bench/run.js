#!/usr/bin/env node
// Compiles a benchmark with tsc and runs the JavaScript on this Node and, unless --this-node, on
// Node 22 and 24: `node bench/run.js bench/tracing.bench.ts`. Running under ts-node would keep the
// TypeScript compiler's heap in the process, and its garbage collection would distort the figures.
"use strict";
const { execFileSync, spawnSync } = require("node:child_process");
const path = require("node:path");
const { OTHER_NODE_VERSIONS, ensureNodeRuntime } = require("../scripts/node-runtimes");

const args = process.argv.slice(2);
const thisNodeOnly = args.includes("--this-node");
const file = args.find((a) => !a.startsWith("--")) || "bench/tracing.bench.ts";
const root = path.resolve(__dirname, "..");
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.bench.json"], { cwd: root, stdio: "inherit" });
const compiled = path.join(root, ".bench-build", file.replace(/\.ts$/, ".js"));
const binaries = [process.execPath, ...(thisNodeOnly ? [] : OTHER_NODE_VERSIONS.map(ensureNodeRuntime))];
for (const binary of binaries) {
  const run = spawnSync(binary, ["--expose-gc", compiled], { cwd: root, stdio: "inherit" });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
