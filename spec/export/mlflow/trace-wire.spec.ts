import { parseIni } from "../../../lib/export/mlflow/databricks-config";
import { parseRetryAfter } from "../../../lib/export/mlflow/retry-after";
import { formatDuration, otlpSpan, parseDuration, parseTraceDataJson } from "../../../lib/export/mlflow/trace-wire";

describe("trace wire conversions", () => {
  it("writes and reads protobuf Duration strings", () => {
    expect(formatDuration(1500)).toBe("1.5s");
    expect(formatDuration(0.1 + 0.2)).toBe("0.0003s");
    expect(formatDuration(2000)).toBe("2s");
    expect(parseDuration("1.500s")).toBe(1500);
    expect(parseDuration("0.000123456s")).toBe(0.123);
  });

  it("keeps nanosecond times exact when the server writes them as JSON numbers", () => {
    const data = parseTraceDataJson('{"spans":[{"start_time_unix_nano": 1795980348539069336, "events":[{"time_unix_nano":1795980348539069337}],"attributes":{"x":"{\\"time_unix_nano\\": 1}"}}]}');
    expect(data.spans[0]).toMatchObject({ start_time_unix_nano: "1795980348539069336", events: [{ time_unix_nano: "1795980348539069337" }], attributes: { x: '{"time_unix_nano": 1}' } });
  });

  it("turns a span into OTLP/JSON with hex ids, numbers and booleans as themselves, other values JSON-encoded", () => {
    const otlp = otlpSpan({
      name: "chat",
      spanId: "5fb397be34d26b51",
      traceId: "tr-0af7651916cd43dd8448eb211c80319c",
      parentId: "b7ad6b7169203331",
      spanType: "LLM",
      inputs: { q: "hi" },
      outputs: "42",
      attributes: { n: 2, ok: true, usage: { input_tokens: 1 }, nothing: null },
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
      "mlflow.traceRequestId": { stringValue: '"tr-0af7651916cd43dd8448eb211c80319c"' },
      "mlflow.spanType": { stringValue: '"LLM"' },
      "mlflow.spanInputs": { stringValue: '{"q":"hi"}' },
      "mlflow.spanOutputs": { stringValue: '"42"' },
      n: { intValue: "2" },
      ok: { boolValue: true },
      usage: { stringValue: '{"input_tokens":1}' },
      nothing: { stringValue: "null" },
    });
    expect(otlp.events[0]?.attributes.map((a) => a.value)).toEqual([{ stringValue: "TypeError" }, { intValue: "1" }, { doubleValue: 1.5 }, { boolValue: true }]);
  });

  it("parses Retry-After seconds and dates, and INI files with DEFAULT inheritance", () => {
    expect(parseRetryAfter("2")).toBe(2000);
    expect(parseRetryAfter(["3", "9"])).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    const ini = parseIni("[DEFAULT]\nhost = h\n[p]\ntoken: t\n");
    expect(Object.fromEntries(ini.get("p") ?? [])).toEqual({ token: "t", host: "h" });
  });
});
