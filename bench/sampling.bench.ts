/**
 * What a trace the head sampler drops costs: a 5-span trace (startSpan root, a traced function,
 * three startSpan children) with tracing disabled (A) against the same trace dropped by
 * `sampling: { ratio: 0 }` (B), in interleaved rounds so drift hits both alike. The target is
 * B − A ≤ 50 ns per span. A kept trace (ratio 1) and a dropped trace recorded for tail rules are
 * shown for scale (measured after the A/B rounds). Run: npm run bench:sampling.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { configureTracing, setTraceClient, startSpan, traced, tracing } from "../lib/index";
import type { TraceClient } from "../lib/export/index";

const TRACES = Number(process.env["BENCH_ITERATIONS"] ?? 100_000);
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 15);
const SPANS_PER_TRACE = 5;
let acc = 0;

const step = traced(function step(i: number): number {
  return (i * 31) & 7;
});

function trace(i: number): number {
  return startSpan({ name: "root", inputs: { i } }, () => {
    let sum = step(i);
    for (let k = 0; k < 3; k++) sum += startSpan({ name: "child", inputs: { k } }, () => k + 1);
    return sum;
  });
}

function run(n: number): number {
  for (let i = 0; i < n; i++) acc += trace(i);
  return acc;
}

/** ns per trace for `n` traces under `setup`. */
function timed(setup: () => void, n: number): number {
  setup();
  const start = process.hrtime.bigint();
  run(n);
  return Number(process.hrtime.bigint() - start) / n;
}

interface Case {
  name: string;
  setup: () => void;
  samples: number[];
}

const noopClient: TraceClient = { export: async () => ({ failures: [] }), shutdown: async () => undefined };

function stats(samples: readonly number[]): { median: number; min: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)] as number, min: sorted[0] as number, max: sorted[sorted.length - 1] as number };
}

/**
 * What one `AsyncLocalStorage.run` adds to a call, the floor of a dropped trace (its root enters one
 * context frame): ns per call over a plain call, paired by round.
 */
function alsRunCost(rounds: number): { median: number; min: number; max: number } {
  const als = new AsyncLocalStorage<{ i: number }>();
  const fn = (i: number): number => (i * 31) & 7;
  const n = 1_000_000;
  const time = (body: () => void): number => {
    const start = process.hrtime.bigint();
    body();
    return Number(process.hrtime.bigint() - start) / n;
  };
  const added: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const plain = time(() => {
      for (let i = 0; i < n; i++) acc += fn(i);
    });
    const run = time(() => {
      for (let i = 0; i < n; i++) acc += als.run({ i }, fn, i);
    });
    added.push(run - plain);
  }
  return stats(added);
}

function main(): void {
  setTraceClient(noopClient);
  configureTracing({ completedTraceCapacity: 100 });
  const cases: Case[] = [
    {
      name: "A: tracing disabled",
      setup: () => {
        tracing.disable();
      },
      samples: [],
    },
    {
      name: "B: dropped by ratio 0",
      setup: () => {
        tracing.enable();
        configureTracing({ sampling: { ratio: 0 } });
      },
      samples: [],
    },
    {
      name: "kept (ratio 1)",
      setup: () => {
        tracing.enable();
        configureTracing({ sampling: { ratio: 1 } });
      },
      samples: [],
    },
    {
      name: "dropped, tail rule set",
      setup: () => {
        tracing.enable();
        configureTracing({ sampling: { ratio: 0, keepErrors: true } });
      },
      samples: [],
    },
  ];
  const [a, b] = cases as [Case, Case, ...Case[]];
  for (const c of [a, b]) timed(c.setup, Math.max(1, TRACES / 4)); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    for (const c of r % 2 === 0 ? [a, b] : [b, a]) c.samples.push(timed(c.setup, TRACES));
  }
  // The kept and tail cases export (and make garbage): measured after A/B, so they cannot skew it.
  for (const c of cases.slice(2)) for (let r = 0; r < 5; r++) c.samples.push(timed(c.setup, TRACES / 10));
  tracing.enable();
  configureTracing({ sampling: { ratio: 1 } });
  process.stdout.write(`\nHead-dropped traces: ${SPANS_PER_TRACE}-span trace, ${ROUNDS} interleaved rounds (Node ${process.versions.node})\n`);
  for (const c of cases) {
    const s = stats(c.samples);
    process.stdout.write(`  ${c.name.padEnd(24)} median ${s.median.toFixed(0).padStart(6)} ns/trace  (min ${s.min.toFixed(0)}, max ${s.max.toFixed(0)})\n`);
  }
  const perSpan = b.samples.map((v, i) => (v - (a.samples[i] as number)) / SPANS_PER_TRACE);
  const d = stats(perSpan);
  process.stdout.write(
    `  B − A per span: median ${d.median.toFixed(1)} ns (min ${d.min.toFixed(1)}, max ${d.max.toFixed(1)}); budget 50 ns: ${d.median <= 50 ? "within" : "OVER"}\n`,
  );
  const run = alsRunCost(ROUNDS);
  process.stdout.write(
    `  AsyncLocalStorage.run over a plain call: median ${run.median.toFixed(1)} ns (min ${run.min.toFixed(1)}, max ${run.max.toFixed(1)}) — a dropped trace's root enters one frame\n`,
  );
  process.stdout.write(`  (acc ${acc})\n`);
}

main();
