import { jsonPrefix } from "../../lib/tracing/json-prefix";
import type { JsonValue } from "../../lib/tracing/serialize";
import { getLastActiveTrace, startSpan, updateCurrentTrace } from "../../lib/index";

const values: [string, JsonValue][] = [
  ["a number", 1.5],
  ["null", null],
  ["a flat record", { i: 5, ok: true, s: "text", n: null }],
  ["escapes", { 'q"uote': 'a"b\\c\nd\u0001e\u007f', tab: "\t" }],
  ["emoji and lone surrogates", ["😀".repeat(600), "\ud800x", "x\udfff"]],
  ["nested arrays and records", { a: [[], {}, [1, [2, { b: "c" }]]], empty: "" }],
  ["a long string", "y".repeat(5000)],
  ["a conversation", { messages: Array.from({ length: 50 }, (_, i) => ({ role: i % 2 ? "assistant" : "user", content: `message ${i} `.repeat(20) })) }],
];

describe("jsonPrefix", () => {
  it.each(values)("gives JSON.stringify's text of %s, cut one character past the limit", (_label, value) => {
    const full = JSON.stringify(value);
    for (const max of [0, 1, 5, 17, 250, 1000, 100_000]) {
      expect(jsonPrefix(value, max)).toBe(full.length <= max ? full : full.slice(0, max + 1));
    }
  });
});

describe("trace previews of a large root value", () => {
  it("are JSON.stringify's text truncated to 1,000 and 250 characters", () => {
    const conversation = values[7]![1];
    startSpan({ name: "agent", inputs: { question: "q".repeat(2000) } }, () => conversation);
    const info = getLastActiveTrace()!.info;
    const out = JSON.stringify(conversation);
    expect(info.responsePreview).toBe(`${out.slice(0, 997)}...`);
    expect(info.metadata["mlflow.traceOutputs"]).toBe(`${out.slice(0, 247)}...`);
    expect(info.requestPreview).toBe(`${JSON.stringify({ question: "q".repeat(2000) }).slice(0, 997)}...`);
  });
});

describe("mlflow.traceInputs / mlflow.traceOutputs", () => {
  it("are written when the metadata is first read (a spans-only client never pays for the root's JSON)", () => {
    startSpan({ name: "root", inputs: { question: "why?" } }, () => ({ answer: 42 }));
    const info = getLastActiveTrace()!.info;
    expect(info.metadataSoFar["mlflow.traceInputs"]).toBeUndefined();
    expect(info.metadata["mlflow.traceInputs"]).toBe('{"question":"why?"}');
    expect(info.metadata["mlflow.traceOutputs"]).toBe('{"answer":42}');
    expect(Number(info.metadata["mlflow.trace.sizeBytes"])).toBeGreaterThan(JSON.stringify(info.metadata["mlflow.traceInputs"]).length);
  });

  it("keep a value set with updateCurrentTrace", () => {
    startSpan({ name: "root", inputs: { question: "why?" } }, () => {
      updateCurrentTrace({ metadata: { "mlflow.traceInputs": "mine" } });
      return 1;
    });
    const info = getLastActiveTrace()!.info;
    expect(info.metadata["mlflow.traceInputs"]).toBe("mine");
    expect(info.metadata["mlflow.traceOutputs"]).toBe("1");
  });
});
