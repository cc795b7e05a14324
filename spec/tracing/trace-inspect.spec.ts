import { inspect } from "node:util";
import { getLastActiveTrace, startSpan, traceFromJSON, updateCurrentTrace } from "../../lib/index";

describe("console.log of a trace's info", () => {
  it("shows the fields a user reads (token usage and cost included), not the SDK's bookkeeping", () => {
    startSpan({ name: "answer", inputs: { q: "Paris?" } }, (span) => {
      span.setAttribute("mlflow.chat.tokenUsage", { input_tokens: 12, output_tokens: 30, total_tokens: 42 });
      updateCurrentTrace({ tags: { env: "dev" } });
      return "Paris";
    });
    const info = getLastActiveTrace()!.info;
    const printed = inspect(info, { depth: 4 });

    expect(printed).toMatch(new RegExp(`^TraceInfo ${info.traceId} OK \\{`));
    expect(printed).toContain("tokenUsage: { inputTokens: 12, outputTokens: 30, totalTokens: 42 }");
    expect(printed).toContain(`requestTime: ${info.requestTime}`);
    expect(printed).toContain("env: 'dev'");
    expect(printed).toContain("'mlflow.trace.tokenUsage'");
    for (const internal of ["lazy", "metadataValue", "metadataDue", "previewsDue", "RootJsonParts", "TraceRecord"]) expect(printed).not.toContain(internal);
  });

  it("prints a trace read back from JSON the same way", () => {
    const trace = traceFromJSON({
      info: {
        trace_id: "tr-0af7651916cd43dd8448eb211c80319c",
        trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: "3" } },
        request_time: "2026-12-03T10:00:00.000Z",
        execution_duration_ms: 7,
        state: "ERROR",
        trace_metadata: {},
        tags: {},
      },
      data: { spans: [] },
    });
    const printed = inspect(trace.info);
    expect(printed).toMatch(/^TraceInfo tr-0af7651916cd43dd8448eb211c80319c ERROR \{/);
    expect(printed).toContain("experimentId: '3'");
    expect(printed).toContain("executionDuration: 7");
  });
});
