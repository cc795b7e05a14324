import { BatchProcessor } from "../../../lib/export/batch/processor";
import type { BatchProcessorOptions } from "../../../lib/export/batch/options";
import { ConfigError } from "../../../lib/export/errors";
import type { TraceClient } from "../../../lib/export/clients/trace-client";
import type { Trace } from "../../../lib/tracing/trace";
import { resetDiagnosticsCounts, setDiagnosticsLogger, type DiagnosticsLevel } from "../../../lib/internal/diagnostics";
import { fakeTrace, fakeTraces, ManualClient, tick, type FakeTrace } from "./processor.fakes";

let logs: Array<{ level: DiagnosticsLevel; message: string }>;

beforeEach(() => {
  jest.useFakeTimers();
  logs = [];
  resetDiagnosticsCounts();
  setDiagnosticsLogger((level, message) => logs.push({ level, message }));
});

afterEach(() => {
  setDiagnosticsLogger(undefined);
  jest.useRealTimers();
});

function make(client: ManualClient, options: BatchProcessorOptions<FakeTrace> = {}): BatchProcessor<FakeTrace> {
  return new BatchProcessor(client, { flushOnExit: false, ...options });
}

describe("BatchProcessor batching", () => {
  it("sends a full batch as soon as maxBatchSize traces are queued, never on the caller's stack", async () => {
    const client = new ManualClient();
    const p = make(client, { maxBatchSize: 3 });
    for (const t of fakeTraces("t", 3)) p.enqueue(t);
    expect(client.calls).toHaveLength(0);
    await tick();
    expect(client.batches).toEqual([["t0", "t1", "t2"]]);
  });

  it("sends a partial batch once scheduledDelayMs has passed", async () => {
    const client = new ManualClient();
    const p = make(client, { maxBatchSize: 10, scheduledDelayMs: 1000 });
    p.enqueue(fakeTrace("a"));
    p.enqueue(fakeTrace("b"));
    await tick(999);
    expect(client.calls).toHaveLength(0);
    await tick(1);
    expect(client.batches).toEqual([["a", "b"]]);
  });

  it("splits a long queue into batches of maxBatchSize", async () => {
    const client = new ManualClient((call) => call.ok());
    const p = make(client, { maxBatchSize: 2, maxConcurrentExports: 5 });
    for (const t of fakeTraces("t", 5)) p.enqueue(t);
    await tick(1000);
    expect(client.batches).toEqual([["t0", "t1"], ["t2", "t3"], ["t4"]]);
    expect(p.getStats()).toMatchObject({ exported: 5, queued: 0, inFlight: 0 });
  });

  it("keeps no timer running while the queue is empty", async () => {
    const client = new ManualClient((call) => call.ok());
    const p = make(client, { maxBatchSize: 10 });
    expect(jest.getTimerCount()).toBe(0);
    p.enqueue(fakeTrace("a"));
    await tick();
    expect(jest.getTimerCount()).toBe(1); // the batch timer for the partial batch
    await tick(1000);
    expect(client.calls).toHaveLength(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it("runs at most maxConcurrentExports exports at once", async () => {
    const client = new ManualClient();
    const p = make(client, { maxBatchSize: 1, maxConcurrentExports: 2 });
    for (const t of fakeTraces("t", 5)) p.enqueue(t);
    await tick();
    expect(client.calls).toHaveLength(2);
    expect(p.getStats()).toMatchObject({ inFlight: 2, queued: 3 });
    client.calls[0]?.ok();
    await tick();
    expect(client.calls).toHaveLength(3);
    expect(p.getStats()).toMatchObject({ inFlight: 2, queued: 2, exported: 1 });
  });

  it("runs client calls through runOutsideTracing", async () => {
    const client = new ManualClient((call) => call.ok());
    const wrapped: string[] = [];
    const p = make(client, {
      maxBatchSize: 1,
      runOutsideTracing: (fn) => {
        wrapped.push("call");
        return fn();
      },
    });
    p.enqueue(fakeTrace("a"));
    const done = p.shutdown();
    await tick();
    await done;
    expect(wrapped).toEqual(["call", "call"]); // the export, then client.shutdown()
  });
});

describe("BatchProcessor queue bounds", () => {
  it("drops traces when the queue is full and reports it once, then summarises the count", async () => {
    const client = new ManualClient();
    const p = make(client, { maxQueueSize: 3, maxBatchSize: 3 });
    for (const t of fakeTraces("t", 7)) p.enqueue(t);
    expect(p.getStats()).toMatchObject({ dropped: 4, queued: 3 });
    const warnings = logs.filter((l) => l.message.includes("export queue is full"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.level).toBe("warn");
    await tick();
    client.calls[0]?.ok();
    const result = await p.flush();
    expect(result).toEqual({ exported: 3, failed: 0, dropped: 4, pending: 0 });
    expect(logs.some((l) => /dropped 4 trace\(s\) since .* queue was full/.test(l.message))).toBe(true);
  });

  it("holds a trace that does not fit in maxQueueBytes until an export frees room, dropping new ones meanwhile", async () => {
    const client = new ManualClient();
    const p = make(client, { maxQueueBytes: 250, maxBatchSize: 3, sizeOf: () => 100 });
    for (const t of fakeTraces("t", 3)) p.enqueue(t);
    await tick();
    expect(client.batches).toEqual([["t0", "t1"]]);
    p.enqueue(fakeTrace("late"));
    expect(p.getStats()).toMatchObject({ dropped: 1 });
    expect(logs.filter((l) => l.message.includes("export queue is full"))[0]?.message).toContain("faster than they can be sent");
    const flushed = p.flush();
    client.calls[0]?.ok();
    await tick();
    expect(client.batches).toEqual([["t0", "t1"], ["t2"]]);
    client.calls[1]?.ok();
    expect(await flushed).toEqual({ exported: 3, failed: 0, dropped: 1, pending: 0 });
  });

  it("exports a trace bigger than maxQueueBytes on its own instead of dropping it", async () => {
    const client = new ManualClient((call) => call.ok());
    const p = make(client, { maxQueueBytes: 250, sizeOf: (t) => (t.info.traceId === "huge" ? 1_000 : 100) });
    for (const t of [fakeTrace("a"), fakeTrace("huge"), fakeTrace("b")]) p.enqueue(t);
    const flushed = p.flush();
    await tick();
    expect(await flushed).toEqual({ exported: 3, failed: 0, dropped: 0, pending: 0 });
    expect(client.batches).toEqual([["a"], ["huge"], ["b"]]);
  });

  it("keeps exporting when sizeOf throws", async () => {
    const client = new ManualClient((call) => call.ok());
    const p = make(client, {
      sizeOf: () => {
        throw new Error("boom");
      },
    });
    p.enqueue(fakeTrace("a"));
    const flushed = p.flush();
    await tick();
    await expect(flushed).resolves.toMatchObject({ exported: 1 });
  });
});

describe("BatchProcessor flush", () => {
  it("resolves at once when nothing is queued", async () => {
    const p = make(new ManualClient());
    await expect(p.flush()).resolves.toEqual({ exported: 0, failed: 0, dropped: 0, pending: 0 });
  });

  it("resolves only after the traces queued before it are acknowledged, with their counts", async () => {
    const client = new ManualClient();
    const p = make(client, { maxBatchSize: 10 });
    p.enqueue(fakeTrace("a"));
    p.enqueue(fakeTrace("b"));
    let settled = false;
    const flushed = p.flush().then((r) => {
      settled = true;
      return r;
    });
    p.enqueue(fakeTrace("late"));
    await tick();
    expect(client.batches).toEqual([["a", "b", "late"]]); // flush does not wait for the timer
    expect(settled).toBe(false);
    client.calls[0]?.fail([{ traceId: "b", error: new Error("bad trace"), retryable: false }]);
    await expect(flushed).resolves.toEqual({ exported: 1, failed: 1, dropped: 0, pending: 0 });
  });

  it("does not count traces enqueued after the call", async () => {
    const client = new ManualClient();
    const p = make(client, { maxBatchSize: 1, maxConcurrentExports: 1 });
    p.enqueue(fakeTrace("a"));
    const flushed = p.flush();
    p.enqueue(fakeTrace("b"));
    await tick();
    client.calls[0]?.ok();
    await expect(flushed).resolves.toEqual({ exported: 1, failed: 0, dropped: 0, pending: 0 });
    expect(p.getStats()).toMatchObject({ exported: 1, inFlight: 1 });
  });

  it("with timeoutMs, resolves at the deadline with the traces still pending", async () => {
    const client = new ManualClient();
    const p = make(client);
    p.enqueue(fakeTrace("a"));
    const flushed = p.flush({ timeoutMs: 500 });
    await tick(500);
    await expect(flushed).resolves.toEqual({ exported: 0, failed: 0, dropped: 0, pending: 1 });
  });
});

describe("BatchProcessor shutdown", () => {
  it("flushes, shuts the client down once, and returns the same promise on a second call", async () => {
    const client = new ManualClient((call) => call.ok());
    const p = make(client);
    p.enqueue(fakeTrace("a"));
    const first = p.shutdown();
    const second = p.shutdown();
    expect(second).toBe(first);
    await tick();
    await expect(first).resolves.toEqual({ exported: 1, failed: 0, dropped: 0, pending: 0 });
    expect(client.shutdowns).toBe(1);
  });

  it("drops traces enqueued after shutdown, with one warning", async () => {
    const p = make(new ManualClient());
    await p.shutdown();
    p.enqueue(fakeTrace("a"));
    p.enqueue(fakeTrace("b"));
    expect(p.getStats().dropped).toBe(2);
    expect(logs.filter((l) => l.message.includes("after the exporter shut down"))).toHaveLength(1);
  });

  it("at its deadline, aborts the request in flight and hands undelivered traces to onDeliveryFailed", async () => {
    const client = new ManualClient();
    const lost: string[] = [];
    const p = make(client, { onDeliveryFailed: (traces) => lost.push(...traces.map((t) => t.info.traceId)) });
    p.enqueue(fakeTrace("a"));
    const done = p.shutdown({ timeoutMs: 200 });
    await tick(200);
    await expect(done).resolves.toEqual({ exported: 0, failed: 1, dropped: 0, pending: 0 });
    expect(client.calls[0]?.signal.aborted).toBe(true);
    expect(lost).toEqual(["a"]);
    expect(client.shutdowns).toBe(1);
  });

  it("registers the exit hooks once and removes them at shutdown", async () => {
    const before = process.listenerCount("beforeExit");
    const a = new BatchProcessor(new ManualClient());
    const b = new BatchProcessor(new ManualClient());
    expect(process.listenerCount("beforeExit")).toBe(before + 1);
    await a.shutdown();
    expect(process.listenerCount("beforeExit")).toBe(before + 1);
    await b.shutdown();
    expect(process.listenerCount("beforeExit")).toBe(before);
  });
});

describe("BatchProcessor options", () => {
  it.each([
    [{ maxQueueSize: -1 }, "Expected `maxQueueSize` to be a positive integer, got -1"],
    [{ maxBatchSize: 1.5 }, "Expected `maxBatchSize` to be a positive integer, got 1.5"],
    [{ maxQueueSize: 10, maxBatchSize: 20 }, "Expected `maxBatchSize` to be at most `maxQueueSize` (10), got 20"],
    [{ scheduledDelayMs: Number.NaN }, "Expected `scheduledDelayMs` to be a number of milliseconds from 0 to 2147483647, got NaN"],
    [{ exportTimeoutMs: 0 }, "Expected `exportTimeoutMs` to be a number of milliseconds > 0, got 0"],
    [{ initialBackoffMs: 1000, maxBackoffMs: 10 }, "Expected `maxBackoffMs` to be at least `initialBackoffMs` (1000), got 10"],
    [{ maxConcurrentExports: "2" }, 'Expected `maxConcurrentExports` to be a positive integer, got "2"'],
  ])("rejects %p with a ConfigError naming the option", (options, message) => {
    const create = (): unknown => new BatchProcessor(new ManualClient(), options as BatchProcessorOptions<FakeTrace>);
    expect(create).toThrow(ConfigError);
    expect(create).toThrow(message);
  });

  it("accepts a TraceClient, typed for the core's Trace", () => {
    const client: TraceClient = { export: async () => ({ failures: [] }), shutdown: async () => {} };
    const p: BatchProcessor<Trace> = new BatchProcessor(client, { flushOnExit: false });
    expect(p.getStats()).toEqual({ queued: 0, inFlight: 0, exported: 0, failed: 0, dropped: 0, retries: 0 });
  });

  it("resolves documented defaults into a frozen config", () => {
    const p = make(new ManualClient());
    expect(p.config).toMatchObject({
      maxQueueSize: 2048,
      maxQueueBytes: 64 * 1024 * 1024,
      maxBatchSize: 100,
      scheduledDelayMs: 1000,
      maxConcurrentExports: 2,
      exportTimeoutMs: 30_000,
      initialBackoffMs: 500,
      maxBackoffMs: 10_000,
      maxAttempts: Number.POSITIVE_INFINITY,
      retryBudgetMs: 60_000,
      maxRetryAfterMs: 60_000,
      exitFlushTimeoutMs: 10_000,
    });
    expect(Object.isFrozen(p.config)).toBe(true);
  });
});
