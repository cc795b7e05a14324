/**
 * Trace search on an MLflow tracking server: `POST /api/3.0/mlflow/traces/search`, or the V2
 * `GET /api/2.0/mlflow/traces` on servers that answer ENDPOINT_NOT_FOUND. With `includeSpans`, each
 * trace's spans are read as `getTrace` reads them. The server's INVALID_PARAMETER_VALUE answers
 * become {@link InvalidFilterError} with the server's message.
 */
import { connectionFor, getExperimentSpec, resolveExperimentAt } from "../export/destination/config";
import { ConfigError, MlflowApiError } from "../export/errors";
import { MlflowApi, type TraceSearchQuery } from "../export/mlflow/api";
import { traceInfoV3FromV2, type WireTraceInfoV3 } from "../export/mlflow/rest-spec";
import { traceFromWire } from "../export/mlflow/trace-wire";
import type { Trace } from "../tracing/trace";
import { InvalidFilterError } from "./errors";
import { DEFAULT_MAX_RESULTS, type SearchTracesOptions, type SearchTracesResult } from "./search-options";

const SPAN_READ_CONCURRENCY = 8;
/** The most traces an MLflow server returns for one search request (it refuses a larger `max_results`). */
const SERVER_REQUEST_LIMIT = 500;

async function experimentIdsFor(api: MlflowApi, uri: string, options: SearchTracesOptions): Promise<string[]> {
  const ids = [...(options.experimentIds ?? [])].map(String);
  for (const name of options.experimentNames ?? []) {
    try {
      ids.push(String((await api.getExperimentByName(name)).experiment.experiment_id));
    } catch (err) {
      if (err instanceof MlflowApiError && err.code === "RESOURCE_DOES_NOT_EXIST") {
        throw new ConfigError(`No experiment named "${name}" on ${new URL(uri).host || uri}; check \`experimentNames\`, or pass \`experimentIds\`.`, {
          cause: err,
        });
      }
      throw err;
    }
  }
  if (ids.length > 0) return ids;
  return [(await resolveExperimentAt(uri, getExperimentSpec())).experimentId];
}

function asFilterError(err: unknown): unknown {
  if (err instanceof MlflowApiError && err.code === "INVALID_PARAMETER_VALUE") return new InvalidFilterError(err.serverMessage, { cause: err });
  return err;
}

async function withSpans(api: MlflowApi, infos: readonly WireTraceInfoV3[]): Promise<Trace[]> {
  const out: Trace[] = new Array<Trace>(infos.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < infos.length) {
      const i = next++;
      const info = infos[i] as WireTraceInfoV3;
      let data;
      try {
        data = await api.getTraceData(info.trace_id);
      } catch (err) {
        // A record whose spans were never uploaded reads as a trace without spans, as in getTrace.
        if (!(err instanceof MlflowApiError && err.status === 404)) throw err;
      }
      out[i] = traceFromWire(info, data);
    }
  };
  await Promise.all(Array.from({ length: Math.min(SPAN_READ_CONCURRENCY, infos.length) }, worker));
  return out;
}

/** One search request: V3, or V2 on a server without it. */
async function searchOnce(api: MlflowApi, request: TraceSearchQuery): Promise<{ infos: readonly WireTraceInfoV3[]; token: string | undefined }> {
  try {
    const res = await api.searchTracesV3(request);
    return { infos: res.traces ?? [], token: res.next_page_token };
  } catch (err) {
    if (!(err instanceof MlflowApiError && err.code === "ENDPOINT_NOT_FOUND")) throw asFilterError(err);
    const res = await api.searchTracesV2(request).catch((v2Error: unknown) => Promise.reject(asFilterError(v2Error)));
    return { infos: (res.traces ?? []).map(traceInfoV3FromV2), token: res.next_page_token };
  }
}

/**
 * One page of a server's traces matching `options`. `shared` (kept open) lets a page-through reuse
 * one connection instead of opening one per page.
 *
 * @example
 * const page = await searchServer("http://127.0.0.1:5000", { experimentIds: ["1"], filter: "span.type = 'LLM'" });
 */
export async function searchServer(uri: string, options: SearchTracesOptions, shared?: MlflowApi): Promise<SearchTracesResult> {
  const api = shared ?? new MlflowApi(connectionFor(uri));
  try {
    const experimentIds = await experimentIdsFor(api, uri, options);
    const wanted = options.maxResults ?? DEFAULT_MAX_RESULTS;
    const infos: WireTraceInfoV3[] = [];
    let token = options.pageToken;
    // A page larger than one request takes is asked for in turn, as Python's `mlflow.search_traces` pages.
    do {
      const maxResults = Math.min(SERVER_REQUEST_LIMIT, wanted - infos.length);
      const page = await searchOnce(api, { experimentIds, filter: options.filter, maxResults, orderBy: options.orderBy ?? [], pageToken: token });
      infos.push(...page.infos);
      token = page.token === undefined || page.token === "" ? undefined : page.token;
    } while (token !== undefined && infos.length < wanted);
    const includeSpans = options.includeSpans ?? true;
    const traces = includeSpans ? await withSpans(api, infos) : infos.map((info) => traceFromWire(info, undefined));
    return { traces, nextPageToken: token };
  } finally {
    if (shared === undefined) api.close();
  }
}
