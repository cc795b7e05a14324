/**
 * OtlpClient against a real `mlflow server`: spans sent to `/v1/traces` (protobuf and JSON, with
 * `x-mlflow-experiment-id`) read back through MLflow with the same tree, I/O, attributes and
 * tags; fragments of one distributed trace (W3C `traceparent`) merge into one MLflow trace.
 */
import { randomBytes } from "node:crypto";
import { resolveExperimentAt } from "../../lib/export/destination/config";
import { ExportError } from "../../lib/export/errors";
import { MlflowRestClient } from "../../lib/export/clients/mlflow-rest-client";
import { getLastActiveTrace, startSpan, type Trace } from "../../lib/index";
import { OtlpClient } from "../../lib/export/clients/otlp-client";
import type { OtlpClientOptions } from "../../lib/export/clients/otlp-config";
import { continueTrace, injectTraceContext } from "../../lib/otel/propagation";
import { runPythonJson } from "../support/mlflow-server";
import { USAGE, buildRagTrace, spanSummary } from "./trace-fixtures";

const url = process.env["MLFLOW_TEST_SERVER_URL"] ?? "";
const python = process.env["MLFLOW_TEST_PYTHON"] ?? "";

interface PyTrace {
  info: { trace_id: string; state: string; tags: Record<string, string> };
  spans: Array<{ name: string; span_id: string; parent_id: string | null; span_type: string; inputs: unknown; attributes: Record<string, unknown> }>;
}

/** Attribute values of every JSON kind, including ones a careless encoding turns into strings. */
const ODD_ATTRIBUTES = {
  "haystack.component.visits": 2,
  ratio: 0.25,
  cached: false,
  labels: ["a", "b"],
  nested: { a: { b: [1, { c: null }] } },
  numeric_string: "42",
  unicode: "Grüße, 世界",
};

async function lastTrace(run: () => Promise<unknown>): Promise<Trace> {
  await run();
  const trace = getLastActiveTrace();
  if (trace === undefined) throw new Error("no trace completed");
  return trace;
}

describe("OtlpClient against a real mlflow server's /v1/traces", () => {
  let experimentId: string;
  let reader: MlflowRestClient;
  const clients: OtlpClient[] = [];

  function otlp(options: OtlpClientOptions): OtlpClient {
    const client = new OtlpClient({ endpoint: `${url}/v1/traces`, experimentId, ...options }, {});
    clients.push(client);
    return client;
  }

  async function exportOk(client: OtlpClient, traces: Trace[]): Promise<void> {
    const { failures } = await client.export(traces, { signal: AbortSignal.timeout(60_000) });
    expect(failures.map((f) => f.error.message)).toEqual([]);
  }

  beforeAll(async () => {
    experimentId = (await resolveExperimentAt(url, { name: `otlp-${randomBytes(4).toString("hex")}` })).experimentId;
    reader = new MlflowRestClient({ trackingUri: url });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.shutdown()));
    await reader.shutdown();
  });

  for (const protocol of ["http/protobuf", "http/json"] as const) {
    it(`accepts ${protocol} and reads back the same span tree, I/O, status, events, token usage and tags`, async () => {
      const trace = await buildRagTrace(protocol);
      await exportOk(otlp({ protocol }), [trace]);
      const back = await reader.getTrace(trace.info.traceId);
      expect(back).toBeDefined();
      expect(spanSummary(back as Trace)).toEqual(spanSummary(trace));
      expect(back?.info.state).toBe("OK");
      expect(back?.info.experimentId).toBe(experimentId);
      expect(back?.info.tags).toMatchObject({ env: "integration", run: protocol, "mlflow.traceName": "answer_question" });
      expect(back?.info.tokenUsage).toEqual({ inputTokens: 12, outputTokens: 30, totalTokens: 42 });
      const chat = back?.data.spans.find((s) => s.name === "chat");
      expect(chat?.attributes).toMatchObject({ "mlflow.chat.tokenUsage": USAGE, "mlflow.llm.model": "gpt-4o-mini" });
    });
  }

  for (const attributeValues of ["flat", "native"] as const) {
    it(`keeps numbers, booleans, arrays, nested objects and JSON-looking strings with attributeValues "${attributeValues}"`, async () => {
      const trace = await lastTrace(() =>
        startSpan({ name: `odd_${attributeValues}`, spanType: "TOOL", inputs: { n: 1 }, attributes: ODD_ATTRIBUTES }, async () => null),
      );
      await exportOk(otlp({ attributeValues, protocol: attributeValues === "flat" ? "http/protobuf" : "http/json" }), [trace]);
      const span = (await reader.getTrace(trace.info.traceId))?.data.spans[0];
      expect(span?.attributes).toMatchObject(ODD_ATTRIBUTES);
      expect(span?.inputs).toEqual({ n: 1 });
      expect(span?.outputs).toBeNull();
    });
  }

  it("is read by MLflow's Python client with span types, parents, I/O and typed attributes", async () => {
    const trace = await lastTrace(() =>
      startSpan({ name: "py_root", spanType: "CHAIN", inputs: { q: "x" } }, () =>
        startSpan({ name: "py_child", spanType: "RETRIEVER", attributes: ODD_ATTRIBUTES }, async () => ["doc"]),
      ),
    );
    await exportOk(otlp({}), [trace]);
    const py = (await runPythonJson(python, "get_trace.py", [url, trace.info.traceId])) as PyTrace;
    expect(py.info).toMatchObject({ trace_id: trace.info.traceId, state: "OK" });
    const root = py.spans.find((s) => s.name === "py_root");
    const child = py.spans.find((s) => s.name === "py_child");
    expect(root).toMatchObject({ parent_id: null, span_type: "CHAIN", inputs: { q: "x" } });
    expect(child).toMatchObject({ parent_id: root?.span_id, span_type: "RETRIEVER" });
    expect(child?.attributes).toMatchObject(ODD_ATTRIBUTES);
  });

  it("accepts a gzip-compressed request", async () => {
    const trace = await buildRagTrace("gzip");
    await exportOk(otlp({ compression: "gzip" }), [trace]);
    expect((await reader.getTrace(trace.info.traceId))?.data.spans).toHaveLength(4);
  });

  it("merges two services' fragments of one W3C trace into one MLflow trace, complete once the origin's root arrives", async () => {
    let outgoing: Record<string, string> = {};
    const origin = await lastTrace(() =>
      startSpan({ name: "gateway", spanType: "CHAIN" }, () =>
        startSpan({ name: "call_ranker", spanType: "TOOL" }, async () => {
          outgoing = injectTraceContext();
        }),
      ),
    );
    const remote = await lastTrace(() =>
      continueTrace(outgoing, () => startSpan({ name: "rank", spanType: "RERANKER", inputs: { k: 3 } }, async () => [1, 2, 3])),
    );
    expect(remote.info.traceId).toBe(origin.info.traceId);

    const client = otlp({ serviceName: "ranker" });
    await exportOk(client, [remote]);
    const partial = await reader.getTrace(origin.info.traceId);
    expect(partial?.info.state).toBe("IN_PROGRESS");

    await exportOk(otlp({ serviceName: "gateway" }), [origin]);
    const merged = await reader.getTrace(origin.info.traceId);
    expect(merged?.info.state).toBe("OK");
    const byName = new Map(merged?.data.spans.map((s) => [s.name, s]));
    expect([...byName.keys()].sort()).toEqual(["call_ranker", "gateway", "rank"]);
    expect(byName.get("gateway")?.parentId).toBeNull();
    expect(byName.get("call_ranker")?.parentId).toBe(byName.get("gateway")?.spanId);
    expect(byName.get("rank")?.parentId).toBe(byName.get("call_ranker")?.spanId);
    expect(byName.get("rank")?.outputs).toEqual([1, 2, 3]);
  });

  it("reports a request without x-mlflow-experiment-id as a final (not retryable) ExportError with the status", async () => {
    const trace = await buildRagTrace("no-experiment");
    const client = new OtlpClient({ endpoint: `${url}/v1/traces` }, {});
    clients.push(client);
    const { failures } = await client.export([trace], { signal: AbortSignal.timeout(60_000) });
    expect(failures).toHaveLength(1);
    const error = failures[0]?.error;
    expect(error).toBeInstanceOf(ExportError);
    expect(error).toMatchObject({ status: 422, endpoint: "POST /v1/traces", retryable: false });
    expect(failures[0]?.retryable).toBe(false);
  });
});
