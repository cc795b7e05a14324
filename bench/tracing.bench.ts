/**
 * Cost of a trace, ours against OpenTelemetry's SDK (BatchSpanProcessor, the engine under MLflow's
 * own TypeScript SDK) and the peers that record inputs and outputs — Langfuse JS v5
 * (`startActiveObservation`, `observe`) and OpenInference (`withSpan`) on the same OpenTelemetry
 * SDK — each SDK in a worker process of its own (bench/span-worker.ts), rounds interleaved.
 * Two figures per trace: the caller's path (wall time where the application waits) and total
 * process CPU up to handing the batch to the exporter (deferred assembly, sizing and batching
 * included). Exporters are no-ops, then in a second comparison both sides encode OTLP JSON.
 * Also disabled tracing against a plain call, and memory per finished 5-span trace.
 *
 * Run: npm run bench (Node 20, 22 and 24) or node bench/run.js bench/tracing.bench.ts --this-node
 * Env: BENCH_ROUNDS (default 7, at least 5), BENCH_TRACES (1-span traces per round, default 20000).
 */
import { join } from "node:path";
import { figure, fmtSpread, interleave, loadLine, out, paired, pairedDiff, roundsFromEnv, spread, type Contender, type Sample } from "./support/interleave";
import { startWorker, type Worker } from "./support/workers";
import { SDKS, type SdkName } from "./span-worker";

const ROUNDS = roundsFromEnv(7);
const N = Number(process.env["BENCH_TRACES"] ?? 20_000);

type Workers = ReadonlyMap<SdkName, Worker>;

function contenders(workers: Workers, sdks: readonly SdkName[], task: string, n: number): Contender[] {
  return sdks.map((sdk) => ({ name: sdk, run: () => (workers.get(sdk) as Worker).run(task, n) }));
}

/** One comparison: each SDK's figures and its paired ratio to ours (>1: ours is cheaper). */
async function compare(workers: Workers, title: string, sdks: readonly SdkName[], task: string, n: number, spans: number): Promise<void> {
  const samples = await interleave(contenders(workers, sdks, task, n), ROUNDS);
  const ours = samples.get("ours") ?? [];
  out(`\n${title}: ns per trace, median (min–max) of ${ROUNDS} interleaved rounds of ${n} traces — ${loadLine()}`);
  out(`  ${"SDK".padEnd(32)} ${"caller's path".padStart(24)} ${"total CPU".padStart(24)}   x ours (caller)        x ours (total CPU)`);
  for (const sdk of sdks) {
    const s = samples.get(sdk) ?? [];
    const lost = s.filter((x) => (x["exported"] as number) < n * spans).length;
    const ratio = (key: string): string => (sdk === "ours" ? "" : fmtSpread(spread(paired(figure(s, key), figure(ours, key))), 2, "x"));
    out(
      `  ${sdk.padEnd(32)} ${fmtSpread(spread(figure(s, "callerNs")), 0).padStart(24)} ${fmtSpread(spread(figure(s, "cpuNs")), 0).padStart(24)}` +
        `   ${ratio("callerNs").padEnd(22)} ${ratio("cpuNs")}${lost > 0 ? `  (spans lost in ${lost} rounds)` : ""}`,
    );
  }
  const otel = samples.get("OpenTelemetry");
  if (otel !== undefined) {
    const caller = spread(paired(figure(otel, "callerNs"), figure(ours, "callerNs")));
    const cpu = spread(paired(figure(otel, "cpuNs"), figure(ours, "cpuNs")));
    out(
      `  vs OpenTelemetry: caller's path ${caller.median.toFixed(2)}x cheaper (target >= 4x: ${caller.median >= 4 ? "met" : "not met"}), total CPU ${cpu.median.toFixed(2)}x (target >= 2x: ${cpu.median >= 2 ? "met" : "not met"})`,
    );
  }
}

async function disabled(ours: Worker): Promise<void> {
  const tasks = ["plain", "startSpan disabled", "@traced disabled"];
  const samples = await interleave(
    tasks.map((t) => ({ name: t, run: () => ours.run(t, 2_000_000) })),
    ROUNDS,
  );
  const plain = figure(samples.get("plain") ?? [], "callerNs");
  out(`\nTracing disabled, over a plain call (ns per call, paired by round, median (min–max)) — ${loadLine()}`);
  out(`  plain call ${fmtSpread(spread(plain), 1, " ns")}`);
  for (const t of tasks.slice(1)) {
    const added = spread(pairedDiff(figure(samples.get(t) ?? [], "callerNs"), plain));
    out(`  ${t.padEnd(20)} +${fmtSpread(added, 1, " ns")} (target <= 50 ns: ${added.median <= 50 ? "met" : "not met"})`);
  }
}

async function main(): Promise<void> {
  const file = join(__dirname, "span-worker.js");
  const workers = new Map<SdkName, Worker>(SDKS.map((sdk) => [sdk, startWorker(file, [sdk])]));
  try {
    if (process.env["BENCH_BASELINE_LIB"] !== undefined) {
      // Before/after a change, interleaved like the SDKs: the baseline build against this one.
      workers.set("ours (baseline)", startWorker(file, ["ours (baseline)"]));
      const pair: SdkName[] = ["ours", "ours (baseline)", "OpenTelemetry"];
      await compare(workers, "Before/after: 1-span trace, no-op exporters", pair, "1", N, 1);
      await compare(workers, "Before/after: 5-span trace, no-op exporters", pair, "5", Math.floor(N / 5), 5);
      await compare(workers, "Before/after: 5-span trace, OTLP JSON", pair, "5 otlp-json", Math.floor(N / 5), 5);
      if (process.env["BENCH_BASELINE_ONLY"] === "1") return;
    }
    await compare(workers, "1-span trace, no-op exporters", SDKS, "1", N, 1);
    await compare(workers, "5-span trace, no-op exporters", SDKS, "5", Math.floor(N / 5), 5);
    await compare(workers, "1-span trace, both encode OTLP JSON", ["ours", "OpenTelemetry"], "1 otlp-json", N, 1);
    await compare(workers, "5-span trace, both encode OTLP JSON", ["ours", "OpenTelemetry"], "5 otlp-json", Math.floor(N / 5), 5);
    const ours = workers.get("ours") as Worker;
    const traced = await interleave([{ name: "@traced", run: () => ours.run("traced", N) }], ROUNDS);
    out(
      `\n@traced method, 1-span trace: caller's path ${fmtSpread(spread(figure(traced.get("@traced") ?? [], "callerNs")), 0, " ns")}, total CPU ${fmtSpread(spread(figure(traced.get("@traced") ?? [], "cpuNs")), 0, " ns")}`,
    );
    await disabled(ours);
    const memory: Sample = await ours.run("memory", 2000);
    out(`\nmemory per finished 5-span trace: ${(memory["kib"] as number).toFixed(2)} KiB`);
  } finally {
    await Promise.all([...workers.values()].map((w) => w.stop()));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
