#!/usr/bin/env node
// Makes sure a Chromium for the browser test (spec/integration/mlflow-ui.spec.ts) is installed and
// prints its path. Uses $CHROMIUM_PATH when set, else the first of chromium / chromium-browser /
// google-chrome on PATH. When none is found: as root, installs Debian's `chromium` package
// (`apt-get update` once, then `apt-get install -y --no-install-recommends chromium`); otherwise
// fails with one line saying what to install. Never downloads Playwright's own browsers.
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const CANDIDATES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

function log(message) {
  process.stderr.write(`[ensure-chromium] ${message}\n`);
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The first Chromium found: $CHROMIUM_PATH, then PATH, then /usr/bin (PATH may be trimmed). */
function findChromium() {
  const override = process.env.CHROMIUM_PATH;
  if (override) {
    if (isExecutable(override)) return override;
    throw new Error(`CHROMIUM_PATH=${override} is not an executable file; point it at a Chromium binary or unset it.`);
  }
  const dirs = (process.env.PATH || "").split(path.delimiter).filter(Boolean);
  for (const name of CANDIDATES) {
    for (const dir of [...dirs, "/usr/bin"]) {
      const file = path.join(dir, name);
      if (isExecutable(file)) return file;
    }
  }
  return undefined;
}

function installWithApt() {
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const opts = { stdio: ["ignore", process.stderr, "inherit"], env };
  log("Chromium not found: installing Debian's chromium package (apt-get update, then apt-get install)");
  const started = Date.now();
  execFileSync("apt-get", ["update"], opts);
  execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], opts);
  log(`installed in ${Math.round((Date.now() - started) / 1000)}s`);
}

function ensure() {
  const found = findChromium();
  if (found) return found;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const hasApt = isExecutable("/usr/bin/apt-get");
  if (!isRoot || !hasApt) {
    throw new Error("Chromium is missing: install it (Debian/Ubuntu: `sudo apt-get install chromium`) or set CHROMIUM_PATH to a Chromium binary.");
  }
  installWithApt();
  const installed = findChromium();
  if (!installed) throw new Error("apt-get installed chromium but no chromium binary is on PATH or in /usr/bin.");
  return installed;
}

if (require.main === module) {
  try {
    process.stdout.write(`${ensure()}\n`);
  } catch (err) {
    log(`failed: ${err && err.message ? err.message : String(err)}`);
    process.exit(1);
  }
}

module.exports = { ensure, findChromium };
