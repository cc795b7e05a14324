import { getLastActiveTrace, startSpan } from "../../lib/index";
import { estimateTraceBytes } from "../../lib/export/trace-size";

describe("estimateTraceBytes", () => {
  it("stays within a small factor of the trace's JSON length, small or large", () => {
    for (const size of [10, 1_000, 100_000]) {
      startSpan({ name: "root", inputs: { text: "x".repeat(size), list: [1, 2, 3] } }, () => {
        for (let i = 0; i < 4; i++) startSpan({ name: `child${i}`, attributes: { n: i, nested: { a: "y".repeat(size / 10) } } }, () => ({ out: i }));
        return "done";
      });
      const trace = getLastActiveTrace()!;
      const actual = JSON.stringify(trace).length;
      const estimate = estimateTraceBytes(trace);
      expect(estimate / actual).toBeGreaterThan(0.5);
      expect(estimate / actual).toBeLessThan(2);
    }
  });
});
