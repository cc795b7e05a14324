/**
 * Options and result of `searchTraces`, validated once for both destinations.
 */
import type { Trace } from "../tracing/trace";
import { InvalidFilterError } from "./errors";

/** What to search for; every field is optional. */
export interface SearchTracesOptions {
  /** Experiments to search (server). Locally: traces recorded with these experiment ids. Default: the configured experiment. */
  readonly experimentIds?: readonly string[];
  /** Experiments to search by name (server; resolved to ids). The local store keeps no names: ignored there. */
  readonly experimentNames?: readonly string[];
  /** MLflow's filter syntax, e.g. `tag.env = 'prod' AND span.type = 'LLM' AND feedback.score > 0.5`. */
  readonly filter?: string;
  /** E.g. `["timestamp_ms DESC"]` (the default), `["execution_time_ms ASC", "name"]`. */
  readonly orderBy?: readonly string[];
  /** Traces per page, 1..50000 (default 100); a server is asked for at most 500 at a time, as it allows. */
  readonly maxResults?: number;
  /** `nextPageToken` of the previous page. */
  readonly pageToken?: string;
  /** Also read the spans of each trace (default true); false gives each trace's info with no spans. */
  readonly includeSpans?: boolean;
  /** Search this destination instead of the configured one: `http(s)://...`, `databricks`, or `mlflow-haystack-local:<dir>`. */
  readonly trackingUri?: string;
}

/** One page of results. */
export interface SearchTracesResult {
  readonly traces: Trace[];
  /** Pass as `pageToken` for the next page; undefined on the last page. */
  readonly nextPageToken: string | undefined;
}

/** MLflow's default page size for trace search. */
export const DEFAULT_MAX_RESULTS = 100;
/** MLflow's `SEARCH_MAX_RESULTS_THRESHOLD`. */
export const MAX_RESULTS_LIMIT = 50_000;

/** The page size, or MLflow's message for a bad one. */
export function resolveMaxResults(maxResults: number | undefined): number {
  const n = maxResults ?? DEFAULT_MAX_RESULTS;
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidFilterError(`Invalid value ${String(n)} for parameter 'max_results' supplied. It must be a positive integer`);
  if (n > MAX_RESULTS_LIMIT) throw new InvalidFilterError(`Invalid value ${n} for parameter 'max_results' supplied. It must be at most ${MAX_RESULTS_LIMIT}`);
  return n;
}
