import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as mlflow from "../../lib/index";
import { LocalStore, MemoryClient, type TraceClient } from "../../lib/export/index";
import { resetDiagnosticsCounts } from "../../lib/internal/diagnostics";
import { built } from "../support/built-sdk";
import { pendingIndex } from "../../lib/export/clients/local-store/destinations";

async function deadServer(): Promise<{ url: string; close: () => Promise<void>; hits: () => number }> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits++;
    req.resume();
    res.writeHead(503, { "content-type": "application/json" });
    res.end(JSON.stringify({ error_code: "TEMPORARILY_UNAVAILABLE", message: "down for maintenance" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, hits: () => hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("the exporter", () => {
  afterEach(async () => {
    mlflow.setTraceClient(undefined);
    mlflow.setTrackingUri(undefined);
    await mlflow.configureExport({});
  });

  it("writes traces to the local store when no tracking URI is set, and getTrace reads them back", async () => {
    mlflow.startSpan({ name: "to-local-store", inputs: { q: 1 } }, () => "out");
    const id = mlflow.getLastActiveTraceId()!;
    const result = await mlflow.flushTraces();
    expect(result.exported).toBeGreaterThanOrEqual(1);
    const store = new LocalStore({ dir: process.env["MLFLOW_HAYSTACK_LOCAL_DIR"]! });
    const stored = await store.getTrace(id);
    expect(stored?.data.spans[0]).toMatchObject({ name: "to-local-store", inputs: { q: 1 }, outputs: "out" });
  });

  it("ignores the exporter's own hooks passed to configureExport from JavaScript", async () => {
    const memory = new MemoryClient();
    mlflow.setTraceClient(memory);
    const sizeOf = jest.fn(() => 1);
    const runOutsideTracing = jest.fn(<R>(fn: () => R): R => fn());
    await mlflow.configureExport({ sizeOf, runOutsideTracing, scheduledDelayMs: 5 } as mlflow.ExportSettings);
    mlflow.startSpan({ name: "hooks-ignored" }, () => 1);
    expect((await mlflow.flushTraces()).exported).toBe(1);
    expect(memory.traces.map((t) => t.data.spans[0]?.name)).toEqual(["hooks-ignored"]);
    expect(sizeOf).not.toHaveBeenCalled();
    expect(runOutsideTracing).not.toHaveBeenCalled();
  });

  it("sends traces to a client set with setTraceClient and reports counts from flushTraces", async () => {
    const memory = new MemoryClient();
    mlflow.setTraceClient(memory);
    for (let i = 0; i < 3; i++) mlflow.startSpan({ name: `m${i}` }, () => i);
    const result = await mlflow.flushTraces();
    expect(result).toEqual({ exported: 3, failed: 0, dropped: 0, pending: 0 });
    expect(memory.traces.map((t) => t.data.spans[0]!.name)).toEqual(["m0", "m1", "m2"]);
  });

  /** Sends one trace to a client that holds it until `release()`; resolves once it is in flight. */
  async function holdOneTrace(): Promise<{ release: () => void; delivered: string[] }> {
    const delivered: string[] = [];
    let onSent = (): void => undefined;
    const sent = new Promise<void>((resolve) => (onSent = resolve));
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const client: TraceClient = {
      export: async (traces) => {
        onSent();
        await released;
        delivered.push(...traces.map((t) => t.info.traceId));
        return { failures: [] };
      },
      shutdown: async () => undefined,
    };
    mlflow.setTraceClient(client);
    mlflow.startSpan({ name: "held" }, () => 1);
    void mlflow.flushTraces();
    await sent;
    return { release, delivered };
  }

  it("makes a second shutdownExport and a flushTraces during a shutdown wait for the traces it still holds", async () => {
    const held = await holdOneTrace();
    const first = mlflow.shutdownExport();
    const second = mlflow.shutdownExport();
    const flushed = mlflow.flushTraces();
    held.release();
    const done = { exported: 1, failed: 0, dropped: 0, pending: 0 };
    expect(await second).toEqual(done);
    expect(await flushed).toEqual(done);
    expect(await first).toEqual(done);
    expect(held.delivered).toHaveLength(1);
  });

  it("makes flushTraces wait for the traces configureExport is still delivering with the old settings", async () => {
    const held = await holdOneTrace();
    const reconfigured = mlflow.configureExport({ scheduledDelayMs: 10 });
    const flushed = mlflow.flushTraces();
    held.release();
    expect(await flushed).toEqual({ exported: 1, failed: 0, dropped: 0, pending: 0 });
    await reconfigured;
  });

  it("keeps its deadline when timeoutMs is not a number, saying once what it expected", async () => {
    const messages: string[] = [];
    mlflow.setDiagnosticsLogger((_level, message) => messages.push(message));
    jest.useFakeTimers({ doNotFake: ["setImmediate", "nextTick", "queueMicrotask"] });
    try {
      mlflow.setTraceClient({ export: () => new Promise(() => undefined), shutdown: async () => undefined });
      mlflow.startSpan({ name: "never-answered" }, () => 1);
      const flushing = mlflow.flushTraces({ timeoutMs: "300" as unknown as number });
      expect(messages).toContain(
        'TypeError: flushTraces() expected `timeoutMs` to be a number of milliseconds >= 0, got "300" (a string); it waits up to 30 s',
      );
      await jest.advanceTimersByTimeAsync(30_000);
      expect(await flushing).toEqual({ exported: 0, failed: 0, dropped: 0, pending: 1 });
    } finally {
      jest.useRealTimers();
      await mlflow.shutdownExport({ timeoutMs: 0 });
      mlflow.setDiagnosticsLogger(undefined);
      resetDiagnosticsCounts();
    }
  });

  it("resolves shutdownExport with its counts when the trace client fails to shut down, and says so", async () => {
    const messages: string[] = [];
    mlflow.setDiagnosticsLogger((_level, message, error) => messages.push(`${message}: ${error instanceof Error ? error.message : ""}`));
    try {
      const memory = new MemoryClient();
      mlflow.setTraceClient({ export: (traces, options) => memory.export(traces, options), shutdown: () => Promise.reject(new Error("socket stuck")) });
      mlflow.startSpan({ name: "delivered" }, () => 1);
      expect(await mlflow.shutdownExport()).toEqual({ exported: 1, failed: 0, dropped: 0, pending: 0 });
      expect(messages).toContain("the trace client failed to shut down: socket stuck");
    } finally {
      mlflow.setDiagnosticsLogger(undefined);
      resetDiagnosticsCounts();
    }
  });

  it("never exports on the caller's path and never records spans of its own", async () => {
    const memory = new MemoryClient();
    mlflow.setTraceClient(memory);
    await mlflow.startSpan({ name: "outer" }, async () => {
      mlflow.startSpan({ name: "inner-root-sibling" }, () => undefined);
    });
    expect(memory.traces).toHaveLength(0);
    await mlflow.flushTraces();
    expect(memory.traces).toHaveLength(1);
    expect(memory.traces[0]!.data.spans.map((s) => s.name)).toEqual(["outer", "inner-root-sibling"]);
  });

  it("keeps traces a server refused past the retry budget in the local store as pending for that server", async () => {
    const server = await deadServer();
    try {
      mlflow.setDiagnosticsLogger(() => undefined);
      await mlflow.configureExport({ maxAttempts: 2, initialBackoffMs: 5, maxBackoffMs: 10, scheduledDelayMs: 1, flushOnExit: false });
      mlflow.setTrackingUri(server.url);
      mlflow.startSpan({ name: "undeliverable" }, () => undefined);
      const id = mlflow.getLastActiveTraceId()!;
      const result = await mlflow.flushTraces();
      expect(result).toMatchObject({ exported: 0, failed: 1 });
      expect(server.hits()).toBeGreaterThanOrEqual(2);
      // Nothing but the flush is awaited: the trace must be on disk when it resolves.
      const store = new LocalStore({ dir: process.env["MLFLOW_HAYSTACK_LOCAL_DIR"]! });
      const pending = await pendingIndex(store.dir);
      expect([...pending.values()].flat()).toContain(server.url);
      expect((await store.getTrace(id))?.data.spans[0]!.name).toBe("undeliverable");
    } finally {
      mlflow.setDiagnosticsLogger(undefined);
      await server.close();
    }
  });

  it("rejects bad batching options with an error naming the option", async () => {
    await expect(mlflow.configureExport({ maxBatchSize: 0 })).rejects.toThrow(/maxBatchSize/);
  });
});

describe("flushTraces against a destination that never answers", () => {
  afterEach(async () => {
    jest.useRealTimers();
    mlflow.setTraceClient(undefined);
    mlflow.setDiagnosticsLogger(undefined);
    resetDiagnosticsCounts();
    await mlflow.configureExport({});
  });

  it("gives up after its default 30 s, saying once on the diagnostics channel that it waits", async () => {
    jest.useFakeTimers();
    const answers: Array<() => void> = [];
    mlflow.setTraceClient({
      export: () => new Promise((resolve) => answers.push(() => resolve({ failures: [] }))),
      shutdown: async () => undefined,
    });
    await mlflow.configureExport({ exportTimeoutMs: 120_000, flushOnExit: false });
    const messages: string[] = [];
    mlflow.setDiagnosticsLogger((level, message) => {
      if (level === "warn") messages.push(message);
    });
    mlflow.startSpan({ name: "stuck" }, () => undefined);
    let result: unknown;
    const flushed = mlflow.flushTraces().then((r) => (result = r));
    const second = mlflow.flushTraces();
    await jest.advanceTimersByTimeAsync(9_000);
    expect(messages).toEqual([]);
    await jest.advanceTimersByTimeAsync(20_999);
    expect(result).toBeUndefined();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/flushTraces\(\) is waiting for 1 trace\(s\).*up to 30 s.*timeoutMs/);
    await jest.advanceTimersByTimeAsync(1);
    await flushed;
    expect(result).toEqual({ exported: 0, failed: 0, dropped: 0, pending: 1 });
    await expect(second).resolves.toMatchObject({ pending: 1 });
    expect(messages).toHaveLength(1);
    for (const answer of answers) answer();
  });
});

describe("the exporter with an unsupported MLFLOW_TRACKING_URI", () => {
  afterEach(async () => {
    delete process.env["MLFLOW_TRACKING_URI"];
    mlflow.setDiagnosticsLogger(undefined);
    resetDiagnosticsCounts();
    await mlflow.configureExport({});
  });

  it.each([
    ["sqlite:///mlflow.db", "mlflow server --backend-store-uri sqlite:///mlflow.db"],
    ["file:./mlruns", "mlflow server --backend-store-uri file:./mlruns"],
    ["127.0.0.1:5000", 'use "http://127.0.0.1:5000"'],
  ])("keeps traces for %s in the local store and says once what to change", async (uri, advice) => {
    process.env["MLFLOW_TRACKING_URI"] = uri;
    const messages: string[] = [];
    mlflow.setDiagnosticsLogger((level, message) => {
      if (level === "warn" || level === "error") messages.push(message);
    });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      mlflow.startSpan({ name: `kept-${i}` }, () => i);
      ids.push(mlflow.getLastActiveTraceId()!);
      await mlflow.flushTraces();
    }
    const store = new LocalStore({ dir: process.env["MLFLOW_HAYSTACK_LOCAL_DIR"]! });
    for (const id of ids) expect((await store.getTrace(id))?.info.traceId).toBe(id);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain("MLFLOW_TRACKING_URI");
    expect(messages[0]).toContain(advice);
    expect(messages[0]).toContain("kept in the local store");
  });
});

describe("the exporter with a collector setting it cannot serve", () => {
  afterEach(async () => {
    delete process.env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"];
    delete process.env["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"];
    mlflow.setDiagnosticsLogger(undefined);
    await mlflow.configureExport({});
  });

  it("still delivers to the other destination and warns once", async () => {
    process.env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = "http://127.0.0.1:4317";
    process.env["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"] = "grpc";
    const messages: string[] = [];
    mlflow.setDiagnosticsLogger((_level, message) => messages.push(message));
    mlflow.startSpan({ name: "despite-grpc" }, () => undefined);
    const id = mlflow.getLastActiveTraceId()!;
    expect(await mlflow.flushTraces()).toMatchObject({ exported: 1, failed: 0 });
    const store = new LocalStore({ dir: process.env["MLFLOW_HAYSTACK_LOCAL_DIR"]! });
    expect((await store.getTrace(id))?.data.spans[0]!.name).toBe("despite-grpc");
    expect(messages.filter((m) => m.includes("OTEL_EXPORTER_OTLP_TRACES_"))).toHaveLength(1);
  });
});

describe("the exporter with an OTLP collector as its only destination", () => {
  afterEach(async () => {
    delete process.env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"];
    mlflow.setDiagnosticsLogger(undefined);
    resetDiagnosticsCounts();
    await mlflow.configureExport({});
  });

  it("says the collector did not take the traces it refused, and that the local store keeps them", async () => {
    const collector = await deadServer();
    try {
      process.env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = `${collector.url}/v1/traces`;
      await mlflow.configureExport({ retryBudgetMs: 50, initialBackoffMs: 1, maxBackoffMs: 5 });
      const messages: string[] = [];
      mlflow.setDiagnosticsLogger((_level, message, error) => messages.push(`${message}: ${error instanceof Error ? error.message : ""}`));
      mlflow.startSpan({ name: "refused" }, () => undefined);
      expect(await mlflow.flushTraces()).toMatchObject({ exported: 0, failed: 1 });
      const failed = messages.filter((m) => m.startsWith("traces could not be"));
      expect(failed).toEqual([
        expect.stringMatching(
          /^traces could not be exported to the OTLP collector at \S+ \(OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; OTLP export POST \/v1\/traces answered 503.*\); they are kept in /,
        ),
      ]);
    } finally {
      await collector.close();
    }
  });
});

describe("process.exit() right after a trace, with the local store", () => {
  it("writes the trace synchronously instead of losing it", async () => {
    const { execFileSync } = await import("node:child_process");
    const { join, resolve } = await import("node:path");
    const dir = join(process.env["MLFLOW_HAYSTACK_LOCAL_DIR"]!, "exit");
    const root = resolve(__dirname, "../..");
    const script = `
      const mlflow = require(${JSON.stringify(built("index"))});
      mlflow.startSpan({ name: "before-exit" }, () => 1);
      console.log(mlflow.getLastActiveTraceId());
      process.exit(0);`;
    const env: NodeJS.ProcessEnv = { ...process.env, MLFLOW_HAYSTACK_LOCAL_DIR: dir };
    delete env["MLFLOW_TRACKING_URI"];
    const id = execFileSync(process.execPath, ["-e", script], { cwd: root, env, encoding: "utf8" }).trim();
    const trace = await new LocalStore({ dir }).getTrace(id);
    expect(trace?.data.spans[0]!.name).toBe("before-exit");
  }, 30_000);
});
