import { BatchProcessor } from "../../../lib/export/batch/processor";
import type { BatchProcessorOptions } from "../../../lib/export/batch/options";
import { ExportError } from "../../../lib/export/errors";
import { resetDiagnosticsCounts, setDiagnosticsLogger } from "../../../lib/internal/diagnostics";
import { fakeTrace, ManualClient, retryableFailures, tick, type FakeTrace } from "./processor.fakes";

let failedFinally: Array<{ ids: string[]; error: Error }>;

beforeEach(() => {
  jest.useFakeTimers();
  failedFinally = [];
  resetDiagnosticsCounts();
  setDiagnosticsLogger(() => undefined);
});

afterEach(() => {
  jest.restoreAllMocks();
  setDiagnosticsLogger(undefined);
  jest.useRealTimers();
});

function make(client: ManualClient, options: BatchProcessorOptions<FakeTrace> = {}): BatchProcessor<FakeTrace> {
  return new BatchProcessor(client, {
    flushOnExit: false,
    maxBatchSize: 1,
    onDeliveryFailed: (traces, error) => failedFinally.push({ ids: traces.map((t) => t.info.traceId), error }),
    ...options,
  });
}

describe("BatchProcessor retries", () => {
  it("retries retryable failures with exponential backoff and full jitter", async () => {
    jest.spyOn(Math, "random").mockReturnValue(0.5);
    const client = new ManualClient((call, i) => (i < 3 ? call.fail(retryableFailures(call)) : call.ok()));
    const p = make(client, { initialBackoffMs: 1000, maxBackoffMs: 3000 });
    const start = Date.now();
    p.enqueue(fakeTrace("a"));
    const flushed = p.flush();
    await tick(10_000);
    // Delays are random * min(max, initial * 2^(n-1)): 500, then 1000, then 1500 (capped at 3000).
    expect(client.calls.map((c) => c.at - start)).toEqual([0, 500, 1500, 3000]);
    await expect(flushed).resolves.toEqual({ exported: 1, failed: 0, dropped: 0, pending: 0 });
    expect(p.getStats()).toMatchObject({ exported: 1, retries: 3, failed: 0 });
  });

  it("never retries earlier than Retry-After says", async () => {
    jest.spyOn(Math, "random").mockReturnValue(0);
    const client = new ManualClient((call, i) => (i === 0 ? call.fail(retryableFailures(call, 5000)) : call.ok()));
    const p = make(client);
    p.enqueue(fakeTrace("a"));
    await tick();
    expect(client.calls).toHaveLength(1);
    await tick(4999);
    expect(client.calls).toHaveLength(1);
    await tick(1);
    expect(client.calls).toHaveLength(2);
    expect(p.getStats().exported).toBe(1);
  });

  it("fails for good, rather than retrying early, when Retry-After exceeds maxRetryAfterMs", async () => {
    const client = new ManualClient((call) => call.fail(retryableFailures(call, 120_000)));
    const p = make(client, { maxRetryAfterMs: 60_000 });
    p.enqueue(fakeTrace("a"));
    const flushed = p.flush();
    await tick();
    await expect(flushed).resolves.toEqual({ exported: 0, failed: 1, dropped: 0, pending: 0 });
    expect(client.calls).toHaveLength(1);
    expect(failedFinally.map((f) => f.ids)).toEqual([["a"]]);
  });

  it("does not retry non-retryable failures and hands them to onDeliveryFailed", async () => {
    const bad = new Error("400 INVALID_PARAMETER_VALUE");
    const client = new ManualClient((call, i) =>
      i === 0
        ? call.fail([
            { traceId: "a", error: bad, retryable: false },
            { traceId: "b", error: new Error("503"), retryable: true },
          ])
        : call.ok(),
    );
    const p = make(client, { maxBatchSize: 3 });
    p.enqueue(fakeTrace("a"));
    p.enqueue(fakeTrace("b"));
    p.enqueue(fakeTrace("c"));
    const flushed = p.flush();
    await tick(1000);
    await expect(flushed).resolves.toEqual({ exported: 2, failed: 1, dropped: 0, pending: 0 });
    expect(client.batches).toEqual([["a", "b", "c"], ["b"]]);
    expect(failedFinally).toEqual([{ ids: ["a"], error: bad }]);
  });

  it("gives up after maxAttempts", async () => {
    const client = new ManualClient((call) => call.fail(retryableFailures(call)));
    const p = make(client, { maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 10 });
    p.enqueue(fakeTrace("a"));
    const flushed = p.flush();
    await tick(1000);
    await expect(flushed).resolves.toEqual({ exported: 0, failed: 1, dropped: 0, pending: 0 });
    expect(client.calls).toHaveLength(3);
    expect(failedFinally[0]?.error.message).toBe("HTTP 503");
  });

  it("spends the whole retryBudgetMs: the last retry is moved up to the budget's end, then it gives up", async () => {
    jest.spyOn(Math, "random").mockReturnValue(0.99);
    const client = new ManualClient((call) => call.fail(retryableFailures(call)));
    const p = make(client, { initialBackoffMs: 1000, maxBackoffMs: 1000, retryBudgetMs: 2500 });
    const start = Date.now();
    p.enqueue(fakeTrace("a"));
    const flushed = p.flush();
    await tick(10_000);
    await expect(flushed).resolves.toMatchObject({ failed: 1 });
    // 0, 990, 1980; the next draw (2970) would overrun the budget, so the last try runs at 2500.
    expect(client.calls.map((c) => c.at - start)).toEqual([0, 990, 1980, 2500]);
  });

  it("with the default settings, a server down for 20 s loses nothing: retries last the 60 s budget", async () => {
    const client = new ManualClient((call) => (call.at - start < 20_000 ? call.fail(retryableFailures(call)) : call.ok()));
    const p = make(client, { maxBatchSize: 10 });
    const start = Date.now();
    for (let i = 0; i < 25; i++) p.enqueue(fakeTrace(`t${i}`));
    const flushed = p.flush();
    await tick(61_000);
    await expect(flushed).resolves.toEqual({ exported: 25, failed: 0, dropped: 0, pending: 0 });
    expect(failedFinally).toEqual([]);
    // Back within maxBackoffMs (10 s by default) of the server's return.
    expect(Math.max(...client.calls.map((c) => c.at - start))).toBeLessThan(30_000);
  });

  it("still honours an explicit maxAttempts", async () => {
    const client = new ManualClient((call) => call.fail(retryableFailures(call)));
    const p = make(client, { maxAttempts: 2, initialBackoffMs: 10, maxBackoffMs: 10 });
    p.enqueue(fakeTrace("a"));
    const flushed = p.flush();
    await tick(1000);
    await expect(flushed).resolves.toMatchObject({ failed: 1 });
    expect(client.calls).toHaveLength(2);
  });

  it("aborts the signal after exportTimeoutMs and retries the batch", async () => {
    jest.spyOn(Math, "random").mockReturnValue(0);
    const client = new ManualClient((call, i) => (i > 0 ? call.ok() : undefined));
    const p = make(client, { exportTimeoutMs: 2000 });
    p.enqueue(fakeTrace("a"));
    const flushed = p.flush();
    await tick(1999);
    expect(client.calls[0]?.signal.aborted).toBe(false);
    await tick(1);
    expect(client.calls[0]?.signal.aborted).toBe(true);
    expect(client.calls[0]?.signal.reason).toBeInstanceOf(ExportError);
    expect(String((client.calls[0]?.signal.reason as Error).message)).toContain("timed out after 2000 ms");
    await tick(1); // Node runs a 0 ms timer after at least 1 ms
    await expect(flushed).resolves.toEqual({ exported: 1, failed: 0, dropped: 0, pending: 0 });
    expect(client.calls).toHaveLength(2);
  });

  it("flush waits for traces in retry backoff", async () => {
    jest.spyOn(Math, "random").mockReturnValue(0.5);
    const client = new ManualClient((call, i) => (i === 0 ? call.fail(retryableFailures(call)) : call.ok()));
    const p = make(client, { initialBackoffMs: 4000 });
    p.enqueue(fakeTrace("a"));
    await tick();
    let done = false;
    const flushed = p.flush().then((r) => {
      done = true;
      return r;
    });
    await tick(1999);
    expect(done).toBe(false);
    await tick(1);
    await expect(flushed).resolves.toEqual({ exported: 1, failed: 0, dropped: 0, pending: 0 });
  });
});

describe("BatchProcessor flush counts failures", () => {
  it("settles a failed trace only once onDeliveryFailed has kept it (its promise settled)", async () => {
    const client = new ManualClient((call) => call.fail([{ traceId: "a", error: new Error("400"), retryable: false }]));
    let keep: () => void = () => undefined;
    const kept = new Promise<void>((resolve) => (keep = resolve));
    const p = new BatchProcessor<FakeTrace>(client, { flushOnExit: false, onDeliveryFailed: () => kept });
    p.enqueue(fakeTrace("a"));
    let result: unknown;
    const flushed = p.flush().then((r) => (result = r));
    await tick(100);
    expect(client.calls).toHaveLength(1);
    expect(result).toBeUndefined();
    keep();
    await flushed;
    expect(result).toEqual({ exported: 0, failed: 1, dropped: 0, pending: 0 });
  });

  it("reports traces that failed before the call, once", async () => {
    const client = new ManualClient((call) => call.fail(call.ids.map((traceId) => ({ traceId, error: new Error("400"), retryable: false }))));
    const p = make(client, { maxBatchSize: 2 });
    for (const id of ["a", "b", "c", "d"]) p.enqueue(fakeTrace(id));
    await tick(10);
    expect(p.getStats().failed).toBe(4);
    await expect(p.flush()).resolves.toEqual({ exported: 0, failed: 4, dropped: 0, pending: 0 });
    await expect(p.flush()).resolves.toEqual({ exported: 0, failed: 0, dropped: 0, pending: 0 });
  });
});

describe("BatchProcessor when the queue is full during an outage", () => {
  it("sends the oldest traces waiting to retry to onDeliveryFailed instead of dropping new ones", async () => {
    const client = new ManualClient((call) => call.fail(retryableFailures(call)));
    const p = make(client, { maxQueueSize: 4, maxBatchSize: 2, initialBackoffMs: 10_000, maxBackoffMs: 10_000 });
    for (const id of ["a", "b", "c", "d"]) p.enqueue(fakeTrace(id));
    await tick();
    expect(client.batches).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
    p.enqueue(fakeTrace("e"));
    p.enqueue(fakeTrace("f"));
    expect(failedFinally.map((f) => f.ids)).toEqual([["a", "b"]]);
    expect(p.getStats()).toMatchObject({ dropped: 0, failed: 2 });
    p.enqueue(fakeTrace("g"));
    expect(failedFinally.map((f) => f.ids)).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
    expect(p.getStats()).toMatchObject({ dropped: 0, failed: 4 });
  });

  it("makes a flush wait until the spilled traces are written", async () => {
    const client = new ManualClient((call, i) => (i === 0 ? call.fail(retryableFailures(call)) : call.ok()));
    let written: () => void = () => undefined;
    const writing = new Promise<void>((resolve) => (written = resolve));
    const kept: string[] = [];
    const p = new BatchProcessor<FakeTrace>(client, {
      flushOnExit: false,
      maxQueueSize: 2,
      maxBatchSize: 2,
      initialBackoffMs: 10_000,
      maxBackoffMs: 10_000,
      onDeliveryFailed: (traces) => {
        kept.push(...traces.map((t) => t.info.traceId));
        return writing;
      },
    });
    p.enqueue(fakeTrace("a"));
    p.enqueue(fakeTrace("b"));
    await tick();
    p.enqueue(fakeTrace("c"));
    expect(kept).toEqual(["a", "b"]);
    let result: unknown;
    const flushed = p.flush().then((r) => (result = r));
    await tick(100);
    expect(result).toBeUndefined();
    written();
    await flushed;
    expect(result).toEqual({ exported: 1, failed: 2, dropped: 0, pending: 0 });
  });

  it("drops (and counts) new traces when nothing waits to retry", async () => {
    const client = new ManualClient();
    const p = make(client, { maxQueueSize: 2, maxBatchSize: 2 });
    for (const id of ["a", "b", "c"]) p.enqueue(fakeTrace(id));
    expect(p.getStats()).toMatchObject({ dropped: 1, failed: 0 });
    expect(failedFinally).toEqual([]);
  });
});

describe("BatchProcessor never throws into user code", () => {
  let unhandled: unknown[];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };

  beforeEach(() => {
    unhandled = [];
    process.on("unhandledRejection", onUnhandled);
  });

  afterEach(() => {
    process.off("unhandledRejection", onUnhandled);
  });

  it("treats a client that throws synchronously or rejects as a retryable failure of the whole batch", async () => {
    jest.spyOn(Math, "random").mockReturnValue(0);
    let n = 0;
    const client = {
      export: () => {
        n += 1;
        if (n === 1) throw new Error("sync boom");
        if (n === 2) return Promise.reject(new Error("async boom"));
        return Promise.resolve({ failures: [] as [] });
      },
      shutdown: () => {
        throw new Error("shutdown boom");
      },
    };
    const p = new BatchProcessor<FakeTrace>(client, { flushOnExit: false, maxBatchSize: 2 });
    p.enqueue(fakeTrace("a"));
    p.enqueue(fakeTrace("b"));
    const done = p.shutdown();
    await tick(1000);
    await expect(done).resolves.toEqual({ exported: 2, failed: 0, dropped: 0, pending: 0 });
    expect(n).toBe(3);
    jest.useRealTimers();
    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
  });

  it("survives a client that returns garbage, and an onDeliveryFailed hook that throws", async () => {
    const client = {
      export: () => Promise.resolve(undefined as unknown as { failures: [] }),
      shutdown: () => Promise.resolve(),
    };
    const p = new BatchProcessor<FakeTrace>(client, {
      flushOnExit: false,
      maxAttempts: 1,
      onDeliveryFailed: () => {
        throw new Error("hook boom");
      },
    });
    p.enqueue(fakeTrace("a"));
    const flushed = p.flush();
    await tick();
    await expect(flushed).resolves.toEqual({ exported: 0, failed: 1, dropped: 0, pending: 0 });
    jest.useRealTimers();
    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
  });
});

/** What the HTTP layer throws when nothing listens at the tracking URI. */
function refused(traceId: string): { traceId: string; error: Error; retryable: boolean } {
  const socketError = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
  return { traceId, error: new ExportError("Request POST /api/3.0/mlflow/traces failed: ECONNREFUSED", { cause: socketError }), retryable: true };
}

describe("BatchProcessor flush with an unreachable destination", () => {
  it("returns at once with the traces pending instead of retrying until its timeout; they keep being retried and land later", async () => {
    jest.spyOn(Math, "random").mockReturnValue(0.5);
    let up = false;
    const client = new ManualClient((call) => (up ? call.ok() : call.fail(call.ids.map(refused))));
    const p = make(client, { maxBatchSize: 2, initialBackoffMs: 1000 });
    p.enqueue(fakeTrace("a"));
    p.enqueue(fakeTrace("b"));
    const flushed = p.flush({ timeoutMs: 30_000 });
    await tick();
    await expect(flushed).resolves.toEqual({ exported: 0, failed: 0, dropped: 0, pending: 2 });
    expect(client.calls).toHaveLength(1);
    expect(failedFinally).toEqual([]);
    up = true; // the server comes back: the retry in the background delivers, no local store involved
    await tick(500);
    expect(client.calls).toHaveLength(2);
    expect(p.getStats()).toMatchObject({ exported: 2, failed: 0, queued: 0, inFlight: 0 });
  });

  it("tries traces backing off from an unreachable destination once more at the flush, not after their delay", async () => {
    jest.spyOn(Math, "random").mockReturnValue(0.99);
    const client = new ManualClient((call, i) => (i === 0 ? call.fail(call.ids.map(refused)) : call.ok()));
    const p = make(client, { initialBackoffMs: 60_000 });
    p.enqueue(fakeTrace("a"));
    await tick();
    expect(client.calls).toHaveLength(1); // failed without a flush: waits out its backoff as usual
    const flushed = p.flush();
    await tick();
    await expect(flushed).resolves.toEqual({ exported: 1, failed: 0, dropped: 0, pending: 0 });
    expect(client.calls).toHaveLength(2);
  });

  it("returns even when, at every failure, another of its traces is being retried (two batches alternating)", async () => {
    jest.spyOn(Math, "random").mockReturnValue(0.5);
    const client = new ManualClient((call, i) => {
      if (i === 0) call.fail(call.ids.map(refused)); // "a", first try; its retry (call 2) and "b" (call 1) stay open
    });
    const p = make(client, { maxBatchSize: 1, initialBackoffMs: 100 });
    p.enqueue(fakeTrace("a"));
    p.enqueue(fakeTrace("b"));
    let result: unknown;
    const flushed = p.flush({ timeoutMs: 30_000 }).then((r) => (result = r));
    await tick(50);
    expect(client.batches).toEqual([["a"], ["b"], ["a"]]);
    expect(result).toBeUndefined();
    client.calls[1]?.fail(["b"].map(refused)); // "a" is in flight again, after an unreachable attempt
    await tick();
    await flushed;
    expect(result).toEqual({ exported: 0, failed: 0, dropped: 0, pending: 2 });
    client.calls[2]?.ok();
    await tick(100);
    expect(p.getStats().exported).toBeGreaterThanOrEqual(1);
  });

  it("does not bring forward a retry that waits for the server's Retry-After", async () => {
    jest.spyOn(Math, "random").mockReturnValue(0.5); // backoff 4 s for both; "b" waits for its Retry-After (5 s)
    const client = new ManualClient((call, i) => {
      if (i === 0) call.fail(call.ids.map(refused));
      else if (i === 1) call.fail(retryableFailures(call, 5000));
      else call.ok();
    });
    const p = make(client, { maxBatchSize: 1, initialBackoffMs: 8000 });
    p.enqueue(fakeTrace("a"));
    p.enqueue(fakeTrace("b"));
    await tick();
    expect(client.batches).toEqual([["a"], ["b"]]);
    const flushed = p.flush();
    await tick();
    expect(client.batches).toEqual([["a"], ["b"], ["a"]]); // the unreachable one at once, "b" not before 5 s
    await tick(4999);
    expect(client.calls).toHaveLength(3);
    await tick(1);
    await expect(flushed).resolves.toEqual({ exported: 2, failed: 0, dropped: 0, pending: 0 });
    expect(client.batches).toEqual([["a"], ["b"], ["a"], ["b"]]);
  });

  it("still waits for the other traces of the flush, and for a server that answers with an error (503)", async () => {
    jest.spyOn(Math, "random").mockReturnValue(0.5);
    const client = new ManualClient((call, i) => {
      if (call.ids[0] === "a") call.fail(call.ids.map(refused));
      else if (i === 1) call.fail(retryableFailures(call));
      else call.ok();
    });
    const p = make(client, { initialBackoffMs: 1000 });
    p.enqueue(fakeTrace("a"));
    p.enqueue(fakeTrace("b"));
    let result: unknown;
    const flushed = p.flush().then((r) => (result = r));
    await tick();
    expect(result).toBeUndefined(); // "b" got a 503: retried within the flush
    await tick(500);
    await flushed;
    expect(result).toEqual({ exported: 1, failed: 0, dropped: 0, pending: 1 });
  });

  it("at shutdown, hands the unreachable traces to onDeliveryFailed (the local store) without waiting out its timeout", async () => {
    const client = new ManualClient((call) => call.fail(call.ids.map(refused)));
    const p = make(client);
    p.enqueue(fakeTrace("a"));
    const shut = p.shutdown({ timeoutMs: 30_000 });
    await tick();
    await expect(shut).resolves.toEqual({ exported: 0, failed: 1, dropped: 0, pending: 0 });
    expect(failedFinally.flatMap((f) => f.ids)).toEqual(["a"]);
  });
});
