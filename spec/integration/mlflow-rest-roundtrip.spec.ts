/**
 * Traces exported by MlflowRestClient to a real `mlflow server` read back exactly — over REST and
 * with MLflow's own Python client — as traces written by the Python SDK would.
 */
import { randomBytes } from "node:crypto";
import { resetExportConfig, setExperiment, setTrackingUri } from "../../lib/export/destination/config";
import { MlflowRestClient, artifactPathFromUri } from "../../lib/export/clients/mlflow-rest-client";
import { traceDataFile } from "../../lib/export/mlflow/trace-wire";
import type { Trace } from "../../lib/index";
import { readTraceWithPython } from "../support/python-trace";
import { ANSWER, QUESTION, USAGE, buildFailedTrace, buildRagTrace, spanSummary } from "./trace-fixtures";

const url = process.env["MLFLOW_TEST_SERVER_URL"] ?? "";

async function rawJson(path: string): Promise<unknown> {
  const res = await fetch(`${url}${path}`);
  expect(res.status).toBe(200);
  return JSON.parse(await res.text()) as unknown;
}

async function exportOk(client: MlflowRestClient, traces: Trace[]): Promise<void> {
  const { failures } = await client.export(traces, { signal: AbortSignal.timeout(60_000) });
  expect(failures.map((f) => f.error.message)).toEqual([]);
}

describe("MlflowRestClient against a real mlflow server", () => {
  const experimentName = `roundtrip-${randomBytes(4).toString("hex")}`;
  let client: MlflowRestClient;
  let trace: Trace;

  beforeAll(async () => {
    resetExportConfig();
    setTrackingUri(url);
    void setExperiment(experimentName);
    client = new MlflowRestClient();
    trace = await buildRagTrace("otlp");
    await exportOk(client, [trace]);
  });

  afterAll(async () => {
    await client.shutdown();
    resetExportConfig();
  });

  it("creates the experiment and reads the trace back over REST with the same span tree, I/O and status", async () => {
    const back = await client.getTrace(trace.info.traceId);
    expect(back).toBeDefined();
    expect(spanSummary(back as Trace)).toEqual(spanSummary(trace));
    expect(back?.info.state).toBe("OK");
    expect(back?.info.tokenUsage).toEqual({ inputTokens: 12, outputTokens: 30, totalTokens: 42 });
    expect(back?.info.tags).toMatchObject({ env: "integration", run: "otlp", "mlflow.traceName": "answer_question" });
    // The server re-derives mlflow.trace.tokenUsage from the OTLP spans (same numbers, Python's JSON spacing).
    const { "mlflow.trace.tokenUsage": sentUsage, ...sentMetadata } = trace.info.metadata;
    expect(back?.info.metadata).toMatchObject(sentMetadata);
    expect(JSON.parse(back?.info.metadata["mlflow.trace.tokenUsage"] ?? "null")).toEqual(JSON.parse(sentUsage ?? "null"));
    expect(back?.info.experimentId).toBe(trace.info.experimentId);
    expect(back?.info.requestTime).toBe(trace.info.requestTime);
    const chat = back?.data.spans.find((s) => s.name === "chat");
    expect(chat?.attributes).toMatchObject({ "mlflow.chat.tokenUsage": USAGE, "mlflow.llm.model": "gpt-4o-mini" });
  });

  it("server decided (UNVERIFIED §2.5): 3.17 with SQLite accepts OTLP/JSON on /v1/traces, sets spansLocation=TRACKING_STORE and prices the chat span", async () => {
    const info = (await rawJson(`/api/3.0/mlflow/traces/${trace.info.traceId}`)) as {
      trace: { trace_info: { tags: Record<string, string>; trace_metadata: Record<string, string> } };
    };
    const { tags, trace_metadata: metadata } = info.trace.trace_info;
    expect(tags["mlflow.trace.spansLocation"]).toBe("TRACKING_STORE");
    expect(tags["mlflow.artifactLocation"]).toMatch(new RegExp(`^mlflow-artifacts:/\\d+/traces/${trace.info.traceId}/artifacts$`));
    expect(metadata["mlflow.trace.infoFinalized"]).toBe("true");
    expect(JSON.parse(metadata["mlflow.trace.cost"] ?? "{}")).toHaveProperty("total_cost");
  });

  it("reads back with MLflow's Python client: spans, types, parents, I/O, status, events, token usage, metadata and tags", async () => {
    const py = await readTraceWithPython(url, trace.info.traceId);
    expect(py.info.trace_id).toBe(trace.info.traceId);
    expect(py.info.state).toBe("OK");
    expect(py.info.token_usage).toEqual(USAGE);
    expect(py.info.trace_metadata).toMatchObject({ "mlflow.trace.user": "user-42", "mlflow.trace.session": "session-7", "mlflow.trace_schema.version": "3" });
    expect(py.info.tags).toMatchObject({ env: "integration", run: "otlp" });
    expect(JSON.parse(py.info.request_preview ?? "null")).toEqual({ question: QUESTION });
    const byName = new Map(py.spans.map((s) => [s.name, s]));
    const root = byName.get("answer_question");
    expect(root).toMatchObject({ parent_id: null, span_type: "CHAIN", inputs: { question: QUESTION }, outputs: ANSWER, status: { code: "OK" } });
    for (const child of ["retrieve", "chat", "flaky_tool"]) expect(byName.get(child)?.parent_id).toBe(root?.span_id);
    expect(byName.get("retrieve")?.span_type).toBe("RETRIEVER");
    expect(byName.get("chat")).toMatchObject({
      span_type: "CHAT_MODEL",
      outputs: { choices: [{ message: { role: "assistant", content: ANSWER } }] },
      attributes: { "mlflow.chat.tokenUsage": USAGE, "mlflow.llm.model": "gpt-4o-mini", "mlflow.message.format": "openai" },
    });
    const tool = byName.get("flaky_tool");
    expect(tool?.status).toEqual({ code: "ERROR", description: "TypeError: boom" });
    expect(tool?.events[0]).toMatchObject({ name: "exception", attributes: { "exception.type": "TypeError", "exception.message": "boom" } });
    expect(String(tool?.events[0]?.attributes["exception.stacktrace"])).toContain("TypeError: boom");
  });

  it("with OTLP off, uploads traces.json through the artifact proxy and every reader sees the same spans", async () => {
    const artifactClient = new MlflowRestClient({ otlp: false });
    try {
      const artifactTrace = await buildRagTrace("artifact");
      await exportOk(artifactClient, [artifactTrace]);
      const id = artifactTrace.info.traceId;
      const info = (await rawJson(`/api/3.0/mlflow/traces/${id}`)) as { trace: { trace_info: { tags: Record<string, string> } } };
      const tags = info.trace.trace_info.tags;
      expect(tags["mlflow.trace.spansLocation"]).toBeUndefined();
      const file = await rawJson(`/api/2.0/mlflow-artifacts/artifacts/${artifactPathFromUri(tags["mlflow.artifactLocation"] ?? "")}/traces.json`);
      expect(file).toEqual(JSON.parse(traceDataFile(artifactTrace)));
      expect(await rawJson(`/ajax-api/2.0/mlflow/get-trace-artifact?request_id=${id}`)).toEqual(file);
      const back = await artifactClient.getTrace(id);
      expect(spanSummary(back as Trace)).toEqual(spanSummary(artifactTrace));
      const py = await readTraceWithPython(url, id);
      expect(py.spans.map((s) => [s.name, s.span_type]).sort()).toEqual([
        ["answer_question", "CHAIN"],
        ["chat", "CHAT_MODEL"],
        ["flaky_tool", "TOOL"],
        ["retrieve", "RETRIEVER"],
      ]);
      expect(py.info.token_usage).toEqual(USAGE);
    } finally {
      await artifactClient.shutdown();
    }
  });

  it("exports a batch with a failed root as state ERROR, visible to the Python client", async () => {
    const failed = await buildFailedTrace();
    const ok = await buildRagTrace("batch");
    await exportOk(client, [failed, ok]);
    const py = await readTraceWithPython(url, failed.info.traceId);
    expect(py.info.state).toBe("ERROR");
    expect(py.spans[0]).toMatchObject({ name: "failing_pipeline", status: { code: "ERROR", description: "RangeError: pipeline exploded" } });
    expect((await client.getTrace(ok.info.traceId))?.data.spans).toHaveLength(4);
  });

  it("in spans-only mode, the server builds the record from the spans: tree, I/O, tags, user, session, usage and previews kept; client metadata not", async () => {
    const spansOnly = new MlflowRestClient({ spansOnly: true });
    try {
      const traces = [await buildRagTrace("spans-only-1"), await buildFailedTrace(), await buildRagTrace("spans-only-2")];
      await exportOk(spansOnly, traces);
      const [first, failed] = traces as [Trace, Trace, Trace];
      const back = await spansOnly.getTrace(first.info.traceId);
      expect(spanSummary(back as Trace)).toEqual(spanSummary(first));
      expect(back?.info).toMatchObject({ state: "OK", experimentId: first.info.experimentId, requestTime: first.info.requestTime });
      expect(back?.info.tokenUsage).toEqual({ inputTokens: 12, outputTokens: 30, totalTokens: 42 });
      expect(back?.info.tags).toMatchObject({
        env: "integration",
        run: "spans-only-1",
        "mlflow.traceName": "answer_question",
        "mlflow.trace.spansLocation": "TRACKING_STORE",
      });
      // Server decided (3.17.2): it keeps user/session, derives usage and cost, and stores none of the client-side metadata.
      expect(back?.info.metadata).toMatchObject({ "mlflow.trace.user": "user-42", "mlflow.trace.session": "session-7" });
      for (const key of ["mlflow.user", "mlflow.source.name", "mlflow.traceInputs", "mlflow.trace.sizeStats", "mlflow.trace.infoFinalized"]) {
        expect(back?.info.metadata[key]).toBeUndefined();
      }
      const py = await readTraceWithPython(url, first.info.traceId);
      expect(py.info.token_usage).toEqual(USAGE);
      expect(JSON.parse(py.info.request_preview ?? "null")).toEqual({ question: QUESTION });
      expect(py.spans.map((s) => [s.name, s.span_type]).sort()).toEqual([
        ["answer_question", "CHAIN"],
        ["chat", "CHAT_MODEL"],
        ["flaky_tool", "TOOL"],
        ["retrieve", "RETRIEVER"],
      ]);
      expect((await readTraceWithPython(url, failed.info.traceId)).info.state).toBe("ERROR");
    } finally {
      await spansOnly.shutdown();
    }
  });

  it("getTrace answers undefined for an unknown trace id", async () => {
    expect(await client.getTrace(`tr-${"0".repeat(32)}`)).toBeUndefined();
  });
});
