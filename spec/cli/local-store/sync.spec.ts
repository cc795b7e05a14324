import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { LocalStore } from "../../../lib/export/clients/local-store/store";
import { SyncBusyError, syncLocalTraces, syncPendingTraces } from "../../../lib/cli/local-store/sync";
import { tryLock } from "../../../lib/cli/local-store/dir-lock";
import { DestinationDir, pendingIndex } from "../../../lib/export/clients/local-store/destinations";
import { LocalStoreReader } from "../../../lib/export/clients/local-store/reader";
import { FallbackClient } from "../../../lib/export/clients/fallback-client";
import { ExportError } from "../../../lib/export/errors";
import type { Trace } from "../../../lib/tracing/trace";
import type { ExportResult, TraceClient } from "../../../lib/export/clients/trace-client";
import { makeTrace } from "../../export/clients/local-store/store.fixtures";
import { built } from "../../support/built-sdk";
import { setDiagnosticsLogger } from "../../../lib/internal/diagnostics";
import { resetExportConfig, setExperiment } from "../../../lib/export/destination/config";
import { RECORDED_EXPERIMENT_KEY } from "../../../lib/export/clients/local-store/recorded-experiment";

// Quiet: the SDK reports kept and failed traces through diagnostics.
beforeAll(() => setDiagnosticsLogger(() => undefined));
afterAll(() => setDiagnosticsLogger(undefined));

/** A pretend server: remembers what it accepted and how often each id was sent. */
class FakeServer {
  readonly stored = new Map<string, Trace>();
  readonly sends = new Map<string, number>();
  readonly experiments: (string | undefined)[] = [];

  client(options: { failAfterStoring?: number; refuse?: boolean } = {}): TraceClient {
    let accepted = 0;
    return {
      export: async (traces): Promise<ExportResult> => {
        if (options.refuse === true) {
          return { failures: traces.map((t) => ({ traceId: t.info.traceId, error: new ExportError("connect ECONNREFUSED"), retryable: true })) };
        }
        for (const t of traces) {
          this.sends.set(t.info.traceId, (this.sends.get(t.info.traceId) ?? 0) + 1);
          this.experiments.push(t.info.experimentId);
          this.stored.set(t.info.traceId, t);
          accepted++;
          // The server committed the trace, then the connection died: the sync must not resend it.
          if (accepted === options.failAfterStoring) throw new ExportError("socket hang up");
        }
        return { failures: [] };
      },
      getTrace: async (id) => this.stored.get(id),
      shutdown: async () => undefined,
    };
  }
}

const destination = { trackingUri: "http://127.0.0.1:9", experiment: { name: "demo" } };
let dir: string;
let store: LocalStore;
let reader: LocalStoreReader;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mlflow-haystack-sync-"));
  store = new LocalStore({ dir });
  reader = new LocalStoreReader(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function fill(n: number): Promise<Trace[]> {
  const traces = Array.from({ length: n }, (_, i) => makeTrace({ requestTime: Date.now() - (n - i) * 1000, name: `t${i}` }));
  await store.export(traces);
  return traces;
}

describe("syncLocalTraces", () => {
  it("sends every local trace once, reports progress, and sends nothing the second time", async () => {
    await fill(45);
    const server = new FakeServer();
    const progress: number[] = [];
    const first = await syncLocalTraces(reader, { destination, client: server.client(), batchSize: 20, onProgress: (p) => progress.push(p.done) });
    expect(first).toMatchObject({ total: 45, sent: 45, failed: 0 });
    expect(progress).toEqual([20, 40, 45]);
    const second = await syncLocalTraces(reader, { destination, client: server.client() });
    expect(second).toMatchObject({ total: 0, sent: 0 });
    expect([...server.sends.values()].every((n) => n === 1)).toBe(true);
    // Sent to the destination's experiment, not to the id stored in the file.
    expect(new Set(server.experiments)).toEqual(new Set([undefined]));
  });

  it("resumes after a failure mid-sync without sending any trace twice", async () => {
    const traces = await fill(10);
    const server = new FakeServer();
    const broken = await syncLocalTraces(reader, { destination, client: server.client({ failAfterStoring: 3 }), batchSize: 5 });
    expect(broken.failed).toBeGreaterThan(0);
    const resumed = await syncLocalTraces(reader, { destination, client: server.client(), batchSize: 5 });
    expect(resumed.failed).toBe(0);
    expect(resumed.alreadyThere).toBeGreaterThan(0);
    expect(server.stored.size).toBe(10);
    for (const t of traces) expect(server.sends.get(t.info.traceId)).toBe(1);
  });

  it("keeps traces for the next run when the server cannot be reached", async () => {
    await fill(3);
    const server = new FakeServer();
    const down = await syncLocalTraces(reader, { destination, client: server.client({ refuse: true }) });
    expect(down).toMatchObject({ sent: 0, failed: 3 });
    expect(down.failures[0]?.error.message).toMatch(/ECONNREFUSED/);
    const up = await syncLocalTraces(reader, { destination, client: server.client() });
    expect(up).toMatchObject({ sent: 3, failed: 0 });
  });

  it("treats each destination separately", async () => {
    await fill(2);
    const a = new FakeServer();
    const b = new FakeServer();
    await syncLocalTraces(reader, { destination, client: a.client() });
    const other = await syncLocalTraces(reader, { destination: { trackingUri: "http://127.0.0.1:10" }, client: b.client() });
    expect(other.sent).toBe(2);
  });

  it("sends each trace as it was recorded: without the store's own experiment entry, so its counted size still holds", async () => {
    void setExperiment("recorded-app");
    const [trace] = await fill(1);
    resetExportConfig();
    const stored = (await reader.readFile(((await reader.files())[0] as { name: string }).name)) as Trace;
    expect(stored.info.metadata[RECORDED_EXPERIMENT_KEY]).toBe('{"name":"recorded-app"}');
    const server = new FakeServer();
    expect(await syncLocalTraces(reader, { destination, client: server.client() })).toMatchObject({ sent: 1, failed: 0 });
    const sent = server.stored.get((trace as Trace).info.traceId) as Trace;
    expect(sent.info.metadata).toEqual((trace as Trace).info.metadata);
    expect(sent.info.metadata[RECORDED_EXPERIMENT_KEY]).toBeUndefined();
  });

  it("fails alone a stored trace it cannot re-create, and sends the others", async () => {
    void setExperiment("recorded-app");
    await fill(2);
    resetExportConfig();
    const [first] = await reader.files();
    const path = join(dir, "traces", (first as { name: string }).name);
    writeFileSync(path, readFileSync(path, "utf8").replace(/"request_time":"[^"]*"/, '"request_time":"garbage"'));
    const result = await syncLocalTraces(reader, { destination, client: new FakeServer().client() });
    expect(result).toMatchObject({ sent: 1, failed: 1 });
    expect(result.failures[0]?.error.message).toMatch(/Invalid time value/);
  });

  it("refuses to run while another sync to the same destination holds the lock", async () => {
    await fill(1);
    const lock = await tryLock(new DestinationDir(dir, destination).lockPath, { staleMs: 60_000 });
    if ("owner" in lock) throw new Error("lock should be free");
    try {
      await expect(syncLocalTraces(reader, { destination, client: new FakeServer().client() })).rejects.toThrow(SyncBusyError);
    } finally {
      await lock.release();
    }
  });
});

describe("syncPendingTraces", () => {
  it("sends undelivered traces to the destination they were meant for and clears them", async () => {
    await fill(2);
    const undelivered = [makeTrace({ name: "u1" }), makeTrace({ name: "u2" })];
    await store.saveUndelivered(undelivered, { destination });
    const server = new FakeServer();
    const results = await syncPendingTraces(reader, { clientFor: () => server.client() });
    expect(results).toHaveLength(1);
    expect(results[0]?.result).toMatchObject({ sent: 2, failed: 0 });
    expect([...server.stored.keys()].sort()).toEqual(undelivered.map((t) => t.info.traceId).sort());
    expect((await pendingIndex(dir)).size).toBe(0);
    expect(await syncPendingTraces(reader, { clientFor: () => server.client() })).toEqual([]);
  });

  it("is fed by the FallbackClient with what the batch processor gave up on", async () => {
    const primary: TraceClient = { export: async () => ({ failures: [] }), shutdown: async () => undefined };
    const trace = makeTrace({ name: "failed-delivery" });
    await new FallbackClient(primary, store, { destination }).keepUndelivered([trace], new Error("server down"));
    expect([...(await pendingIndex(dir)).values()]).toEqual([[destination.trackingUri]]);
  });

  it("writes synchronously when the FallbackClient keeps traces inside process.on('exit')", async () => {
    const script = join(__dirname, "..", "..", "export", "clients", "local-store", "store.writer.js");
    built("export/clients/local-store/store"); // the writer runs the built SDK: refuse a stale one
    const out = await new Promise<string>((ok, fail) =>
      execFile(process.execPath, [script, dir, "exit-hook", "at-exit"], { cwd: resolve(__dirname, "..", "..", "..") }, (err, stdout) =>
        err ? fail(err) : ok(stdout),
      ),
    );
    const traceId = out.trim().split("\n").pop() as string;
    expect((await store.getTrace(traceId))?.info.traceId).toBe(traceId);
    expect([...(await pendingIndex(dir)).values()]).toEqual([["http://127.0.0.1:9"]]);
  }, 30_000);
});
