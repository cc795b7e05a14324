/**
 * A request that hangs fails alone: each request has its own timeout (`MLFLOW_HTTP_REQUEST_TIMEOUT`),
 * so one hung StartTraceV3 costs its own trace a retry, not its whole batch a batch timeout.
 */
import * as mlflow from "../../lib/index";
import { MlflowRestClient } from "../../lib/export/index";
import { startScriptedServer, type LoopbackServer, type RecordedRequest, type ScriptedReply } from "../support/fault-proxy";

const START_TRACE = "/api/3.0/mlflow/traces";
const EXPERIMENT = { experiment: { experiment_id: "0", name: "Default", artifact_location: "mlflow-artifacts:/0", lifecycle_stage: "active" } };

function mlflowLike(hang: (req: RecordedRequest) => boolean): (req: RecordedRequest) => ScriptedReply {
  return (req) => {
    if (hang(req)) return { status: 200, body: {}, delayMs: 120_000 };
    if (req.path.startsWith("/api/2.0/mlflow/experiments/get")) return { status: 200, body: EXPERIMENT };
    if (req.path === "/v1/traces") return { status: 200, body: {} };
    if (req.path === START_TRACE) {
      const info = (JSON.parse(req.body) as { trace: { trace_info: Record<string, unknown> } }).trace.trace_info;
      return { status: 200, body: { trace: { trace_info: { ...info, tags: {} } } } };
    }
    return { status: 404, body: { error_code: "ENDPOINT_NOT_FOUND", message: "no" } };
  };
}

describe("per-request timeouts", () => {
  let server: LoopbackServer | undefined;
  afterEach(async () => {
    delete process.env["MLFLOW_HTTP_REQUEST_TIMEOUT"];
    mlflow.setTrackingUri(undefined);
    mlflow.setDiagnosticsLogger(undefined);
    await mlflow.shutdownExport();
    await mlflow.configureExport({});
    await server?.close();
    server = undefined;
  });

  it("retries only the trace whose request hung, long before the batch's exportTimeoutMs", async () => {
    let starts = 0;
    server = await startScriptedServer(mlflowLike((req) => req.path === START_TRACE && ++starts === 3));
    process.env["MLFLOW_HTTP_REQUEST_TIMEOUT"] = "0.3";
    mlflow.setDiagnosticsLogger(() => undefined);
    await mlflow.configureExport({ maxBatchSize: 10, scheduledDelayMs: 1, initialBackoffMs: 1, maxBackoffMs: 5, exportTimeoutMs: 60_000, flushOnExit: false });
    mlflow.setTrackingUri(server.url);
    for (let i = 0; i < 10; i++) mlflow.startSpan({ name: `t${i}` }, () => i);
    const started = Date.now();
    await expect(mlflow.flushTraces()).resolves.toEqual({ exported: 10, failed: 0, dropped: 0, pending: 0 });
    expect(Date.now() - started).toBeLessThan(30_000);
    // Ten trace records, plus one more try for the trace whose first request hung.
    expect(server.requests.filter((r) => r.path === START_TRACE)).toHaveLength(11);
  }, 60_000);

  it("rejects a MLFLOW_HTTP_REQUEST_TIMEOUT that is not a number of seconds, naming it", () => {
    process.env["MLFLOW_HTTP_REQUEST_TIMEOUT"] = "soon";
    expect(() => new MlflowRestClient({ trackingUri: "http://127.0.0.1:5000" })).toThrow(/MLFLOW_HTTP_REQUEST_TIMEOUT.*"soon"/);
  });
});
