/**
 * The baseline the export benchmark compares against: what MLflow's own TypeScript SDK does per
 * trace — StartTraceV3, then PUT `traces.json` to the artifact location — with no batching, no
 * queue and no retries. `sequential` sends one trace at a time; `unbounded` starts every trace at
 * once (the SDK's fire-and-forget promises), limited only by the HTTP agent's 16 sockets.
 */
import { type MlflowApi } from "../../lib/export/mlflow/api";
import { artifactPathFromUri } from "../../lib/export/clients/mlflow-rest-client";
import { TAG_ARTIFACT_LOCATION, TRACE_DATA_FILE_NAME } from "../../lib/export/mlflow/rest-spec";
import { startTraceBody, traceDataFile } from "../../lib/export/mlflow/trace-wire";
import type { Trace } from "../../lib/tracing/trace";

async function exportOne(api: MlflowApi, trace: Trace, experimentId: string): Promise<void> {
  const response = await api.startTraceV3(startTraceBody(trace, experimentId));
  const location = response.trace.trace_info.tags?.[TAG_ARTIFACT_LOCATION];
  if (location === undefined) throw new Error(`StartTraceV3 returned no ${TAG_ARTIFACT_LOCATION} for ${trace.info.traceId}`);
  await api.uploadArtifact(`${artifactPathFromUri(location)}/${TRACE_DATA_FILE_NAME}`, traceDataFile(trace));
}

/** Exports `traces` one request sequence at a time; resolves with the number that failed. */
export async function exportSequentially(api: MlflowApi, traces: readonly Trace[], experimentId: string): Promise<number> {
  let failed = 0;
  for (const trace of traces) {
    try {
      await exportOne(api, trace, experimentId);
    } catch {
      failed += 1;
    }
  }
  return failed;
}

/** Starts every trace's request sequence at once; resolves with the number that failed. */
export async function exportUnbounded(api: MlflowApi, traces: readonly Trace[], experimentId: string): Promise<number> {
  const results = await Promise.allSettled(traces.map((trace) => exportOne(api, trace, experimentId)));
  return results.filter((r) => r.status === "rejected").length;
}
