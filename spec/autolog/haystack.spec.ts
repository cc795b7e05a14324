import * as mlflow from "../../lib/index";
import { component, Pipeline, PipelineRuntimeError, getPipelineTracer } from "../../lib/haystack/index";
import type { Trace } from "../../lib/index";
import { addTraceSink } from "../../lib/tracing/completed-traces";

@component({ inputs: ["a", "b"], outputs: ["sum"] })
class Add {
  run({ a, b }: { a: number; b: number }) {
    return { sum: a + b };
  }
}

@component({ inputs: { value: "int" }, outputs: { value: "int" } })
class Multiply {
  constructor(readonly options: { factor: number; apiKey?: string }) {}
  async run({ value }: { value: number }) {
    await new Promise((r) => setTimeout(r, 1));
    return { value: value * this.options.factor };
  }
}

@component({ inputs: { query: "str" }, outputs: { documents: "list" } })
class KeywordRetriever {
  run({ query }: { query: string }) {
    return { documents: [{ content: `doc about ${query}` }] };
  }
}

@component({ inputs: { prompt: "str" }, outputs: { replies: "list", meta: "list" } })
class EchoGenerator {
  constructor(readonly options: { model: string; cached?: number }) {}
  async run({ prompt }: { prompt: string }) {
    const usage: Record<string, unknown> = { prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200 };
    if (this.options.cached !== undefined) usage["prompt_tokens_details"] = { cached_tokens: this.options.cached };
    return { replies: [`echo: ${prompt}`], meta: [{ model: this.options.model, index: 0, finish_reason: "stop", usage }] };
  }
}

@component({ inputs: { items: "list" }, outputs: { hits: "list", misses: "list" } })
class UrlCache {
  run({ items }: { items: string[] }) {
    return { hits: items.filter((i) => i.startsWith("cached:")), misses: items.filter((i) => !i.startsWith("cached:")) };
  }
}

@component({ inputs: ["value"], outputs: ["value"], spanType: "PARSER" })
class Failing {
  run(): never {
    throw new RangeError("component exploded");
  }
}

function collect(): { traces: Trace[]; stop: () => void } {
  const traces: Trace[] = [];
  return { traces, stop: addTraceSink({ onTraceCompleted: (t) => traces.push(t) }) };
}

function adder(): Pipeline {
  const pipe = new Pipeline();
  pipe.addComponent("adder", new Add());
  return pipe;
}

describe("mlflow.haystack.autolog()", () => {
  beforeEach(() => mlflow.haystack.autolog());
  afterEach(() => mlflow.haystack.autolog({ disable: true }));

  it("records a CHAIN span for the pipeline and a span per component, as MLflow's Python integration", async () => {
    const { traces, stop } = collect();
    const result = await adder().run({ adder: { a: 1, b: 2 } });
    stop();
    expect(result).toEqual({ adder: { sum: 3 } });
    expect(traces).toHaveLength(1);
    const [pipeline, add] = traces[0]!.data.spans;
    expect(pipeline).toMatchObject({
      name: "haystack.pipeline.run",
      spanType: "CHAIN",
      parentId: null,
      inputs: { adder: { a: 1, b: 2 } },
      outputs: { adder: { sum: 3 } },
    });
    expect(pipeline!.attributes["haystack.pipeline.max_runs_per_component"]).toBe(100);
    expect(add).toMatchObject({ name: "adder", spanType: "TOOL", parentId: pipeline!.spanId, inputs: { a: 1, b: 2 }, outputs: { sum: 3 } });
    expect(add!.attributes).toMatchObject({ "haystack.component.name": "adder", "haystack.component.type": "Add", "haystack.component.visits": 1 });
    expect(Object.keys(add!.attributes["haystack.component.input_spec"] as object)).toEqual(["a", "b"]);
  });

  it("names the pipeline span after metadata.name and records component metadata with secrets redacted", async () => {
    const { traces, stop } = collect();
    const pipe = new Pipeline({ metadata: { name: "math", owner: "team" } });
    pipe.addComponent("adder", new Add());
    pipe.addComponent("times", new Multiply({ factor: 10, apiKey: "sk-secret-value" }));
    pipe.connect("adder.sum", "times.value");
    await pipe.run({ adder: { a: 1, b: 2 } });
    stop();
    const spans = traces[0]!.data.spans;
    expect(spans.map((s) => s.name)).toEqual(["math", "adder", "times"]);
    expect(spans[0]!.attributes["haystack.pipeline.metadata"]).toEqual({ name: "math", owner: "team" });
    const times = spans[2]!;
    expect(times.outputs).toEqual({ value: 30 });
    expect(times.attributes["haystack.component.init_parameters"]).toEqual({ factor: 10, apiKey: "**********" });
    expect(JSON.stringify(traces[0]!.toJSON())).not.toContain("sk-secret-value");
    expect((times.attributes["haystack.component.input_spec"] as Record<string, { senders: string[] }>)["value"]!.senders).toEqual(["adder.sum"]);
  });

  it("infers span types like MLflow's integration and honours a declared span type", async () => {
    const { traces, stop } = collect();
    const pipe = new Pipeline();
    pipe.addComponent("retriever", new KeywordRetriever());
    pipe.addComponent("llm", new EchoGenerator({ model: "not-a-priced-model" }));
    pipe.addComponent("zparser", new Failing());
    await pipe.run({ retriever: { query: "x" }, llm: { prompt: "p" }, zparser: { value: 1 } }).catch(() => undefined);
    stop();
    const types = Object.fromEntries(traces[0]!.data.spans.map((s) => [s.name, s.spanType]));
    expect(types).toMatchObject({ retriever: "RETRIEVER", llm: "LLM", zparser: "PARSER" });
  });

  it("records token usage with cached tokens, the model and its cost, and sums them on the trace", async () => {
    const { traces, stop } = collect();
    const pipe = new Pipeline();
    pipe.addComponent("llm", new EchoGenerator({ model: "gpt-4o-mini-2024-07-18", cached: 400 }));
    await pipe.run({ llm: { prompt: "hello" } });
    stop();
    const llm = traces[0]!.data.spans[1]!;
    expect(llm.attributes["mlflow.chat.tokenUsage"]).toEqual({ input_tokens: 1000, output_tokens: 200, total_tokens: 1200, cache_read_input_tokens: 400 });
    expect(llm.attributes["mlflow.llm.model"]).toBe("gpt-4o-mini-2024-07-18");
    // 600 uncached * 0.15/M + 400 cached * 0.075/M = 0.00012; 200 * 0.60/M = 0.00012
    expect(llm.attributes["mlflow.llm.cost"]).toEqual({ input_cost: 0.00012, output_cost: 0.00012, total_cost: 0.00024 });
    const info = traces[0]!.info;
    expect(info.tokenUsage).toEqual({ inputTokens: 1000, outputTokens: 200, totalTokens: 1200, cacheReadInputTokens: 400 });
    expect(info.cost).toEqual({ inputCost: 0.00012, outputCost: 0.00012, totalCost: 0.00024 });
  });

  it("records no cost for a model it has no price for, and uses a price set with setModelPricing", async () => {
    const run = async () => {
      const { traces, stop } = collect();
      const pipe = new Pipeline();
      pipe.addComponent("llm", new EchoGenerator({ model: "local-llama" }));
      await pipe.run({ llm: { prompt: "hello" } });
      stop();
      return traces[0]!;
    };
    const unpriced = await run();
    expect(unpriced.data.spans[1]!.attributes["mlflow.llm.cost"]).toBeUndefined();
    expect(unpriced.info.cost).toBeUndefined();
    mlflow.setModelPricing("local-llama", { inputPerMillion: 1, outputPerMillion: 2 });
    try {
      expect((await run()).info.cost).toEqual({ inputCost: 0.001, outputCost: 0.0004, totalCost: 0.0014 });
    } finally {
      mlflow.setModelPricing("local-llama", null);
    }
    expect(() => mlflow.setModelPricing("x", { inputPerMillion: -1, outputPerMillion: 1 })).toThrow(/inputPerMillion/);
  });

  it("records cache hits and misses of a cache-checking component", async () => {
    const { traces, stop } = collect();
    const pipe = new Pipeline();
    pipe.addComponent("cache", new UrlCache());
    await pipe.run({ cache: { items: ["cached:a", "b", "cached:c", "d"] } });
    stop();
    const cache = traces[0]!.data.spans[1]!;
    expect(cache.attributes).toMatchObject({ "haystack.cache.hits": 2, "haystack.cache.misses": 2, "haystack.cache.hit_ratio": 0.5 });
    expect(cache.outputs).toEqual({ hits: ["cached:a", "cached:c"], misses: ["b", "d"] });
  });

  it("marks the failing component, the pipeline and the trace ERROR and rejects as it would without autolog", async () => {
    const failingPipe = () => {
      const pipe = new Pipeline();
      pipe.addComponent("parser", new Failing());
      return pipe;
    };
    mlflow.haystack.autolog({ disable: true });
    const untraced = await failingPipe()
      .run({ parser: { value: 1 } })
      .catch((e: unknown) => e);
    mlflow.haystack.autolog();
    const { traces, stop } = collect();
    const traced = await failingPipe()
      .run({ parser: { value: 1 } })
      .catch((e: unknown) => e);
    stop();
    expect(traced).toBeInstanceOf(PipelineRuntimeError);
    expect((traced as Error).message).toBe((untraced as Error).message);
    expect(((traced as Error).cause as Error).constructor).toBe(RangeError);
    const [pipeline, parser] = traces[0]!.data.spans;
    expect(traces[0]!.info.state).toBe("ERROR");
    expect(parser!.status.code).toBe("ERROR");
    expect(parser!.events.find((e) => e.name === "exception")!.attributes["exception.message"]).toBe("component exploded");
    expect(pipeline!.status.code).toBe("ERROR");
    expect(pipeline!.events.some((e) => e.name === "exception")).toBe(true);
  });

  it("nests the pipeline span under a user's span in the same trace", async () => {
    const answer = await mlflow.startSpan({ name: "haystack_pipeline_run" }, async (span) => {
      const result = await adder().run({ adder: { a: 2, b: 3 } });
      span.setOutputs(result);
      return result;
    });
    expect(answer).toEqual({ adder: { sum: 5 } });
    const spans = mlflow.getLastActiveTrace()!.data.spans;
    expect(spans.map((s) => s.name)).toEqual(["haystack_pipeline_run", "haystack.pipeline.run", "adder"]);
    expect(spans[1]!.parentId).toBe(spans[0]!.spanId);
  });

  it("keeps 200 concurrent runs in 200 separate, correct traces", async () => {
    const { traces, stop } = collect();
    const pipe = new Pipeline();
    pipe.addComponent("adder", new Add());
    pipe.addComponent("times", new Multiply({ factor: 2 }));
    pipe.connect("adder.sum", "times.value");
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => pipe.run({ adder: { a: i, b: 1 } })));
    stop();
    expect(results.map((r) => (r as { times: { value: number } }).times.value)).toEqual(Array.from({ length: 200 }, (_, i) => (i + 1) * 2));
    expect(traces).toHaveLength(200);
    for (const trace of traces) {
      const [root, add, times] = trace.data.spans;
      const a = (add!.inputs as { a: number }).a;
      expect(root!.inputs).toEqual({ adder: { a, b: 1 } });
      expect(times!.outputs).toEqual({ value: (a + 1) * 2 });
      expect(add!.parentId).toBe(root!.spanId);
      expect(times!.parentId).toBe(root!.spanId);
    }
  });

  it("installs one tracer however often it is called, and autolog({ disable: true }) stops tracing", async () => {
    mlflow.haystack.autolog();
    mlflow.haystack.autolog();
    const tracer = getPipelineTracer();
    expect(mlflow.haystack.isAutologEnabled()).toBe(true);
    const { traces, stop } = collect();
    await adder().run({ adder: { a: 1, b: 1 } });
    expect(traces).toHaveLength(1);
    expect(traces[0]!.data.spans).toHaveLength(2);
    mlflow.autolog({ disable: true });
    expect(getPipelineTracer()).toBeUndefined();
    await adder().run({ adder: { a: 1, b: 1 } });
    mlflow.autolog();
    expect(getPipelineTracer()).toBe(tracer);
    mlflow.haystack.autolog({ logTraces: false });
    await adder().run({ adder: { a: 1, b: 1 } });
    stop();
    expect(traces).toHaveLength(1);
  });
});

@component({ inputs: ["x"], outputs: ["x"] })
class Configured {
  constructor(readonly options: Record<string, unknown>) {}
  run({ x }: { x: unknown }) {
    return { x };
  }
}

describe("secret redaction in component metadata", () => {
  afterEach(() => mlflow.haystack.autolog({ disable: true }));

  it("masks parameters named like secrets but not words that merely contain one", async () => {
    const { isSecretKey } = await import("../../lib/internal/redaction");
    for (const key of [
      "apiKey",
      "api_key",
      "OPENAI_API_KEY",
      "accessToken",
      "token",
      "client_secret",
      "password",
      "Authorization",
      "openaiKey",
      "apiKeys",
      "accessKey",
      "refresh_tokens",
    ]) {
      expect([key, isSecretKey(key)]).toEqual([key, true]);
    }
    for (const key of ["bm25_tokenization_regex", "max_tokens", "prompt_tokens", "tokenizer", "keyField", "secretary_name", "cacheKey"]) {
      expect([key, isSecretKey(key)]).toEqual([key, false]);
    }
    mlflow.haystack.autolog();
    const { traces, stop } = collect();
    const pipe = new Pipeline();
    pipe.addComponent("configured", new Configured({ nested: { apiKey: "sk-1", max_tokens: 5 }, list: [{ token: "t" }] }));
    await pipe.run({ configured: { x: 1 } });
    stop();
    expect(traces[0]!.data.spans[1]!.attributes["haystack.component.init_parameters"]).toEqual({
      nested: { apiKey: "**********", max_tokens: 5 },
      list: [{ token: "**********" }],
    });
  });
});

describe("mlflow.haystack.autolog options", () => {
  afterEach(() => mlflow.haystack.autolog({ disable: true }));

  it("refuses a misspelt switch instead of turning tracing on, naming the option it likely means", () => {
    expect(() => mlflow.haystack.autolog({ disabled: true } as never)).toThrow(
      new mlflow.ConfigError("mlflow.haystack.autolog: unknown option `disabled`; did you mean `disable`? Known options: disable, logTraces, silent"),
    );
    expect(mlflow.haystack.isAutologEnabled()).toBe(false);
  });

  it("refuses a switch that is not a boolean", () => {
    expect(() => mlflow.haystack.autolog({ disable: "no" } as never)).toThrow('mlflow.haystack.autolog: expected `disable` to be true or false, got "no"');
    expect(() => mlflow.haystack.autolog({ silent: 1 } as never)).toThrow("mlflow.haystack.autolog: expected `silent` to be true or false, got 1 (a number)");
    expect(mlflow.haystack.isAutologEnabled()).toBe(false);
  });

  it("mlflow.autolog names itself for a misspelt switch", () => {
    expect(() => mlflow.autolog({ disabled: true } as never)).toThrow("mlflow.autolog: unknown option `disabled`; did you mean `disable`?");
    expect(mlflow.haystack.isAutologEnabled()).toBe(false);
  });
});
