/**
 * Span timestamps. The hot path reads `performance.now()` (a double of ms since the time origin);
 * conversion to nanoseconds since the epoch happens once, when a trace is assembled.
 */
import { performance } from "node:perf_hooks";

const origin = performance.timeOrigin;

/** Monotonic milliseconds since the process's time origin. */
export function nowPerf(): number {
  return performance.now();
}

// The nanoseconds of the last whole millisecond converted: a trace's timestamps mostly share it,
// and the BigInt product cost as much as the rest of the conversion.
let lastWholeMs = Number.NaN;
let lastWholeMsNs = 0n;

// The nanoseconds within the millisecond (< 2^20) as two table entries, high and low 10 bits:
// `BigInt(number)` is a call into the runtime, where adding two BigInts is not.
const LOW: bigint[] = [];
const HIGH: bigint[] = [];
for (let i = 0; i < 1024; i++) {
  LOW.push(BigInt(i));
  HIGH.push(BigInt(i * 1024));
}

/** Nanoseconds since the Unix epoch for a `nowPerf()` reading. */
export function perfToEpochNs(perf: number): bigint {
  const ms = origin + perf;
  const wholeMs = Math.floor(ms);
  if (wholeMs !== lastWholeMs) {
    lastWholeMsNs = BigInt(wholeMs) * 1_000_000n;
    lastWholeMs = wholeMs;
  }
  const ns = Math.round((ms - wholeMs) * 1_000_000);
  return lastWholeMsNs + (HIGH[ns >> 10] as bigint) + (LOW[ns & 1023] as bigint);
}

/** Milliseconds since the Unix epoch for a `nowPerf()` reading. */
export function perfToEpochMs(perf: number): number {
  return origin + perf;
}

/** Nanoseconds since the epoch, now. */
export function nowEpochNs(): bigint {
  return perfToEpochNs(performance.now());
}
