/**
 * Overhead of `mlflow.haystack.autolog()` on a 3-component pipeline: (a) trivial components, in ns
 * per component span and as a ratio to the same run with autolog off, and (b) components that each
 * await a 1 ms timer, where the added time must stay under 2%. A pass-through tracer (the
 * pipeline's tracing hook with no MLflow work) separates the hook's cost from the spans'.
 * Traces go to a no-op TraceClient (no disk or network) and are flushed at the end of each round;
 * the flush is timed, since the exporter's work on those traces (sizing, assembly) is autolog's cost.
 * Modes are interleaved round by round, so drift on a busy machine hits them alike.
 *
 * Run: npm run bench:autolog
 *   (= node --expose-gc -r ts-node/register/transpile-only bench/autolog.bench.ts)
 * Env: BENCH_ROUNDS (default 7, at least 5), BENCH_TRIVIAL_RUNS (pipeline runs per round, default 1000),
 *      BENCH_TIMER_RUNS (runs per round of the 1-ms cases, default 200).
 */
import { flushTraces, haystack, setDiagnosticsLogger, setTraceClient, shutdownExport } from "../lib/index";
import { type TraceClient } from "../lib/export/index";
import { component, Pipeline, setPipelineTracer, type PipelineTracer } from "../lib/haystack/index";
import { printTable, type BenchResult } from "./harness";
import { interleave, loadLine, paired, roundsFromEnv, spread } from "./support/interleave";

const ROUNDS = roundsFromEnv(7);
const TRIVIAL_RUNS = Number(process.env["BENCH_TRIVIAL_RUNS"] ?? 1000); // <= maxQueueSize (2048): no drops
const TIMER_RUNS = Number(process.env["BENCH_TIMER_RUNS"] ?? 200);
const COMPONENTS = 3;

@component({ inputs: { value: "int" }, outputs: { value: "int" } })
class Inc {
  run({ value }: { value: number }): { value: number } {
    return { value: value + 1 };
  }
}

@component({ inputs: { value: "int" }, outputs: { value: "int" } })
class SlowInc {
  async run({ value }: { value: number }): Promise<{ value: number }> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return { value: value + 1 };
  }
}

/** Takes 1 ms of work (then yields), like a component doing real computation or unquantized I/O. */
@component({ inputs: { value: "int" }, outputs: { value: "int" } })
class BusyInc {
  async run({ value }: { value: number }): Promise<{ value: number }> {
    const until = process.hrtime.bigint() + 1_000_000n;
    while (process.hrtime.bigint() < until);
    await Promise.resolve();
    return { value: value + 1 };
  }
}

function chain(make: () => object): Pipeline {
  const pipe = new Pipeline();
  for (let i = 0; i < COMPONENTS; i++) pipe.addComponent(`c${i}`, make());
  for (let i = 1; i < COMPONENTS; i++) pipe.connect(`c${i - 1}`, `c${i}`);
  return pipe;
}

const noopClient: TraceClient = { export: async () => ({ failures: [] }), shutdown: async () => undefined };
const passThrough: PipelineTracer = { tracePipeline: (_e, run) => run(), traceComponent: (_e, run) => run() };

type Mode = "autolog off" | "pass-through tracer" | "autolog on";
const MODES: readonly Mode[] = ["autolog off", "pass-through tracer", "autolog on"];

function setMode(mode: Mode): void {
  haystack.autolog({ disable: true });
  setPipelineTracer(undefined);
  if (mode === "autolog on") haystack.autolog();
  if (mode === "pass-through tracer") setPipelineTracer(passThrough);
}

const out = (line: string): void => void process.stdout.write(`${line}\n`);
const fmtUs = (ns: number): string => `${(ns / 1000).toFixed(1)} µs`;
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

interface Samples {
  /** Wall ns per pipeline run, the flush of the round's traces included; one entry per round. */
  readonly wall: Map<Mode, number[]>;
  /** The same without the flush: the caller's path only. */
  readonly callerWall: Map<Mode, number[]>;
  /** Process CPU ns per pipeline run (user + system), flush included. */
  readonly cpu: Map<Mode, number[]>;
}

/** ns per pipeline run of each mode, per round; the mode order rotates every round. */
async function rounds(pipe: Pipeline, runs: number): Promise<Samples> {
  const empty = (): Map<Mode, number[]> => new Map(MODES.map((m) => [m, []]));
  const samples: Samples = { wall: empty(), callerWall: empty(), cpu: empty() };
  // Sync components resolve in microtasks, so the export work waits for the flush: time it too.
  const once = async (mode: Mode, n: number): Promise<{ wall: number; callerWall: number; cpu: number }> => {
    setMode(mode);
    const cpu0 = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await pipe.run({ c0: { value: i } });
    const callerWall = Number(process.hrtime.bigint() - start) / n;
    const { dropped } = await flushTraces();
    const wall = Number(process.hrtime.bigint() - start) / n;
    const cpu = process.cpuUsage(cpu0);
    setMode("autolog off");
    if (dropped > 0) out(`  warning: ${dropped} traces dropped (queue full); lower the runs per round`);
    (globalThis as { gc?: () => void }).gc?.();
    return { wall, callerWall, cpu: ((cpu.user + cpu.system) * 1000) / n };
  };
  for (const mode of MODES) await once(mode, Math.max(1, Math.floor(runs / 4))); // warm-up
  const rounds = await interleave(
    MODES.map((mode) => ({ name: mode, run: () => once(mode, runs) })),
    ROUNDS,
    0,
  );
  for (const mode of MODES) {
    for (const { wall, callerWall, cpu } of rounds.get(mode) ?? []) {
      samples.wall.get(mode)?.push(wall);
      samples.callerWall.get(mode)?.push(callerWall);
      samples.cpu.get(mode)?.push(cpu);
    }
  }
  return samples;
}

/** Median over rounds of (mode / off) within the same round: less noise than a ratio of medians. */
function pairedRatio(samples: ReadonlyMap<Mode, number[]>, mode: Mode): number {
  const off = samples.get("autolog off") ?? [];
  return median((samples.get(mode) ?? []).map((ns, i) => ns / (off[i] ?? NaN)));
}

function results(samples: ReadonlyMap<Mode, number[]>): BenchResult[] {
  return MODES.map((mode) => ({ name: mode, nsPerOp: median(samples.get(mode) ?? []) / COMPONENTS }));
}

async function main(): Promise<void> {
  setDiagnosticsLogger(() => undefined);
  setTraceClient(noopClient);

  const trivial = await rounds(
    chain(() => new Inc()),
    TRIVIAL_RUNS,
  );
  printTable(
    `Autolog, ${COMPONENTS}-component pipeline of trivial components: wall ns per component run (median of ${ROUNDS} rounds)`,
    results(trivial.wall),
    "autolog off",
    "time",
  );
  const off = median(trivial.wall.get("autolog off") ?? []);
  const on = median(trivial.wall.get("autolog on") ?? []);
  const hook = median(trivial.wall.get("pass-through tracer") ?? []);
  out(
    `  autolog adds ${fmtUs(on - off)} per pipeline run: ${(on - off) / COMPONENTS > 0 ? ((on - off) / COMPONENTS).toFixed(0) : "0"} ns per component ` +
      `(${((on - off) / (COMPONENTS + 1)).toFixed(0)} ns per span: ${COMPONENTS} component spans + 1 pipeline span), ` +
      `of which the tracing hook alone ${((hook - off) / COMPONENTS).toFixed(0)} ns per component`,
  );
  out(
    `  paired ratios (median of per-round ratios): autolog on/off ${pairedRatio(trivial.wall, "autolog on").toFixed(2)}x, pass-through/off ${pairedRatio(trivial.wall, "pass-through tracer").toFixed(2)}x`,
  );
  const callerOn = median(trivial.callerWall.get("autolog on") ?? []);
  const callerOff = median(trivial.callerWall.get("autolog off") ?? []);
  out(
    `  on the caller's path alone (flush not counted): ${((callerOn - callerOff) / (COMPONENTS + 1)).toFixed(0)} ns per span; ` +
      `the rest, ${((on - callerOn - (off - callerOff)) / (COMPONENTS + 1)).toFixed(0)} ns per span, is export-side work (trace assembly, size estimate)`,
  );

  const busy = await rounds(
    chain(() => new BusyInc()),
    TIMER_RUNS,
  );
  printTable(
    `Autolog, ${COMPONENTS} components that each work for 1 ms: wall ns per component run (median of ${ROUNDS} rounds)`,
    results(busy.wall),
    "autolog off",
    "time",
  );
  const busyAdded = spread(paired(busy.wall.get("autolog on") ?? [], busy.wall.get("autolog off") ?? []).map((r) => r - 1));
  const busyWall = median(busy.wall.get("autolog off") ?? []);
  const busyCpu = median(busy.cpu.get("autolog on") ?? []) - median(busy.cpu.get("autolog off") ?? []);
  out(
    `  wall: autolog adds ${(100 * busyAdded.median).toFixed(2)}% (paired median; min ${(100 * busyAdded.min).toFixed(2)}%, max ${(100 * busyAdded.max).toFixed(2)}%) ` +
      `to a ${(busyWall / 1e6).toFixed(2)} ms run, ${TIMER_RUNS} runs per round — target < 2%: ${busyAdded.median < 0.02 ? "met" : "not met"}`,
  );
  const busyCpuAdded = spread(paired(busy.cpu.get("autolog on") ?? [], busy.cpu.get("autolog off") ?? []).map((r) => r - 1));
  out(
    `  CPU: autolog adds ${fmtUs(busyCpu)} of process CPU per run; paired by round ${(100 * busyCpuAdded.median).toFixed(2)}% ` +
      `(${(100 * busyCpuAdded.min).toFixed(2)}% to ${(100 * busyCpuAdded.max).toFixed(2)}%) of the run's own CPU — ${loadLine()}`,
  );

  const slow = await rounds(
    chain(() => new SlowInc()),
    TIMER_RUNS,
  );
  printTable(
    `Autolog, ${COMPONENTS} components that each await a 1 ms timer: wall ns per component run (median of ${ROUNDS} rounds)`,
    results(slow.wall),
    "autolog off",
    "time",
  );
  const added = pairedRatio(slow.wall, "autolog on") - 1;
  const runWall = median(slow.wall.get("autolog off") ?? []);
  const addedCpu = median(slow.cpu.get("autolog on") ?? []) - median(slow.cpu.get("autolog off") ?? []);
  out(`  wall: autolog adds ${(100 * added).toFixed(2)}% (paired median) to a ${(runWall / 1e6).toFixed(2)} ms run`);
  out(
    "  (libuv timers have millisecond resolution: work that moves the moment a 1 ms timer is armed across a millisecond\n" +
      "   boundary delays it by up to a whole millisecond, so this case overstates the cost for real I/O)",
  );
  out(
    `  CPU: autolog adds ${fmtUs(addedCpu)} of process CPU per run = ${((100 * addedCpu) / runWall).toFixed(2)}% of the run's wall time ` +
      `(an upper bound for the added wall time on an idle core; on a busy machine the wall figure also carries scheduling delay)`,
  );
  await shutdownExport();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
