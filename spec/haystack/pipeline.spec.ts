import { component } from "../../lib/haystack/component";
import {
  PipelineComponentsBlockedError,
  PipelineError,
  PipelineMaxComponentRunsError,
  PipelineRuntimeError,
  PipelineValidationError,
} from "../../lib/haystack/errors";
import { Pipeline } from "../../lib/haystack/pipeline";
import { AddValue, Fail, FakeGenerator, FakePromptBuilder, FakeRetriever, FirstValue, log, Sum, Threshold } from "./test-components";

function rag(): Pipeline {
  const pipe = new Pipeline({ metadata: { name: "rag" } });
  pipe.addComponent("llm", new FakeGenerator());
  pipe.addComponent("prompt_builder", new FakePromptBuilder());
  pipe.addComponent("retriever", new FakeRetriever());
  return pipe.connect("retriever", "prompt_builder.documents").connect("prompt_builder", "llm");
}

function loop(maxRunsPerComponent: number): Pipeline {
  const pipe = new Pipeline({ maxRunsPerComponent });
  pipe
    .addComponent("merge", new FirstValue())
    .addComponent("add", new AddValue())
    .addComponent("threshold", new Threshold({ limit: 5 }));
  return pipe.connect("merge", "add.value").connect("add", "threshold").connect("threshold.small", "merge.value");
}

beforeEach(() => {
  log.length = 0;
});

describe("Pipeline.run", () => {
  it("runs the RAG chain in order and returns only the leaf outputs", async () => {
    const result = await rag().run({ retriever: { query: "q" }, prompt_builder: { question: "Q" } });
    expect(log).toEqual(["retriever", "prompt_builder", "llm"]);
    expect(result).toEqual({ llm: { replies: ["reply to Q: q#1,q#2"], meta: [{ model: "fake" }] } });
  });

  it("accepts flat input and sends each value to every open socket of that name", async () => {
    expect(await rag().run({ query: "q", question: "Q" })).toEqual(await rag().run({ retriever: { query: "q" }, prompt_builder: { question: "Q" } }));
    const pipe = new Pipeline().addComponent("x", new AddValue({ label: "x" })).addComponent("y", new AddValue({ label: "y" }));
    expect(await pipe.run({ value: 1 })).toEqual({ x: { value: 2 }, y: { value: 2 } });
  });

  it("treats flat input whose values are objects as flat when no key names a component", async () => {
    @component({ inputs: { config: "dict" }, outputs: { keys: "str[]" } })
    class Keys {
      run({ config }: { config: Record<string, unknown> }) {
        return { keys: Object.keys(config) };
      }
    }
    const pipe = new Pipeline().addComponent("keys", new Keys());
    expect(await pipe.run({ config: { a: 1, b: 2 } })).toEqual({ keys: { keys: ["a", "b"] } });
  });

  it("fills missing optional inputs with their defaults", async () => {
    const pipe = new Pipeline().addComponent("add", new AddValue());
    expect(await pipe.run({ add: { value: 1 } })).toEqual({ add: { value: 2 } });
    expect(await pipe.run({ add: { value: 1, add: 10 } })).toEqual({ add: { value: 11 } });
  });

  it("adds every output of includeOutputsFrom components, consumed or not", async () => {
    const result = await rag().run({ query: "q", question: "Q" }, { includeOutputsFrom: ["retriever"] });
    expect(result["retriever"]).toEqual({ documents: ["q#1", "q#2"] });
    expect(Object.keys(result).sort()).toEqual(["llm", "retriever"]);
  });

  it("runs only the branch whose output key was returned", async () => {
    const pipe = new Pipeline();
    pipe.addComponent("threshold", new Threshold({ limit: 10 }));
    pipe.addComponent("small_branch", new AddValue({ label: "small" })).addComponent("big_branch", new AddValue({ label: "big" }));
    pipe.connect("threshold.small", "small_branch.value").connect("threshold.big", "big_branch.value");
    expect(await pipe.run({ threshold: { value: 42 } })).toEqual({ big_branch: { value: 43 } });
    expect(log).toEqual(["threshold", "big"]);
  });

  it("waits for every sender of a lazy variadic socket before running it", async () => {
    const pipe = new Pipeline();
    pipe.addComponent("a1", new AddValue({ label: "a1" })).addComponent("a2", new AddValue({ label: "a2" }));
    pipe.addComponent("a3", new AddValue({ label: "a3" })).addComponent("sum", new Sum());
    pipe.connect("a1", "sum.values").connect("a2", "a3").connect("a3", "sum.values");
    expect(await pipe.run({ a1: { value: 1 }, a2: { value: 10 } })).toEqual({ sum: { total: 2 + 12 } });
    expect(log).toEqual(["a1", "a2", "a3", "sum"]);
  });

  it("runs a loop until it exits", async () => {
    expect(await loop(100).run({ merge: { value: 0 } })).toEqual({ threshold: { big: 5 } });
    expect(log.filter((l) => l === "add")).toHaveLength(5);
    expect(log.slice(0, 4)).toEqual(["first", "add", "threshold", "first"]);
  });

  it("stops a loop at maxRunsPerComponent visits", async () => {
    const error = await loop(3)
      .run({ merge: { value: 0 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipelineMaxComponentRunsError);
    expect((error as PipelineMaxComponentRunsError).component).toBe("merge");
    expect(log.filter((l) => l === "first")).toHaveLength(3);
  });

  it("surfaces a throwing component as PipelineRuntimeError naming it, with the original error as cause", async () => {
    const pipe = new Pipeline().addComponent("broken", new Fail());
    const error = (await pipe.run({ broken: { text: "x" } }).catch((e: unknown) => e)) as PipelineRuntimeError;
    expect(error).toBeInstanceOf(PipelineRuntimeError);
    expect(error).toBeInstanceOf(PipelineError);
    expect(error.componentName).toBe("broken");
    expect(error.componentType).toBe("spec.Fail");
    expect(error.cause).toBeInstanceOf(RangeError);
    expect(error.message).toContain("'broken'");
    expect(error.message).toContain("boom");
  });

  it("rejects a component that returns something other than an object", async () => {
    @component({ inputs: ["x"], outputs: ["y"] })
    class ReturnsNumber {
      run() {
        return 3 as unknown as { y: number };
      }
    }
    const pipe = new Pipeline().addComponent("n", new ReturnsNumber());
    await expect(pipe.run({ n: { x: 1 } })).rejects.toThrow(
      "The following component returned an invalid output:\nComponent name: 'n'\nComponent type: 'ReturnsNumber'\n" +
        "Expected a dictionary, but got int instead.\nCheck the component's output and ensure it is a valid dictionary.",
    );
  });

  it("validates the data before running anything", async () => {
    const pipe = rag();
    await expect(pipe.run({ nope: { query: "q" } })).rejects.toThrow(PipelineValidationError);
    await expect(pipe.run({ retriever: { query: "q", topk: 3 } })).rejects.toThrow(/Input 'topk' not found in component 'retriever'/);
    await expect(pipe.run({ retriever: { top_k: 3 } })).rejects.toThrow(/Missing mandatory input 'query' for component 'retriever'/);
    await expect(pipe.run({ retriever: { query: "q" }, llm: { prompt: "p" } })).rejects.toThrow(
      /cannot accept multiple inputs to 'prompt'. It is already connected to component 'prompt_builder'/,
    );
    await expect(pipe.run({ query: "q", questionn: "Q" })).rejects.toThrow(/'questionn' matches no open input socket/);
    await expect(pipe.run({ query: "q" }, { includeOutputsFrom: ["retriver"] })).rejects.toThrow(/'retriver'/);
    expect(log).toEqual([]);
  });

  it("refuses to start when every component waits on another", async () => {
    const pipe = new Pipeline().addComponent("a", new AddValue()).addComponent("b", new AddValue());
    pipe.connect("a", "b").connect("b", "a");
    await expect(pipe.run({})).rejects.toThrow(PipelineComponentsBlockedError);
  });

  it("calls warmUp before every run", async () => {
    let warmed = 0;
    @component({ inputs: ["x"], outputs: ["x"] })
    class Warm {
      async warmUp() {
        warmed++;
      }
      run({ x }: { x: unknown }) {
        return { x };
      }
    }
    const pipe = new Pipeline().addComponent("w", new Warm());
    await pipe.run({ x: 1 });
    await pipe.run({ x: 2 });
    expect(warmed).toBe(2);
  });

  it("warms up in the order components were added and lets a warmUp error through unchanged, before checking the data", async () => {
    const warmed: string[] = [];
    const failure = new RangeError("model missing");
    @component({ inputs: ["x"], outputs: ["x"] })
    class Warm {
      constructor(
        private readonly label: string,
        private readonly fails = false,
      ) {}
      warmUp() {
        warmed.push(this.label);
        if (this.fails) throw failure;
      }
      run({ x }: { x: unknown }) {
        return { x };
      }
    }
    const ok = new Pipeline().addComponent("zeta", new Warm("zeta")).addComponent("alpha", new Warm("alpha"));
    await ok.run({ zeta: { x: 1 }, alpha: { x: 2 } });
    expect(warmed).toEqual(["zeta", "alpha"]);

    warmed.length = 0;
    const failing = new Pipeline().addComponent("w", new Warm("w", true));
    const error = await failing.run({ w: { nope: 1 } }).catch((e: unknown) => e);
    expect(error).toBe(failure);
    expect(warmed).toEqual(["w"]);
  });

  it("deep-copies input data so components cannot change the caller's objects", async () => {
    @component({ inputs: ["items"], outputs: ["items"] })
    class Mutate {
      run({ items }: { items: number[] }) {
        items.push(99);
        return { items };
      }
    }
    const items = [1];
    const pipe = new Pipeline().addComponent("m", new Mutate());
    expect(await pipe.run({ items })).toEqual({ m: { items: [1, 99] } });
    expect(items).toEqual([1]);
  });

  it("supports overlapping runs of the same pipeline", async () => {
    const pipe = rag();
    const [a, b] = await Promise.all([pipe.run({ query: "a", question: "A" }), pipe.run({ query: "b", question: "B" })]);
    expect(a["llm"]!["replies"]).toEqual(["reply to A: a#1,a#2"]);
    expect(b["llm"]!["replies"]).toEqual(["reply to B: b#1,b#2"]);
  });
});
