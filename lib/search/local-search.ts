/**
 * Search over the local store: every trace file is read and parsed once per search (no index to
 * keep in step with several writing processes), filtered with MLflow's semantics, sorted with
 * MLflow's order and paged with MLflow-shaped tokens.
 */
import { join } from "node:path";
import { reportOnce } from "../internal/diagnostics";
import type { LocalStoreReader } from "../export/clients/local-store/reader";
import { readTraceFileSync } from "../export/clients/local-store/trace-file";
import { Trace, type TraceJson } from "../tracing/trace";
import { compileFilter } from "./filter-eval";
import { parseFilter } from "./filter-grammar";
import { compileOrderBy } from "./order-by";
import { createPageToken, parsePageToken } from "./page-token";
import { resolveMaxResults, type SearchTracesOptions, type SearchTracesResult } from "./search-options";
import { searchRowOf, type SearchRow } from "./search-row";

/** Files read per slice; between slices the event loop runs (a slice takes a few ms). */
const SLICE = 64;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Reads and parses every trace file, keeping the rows `keep` accepts. Reads are synchronous, in
 * slices with a turn of the event loop between them: see `readTraceFileSync` for why.
 */
async function readAll(store: LocalStoreReader, keep: (row: SearchRow) => boolean): Promise<{ row: SearchRow; json: TraceJson }[]> {
  const names = (await store.files()).map((f) => f.name);
  const tracesDir = store.tracesDir;
  const matches: { row: SearchRow; json: TraceJson }[] = [];
  for (let i = 0; i < names.length; i++) {
    if (i > 0 && i % SLICE === 0) await nextTurn();
    const name = names[i] as string;
    const read = readTraceFileSync(join(tracesDir, name));
    if (read === undefined || "skipped" in read) continue;
    try {
      const json = JSON.parse(read.text) as TraceJson;
      const row = searchRowOf(json);
      if (keep(row)) matches.push({ row, json });
    } catch (err) {
      reportOnce("search.unreadable", "warn", `search skipped unreadable trace file ${name} in ${store.dir}`, err);
    }
  }
  return matches;
}

/**
 * One page of the local store's traces matching `options`.
 *
 * @example
 * const { traces, nextPageToken } = await searchLocalStore(new LocalStoreReader(dir), { filter: "trace.status = 'ERROR'" });
 */
export async function searchLocalStore(store: LocalStoreReader, options: SearchTracesOptions = {}): Promise<SearchTracesResult> {
  const maxResults = resolveMaxResults(options.maxResults);
  const offset = parsePageToken(options.pageToken);
  const matches = compileFilter(parseFilter(options.filter));
  const order = compileOrderBy(options.orderBy);
  const experiments = options.experimentIds === undefined || options.experimentIds.length === 0 ? undefined : new Set(options.experimentIds.map(String));
  const found = await readAll(store, (row) => (experiments === undefined || experiments.has(row.experimentId)) && matches(row));
  found.sort((a, b) => order(a.row, b.row));
  const page = found.slice(offset, offset + maxResults);
  const includeSpans = options.includeSpans ?? true;
  const traces = page.map(({ json }) => Trace.fromJSON(includeSpans ? json : { info: json.info, data: { spans: [] } }));
  return { traces, nextPageToken: offset + maxResults < found.length ? createPageToken(offset + maxResults) : undefined };
}
