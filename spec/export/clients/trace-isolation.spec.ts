import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalStore } from "../../../lib/export/clients/local-store/store";
import { syncPendingTraces } from "../../../lib/cli/local-store/sync";
import { MlflowRestClient } from "../../../lib/export/clients/mlflow-rest-client";
import { OtlpClient } from "../../../lib/export/clients/otlp-client";
import { setDiagnosticsLogger } from "../../../lib/index";
import { getDiagnosticsCounts } from "../../../lib/export/index";
import { resetDiagnosticsCounts } from "../../../lib/internal/diagnostics";
import { Trace, TraceInfo } from "../../../lib/tracing/trace";
import { makeTrace } from "./local-store/store.fixtures";
import { startScriptedServer, type LoopbackServer } from "../../support/fault-proxy";
import { pendingIndex } from "../../../lib/export/clients/local-store/destinations";
import { LocalStoreReader } from "../../../lib/export/clients/local-store/reader";

/** A trace as a buggy producer hands it over: a BigInt preview that JSON cannot encode. */
function bigintPreviewTrace(): Trace {
  const good = makeTrace({ name: "bigint" });
  const info = good.info;
  return new Trace(
    new TraceInfo({ ...info, metadata: { ...info.metadata }, tags: { ...info.tags }, requestPreview: 12n as unknown as string }),
    good.data.spans,
  );
}

/** A trace whose span has no name (what `startSpan("oops", fn)` used to record). */
function namelessTrace(): Trace {
  const good = makeTrace();
  return new Trace(
    good.info,
    good.data.spans.map((s) => ({ ...s, name: undefined as unknown as string })),
  );
}

let dir: string;
let server: LoopbackServer | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "isolation-"));
  resetDiagnosticsCounts();
  setDiagnosticsLogger(() => undefined);
});
afterEach(async () => {
  setDiagnosticsLogger(undefined);
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe("a trace that cannot be encoded fails alone", () => {
  it("in the local-store fallback: the traces after it are still kept for traces sync", async () => {
    const store = new LocalStore({ dir });
    const batch = [makeTrace(), bigintPreviewTrace(), makeTrace(), makeTrace()];
    await store.saveUndelivered(batch, { destination: { trackingUri: "http://127.0.0.1:9" } });
    const pending = [...(await pendingIndex(store.dir)).keys()];
    expect(pending).toHaveLength(3);
    expect(getDiagnosticsCounts()["export.unencodable"]).toBe(1);
  });

  it("at export to an MLflow server: the others are created and only it is reported, not retryable", async () => {
    const created: string[] = [];
    server = await startScriptedServer((req) => {
      if (req.path.startsWith("/api/2.0/mlflow/experiments/get"))
        return { status: 200, body: { experiment: { experiment_id: "1", name: "exp", artifact_location: "mlflow-artifacts:/1", lifecycle_stage: "active" } } };
      if (req.path === "/api/3.0/mlflow/traces") {
        const info = (JSON.parse(req.body) as { trace: { trace_info: { trace_id: string } } }).trace.trace_info;
        created.push(info.trace_id);
        return { status: 200, body: { trace: { trace_info: { ...info, tags: { "mlflow.trace.spansLocation": "TRACKING_STORE" } } } } };
      }
      return { status: 200, body: {} };
    });
    const client = new MlflowRestClient({ trackingUri: server.url, experiment: { name: "exp" } });
    const good = [makeTrace(), makeTrace()];
    const bad = namelessTrace();
    try {
      const { failures } = await client.export([good[0]!, bad, good[1]!], { signal: AbortSignal.timeout(10_000) });
      expect(failures.map((f) => [f.traceId, f.retryable])).toEqual([[bad.info.traceId, false]]);
      expect(String(failures[0]!.error.message)).toContain(`Trace ${bad.info.traceId} could not be encoded`);
      expect(created.sort()).toEqual(good.map((t) => t.info.traceId).sort());
    } finally {
      await client.shutdown();
    }
  });

  it("at traces sync: a stored trace written without a span name no longer fails the rest of its batch", async () => {
    const created: string[] = [];
    server = await startScriptedServer((req) => {
      if (req.path.startsWith("/api/2.0/mlflow/experiments/get"))
        return { status: 200, body: { experiment: { experiment_id: "1", name: "exp", artifact_location: "mlflow-artifacts:/1", lifecycle_stage: "active" } } };
      if (req.path === "/api/3.0/mlflow/traces") {
        const info = (JSON.parse(req.body) as { trace: { trace_info: { trace_id: string } } }).trace.trace_info;
        created.push(info.trace_id);
        return { status: 200, body: { trace: { trace_info: { ...info, tags: { "mlflow.trace.spansLocation": "TRACKING_STORE" } } } } };
      }
      if (req.path.startsWith("/api/3.0/mlflow/traces/")) return { status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST", message: "no" } };
      return { status: 200, body: {} };
    });
    const store = new LocalStore({ dir });
    const traces = [makeTrace(), namelessTrace(), makeTrace()];
    await store.saveUndelivered(traces, { destination: { trackingUri: server.url, experiment: { name: "exp" } } });
    const clients: MlflowRestClient[] = [];
    const results = await syncPendingTraces(new LocalStoreReader(store.dir), {
      clientFor: (d) => {
        const client = new MlflowRestClient({ trackingUri: d.trackingUri, experiment: { name: "exp" } });
        clients.push(client);
        return client;
      },
    });
    await Promise.all(clients.map((c) => c.shutdown()));
    expect(results[0]?.result).toMatchObject({ sent: 3, failed: 0 });
    expect(created.sort()).toEqual(traces.map((t) => t.info.traceId).sort());
  });

  it("at export over OTLP: the others are sent in the request", async () => {
    server = await startScriptedServer(() => ({ status: 200, body: {} }));
    const client = new OtlpClient({ endpoint: `${server.url}/v1/traces`, protocol: "http/json" });
    const good = makeTrace({ name: "kept" });
    const bad = new Trace(
      good.info,
      good.data.spans.map((s) => ({ ...s, startTimeNs: undefined as unknown as bigint })),
    );
    const other = makeTrace({ name: "also-kept" });
    try {
      const { failures } = await client.export([other, bad], { signal: AbortSignal.timeout(10_000) });
      expect(failures.map((f) => f.traceId)).toEqual([bad.info.traceId]);
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]!.body).toContain("also-kept");
    } finally {
      await client.shutdown();
    }
  });
});
