/**
 * A tiny benchmark harness: runs each case in rounds, reports the median ns per operation, and
 * prints ratios against a baseline measured in the same run.
 */

export interface BenchCase {
  name: string;
  /** Runs `iterations` operations; returns anything to keep the work observable. */
  run(iterations: number): unknown;
}

export interface BenchResult {
  name: string;
  nsPerOp: number;
}

let sink: unknown;

function timeOnce(c: BenchCase, iterations: number): number {
  const start = process.hrtime.bigint();
  sink = c.run(iterations);
  return Number(process.hrtime.bigint() - start) / iterations;
}

/** Median ns/op over `rounds` rounds after a warm-up round. */
export function measure(c: BenchCase, iterations: number, rounds = 7): BenchResult {
  timeOnce(c, Math.max(1, Math.floor(iterations / 4)));
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) samples.push(timeOnce(c, iterations));
  samples.sort((a, b) => a - b);
  return { name: c.name, nsPerOp: samples[Math.floor(samples.length / 2)] as number };
}

/** Async variant: `run` returns a promise. */
export async function measureAsync(c: { name: string; run(iterations: number): Promise<unknown> }, iterations: number, rounds = 5): Promise<BenchResult> {
  await c.run(Math.max(1, Math.floor(iterations / 4)));
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    sink = await c.run(iterations);
    samples.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  samples.sort((a, b) => a - b);
  return { name: c.name, nsPerOp: samples[Math.floor(samples.length / 2)] as number };
}

/** Prints a table of results with each one's ratio to `baseline`. */
export function printTable(title: string, results: readonly BenchResult[], baseline: string, ratioLabel = "ratio"): void {
  const base = results.find((r) => r.name === baseline);
  process.stdout.write(`\n${title} (Node ${process.versions.node})\n`);
  const width = Math.max(...results.map((r) => r.name.length));
  for (const r of results) {
    const ratio = base === undefined ? "" : `  ${ratioLabel} ${(r.nsPerOp / base.nsPerOp).toFixed(2)}x vs ${baseline}`;
    process.stdout.write(`  ${r.name.padEnd(width)}  ${r.nsPerOp.toFixed(1).padStart(10)} ns/op${ratio}\n`);
  }
}

/** Keeps results alive so the optimizer cannot drop the measured work. */
export function consume(): unknown {
  return sink;
}
