import * as mlflow from "../../lib/index";
import type { Trace } from "../../lib/index";
import { addTraceSink } from "../../lib/tracing/completed-traces";
import { resetDiagnosticsCounts } from "../../lib/internal/diagnostics";

const { startSpan, traced, configureTracing } = mlflow;

function collect(): { traces: Trace[]; stop: () => void } {
  const traces: Trace[] = [];
  return { traces, stop: addTraceSink({ onTraceCompleted: (t) => traces.push(t) }) };
}

function one(run: () => unknown): Trace {
  const { traces, stop } = collect();
  try {
    run();
  } finally {
    stop();
  }
  expect(traces).toHaveLength(1);
  return traces[0] as Trace;
}

afterEach(() => configureTracing({ spanProcessors: [], contentTracing: true }));

describe("configureTracing({ spanProcessors })", () => {
  it("lets each processor rewrite a finished span's inputs, outputs and attributes before export, in order", () => {
    const seen: string[] = [];
    configureTracing({
      spanProcessors: [
        (span) => {
          seen.push(`${span.name}:${span.ended}`);
          const inputs = span.inputs as { email?: string } | undefined;
          if (inputs?.email !== undefined) span.setInputs({ ...inputs, email: "[EMAIL]" });
          span.setAttribute("redacted", true);
        },
        (span) => {
          if (typeof span.outputs === "string") span.setOutputs(span.outputs.replace(/\d{4}-\d{4}/g, "[CARD]"));
        },
      ],
    });
    const trace = one(() =>
      startSpan({ name: "root", inputs: { email: "a@b.c", q: "x" } }, () =>
        traced(function lookup(card: string) {
          return `card ${card}`;
        })("1234-5678"),
      ),
    );
    expect(seen).toEqual(["lookup:false", "root:false"]);
    const [root, lookup] = trace.data.spans;
    expect(root?.inputs).toEqual({ email: "[EMAIL]", q: "x" });
    expect(root?.outputs).toBe("card [CARD]");
    expect(lookup?.outputs).toBe("card [CARD]");
    expect(root?.attributes["redacted"]).toBe(true);
    expect(trace.info.requestPreview).toBe('{"email":"[EMAIL]","q":"x"}');
  });

  it("keeps ids and times out of reach, and ignores end() called from a processor", () => {
    let ids: string[] = [];
    configureTracing({
      spanProcessors: [
        (span) => {
          ids = [span.spanId, span.traceId];
          span.end();
        },
      ],
    });
    const trace = one(() => startSpan({ name: "root" }, () => startSpan({ name: "child" }, () => 1)));
    const root = trace.data.spans[0];
    expect([root?.spanId, root?.traceId]).toEqual(ids);
    expect(trace.data.spans.map((s) => s.name)).toEqual(["root", "child"]);
  });

  it("reports a throwing processor once and still exports the span, running the processors after it", () => {
    resetDiagnosticsCounts();
    const messages: string[] = [];
    mlflow.setDiagnosticsLogger((level, message) => messages.push(`${level}: ${message}`));
    configureTracing({
      spanProcessors: [
        () => {
          throw new Error("bad processor");
        },
        (span) => void span.setAttribute("after", 1),
      ],
    });
    let trace: Trace;
    try {
      trace = one(() => startSpan({ name: "root" }, () => startSpan({ name: "child" }, () => 1)));
    } finally {
      mlflow.setDiagnosticsLogger(undefined);
    }
    expect(trace.data.spans.map((s) => [s.name, s.attributes["after"]])).toEqual([
      ["root", 1],
      ["child", 1],
    ]);
    expect(messages).toEqual([
      'warn: span processor #0 threw on span "child"; the span is exported with the changes made before the throw (reported once per processor)',
    ]);
  });

  it("rejects anything but an array of functions", () => {
    expect(() => configureTracing({ spanProcessors: [1 as never] })).toThrow(
      "configureTracing: expected `spanProcessors[0]` to be a function (span) => void, got 1",
    );
  });
});

describe("contentTracing: false", () => {
  it("keeps the tree, timings, types, usage, cost, tags and exception types, but no inputs, outputs, previews, chunk values or exception messages", async () => {
    configureTracing({ contentTracing: false });
    const { traces, stop } = collect();
    const secret = new RangeError("card 4111-1111 declined");
    async function* stream() {
      yield "private chunk";
    }
    try {
      await startSpan({ name: "root", spanType: "CHAIN", inputs: { q: "my diagnosis" } }, async () => {
        mlflow.updateCurrentTrace({ tags: { app: "bot" }, requestPreview: "custom preview" });
        startSpan({ name: "llm", spanType: "LLM", attributes: { "mlflow.chat.tokenUsage": { input_tokens: 3, output_tokens: 4, total_tokens: 7 } } }, (s) =>
          s.setOutputs("answer"),
        );
        for await (const _ of traced(stream)()) void _;
        try {
          startSpan({ name: "pay" }, () => {
            throw secret;
          });
        } catch {
          // recorded on the span
        }
        return "final answer";
      });
    } finally {
      stop();
    }
    const trace = traces[0] as Trace;
    expect(trace.data.spans.map((s) => [s.name, s.spanType])).toEqual([
      ["root", "CHAIN"],
      ["llm", "LLM"],
      ["stream", "UNKNOWN"],
      ["pay", "UNKNOWN"],
    ]);
    for (const span of trace.data.spans) {
      expect(span.inputs).toBeUndefined();
      expect(span.outputs).toBeUndefined();
      expect(span.endTimeNs).toBeGreaterThanOrEqual(span.startTimeNs);
    }
    expect(trace.info.requestPreview).toBeUndefined();
    expect(trace.info.responsePreview).toBeUndefined();
    expect(trace.info.metadata["mlflow.traceInputs"]).toBeUndefined();
    expect(trace.info.tokenUsage).toEqual({ inputTokens: 3, outputTokens: 4, totalTokens: 7 });
    expect(trace.info.tags["app"]).toBe("bot");
    const streamSpan = trace.data.spans[2];
    expect(streamSpan?.events.map((e) => [e.name, e.attributes])).toEqual([["mlflow.chunk.item.0", {}]]);
    const pay = trace.data.spans[3];
    expect(pay?.status).toEqual({ code: "ERROR", description: "RangeError" });
    expect(pay?.events.map((e) => e.attributes)).toEqual([{ "exception.type": "RangeError" }]);
    expect(JSON.stringify(trace.toJSON())).not.toMatch(/diagnosis|answer|private chunk|4111-1111|custom preview/);
  });
});
