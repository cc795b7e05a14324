import { performance } from "node:perf_hooks";
import { perfToEpochNs } from "../../lib/tracing/clock";

/** The conversion as written before its sub-millisecond tables: whole milliseconds, then the rest rounded to ns. */
function reference(perf: number): bigint {
  const ms = performance.timeOrigin + perf;
  const wholeMs = Math.floor(ms);
  return BigInt(wholeMs) * 1_000_000n + BigInt(Math.round((ms - wholeMs) * 1_000_000));
}

describe("perfToEpochNs", () => {
  it("gives the nanoseconds since the epoch of a reading, exactly as the plain BigInt conversion", () => {
    const now = performance.now();
    const readings = [0, 0.0000004, 0.0000005, 0.9999994, 0.9999996, 1, 1.5, now, now + 0.000001, now + 0.999999, 123_456.789_012_345];
    for (let i = 0; i < 5000; i++) readings.push(now + i * 0.000_713_9);
    for (const perf of readings) expect(perfToEpochNs(perf)).toBe(reference(perf));
  });

  it("rounds up to the next whole millisecond where the rest rounds to 1,000,000 ns", () => {
    const ms = Math.floor(performance.timeOrigin) + 1;
    const perf = ms - performance.timeOrigin - 1e-7;
    expect(perfToEpochNs(perf)).toBe(reference(perf));
  });
});
