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

  it("prints its name, type, ids, status and duration on one line with console.log", () => {
    let running = "";
    let span: LiveSpan | undefined;
    startSpan({ name: "retrieve", spanType: SpanType.RETRIEVER }, (s) => {
      span = s;
      running = inspect(s);
    });
    const ended = inspect(span);
    expect(running).toMatch(
      /^LiveSpan "retrieve" RETRIEVER \{ spanId: [0-9a-f]{16}, traceId: tr-[0-9a-f]{32}, parentId: null, status: UNSET, duration: \d+\.\d{3} ms \(running\) \}$/,
    );
    expect(ended).toMatch(
      /^LiveSpan "retrieve" RETRIEVER \{ spanId: [0-9a-f]{16}, traceId: tr-[0-9a-f]{32}, parentId: null, status: UNSET, duration: \d+\.\d{3} ms \}$/,
    );
    expect(ended.split("\n")).toHaveLength(1);
  });

  it("shows an error status with its description and the parent's id", () => {
    const printed = startSpan({ name: "root" }, (root) =>
      startSpan({ name: "child", spanType: SpanType.TOOL }, (child) => {
        child.setStatus("ERROR", "no documents");
        return { printed: inspect(getCurrentActiveSpan()), parentId: root.spanId };
      }),
    );
    expect(printed.printed).toContain(`parentId: ${printed.parentId}, status: ERROR: no documents`);
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
