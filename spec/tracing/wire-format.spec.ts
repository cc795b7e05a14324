import * as fs from "node:fs";
import * as path from "node:path";
import { getLastActiveTrace, startSpan, SpanType, traceFromJSON, type TraceJson } from "../../lib/index";

const golden = JSON.parse(fs.readFileSync(path.join(__dirname, "../support/fixtures/trace-flavour-a.json"), "utf8")) as TraceJson;

describe("Trace JSON in MLflow's Trace.to_dict() shape", () => {
  it("reads MLflow's flavour-A trace dict and writes it back byte for byte", () => {
    const trace = traceFromJSON(golden);
    expect(trace.info.traceId).toBe("tr-0af7651916cd43dd8448eb211c80319c");
    expect(trace.info.tokenUsage).toEqual({ inputTokens: 12, outputTokens: 30, totalTokens: 42 });
    const [root, chat] = trace.data.spans;
    expect(root).toMatchObject({ spanId: "b7ad6b7169203331", parentId: null, spanType: "CHAIN", inputs: { question: "What is MLflow?" } });
    expect(root!.status).toEqual({ code: "ERROR", description: "TypeError: boom" });
    expect(root!.attributes["mlflow.spanFunctionName"]).toBe("answerQuestion");
    expect(chat).toMatchObject({ spanId: "5fb397be34d26b51", parentId: "b7ad6b7169203331", spanType: "CHAT_MODEL" });
    expect(chat!.startTimeNs).toBe(1750000000500000000n);
    expect(trace.toJSON()).toEqual(golden);
    expect(traceFromJSON(JSON.stringify(trace)).toJSON()).toEqual(golden);
  });

  it("writes recorded spans with base64 ids, JSON-encoded attributes and STATUS_CODE_* statuses", () => {
    startSpan({ name: "root", spanType: SpanType.CHAIN, inputs: { q: "hi" }, attributes: { custom: { a: 1 }, label: "x" } }, () => {
      startSpan({ name: "child", spanType: SpanType.LLM }, (span) => span.setOutputs(["a", 1]));
      return "done";
    });
    const trace = getLastActiveTrace()!;
    const json = trace.toJSON();
    const [root, child] = json.data.spans;
    const otelId = trace.info.traceId.slice(3);
    expect(Buffer.from(root!.trace_id, "base64").toString("hex")).toBe(otelId);
    expect(Buffer.from(root!.span_id, "base64").toString("hex")).toBe(trace.data.spans[0]!.spanId);
    expect(root!.parent_span_id).toBe("");
    expect(child!.parent_span_id).toBe(root!.span_id);
    expect(root!.status).toEqual({ code: "STATUS_CODE_OK", message: "" });
    expect(root!.attributes).toEqual({
      "mlflow.traceRequestId": JSON.stringify(trace.info.traceId),
      "mlflow.spanType": '"CHAIN"',
      "mlflow.spanInputs": '{"q":"hi"}',
      "mlflow.spanLogLevel": "10",
      "mlflow.spanOutputs": '"done"',
      custom: '{"a":1}',
      label: '"x"',
    });
    expect(child!.attributes["mlflow.spanOutputs"]).toBe('["a",1]');
    expect(typeof root!.start_time_unix_nano).toBe("string");
    expect(BigInt(root!.end_time_unix_nano) >= BigInt(root!.start_time_unix_nano)).toBe(true);
    expect(json.info).toMatchObject({
      trace_id: trace.info.traceId,
      state: "OK",
      request_preview: '{"q":"hi"}',
      response_preview: '"done"',
      tags: { "mlflow.traceName": "root" },
      trace_metadata: { "mlflow.trace_schema.version": "3", "mlflow.traceInputs": '{"q":"hi"}', "mlflow.traceOutputs": '"done"' },
    });
    expect(json.info.request_time).toBe(new Date(trace.info.requestTime).toISOString());
  });

  it("sums token usage over the outermost spans that report it", () => {
    const usage = (n: number) => ({ input_tokens: n, output_tokens: n, total_tokens: 2 * n });
    startSpan({ name: "root" }, () => {
      startSpan({ name: "wrapper", attributes: { "mlflow.chat.tokenUsage": usage(10) } }, () => {
        startSpan({ name: "client", attributes: { "mlflow.chat.tokenUsage": usage(10) } }, () => undefined);
      });
      startSpan({ name: "other", attributes: { "mlflow.chat.tokenUsage": usage(5) } }, () => undefined);
    });
    expect(getLastActiveTrace()!.info.tokenUsage).toEqual({ inputTokens: 15, outputTokens: 15, totalTokens: 30 });
  });

  it("truncates long previews and metadata as MLflow does", () => {
    startSpan({ name: "long", inputs: "z".repeat(5000) }, () => undefined);
    const info = getLastActiveTrace()!.info;
    expect(info.requestPreview).toHaveLength(1000);
    expect(info.requestPreview!.endsWith("...")).toBe(true);
    expect(info.metadata["mlflow.traceInputs"]).toHaveLength(250);
  });

  it("rejects what is not a trace's JSON with a TypeError naming what is missing", () => {
    expect(() => traceFromJSON({} as TraceJson)).toThrow("`info` is missing");
    expect(() => traceFromJSON("{not json")).toThrow(/^traceFromJSON: expected the JSON of a trace .*got text that is not JSON/);
    expect(() => traceFromJSON({ info: {} } as TraceJson)).toThrow("`info.trace_id` is missing");
    expect(() => traceFromJSON(null as never)).toThrow(TypeError);
  });
});
