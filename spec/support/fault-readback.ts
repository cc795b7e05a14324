/**
 * What a reader of the real MLflow server sees, for the fault tests: the traces of an experiment
 * (by search, so a duplicate record would show) and the span names of each trace (info and span
 * data read back over REST, so duplicate or missing spans would show).
 */
import { MlflowRestClient } from "../../lib/export/clients/mlflow-rest-client";
import * as mlflow from "../../lib/index";

/** Trace id → span names, as the SDK completed them or as the server returns them. */
export type TraceShape = Map<string, string[]>;

/** Completes `count` traces with three spans each, named after `tag`; returns their shapes. */
export async function completeTraces(tag: string, count: number): Promise<TraceShape> {
  const shapes: TraceShape = new Map();
  for (let i = 0; i < count; i++) {
    await mlflow.startSpan({ name: `${tag}-${i}`, inputs: { i } }, async () => {
      mlflow.startSpan({ name: `${tag}-${i}-retrieve` }, () => ["doc"]);
      await mlflow.startSpan({ name: `${tag}-${i}-generate` }, async () => "answer");
      return i;
    });
    const id = mlflow.getLastActiveTraceId();
    if (id === undefined) throw new Error(`trace ${tag}-${i} was not completed`);
    shapes.set(id, [`${tag}-${i}`, `${tag}-${i}-generate`, `${tag}-${i}-retrieve`]);
  }
  return shapes;
}

async function postJson(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${url} answered ${res.status}: ${text}`);
  return JSON.parse(text) as unknown;
}

/** Every trace of the experiment, as the server's search returns it (ids repeat if records do). */
export async function searchTraceIds(serverUrl: string, experimentName: string): Promise<string[]> {
  const res = await fetch(`${serverUrl}/api/2.0/mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent(experimentName)}`);
  const found = (await res.json()) as { experiment?: { experiment_id: string } };
  if (found.experiment === undefined) return [];
  const location = { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: found.experiment.experiment_id } };
  const out = (await postJson(`${serverUrl}/api/3.0/mlflow/traces/search`, { locations: [location], max_results: 500 })) as {
    traces?: { trace_id: string }[];
  };
  return (out.traces ?? []).map((t) => t.trace_id);
}

/** The experiment's traces as the server holds them: ids from search, span names (sorted) per trace. */
export async function readBack(serverUrl: string, experimentName: string): Promise<{ ids: string[]; shapes: TraceShape }> {
  const ids = await searchTraceIds(serverUrl, experimentName);
  const reader = new MlflowRestClient({ trackingUri: serverUrl });
  const shapes: TraceShape = new Map();
  try {
    for (const id of ids) {
      const trace = await reader.getTrace(id);
      shapes.set(id, (trace?.data.spans.map((s) => s.name) ?? []).sort());
    }
  } finally {
    await reader.shutdown();
  }
  return { ids: [...ids].sort(), shapes };
}

/** Shapes with sorted span names and ids, for `toEqual` against {@link readBack}. */
export function expected(...groups: TraceShape[]): { ids: string[]; shapes: TraceShape } {
  const shapes: TraceShape = new Map();
  for (const group of groups) for (const [id, names] of group) shapes.set(id, [...names].sort());
  return { ids: [...shapes.keys()].sort(), shapes };
}
