/**
 * Where a trace really went on a tracking server: read back from the server (not assumed from the
 * sample's own settings), with the experiment it landed in and the MLflow UI link to it.
 */
import { connectionFor } from "../../lib/export/destination/config";
import { MlflowApi } from "../../lib/export/mlflow/api";
import { MlflowRestClient } from "../../lib/export/clients/mlflow-rest-client";

/** One line naming the experiment the trace is in and, for an MLflow server, its UI link. */
export async function describeTraceOnServer(trackingUri: string, traceId: string): Promise<string> {
  const client = new MlflowRestClient({ trackingUri, spansOnly: false });
  const api = new MlflowApi(connectionFor(trackingUri));
  try {
    const trace = await client.getTrace(traceId, { signal: AbortSignal.timeout(30_000) });
    const experimentId = trace?.info.experimentId;
    if (experimentId === undefined) return `The trace ${traceId} was accepted by ${trackingUri}, but reading it back found no experiment.`;
    const { experiment } = await api.getExperiment(experimentId, AbortSignal.timeout(30_000));
    const where = `experiment "${experiment.name}" (id ${experimentId})`;
    if (!/^https?:\/\//.test(trackingUri)) return `The trace ${traceId} is on ${trackingUri}, ${where}.`;
    const link = `${trackingUri.replace(/\/+$/, "")}/#/experiments/${experimentId}/traces?selectedEvaluationId=${traceId}`;
    return `The trace is on ${trackingUri}, ${where}. Open it in the MLflow UI: ${link}`;
  } finally {
    api.close();
    await client.shutdown();
  }
}
