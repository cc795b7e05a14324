/**
 * The three exporters the throughput benchmark compares, each run once against one server:
 * ours (BatchProcessor + MlflowRestClient, wired as exporter.ts wires them), the per-trace
 * baseline (MLflow TypeScript SDK style), and the Python `mlflow` SDK with async logging.
 */
import { join } from "node:path";
import { BatchProcessor } from "../../lib/export/batch/processor";
import { MlflowApi } from "../../lib/export/mlflow/api";
import { MlflowRestClient } from "../../lib/export/clients/mlflow-rest-client";
import { connectionFor } from "../../lib/export/destination/config";
import { sdkState } from "../../lib/internal/global-state";
import type { Trace } from "../../lib/tracing/trace";
import { buildTraces, materialize, SPANS_PER_TRACE } from "./bench-traces";
import { exportSequentially, exportUnbounded } from "./per-trace-export";
import { runPython } from "./processes";

/** One case's figures. `exportMs` is absent when export and building overlap (Python). */
export interface CaseResult {
  readonly name: string;
  readonly traces: number;
  readonly failed: number;
  /** Building the traces on the caller's path (startSpan), wall ms. */
  readonly buildMs: number;
  /** From the first trace handed over to the last acknowledged, wall ms. */
  readonly exportMs: number | undefined;
  /** Build + export (Python: both, overlapped). */
  readonly endToEndMs: number;
  /** Client process CPU during the export alone (ours and the baseline). */
  readonly exportCpuMs: number | undefined;
  /** Client process CPU, building included. */
  readonly totalCpuMs: number;
  /** The experiment the case wrote to. */
  readonly experimentId: string;
  /** Server CPU during the case, when it can be read. */
  serverCpuMs?: number | undefined;
}

/** Variants of our exporter. */
export interface OursOptions {
  readonly name?: string;
  /** MlflowRestClient `otlp` (default true: spans via /v1/traces, no artifact upload). */
  readonly otlp?: boolean;
  /** BatchProcessor `sizeOf` (default: length of the trace's JSON). */
  readonly sizeOf?: (trace: Trace) => number;
  /** MlflowRestClient `spansOnly` (one OTLP request per batch, no StartTraceV3). */
  readonly spansOnly?: boolean;
  /** BatchProcessor `maxBatchSize` (default 100). */
  readonly maxBatchSize?: number;
}

/** Where a case sends its traces. */
export interface Target {
  readonly url: string;
  /** A fresh experiment per case, so each case's traces can be counted. */
  newExperiment(label: string): Promise<string>;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Builds `n` traces and times it (wall and CPU); lazy assembly is paid here so export time is export only. */
export function timedBuild(n: number, offset: number): { traces: Trace[]; buildMs: number; buildCpuMs: number; assemblyCpuMs: number } {
  const cpu0 = process.cpuUsage();
  const t0 = nowMs();
  const traces = buildTraces(n, offset);
  const buildMs = nowMs() - t0;
  const buildCpuMs = cpuMs(cpu0);
  const cpu1 = process.cpuUsage();
  materialize(traces);
  return { traces, buildMs, buildCpuMs, assemblyCpuMs: cpuMs(cpu1) };
}

/** Times `exportAll` (wall and CPU; it resolves to the number of failed traces) after `build`. */
export async function timedExport(
  name: string,
  experimentId: string,
  build: { traces: Trace[]; buildMs: number; buildCpuMs: number; assemblyCpuMs: number },
  exportAll: () => Promise<number>,
): Promise<CaseResult> {
  const cpu0 = process.cpuUsage();
  const t0 = nowMs();
  const failed = await exportAll();
  const exportMs = nowMs() - t0;
  const exportCpuMs = cpuMs(cpu0);
  return {
    name,
    traces: build.traces.length,
    failed,
    experimentId,
    buildMs: build.buildMs,
    exportMs,
    endToEndMs: build.buildMs + exportMs,
    exportCpuMs,
    totalCpuMs: build.buildCpuMs + build.assemblyCpuMs + exportCpuMs,
  };
}

let offset = 0;

/** Names the comparisons look up. */
export const OURS = "ours: BatchProcessor + MlflowRestClient";
export const SEQUENTIAL = "per trace, sequential (baseline)";
export const UNBOUNDED = "per trace, all at once";
/** Ours in spans-only mode: the record Python's OTLP export writes. */
export const SPANS_ONLY = "ours, spansOnly: true (OTLP batches only)";

/** Ours, as exporter.ts wires it: one BatchProcessor (default batching) over an MlflowRestClient. */
export async function runOurs(target: Target, n: number, options: OursOptions = {}): Promise<CaseResult & { assemblyCpuMs: number }> {
  const name = options.name ?? OURS;
  const experimentId = await target.newExperiment("ours");
  const client = new MlflowRestClient({
    trackingUri: target.url,
    experiment: { experimentId },
    spansOnly: options.spansOnly ?? false,
    ...(options.otlp === undefined ? {} : { otlp: options.otlp }),
  });
  const processor = new BatchProcessor<Trace>(client, {
    maxQueueSize: Math.max(2048, n),
    flushOnExit: false,
    runOutsideTracing: (fn) => sdkState().context.exit(fn),
    ...(options.sizeOf === undefined ? {} : { sizeOf: options.sizeOf }),
    ...(options.maxBatchSize === undefined ? {} : { maxBatchSize: options.maxBatchSize }),
  });
  const build = timedBuild(n, (offset += n));
  const result = await timedExport(name, experimentId, build, async () => {
    for (const t of build.traces) processor.enqueue(t);
    return n - (await processor.flush()).exported;
  });
  await processor.shutdown();
  return { ...result, assemblyCpuMs: build.assemblyCpuMs };
}

/** The MLflow-TypeScript-SDK-style baseline: StartTraceV3 + artifact PUT per trace. */
export async function runPerTrace(target: Target, n: number, mode: "sequential" | "unbounded"): Promise<CaseResult> {
  const experimentId = await target.newExperiment(`per-trace-${mode}`);
  const api = new MlflowApi(connectionFor(target.url));
  const build = timedBuild(n, (offset += n));
  const result = await timedExport(mode === "sequential" ? SEQUENTIAL : UNBOUNDED, experimentId, build, () =>
    sdkState().context.exit(() =>
      mode === "sequential" ? exportSequentially(api, build.traces, experimentId) : exportUnbounded(api, build.traces, experimentId),
    ),
  );
  api.close();
  return result;
}

interface PythonOutput {
  mlflow: string;
  experiment_id: string;
  traces: number;
  build_s: number;
  total_s: number;
  cpu_s: number;
}

/** The Python SDK (default async logging) in the venv; its queue is sized so it drops nothing. */
export async function runPythonSdk(target: Target, python: string, n: number, label: string): Promise<CaseResult & { version: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: "1" };
  for (const key of Object.keys(env)) if (key.startsWith("MLFLOW_TRACKING_") || key.startsWith("MLFLOW_EXPERIMENT_")) delete env[key];
  // Default 1000 tasks; the SDK queues one task per span and per trace, and drops when full.
  env["MLFLOW_ASYNC_TRACE_LOGGING_MAX_QUEUE_SIZE"] = String(Math.max(1000, (SPANS_PER_TRACE + 1) * n));
  const script = join(__dirname, "python_log_traces.py");
  const out = (await runPython(python, script, [target.url, String(n), `bench-python-${label}-${Date.now()}`], env, 600_000)) as PythonOutput;
  return {
    name: `Python mlflow ${out.mlflow} SDK, async logging`,
    traces: n,
    failed: 0,
    buildMs: out.build_s * 1000,
    exportMs: undefined,
    endToEndMs: out.total_s * 1000,
    exportCpuMs: undefined,
    totalCpuMs: out.cpu_s * 1000,
    experimentId: out.experiment_id,
    version: out.mlflow,
  };
}

/** A target on a real MLflow server: experiments made through the REST API, traces counted by search. */
export function mlflowTarget(url: string): Target & { countTraces(experimentId: string): Promise<number> } {
  const api = new MlflowApi(connectionFor(url));
  return {
    url,
    async newExperiment(label: string): Promise<string> {
      return (await api.createExperiment(`bench-${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`)).experiment_id;
    },
    async countTraces(experimentId: string): Promise<number> {
      let count = 0;
      let pageToken: string | undefined;
      do {
        const res = await fetch(`${url}/api/3.0/mlflow/traces/search`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            locations: [{ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: experimentId } }],
            max_results: 500,
            ...(pageToken === undefined ? {} : { page_token: pageToken }),
          }),
        });
        const body = (await res.json()) as { traces?: unknown[]; next_page_token?: string };
        count += body.traces?.length ?? 0;
        pageToken = body.next_page_token === "" ? undefined : body.next_page_token;
      } while (pageToken !== undefined);
      return count;
    },
  };
}

/** A target on the sink: every experiment is "1"; traces are counted by the sink's request stats. */
export function sinkTarget(url: string): Target {
  return { url, newExperiment: async () => "1" };
}
