import { otlpRequest, otlpResource, otlpSpan, toOtlpSpans } from "../../../lib/export/clients/otlp-spans";
import { Trace, TraceInfo } from "../../../lib/tracing/trace";
import type { Span } from "../../../lib/tracing/span";

function oneSpanTrace(): Trace {
  const span: Span = {
    name: "root",
    spanId: "5fb397be34d26b51",
    traceId: "tr-0af7651916cd43dd8448eb211c80319c",
    parentId: null,
    spanType: "CHAIN",
    inputs: "hi",
    outputs: undefined,
    attributes: {},
    status: { code: "OK", description: "" },
    events: [],
    startTimeNs: 1n,
    endTimeNs: 2n,
  };
  const info = new TraceInfo({ traceId: span.traceId, requestTime: 0, executionDuration: 0, state: "OK", tags: { team: "a" }, metadata: {} });
  return new Trace(info, [span]);
}

describe("the OTLP span encoder", () => {
  it("turns a span into OTLP/JSON with hex ids and every value as Python's SDK sends it: strings raw, objects as kvlists, null empty", () => {
    const otlp = otlpSpan({
      name: "chat",
      spanId: "5fb397be34d26b51",
      traceId: "tr-0af7651916cd43dd8448eb211c80319c",
      parentId: "b7ad6b7169203331",
      spanType: "LLM",
      inputs: { q: "hi" },
      outputs: "42",
      attributes: { n: 2, ok: true, usage: { input_tokens: 1 }, nothing: null, list: ["a", 1.5], huge: 1e21, big: 2 ** 62 },
      status: { code: "ERROR", description: "TypeError: boom" },
      events: [{ name: "exception", timeNs: 3n, attributes: { "exception.type": "TypeError", n: 1, f: 1.5, b: true } }],
      startTimeNs: 1n,
      endTimeNs: 2n,
    });
    expect(otlp).toMatchObject({
      traceId: "0af7651916cd43dd8448eb211c80319c",
      spanId: "5fb397be34d26b51",
      parentSpanId: "b7ad6b7169203331",
      endTimeUnixNano: "2",
      status: { code: 2, message: "TypeError: boom" },
    });
    expect(Object.fromEntries(otlp.attributes.map((a) => [a.key, a.value]))).toEqual({
      "mlflow.traceRequestId": { stringValue: "tr-0af7651916cd43dd8448eb211c80319c" },
      "mlflow.spanType": { stringValue: "LLM" },
      "mlflow.spanInputs": { kvlistValue: { values: [{ key: "q", value: { stringValue: "hi" } }] } },
      "mlflow.spanOutputs": { stringValue: "42" },
      n: { intValue: "2" },
      ok: { boolValue: true },
      usage: { kvlistValue: { values: [{ key: "input_tokens", value: { intValue: "1" } }] } },
      nothing: {},
      list: { arrayValue: { values: [{ stringValue: "a" }, { doubleValue: 1.5 }] } },
      // Outside int64: as intValue "1e+21" the server would refuse the whole request.
      huge: { doubleValue: 1e21 },
      big: { intValue: "4611686018427387904" },
    });
    expect(otlp.events[0]?.attributes.map((a) => a.value)).toEqual([
      { stringValue: "TypeError" },
      { intValue: "1" },
      { doubleValue: 1.5 },
      { boolValue: true },
    ]);
  });

  it("marks spans SPAN_KIND_INTERNAL in both wire forms: proto value 1 in OTLP/JSON, the API's SpanKind.INTERNAL (0) for the serialisers, which write kind + 1", () => {
    const trace = oneSpanTrace();
    expect(otlpRequest([trace], "scope").resourceSpans[0]?.scopeSpans[0]?.spans[0]?.kind).toBe(1);
    const [record] = toOtlpSpans([trace], otlpResource({}), { name: "scope" }, "flat");
    expect(record?.kind).toBe(0);
  });

  it("gives both wire forms the same attributes, the root's trace record as JSON text for MLflow's /v1/traces and raw for collectors", () => {
    const trace = oneSpanTrace();
    const json = otlpRequest([trace], "scope", true).resourceSpans[0]?.scopeSpans[0]?.spans[0]?.attributes;
    const [record] = toOtlpSpans([trace], otlpResource({}), { name: "scope" }, "flat");
    expect(json?.map((a) => a.key)).toEqual(Object.keys(record?.attributes ?? {}));
    expect(json?.find((a) => a.key === "mlflow.traceTag.team")?.value).toEqual({ stringValue: '"a"' });
    expect(record?.attributes["mlflow.traceTag.team"]).toBe("a");
  });
});
