import { configureTracing, getLastActiveTrace, startSpan, traced, updateCurrentTrace } from "../../lib/index";

const MB = 1_000_000;
const DEFAULT_MAX_VALUE_LENGTH = 4_000_000;

/** 600 distinct 1 MB strings that share one buffer (slices), so the test itself stays small. */
function distinctMegabyteStrings(count: number): string[] {
  const base = "abcdefghij".repeat(MB / 10) + "k".repeat(count);
  return Array.from({ length: count }, (_, i) => base.slice(i, i + MB));
}

function traceJsonLength(): number {
  return JSON.stringify(getLastActiveTrace()!.toJSON()).length;
}

describe("the size cap on one traced value (maxValueLength)", () => {
  const oneMb = "m".repeat(MB);
  const manyRefs = Array.from({ length: 10_000 }, () => oneMb);

  it("keeps 10,000 references to one 1 MB string in inputs, outputs, attributes and events within the cap, with a marker", () => {
    startSpan({ name: "refs", inputs: { docs: manyRefs }, attributes: { docs: manyRefs } }, (span) => {
      span.addEvent("retrieved", { docs: manyRefs });
      span.setAttribute("more", manyRefs);
      return manyRefs;
    });
    const span = getLastActiveTrace()!.data.spans[0]!;
    for (const value of [(span.inputs as Record<string, string[]>)["docs"], span.outputs, span.attributes["docs"], span.attributes["more"]]) {
      const list = value as string[];
      expect(JSON.stringify(list).length).toBeLessThan(DEFAULT_MAX_VALUE_LENGTH + 1_000);
      expect(list[list.length - 1]).toMatch(/^\.\.\.\[\d+ more items: size cap reached\]$/);
    }
    expect(String(span.events[0]!.attributes["docs"]).length).toBeLessThan(DEFAULT_MAX_VALUE_LENGTH + 1_000);
    expect(traceJsonLength()).toBeLessThan(6 * DEFAULT_MAX_VALUE_LENGTH);
  });

  it("turns huge trace tags and metadata set with updateCurrentTrace into text within MLflow's limits", () => {
    startSpan({ name: "tags" }, () => updateCurrentTrace({ tags: { docs: manyRefs }, metadata: { docs: manyRefs } }));
    const info = getLastActiveTrace()!.info;
    expect(info.tags["docs"]).toHaveLength(4096);
    expect(info.metadata["docs"]).toHaveLength(250);
  });

  it("records a trace whose inputs are 600 distinct 1 MB strings, cut to the cap, and getLastActiveTrace() reads it", () => {
    const docs = distinctMegabyteStrings(600);
    const answer = traced(function rag(documents: string[]) {
      return documents.length;
    })(docs);
    expect(answer).toBe(600);
    const trace = getLastActiveTrace()!;
    expect(trace.data.spans[0]!.name).toBe("rag");
    expect(trace.info.requestPreview!.length).toBeLessThanOrEqual(1_000);
    expect(traceJsonLength()).toBeLessThan(2 * DEFAULT_MAX_VALUE_LENGTH);
  });

  it("cuts a string that alone passes the cap and follows configureTracing({ maxValueLength })", () => {
    configureTracing({ maxValueLength: 1_000 });
    try {
      startSpan({ name: "small", inputs: { a: "x".repeat(600), b: "y".repeat(600), c: "z" } }, () => "w".repeat(5_000));
      const span = getLastActiveTrace()!.data.spans[0]!;
      expect(JSON.stringify(span.inputs).length).toBeLessThan(1_200);
      expect(span.inputs).toMatchObject({ a: "x".repeat(600) });
      expect(String((span.inputs as Record<string, string>)["b"])).toMatch(/\.\.\.\[truncated \d+ of 600 chars\]$/);
      expect(span.outputs).toMatch(/^w{1000}\.\.\.\[truncated 4000 of 5000 chars\]$/);
    } finally {
      configureTracing({ maxValueLength: DEFAULT_MAX_VALUE_LENGTH });
    }
    expect(() => configureTracing({ maxValueLength: 0 })).toThrow("configureTracing: expected `maxValueLength` to be a positive integer, got 0");
  });

  it("caps a span's values together at maxSpanLength: 1,000 attributes and events of 1 MB each", () => {
    startSpan({ name: "many", inputs: { q: "question" } }, (span) => {
      for (let i = 0; i < 500; i++) span.setAttribute(`doc${i}`, oneMb);
      for (let i = 0; i < 500; i++) span.addEvent(`chunk${i}`, { text: oneMb });
      return "answer";
    });
    const span = getLastActiveTrace()!.data.spans[0]!;
    expect(span.inputs).toEqual({ q: "question" });
    expect(span.outputs).toBe("answer");
    expect(Object.keys(span.attributes).filter((key) => key !== "mlflow.spanLogLevel")).toHaveLength(500);
    expect(span.events).toHaveLength(500);
    expect(String(span.attributes["doc499"])).toMatch(/^\.\.\.\[truncated 1000000 of 1000000 chars\]$/);
    expect(traceJsonLength()).toBeLessThan(16_000_000 + 200_000);
  });

  it("reads only the items it keeps of a typed array, whatever its iterator does", () => {
    class Samples extends Float64Array {
      override [Symbol.iterator](): ArrayIterator<number> {
        throw new Error("iterating all 20M samples");
      }
    }
    const samples = new Samples(20_000_000);
    samples[0] = 1.5;
    startSpan({ name: "typed", inputs: { samples } }, () => undefined);
    const recorded = (getLastActiveTrace()!.data.spans[0]!.inputs as Record<string, unknown[]>)["samples"]!;
    expect(recorded[0]).toBe(1.5);
    expect(recorded).toHaveLength(10_001);
    expect(recorded[10_000]).toBe("...[19990000 more items]");
  });
});
