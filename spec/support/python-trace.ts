/**
 * A trace as MLflow's own Python client reads it (`spec/support/python/get_trace.py`), for the
 * integration specs that compare it with the TypeScript trace.
 */
import { runPythonJson } from "./mlflow-server";

export interface PySpan {
  name: string;
  span_id: string;
  parent_id: string | null;
  span_type: string;
  inputs: unknown;
  outputs: unknown;
  status: { code: string; description: string };
  attributes: Record<string, unknown>;
  events: { name: string; timestamp: number; attributes: Record<string, unknown> }[];
  start_time_ns: number;
  end_time_ns: number;
}

export interface PyTrace {
  info: {
    trace_id: string;
    state: string;
    experiment_id: string;
    token_usage: Record<string, number> | null;
    request_preview: string | null;
    response_preview: string | null;
    trace_metadata: Record<string, string>;
    tags: Record<string, string>;
  };
  spans: PySpan[];
}

/** Reads `traceId` from the server at `trackingUri` with `mlflow.get_trace` in the test venv. */
export function readTraceWithPython(trackingUri: string, traceId: string, python = process.env["MLFLOW_TEST_PYTHON"] ?? ""): Promise<PyTrace> {
  return runPythonJson(python, "get_trace.py", [trackingUri, traceId]) as Promise<PyTrace>;
}
