import { AsyncResource } from "node:async_hooks";
import * as mlflow from "../../lib/index";
import { ConfigError } from "../../lib/index";
import type { Trace } from "../../lib/index";
import { addTraceSink } from "../../lib/tracing/completed-traces";
import { keepsTraceId, ratioBound } from "../../lib/tracing/sampling";

const { startSpan, traced, configureTracing, continueTrace, injectTraceContext } = mlflow;

function collect(): { traces: Trace[]; stop: () => void } {
  const traces: Trace[] = [];
  return { traces, stop: addTraceSink({ onTraceCompleted: (t) => traces.push(t) }) };
}

/** A trace id whose low 64 bits are `low` (16 hex digits). */
const idWithLow = (low: string): string => `${"ab".repeat(8)}${low}`;

afterEach(() => configureTracing({ sampling: { ratio: 1 } }));

describe("TraceIdRatioBased, as OpenTelemetry's Python SDK computes it", () => {
  it("keeps a trace id when its low 64 bits are below round(ratio × 2^64)", () => {
    const half = ratioBound(0.5);
    expect(keepsTraceId(idWithLow("7fffffffffffffff"), half)).toBe(true);
    expect(keepsTraceId(idWithLow("8000000000000000"), half)).toBe(false);
    expect(keepsTraceId(idWithLow("ffffffffffffffff"), ratioBound(1))).toBe(true);
    expect(keepsTraceId(idWithLow("0000000000000000"), ratioBound(0))).toBe(false);
    // round(0.1 × 2^64) = 1844674407370955264 = 0x1999999999999a00
    expect(keepsTraceId(idWithLow("19999999999999ff"), ratioBound(0.1))).toBe(true);
    expect(keepsTraceId(idWithLow("1999999999999a00"), ratioBound(0.1))).toBe(false);
    // The high 64 bits play no part.
    expect(keepsTraceId(`ffffffffffffffff${"0".repeat(15)}1`, ratioBound(1e-18))).toBe(true);
  });
});

describe("head sampling", () => {
  it("drops a whole trace with one decision: the spans inside a dropped root record nothing and start no trace", async () => {
    configureTracing({ sampling: { ratio: 0 } });
    const { traces, stop } = collect();
    let headers: Record<string, string> = {};
    try {
      const out = await startSpan({ name: "root" }, async (root) => {
        root.setInputs({ q: 1 });
        headers = injectTraceContext({});
        await traced(async function child() {
          return startSpan({ name: "grandchild" }, () => 3);
        })();
        return 42;
      });
      expect(out).toBe(42);
    } finally {
      stop();
    }
    expect(traces).toEqual([]);
    expect(mlflow.getLastActiveTrace()).toBeUndefined();
    // Outgoing calls carry the dropped trace's id with the sampled flag off, so the callee drops it too.
    expect(headers["traceparent"]).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
  });

  it("keeps about `ratio` of the traces, decided by the trace id", () => {
    configureTracing({ sampling: { ratio: 0.25 } });
    const { traces, stop } = collect();
    try {
      for (let i = 0; i < 4000; i++) startSpan({ name: "t" }, () => i);
    } finally {
      stop();
    }
    expect(traces.length).toBeGreaterThan(800);
    expect(traces.length).toBeLessThan(1200);
    const bound = ratioBound(0.25);
    for (const trace of traces) expect(keepsTraceId(trace.info.traceId.slice(3), bound)).toBe(true);
  });

  it("lets a per-function samplingRatio override the global ratio for traces that function starts", () => {
    configureTracing({ sampling: { ratio: 0 } });
    const always = traced(
      function always() {
        return 1;
      },
      { samplingRatio: 1 },
    );
    const { traces, stop } = collect();
    try {
      startSpan({ name: "kept", samplingRatio: 1 }, () => startSpan({ name: "inner" }, () => 1));
      always();
      startSpan({ name: "global-ratio" }, () => 1);
    } finally {
      stop();
    }
    expect(traces.map((t) => t.data.spans.map((s) => s.name))).toEqual([["kept", "inner"], ["always"]]);
    configureTracing({ sampling: { ratio: 1 } });
    const { traces: none, stop: stop2 } = collect();
    try {
      startSpan({ name: "never", samplingRatio: 0 }, () => 1);
    } finally {
      stop2();
    }
    expect(none).toEqual([]);
  });

  it("follows the sampled flag of a remote parent (traceparent), whatever the ratio, as Python's ParentBased sampler", async () => {
    const trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    const { traces, stop } = collect();
    try {
      configureTracing({ sampling: { ratio: 0 } });
      await continueTrace({ traceparent: `00-${trace}-00f067aa0ba902b7-01` }, () => startSpan({ name: "sampled-upstream" }, async () => 1));
      configureTracing({ sampling: { ratio: 1 } });
      await continueTrace({ traceparent: `00-${trace}-00f067aa0ba902b7-00` }, () => startSpan({ name: "dropped-upstream" }, async () => 1));
    } finally {
      stop();
    }
    expect(traces.map((t) => [t.data.spans[0]?.name, t.info.traceId])).toEqual([["sampled-upstream", `tr-${trace}`]]);
  });

  it("reports an invalid samplingRatio and traces with the global ratio", () => {
    const messages: string[] = [];
    mlflow.setDiagnosticsLogger((_l, m) => messages.push(m));
    const { traces, stop } = collect();
    try {
      startSpan({ name: "bad", samplingRatio: 2 }, () => 1);
    } finally {
      stop();
      mlflow.setDiagnosticsLogger(undefined);
    }
    expect(traces).toHaveLength(1);
    expect(messages.join("\n")).toMatch(/`samplingRatio` to be a number between 0 and 1/);
  });

  it("records spans that run synchronously inside a dropped root but in another trace's context (a bound callback, a traced generator)", async () => {
    const { traces, stop } = collect();
    let bound: (() => number) | undefined;
    let chunks: Generator<number> | undefined;
    let release: () => void = () => undefined;
    const chunk = traced(function* chunk() {
      yield startSpan({ name: "in-generator" }, () => 1);
    });
    try {
      const kept = startSpan({ name: "kept" }, async () => {
        bound = AsyncResource.bind(() => startSpan({ name: "in-bound" }, () => 2));
        chunks = chunk();
        await new Promise<void>((resolve) => (release = resolve));
      });
      configureTracing({ sampling: { ratio: 0 } });
      startSpan({ name: "dropped" }, () => {
        expect(startSpan({ name: "inside" }, (span) => span.traceId)).not.toBe(`tr-${"0".repeat(32)}`);
        bound?.();
        for (const n of chunks ?? []) expect(n).toBe(1);
      });
      release();
      await kept;
    } finally {
      stop();
    }
    expect(traces).toHaveLength(1);
    expect((traces[0] as Trace).data.spans.map((s) => s.name)).toEqual(["kept", "in-bound", "chunk", "in-generator"]);
  });

  it("rejects an invalid sampling configuration, naming the option", () => {
    expect(() => configureTracing({ sampling: { ratio: 1.5 } })).toThrow("configureTracing: expected `sampling.ratio` to be a number between 0 and 1, got 1.5");
    expect(() => configureTracing({ sampling: { ratio: 1.5 } })).toThrow(ConfigError);
    expect(() => configureTracing({ sampling: null as never })).toThrow(
      "expected `sampling` to be an object such as { ratio: 0.1, keepErrors: true }, got null",
    );
    expect(() => configureTracing({ sampling: { ratoi: 0.1 } as never })).toThrow("configureTracing: sampling: unknown option `ratoi`; did you mean `ratio`?");
    expect(() => configureTracing({ sampling: { keepSlowerThanMs: -1 } })).toThrow(/`sampling.keepSlowerThanMs`/);
  });
});

describe("tail rules", () => {
  it("keep every ERROR trace and every slow one that the ratio drops, and drop the rest", async () => {
    configureTracing({ sampling: { ratio: 0, keepErrors: true, keepSlowerThanMs: 30 } });
    const { traces, stop } = collect();
    const error = new Error("model down");
    try {
      startSpan({ name: "fast-ok" }, () => 1);
      expect(() =>
        startSpan({ name: "failed" }, () =>
          startSpan({ name: "step" }, () => {
            throw error;
          }),
        ),
      ).toThrow(error);
      await startSpan({ name: "slow" }, () => new Promise((r) => setTimeout(r, 40)));
      startSpan({ name: "marked-error" }, () => mlflow.updateCurrentTrace({ state: "ERROR" }));
    } finally {
      stop();
    }
    expect(traces.map((t) => [t.data.spans[0]?.name, t.info.state])).toEqual([
      ["failed", "ERROR"],
      ["slow", "OK"],
      ["marked-error", "ERROR"],
    ]);
    expect(traces[0]?.data.spans.map((s) => s.name)).toEqual(["failed", "step"]);
  });

  it("leave traces the ratio keeps alone", () => {
    configureTracing({ sampling: { ratio: 1, keepErrors: true } });
    const { traces, stop } = collect();
    try {
      startSpan({ name: "ok" }, () => 1);
    } finally {
      stop();
    }
    expect(traces).toHaveLength(1);
  });
});
