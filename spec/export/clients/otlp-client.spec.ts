/**
 * OtlpClient against a loopback collector: the request it sends (http/json and http/protobuf,
 * headers, compression, resource, MLflow attributes) and how it classifies the answers.
 */
import { inspect } from "node:util";
import { getLastActiveTrace, setDiagnosticsLogger, startSpan, updateCurrentTrace, type Trace } from "../../../lib/index";
import { ExportError } from "../../../lib/export/errors";
import { resetDiagnosticsCounts } from "../../../lib/internal/diagnostics";
import { OtlpClient, otlpClientFromEnv } from "../../../lib/export/clients/otlp-client";
import type { OtlpClientOptions } from "../../../lib/export/clients/otlp-config";
import { otelTraceIdOf } from "../../../lib/tracing/ids";
import { attributeMap, startCollector, type Collector, type OtlpJsonSpan } from "./otlp-collector";

async function sampleTrace(): Promise<Trace> {
  await startSpan({ name: "answer", spanType: "CHAIN", inputs: { q: "x" } }, async () => {
    updateCurrentTrace({ tags: { env: "test" }, metadata: { "mlflow.trace.user": "u-1", "mlflow.trace.session": "s-1" } });
    await startSpan({ name: "llm", spanType: "LLM", attributes: { "mlflow.chat.tokenUsage": { input_tokens: 3 }, visits: 2, tags: ["a"] } }, async () => "hi");
    try {
      startSpan({ name: "tool" }, () => {
        throw new TypeError("boom");
      });
    } catch {
      // recorded on the span
    }
    return "done";
  });
  return getLastActiveTrace() as Trace;
}

describe("OtlpClient", () => {
  let collector: Collector;
  const clients: OtlpClient[] = [];
  const signal = (): AbortSignal => AbortSignal.timeout(10_000);

  function client(options: OtlpClientOptions, env: NodeJS.ProcessEnv = {}): OtlpClient {
    const c = new OtlpClient({ endpoint: `${collector.url}/v1/traces`, ...options }, env);
    clients.push(c);
    return c;
  }

  beforeEach(async () => {
    collector = await startCollector();
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.shutdown()));
    await collector.close();
    setDiagnosticsLogger(undefined);
    resetDiagnosticsCounts();
  });

  it("sends one http/json request with every span, MLflow's attributes, the resource and the scope", async () => {
    const trace = await sampleTrace();
    const c = client({ protocol: "http/json", endpoint: `${collector.url}/otlp/v1/traces?tenant=a`, serviceName: "rag-api" });
    expect(await c.export([trace], { signal: signal() })).toEqual({ failures: [] });
    const [request] = collector.requests;
    expect(request).toMatchObject({ method: "POST", path: "/otlp/v1/traces?tenant=a" });
    expect(request?.headers["content-type"]).toBe("application/json");
    const body = collector.json();
    const resource = attributeMap(body.resourceSpans[0]?.resource.attributes ?? []);
    expect(resource["service.name"]).toEqual({ stringValue: "rag-api" });
    expect(body.resourceSpans[0]?.scopeSpans[0]?.scope.name).toBe("mlflow-haystack");
    const spans = body.resourceSpans[0]?.scopeSpans[0]?.spans ?? [];
    const byName = new Map(spans.map((s) => [s.name, s]));
    const root = byName.get("answer") as OtlpJsonSpan;
    const llm = byName.get("llm") as OtlpJsonSpan;
    expect(root.traceId).toBe(otelTraceIdOf(trace.info.traceId));
    expect(root.spanId).toBe(trace.rootSpan?.spanId);
    expect(root.parentSpanId ?? "").toBe("");
    expect(llm.parentSpanId).toBe(root.spanId);
    expect(root.kind).toBe(1);
    expect(root.startTimeUnixNano).toBe(trace.rootSpan?.startTimeNs.toString());
    expect(attributeMap(root.attributes)).toMatchObject({
      "mlflow.traceRequestId": { stringValue: trace.info.traceId },
      "mlflow.spanType": { stringValue: "CHAIN" },
      "mlflow.spanInputs": { stringValue: '{"q":"x"}' },
      "mlflow.spanOutputs": { stringValue: "done" },
      "mlflow.traceTag.env": { stringValue: "test" },
      "mlflow.traceTag.mlflow.traceName": { stringValue: "answer" },
      "user.id": { stringValue: "u-1" },
      "session.id": { stringValue: "s-1" },
    });
    expect(attributeMap(llm.attributes)).toMatchObject({
      "mlflow.chat.tokenUsage": { stringValue: '{"input_tokens":3}' },
      visits: { intValue: 2 },
      tags: { stringValue: '["a"]' },
    });
    expect(attributeMap(llm.attributes)["user.id"]).toBeUndefined();
    const tool = byName.get("tool") as OtlpJsonSpan;
    expect(tool.status).toEqual({ code: 2, message: "TypeError: boom" });
    expect(tool.events[0]?.name).toBe("exception");
    expect(attributeMap(tool.events[0]?.attributes ?? [])["exception.type"]).toEqual({ stringValue: "TypeError" });
  });

  it('sends objects as kvlistValue and arrays as arrayValue with attributeValues "native"', async () => {
    const trace = await sampleTrace();
    await client({ protocol: "http/json", attributeValues: "native" }).export([trace], { signal: signal() });
    const spans = collector.json().resourceSpans[0]?.scopeSpans[0]?.spans ?? [];
    const llm = attributeMap(spans.find((s) => s.name === "llm")?.attributes ?? []);
    expect(llm["mlflow.chat.tokenUsage"]).toEqual({ kvlistValue: { values: [{ key: "input_tokens", value: { intValue: 3 } }] } });
    expect(llm["tags"]).toEqual({ arrayValue: { values: [{ stringValue: "a" }] } });
  });

  it("sends an integer outside int64 as a double over http/json, as the protobuf writer does, instead of an intValue collectors refuse", async () => {
    startSpan({ name: "big", attributes: { huge: 1e21, nested: { low: -(2 ** 64), ok: 2 ** 62 } }, inputs: { n: 2 ** 63 } }, () => "x");
    const trace = getLastActiveTrace() as Trace;
    for (const attributeValues of ["flat", "native"] as const) {
      await client({ protocol: "http/json", attributeValues }).export([trace], { signal: signal() });
      const text = collector.requests.at(-1)?.body.toString("utf8") ?? "";
      expect(text).not.toMatch(/"intValue":-?\d+e/);
      const attributes = attributeMap(collector.json(collector.requests.length - 1).resourceSpans[0]?.scopeSpans[0]?.spans[0]?.attributes ?? []);
      expect(attributes["huge"]).toEqual({ doubleValue: 1e21 });
      if (attributeValues === "native") {
        expect(attributes["mlflow.spanInputs"]).toEqual({ kvlistValue: { values: [{ key: "n", value: { doubleValue: 2 ** 63 } }] } });
        expect(attributes["nested"]).toEqual({
          kvlistValue: {
            values: [
              { key: "low", value: { doubleValue: -(2 ** 64) } },
              { key: "ok", value: { intValue: 2 ** 62 } },
            ],
          },
        });
      }
    }
  });

  it("sends http/protobuf by default to OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces with the env headers and x-mlflow-experiment-id", async () => {
    const trace = await sampleTrace();
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.url}/`, OTEL_EXPORTER_OTLP_HEADERS: "authorization=Bearer%20abc,x-team=ml" };
    const c = new OtlpClient({ experimentId: "7" }, env);
    clients.push(c);
    expect(await c.export([trace], { signal: signal() })).toEqual({ failures: [] });
    const [request] = collector.requests;
    expect(request?.path).toBe("/v1/traces");
    expect(request?.headers).toMatchObject({
      "content-type": "application/x-protobuf",
      authorization: "Bearer abc",
      "x-team": "ml",
      "x-mlflow-experiment-id": "7",
    });
    const body = request?.body ?? Buffer.alloc(0);
    expect(body.includes(Buffer.from(otelTraceIdOf(trace.info.traceId), "hex"))).toBe(true);
    expect(body.includes(Buffer.from("mlflow.spanInputs"))).toBe(true);
  });

  it("gzips the body when compression is gzip", async () => {
    const trace = await sampleTrace();
    await client({ protocol: "http/json", compression: "gzip" }).export([trace], { signal: signal() });
    expect(collector.requests[0]?.headers["content-encoding"]).toBe("gzip");
    expect(collector.json().resourceSpans[0]?.scopeSpans[0]?.spans).toHaveLength(3);
  });

  it.each([
    [503, { "retry-after": "2" }, true, 2000],
    [429, {}, true, undefined],
    [400, {}, false, undefined],
    [500, {}, false, undefined],
  ])("reports a %i answer as ExportError with retryable per the OTLP spec", async (status, headers, retryable, retryAfterMs) => {
    const trace = await sampleTrace();
    collector.answer({ status, headers, body: "nope" });
    const { failures } = await client({}).export([trace], { signal: signal() });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ traceId: trace.info.traceId, retryable });
    expect(failures[0]?.retryAfterMs).toBe(retryAfterMs);
    expect(failures[0]?.error).toBeInstanceOf(ExportError);
    expect(failures[0]?.error).toMatchObject({ status, endpoint: "POST /v1/traces" });
    expect(failures[0]?.error.message).toContain("nope");
  });

  it("keeps its header credentials out of console.log, JSON and a collector's error answer that echoes them", async () => {
    const trace = await sampleTrace();
    const env = { OTEL_EXPORTER_OTLP_TRACES_HEADERS: "x-honeycomb-team=hcKey123456" };
    const c = client({ headers: { authorization: "Bearer bearerTok987" }, experimentId: "7" }, env);
    collector.answer({ status: 401, body: "team hcKey123456 or token bearerTok987 is not valid" });
    const { failures } = await c.export([trace], { signal: signal() });
    const shown = [inspect(c, { depth: 10 }), JSON.stringify(c), failures[0]?.error.message ?? ""];
    for (const text of shown) expect(text).not.toMatch(/hcKey123456|bearerTok987/);
    expect(failures[0]?.error.message).toBe("OTLP export POST /v1/traces answered 401: team *** or token *** is not valid");
    expect(inspect(c)).toContain('"x-honeycomb-team":"**********"');
    expect(c.config.headers["x-mlflow-experiment-id"]).toBe("7");
    expect(collector.requests[0]?.headers).toMatchObject({ "x-honeycomb-team": "hcKey123456", authorization: "Bearer bearerTok987" });
  });

  it("tells how to give an MLflow server's /v1/traces the experiment when it refuses a request without one", async () => {
    const trace = await sampleTrace();
    // MLflow 3.17's answer to a request without the header.
    const refusal = '{"detail":[{"type":"missing","loc":["header","x-mlflow-experiment-id"],"msg":"Field required","input":null}]}';
    collector.answer({ status: 422, body: refusal }, { status: 422, body: refusal });
    const without = await client({}).export([trace], { signal: signal() });
    expect(without.failures[0]).toMatchObject({ retryable: false });
    expect(without.failures[0]?.error.message).toBe(
      `OTLP export POST /v1/traces answered 422: ${refusal}. An MLflow server's /v1/traces needs the experiment: pass ` +
        'new OtlpClient({ experimentId: "<id>" }), or set OTEL_EXPORTER_OTLP_TRACES_HEADERS=x-mlflow-experiment-id=<id>',
    );
    const withId = await client({ experimentId: "7" }).export([trace], { signal: signal() });
    expect(withId.failures[0]?.error.message).toBe(`OTLP export POST /v1/traces answered 422: ${refusal}`);
  });

  it("reports an unreachable collector as a retryable failure", async () => {
    const trace = await sampleTrace();
    const c = client({});
    await collector.close();
    const { failures } = await c.export([trace], { signal: signal() });
    expect(failures[0]).toMatchObject({ retryable: true });
    expect(failures[0]?.error.message).toContain(`ECONNREFUSED (is the OTLP collector at ${collector.url} running?)`);
    expect(failures[0]?.error.message).not.toContain("MLflow server");
    collector = await startCollector();
  });

  it("accepts a partial success and reports the rejected span count once through diagnostics", async () => {
    const messages: string[] = [];
    setDiagnosticsLogger((level, message) => messages.push(`${level}: ${message}`));
    const trace = await sampleTrace();
    const partial = {
      status: 200,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ partialSuccess: { rejectedSpans: "2", errorMessage: "too old" } }),
    };
    collector.answer(partial, partial);
    const c = client({ protocol: "http/json" });
    expect(await c.export([trace], { signal: signal() })).toEqual({ failures: [] });
    expect(await c.export([trace], { signal: signal() })).toEqual({ failures: [] });
    expect(messages.filter((m) => m.includes("rejected"))).toEqual(["warn: OTLP collector rejected 2 span(s): too old"]);
  });

  it("fails every trace for good after shutdown", async () => {
    const trace = await sampleTrace();
    const c = client({});
    await c.shutdown();
    const { failures } = await c.export([trace], { signal: signal() });
    expect(failures[0]).toMatchObject({ retryable: false });
    expect(collector.requests).toHaveLength(0);
  });

  it("is built from the environment only when OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set", async () => {
    expect(otlpClientFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url })).toBeUndefined();
    const fromEnv = otlpClientFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${collector.url}/in`, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/json" });
    expect(fromEnv).toBeInstanceOf(OtlpClient);
    clients.push(fromEnv as OtlpClient);
    await fromEnv?.export([await sampleTrace()], { signal: signal() });
    expect(collector.requests[0]).toMatchObject({ path: "/in", headers: { "content-type": "application/json" } });
  });
});
