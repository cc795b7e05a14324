#!/usr/bin/env node
// Makes sure a per-user cached Python virtualenv holding one pinned package exists, and returns its
// paths. The generalised form of scripts/ensure-mlflow.js (same layout, marker, lock and env vars):
//
//   const { ensurePythonVenv } = require("./python-venv");
//   const { venv, python } = ensurePythonVenv({ requirementsFile, packageName: "haystack-ai", importCheck: "import haystack" });
//
// Location: $<venvEnvVar> if given and set, else ${XDG_CACHE_HOME:-~/.cache}/mlflow-haystack/<package>-<version>/venv.
// Idempotent: a marker file holding the requirement is written only after a successful install and
// import check, so a ready venv costs one read. A lock directory keeps concurrent runs from clobbering.
// Python interpreter: $MLFLOW_HAYSTACK_PYTHON, else python3.
//
// CLI: node scripts/python-venv.js <requirements file> <package name> [import check]   (prints the venv path)
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const LOCK_STALE_MS = 30 * 60 * 1000;

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The single `<package>[extras]==<version>` line of a requirements file. */
function pinnedRequirement(requirementsFile, packageName) {
  const lines = fs.readFileSync(requirementsFile, "utf8").split("\n");
  const pattern = new RegExp(`^${escapeRegExp(packageName)}(\\[[\\w,]+\\])?==\\S+$`);
  const pin = lines.map((l) => l.trim()).find((l) => pattern.test(l));
  if (!pin) throw new Error(`${requirementsFile} must contain one line "${packageName}==<version>" (extras allowed)`);
  return { requirement: pin, version: pin.slice(pin.indexOf("==") + 2) };
}

/** Where the venv for `packageName==version` lives (see the header for the override). */
function venvDir(packageName, version, venvEnvVar) {
  const override = venvEnvVar ? process.env[venvEnvVar] : undefined;
  if (override) return path.resolve(override);
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(cache, "mlflow-haystack", `${packageName}-${version}`, "venv");
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}

/** mkdir is atomic: the first run holds the lock, the others wait; a dead holder's lock is taken over. */
function withLock(lockDir, log, fn) {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, "pid"), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== "EEXIST") throw err;
      let holder = NaN;
      try {
        holder = Number(fs.readFileSync(path.join(lockDir, "pid"), "utf8"));
      } catch {
        // holder is between mkdir and writing its pid
      }
      const age = Date.now() - fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs;
      if ((Number.isInteger(holder) && !pidAlive(holder)) || age > LOCK_STALE_MS) {
        log(`removing stale lock ${lockDir}`);
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!announced) log(`waiting for another install (pid ${holder}) holding ${lockDir}`);
      announced = true;
      sleep(1000);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

/**
 * Ensures the venv exists with the pinned package installed; returns `{ venv, python, requirement, version }`.
 * Options: `requirementsFile`, `packageName`, `importCheck` (Python code run after installing),
 * `venvEnvVar` (env var overriding the location), `logPrefix`, `env` (extra env for pip and the check).
 */
function ensurePythonVenv(options) {
  const { requirementsFile, packageName, importCheck, venvEnvVar, env = {} } = options;
  const logPrefix = options.logPrefix || `ensure-${packageName}`;
  const log = (message) => process.stderr.write(`[${logPrefix}] ${message}\n`);
  const { requirement, version } = pinnedRequirement(requirementsFile, packageName);
  const venv = venvDir(packageName, version, venvEnvVar);
  const venvPython = path.join(venv, "bin", "python");
  const marker = path.join(venv, ".mlflow-haystack-installed");
  const ready = () => fs.existsSync(marker) && fs.readFileSync(marker, "utf8").trim() === requirement;
  const result = { venv, python: venvPython, requirement, version };
  if (ready()) return result;

  withLock(`${venv}.lock`, log, () => {
    if (ready()) return;
    const python = process.env.MLFLOW_HAYSTACK_PYTHON || "python3";
    if (!fs.existsSync(venvPython)) {
      log(`creating virtualenv ${venv} with ${python}`);
      fs.rmSync(venv, { recursive: true, force: true });
      fs.mkdirSync(path.dirname(venv), { recursive: true });
      execFileSync(python, ["-m", "venv", venv], { stdio: ["ignore", "inherit", "inherit"] });
    }
    log(`installing ${requirement} (first run only)`);
    const started = Date.now();
    const childEnv = { ...process.env, PIP_NO_INPUT: "1", ...env };
    execFileSync(venvPython, ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--progress-bar", "off", requirement], {
      stdio: ["ignore", process.stderr, "inherit"],
      env: childEnv,
    });
    if (importCheck) execFileSync(venvPython, ["-c", importCheck], { stdio: ["ignore", "inherit", "inherit"], env: childEnv });
    fs.writeFileSync(marker, `${requirement}\n`);
    log(`installed ${requirement} in ${Math.round((Date.now() - started) / 1000)}s`);
  });
  return result;
}

if (require.main === module) {
  const [requirementsFile, packageName, importCheck] = process.argv.slice(2);
  if (!requirementsFile || !packageName) {
    process.stderr.write("usage: node scripts/python-venv.js <requirements file> <package name> [import check]\n");
    process.exit(2);
  }
  try {
    process.stdout.write(`${ensurePythonVenv({ requirementsFile: path.resolve(requirementsFile), packageName, importCheck }).venv}\n`);
  } catch (err) {
    process.stderr.write(`[python-venv] failed: ${err && err.message ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

module.exports = { ensurePythonVenv, pinnedRequirement, venvDir, withLock };
