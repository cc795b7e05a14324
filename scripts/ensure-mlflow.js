#!/usr/bin/env node
// Makes sure a Python virtualenv holding the pinned MLflow (python/requirements-mlflow.txt) exists
// and prints its path. The integration tests run a real `mlflow server` and the Python SDK from it.
//
// Location: $MLFLOW_HAYSTACK_PYTHON_VENV, else ${XDG_CACHE_HOME:-~/.cache}/mlflow-haystack/mlflow-<version>/venv.
// Installed once (a marker is written after a successful install), under a lock so concurrent runs
// don't clobber each other; see scripts/python-venv.js. Interpreter: $MLFLOW_HAYSTACK_PYTHON, else python3.
"use strict";
const path = require("node:path");
const { ensurePythonVenv } = require("./python-venv");

const requirementsFile = path.resolve(__dirname, "..", "python", "requirements-mlflow.txt");

function ensure() {
  return ensurePythonVenv({
    requirementsFile,
    packageName: "mlflow",
    importCheck: "import mlflow, mlflow.server",
    venvEnvVar: "MLFLOW_HAYSTACK_PYTHON_VENV",
    logPrefix: "ensure-mlflow",
  }).venv;
}

if (require.main === module) {
  try {
    process.stdout.write(`${ensure()}\n`);
  } catch (err) {
    process.stderr.write(`[ensure-mlflow] failed: ${err && err.message ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

module.exports = { ensure };
