/**
 * Faults between the SDK and a real `mlflow server`, injected by a loopback proxy in front of it,
 * through the export path a user gets (completed trace → exporter → batch processor →
 * MlflowRestClient). What a user sees is asserted: counts from `flushTraces()`, the traces a reader
 * finds on the server (by search, with their spans), the local store, and for a whole script: its
 * exit code, exit time and stderr. Jest fails a test on an unhandled rejection in its process (a
 * `process.on` spy cannot see them under Jest); the child script checks for them itself.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { join, resolve } from "node:path";
import { resetExportConfig, setExperiment, setTrackingUri } from "../../lib/export/destination/config";
import { LocalStore } from "../../lib/export/clients/local-store/store";
import { resetDiagnosticsCounts } from "../../lib/internal/diagnostics";
import { encodeTraceId } from "../../lib/export/clients/local-store/location";
import { syncPendingTraces } from "../../lib/cli/local-store/sync";
import { MlflowRestClient } from "../../lib/export/clients/mlflow-rest-client";
import * as mlflow from "../../lib/index";
import { startFaultProxy, startScriptedServer, type FaultProxy, type FaultRule, type LoopbackServer, type RecordedRequest } from "../support/fault-proxy";
import { completeTraces, expected, readBack } from "../support/fault-readback";
import { buildRagTrace, spanSummary } from "./trace-fixtures";
import { pendingIndex } from "../../lib/export/clients/local-store/destinations";
import { LocalStoreReader } from "../../lib/export/clients/local-store/reader";

const SERVER = process.env["MLFLOW_TEST_SERVER_URL"] ?? "";
const ROOT = resolve(__dirname, "..", "..");
const START_TRACE = "/api/3.0/mlflow/traces";
/** Small delays so every retry story fits in a second or two; `flushOnExit` off inside Jest. */
const FAST = {
  scheduledDelayMs: 10,
  maxBatchSize: 2,
  initialBackoffMs: 50,
  maxBackoffMs: 200,
  maxAttempts: 100,
  retryBudgetMs: 20_000,
  exportTimeoutMs: 10_000,
  flushOnExit: false,
} as const;

const isStartTrace = (req: RecordedRequest): boolean => req.method === "POST" && req.path === START_TRACE;

/** `METHOD /path` without query, artifact paths folded into one. */
function endpointOf(req: RecordedRequest): string {
  const path = (req.path.split("?")[0] ?? "").replace(/\/mlflow-artifacts\/artifacts\/.*/, "/mlflow-artifacts/artifacts/*");
  return `${req.method} ${path}`;
}

/** Lets the first `n` requests matching `match` have `fault`; later ones go through. */
function firstN(n: number, match: (req: RecordedRequest) => boolean, fault: ReturnType<FaultRule>): FaultRule {
  let left = n;
  return (req) => {
    if (left <= 0 || !match(req)) return undefined;
    left--;
    return fault;
  };
}

describe("trace export through a fault-injecting proxy in front of a real mlflow server", () => {
  let proxy: FaultProxy | undefined;
  let experiment = "";

  /** Points the SDK at a new proxy (and a new experiment) with fast retry settings. */
  async function routeThrough(rule: FaultRule, options: mlflow.ExportSettings = {}, proxyOptions: { startDown?: boolean } = {}): Promise<FaultProxy> {
    proxy = await startFaultProxy(SERVER, rule, proxyOptions);
    await mlflow.configureExport({ ...FAST, ...options });
    setTrackingUri(proxy.url);
    experiment = `faults-${randomBytes(4).toString("hex")}`;
    void setExperiment(experiment);
    return proxy;
  }

  afterEach(async () => {
    await mlflow.shutdownExport({ timeoutMs: 5000 });
    await mlflow.configureExport({ flushOnExit: false });
    resetExportConfig();
    await proxy?.close();
    proxy = undefined;
  });

  it("delivers traces completed while the server was down, once each, when it comes back within the budget", async () => {
    const p = await routeThrough(() => undefined, {}, { startDown: true });
    const shapes = await completeTraces("down", 3);

    const whileDown = await mlflow.flushTraces({ timeoutMs: 600 });
    expect(whileDown).toEqual({ exported: 0, failed: 0, dropped: 0, pending: 3 });
    expect(p.requests).toHaveLength(0);

    await p.up();
    expect(await mlflow.flushTraces()).toEqual({ exported: 3, failed: 0, dropped: 0, pending: 0 });
    expect(await readBack(SERVER, experiment)).toEqual(expected(shapes));
  });

  it("retries through 500 answers at every step and lands every trace exactly once with all its spans", async () => {
    const failed: string[] = [];
    const perEndpoint = new Map<string, number>();
    const p = await routeThrough((req) => {
      if (!req.path.startsWith("/api/") && !req.path.startsWith("/v1/")) return undefined;
      const endpoint = endpointOf(req);
      const seen = (perEndpoint.get(endpoint) ?? 0) + 1;
      perEndpoint.set(endpoint, seen);
      if (seen > 2) return undefined;
      failed.push(endpoint);
      return { status: 500, body: { error_code: "INTERNAL_ERROR", message: "injected" } };
    });
    const shapes = await completeTraces("http500", 4);

    expect(await mlflow.flushTraces()).toEqual({ exported: 4, failed: 0, dropped: 0, pending: 0 });
    expect(failed).toEqual(expect.arrayContaining(["GET /api/2.0/mlflow/experiments/get-by-name", "POST /v1/traces", `POST ${START_TRACE}`]));
    expect(p.requests.filter(isStartTrace).length).toBeGreaterThanOrEqual(6);
    expect(await readBack(SERVER, experiment)).toEqual(expected(shapes));
  });

  it("waits at least Retry-After before retrying a 429, then delivers", async () => {
    const tooMany = { status: 429, headers: { "retry-after": "1" }, body: { error_code: "REQUEST_LIMIT_EXCEEDED", message: "slow down" } };
    // maxRetryAfterMs defaults to the retry budget (20 s here); set lower, a longer Retry-After would fail at once.
    const p = await routeThrough(firstN(1, isStartTrace, tooMany), { maxRetryAfterMs: 5000 });
    const shapes = await completeTraces("throttled", 1);

    expect(await mlflow.flushTraces()).toEqual({ exported: 1, failed: 0, dropped: 0, pending: 0 });
    const refused = p.requests.findIndex(isStartTrace);
    const later = p.requests.slice(refused + 1);
    expect(later.filter(isStartTrace)).toHaveLength(1);
    const refusedAt = (p.requests[refused] as RecordedRequest).receivedAt;
    for (const req of later) expect(req.receivedAt - refusedAt).toBeGreaterThanOrEqual(1000);
    expect(await readBack(SERVER, experiment)).toEqual(expected(shapes));
  });

  it("aborts an answer slower than exportTimeoutMs and retries; the trace is there once", async () => {
    const p = await routeThrough(firstN(1, isStartTrace, { forward: { delayResponseMs: 4000 } }), { exportTimeoutMs: 800 });
    const shapes = await completeTraces("slow", 1);

    expect(await mlflow.flushTraces()).toEqual({ exported: 1, failed: 0, dropped: 0, pending: 0 });
    const [slow, retried] = p.requests.filter(isStartTrace) as [RecordedRequest, RecordedRequest];
    expect(retried.receivedAt - slow.receivedAt).toBeLessThan(4000);
    expect(p.events).toContainEqual(expect.objectContaining({ request: slow, what: "client-gone" }));
    // The slow StartTraceV3 reached the server too: a reader still sees one trace with its spans.
    expect(await readBack(SERVER, experiment)).toEqual(expected(shapes));
  });

  it("retries after the connection is reset while the request body is sent (artifact upload path)", async () => {
    const otlpDown = (req: RecordedRequest): boolean => req.path === "/v1/traces";
    const isUpload = (req: RecordedRequest): boolean => req.method === "PUT" && req.path.includes("/mlflow-artifacts/artifacts/");
    const cutUpload = firstN(1, isUpload, { forward: { resetAfterRequestBytes: 100 } });
    const p = await routeThrough((req) => (otlpDown(req) ? { status: 503, body: { error_code: "TEMPORARILY_UNAVAILABLE" } } : cutUpload(req)));
    const shapes = await completeTraces("cut-request", 2);

    const started = Date.now();
    expect(await mlflow.flushTraces()).toEqual({ exported: 2, failed: 0, dropped: 0, pending: 0 });
    expect(Date.now() - started).toBeLessThan(FAST.exportTimeoutMs);
    expect(p.events.filter((e) => e.what === "reset").map((e) => e.request.method)).toEqual(["PUT"]);
    expect(await readBack(SERVER, experiment)).toEqual(expected(shapes));
  });

  it("retries after the connection is reset part-way through the server's answer; the trace is there once", async () => {
    const p = await routeThrough(firstN(1, isStartTrace, { forward: { resetAfterResponseBytes: 20 } }));
    const shapes = await completeTraces("cut-answer", 2);

    const started = Date.now();
    expect(await mlflow.flushTraces()).toEqual({ exported: 2, failed: 0, dropped: 0, pending: 0 });
    expect(Date.now() - started).toBeLessThan(FAST.exportTimeoutMs);
    expect(p.events.filter((e) => e.what === "reset").map((e) => e.request.path)).toEqual([START_TRACE]);
    expect(p.requests.filter(isStartTrace).length).toBe(3);
    expect(await readBack(SERVER, experiment)).toEqual(expected(shapes));
  });

  it("counts traces as failed past the retry budget, keeps them pending in the local store, and sync delivers them once", async () => {
    const outer = process.env["MLFLOW_HAYSTACK_LOCAL_DIR"] ?? "";
    const dir = mkdtempSync(join(outer, "budget-"));
    process.env["MLFLOW_HAYSTACK_LOCAL_DIR"] = dir;
    const warnings: string[] = [];
    let keptNotice: () => void = () => undefined;
    const kept = new Promise<void>((resolve) => (keptNotice = resolve));
    resetDiagnosticsCounts();
    mlflow.setDiagnosticsLogger((level, message) => {
      if (level === "warn" || level === "error") warnings.push(`${level}: ${message}`);
      if (message.includes("they are kept in")) keptNotice();
    });
    try {
      const p = await routeThrough(() => undefined, { retryBudgetMs: 600 }, { startDown: true });
      const shapes = await completeTraces("budget", 2);

      // Nothing listens: the flush does not wait on it; the traces keep being retried in the background.
      expect(await mlflow.flushTraces()).toEqual({ exported: 0, failed: 0, dropped: 0, pending: 2 });
      await kept; // the 600 ms retry budget ran out and the traces were written to the local store
      expect(await mlflow.flushTraces()).toEqual({ exported: 0, failed: 2, dropped: 0, pending: 0 });
      // The flush settles only once the traces are on disk: nothing else to wait for.
      const store = new LocalStore({ dir });
      const ids = [...shapes.keys()];
      const pending = await pendingIndex(store.dir);
      expect(warnings).toEqual([
        expect.stringMatching(
          new RegExp(
            `^warn: traces could not be delivered to ${p.url.replace(/[.]/g, "\\.")} \\(.+\\); they are kept in .+ for \`npx mlflow-haystack traces sync --to ${p.url.replace(/[.]/g, "\\.")}\` \\(a count follows at exit\\)$`,
          ),
        ),
      ]);
      for (const id of ids) {
        expect(pending.get(encodeTraceId(id))).toEqual([p.url]);
        expect((await store.getTrace(id))?.data.spans.map((s) => s.name).sort()).toEqual([...(shapes.get(id) ?? [])].sort());
      }

      await p.up();
      const [synced, ...others] = await syncPendingTraces(new LocalStoreReader(store.dir));
      expect(others).toEqual([]);
      expect(synced?.destination).toEqual({ trackingUri: p.url, experiment: { name: experiment } });
      expect(synced?.result).toMatchObject({ sent: 2, failed: 0, failures: [] });
      expect((await pendingIndex(store.dir)).size).toBe(0);
      expect(await syncPendingTraces(new LocalStoreReader(store.dir))).toEqual([]);
      expect(await readBack(SERVER, experiment)).toEqual(expected(shapes));
    } finally {
      mlflow.setDiagnosticsLogger(undefined);
      process.env["MLFLOW_HAYSTACK_LOCAL_DIR"] = outer;
    }
  });
});

describe("a script whose tracking server is dead", () => {
  const EXIT_FLUSH_MS = 1500;
  const MARGIN_MS = 2500;
  /** Long enough to tell "exits promptly" from "waits for a request timeout", short enough for the suite. */
  const KILL_AFTER_MS = 15_000;
  let dead: LoopbackServer | undefined;

  afterEach(async () => {
    await dead?.close();
    dead = undefined;
  });

  interface ChildRun {
    code: number | null;
    stderr: string;
    traceId: string;
    exitAfterDoneMs: number;
    storeDir: string;
  }

  /** Runs the child against `server` (default: a closed port) until it exits, or kills it after KILL_AFTER_MS. */
  async function runChild(options: mlflow.ExportSettings, server?: LoopbackServer): Promise<ChildRun> {
    dead = server ?? (await startFaultProxy(SERVER, () => undefined, { startDown: true }));
    const storeDir = mkdtempSync(join(process.env["MLFLOW_HAYSTACK_LOCAL_DIR"] ?? "", "child-"));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TS_NODE_PROJECT: join(ROOT, "tsconfig.json"),
      MLFLOW_HAYSTACK_LOCAL_DIR: storeDir,
      FAULT_CHILD_TRACKING_URI: dead.url,
      FAULT_CHILD_EXPORT_OPTIONS: JSON.stringify(options),
    };
    delete env["MLFLOW_TRACKING_URI"];
    delete env["MLFLOW_HAYSTACK_DEBUG"];
    return new Promise((resolveRun, reject) => {
      const child = execFile(
        process.execPath,
        ["-r", require.resolve("ts-node/register/transpile-only"), join(ROOT, "spec", "support", "fault-child.ts")],
        { env, cwd: storeDir, timeout: KILL_AFTER_MS },
        (error, stdout, stderr) => {
          const exitedAt = Date.now();
          if (error !== null && child.exitCode === null) {
            reject(new Error(`the script had not exited ${KILL_AFTER_MS} ms after it started and was killed\nstdout: ${stdout}\nstderr: ${stderr}`));
            return;
          }
          try {
            const done = JSON.parse(stdout.trim().split("\n").pop() ?? "") as { traceId: string; doneAt: number };
            resolveRun({ code: child.exitCode, stderr, traceId: done.traceId, exitAfterDoneMs: exitedAt - done.doneAt, storeDir });
          } catch {
            reject(new Error(`child printed no result (exit ${String(child.exitCode)}):\n${stdout}\n${stderr}`));
          }
        },
      );
    });
  }

  async function expectKeptForSync(run: ChildRun): Promise<void> {
    const store = new LocalStore({ dir: run.storeDir });
    expect((await pendingIndex(store.dir)).get(encodeTraceId(run.traceId))).toEqual([dead?.url]);
    expect((await store.getTrace(run.traceId))?.data.spans.map((s) => s.name).sort()).toEqual(["child-step", "child-work"]);
  }

  function expectQuietStderr(stderr: string): void {
    const lines = stderr.split("\n").filter((l) => l.trim() !== "");
    expect(lines.length).toBeLessThanOrEqual(3);
    for (const line of lines) expect(line).toMatch(/^\[mlflow-haystack\] warn: /);
  }

  it("exits promptly with code 0 and keeps the trace it could not deliver within the retry budget", async () => {
    const run = await runChild({ exitFlushTimeoutMs: EXIT_FLUSH_MS, scheduledDelayMs: 10, initialBackoffMs: 50, maxBackoffMs: 100, retryBudgetMs: 300 });
    expect(run.code).toBe(0);
    expect(run.exitAfterDoneMs).toBeLessThanOrEqual(EXIT_FLUSH_MS + MARGIN_MS);
    expectQuietStderr(run.stderr);
    await expectKeptForSync(run);
  });

  it("exits promptly with code 0 and keeps the trace when the exit flush deadline comes before the retry budget ends", async () => {
    // The defaults are like this: a 60 s retry budget and a 10 s exit flush.
    const run = await runChild({
      exitFlushTimeoutMs: EXIT_FLUSH_MS,
      scheduledDelayMs: 10,
      initialBackoffMs: 50,
      maxBackoffMs: 100,
      maxAttempts: 1000,
      retryBudgetMs: 60_000,
    });
    expect(run.code).toBe(0);
    expect(run.exitAfterDoneMs).toBeLessThanOrEqual(EXIT_FLUSH_MS + MARGIN_MS);
    expectQuietStderr(run.stderr);
    await expectKeptForSync(run);
  });

  it("exits promptly with code 0 and keeps the trace when the server accepts connections but never answers", async () => {
    const hung = await startScriptedServer(() => ({ status: 200, body: {}, delayMs: 60_000 }));
    const run = await runChild(
      {
        exitFlushTimeoutMs: EXIT_FLUSH_MS,
        exportTimeoutMs: 10_000,
        scheduledDelayMs: 10,
        initialBackoffMs: 50,
        maxBackoffMs: 100,
        maxAttempts: 1000,
        retryBudgetMs: 60_000,
      },
      hung,
    );
    expect(run.code).toBe(0);
    expect(run.exitAfterDoneMs).toBeLessThanOrEqual(EXIT_FLUSH_MS + MARGIN_MS);
    expectQuietStderr(run.stderr);
    await expectKeptForSync(run);
  });
});

describe("MlflowRestClient behind a fault-injecting proxy", () => {
  let proxy: FaultProxy;
  let failNext = 0;

  beforeAll(async () => {
    proxy = await startFaultProxy(SERVER, (req) => {
      if (req.path === START_TRACE && failNext > 0) {
        failNext--;
        return { status: 503, headers: { "retry-after": "2" }, body: { error_code: "TEMPORARILY_UNAVAILABLE", message: "try later" } };
      }
      return undefined;
    });
    resetExportConfig();
    setTrackingUri(proxy.url);
    void setExperiment(`faults-${randomBytes(4).toString("hex")}`);
  });
  afterAll(async () => {
    await mlflow.shutdownExport({ timeoutMs: 5000 });
    await proxy.close();
    resetExportConfig();
  });

  it("reports a 503 as retryable with Retry-After, and the retried export lands the same spans", async () => {
    const client = new MlflowRestClient();
    try {
      const trace = await buildRagTrace("faults");
      failNext = 1;
      const first = await client.export([trace], { signal: AbortSignal.timeout(30_000) });
      expect(first.failures).toHaveLength(1);
      expect(first.failures[0]).toMatchObject({ retryable: true, retryAfterMs: 2000, error: { code: "TEMPORARILY_UNAVAILABLE", status: 503 } });
      const second = await client.export([trace], { signal: AbortSignal.timeout(30_000) });
      expect(second.failures).toEqual([]);
      const back = await client.getTrace(trace.info.traceId);
      expect(spanSummary(back ?? trace)).toEqual(spanSummary(trace));
      expect(back?.data.spans).toHaveLength(4);
    } finally {
      await client.shutdown();
    }
  });
});
