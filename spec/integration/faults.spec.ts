/**
 * Failures between the client and a real `mlflow server`, injected by a loopback proxy: the client
 * classifies them for the batch processor, and a later attempt lands the same trace intact.
 */
import { randomBytes } from "node:crypto";
import { resetExportConfig, setExperiment, setTrackingUri } from "../../lib/config";
import { MlflowRestClient } from "../../lib/export/mlflow-rest-client";
import { startFaultProxy, type LoopbackServer } from "../support/fault-proxy";
import { buildRagTrace, spanSummary } from "./trace-fixtures";

const url = process.env["MLFLOW_TEST_SERVER_URL"] ?? "";

describe("export through a fault-injecting proxy", () => {
  let proxy: LoopbackServer;
  let failNext = 0;

  beforeAll(async () => {
    proxy = await startFaultProxy(url, (req) => {
      if (req.path === "/api/3.0/mlflow/traces" && failNext > 0) {
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
