/**
 * `searchTraces` / `iterateTraces`: MLflow's trace search against the destination traces are
 * exported to — a tracking server (its V3 search endpoint, V2 on older servers), else the local
 * store, where the same filter language is evaluated locally.
 */
import { connectionFor, getTrackingUri } from "../export/destination/config";
import { MlflowApi } from "../export/mlflow/api";
import { LocalStoreReader } from "../export/clients/local-store/reader";
import { defaultLocalStoreDir, parseLocalStoreUri } from "../export/clients/local-store/location";
import { isServerUri } from "../export/destination/server-uri";
import type { Trace } from "../tracing/trace";
import { searchLocalStore } from "./local-search";
import { resolveMaxResults, type SearchTracesOptions, type SearchTracesResult } from "./search-options";
import { searchServer } from "./server-search";

/**
 * One page of traces matching `options`, from the configured destination (or `options.trackingUri`).
 * Invalid filters throw {@link InvalidFilterError} with MLflow's own message.
 *
 * @example
 * const { traces, nextPageToken } = await searchTraces({
 *   filter: "trace.status = 'ERROR' AND metadata.`mlflow.trace.session` = 'session-1'",
 *   orderBy: ["timestamp_ms DESC"],
 *   maxResults: 50,
 * });
 */
export async function searchTraces(options: SearchTracesOptions = {}): Promise<SearchTracesResult> {
  resolveMaxResults(options.maxResults);
  const uri = options.trackingUri ?? getTrackingUri();
  if (isServerUri(uri)) return searchServer(uri, options);
  const dir = (uri === undefined ? undefined : parseLocalStoreUri(uri)) ?? defaultLocalStoreDir();
  return searchLocalStore(new LocalStoreReader(dir), options);
}

/**
 * Every page of traces matching `options`, fetched one page at a time as the loop asks for it.
 *
 * @example
 * for await (const page of iterateTraces({ filter: "span.type = 'LLM'", maxResults: 200 })) {
 *   for (const trace of page) console.log(trace.info.traceId);
 * }
 */
export async function* iterateTraces(options: SearchTracesOptions = {}): AsyncGenerator<Trace[], void, undefined> {
  resolveMaxResults(options.maxResults);
  const uri = options.trackingUri ?? getTrackingUri();
  const api = isServerUri(uri) ? new MlflowApi(connectionFor(uri)) : undefined;
  try {
    let pageToken = options.pageToken;
    for (;;) {
      const pageOptions = pageToken === undefined ? options : { ...options, pageToken };
      const page = api !== undefined && uri !== undefined ? await searchServer(uri, pageOptions, api) : await searchTraces(pageOptions);
      if (page.traces.length > 0) yield page.traces;
      if (page.nextPageToken === undefined) return;
      pageToken = page.nextPageToken;
    }
  } finally {
    api?.close();
  }
}
