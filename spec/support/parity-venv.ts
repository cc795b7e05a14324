/**
 * The one virtualenv that runs Python Haystack under MLflow's own `mlflow.haystack.autolog()` for the
 * parity specs (pipelines and agents): the pins of python/requirements-mlflow-haystack.txt, keyed by
 * its mlflow and haystack-ai versions. The first run installs it (about 100 s); later runs read a marker.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..", "..");
const VENV_VAR = "MLFLOW_HAYSTACK_PARITY_VENV";

/** The pinned requirements file of the parity virtualenv. */
export const PARITY_REQUIREMENTS = join(ROOT, "python", "requirements-mlflow-haystack.txt");

/** Haystack sends anonymous usage telemetry unless told not to; tests never reach the internet. */
export const PARITY_PYTHON_ENV = { HAYSTACK_TELEMETRY_ENABLED: "False" };

// A plain JS script shared with other Python-backed tooling; typed here at its use.
const { ensurePythonVenv } = require("../../scripts/python-venv") as {
  ensurePythonVenv(options: {
    requirementsFile: string;
    packageName: string;
    importCheck: string;
    venvEnvVar: string;
    logPrefix: string;
    env: Record<string, string>;
  }): { python: string };
};

/** The `name==<version>` pin of a file in python/. */
export function pinOf(file: string, name: string): string {
  const line = readFileSync(join(ROOT, "python", file), "utf8")
    .split("\n")
    .find((l) => new RegExp(`^${name}(\\[[\\w,]+\\])?==`).test(l.trim()));
  if (line === undefined) throw new Error(`python/${file} has no ${name}==<version> line`);
  return line.trim().slice(line.indexOf("==") + 2);
}

/** Installs the parity virtualenv if needed and returns its python. */
export function ensureParityVenv(): string {
  const cache = process.env["XDG_CACHE_HOME"] ?? join(homedir(), ".cache");
  const key = `mlflow-${pinOf("requirements-mlflow-haystack.txt", "mlflow")}+haystack-ai-${pinOf("requirements-mlflow-haystack.txt", "haystack-ai")}`;
  process.env[VENV_VAR] ??= join(cache, "mlflow-haystack", key, "venv");
  const started = Date.now();
  const { python } = ensurePythonVenv({
    requirementsFile: PARITY_REQUIREMENTS,
    packageName: "haystack-ai",
    importCheck: "import mlflow.haystack, haystack_integrations.tracing.opentelemetry",
    venvEnvVar: VENV_VAR,
    logPrefix: "parity-venv",
    // pip reads PIP_REQUIREMENT as `-r <file>`: the whole file is installed next to the pinned package.
    env: { ...PARITY_PYTHON_ENV, PIP_REQUIREMENT: PARITY_REQUIREMENTS },
  });
  process.stderr.write(`[parity] mlflow + haystack-ai virtualenv ready in ${Date.now() - started} ms\n`);
  return python;
}
