import { ConfigError, configureTracing, getLastActiveTrace, getLastActiveTraceId, startSpan, type LiveSpan } from "../../lib/index";
import { getDiagnosticsCounts } from "../../lib/export/index";
import { setDiagnosticsLogger } from "../../lib/internal/diagnostics";
import { openSpan } from "../../lib/tracing/start-span";

describe("trace completion", () => {
  afterEach(() => configureTracing({ lateSpanWaitMs: 5_000 }));

  it("waits for a child that ends after its root, then completes the trace with it", async () => {
    let late: LiveSpan | undefined;
    startSpan({ name: "root-with-late-child" }, (root) => {
      late = openSpan({ name: "late" }, root);
    });
    expect(getLastActiveTrace()?.data.spans[0]?.name).not.toBe("root-with-late-child");
    await new Promise((r) => setTimeout(r, 10));
    late!.end({ outputs: "finally" });
    const trace = getLastActiveTrace()!;
    expect(trace.data.spans.map((s) => s.name)).toEqual(["root-with-late-child", "late"]);
    expect(trace.data.spans[1]!.outputs).toBe("finally");
  });

  it("exports after the bounded wait when a child never ends, and counts the late span", () => {
    configureTracing({ lateSpanWaitMs: 20 });
    setDiagnosticsLogger(() => undefined);
    jest.useFakeTimers();
    try {
      let child: LiveSpan | undefined;
      startSpan({ name: "root-never" }, (root) => {
        child = openSpan({ name: "never-ends" }, root);
      });
      jest.advanceTimersByTime(19);
      expect(getLastActiveTrace()?.data.spans[0]?.name).not.toBe("root-never");
      jest.advanceTimersByTime(1);
      const trace = getLastActiveTrace()!;
      expect(trace.data.spans[0]!.name).toBe("root-never");
      expect(trace.data.spans).toHaveLength(2);
      const before = getDiagnosticsCounts()["late-span"] ?? 0;
      child!.end();
      expect(getDiagnosticsCounts()["late-span"]).toBe(before + 1);
    } finally {
      jest.useRealTimers();
      setDiagnosticsLogger(undefined);
    }
  });

  it("getLastActiveTraceId names the newest completed trace", () => {
    startSpan({ name: "first" }, () => undefined);
    startSpan({ name: "second" }, () => undefined);
    expect(getLastActiveTrace()!.data.spans[0]!.name).toBe("second");
    expect(getLastActiveTraceId()).toBe(getLastActiveTrace()!.info.traceId);
  });

  it("keeps only the configured number of completed traces in memory", async () => {
    configureTracing({ completedTraceCapacity: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      startSpan({ name: `t${i}` }, () => undefined);
      ids.push(getLastActiveTraceId()!);
    }
    const { getTrace } = await import("../../lib/index");
    expect(await getTrace(ids[0]!)).toBeUndefined();
    expect(await getTrace(ids[2]!)).toBeDefined();
    configureTracing({ completedTraceCapacity: 100 });
  });

  it("keeps the newest traces when the capacity shrinks or grows, after the buffer has wrapped", async () => {
    const { getTrace } = await import("../../lib/index");
    configureTracing({ completedTraceCapacity: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      startSpan({ name: `t${i}` }, () => undefined);
      ids.push(getLastActiveTraceId()!);
    }
    configureTracing({ completedTraceCapacity: 2 });
    expect(getLastActiveTrace()?.data.spans[0]?.name).toBe("t6");
    expect((await getTrace(ids[5]!))?.data.spans[0]?.name).toBe("t5");
    expect(await getTrace(ids[4]!)).toBeUndefined();
    configureTracing({ completedTraceCapacity: 5 });
    startSpan({ name: "t7" }, () => undefined);
    expect(getLastActiveTrace()?.data.spans[0]?.name).toBe("t7");
    expect((await getTrace(ids[5]!))?.data.spans[0]?.name).toBe("t5");
    configureTracing({ completedTraceCapacity: 100 });
  });

  it("rejects invalid configuration with a ConfigError naming the option, like the other configure calls", () => {
    expect(() => configureTracing({ maxStringLength: -1 })).toThrow(
      new ConfigError("configureTracing: expected `maxStringLength` to be a positive integer, got -1 (a number)"),
    );
    expect(() => configureTracing({ lateSpanWaitMs: Number.NaN })).toThrow(ConfigError);
    expect(() => configureTracing({ lateSpanWaitMs: Number.NaN })).toThrow(/lateSpanWaitMs/);
  });
});

describe("work scheduled from a finished trace", () => {
  it("starts a new trace instead of losing its spans in the exported one", async () => {
    const ticked = new Promise<void>((resolve) => {
      startSpan({ name: "interval-owner" }, () => {
        setTimeout(() => {
          startSpan({ name: "tick" }, () => undefined);
          resolve();
        }, 5);
      });
    });
    const owner = getLastActiveTrace()!;
    await ticked;
    const last = getLastActiveTrace()!;
    expect(owner.data.spans.map((s) => s.name)).toEqual(["interval-owner"]);
    expect(last.data.spans.map((s) => s.name)).toEqual(["tick"]);
    expect(last.data.spans[0]!.parentId).toBeNull();
    expect(last.info.traceId).not.toBe(owner.info.traceId);
  });
});
