/**
 * Search parity: ONE corpus of 200 traces (spec/support/search-corpus.ts) is written to a local
 * store, sent to the real pinned `mlflow server` with `traces sync`, and given assessments through
 * the server's REST API (read back from the server into the local files, so both sides hold the
 * same assessments in the shape GetTraceInfoV3 returns). Then every filter and order below must
 * give the same trace ids, in the same order, from the server and from the local store; and every
 * invalid filter the same error message.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../lib/cli/main";
import { localStoreUri } from "../../lib/export/clients/local-store/location";
import { InvalidFilterError } from "../../lib/search/errors";
import { iterateTraces } from "../../lib/search/search-traces";
import type { SearchTracesOptions } from "../../lib/search/search-options";
import { normalizeSets } from "../support/python-sets";
import { CORPUS_START_MS, corpus, corpusAssessments, writeCorpus } from "../support/search-corpus";

const SERVER = process.env["MLFLOW_TEST_SERVER_URL"] as string;
const T = (seconds: number): number => CORPUS_START_MS + seconds * 1000;
const traces = corpus();
const id42 = traces[42]?.info.trace_id as string;
const id7 = traces[7]?.info.trace_id as string;

/** Each filter with what it checks. */
const FILTERS: readonly (readonly [string, string])[] = [
  ["trace.status = 'ERROR'", "attribute equality on the trace state"],
  ["trace.status != 'OK'", "attribute inequality"],
  ["trace.status IN ('OK', 'ERROR')", "IN on an attribute"],
  ["status NOT IN ('ERROR')", "a bare attribute name with NOT IN"],
  ["name = 'summarize'", "the `name` alias (tag mlflow.traceName, the server's trace_name column)"],
  ["trace.name LIKE 'chat%'", "case-sensitive LIKE on the name"],
  ["trace.name ILIKE 'retrieve%'", "ILIKE matches 'Retrieve Docs'"],
  ["name RLIKE '^(summ|class)'", "RLIKE is a regular-expression search"],
  ["tag.env = 'prod'", "tag equality"],
  ["tags.env != 'prod'", "tag inequality leaves out traces without the tag (SQL NULL)"],
  ["tag.env IS NULL", "a missing tag"],
  ["tag.env IS NOT NULL AND tag.team LIKE 'search%'", "LIKE is case-sensitive: 'Search-B' is not found"],
  ["tag.team ILIKE 'search%'", "ILIKE finds both 'search-A' and 'Search-B'"],
  ["tag.team RLIKE '-[AB]$'", "RLIKE on a tag"],
  ["tag.team RLIKE '(?i)^SEARCH-'", "RLIKE with Python's inline flag"],
  ["tag.`release.version` LIKE '1.1.%'", "a dotted tag key in backticks"],
  ["metadata.`mlflow.trace.session` = 'session-03'", "the session (the server's session_id column)"],
  ["metadata.`mlflow.trace.session` IS NULL", "traces without a session"],
  ["request_metadata.`mlflow.trace.user` = 'Carol'", "the request_metadata prefix and the user"],
  ["metadata.`mlflow.trace.user` ILIKE 'carol'", "ILIKE on metadata"],
  ["metadata.tenant != 't0'", "metadata inequality"],
  ["trace.execution_time_ms > 2000", "a numeric attribute"],
  ["execution_time <= 50", "the execution_time alias and <="],
  [`trace.timestamp_ms >= ${T(100)}`, "start time lower bound"],
  [`timestamp_ms < ${T(20)}`, "the bare timestamp_ms builtin"],
  [`trace.end_time_ms > ${T(150)}`, "end time = start + duration"],
  [`timestamp_ms > ${T(150)}.5`, "a float on the bare timestamp_ms (a plain name to sqlparse, unlike timestamp)"],
  [`trace.timestamp_ms < '${T(30)}'`, "a quoted number compares with a numeric attribute as a number (SQLite's affinity)"],
  ["span.type = 'LLM'", "any span of a type"],
  ["span.name LIKE 'tool%'", "span name LIKE"],
  ["span.status = 'ERROR'", "span status"],
  ["span.type = 'LLM' AND span.status = 'UNSET'", "two span clauses met by the same span"],
  ["span.type = 'RETRIEVER' AND span.status = 'UNSET'", "two span clauses met only by different spans: no match"],
  ["span.name IN ('llm_step_0', 'tool_step_1')", "IN on span names"],
  ["span.type != 'CHAIN'", "span inequality: some span is not a CHAIN"],
  ["feedback.quality > 0.5", "numeric feedback"],
  ["feedback.quality <= 0.3 AND trace.status = 'OK'", "numeric feedback with an attribute"],
  ["feedback.quality = '0.7'", "feedback equality against the stored JSON of a float"],
  ["feedback.helpful = 'true'", "a boolean feedback value"],
  ["feedback.tone = 'friendly'", "a string feedback value"],
  ["feedback.tone LIKE '%ur%'", "LIKE over the stored JSON text"],
  ["feedback.quality IS NOT NULL", "traces with a feedback"],
  ["feedback.`judge.score` > 0.3", "a dotted feedback name in backticks"],
  ["feedback.judge.score IS NOT NULL", "a dotted feedback name without backticks"],
  ["feedback.helpful IS NULL AND tag.env = 'dev'", "traces without a feedback of that name"],
  ["expectation.expected_answer = 'answer 50'", "an expectation"],
  [`trace.request_id = '${id42}'`, "one trace by id"],
  [`request_id IN ('${id42}', '${id7}')`, "IN on ids"],
  ["trace.client_request_id != 'x'", "NULL client request ids match no comparison"],
  ["tag.env = 'prod' AND span.type = 'LLM' AND feedback.quality >= 0.5", "tag, span and feedback together"],
  ["tag.env = 'prod' and trace.status = 'OK'", "lower-case and"],
  ["tag.team like 'search%'", "lower-case like"],
];

/** Orders, each with a filter. */
const ORDERS: readonly (readonly [readonly string[], string])[] = [
  [[], ""],
  [["timestamp_ms ASC"], ""],
  [["execution_time_ms DESC"], "trace.status = 'OK'"],
  [["name ASC"], ""],
  [["name DESC"], "span.type = 'LLM'"],
  [["status DESC", "execution_time_ms ASC"], ""],
  [["request_id"], "tag.env IS NOT NULL"],
  [["trace.timestamp DESC"], "feedback.quality IS NOT NULL"],
  [["`trace`.`execution_time_ms` DESC", '"name"'], ""],
];

const INVALID: readonly string[] = [
  "tag.env = 'a' OR tag.env = 'b'",
  "foo.bar = 'x'",
  "trace.nope = 'x'",
  "tag.env = prod",
  "tag.env = 5",
  "trace.status = 5",
  "span.foo = 'x'",
  "span.type > 'LLM'",
  "feedback.quality > 'x'",
  "feedback.quality = 0.5",
  "trace.execution_time_ms IN ('a')",
  "(tag.env = 'a')",
  "tag.env > 'x'",
  "metadata.x > 'a'",
  "trace.status IS NULL",
  "trace.request_id IN ()",
  "   ",
];

let dir: string;
let experimentId: string;

async function rest(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${SERVER}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function ids(options: SearchTracesOptions): Promise<string[]> {
  const out: string[] = [];
  for await (const page of iterateTraces({ ...options, includeSpans: false })) out.push(...page.map((t) => t.info.traceId));
  return out;
}

const onServer = (options: SearchTracesOptions): Promise<string[]> => ids({ ...options, trackingUri: SERVER, experimentIds: [experimentId] });
const onLocal = (options: SearchTracesOptions): Promise<string[]> => ids({ ...options, trackingUri: localStoreUri(dir) });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mlflow-haystack-search-parity-"));
  writeCorpus(dir, traces);
  const experiment = `search-parity-${Date.now()}`;
  let err = "";
  const code = await runCli(["traces", "sync", "--to", SERVER, "--experiment", experiment, "--store", dir, "--batch-size", "50"], {
    stdout: { write: () => true },
    stderr: { write: (s: string) => (err += s) },
    env: {},
    cwd: dir,
  });
  expect({ code, err }).toEqual({ code: 0, err: expect.any(String) as string });
  experimentId = String(
    ((await rest("GET", `/api/2.0/mlflow/experiments/get-by-name?experiment_name=${experiment}`))["experiment"] as { experiment_id: string }).experiment_id,
  );
  const assessments = corpusAssessments(traces);
  for (const a of assessments) await rest("POST", `/api/3.0/mlflow/traces/${a.traceId}/assessments`, { assessment: a.body });
  // The local files get the assessments exactly as the server returns them.
  const files = readdirSync(join(dir, "traces")).filter((f) => f.endsWith(".json"));
  for (const traceId of new Set(assessments.map((a) => a.traceId))) {
    const info = ((await rest("GET", `/api/3.0/mlflow/traces/${traceId}`))["trace"] as { trace_info: { assessments: unknown[] } }).trace_info;
    const file = join(dir, "traces", files.find((f) => f.endsWith(`-${traceId}.json`)) as string);
    const json = JSON.parse(readFileSync(file, "utf8")) as { info: Record<string, unknown> };
    json.info["assessments"] = info.assessments;
    writeFileSync(file, JSON.stringify(json));
  }
}, 240_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("search parity between the local store and a real MLflow server", () => {
  it("holds the whole corpus on both sides, in one page larger than the 500 a server takes per request", async () => {
    const [server, local] = await Promise.all([onServer({ maxResults: 1000 }), onLocal({ maxResults: 1000 })]);
    expect(server).toHaveLength(200);
    expect(local).toEqual(server);
  });

  it.each(FILTERS)("%s (%s) gives the same traces in the same order", async (filter) => {
    const [server, local] = await Promise.all([onServer({ filter, maxResults: 500 }), onLocal({ filter, maxResults: 500 })]);
    expect(local).toEqual(server);
  });

  it("finds something for all but the filters meant to match nothing", async () => {
    const empty: string[] = [];
    for (const [filter] of FILTERS) if ((await onLocal({ filter })).length === 0) empty.push(filter);
    expect(empty).toEqual(["span.type = 'RETRIEVER' AND span.status = 'UNSET'", "trace.client_request_id != 'x'"]);
  });

  it.each(ORDERS)("order by %j (filter %j) gives the same order, page by page", async (orderBy, filter) => {
    const options = { orderBy, maxResults: 37, ...(filter === "" ? {} : { filter }) };
    const [server, local] = await Promise.all([onServer(options), onLocal(options)]);
    expect(server.length).toBeGreaterThan(0);
    expect(local).toEqual(server);
  });

  it("traces list --filter --order-by lists the same traces from the server (--tracking-uri) and the local store", async () => {
    const list = async (where: string[]): Promise<string[]> => {
      let out = "";
      let err = "";
      const code = await runCli(
        [
          "traces",
          "list",
          ...where,
          "--filter",
          "span.type = 'LLM' AND trace.status = 'OK'",
          "--order-by",
          "execution_time_ms DESC",
          "--order-by",
          "name",
          "-n",
          "15",
          "--json",
        ],
        { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) }, env: {}, cwd: dir },
      );
      expect({ code, err }).toEqual({ code: 0, err: "" });
      return (JSON.parse(out) as { traceId: string }[]).map((t) => t.traceId);
    };
    const server = await list(["--tracking-uri", SERVER, "--experiment-id", experimentId]);
    expect(server).toHaveLength(15);
    expect(await list(["--store", dir])).toEqual(server);
  });

  it.each(INVALID)("refuses %s with the server's message", async (filter) => {
    const message = async (search: (o: SearchTracesOptions) => Promise<string[]>): Promise<string> => {
      const error = await search({ filter }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InvalidFilterError);
      return normalizeSets((error as Error).message);
    };
    expect(await message(onLocal)).toBe(await message(onServer));
  });
});
