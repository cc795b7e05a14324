/**
 * The seed's RAG pipeline and token-usage example under mlflow.haystack.autolog(), exported through
 * the SDK's own exporter to a real MLflow server and read back with MLflow's Python client.
 */
import { randomBytes } from "node:crypto";
import * as mlflow from "../../lib/index";
import { component, Pipeline } from "../../lib/haystack/index";
import { resetExportConfig } from "../../lib/export/destination/config";
import { buildRagPipeline } from "../../samples/support/rag-pipeline";
import { readTraceWithPython, type PyTrace } from "../support/python-trace";
import { startOpenAIServer, type OpenAIServer } from "../support/openai-server";

const url = process.env["MLFLOW_TEST_SERVER_URL"] ?? "";

@component({ inputs: { prompt: "str" }, outputs: { replies: "list" }, spanType: "PARSER" })
class Explode {
  run(): never {
    throw new TypeError("parser exploded");
  }
}

describe("autolog traces in a real MLflow server, read by the Python client", () => {
  let openai: OpenAIServer;

  beforeAll(async () => {
    openai = await startOpenAIServer({ reply: () => "Jean lives in Paris.", cachedTokens: 6, model: "gpt-4o-mini-2024-07-18" });
    resetExportConfig();
    mlflow.setTrackingUri(url);
    await mlflow.setExperiment(`autolog-${randomBytes(4).toString("hex")}`);
    await mlflow.configureExport({ scheduledDelayMs: 50 });
    mlflow.haystack.autolog();
  });

  afterAll(async () => {
    mlflow.haystack.autolog({ disable: true });
    await mlflow.shutdownExport();
    mlflow.setTrackingUri(undefined);
    await openai.close();
  });

  async function pythonTrace(id: string): Promise<PyTrace> {
    const flushed = await mlflow.flushTraces();
    expect(flushed.failed).toBe(0);
    return await readTraceWithPython(url, id);
  }

  const model = () => ({
    generatorOptions: { model: "gpt-4o-mini", apiBaseUrl: openai.url, apiKey: "test-key" },
    description: "loopback",
    offline: false,
    close: async () => undefined,
  });

  it("the RAG pipeline: same span tree, types, I/O, token usage and cost as the TypeScript trace", async () => {
    const pipe = buildRagPipeline(model());
    await pipe.run({ retriever: { query: "Who lives in Paris?" }, prompt_builder: { question: "Who lives in Paris?" } });
    const local = mlflow.getLastActiveTrace()!;
    const py = await pythonTrace(local.info.traceId);

    expect(py.info.state).toBe("OK");
    expect(py.spans.map((s) => [s.name, s.span_type])).toEqual(local.data.spans.map((s) => [s.name, s.spanType]));
    expect(py.spans.map((s) => s.name)).toEqual(["haystack.pipeline.run", "retriever", "prompt_builder", "llm"]);
    const byName = new Map(py.spans.map((s) => [s.name, s]));
    for (const span of local.data.spans) {
      const remote = byName.get(span.name)!;
      expect(remote.span_id).toBe(span.spanId);
      expect(remote.parent_id).toBe(span.parentId);
      expect(remote.inputs).toEqual(span.inputs);
      expect(remote.outputs).toEqual(span.outputs);
      expect(remote.status.code).toBe("OK");
    }
    const llm = byName.get("llm")!;
    expect(llm.span_type).toBe("LLM");
    expect(llm.attributes["mlflow.chat.tokenUsage"]).toEqual(local.data.spans[3]!.attributes["mlflow.chat.tokenUsage"]);
    expect(llm.attributes["mlflow.llm.model"]).toBe("gpt-4o-mini-2024-07-18");
    expect(llm.attributes["haystack.component.type"]).toBe("OpenAIGenerator");
    expect(llm.attributes["haystack.component.visits"]).toBe(1);
    expect(byName.get("haystack.pipeline.run")!.attributes["haystack.pipeline.max_runs_per_component"]).toBe(100);
    expect((llm.attributes["mlflow.chat.tokenUsage"] as Record<string, number>)["cache_read_input_tokens"]).toBe(6);
    const usage = local.info.tokenUsage!;
    expect(py.info.token_usage).toMatchObject({ input_tokens: usage.inputTokens, output_tokens: usage.outputTokens, total_tokens: usage.totalTokens });
    expect(JSON.parse(py.info.trace_metadata["mlflow.trace.cost"]!)).toMatchObject({ total_cost: expect.any(Number) });
    expect(local.info.cost!.totalCost).toBeGreaterThan(0);
  });

  it("the token-usage example: the pipeline span under the user's span, usage on the trace", async () => {
    const pipe = buildRagPipeline(model());
    await mlflow.startSpan({ name: "haystack_pipeline_run", spanType: mlflow.SpanType.CHAIN }, async (span) => {
      span.setOutputs(await pipe.run({ retriever: { query: "Who lives in Rome?" }, prompt_builder: { question: "Who lives in Rome?" } }));
    });
    const local = mlflow.getLastActiveTrace()!;
    const py = await pythonTrace(local.info.requestId);
    expect(py.spans.map((s) => s.name)).toEqual(["haystack_pipeline_run", "haystack.pipeline.run", "retriever", "prompt_builder", "llm"]);
    expect(py.spans[1]!.parent_id).toBe(py.spans[0]!.span_id);
    expect(py.info.token_usage?.["total_tokens"]).toBe(local.info.tokenUsage!.totalTokens);
  });

  it("a failing component: ERROR spans with exception events and an ERROR trace", async () => {
    const pipe = new Pipeline({ metadata: { name: "failing_pipeline" } });
    pipe.addComponent("parser", new Explode());
    await expect(pipe.run({ parser: { prompt: "x" } })).rejects.toThrow(/parser/);
    const local = mlflow.getLastActiveTrace()!;
    const py = await pythonTrace(local.info.traceId);
    expect(py.info.state).toBe("ERROR");
    const [pipeline, parser] = py.spans;
    expect(pipeline!.name).toBe("failing_pipeline");
    expect(parser!.span_type).toBe("PARSER");
    for (const span of [pipeline!, parser!]) {
      expect(span.status.code).toBe("ERROR");
      expect(span.events.some((e) => e.name === "exception")).toBe(true);
    }
    const exception = parser!.events.find((e) => e.name === "exception")!;
    expect(exception.attributes["exception.type"]).toBe("TypeError");
    expect(exception.attributes["exception.message"]).toBe("parser exploded");
  });

  it("keeps value types as Python's do: numbers, booleans, objects; strings of JSON scalars stay strings, of JSON arrays read back as arrays", async () => {
    mlflow.startSpan({ name: "types", inputs: "42", attributes: { n: 2, f: 1.5, ok: false, text: "true", list: [1, "a"], obj: { k: null } } }, () => "[1]");
    const local = mlflow.getLastActiveTrace()!;
    const [span] = (await pythonTrace(local.info.traceId)).spans;
    expect(span!.inputs).toBe("42");
    // MLflow's server reads a string holding a JSON array or object back as that value, from
    // Python's spans too (spec/integration/otlp-attribute-parity.spec.ts).
    expect(span!.outputs).toEqual([1]);
    expect(span!.attributes).toMatchObject({ n: 2, f: 1.5, ok: false, text: "true", list: [1, "a"], obj: { k: null } });
  });
});
