import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { LocalStore } from "../../../../lib/export/clients/local-store/store";
import { LocalStoreReader } from "../../../../lib/export/clients/local-store/reader";
import { pendingIndex } from "../../../../lib/export/clients/local-store/destinations";
import { enforceRetention } from "../../../../lib/export/clients/local-store/retention";
import { listTraces } from "../../../../lib/cli/local-store/list";
import { defaultLocalStoreDir, parseLocalStoreUri, resolveLocalStoreOptions } from "../../../../lib/export/clients/local-store/location";
import { ConfigError } from "../../../../lib/export/errors";
import { Trace, type TraceJson } from "../../../../lib/tracing/trace";
import { RECORDED_EXPERIMENT_KEY, recordedExperiment } from "../../../../lib/export/clients/local-store/recorded-experiment";
import { resetExportConfig, setExperiment } from "../../../../lib/export/destination/config";
import { makeRealTrace, makeTrace } from "./store.fixtures";
import { built } from "../../../support/built-sdk";
import { setDiagnosticsLogger } from "../../../../lib/internal/diagnostics";

const diagnostics: string[] = [];
beforeAll(() => setDiagnosticsLogger((_level, message) => diagnostics.push(message)));
afterAll(() => setDiagnosticsLogger(undefined));

const WRITER = join(__dirname, "store.writer.js");
let dir: string;
/** What `traces list` shows (its summaries come from lib/cli). */
const listed = (options?: { limit?: number; offset?: number }): ReturnType<typeof listTraces> => listTraces(new LocalStoreReader(dir), options);
const count = (): Promise<number> => new LocalStoreReader(dir).count();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mlflow-haystack-store-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function runWriter(count: string, tag: string): ReturnType<typeof spawn> {
  built("export/clients/local-store/store"); // the writer runs the built SDK: refuse a stale one
  return spawn(process.execPath, [WRITER, dir, count, tag], {
    cwd: resolve(__dirname, "..", "..", "..", ".."),
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function exitOf(child: ReturnType<typeof spawn>): Promise<number | null> {
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((ok, fail) =>
    child.once("exit", (code) => (code === 0 || code === null ? ok(code) : fail(new Error(`writer exited ${code}: ${stderr}`)))),
  );
}

describe("LocalStore", () => {
  it("stores a trace as MLflow Trace.to_json() and reads it back unchanged", async () => {
    const store = new LocalStore({ dir });
    const trace = makeRealTrace();
    expect(await store.export([trace])).toEqual({ failures: [] });

    const [file] = readdirSync(join(dir, "traces"));
    const json = JSON.parse(readFileSync(join(dir, "traces", file as string), "utf8")) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(["data", "info"]);
    expect(json).toEqual(JSON.parse(JSON.stringify(trace)));

    const back = await store.getTrace(trace.info.traceId);
    expect(JSON.stringify(back)).toEqual(JSON.stringify(trace));
    expect(back?.info.tokenUsage).toEqual({ inputTokens: 12, outputTokens: 30, totalTokens: 42 });
  });

  it("lists traces newest first with name, state, duration, tokens and cost", async () => {
    const store = new LocalStore({ dir });
    const old = makeTrace({ requestTime: Date.now() - 60_000, name: "older" });
    const real = makeRealTrace("newest");
    await store.export([real, old]);
    const list = await listed();
    expect(list.map((s) => s.name)).toEqual(["newest", "older"]);
    expect(list[0]).toMatchObject({ traceId: real.info.traceId, state: "OK", spanCount: 3, tokenUsage: { totalTokens: 42 }, cost: { totalCost: 0.0012 } });
    expect((await new LocalStoreReader(dir).lastTrace())?.info.traceId).toBe(real.info.traceId);
    expect(await listed({ limit: 1, offset: 1 })).toHaveLength(1);
  });

  it("returns undefined for unknown ids", async () => {
    const store = new LocalStore({ dir });
    await store.export([makeTrace()]);
    expect(await store.getTrace("tr-00000000000000000000000000000000")).toBeUndefined();
  });

  it("ignores temp files and torn writes left by a crash, and removes stale ones when pruning", async () => {
    const store = new LocalStore({ dir });
    await store.export([makeTrace({ name: "good" })]);
    const torn = join(dir, "traces", `.tmp-999-abc-${Date.now()}-tr-x.json`);
    writeFileSync(torn, '{"info": {"trace_id": "tr-x", "sta');
    expect((await listed()).map((s) => s.name)).toEqual(["good"]);
    expect(await count()).toBe(1);
    await enforceRetention(new LocalStoreReader(dir), store.options, Date.now() + 11 * 60 * 1000);
    expect(readdirSync(join(dir, "traces")).some((n) => n.startsWith(".tmp-"))).toBe(false);
  });

  it("stays readable when a writer process is killed in the middle of its write loop", async () => {
    const child = runWriter("forever", "crash");
    const exited = exitOf(child);
    let lines = 0;
    await new Promise<void>((ok) =>
      child.stdout?.on("data", (d: Buffer) => {
        lines += d.toString().split("\n").length - 1;
        if (lines > 30) ok();
      }),
    );
    child.kill("SIGKILL");
    await exited;
    const names = readdirSync(join(dir, "traces")).filter((n) => !n.startsWith(".tmp-"));
    for (const name of names) expect(() => Trace.fromJSON(readFileSync(join(dir, "traces", name), "utf8"))).not.toThrow();
    expect((await listed()).length).toBe(names.length);
    expect(names.length).toBeGreaterThanOrEqual(30);
  }, 60_000);

  it("keeps every trace when two processes write 200 traces each at the same time", async () => {
    const a = runWriter("200", "a");
    const b = runWriter("200", "b");
    await Promise.all([exitOf(a), exitOf(b)]);
    const list = await listed();
    expect(list).toHaveLength(400);
    expect(new Set(list.map((s) => s.traceId)).size).toBe(400);
    expect(list.filter((s) => s.name.startsWith("a-"))).toHaveLength(200);
  }, 60_000);

  it("prunes to the newest maxTraces and drops traces older than maxAgeDays", async () => {
    const store = new LocalStore({ dir, maxTraces: 3, maxAgeDays: 1 });
    const now = Date.now();
    const ancient = makeTrace({ requestTime: now - 2 * 86_400_000, name: "ancient" });
    const recent = [1, 2, 3, 4].map((i) => makeTrace({ requestTime: now - i * 1000, name: `t${i}` }));
    await store.export([ancient, ...recent]);
    expect((await listed()).map((s) => s.name)).toEqual(["t1", "t2", "t3"]);
  });

  it("exempts undelivered traces from the count limit until they age out", async () => {
    const store = new LocalStore({ dir, maxTraces: 1, maxAgeDays: 1 });
    const now = Date.now();
    const undelivered = makeTrace({ requestTime: now - 5000, name: "undelivered" });
    await store.saveUndelivered([undelivered], { destination: { trackingUri: "http://127.0.0.1:1" } });
    await store.export([makeTrace({ requestTime: now - 2000, name: "a" }), makeTrace({ requestTime: now - 1000, name: "b" })]);
    expect((await listed()).map((s) => [s.name, s.pendingFor])).toEqual([
      ["b", []],
      ["undelivered", ["http://127.0.0.1:1"]],
    ]);
    expect(await enforceRetention(new LocalStoreReader(dir), store.options, now + 2 * 86_400_000)).toEqual({ removed: 2, pendingDropped: 0 });
    expect(await count()).toBe(0);
    expect((await pendingIndex(dir)).size).toBe(0);
  });

  it("bounds traces waiting for sync too: beyond maxPendingTraces the oldest go, with one warning and a count", async () => {
    const store = new LocalStore({ dir, maxTraces: 1, maxPendingTraces: 3 });
    const now = Date.now();
    const traces = [5, 4, 3, 2, 1].map((i) => makeTrace({ requestTime: now - i * 1000, name: `p${i}` }));
    diagnostics.length = 0;
    // With maxTraces 1 the writer applies retention after every write.
    for (const t of traces) await store.saveUndelivered([t], { destination: { trackingUri: "http://127.0.0.1:1" } });
    expect((await listed()).map((s) => s.name)).toEqual(["p1", "p2", "p3"]);
    expect((await pendingIndex(dir)).size).toBe(3);
    expect(store.droppedPending).toBe(2);
    await store.saveUndelivered([makeTrace({ requestTime: now, name: "p0" })], { destination: { trackingUri: "http://127.0.0.1:1" } });
    expect(store.droppedPending).toBe(3);
    expect(diagnostics.filter((m) => m.includes("maxPendingTraces"))).toHaveLength(1);
    expect(diagnostics.find((m) => m.includes("maxPendingTraces"))).toContain("MLFLOW_HAYSTACK_LOCAL_MAX_PENDING");
  });

  it("keeps undelivered traces synchronously when the delivery-failed hook runs at exit", () => {
    const store = new LocalStore({ dir });
    const trace = makeTrace({ name: "late" });
    store.saveUndeliveredSync([trace], { destination: { trackingUri: "http://127.0.0.1:1" } });
    const names = readdirSync(join(dir, "traces"));
    expect(names).toHaveLength(1);
    expect(readdirSync(join(dir, "destinations"))).toHaveLength(1);
  });

  it("reports a failed write as a failure instead of throwing", async () => {
    writeFileSync(join(dir, "traces"), "not a directory");
    const store = new LocalStore({ dir });
    const trace = makeTrace();
    const { failures } = await store.export([trace]);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ traceId: trace.info.traceId, retryable: false });
    expect(diagnostics.some((m) => m.includes("could not prune"))).toBe(true);
  });
});

describe("local store location", () => {
  it("reads mlflow-haystack-local: URIs and leaves other schemes alone", () => {
    expect(parseLocalStoreUri("mlflow-haystack-local:traces", "/work")).toBe(resolve("/work/traces"));
    expect(parseLocalStoreUri("mlflow-haystack-local:///abs/dir")).toBe(resolve("/abs/dir"));
    expect(parseLocalStoreUri("http://127.0.0.1:5000")).toBeUndefined();
    expect(parseLocalStoreUri("file:///tmp/mlruns")).toBeUndefined();
    expect(() => parseLocalStoreUri("mlflow-haystack-local:")).toThrow(ConfigError);
  });

  it("defaults to ./mlflow-haystack-traces, overridable by MLFLOW_TRACKING_URI and MLFLOW_HAYSTACK_LOCAL_DIR", () => {
    expect(defaultLocalStoreDir({}, "/w")).toBe(resolve("/w/mlflow-haystack-traces"));
    expect(defaultLocalStoreDir({ MLFLOW_HAYSTACK_LOCAL_DIR: "x" }, "/w")).toBe(resolve("/w/x"));
    expect(defaultLocalStoreDir({ MLFLOW_TRACKING_URI: "mlflow-haystack-local:y", MLFLOW_HAYSTACK_LOCAL_DIR: "x" }, "/w")).toBe(resolve("/w/y"));
    expect(defaultLocalStoreDir({ MLFLOW_TRACKING_URI: "http://h:5000" }, "/w")).toBe(resolve("/w/mlflow-haystack-traces"));
  });

  it("validates retention options and environment variables with a message that names them", () => {
    expect(resolveLocalStoreOptions({ dir }, {})).toMatchObject({ maxTraces: 1000, maxPendingTraces: 10_000, maxAgeMs: 30 * 86_400_000 });
    expect(resolveLocalStoreOptions({ dir }, { MLFLOW_HAYSTACK_LOCAL_MAX_PENDING: "7" }).maxPendingTraces).toBe(7);
    expect(resolveLocalStoreOptions({ dir }, { MLFLOW_HAYSTACK_LOCAL_MAX_TRACES: "5" }).maxTraces).toBe(5);
    expect(() => new LocalStore({ dir, maxTraces: 0 })).toThrow(/maxTraces.*positive integer/);
    expect(() => resolveLocalStoreOptions({ dir }, { MLFLOW_HAYSTACK_LOCAL_MAX_AGE_DAYS: "soon" })).toThrow(/MLFLOW_HAYSTACK_LOCAL_MAX_AGE_DAYS/);
  });
});

describe("LocalStore pruning while another writer keeps undelivered traces", () => {
  it("never removes the markers of traces written after its snapshot", async () => {
    const writer = new LocalStore({ dir, maxTraces: 10_000 });
    const pruner = new LocalStoreReader(dir);
    const destination = { trackingUri: "http://127.0.0.1:9" };
    const traces = Array.from({ length: 100 }, (_, i) => makeTrace({ name: `pending-${i}` }));
    let pruning = true;
    const prunes = (async () => {
      while (pruning) await enforceRetention(pruner, writer.options);
    })();
    try {
      for (const trace of traces) await writer.saveUndelivered([trace], { destination });
    } finally {
      pruning = false;
      await prunes;
    }
    expect((await pendingIndex(dir)).size).toBe(100);
  });
});

describe("LocalStore: the experiment the code named", () => {
  afterEach(() => resetExportConfig());

  it("records setExperiment's name as mlflow_haystack.experiment metadata and leaves experiment_id alone", async () => {
    void setExperiment("haystack-tracing-demo");
    await new LocalStore({ dir }).export([makeTrace()]);
    const [file] = readdirSync(join(dir, "traces"));
    const json = JSON.parse(readFileSync(join(dir, "traces", file as string), "utf8")) as TraceJson;
    expect(json.info.trace_metadata[RECORDED_EXPERIMENT_KEY]).toBe('{"name":"haystack-tracing-demo"}');
    expect(json.info.trace_location.mlflow_experiment.experiment_id).toBe("0");
    const [read] = await new LocalStoreReader(dir).files();
    const trace = await new LocalStoreReader(dir).readFile((read as { name: string }).name);
    expect(recordedExperiment(trace as Trace)).toEqual({ name: "haystack-tracing-demo" });
  });

  it("records an experiment id, and both from MLFLOW_EXPERIMENT_NAME and _ID, also when keeping undelivered traces at exit", () => {
    const saved = { ...process.env };
    try {
      process.env["MLFLOW_EXPERIMENT_NAME"] = "from-env";
      process.env["MLFLOW_EXPERIMENT_ID"] = "7";
      new LocalStore({ dir }).saveUndeliveredSync([makeTrace()], { destination: { trackingUri: "http://127.0.0.1:9" } });
      void setExperiment({ experimentId: "42" });
      new LocalStore({ dir }).exportSync([makeTrace()]);
    } finally {
      process.env = saved;
    }
    const texts = readdirSync(join(dir, "traces")).map((f) => readFileSync(join(dir, "traces", f), "utf8"));
    const recorded = texts.map((t) => recordedExperiment(Trace.fromJSON(t))).sort((a, b) => String(a?.name).localeCompare(String(b?.name)));
    expect(recorded).toEqual([{ name: "from-env", experimentId: "7" }, { experimentId: "42" }]);
  });

  it("records nothing when no experiment is set, and ignores a value it did not write", () => {
    expect(recordedExperiment(makeTrace())).toBeUndefined();
    for (const bad of ["not json", "[]", '{"name":""}', '{"name":3}']) {
      const json = JSON.parse(JSON.stringify(makeTrace())) as TraceJson;
      json.info.trace_metadata[RECORDED_EXPERIMENT_KEY] = bad;
      expect(recordedExperiment(Trace.fromJSON(json))).toBeUndefined();
    }
  });
});
