import { component, getComponentInfo, isComponent, setOutputTypes } from "../../lib/haystack/component";
import { ComponentError, HaystackError, PipelineError, PipelineRuntimeError } from "../../lib/haystack/errors";

class FakeSecret {
  constructor(private readonly value: string) {}
  resolve(): string {
    return this.value;
  }
  toDict() {
    return { type: "env_var", env_vars: ["OPENAI_API_KEY"], strict: true };
  }
}

class Store {
  readonly docs = new Map<string, string>([["1", "one"]]);
  toDict() {
    return { type: "spec.Store", init_parameters: { bm25_algorithm: "BM25L" } };
  }
}

class Unserializable {
  toDict(): never {
    throw new Error("token secrets cannot be serialized");
  }
}

@component({ inputs: { prompt: "str" }, outputs: { replies: "str[]" }, spanType: "LLM" })
class Generator {
  constructor(readonly options: Record<string, unknown> = {}) {}
  run({ prompt }: { prompt: string }) {
    return { replies: [prompt] };
  }
}

describe("component init parameters", () => {
  it("snapshots the first constructor argument as plain data", () => {
    const options = { model: "gpt-4o-mini", generationKwargs: { temperature: 0 }, stop: ["\n"], when: new Date(0), fn: () => 1 };
    const info = getComponentInfo(new Generator(options));
    options.generationKwargs.temperature = 1;
    expect(info.initParameters).toEqual({ model: "gpt-4o-mini", generationKwargs: { temperature: 0 }, stop: ["\n"], when: "1970-01-01T00:00:00.000Z" });
  });

  it("stores objects with toDict() only as their toDict() output, so secrets never leak", () => {
    const info = getComponentInfo(new Generator({ apiKey: new FakeSecret("sk-live-123"), documentStore: new Store() }));
    expect(info.initParameters).toEqual({
      apiKey: { type: "env_var", env_vars: ["OPENAI_API_KEY"], strict: true },
      documentStore: { type: "spec.Store", init_parameters: { bm25_algorithm: "BM25L" } },
    });
    expect(JSON.stringify(info.initParameters)).not.toContain("sk-live-123");
  });

  it("redacts plain-string credentials and describes what cannot be serialized", () => {
    const info = getComponentInfo(new Generator({ api_key: "sk-live-123", token: new Unserializable(), other: new Map(), self: undefined }));
    expect(info.initParameters).toEqual({
      api_key: "<redacted>",
      token: "<Unserializable: not serializable: token secrets cannot be serialized>",
      other: "<Map>",
    });
  });

  it("redacts plain strings under every key traced values treat as a secret, and only those", () => {
    const info = getComponentInfo(
      new Generator({ OPENAI_API_KEY: "sk-1", session_cookie: "c-1", nested: { accessKey: "k-1" }, max_tokens: 5, tokenizer: "bpe", cacheKey: "q" }),
    );
    expect(info.initParameters).toEqual({
      OPENAI_API_KEY: "<redacted>",
      session_cookie: "<redacted>",
      nested: { accessKey: "<redacted>" },
      max_tokens: 5,
      tokenizer: "bpe",
      cacheKey: "q",
    });
  });

  it("prefers the component's own toDict() init_parameters", () => {
    @component({ inputs: ["x"], outputs: ["x"] })
    class Custom {
      constructor(readonly options: { n: number }) {}
      toDict() {
        return { type: "Custom", init_parameters: { n: this.options.n * 2 } };
      }
      run({ x }: { x: unknown }) {
        return { x };
      }
    }
    expect(getComponentInfo(new Custom({ n: 2 })).initParameters).toEqual({ n: 4 });
  });
});

describe("component declarations", () => {
  it("resolves optional, defaulted and variadic sockets", () => {
    @component({
      inputs: { q: "str", k: { type: "int", default: 3 }, filters: { type: "dict", optional: true }, docs: { type: "Document", variadic: "lazy" } },
      outputs: ["out"],
    })
    class Sockets {
      run() {
        return { out: 1 };
      }
    }
    expect([...getComponentInfo(new Sockets()).inputs.values()]).toEqual([
      { name: "q", type: "str", mandatory: true, hasDefault: false },
      { name: "k", type: "int", mandatory: false, hasDefault: true, default: 3 },
      { name: "filters", type: "dict", mandatory: false, hasDefault: false },
      { name: "docs", type: "Document", mandatory: true, hasDefault: false, variadic: "lazy" },
    ]);
  });

  it("adds outputs created in the constructor with setOutputTypes", () => {
    @component({ inputs: ["x"] })
    class Router {
      constructor(options: { routes: string[] }) {
        setOutputTypes(this, Object.fromEntries(options.routes.map((r) => [r, "any"])));
      }
      run() {
        return {};
      }
    }
    expect([...getComponentInfo(new Router({ routes: ["a", "b"] })).outputs.keys()]).toEqual(["a", "b"]);
  });

  it("rejects classes without run() and bad socket declarations", () => {
    class NoRun {
      go() {}
    }
    // @ts-expect-error a component class must have run()
    expect(() => component()(NoRun)).toThrow(/NoRun must have a run\(\) method/);
    class HasRun {
      run() {
        return {};
      }
    }
    expect(() => component({ inputs: { a: { type: "int", variadic: "eager" as "lazy" } } })(HasRun)).toThrow(/variadic "eager"; use "lazy" or "greedy"/);
    expect(() => component({ outputs: { a: 3 as unknown as string } })(HasRun)).toThrow(/type 3; use a type tag string/);
    expect(() => component({ type: "" })(HasRun)).toThrow(ComponentError);
  });

  it("says how to fix a non-component", () => {
    expect(isComponent({})).toBe(false);
    expect(() => getComponentInfo(new Map())).toThrow(/got an instance of Map: decorate its class with @component/);
  });
});

describe("error family", () => {
  it("matches instanceof for errors branded by another copy of the package", () => {
    const foreign = Object.assign(new Error("x"), {});
    Object.defineProperty(foreign, Symbol.for("mlflow-haystack.haystack.error.v0"), { value: ["PipelineRuntimeError", "PipelineError", "HaystackError"] });
    expect(foreign).toBeInstanceOf(PipelineRuntimeError);
    expect(foreign).toBeInstanceOf(HaystackError);
    expect(foreign).not.toBeInstanceOf(ComponentError);
    const own = PipelineRuntimeError.fromComponentError("llm", "OpenAIGenerator", new Error("429"));
    expect(own).toBeInstanceOf(PipelineError);
    expect(own.name).toBe("PipelineRuntimeError");
    expect(own.message).toBe("The following component failed to run:\nComponent name: 'llm'\nComponent type: 'OpenAIGenerator'\nError: 429");
    const dotted = PipelineRuntimeError.fromComponentError("llm", "haystack.components.generators.openai.OpenAIGenerator", "429");
    expect(dotted.message).toBe("The following component failed to run:\nComponent name: 'llm'\nComponent type: 'OpenAIGenerator'\nError: 429");
  });
});
