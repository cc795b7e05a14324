// Official Node binaries for other major versions, from the npm packages node-<platform>-<arch>,
// installed once into a per-user cache folder (not node_modules, where their `node` bin would
// shadow the Node that runs npm scripts).
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

/** Exact versions the project tests and benchmarks on, besides the Node running npm. */
const OTHER_NODE_VERSIONS = ["22.23.5", "24.22.3"];

function cacheRoot() {
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "mlflow-haystack");
}

/** Path of the node binary for `version`, installing it on first use. */
function ensureNodeRuntime(version) {
  const pkg = `node-${process.platform}-${process.arch}`;
  const dir = path.join(cacheRoot(), `${pkg}-${version}`);
  const binary = path.join(dir, "node_modules", pkg, "bin", process.platform === "win32" ? "node.exe" : "node");
  if (fs.existsSync(binary)) return binary;
  fs.mkdirSync(dir, { recursive: true });
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const install = spawnSync(npm, ["install", "--no-save", "--no-audit", "--no-fund", "--prefix", dir, `${pkg}@${version}`], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (install.status !== 0 || !fs.existsSync(binary)) {
    throw new Error(`could not install ${pkg}@${version} into ${dir}; run that npm install by hand to see why`);
  }
  return binary;
}

module.exports = { OTHER_NODE_VERSIONS, ensureNodeRuntime };
