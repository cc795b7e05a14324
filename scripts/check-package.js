#!/usr/bin/env node
// Checks the tarball users would install, not the working tree: packs the current build (no
// lifecycle scripts, so it never rebuilds under a running test) and runs
// @arethetypeswrong/cli (types resolve under node10, node16 from CJS and ESM, bundler) and
// publint (exports, files and fields agree) on it. `npm test` builds first.
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlflow-haystack-pack-"));
try {
  const packed = JSON.parse(execFileSync(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: root, encoding: "utf8" }));
  const tarball = path.join(dir, packed[0].filename);
  execFileSync(bin("attw"), [tarball, "--profile", "strict"], { cwd: root, stdio: "inherit" });
  execFileSync(bin("publint"), ["run", tarball, "--strict"], { cwd: root, stdio: "inherit" });
} catch (error) {
  process.stderr.write(`package check failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
