/**
 * Runs Python Haystack's side of bench/haystack-vs-python.bench.ts: makes sure the pinned
 * `haystack-ai` virtualenv exists (scripts/python-venv.js, cached per user), hands the corpus to
 * bench/support/haystack_bench.py through a temp file and reads its JSON result back.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BenchCorpus } from "./haystack-corpus";

/** What haystack_bench.py measures for one pipeline shape, per component run. */
export interface PythonPipelineTimings {
  direct: { ns_per_component_run: number };
  pipeline: { ns_per_component_run: number };
  outputs: unknown;
}

/** One BM25 algorithm on the Python side: timings and, per query, the top-k `[id, score]` pairs. */
export interface PythonBm25Result {
  ms_per_query: number;
  median_ms_per_query: number;
  write_ms: number;
  results: [string, number][][];
}

/** The JSON haystack_bench.py writes. */
export interface PythonResult {
  haystack_version: string;
  python_version: string;
  pipelines: Record<"chain3" | "graph20", PythonPipelineTimings>;
  bm25: Record<string, PythonBm25Result | undefined>;
}

/** What the Python side is asked to run besides the corpus. */
export interface PythonBenchSpec {
  topK: number;
  algorithms: readonly string[];
  roundSeconds: number;
  rounds: number;
}

interface PythonVenv {
  python: string;
  requirement: string;
}

// A plain JS script shared with other Python-backed tooling; typed here at its one use.
const { ensurePythonVenv } = require("../../scripts/python-venv") as {
  ensurePythonVenv(options: {
    requirementsFile: string;
    packageName: string;
    importCheck: string;
    venvEnvVar: string;
    env: Record<string, string>;
  }): PythonVenv;
};

// Haystack sends anonymous usage telemetry unless told not to; benches never reach the internet.
const PYTHON_ENV = { HAYSTACK_TELEMETRY_ENABLED: "False" };

/** Installs (first run only) and runs Python Haystack on `corpus`; throws if the Python side fails. */
export function runPythonHaystack(corpus: BenchCorpus, spec: PythonBenchSpec): PythonResult {
  const root = path.resolve(__dirname, "..", "..");
  const venv = ensurePythonVenv({
    requirementsFile: path.join(root, "python", "requirements-haystack.txt"),
    packageName: "haystack-ai",
    importCheck: "import haystack.document_stores.in_memory, haystack.components.retrievers.in_memory",
    venvEnvVar: "MLFLOW_HAYSTACK_HAYSTACK_VENV",
    env: PYTHON_ENV,
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "haystack-bench-"));
  try {
    const specFile = path.join(dir, "spec.json");
    const outFile = path.join(dir, "out.json");
    fs.writeFileSync(
      specFile,
      JSON.stringify({
        ...corpus,
        top_k: spec.topK,
        algorithms: spec.algorithms,
        pipeline: { round_seconds: spec.roundSeconds, rounds: spec.rounds },
      }),
    );
    process.stderr.write(`running Python Haystack (${venv.requirement})…\n`);
    const run = spawnSync(venv.python, [path.join(__dirname, "haystack_bench.py"), specFile, outFile], {
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, ...PYTHON_ENV },
    });
    if (run.error !== undefined) throw new Error(`could not start ${venv.python}: ${run.error.message}`);
    if (run.status !== 0) throw new Error(`the Python side exited with ${String(run.status ?? run.signal)}; see its output above`);
    return JSON.parse(fs.readFileSync(outFile, "utf8")) as PythonResult;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
