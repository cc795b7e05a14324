/**
 * The experiment a trace was recorded under, kept in the local store's trace file. With no tracking
 * server nothing resolves the experiment the code named (`setExperiment`, `MLFLOW_EXPERIMENT_NAME` /
 * `_ID`) to an id, so `experiment_id` stays "0" and the spec is kept beside it, as a trace metadata
 * entry of our own: `mlflow_haystack.experiment` = `{"name": "..."}`, `{"experiment_id": "..."}` or
 * both. A metadata entry, not a tag: like `mlflow.user` it describes how the trace was recorded and
 * never changes, and MLflow's `Trace.from_json` reads any string entry back unchanged.
 * `traces sync --to` reads it to send the trace to that experiment, and sends the trace without it:
 * it is the store's bookkeeping, not part of the trace (`mlflow.trace.sizeBytes` does not count it).
 */
import { Trace } from "../../../tracing/trace";
import type { ExperimentSpec } from "../../mlflow/experiments";

export const RECORDED_EXPERIMENT_KEY = "mlflow_haystack.experiment";

/** `JSON.stringify(trace)` with `experiment` recorded in its metadata (the text unchanged without one). */
export function traceJsonWithExperiment(trace: Trace, experiment: ExperimentSpec | undefined): string {
  if (experiment === undefined) return JSON.stringify(trace);
  const json = trace.toJSON();
  json.info.trace_metadata = { ...json.info.trace_metadata, [RECORDED_EXPERIMENT_KEY]: encodeExperiment(experiment) };
  return JSON.stringify(json);
}

/** `trace` as it was before the store recorded its experiment (the same object when none was recorded). */
export function withoutRecordedExperiment(trace: Trace): Trace {
  if (trace.info.metadata[RECORDED_EXPERIMENT_KEY] === undefined) return trace;
  const json = trace.toJSON();
  const { [RECORDED_EXPERIMENT_KEY]: _recorded, ...metadata } = json.info.trace_metadata;
  json.info.trace_metadata = metadata;
  return Trace.fromJSON(json);
}

function encodeExperiment(experiment: ExperimentSpec): string {
  const out: { name?: string; experiment_id?: string } = {};
  if (experiment.name !== undefined) out.name = experiment.name;
  if (experiment.experimentId !== undefined) out.experiment_id = experiment.experimentId;
  return JSON.stringify(out);
}

/** The experiment recorded with a stored trace, or `undefined` (none, or not a value we wrote). */
export function recordedExperiment(trace: Trace): ExperimentSpec | undefined {
  const text = trace.info.metadata[RECORDED_EXPERIMENT_KEY];
  if (text === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== "object" || raw === null) return undefined;
  const { name, experiment_id: id } = raw as { name?: unknown; experiment_id?: unknown };
  const okName = typeof name === "string" && name.trim() !== "" ? name : undefined;
  const okId = typeof id === "string" && id.trim() !== "" ? id : undefined;
  if (okName !== undefined) return okId === undefined ? { name: okName } : { name: okName, experimentId: okId };
  return okId === undefined ? undefined : { experimentId: okId };
}
