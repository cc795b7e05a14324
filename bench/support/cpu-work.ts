/**
 * "1 ms of work" for the overhead benchmarks: a fixed amount of CPU work calibrated at start.
 * The fastest of several timings is taken, so time the process spends descheduled (other load on a
 * shared machine) is not counted as work. A fixed amount of work, rather than spinning until 1 ms of
 * wall time has passed: a wall-clock spin absorbs preemption on the "work" side only, which inflated
 * the measured overhead by the machine's load factor.
 */
let sink = 0;
function spin(iterations: number): void {
  let x = sink;
  for (let i = 0; i < iterations; i++) x = (x * 31 + i) | 0;
  sink = x;
}

function calibrate(): number {
  const n = 200_000;
  let best = Infinity;
  for (let i = 0; i < 30; i++) {
    const start = process.hrtime.bigint();
    spin(n);
    best = Math.min(best, Number(process.hrtime.bigint() - start));
  }
  return Math.round((n * 1e6) / best);
}

let iterationsPerMs: number | undefined;

/** Does 1 ms of CPU work (as calibrated on first use). */
export function work1ms(): void {
  spin((iterationsPerMs ??= calibrate()));
}
