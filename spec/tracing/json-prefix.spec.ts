import { jsonPrefix } from "../../lib/tracing/json-prefix";
import type { JsonValue } from "../../lib/tracing/serialize";
import { getLastActiveTrace, startSpan } from "../../lib/index";

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
