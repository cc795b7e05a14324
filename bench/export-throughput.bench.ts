/**
 * Export throughput of finished 5-span traces (1 KiB of inputs per span) to (a) a real, pinned
 * `mlflow server` started here and (b) a sink server (a child process) that accepts every MLflow
 * endpoint instantly. Compared in the same run, against the same server: ours (BatchProcessor +
 * MlflowRestClient), one request sequence per trace (what MLflow's TypeScript SDK does), and the
 * Python `mlflow` SDK with its default async logging. Then ours as a fraction of the server's own
 * ceiling (a minimal client, bench/support/server-ceiling.ts): pairs alternating which goes first,
 * each pair on a fresh server and store. Then the memory held while 100,000 traces meet a dead
 * server.
 *
 * Run: npm run bench:export
 *   (= node --expose-gc -r ts-node/register/transpile-only bench/export-throughput.bench.ts)
 * Env: BENCH_TRACES (real server, default 300), BENCH_SINK_TRACES (default 2000),
 *      BENCH_DEAD_TRACES (default 100000), BENCH_CEILING_PAIRS (default 5, fresh server each),
 *      BENCH_SKIP_MLFLOW=1 (no real server, no Python, no ceiling),
 *      BENCH_ONLY=sink,server,ceiling,memory (a comma list of the sections to run; default all).
 */
import { configureTracing } from "../lib/tracing/configure";
import { setDiagnosticsLogger } from "../lib/internal/diagnostics";
import { ensureMlflowVenv, startMlflowServer } from "../spec/support/mlflow-server";
import { printTable } from "./harness";
import { SPANS_PER_TRACE } from "./support/bench-traces";
import { outageMemory } from "./support/dead-server-memory";
import { mlflowTarget, OURS, runOurs, runPerTrace, runPythonSdk, SPANS_ONLY, SEQUENTIAL, sinkTarget, UNBOUNDED, type CaseResult } from "./support/export-cases";
import { groupCpuMs, processGroupListeningOn, startChildSink } from "./support/processes";
import { fmtSpread, loadLine, spread } from "./support/interleave";
import { runMinimal } from "./support/server-ceiling";

const REAL_N = Number(process.env["BENCH_TRACES"] ?? 300);
const SINK_N = Number(process.env["BENCH_SINK_TRACES"] ?? 2000);
const DEAD_N = Number(process.env["BENCH_DEAD_TRACES"] ?? 100_000);
const SKIP_MLFLOW = process.env["BENCH_SKIP_MLFLOW"] === "1";
const ONLY = process.env["BENCH_ONLY"]?.split(",").map((x) => x.trim());
const runs = (section: "sink" | "server" | "ceiling" | "memory"): boolean => ONLY === undefined || ONLY.includes(section);
const CEILING_PAIRS = Math.max(5, Number(process.env["BENCH_CEILING_PAIRS"] ?? 5));

const out = (line = ""): void => void process.stdout.write(`${line}\n`);
const perSec = (count: number, ms: number | undefined): number => (ms === undefined ? NaN : (count * 1000) / ms);
/** What the queue may hold beyond `maxQueueBytes` (bookkeeping, the in-flight batch's request): documented in the README. */
const HELD_CONSTANT_MIB = 8;
const fmt = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toFixed(digits) : "-");

type Case = () => Promise<CaseResult>;

/** Runs `cases` in order, reading the server's CPU time around each. */
async function runCases(cases: readonly Case[], serverCpuMs: () => Promise<number | undefined>): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const run of cases) {
    const cpu0 = await serverCpuMs();
    const r = await run();
    const cpu1 = await serverCpuMs();
    r.serverCpuMs = cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0;
    results.push(r);
  }
  return results;
}

function find(results: readonly CaseResult[], name: string): CaseResult | undefined {
  return results.find((r) => r.name === name || (name === "Python" && r.name.startsWith("Python")));
}

function report(title: string, results: readonly CaseResult[]): void {
  const n = results[0]?.traces ?? 0;
  out(`\n${title}: ${n} traces x ${SPANS_PER_TRACE} spans, 1 KiB inputs per span`);
  out(
    `  ${"case".padEnd(44)} ${"export".padStart(9)} ${"traces/s".padStart(8)} ${"spans/s".padStart(8)} ` +
      `${"e2e tr/s".padStart(8)} ${"CPU/1k spans".padStart(12)} ${"client CPU".padStart(10)} ${"server CPU".padStart(10)} failed`,
  );
  for (const r of results) {
    const cpu = r.exportCpuMs ?? r.totalCpuMs;
    const wall = r.exportMs ?? r.endToEndMs;
    const cells = [
      r.name.padEnd(44),
      (r.exportMs === undefined ? "-" : `${fmt(r.exportMs)} ms`).padStart(9),
      fmt(perSec(r.traces, r.exportMs)).padStart(8),
      fmt(perSec(r.traces * SPANS_PER_TRACE, r.exportMs)).padStart(8),
      fmt(perSec(r.traces, r.endToEndMs)).padStart(8),
      `${fmt(cpu / ((r.traces * SPANS_PER_TRACE) / 1000), 1)} ms${r.exportCpuMs === undefined ? "*" : ""}`.padStart(12),
      `${fmt((100 * cpu) / wall)}%`.padStart(10),
      (r.serverCpuMs === undefined ? "-" : `${fmt((100 * r.serverCpuMs) / wall)}%`).padStart(10),
      String(r.failed),
    ];
    out(`  ${cells.join(" ")}`);
  }
  out("  export = first trace handed over to last acknowledged; e2e = building the traces (startSpan) + export;");
  out("  CPU/1k spans and client CPU (% of one core) = client process during export. * Python builds and exports");
  out("  at once, so its time and CPU include building.");
  const ours = find(results, OURS) as CaseResult & { assemblyCpuMs?: number };
  if (ours.assemblyCpuMs !== undefined) {
    out(
      `  ours: lazy trace assembly, paid off the caller's path, adds ${fmt(ours.assemblyCpuMs / ((n * SPANS_PER_TRACE) / 1000), 1)} ms CPU per 1k spans (not in the table)`,
    );
  }
  printTable(
    `  ${title}: wall ns per trace, end to end`,
    results.map((r) => ({ name: r.name, nsPerOp: (r.endToEndMs * 1e6) / r.traces })),
    SEQUENTIAL,
    "time",
  );
  const ratio = (base: CaseResult | undefined, label: string): void => {
    if (base?.exportMs === undefined || ours.exportMs === undefined) return;
    out(`  ours vs ${label}: ${fmt(base.exportMs / ours.exportMs, 1)}x traces/s (export), ${fmt(base.endToEndMs / ours.endToEndMs, 1)}x (end to end)`);
  };
  ratio(find(results, SEQUENTIAL), SEQUENTIAL);
  ratio(find(results, UNBOUNDED), UNBOUNDED);
  const py = find(results, "Python");
  if (py !== undefined) {
    const x = py.endToEndMs / ours.endToEndMs;
    out(`  ours vs ${py.name}: ${fmt(x, 1)}x traces/s end to end (issue target >= 10x: ${x >= 10 ? "met" : "not met"})`);
    const spansOnly = find(results, SPANS_ONLY);
    if (spansOnly !== undefined) {
      out(
        `  ${SPANS_ONLY} vs ${py.name}: ${fmt(py.endToEndMs / spansOnly.endToEndMs, 1)}x traces/s end to end ` +
          "(the server builds the trace record from the spans, as for Python's OTLP export: no StartTraceV3, no client-side metadata)",
      );
    }
  }
}

async function sinkSection(python: string | undefined): Promise<CaseResult[]> {
  const sink = await startChildSink();
  try {
    const target = sinkTarget(sink.url);
    await runOurs(target, 200); // warm-up: JIT and sockets; not reported
    const results = await runCases(
      [
        ...(python === undefined ? [] : [() => runPythonSdk(target, python, SINK_N, "sink")]),
        () => runPerTrace(target, SINK_N, "sequential"),
        () => runPerTrace(target, SINK_N, "unbounded"),
        () => runOurs(target, SINK_N, { name: "ours, sizeOf: () => 1 (no JSON size estimate)", sizeOf: () => 1 }),
        () => runOurs(target, SINK_N),
      ],
      async () => (await sink.stats()).cpuMs,
    );
    report("Sink server (answers instantly, separate process)", results);
    return results;
  } finally {
    await sink.stop();
  }
}

async function realServerSection(): Promise<CaseResult[]> {
  out("\nstarting mlflow server ...");
  const server = await startMlflowServer();
  try {
    const target = mlflowTarget(server.url);
    const pgrp = processGroupListeningOn(Number(new URL(server.url).port));
    await runOurs(target, 30); // warm-up (lazy imports on the server); not reported
    await runPerTrace(target, 30, "sequential");
    // Python first and ours last: the SQLite store grows, so later cases meet a slower server.
    const results = await runCases(
      [
        () => runPythonSdk(target, server.python, REAL_N, "server"),
        () => runPerTrace(target, REAL_N, "sequential"),
        () => runPerTrace(target, REAL_N, "unbounded"),
        () => runOurs(target, REAL_N, { name: "ours, otlp: false (artifact upload instead)", otlp: false }),
        () => runOurs(target, REAL_N, { name: SPANS_ONLY, spansOnly: true }),
        () => runOurs(target, REAL_N),
      ],
      async () => (pgrp === undefined ? undefined : groupCpuMs(pgrp)),
    );
    report(`Real mlflow server (${server.url.replace(/:\d+$/, "")}, SQLite, --workers 1)`, results);
    const stored = await Promise.all(results.map(async (r) => `${r.name.split(/[:,]/)[0]} ${await target.countTraces(r.experimentId)}`));
    out(`  traces the server holds per case (search): ${stored.join("; ")}`);
    return results;
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  setDiagnosticsLogger(() => undefined); // expected warnings (queue full, connection refused) would flood the output
  configureTracing({ completedTraceCapacity: 1 });
  out(`Export throughput (Node ${process.versions.node}); BENCH_TRACES=${REAL_N} BENCH_SINK_TRACES=${SINK_N} BENCH_DEAD_TRACES=${DEAD_N}`);
  const python = SKIP_MLFLOW ? undefined : `${ensureMlflowVenv()}/bin/python`;
  const sink = runs("sink") ? await sinkSection(python) : [];
  if (!SKIP_MLFLOW && runs("server")) bottleneck(find(sink, OURS), find(await realServerSection(), OURS));
  if (!SKIP_MLFLOW && runs("ceiling")) await ceilingSection();
  if (!runs("memory")) return;

  out(
    `\nMemory held while ${DEAD_N} traces meet a dead server (heap after GC${(globalThis as { gc?: unknown }).gc === undefined ? "; run with --expose-gc" : ""})`,
  );
  for (const r of await outageMemory(DEAD_N)) {
    const boundMiB = (r.maxQueueSize * r.traceBytes) / 1024 / 1024;
    const allMiB = (r.traces * r.traceBytes) / 1024 / 1024;
    const limitMiB = r.maxQueueBytes / 1024 / 1024 + HELD_CONSTANT_MIB;
    out(
      `  ${r.label.padEnd(23)} heap held ${fmt(r.heldMiB, 1)} MiB (bound: maxQueueSize ${r.maxQueueSize} x ${r.traceBytes} B = ${fmt(boundMiB, 1)} MiB; ` +
        `all ${r.traces} would be ${fmt(allMiB)} MiB); queued ${r.queued}, in flight ${r.inFlight}, failed ${r.failed}, dropped ${r.dropped}`,
    );
    out(
      `  ${"".padEnd(23)} within maxQueueBytes (${fmt(r.maxQueueBytes / 1024 / 1024)} MiB) + ${HELD_CONSTANT_MIB} MiB: ${r.heldMiB <= limitMiB ? "met" : "NOT met"}`,
    );
  }
}

/**
 * Ours (full records) against the minimal client, `CEILING_PAIRS` pairs, each on a fresh server and
 * store (a growing SQLite store slows whoever runs later), the order alternating from pair to pair.
 */
async function ceilingSection(): Promise<void> {
  out(`\nOurs as a fraction of the server's ceiling: ${CEILING_PAIRS} pairs x ${REAL_N} traces, a fresh mlflow server (SQLite, --workers 1) per pair`);
  const fractions: number[] = [];
  const rates: { ours: number[]; minimal: number[] } = { ours: [], minimal: [] };
  for (let pair = 0; pair < CEILING_PAIRS; pair++) {
    const server = await startMlflowServer();
    try {
      const target = mlflowTarget(server.url);
      await runOurs(target, 30); // warm-up (lazy imports on the server, sockets); not reported
      await runMinimal(target, 30);
      const cases = [() => runOurs(target, REAL_N), () => runMinimal(target, REAL_N)];
      const [first, second] = pair % 2 === 0 ? cases : [...cases].reverse();
      const a = await (first as () => Promise<CaseResult>)();
      const b = await (second as () => Promise<CaseResult>)();
      const [ours, minimal] = pair % 2 === 0 ? [a, b] : [b, a];
      if (ours.failed + minimal.failed > 0) out(`  pair ${pair + 1}: failed ours ${ours.failed}, minimal ${minimal.failed}`);
      rates.ours.push(perSec(ours.traces, ours.exportMs));
      rates.minimal.push(perSec(minimal.traces, minimal.exportMs));
      fractions.push((minimal.exportMs ?? NaN) / (ours.exportMs ?? NaN));
    } finally {
      await server.stop();
    }
  }
  out(`  minimal client: ${fmtSpread(spread(rates.minimal), 0, " traces/s")}`);
  out(`  ours:           ${fmtSpread(spread(rates.ours), 0, " traces/s")}`);
  const f = spread(fractions);
  out(`  ours / ceiling, paired: ${fmtSpread(f, 2)} — target >= 0.9: ${f.median >= 0.9 ? "met" : "not met"} — ${loadLine()}`);
}

/** Shows who limits throughput against the real server: the sink/real ratio and both sides' CPU. */
function bottleneck(s: CaseResult | undefined, r: CaseResult | undefined): void {
  if (s === undefined || r === undefined) return;
  const clientShare = (r.exportCpuMs ?? NaN) / (r.exportMs ?? NaN);
  const serverShare = (r.serverCpuMs ?? NaN) / (r.exportMs ?? NaN);
  const sinkRate = perSec(s.traces, s.exportMs);
  const realRate = perSec(r.traces, r.exportMs);
  out("\nWho limits our throughput against the real server:");
  out(`  the same client delivers ${fmt(sinkRate)} traces/s to the sink and ${fmt(realRate)} traces/s to mlflow server (${fmt(sinkRate / realRate, 1)}x)`);
  out(
    `  during the real-server export our process used ${fmt(100 * clientShare, 1)}% of one core (the rest is waiting on responses); ` +
      `the server's process group used ${Number.isFinite(serverShare) ? `${fmt(100 * serverShare)}%` : "(unknown)"} (plus SQLite commits/fsync)`,
  );
  out(`  => ${clientShare < 0.5 && sinkRate > 2 * realRate ? "server-bound: the client is mostly idle" : "client-bound or inconclusive"}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
