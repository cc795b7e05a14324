/**
 * Search over the local store, offline: filters, order, pages and `includeSpans` on the shared
 * search corpus (spec/support/search-corpus.ts), each result checked against the corpus data itself.
 * Server parity for the same corpus is in spec/integration/search-parity.spec.ts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { localStoreUri } from "../../lib/export/clients/local-store/location";
import { InvalidFilterError } from "../../lib/search/errors";
import { iterateTraces, searchTraces } from "../../lib/search/search-traces";
import type { TraceJson } from "../../lib/tracing/trace";
import { corpus, writeCorpus } from "../support/search-corpus";

let dir: string;
let traces: TraceJson[];
let uri: string;

/** Newest first, as MLflow orders by default. */
const newestFirst = (list: TraceJson[]): string[] =>
  [...list]
    .sort((a, b) => Date.parse(b.info.request_time) - Date.parse(a.info.request_time) || (a.info.trace_id < b.info.trace_id ? -1 : 1))
    .map((t) => t.info.trace_id);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mlflow-haystack-search-"));
  traces = corpus();
  // Two assessments in the shape GetTraceInfoV3 returns, one of them overridden (valid: false).
  const a = traces[0] as TraceJson;
  (a.info as { assessments?: unknown[] }).assessments = [
    {
      assessment_id: "a-1",
      assessment_name: "quality",
      trace_id: a.info.trace_id,
      source: { source_type: "HUMAN", source_id: "r" },
      feedback: { value: 0.9 },
      valid: true,
    },
    {
      assessment_id: "a-2",
      assessment_name: "quality",
      trace_id: a.info.trace_id,
      source: { source_type: "HUMAN", source_id: "r" },
      feedback: { value: 0.2 },
      valid: false,
    },
  ];
  writeCorpus(dir, traces);
  uri = localStoreUri(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("searchTraces on the local store", () => {
  it("finds traces by state, tag, metadata and span type, newest first", async () => {
    const { traces: found } = await searchTraces({
      trackingUri: uri,
      filter: "trace.status = 'ERROR' AND tag.env = 'prod' AND metadata.`mlflow.trace.user` != 'bob' AND span.type = 'LLM'",
      maxResults: 500,
    });
    const expected = traces.filter(
      (t) =>
        t.info.state === "ERROR" &&
        t.info.tags["env"] === "prod" &&
        t.info.trace_metadata["mlflow.trace.user"] !== "bob" &&
        t.data.spans.some((s) => s.attributes["mlflow.spanType"] === '"LLM"'),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(found.map((t) => t.info.traceId)).toEqual(newestFirst(expected));
    expect(found[0]?.data.spans.length).toBeGreaterThan(1);
  });

  it("compares a quoted number with a numeric attribute as a number, as SQLite's column affinity does", async () => {
    const cutoff = Date.parse(traces[30]!.info.request_time);
    const { traces: found } = await searchTraces({ trackingUri: uri, filter: `trace.timestamp_ms < '${cutoff}'`, maxResults: 500 });
    expect(found.map((t) => t.info.traceId)).toEqual(newestFirst(traces.slice(0, 30)));
  });

  it("reads RLIKE as Python's re.search, its leading inline flags included", async () => {
    const { traces: found } = await searchTraces({ trackingUri: uri, filter: "tag.team RLIKE '(?i)^SEARCH-'", maxResults: 500 });
    expect(found.map((t) => t.info.traceId)).toEqual(newestFirst(traces.filter((t) => /^search-/i.test(t.info.tags["team"] ?? ""))));
    expect(found.length).toBeGreaterThan(0);
  });

  it("matches valid feedback only", async () => {
    const high = await searchTraces({ trackingUri: uri, filter: "feedback.quality > 0.5" });
    expect(high.traces.map((t) => t.info.traceId)).toEqual([traces[0]?.info.trace_id]);
    expect((await searchTraces({ trackingUri: uri, filter: "feedback.quality < 0.5" })).traces).toEqual([]);
  });

  it("pages with MLflow-shaped tokens and iterates lazily", async () => {
    const first = await searchTraces({ trackingUri: uri, maxResults: 70, includeSpans: false });
    expect(first.traces).toHaveLength(70);
    expect(first.traces[0]?.data.spans).toEqual([]);
    expect(JSON.parse(Buffer.from(first.nextPageToken as string, "base64").toString())).toEqual({ offset: 70 });
    const pages: string[][] = [];
    for await (const page of iterateTraces({ trackingUri: uri, maxResults: 70, includeSpans: false })) pages.push(page.map((t) => t.info.traceId));
    expect(pages.map((p) => p.length)).toEqual([70, 70, 60]);
    expect(pages.flat()).toEqual(newestFirst(traces));
  });

  it("orders by duration with ties broken by time, then id", async () => {
    const { traces: found } = await searchTraces({ trackingUri: uri, orderBy: ["execution_time_ms DESC"], maxResults: 5, includeSpans: false });
    const durations = found.map((t) => t.info.executionDuration);
    expect(durations).toEqual([...durations].sort((x, y) => y - x));
    expect(durations[0]).toBe(Math.max(...traces.map((t) => t.info.execution_duration_ms)));
  });

  it("reads order_by keys in backticks or double quotes as MLflow does (its shlex split)", async () => {
    const order = async (orderBy: string[]): Promise<string[]> =>
      (await searchTraces({ trackingUri: uri, orderBy, maxResults: 500, includeSpans: false })).traces.map((t) => t.info.traceId);
    expect(await order(["`timestamp_ms` DESC"])).toEqual(await order(["timestamp_ms DESC"]));
    expect(await order(["trace.`execution_time_ms` asc"])).toEqual(await order(["execution_time_ms ASC"]));
    expect(await order(['"name" DESC'])).toEqual(await order(["name DESC"]));
    expect(await order(["`tag`.`release.version` DESC"])).toEqual(await order(["tag.release.version DESC"]));
  });

  it("narrows to the experiment ids traces were recorded with", async () => {
    expect((await searchTraces({ trackingUri: uri, experimentIds: ["5"] })).traces).toEqual([]);
    expect((await searchTraces({ trackingUri: uri, experimentIds: ["0"], maxResults: 500, includeSpans: false })).traces).toHaveLength(200);
  });

  it("refuses invalid filters with MLflow's message", async () => {
    await expect(searchTraces({ trackingUri: uri, filter: "tag.env = 'a' OR tag.env = 'b'" })).rejects.toThrow(
      new InvalidFilterError("Invalid clause(s) in filter string: 'OR'"),
    );
    await expect(searchTraces({ trackingUri: uri, pageToken: "nope!" })).rejects.toThrow("Invalid page token, could not base64-decode");
    await expect(searchTraces({ trackingUri: uri, maxResults: 0 })).rejects.toThrow(
      "Invalid value 0 for parameter 'max_results' supplied. It must be a positive integer",
    );
  });
});
