#!/usr/bin/env node
// Makes sure a Python virtualenv holding the pinned MLflow (python/requirements-mlflow.txt) exists
// and prints its path. The integration tests run a real `mlflow server` and the Python SDK from it.
//
// Location: $MLFLOW_HAYSTACK_PYTHON_VENV, else ${XDG_CACHE_HOME:-~/.cache}/mlflow-haystack/mlflow-<version>/venv.
// Idempotent: a marker file is written only after a successful install, so a present venv costs
// one stat. A lock directory keeps two concurrent runs (e.g. parallel jest projects) from clobbering.
// Python interpreter: $MLFLOW_HAYSTACK_PYTHON, else python3.
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const requirementsFile = path.join(root, "python", "requirements-mlflow.txt");
const LOCK_STALE_MS = 30 * 60 * 1000;

function pinnedRequirement() {
  const lines = fs.readFileSync(requirementsFile, "utf8").split("\n");
  const pin = lines.map((l) => l.trim()).find((l) => /^mlflow(\[[\w,]+\])?==\S+$/.test(l));
  if (!pin) throw new Error(`${requirementsFile} must contain one line "mlflow[extras]==<version>"`);
  return { requirement: pin, version: pin.slice(pin.indexOf("==") + 2) };
}

function venvDir(version) {
  const override = process.env.MLFLOW_HAYSTACK_PYTHON_VENV;
  if (override) return path.resolve(override);
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(cache, "mlflow-haystack", `mlflow-${version}`, "venv");
}

function log(message) {
  process.stderr.write(`[ensure-mlflow] ${message}\n`);
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
function withLock(lockDir, fn) {
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

function ensure() {
  const { requirement, version } = pinnedRequirement();
  const venv = venvDir(version);
  const marker = path.join(venv, ".mlflow-haystack-installed");
  const ready = () => fs.existsSync(marker) && fs.readFileSync(marker, "utf8").trim() === requirement;
  if (ready()) return venv;

  withLock(`${venv}.lock`, () => {
    if (ready()) return;
    const python = process.env.MLFLOW_HAYSTACK_PYTHON || "python3";
    const venvPython = path.join(venv, "bin", "python");
    if (!fs.existsSync(venvPython)) {
      log(`creating virtualenv ${venv} with ${python}`);
      fs.rmSync(venv, { recursive: true, force: true });
      fs.mkdirSync(path.dirname(venv), { recursive: true });
      execFileSync(python, ["-m", "venv", venv], { stdio: ["ignore", "inherit", "inherit"] });
    }
    log(`installing ${requirement} (first run takes a few minutes)`);
    const started = Date.now();
    execFileSync(
      venvPython,
      ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--progress-bar", "off", requirement],
      { stdio: ["ignore", process.stderr, "inherit"], env: { ...process.env, PIP_NO_INPUT: "1" } },
    );
    execFileSync(venvPython, ["-c", "import mlflow, mlflow.server"], { stdio: ["ignore", "inherit", "inherit"] });
    fs.writeFileSync(marker, `${requirement}\n`);
    log(`installed ${requirement} in ${Math.round((Date.now() - started) / 1000)}s`);
  });
  return venv;
}

if (require.main === module) {
  try {
    process.stdout.write(`${ensure()}\n`);
  } catch (err) {
    log(`failed: ${err && err.message ? err.message : String(err)}`);
    process.exit(1);
  }
}

module.exports = { ensure, pinnedRequirement, venvDir };
