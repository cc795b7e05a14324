/**
 * The MLflow server's own ceiling for full trace records: a minimal client that sends exactly the
 * requests ours sends for a batch — StartTraceV3 per trace (4 at a time), then one OTLP request with
 * the batch's spans, two batches in flight — with every body encoded before the clock starts, no
 * queue, no retries, no size accounting. What it reaches is what the server can take; ours is
 * reported as a fraction of it.
 */
import { HttpTransport } from "../../lib/export/mlflow/http";
import { EXPERIMENT_ID_HEADER, MLFLOW_PATHS } from "../../lib/export/mlflow/rest-spec";
import { startTraceBody } from "../../lib/export/mlflow/trace-wire";
import { otlpRequest } from "../../lib/export/clients/otlp-spans";
import { forEachLimited } from "../../lib/internal/for-each-limited";
import { timedBuild, timedExport, type CaseResult, type Target } from "./export-cases";

export const MINIMAL = "minimal client (the server's ceiling)";
const BATCH = 100;
const BATCHES_IN_FLIGHT = 2;
const STARTS_IN_FLIGHT = 4;

let offset = 1_000_000;

/** Sends `n` traces the minimal way; resolves with the case's figures (export wall and CPU). */
export async function runMinimal(target: Target, n: number): Promise<CaseResult> {
  const experimentId = await target.newExperiment("minimal");
  const build = timedBuild(n, (offset += n));
  const batches: { starts: string[]; spans: string }[] = [];
  for (let i = 0; i < build.traces.length; i += BATCH) {
    const batch = build.traces.slice(i, i + BATCH);
    batches.push({
      starts: batch.map((t) => JSON.stringify(startTraceBody(t, experimentId))),
      spans: JSON.stringify(otlpRequest(batch, "mlflow-haystack")),
    });
  }
  const http = new HttpTransport({ baseUrl: target.url });
  const post = async (path: string, body: string, headers?: Record<string, string>): Promise<boolean> => {
    try {
      const res = await http.request({ method: "POST", path, body, ...(headers === undefined ? {} : { headers }) });
      return res.status < 300;
    } catch {
      return false;
    }
  };
  const result = await timedExport(MINIMAL, experimentId, build, async () => {
    let failed = 0;
    await forEachLimited(batches, BATCHES_IN_FLIGHT, async ({ starts, spans }) => {
      await forEachLimited(starts, STARTS_IN_FLIGHT, async (body) => {
        if (!(await post(MLFLOW_PATHS.startTraceV3, body))) failed += 1;
      });
      if (!(await post(MLFLOW_PATHS.otlpTraces, spans, { [EXPERIMENT_ID_HEADER]: experimentId }))) failed += starts.length;
    });
    return failed;
  });
  http.close();
  return result;
}
