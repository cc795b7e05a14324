import { getLastActiveTrace, startSpan } from "../../../lib/index";
import { estimateTraceBytes } from "../../../lib/export/clients/trace-size";

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

describe("estimateTraceBytes at any depth", () => {
  it("counts a chat payload nested 6 levels deep at its full size", () => {
    const message = { role: "user", content: "z".repeat(100_000) };
    const deep = { a: { b: { c: { d: { e: { messages: [message, message] } } } } } };
    startSpan({ name: "deep", inputs: deep }, (span) => {
      span.addEvent("chunk", { payload: "e".repeat(50_000) });
      return { l1: { l2: { l3: { l4: { l5: { l6: ["o".repeat(100_000)] } } } } } };
    });
    const trace = getLastActiveTrace()!;
    const actual = JSON.stringify(trace).length;
    expect(actual).toBeGreaterThan(350_000);
    const ratio = estimateTraceBytes(trace) / actual;
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});
