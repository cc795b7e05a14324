import { MemoryClient } from "../../lib/export/index";
import { getLastActiveTrace, setTraceClient, SpanType, startSpan } from "../../lib/index";

describe("mlflow.spanLogLevel, as MLflow's Python SDK 3.17 sets it", () => {
  beforeAll(() => setTraceClient(new MemoryClient()));

  it("is INFO (20) for model, tool, retriever, agent and embedding spans, DEBUG (10) otherwise, ERROR (40) after an exception", () => {
    const error = new Error("tool down");
    expect(() =>
      startSpan({ name: "root", spanType: SpanType.AGENT }, () => {
        startSpan({ name: "llm", spanType: SpanType.CHAT_MODEL }, () => 1);
        startSpan({ name: "parse", spanType: SpanType.PARSER }, () => 1);
        startSpan({ name: "tool", spanType: SpanType.TOOL }, () => {
          throw error;
        });
      }),
    ).toThrow(error);
    const levels = Object.fromEntries(getLastActiveTrace()!.data.spans.map((s) => [s.name, s.attributes["mlflow.spanLogLevel"]]));
    expect(levels).toEqual({ root: 40, llm: 20, parse: 10, tool: 40 });
  });

  it("keeps a level the code set itself", () => {
    startSpan({ name: "quiet", spanType: SpanType.LLM, attributes: { "mlflow.spanLogLevel": 10 } }, () => 1);
    expect(getLastActiveTrace()!.data.spans[0]!.attributes["mlflow.spanLogLevel"]).toBe(10);
  });

  it("is written into traces.json as Python writes it (JSON text), and read back unchanged", () => {
    startSpan({ name: "chain" }, () => 1);
    const json = getLastActiveTrace()!.toJSON();
    expect(json.data.spans[0]!.attributes["mlflow.spanLogLevel"]).toBe("10");
  });
});
