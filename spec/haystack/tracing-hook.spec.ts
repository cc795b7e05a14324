import { AsyncLocalStorage } from "node:async_hooks";
import { resetDiagnosticsCounts, setDiagnosticsLogger } from "../../lib/internal/diagnostics";
import { getComponentInfo } from "../../lib/haystack/component";
import { PipelineRuntimeError } from "../../lib/haystack/errors";
import { Pipeline } from "../../lib/haystack/pipeline";
import { getPipelineTracer, setPipelineTracer, type ComponentRunEvent, type PipelineRunEvent, type PipelineTracer } from "../../lib/haystack/tracing-hook";
import { AddValue, Fail, FakeGenerator, FakePromptBuilder, FakeRetriever, FirstValue, Threshold } from "./test-components";

type Recorded =
  | { kind: "pipeline"; event: PipelineRunEvent; parent: string | undefined }
  | { kind: "component"; event: ComponentRunEvent; parent: string | undefined; result?: unknown; error?: unknown };

function recordingTracer(): { tracer: PipelineTracer; records: Recorded[] } {
  const als = new AsyncLocalStorage<string>();
  const records: Recorded[] = [];
  const tracer: PipelineTracer = {
    tracePipeline(event, run) {
      records.push({ kind: "pipeline", event, parent: als.getStore() });
      return als.run(`pipeline:${event.name ?? ""}`, run);
    },
    async traceComponent(event, run) {
      const record: Recorded = { kind: "component", event, parent: als.getStore() };
      records.push(record);
      try {
        record.result = await als.run(`component:${event.name}`, run);
        return record.result as never;
      } catch (error) {
        record.error = error;
        throw error;
      }
    },
  };
  return { tracer, records };
}

function rag(): Pipeline {
  const pipe = new Pipeline({ metadata: { name: "rag", owner: "spec" }, maxRunsPerComponent: 7 });
  pipe.addComponent("retriever", new FakeRetriever()).addComponent("prompt_builder", new FakePromptBuilder()).addComponent("llm", new FakeGenerator());
  return pipe.connect("retriever", "prompt_builder.documents").connect("prompt_builder", "llm");
}

afterEach(() => setPipelineTracer(undefined));

describe("pipeline tracing hook", () => {
  it("stores the tracer in the global registry every copy of the package shares", () => {
    const { tracer } = recordingTracer();
    setPipelineTracer(tracer);
    expect(getPipelineTracer()).toBe(tracer);
    const registry = (globalThis as unknown as Record<symbol, { slots: { pipelineTracer?: { tracer: unknown } } }>)[Symbol.for("mlflow-haystack.api.0")];
    expect(registry?.slots.pipelineTracer?.tracer).toBe(tracer);
    setPipelineTracer(undefined);
    expect(getPipelineTracer()).toBeUndefined();
  });

  it("reports the pipeline run, then each component inside it, in run order", async () => {
    const { tracer, records } = recordingTracer();
    setPipelineTracer(tracer);
    const pipe = rag();
    const data = { retriever: { query: "q" }, prompt_builder: { question: "Q" } };
    const result = await pipe.run(data);

    expect(records.map((r) => `${r.kind}:${r.event.name}`)).toEqual(["pipeline:rag", "component:retriever", "component:prompt_builder", "component:llm"]);
    const [run, retriever, builder, llm] = records;
    expect(run!.event).toEqual({
      pipeline: pipe,
      name: "rag",
      metadata: { name: "rag", owner: "spec" },
      maxRunsPerComponent: 7,
      inputs: data,
      executionMode: "sync",
    });
    expect(records.slice(1).map((r) => r.parent)).toEqual(["pipeline:rag", "pipeline:rag", "pipeline:rag"]);
    expect(retriever!.event).toMatchObject({
      className: "FakeRetriever",
      type: "spec.FakeRetriever",
      spanType: "RETRIEVER",
      visits: 1,
      inputs: { query: "q", top_k: 2 },
      initParameters: {},
      outputSpec: { documents: { name: "documents", type: "Document[]", mandatory: false, senders: [], receivers: ["prompt_builder.documents"] } },
    });
    const builderEvent = builder!.event as ComponentRunEvent;
    expect(builderEvent.inputSpec["documents"]).toEqual({ name: "documents", type: "any", mandatory: true, senders: ["retriever.documents"] });
    expect(builderEvent.inputSpec["question"]).toEqual({ name: "question", type: "any", mandatory: false, default: "", senders: [] });
    expect((llm!.event as ComponentRunEvent).spanType).toBe("LLM");
    expect((llm as { result?: unknown }).result).toEqual(result["llm"]);
  });

  it("counts visits per component across a loop", async () => {
    const { tracer, records } = recordingTracer();
    setPipelineTracer(tracer);
    const pipe = new Pipeline();
    pipe
      .addComponent("merge", new FirstValue())
      .addComponent("add", new AddValue())
      .addComponent("threshold", new Threshold({ limit: 3 }));
    pipe.connect("merge", "add.value").connect("add", "threshold").connect("threshold.small", "merge.value");
    await pipe.run({ merge: { value: 0 } });
    const adds = records.filter((r) => r.kind === "component" && r.event.name === "add");
    expect(adds.map((r) => (r.event as ComponentRunEvent).visits)).toEqual([1, 2, 3]);
    expect(adds.map((r) => (r.event as ComponentRunEvent).inputs)).toEqual([
      { value: 0, add: 1 },
      { value: 1, add: 1 },
      { value: 2, add: 1 },
    ]);
  });

  it("lets the tracer see the component's original error, then wraps it for the caller", async () => {
    const { tracer, records } = recordingTracer();
    setPipelineTracer(tracer);
    const pipe = new Pipeline().addComponent("broken", new Fail());
    const error = await pipe.run({ text: "x" }).catch((e: unknown) => e);
    const seen = records.find((r) => r.kind === "component") as { error?: unknown };
    expect(seen.error).toBeInstanceOf(RangeError);
    expect(error).toBeInstanceOf(PipelineRuntimeError);
    expect((error as Error).cause).toBe(seen.error);
  });

  it("reports the async execution mode for runAsync", async () => {
    const { tracer, records } = recordingTracer();
    setPipelineTracer(tracer);
    await rag().runAsync({ query: "q", question: "Q" });
    expect((records[0]!.event as PipelineRunEvent).executionMode).toBe("async");
    expect(records.filter((r) => r.kind === "component").map((r) => r.parent)).toEqual(["pipeline:rag", "pipeline:rag", "pipeline:rag"]);
  });

  it("builds no event objects when no tracer is installed", async () => {
    const pipe = new Pipeline().addComponent("add", new AddValue());
    let reads = 0;
    const info = getComponentInfo(pipe.getComponent("add"));
    const params = info.initParameters;
    Object.defineProperty(info, "initParameters", {
      get() {
        reads++;
        return params;
      },
    });
    await pipe.run({ value: 1 });
    expect(reads).toBe(0);
    setPipelineTracer(recordingTracer().tracer);
    await pipe.run({ value: 1 });
    expect(reads).toBe(1);
  });

  it("still runs the pipeline when a broken tracer never calls run, and says so once", async () => {
    const messages: string[] = [];
    setDiagnosticsLogger((level, message) => messages.push(`${level}: ${message}`));
    setPipelineTracer({
      tracePipeline: () => Promise.reject(new Error("tracer bug")),
      traceComponent: () => Promise.resolve(undefined as never),
    });
    const pipe = new Pipeline().addComponent("add", new AddValue());
    try {
      expect(await pipe.run({ value: 1 })).toEqual({ add: { value: 2 } });
      expect(await pipe.run({ value: 1 })).toEqual({ add: { value: 2 } });
      expect(messages).toEqual(["warn: The pipeline tracer did not call run(); the step ran untraced"]);
    } finally {
      setDiagnosticsLogger(undefined);
      resetDiagnosticsCounts();
    }
  });
});
