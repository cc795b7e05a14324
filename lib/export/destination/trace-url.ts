/**
 * `getTraceUrl(traceId)`: the MLflow UI link for a trace on the configured tracking server, in
 * the route the pinned MLflow 3.17 UI opens a trace with
 * (`/#/experiments/<id>/traces?selectedEvaluationId=<traceId>`, checked in Chromium).
 */
import { getTrackingUri, resolveExperimentAt } from "./config";
import { reportOnce } from "../../internal/diagnostics";
import { completedTraceById } from "../../tracing/completed-traces";

/** Options of {@link getTraceUrl}. */
export interface TraceUrlOptions {
  /** The trace's experiment, when the configured one is not where it went. */
  experimentId?: string;
  /** The server, when not the configured tracking URI. */
  trackingUri?: string;
}

/**
 * The MLflow UI link for `traceId`, or undefined when traces do not go to an `http(s)://` MLflow
 * server (the local store, Databricks) or the experiment could not be resolved (reported).
 *
 * @example
 * const url = await getTraceUrl(getLastActiveTraceId()!);
 * if (url !== undefined) console.log(`Open the trace: ${url}`);
 */
export async function getTraceUrl(traceId: string, options: TraceUrlOptions = {}): Promise<string | undefined> {
  const uri = options.trackingUri ?? getTrackingUri();
  if (uri === undefined || !/^https?:\/\//i.test(uri)) return undefined;
  let experimentId = options.experimentId ?? completedTraceById(traceId)?.info.experimentId;
  if (experimentId === undefined) {
    try {
      experimentId = (await resolveExperimentAt(uri)).experimentId;
    } catch (error) {
      reportOnce("trace-url.experiment", "warn", `getTraceUrl() could not resolve the experiment at ${uri.replace(/\/\/[^/@]*@/, "//***@")}; no link`, error);
      return undefined;
    }
  }
  return `${uri.replace(/\/+$/, "")}/#/experiments/${encodeURIComponent(experimentId)}/traces?selectedEvaluationId=${encodeURIComponent(traceId)}`;
}
