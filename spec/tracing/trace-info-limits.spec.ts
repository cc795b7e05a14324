import { getLastActiveTrace, startSpan, updateCurrentTrace } from "../../lib/index";

/** 300 characters outside the Basic Multilingual Plane: 600 UTF-16 code units. */
const emoji300 = "😀".repeat(300);

describe("trace tags and metadata within MLflow's limits, cut as Python's TraceInfo.to_proto cuts them", () => {
  it("cuts a trace name longer than 4096 characters in the mlflow.traceName tag (the server refuses the trace otherwise); the span keeps its name", () => {
    const name = "n".repeat(5000);
    startSpan({ name }, () => undefined);
    const trace = getLastActiveTrace()!;
    expect(trace.info.tags["mlflow.traceName"]).toBe("n".repeat(4096));
    expect(trace.data.spans[0]!.name).toBe(name);
  });

  it("cuts tag keys at 250 and tag values at 4096 characters, with no marker", () => {
    const value = "0123456789".repeat(500);
    startSpan({ name: "tags" }, () => updateCurrentTrace({ tags: { ["k".repeat(300)]: "w", long: value } }));
    const tags = getLastActiveTrace()!.info.tags;
    expect(tags).toEqual({ "mlflow.traceName": "tags", ["k".repeat(250)]: "w", long: value.slice(0, 4096) });
  });

  it("cuts metadata keys and values at 250 characters, with no marker", () => {
    const value = "abcdefghij".repeat(30);
    startSpan({ name: "metadata" }, () => updateCurrentTrace({ metadata: { ["m".repeat(300)]: "v", long: value } }));
    const metadata = getLastActiveTrace()!.info.metadata;
    expect(metadata["m".repeat(250)]).toBe("v");
    expect(metadata["long"]).toBe(value.slice(0, 250));
  });

  it("counts characters as Python does: a character outside the BMP is one, and a pair is never split", () => {
    startSpan({ name: "wide" }, () => updateCurrentTrace({ metadata: { wide: emoji300 }, tags: { wide: emoji300 } }));
    const info = getLastActiveTrace()!.info;
    expect(info.metadata["wide"]).toBe("😀".repeat(250));
    expect(info.tags["wide"]).toBe(emoji300);
  });
});
