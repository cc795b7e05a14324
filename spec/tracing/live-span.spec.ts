import { inspect } from "node:util";
import { getCurrentActiveSpan, getLastActiveTrace, SpanType, startSpan, type LiveSpan } from "../../lib/index";

describe("LiveSpan", () => {
  it("records attributes set together, one by one and at the end in the order first set, leaving the caller's objects alone", () => {
    const first: Record<string, unknown> = { b: 1, a: { nested: [1, 2] }, 3: "three" };
    const later = { c: "x", b: 2 };
    startSpan({ name: "attrs", attributes: first }, (span) => {
      span.setAttributes(later).setAttribute("d", true);
      span.end({ attributes: { e: null } });
    });
    const attributes = getLastActiveTrace()!.data.spans[0]!.attributes;
    expect(Object.keys(attributes)).toEqual(["3", "b", "a", "c", "d", "e", "mlflow.spanLogLevel"]);
    expect(attributes).toMatchObject({ 3: "three", b: 2, a: { nested: [1, 2] }, c: "x", d: true, e: null });
    expect(first).toEqual({ b: 1, a: { nested: [1, 2] }, 3: "three" });
    expect(later).toEqual({ c: "x", b: 2 });
  });

  it("prints its name, type, status, duration, ids, times, inputs, outputs and attributes with console.log", () => {
    let running = "";
    let span: LiveSpan | undefined;
    startSpan({ name: "retrieve", spanType: SpanType.RETRIEVER, inputs: { query: "paris" } }, (s) => {
      s.setAttribute("retriever.top_k", 5);
      span = s;
      running = inspect(s);
      return ["doc"];
    });
    const ended = inspect(span);
    expect(running).toMatch(/^LiveSpan "retrieve" RETRIEVER UNSET \d+\.\d{3} ms \(running\) \{/);
    expect(running).toMatch(/spanId: '[0-9a-f]{16}'[\s\S]*traceId: 'tr-[0-9a-f]{32}'[\s\S]*parentId: null/);
    expect(running).toMatch(/startTime: '\d{4}-\d\d-\d\dT[\d:.]+Z'[\s\S]*endTime: null/);
    expect(running).toContain("inputs: { query: 'paris' }");
    expect(running).toContain("attributes: { 'retriever.top_k': 5 }");
    expect(ended).toMatch(/^LiveSpan "retrieve" RETRIEVER UNSET \d+\.\d{3} ms \{/);
    expect(ended).toContain("outputs: [ 'doc' ]");
    expect(ended).not.toContain("endTime: null");
  });

  it("shows an error status with its description and the parent's id", () => {
    const printed = startSpan({ name: "root" }, (root) =>
      startSpan({ name: "child", spanType: SpanType.TOOL }, (child) => {
        child.setStatus("ERROR", "no documents");
        return { printed: inspect(getCurrentActiveSpan()), parentId: root.spanId };
      }),
    );
    expect(printed.printed).toMatch(/^LiveSpan "child" TOOL ERROR: no documents /);
    expect(printed.printed).toContain(`parentId: '${printed.parentId}'`);
  });

  it("cuts long strings and arrays when printed", () => {
    const printed = startSpan({ name: "big", inputs: { text: "x".repeat(5000), list: Array.from({ length: 500 }, (_, i) => i) } }, (span) => inspect(span));
    expect(printed).toContain("more characters");
    expect(printed).toContain("more items");
    expect(printed.length).toBeLessThan(2000);
  });

  it("gives JSON.stringify what a user reads: ids, type, status, times, inputs, outputs and attributes", () => {
    let span: LiveSpan | undefined;
    let runningJson: Record<string, unknown> = {};
    startSpan({ name: "llm", spanType: SpanType.LLM, inputs: { prompt: "hi" }, attributes: { model: "gpt" } }, (s) => {
      span = s;
      runningJson = JSON.parse(JSON.stringify(s)) as Record<string, unknown>;
      s.setOutputs("hello");
    });
    expect(runningJson).toMatchObject({ name: "llm", spanType: "LLM", endTime: null, inputs: { prompt: "hi" }, attributes: { model: "gpt" } });
    expect(runningJson).not.toHaveProperty("outputs");
    const json = JSON.parse(JSON.stringify(span)) as Record<string, unknown>;
    expect(json).toEqual({
      name: "llm",
      spanType: "LLM",
      spanId: span!.spanId,
      traceId: span!.traceId,
      parentId: null,
      status: { code: "UNSET", description: "" },
      startTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
      endTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
      durationMs: expect.any(Number),
      inputs: { prompt: "hi" },
      outputs: "hello",
      attributes: { model: "gpt" },
    });
    expect(Date.parse(json["endTime"] as string) - Date.parse(json["startTime"] as string)).toBeCloseTo(json["durationMs"] as number, -1);
  });

  it("hides secrets in what it prints, as in what it records", () => {
    const printed = startSpan({ name: "call", inputs: { apiKey: "sk-live-123456" } }, (span) => `${inspect(span)} ${JSON.stringify(span)}`);
    expect(printed).not.toContain("sk-live-123456");
  });

  it("keeps its bookkeeping private: no own properties, nothing to reach into", () => {
    startSpan({ name: "private", inputs: { q: 1 }, attributes: { a: 1 } }, (span) => {
      expect(Object.keys(span)).toEqual([]);
      expect(Object.getOwnPropertyNames(span)).toEqual([]);
      expect(span.inputs).toEqual({ q: 1 });
      expect(span.attributes).toEqual({ a: 1 });
    });
  });

  it("records an event's primitive attributes as they are and JSON-encodes the others, null included", () => {
    startSpan({ name: "events" }, (span) => {
      span.addEvent("mixed", { text: "hi", count: 3, ok: false, nothing: null, list: [1, "a"], nested: { b: true }, skipped: undefined });
    });
    expect(getLastActiveTrace()?.data.spans[0]?.events[0]?.attributes).toEqual({
      text: "hi",
      count: 3,
      ok: false,
      nothing: "null",
      list: '[1,"a"]',
      nested: '{"b":true}',
    });
  });
});
