/**
 * Delivery that outlasts a restart (issue #12.6–7), through the path a user gets (trace → exporter
 * → batch processor → MlflowRestClient) and a fault proxy in front of a real `mlflow server`;
 * what arrived is counted with the Python client. Default retry settings, except faster backoff.
 */
import { randomBytes } from "node:crypto";
import { resetExportConfig, setExperiment, setTrackingUri } from "../../lib/export/destination/config";
import * as mlflow from "../../lib/index";
import { startFaultProxy, type FaultProxy, type FaultRule, type RecordedRequest } from "../support/fault-proxy";
import { completeTraces, expected, readBack } from "../support/fault-readback";
import { runPythonJson } from "../support/mlflow-server";
import { pendingIndex } from "../../lib/export/clients/local-store/destinations";

const SERVER = process.env["MLFLOW_TEST_SERVER_URL"] ?? "";
const PYTHON = process.env["MLFLOW_TEST_PYTHON"] ?? "";
const START_TRACE = "/api/3.0/mlflow/traces";
const isStartTrace = (req: RecordedRequest): boolean => req.method === "POST" && req.path === START_TRACE;

function pythonCount(experimentId: string): Promise<unknown> {
  return runPythonJson(PYTHON, "count_traces.py", [SERVER, experimentId]);
}

describe("reliability against a real mlflow server", () => {
  let proxy: FaultProxy | undefined;

  async function routeThrough(rule: FaultRule, options: mlflow.ExportSettings): Promise<{ proxy: FaultProxy; experiment: string; experimentId: string }> {
    const experiment = `reliability-${randomBytes(4).toString("hex")}`;
    setTrackingUri(SERVER);
    const { experimentId } = await setExperiment(experiment);
    proxy = await startFaultProxy(SERVER, rule);
    await mlflow.configureExport({ initialBackoffMs: 50, maxBackoffMs: 200, scheduledDelayMs: 10, flushOnExit: false, ...options });
    setTrackingUri(proxy.url);
    return { proxy, experiment, experimentId };
  }

  afterEach(async () => {
    delete process.env["MLFLOW_HTTP_REQUEST_TIMEOUT"];
    await mlflow.shutdownExport({ timeoutMs: 5000 });
    await mlflow.configureExport({ flushOnExit: false });
    resetExportConfig();
    await proxy?.close();
    proxy = undefined;
  });

  it("a restart that drops more than five attempts in a row loses nothing and needs no sync (retries last the budget)", async () => {
    let dropped = 0;
    const { experiment, experimentId } = await routeThrough(() => (dropped < 7 ? (dropped++, { drop: true }) : undefined), { maxBatchSize: 20 });
    const shapes = await completeTraces("restart", 20);

    expect(await mlflow.flushTraces({ timeoutMs: 60_000 })).toEqual({ exported: 20, failed: 0, dropped: 0, pending: 0 });
    expect(dropped).toBe(7);
    expect(await readBack(SERVER, experiment)).toEqual(expected(shapes));
    expect(await pythonCount(experimentId)).toEqual({ count: 20, unique: 20 });
    expect((await pendingIndex(process.env["MLFLOW_HAYSTACK_LOCAL_DIR"]!)).size).toBe(0);
  }, 90_000);

  it("a hung request fails alone: only its trace is retried, long before the batch's 30 s exportTimeoutMs", async () => {
    process.env["MLFLOW_HTTP_REQUEST_TIMEOUT"] = "1";
    let hung = 0;
    const rule: FaultRule = (req) => (isStartTrace(req) && hung++ === 3 ? { status: 200, body: {}, delayMs: 120_000 } : undefined);
    const { proxy: p, experiment, experimentId } = await routeThrough(rule, { maxBatchSize: 10 });
    const shapes = await completeTraces("hung", 10);

    const started = Date.now();
    expect(await mlflow.flushTraces({ timeoutMs: 60_000 })).toEqual({ exported: 10, failed: 0, dropped: 0, pending: 0 });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(p.requests.filter(isStartTrace)).toHaveLength(11);
    expect(await readBack(SERVER, experiment)).toEqual(expected(shapes));
    expect(await pythonCount(experimentId)).toEqual({ count: 10, unique: 10 });
  }, 90_000);
});
