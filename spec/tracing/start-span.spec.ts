import { getCurrentActiveSpan, getLastActiveTrace, getTrace, startSpan, SpanType, type Trace } from "../../lib/index";
import { addTraceSink } from "../../lib/tracing/completed-traces";

function collectTraces(): { traces: Trace[]; stop: () => void } {
  const traces: Trace[] = [];
  const stop = addTraceSink({ onTraceCompleted: (t) => traces.push(t) });
  return { traces, stop };
}

describe("startSpan", () => {
  it("returns what a sync fn returns and records a one-span trace", () => {
    const result = startSpan({ name: "sync", spanType: SpanType.TOOL, inputs: { x: 1 } }, () => 7);
    expect(result).toBe(7);
    const trace = getLastActiveTrace()!;
    expect(trace.data.spans).toHaveLength(1);
    const [span] = trace.data.spans;
    expect(span).toMatchObject({ name: "sync", spanType: "TOOL", inputs: { x: 1 }, outputs: 7, parentId: null });
    expect(span!.status.code).toBe("OK");
    expect(trace.info.state).toBe("OK");
    expect(trace.info.traceId).toMatch(/^tr-[0-9a-f]{32}$/);
    expect(trace.info.requestId).toBe(trace.info.traceId);
    expect(span!.endTimeNs >= span!.startTimeNs).toBe(true);
  });

  it("resolves to what an async fn resolves to and ends the span when the promise settles", async () => {
    const result = await startSpan({ name: "async" }, async (span) => {
      await new Promise((r) => setTimeout(r, 20));
      span.setOutputs({ answer: "Paris" });
      return "ignored as outputs because outputs were set";
    });
    expect(result).toBe("ignored as outputs because outputs were set");
    const span = getLastActiveTrace()!.data.spans[0]!;
    expect(span.outputs).toEqual({ answer: "Paris" });
    expect(Number(span.endTimeNs - span.startTimeNs)).toBeGreaterThanOrEqual(15_000_000);
  });

  it("nests spans and keeps Promise.all branches under the right parents", async () => {
    await startSpan({ name: "root" }, async () => {
      await Promise.all(
        ["a", "b"].map((branch) =>
          startSpan({ name: branch }, async () => {
            await new Promise((r) => setTimeout(r, branch === "a" ? 15 : 5));
            await startSpan({ name: `${branch}.leaf` }, async () => undefined);
          }),
        ),
      );
    });
    const spans = getLastActiveTrace()!.data.spans;
    const byName = new Map(spans.map((s) => [s.name, s]));
    expect(spans[0]!.name).toBe("root");
    expect(byName.get("a")!.parentId).toBe(byName.get("root")!.spanId);
    expect(byName.get("b")!.parentId).toBe(byName.get("root")!.spanId);
    expect(byName.get("a.leaf")!.parentId).toBe(byName.get("a")!.spanId);
    expect(byName.get("b.leaf")!.parentId).toBe(byName.get("b")!.spanId);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
  });

  it("keeps 1,000 concurrent traces apart", async () => {
    const { traces, stop } = collectTraces();
    try {
      await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          startSpan({ name: `root-${i}`, inputs: { i } }, async () => {
            await new Promise((r) => setImmediate(r));
            await startSpan({ name: `child-${i}` }, async () => {
              await new Promise((r) => setTimeout(r, i % 3));
              return i;
            });
          }),
        ),
      );
    } finally {
      stop();
    }
    expect(traces).toHaveLength(1000);
    for (const trace of traces) {
      const [root, child] = trace.data.spans;
      const i = (root!.inputs as { i: number }).i;
      expect(root!.name).toBe(`root-${i}`);
      expect(child!.name).toBe(`child-${i}`);
      expect(child!.outputs).toBe(i);
      expect(child!.parentId).toBe(root!.spanId);
    }
    expect(new Set(traces.map((t) => t.info.traceId)).size).toBe(1000);
  });

  it("rethrows the same error object, records an exception event and marks the trace ERROR", async () => {
    const boom = new TypeError("boom");
    let caught: unknown;
    try {
      await startSpan({ name: "root" }, async () => {
        await startSpan({ name: "failing" }, async () => {
          throw boom;
        });
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(boom);
    const trace = getLastActiveTrace()!;
    expect(trace.info.state).toBe("ERROR");
    for (const span of trace.data.spans) {
      expect(span.status).toEqual({ code: "ERROR", description: "TypeError: boom" });
      const event = span.events.find((e) => e.name === "exception")!;
      expect(event.attributes["exception.type"]).toBe("TypeError");
      expect(event.attributes["exception.message"]).toBe("boom");
      expect(String(event.attributes["exception.stacktrace"])).toContain("TypeError: boom");
    }
  });

  it("rethrows a synchronously thrown non-Error value unchanged", () => {
    const thrown = { code: 42 };
    expect(() =>
      startSpan({ name: "x" }, () => {
        throw thrown;
      }),
    ).toThrow();
    try {
      startSpan({ name: "x" }, () => {
        throw thrown;
      });
    } catch (error) {
      expect(error).toBe(thrown);
    }
    expect(getLastActiveTrace()!.info.state).toBe("ERROR");
  });

  it("exposes the active span inside fn and none outside", () => {
    expect(getCurrentActiveSpan()).toBeUndefined();
    startSpan({ name: "outer" }, (outer) => {
      expect(getCurrentActiveSpan()).toBe(outer);
      startSpan({ name: "inner" }, (inner) => {
        expect(getCurrentActiveSpan()).toBe(inner);
        expect(inner.traceId).toBe(outer.traceId);
      });
      expect(getCurrentActiveSpan()).toBe(outer);
    });
    expect(getCurrentActiveSpan()).toBeUndefined();
  });

  it("snapshots inputs when set: later mutation does not change the trace", () => {
    const inputs = { items: [1, 2] };
    startSpan({ name: "snap", inputs }, (span) => {
      inputs.items.push(3);
      const out = { n: 1 };
      span.setOutputs(out);
      out.n = 2;
    });
    const span = getLastActiveTrace()!.data.spans[0]!;
    expect(span.inputs).toEqual({ items: [1, 2] });
    expect(span.outputs).toEqual({ n: 1 });
  });

  it("gives a span the same ids while it runs, after it ends and in the finished trace", () => {
    const seen: { spanId: string; traceId: string }[] = [];
    startSpan({ name: "root" }, (root) => {
      startSpan({ name: "child" }, (child) => {
        seen.push({ spanId: child.spanId, traceId: child.traceId });
      });
      seen.push({ spanId: root.spanId, traceId: root.traceId });
      expect(root.spanId).toBe(seen[1]!.spanId);
    });
    const trace = getLastActiveTrace()!;
    const [root, child] = trace.data.spans;
    expect(child).toMatchObject({ spanId: seen[0]!.spanId, parentId: seen[1]!.spanId, traceId: trace.info.traceId });
    expect(root).toMatchObject({ spanId: seen[1]!.spanId, parentId: null });
    expect(seen[0]!.traceId).toBe(trace.info.traceId);
    expect(seen[0]!.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(seen[0]!.spanId).not.toBe(seen[1]!.spanId);
  });

  it("getTrace finds an older held trace whose id was never read before", async () => {
    const spanRefs: { traceId: string }[] = [];
    for (let i = 0; i < 3; i++) startSpan({ name: `held-${i}` }, (span) => void spanRefs.push(span));
    expect((await getTrace(spanRefs[0]!.traceId))?.data.spans[0]?.name).toBe("held-0");
    expect((await getTrace(spanRefs[2]!.traceId))?.data.spans[0]?.name).toBe("held-2");
  });

  it("getTrace finds a completed trace by id", async () => {
    startSpan({ name: "find-me" }, () => undefined);
    const id = getLastActiveTrace()!.info.traceId;
    expect((await getTrace(id))?.data.spans[0]?.name).toBe("find-me");
    expect(await getTrace("tr-00000000000000000000000000000001")).toBeUndefined();
  });
});
