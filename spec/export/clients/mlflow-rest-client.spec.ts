import { ExportError, MlflowApiError } from "../../../lib/export/errors";
import { MlflowRestClient, artifactPathFromUri, spansOnlyFromEnv } from "../../../lib/export/clients/mlflow-rest-client";
import { resetDiagnosticsCounts, setDiagnosticsLogger } from "../../../lib/internal/diagnostics";
import type { ExportResult } from "../../../lib/export/clients/trace-client";
import { traceDataFile } from "../../../lib/export/mlflow/trace-wire";
import { Trace, type TraceJson } from "../../../lib/tracing/trace";
import { startScriptedServer, type LoopbackServer, type RecordedRequest, type ScriptedReply } from "../../support/fault-proxy";

const TRACE_ID = "tr-0af7651916cd43dd8448eb211c80319c";

function fixtureTrace(experimentId?: string, extra: { tags?: Record<string, string>; metadata?: Record<string, string> } = {}): Trace {
  const json: TraceJson = {
    info: {
      trace_id: TRACE_ID,
      trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: "0" } },
      request_time: "2025-06-15T15:06:40.123Z",
      execution_duration_ms: 1500,
      state: "OK",
      trace_metadata: { "mlflow.trace_schema.version": "3", ...extra.metadata },
      tags: { "mlflow.traceName": "root", ...extra.tags },
      assessments: [],
    },
    data: {
      spans: [
        {
          trace_id: "CvdlGRbNQ92ESOshHIAxnA==",
          span_id: "t61rcWkgMzE=",
          parent_span_id: "",
          name: "root",
          start_time_unix_nano: "1750000000123000000",
          end_time_unix_nano: "1750000001623000000",
          status: { code: "STATUS_CODE_OK", message: "" },
          attributes: { "mlflow.traceRequestId": JSON.stringify(TRACE_ID), "mlflow.spanType": '"CHAIN"', "mlflow.spanInputs": '{"q":1}' },
          events: [],
        },
      ],
    },
  };
  const trace = Trace.fromJSON(json);
  trace.info.experimentId = experimentId;
  return trace;
}

const EXPERIMENT = { experiment: { experiment_id: "1", name: "exp", artifact_location: "mlflow-artifacts:/1", lifecycle_stage: "active" } };

function mlflowLike(overrides: (req: RecordedRequest) => ScriptedReply | undefined): (req: RecordedRequest) => ScriptedReply {
  return (req) => {
    const forced = overrides(req);
    if (forced !== undefined) return forced;
    if (req.path.startsWith("/api/2.0/mlflow/experiments/get")) return { status: 200, body: EXPERIMENT };
    if (req.path === "/v1/traces") return { status: 200, body: {} };
    if (req.path === "/api/3.0/mlflow/traces") {
      const info = (JSON.parse(req.body) as { trace: { trace_info: Record<string, unknown> } }).trace.trace_info;
      return {
        status: 200,
        body: { trace: { trace_info: { ...info, tags: { "mlflow.artifactLocation": `mlflow-artifacts:/1/traces/${TRACE_ID}/artifacts` } } } },
      };
    }
    if (req.method === "PUT") return { status: 200, body: {} };
    return { status: 404, body: { error_code: "ENDPOINT_NOT_FOUND", message: "no" } };
  };
}

describe("MlflowRestClient", () => {
  let server: LoopbackServer | undefined;
  let client: MlflowRestClient | undefined;
  afterEach(async () => {
    await client?.shutdown();
    await server?.close();
    client = undefined;
    server = undefined;
  });

  async function run(
    overrides: (req: RecordedRequest) => ScriptedReply | undefined,
    trace = fixtureTrace("1"),
    signal = AbortSignal.timeout(10_000),
  ): Promise<ExportResult> {
    server = await startScriptedServer(mlflowLike(overrides));
    client = new MlflowRestClient({ trackingUri: server.url, experiment: { name: "exp" } });
    return client.export([trace], { signal });
  }

  it("creates the trace record with proto-JSON times first, then sends the spans over OTLP, with no artifact upload", async () => {
    const trace = fixtureTrace("1");
    const result = await run(() => undefined, trace);
    expect(result.failures).toEqual([]);
    const paths = server?.requests.map((r) => `${r.method} ${r.path}`).filter((p) => !p.includes("experiments"));
    expect(paths).toEqual(["POST /api/3.0/mlflow/traces", "POST /v1/traces"]);
    const start = server?.requests.find((r) => r.path === "/api/3.0/mlflow/traces");
    expect(JSON.parse(start?.body ?? "{}")).toMatchObject({
      trace: {
        trace_info: {
          trace_id: TRACE_ID,
          request_time: "2025-06-15T15:06:40.123Z",
          execution_duration: "1.5s",
          state: "OK",
          trace_location: { mlflow_experiment: { experiment_id: "1" } },
        },
      },
    });
    const otlp = server?.requests.find((r) => r.path === "/v1/traces");
    expect(otlp?.headers["x-mlflow-experiment-id"]).toBe("1");
  });

  it("uploads traces.json where the server said when the OTLP request fails", async () => {
    const trace = fixtureTrace("1");
    const result = await run((req) => (req.path === "/v1/traces" ? { status: 503, body: { detail: "busy" } } : undefined), trace);
    expect(result.failures).toEqual([]);
    const put = server?.requests.find((r) => r.method === "PUT");
    expect(put?.path).toBe(`/api/2.0/mlflow-artifacts/artifacts/1/traces/${TRACE_ID}/artifacts/traces.json`);
    expect(put?.body).toBe(traceDataFile(trace));
  });

  it("skips the artifact upload when the server already stores the spans (spansLocation=TRACKING_STORE)", async () => {
    const result = await run((req) =>
      req.path === "/api/3.0/mlflow/traces"
        ? {
            status: 200,
            body: {
              trace: {
                trace_info: {
                  trace_id: TRACE_ID,
                  tags: { "mlflow.trace.spansLocation": "TRACKING_STORE", "mlflow.artifactLocation": "mlflow-artifacts:/1/x" },
                },
              },
            },
          }
        : undefined,
    );
    expect(result.failures).toEqual([]);
    expect(server?.requests.some((r) => r.method === "PUT")).toBe(false);
  });

  it("reports 503 with Retry-After as retryable with retryAfterMs", async () => {
    const { failures } = await run((req) =>
      req.path === "/api/3.0/mlflow/traces" ? { status: 503, headers: { "retry-after": "7" }, body: "<html>busy</html>" } : undefined,
    );
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ traceId: TRACE_ID, retryable: true, retryAfterMs: 7000 });
    expect(failures[0]?.error).toBeInstanceOf(MlflowApiError);
    expect(failures[0]?.error).toMatchObject({ status: 503, code: "HTTP_503", endpoint: "POST /api/3.0/mlflow/traces" });
  });

  it("reports an MLflow error body on 400 as a final MlflowApiError with its code", async () => {
    const { failures } = await run((req) =>
      req.path === "/api/3.0/mlflow/traces" ? { status: 400, body: { error_code: "INVALID_PARAMETER_VALUE", message: "bad state\nsql detail" } } : undefined,
    );
    expect(failures[0]).toMatchObject({ retryable: false, error: { code: "INVALID_PARAMETER_VALUE", status: 400, serverMessage: "bad state" } });
    expect(failures[0]?.error.message).toBe("POST /api/3.0/mlflow/traces failed with HTTP 400 INVALID_PARAMETER_VALUE: bad state.");
  });

  it("ends the message with the server's own full stop, not a second one", async () => {
    const { failures } = await run((req) =>
      req.path === "/api/3.0/mlflow/traces"
        ? { status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST", message: "Trace with ID 'tr-1' not found." } }
        : undefined,
    );
    expect(failures[0]?.error.message).toBe("POST /api/3.0/mlflow/traces failed with HTTP 404 RESOURCE_DOES_NOT_EXIST: Trace with ID 'tr-1' not found.");
  });

  it("reports a dropped connection and an aborted request as retryable ExportErrors", async () => {
    const dropped = await run((req) => (req.path === "/api/3.0/mlflow/traces" ? { drop: true } : undefined));
    expect(dropped.failures[0]).toMatchObject({ retryable: true });
    expect(dropped.failures[0]?.error).toBeInstanceOf(ExportError);
    await client?.shutdown();
    await server?.close();

    const controller = new AbortController();
    // Aborted once the server holds the trace record's request, so the abort always lands on it.
    const abortOnRecord = (req: RecordedRequest): ScriptedReply | undefined => {
      if (req.path !== "/api/3.0/mlflow/traces") return undefined;
      controller.abort(new Error("processor timeout"));
      return { status: 200, delayMs: 2000, body: {} };
    };
    const aborted = await run(abortOnRecord, fixtureTrace("1"), controller.signal);
    expect(aborted.failures[0]).toMatchObject({ retryable: true });
    expect(aborted.failures[0]?.error.message).toMatch(/was aborted/);
  });

  it("falls back to the artifact when the server refuses OTLP/JSON, and stops sending OTLP", async () => {
    const result = await run((req) => (req.path === "/v1/traces" ? { status: 400, body: { detail: "Invalid Content-Type" } } : undefined));
    expect(result.failures).toEqual([]);
    expect(server?.requests.some((r) => r.method === "PUT")).toBe(true);
    await client?.export([fixtureTrace("1")], { signal: AbortSignal.timeout(5000) });
    expect(server?.requests.filter((r) => r.path === "/v1/traces")).toHaveLength(1);
  });

  it("resolves the experiment by name for traces that carry none", async () => {
    const trace = fixtureTrace(undefined);
    const result = await run(() => undefined, trace);
    expect(result.failures).toEqual([]);
    expect(trace.info.experimentId).toBe("1");
    expect(server?.requests[0]?.path).toBe("/api/2.0/mlflow/experiments/get-by-name?experiment_name=exp");
  });
});

describe("MlflowRestClient in spans-only mode", () => {
  let server: LoopbackServer | undefined;
  let client: MlflowRestClient | undefined;
  const warnings: string[] = [];
  beforeEach(() => {
    warnings.length = 0;
    resetDiagnosticsCounts();
    setDiagnosticsLogger((level, message) => void (level === "warn" && warnings.push(message)));
  });
  afterEach(async () => {
    setDiagnosticsLogger(undefined);
    await client?.shutdown();
    await server?.close();
    client = undefined;
    server = undefined;
  });

  async function run(overrides: (req: RecordedRequest) => ScriptedReply | undefined, traces: Trace[]): Promise<ExportResult> {
    server = await startScriptedServer(mlflowLike(overrides));
    client = new MlflowRestClient({ trackingUri: server.url, experiment: { name: "exp" }, spansOnly: true });
    return client.export(traces, { signal: AbortSignal.timeout(10_000) });
  }

  const paths = (): string[] => (server?.requests ?? []).map((r) => `${r.method} ${r.path}`).filter((p) => !p.includes("experiments"));

  it("sends a trace carrying assessments as a full record (spans cannot carry them), the others as spans only", async () => {
    const assessed = fixtureTrace(undefined);
    const now = new Date().toISOString();
    assessed.info.assessments.push({
      assessment_id: "a-1",
      assessment_name: "quality",
      trace_id: TRACE_ID,
      source: { source_type: "CODE", source_id: "default" },
      create_time: now,
      last_update_time: now,
      feedback: { value: 1 },
      valid: true,
    });
    const result = await run(() => undefined, [assessed]);
    expect(result.failures).toEqual([]);
    expect(paths()).toContain("POST /api/3.0/mlflow/traces");
    const start = server!.requests.find((r) => r.path === "/api/3.0/mlflow/traces")!;
    expect((JSON.parse(start.body) as { trace: { trace_info: { assessments: unknown[] } } }).trace.trace_info.assessments).toEqual([
      expect.objectContaining({ assessment_id: "a-1" }),
    ]);
  });

  it("sends a batch as one OTLP request, with the trace's tags and user on the root span, and no StartTraceV3", async () => {
    const trace = fixtureTrace(undefined, { tags: { team: "search" }, metadata: { "mlflow.trace.user": "u-7" } });
    const result = await run(() => undefined, [trace]);
    expect(result.failures).toEqual([]);
    expect(paths()).toEqual(["POST /v1/traces"]);
    const otlp = server!.requests[server!.requests.length - 1]!;
    expect(otlp.headers["x-mlflow-experiment-id"]).toBe("1");
    const span = (
      JSON.parse(otlp.body) as { resourceSpans: { scopeSpans: { spans: { attributes: { key: string; value: { stringValue?: string } }[] }[] }[] }[] }
    ).resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    const attrs = Object.fromEntries(span.attributes.map((a) => [a.key, a.value.stringValue]));
    expect(attrs).toMatchObject({ "mlflow.traceTag.mlflow.traceName": '"root"', "mlflow.traceTag.team": '"search"', "user.id": '"u-7"' });
    expect(trace.info.experimentId).toBe("1");
    expect(warnings).toEqual([]);
  });

  it("reports a failed OTLP request as the traces' failure, retryable on 503, without creating trace records", async () => {
    const result = await run((req) => (req.path === "/v1/traces" ? { status: 503, body: { detail: "busy" } } : undefined), [fixtureTrace("1")]);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatchObject({ traceId: TRACE_ID, retryable: true });
    expect(paths()).toEqual(["POST /v1/traces"]);
  });

  it("sends full trace records when the server has no OTLP ingestion, warning once", async () => {
    const result = await run((req) => (req.path === "/v1/traces" ? { status: 501, body: { detail: "not supported" } } : undefined), [fixtureTrace("1")]);
    expect(result.failures).toEqual([]);
    expect(paths()).toEqual([
      "POST /v1/traces",
      "POST /api/3.0/mlflow/traces",
      `PUT /api/2.0/mlflow-artifacts/artifacts/1/traces/${TRACE_ID}/artifacts/traces.json`,
    ]);
    await client!.export([fixtureTrace("1")], { signal: AbortSignal.timeout(5000) });
    expect(paths().filter((p) => p === "POST /v1/traces")).toHaveLength(1);
    expect(warnings).toEqual([expect.stringMatching(/does not ingest OTLP spans .*sending full trace records/)]);
  });

  it("sends a batch the server refuses for good (413 from a proxy, 422) as full records, and keeps trying spans-only", async () => {
    const refusals: ScriptedReply[] = [
      { status: 413, body: { detail: "Request Entity Too Large" } },
      { status: 422, body: { detail: "Cannot convert OpenTelemetry span to MLflow span" } },
    ];
    let otlpCalls = 0;
    const result = await run((req) => (req.path === "/v1/traces" ? refusals[otlpCalls++ % 2] : undefined), [fixtureTrace("1")]);
    expect(result.failures).toEqual([]);
    expect(paths()).toEqual([
      "POST /v1/traces",
      "POST /api/3.0/mlflow/traces",
      "POST /v1/traces",
      `PUT /api/2.0/mlflow-artifacts/artifacts/1/traces/${TRACE_ID}/artifacts/traces.json`,
    ]);
    expect(warnings).toEqual([expect.stringMatching(/refused a spans-only request for 1 trace\(s\); sending them as full trace records/)]);
    const before = paths().length;
    await client!.export([fixtureTrace("1")], { signal: AbortSignal.timeout(5000) });
    expect(paths()[before]).toBe("POST /v1/traces");
  });

  it("keeps spans-only mode after a 400 or 404 that is not about OTLP support (bad batch, MLflow error body)", async () => {
    const replies: ScriptedReply[] = [
      { status: 400, body: { detail: "Invalid OpenTelemetry format" } },
      { status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST", message: "No Experiment with id=1 exists" } },
    ];
    let otlpCalls = 0;
    await run((req) => (req.path === "/v1/traces" ? (replies[otlpCalls++] ?? { status: 200, body: {} }) : undefined), [fixtureTrace("1")]);
    await client!.export([fixtureTrace("1")], { signal: AbortSignal.timeout(5000) });
    const before = paths().length;
    await client!.export([fixtureTrace("1")], { signal: AbortSignal.timeout(5000) });
    expect(paths().slice(before)).toEqual(["POST /v1/traces"]);
    expect(warnings).not.toContainEqual(expect.stringMatching(/does not ingest OTLP/));
  });

  it("treats a 404 without an MLflow error body as a server with no OTLP route", async () => {
    const result = await run((req) => (req.path === "/v1/traces" ? { status: 404, body: { detail: "Not Found" } } : undefined), [fixtureTrace("1")]);
    expect(result.failures).toEqual([]);
    expect(paths()).toContain("POST /api/3.0/mlflow/traces");
    expect(warnings).toEqual([expect.stringMatching(/does not ingest OTLP spans \(HTTP_404\)/)]);
  });

  it("reports an aborted spans-only request as retryable, without falling back", async () => {
    const controller = new AbortController();
    // Aborted once the server holds the span upload, so the abort always lands on that request.
    const abortOnUpload = (req: RecordedRequest): ScriptedReply | undefined => {
      if (req.path !== "/v1/traces") return undefined;
      controller.abort(new Error("processor timeout"));
      return { status: 200, delayMs: 2000, body: {} };
    };
    server = await startScriptedServer(mlflowLike(abortOnUpload));
    client = new MlflowRestClient({ trackingUri: server.url, experiment: { name: "exp" }, spansOnly: true });
    const result = await client.export([fixtureTrace("1")], { signal: controller.signal });
    expect(result.failures[0]).toMatchObject({ traceId: TRACE_ID, retryable: true });
    expect(paths()).toEqual(["POST /v1/traces"]);
  });

  it("warns once about a client request id or a trace state the record built from spans cannot hold", async () => {
    const withRequestId = Trace.fromJSON({ ...fixtureTrace("1").toJSON(), info: { ...fixtureTrace("1").toJSON().info, client_request_id: "req-1" } });
    withRequestId.info.experimentId = "1";
    await run(() => undefined, [withRequestId]);
    expect(warnings).toEqual([expect.stringMatching(/^the client request id is not stored in spans-only mode/)]);
    resetDiagnosticsCounts();
    warnings.length = 0;
    const overridden = Trace.fromJSON({ ...fixtureTrace("1").toJSON(), info: { ...fixtureTrace("1").toJSON().info, state: "ERROR" } });
    await client!.export([overridden], { signal: AbortSignal.timeout(5000) });
    expect(warnings).toEqual([expect.stringMatching(/^a trace state that differs from the root span's status is not stored/)]);
  });

  it("refuses spansOnly together with otlp: false", () => {
    expect(() => new MlflowRestClient({ trackingUri: "http://127.0.0.1:1", spansOnly: true, otlp: false })).toThrow(/cannot be combined with `otlp: false`/);
  });

  it("warns once that the user's own trace metadata is not stored", async () => {
    const first = fixtureTrace("1", { metadata: { customer: "acme" } });
    await run(() => undefined, [first]);
    const second = fixtureTrace("1", { metadata: { region: "eu" } });
    await client!.export([second], { signal: AbortSignal.timeout(5000) });
    expect(warnings).toEqual([expect.stringMatching(/metadata such as "customer" is not stored in spans-only mode/)]);
  });

  it("reads MLFLOW_HAYSTACK_SPANS_ONLY, warning about values it cannot read", () => {
    expect(spansOnlyFromEnv({})).toBe(false);
    expect(spansOnlyFromEnv({ MLFLOW_HAYSTACK_SPANS_ONLY: "true" })).toBe(true);
    expect(spansOnlyFromEnv({ MLFLOW_HAYSTACK_SPANS_ONLY: " 1 " })).toBe(true);
    expect(spansOnlyFromEnv({ MLFLOW_HAYSTACK_SPANS_ONLY: "false" })).toBe(false);
    expect(warnings).toEqual([]);
    expect(spansOnlyFromEnv({ MLFLOW_HAYSTACK_SPANS_ONLY: "yes" })).toBe(true);
    expect(spansOnlyFromEnv({ MLFLOW_HAYSTACK_SPANS_ONLY: "Off" })).toBe(false);
    expect(warnings).toEqual([]);
    expect(spansOnlyFromEnv({ MLFLOW_HAYSTACK_SPANS_ONLY: "sure" })).toBe(false);
    expect(warnings).toEqual([expect.stringMatching(/MLFLOW_HAYSTACK_SPANS_ONLY must be true\/false, 1\/0, yes\/no or on\/off, got "sure"/)]);
  });
});

describe("artifactPathFromUri", () => {
  it("maps mlflow-artifacts URIs to proxy paths and refuses other schemes", () => {
    expect(artifactPathFromUri("mlflow-artifacts:/1/traces/tr-a/artifacts")).toBe("1/traces/tr-a/artifacts");
    expect(artifactPathFromUri("mlflow-artifacts://host:5000/2/traces/tr b/artifacts")).toBe("2/traces/tr%20b/artifacts");
    expect(() => artifactPathFromUri("s3://bucket/1/traces")).toThrow(/not served by the tracking server/);
  });
});
