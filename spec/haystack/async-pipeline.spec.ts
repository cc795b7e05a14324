import { component } from "../../lib/haystack/component";
import { PipelineRuntimeError } from "../../lib/haystack/errors";
import { AsyncPipeline, Pipeline } from "../../lib/haystack/pipeline";
import { AddValue, Fail, FakeGenerator, FakePromptBuilder, FakeRetriever, log, Sleep, Sum } from "./test-components";

function fanIn(PipelineClass: typeof Pipeline): Pipeline {
  const pipe = new PipelineClass();
  pipe.addComponent("a", new Sleep({ ms: 40, name: "a" })).addComponent("b", new Sleep({ ms: 40, name: "b" }));
  pipe.addComponent("sum", new Sum());
  return pipe.connect("a", "sum.values").connect("b", "sum.values");
}

function overlapped(): boolean {
  const [x, y] = Sleep.timeline;
  return x !== undefined && y !== undefined && x.start < y.end && y.start < x.end;
}

beforeEach(() => {
  Sleep.timeline = [];
  log.length = 0;
});

describe("Pipeline.runAsync / AsyncPipeline", () => {
  it("runs two independent slow components at the same time", async () => {
    expect(await fanIn(AsyncPipeline).run({ a: { value: 1 }, b: { value: 2 } })).toEqual({ sum: { total: 3 } });
    expect(Sleep.timeline.map((t) => t.name).sort()).toEqual(["a", "b"]);
    expect(overlapped()).toBe(true);
  });

  it("runs them one after the other with run() or concurrencyLimit 1", async () => {
    await fanIn(Pipeline).run({ a: { value: 1 }, b: { value: 2 } });
    expect(overlapped()).toBe(false);
    Sleep.timeline = [];
    await fanIn(Pipeline).runAsync({ a: { value: 1 }, b: { value: 2 } }, { concurrencyLimit: 1 });
    expect(overlapped()).toBe(false);
  });

  it("prefers runAsync when a component has one", async () => {
    @component({ inputs: ["x"], outputs: ["via"] })
    class Both {
      run() {
        return { via: "run" };
      }
      async runAsync() {
        return { via: "runAsync" };
      }
    }
    const pipe = new Pipeline().addComponent("both", new Both());
    expect(await pipe.runAsync({ x: 1 })).toEqual({ both: { via: "runAsync" } });
    expect(await pipe.run({ x: 1 })).toEqual({ both: { via: "run" } });
  });

  it("produces the same outputs and order as run() for a chain", async () => {
    const build = (): Pipeline => {
      const pipe = new Pipeline();
      pipe.addComponent("retriever", new FakeRetriever()).addComponent("prompt_builder", new FakePromptBuilder()).addComponent("llm", new FakeGenerator());
      return pipe.connect("retriever", "prompt_builder.documents").connect("prompt_builder", "llm");
    };
    const sync = await build().run({ query: "q", question: "Q" }, { includeOutputsFrom: ["retriever"] });
    const syncOrder = [...log];
    log.length = 0;
    expect(await build().runAsync({ query: "q", question: "Q" }, { includeOutputsFrom: ["retriever"] })).toEqual(sync);
    expect(log).toEqual(syncOrder);
  });

  it("waits for running components, then throws the first failure", async () => {
    const pipe = new Pipeline().addComponent("slow", new Sleep({ ms: 20, name: "slow" })).addComponent("broken", new Fail());
    pipe.addComponent("after", new AddValue()).connect("slow", "after");
    const error = await pipe.runAsync({ slow: { value: 1 }, broken: { text: "x" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipelineRuntimeError);
    expect((error as PipelineRuntimeError).componentName).toBe("broken");
    expect(Sleep.timeline.map((t) => t.name)).toEqual(["slow"]);
    expect(log).not.toContain("add");
  });

  it("rejects a bad concurrencyLimit", async () => {
    await expect(fanIn(Pipeline).runAsync({ a: { value: 1 }, b: { value: 2 } }, { concurrencyLimit: 0 })).rejects.toThrow(/concurrencyLimit/);
  });
});
