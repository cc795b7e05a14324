/**
 * Search speed. (1) A filter over 10,000 traces in the local store, against the floor of reading
 * and parsing every trace file (what any filter over the store must do), measured in the same run.
 * (2) A full page-through of 10,000 traces on a real, pinned `mlflow server` (seeded here with
 * spans-only OTLP requests, 100 traces each), against MLflow's Python client paging through the
 * same experiment in the same run.
 *
 * Run: npm run bench:search
 * Env: BENCH_SEARCH_TRACES (default 10000), BENCH_SKIP_MLFLOW=1 (local part only).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MlflowRestClient } from "../lib/export/clients/mlflow-rest-client";
import { localStoreUri } from "../lib/export/clients/local-store/location";
import { setDiagnosticsLogger } from "../lib/internal/diagnostics";
import { iterateTraces, searchTraces } from "../lib/search/search-traces";
import { Trace } from "../lib/tracing/trace";
import { startMlflowServer } from "../spec/support/mlflow-server";
import { corpusTrace, writeCorpus } from "../spec/support/search-corpus";

const N = Number(process.env["BENCH_SEARCH_TRACES"] ?? 10_000);
const SKIP_MLFLOW = process.env["BENCH_SKIP_MLFLOW"] === "1";
const ROUNDS = 5;
const BATCH = 100;
const FILTER = "tag.env = 'prod' AND span.type = 'LLM' AND metadata.`mlflow.trace.user` != 'bob'";

const out = (line = ""): void => void process.stdout.write(`${line}\n`);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function localPart(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "mlflow-haystack-bench-search-"));
  try {
    writeCorpus(
      dir,
      Array.from({ length: N }, (_, i) => corpusTrace(i)),
    );
    const uri = localStoreUri(dir);
    const floor = async (): Promise<number> => {
      let spans = 0;
      for (const name of readdirSync(join(dir, "traces")))
        spans += (JSON.parse(readFileSync(join(dir, "traces", name), "utf8")) as { data: { spans: unknown[] } }).data.spans.length;
      return spans;
    };
    let matched = 0;
    const search = async (): Promise<void> => {
      let count = 0;
      for await (const page of iterateTraces({ trackingUri: uri, filter: FILTER, maxResults: 1000, includeSpans: false })) count += page.length;
      matched = count;
    };
    const firstPage = (): Promise<unknown> => searchTraces({ trackingUri: uri, filter: FILTER, maxResults: 100 });
    await floor();
    await search();
    const floors: number[] = [];
    const searches: number[] = [];
    const firsts: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      floors.push(await timed(floor));
      searches.push(await timed(search));
      firsts.push(await timed(firstPage));
    }
    const f = median(floors);
    const s = median(searches);
    out(`Local store, ${N} traces, filter: ${FILTER}`);
    out(`  matched ${matched} traces`);
    out(`  read + JSON.parse every file (floor, sync) : ${f.toFixed(0)} ms`);
    out(
      `  first page of 100 (with spans)             : ${median(firsts).toFixed(0)} ms  (${((N * 1000) / median(firsts)).toFixed(0)} traces scanned/s, ${(median(firsts) / f).toFixed(2)}x the floor)`,
    );
    out(`  every match, pages of 1000 (info only)     : ${s.toFixed(0)} ms  (each page rescans the store)`);
    out(`  medians of ${ROUNDS} rounds`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function serverPart(): Promise<void> {
  const server = await startMlflowServer();
  try {
    const experiment = `search-bench-${Date.now()}`;
    // A loaded SQLite server can take longer than the default 10 s over one 100-trace request.
    process.env["MLFLOW_HTTP_REQUEST_TIMEOUT"] = "120";
    const client = new MlflowRestClient({ trackingUri: server.url, experiment: { name: experiment }, spansOnly: true });
    const seedStart = performance.now();
    let experimentId = "";
    for (let i = 0; i < N; i += BATCH) {
      let batch = Array.from({ length: Math.min(BATCH, N - i) }, (_, k) => Trace.fromJSON(corpusTrace(i + k)));
      const first = batch[0] as Trace;
      for (let attempt = 1; batch.length > 0; attempt++) {
        const { failures } = await client.export(batch, { signal: AbortSignal.timeout(300_000) });
        if (failures.length > 0 && attempt === 3) throw new Error(`seeding failed: ${failures[0]?.error.message}`);
        const failed = new Set(failures.map((f) => f.traceId));
        batch = batch.filter((t) => failed.has(t.info.traceId));
      }
      experimentId ||= first.info.experimentId ?? "";
      if ((i / BATCH) % 20 === 19) process.stderr.write(`seeded ${i + BATCH}/${N} in ${((performance.now() - seedStart) / 1000).toFixed(0)} s\n`);
    }
    await client.shutdown();
    const seedMs = performance.now() - seedStart;
    out(
      `Server (mlflow ${execFileSync(server.python, ["-c", "import mlflow; print(mlflow.__version__)"], { encoding: "utf8" }).trim()}, SQLite), ${N} traces seeded in ${(seedMs / 1000).toFixed(1)} s (${((N * 1000) / seedMs).toFixed(0)} traces/s, spans-only OTLP, ${BATCH} per request)`,
    );
    let seen = 0;
    const ours = await timed(async () => {
      for await (const page of iterateTraces({ trackingUri: server.url, experimentIds: [experimentId], maxResults: 500, includeSpans: false }))
        seen += page.length;
    });
    const python = Number(
      execFileSync(
        server.python,
        [
          "-c",
          `import sys, time, mlflow
from mlflow import MlflowClient
c = MlflowClient(sys.argv[1])
t0 = time.perf_counter(); n = 0; token = None
while True:
    page = c.search_traces(locations=[sys.argv[2]], max_results=500, page_token=token, include_spans=False)
    n += len(page); token = page.token
    if not token: break
print((time.perf_counter() - t0) * 1000 if n == ${N} else -n)`,
          server.url,
          experimentId,
        ],
        { encoding: "utf8", env: { ...process.env, MLFLOW_TRACKING_URI: server.url } },
      )
        .trim()
        .split("\n")
        .pop(),
    );
    let filtered = 0;
    const withFilter = await timed(async () => {
      for await (const page of iterateTraces({ trackingUri: server.url, experimentIds: [experimentId], filter: FILTER, maxResults: 500, includeSpans: false }))
        filtered += page.length;
    });
    out(
      `  page-through, pages of 500, info only: ours ${ours.toFixed(0)} ms for ${seen} traces; Python MlflowClient.search_traces ${python.toFixed(0)} ms (ours/Python ${(ours / python).toFixed(2)})`,
    );
    out(`  the filter above on the server: ${filtered} traces in ${withFilter.toFixed(0)} ms`);
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  setDiagnosticsLogger(undefined);
  await localPart();
  if (!SKIP_MLFLOW) await serverPart();
}

void main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
