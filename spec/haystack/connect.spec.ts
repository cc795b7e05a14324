import { component } from "../../lib/haystack/component";
import { PipelineConnectError, PipelineError, PipelineValidationError } from "../../lib/haystack/errors";
import { Pipeline } from "../../lib/haystack/pipeline";
import { AddValue, FakeGenerator, FakePromptBuilder, FakeRetriever } from "./test-components";

@component({ inputs: { text: "str", count: { type: "int", default: 1 } }, outputs: { text: "str", words: "str[]" } })
class TextTool {
  run({ text }: { text: string }) {
    return { text, words: text.split(" ") };
  }
}

@component({ inputs: { documents: "Document[]" }, outputs: { documents: "Document[]" } })
class DocList {
  run({ documents }: { documents: unknown[] }) {
    return { documents };
  }
}

@component({ inputs: { a: "str", b: "str" }, outputs: { out: "str" } })
class TwoStrings {
  run({ a, b }: { a: string; b: string }) {
    return { out: a + b };
  }
}

@component({ outputs: { out: "str" } })
class NoInputs {
  run() {
    return { out: "x" };
  }
}

describe("Pipeline.connect", () => {
  it("uses the name tie-break when several sockets are compatible (prompt over system_prompt)", () => {
    const pipe = new Pipeline().addComponent("prompt_builder", new FakePromptBuilder()).addComponent("llm", new FakeGenerator());
    pipe.connect("prompt_builder", "llm");
    expect(pipe.inputs()["llm"]).toEqual({ system_prompt: { type: "str|None", mandatory: false, default: null } });
  });

  it("accepts any type into an 'any' socket and connects the unique compatible pair", () => {
    const pipe = new Pipeline().addComponent("retriever", new FakeRetriever()).addComponent("pb", new FakePromptBuilder());
    pipe.connect("retriever", "pb.documents");
    expect(pipe.outputs()).toEqual({ pb: { prompt: { type: "str", mandatory: false } } });
  });

  it("returns the pipeline for chaining and ignores a repeated connection", () => {
    const pipe = new Pipeline().addComponent("a", new AddValue()).addComponent("b", new AddValue());
    expect(pipe.connect("a", "b").connect("a.value", "b.value")).toBe(pipe);
    expect(pipe.inputs()["b"]).toEqual({ add: { type: "int", mandatory: false, default: 1 } });
  });

  it("rejects unknown components and sockets, listing what exists", () => {
    const pipe = new Pipeline().addComponent("a", new TextTool()).addComponent("b", new TextTool());
    expect(() => pipe.connect("a", "c")).toThrow(/Component named 'c' not found.*'a', 'b'/);
    expect(() => pipe.connect("a.nope", "b")).toThrow(/'a' has no output socket 'nope'.*\n.*- text: str/);
    expect(() => pipe.connect("a.text", "b.nope")).toThrow(/'b' has no input socket 'nope'/);
    expect(() => pipe.connect("a", "a.text")).toThrow(/cannot be connected to itself/);
    expect(() => pipe.connect("a", "c")).toThrow(PipelineConnectError);
  });

  it("rejects incompatible types and says which types met", () => {
    const pipe = new Pipeline().addComponent("add", new AddValue()).addComponent("text", new TextTool());
    expect(() => pipe.connect("add.value", "text.text")).toThrow(/'add.value' is int but 'text.text' expects str/);
    expect(() => pipe.connect("add.value", "text.text")).toThrow(/connectionTypeValidation: false/);
    const loose = new Pipeline({ connectionTypeValidation: false }).addComponent("add", new AddValue()).addComponent("text", new TextTool());
    expect(() => loose.connect("add.value", "text.text")).not.toThrow();
  });

  it("rejects an ambiguous connection and suggests a named one", () => {
    const pipe = new Pipeline().addComponent("t", new TextTool()).addComponent("two", new TwoStrings());
    expect(() => pipe.connect("t", "two")).toThrow(/more than one connection is possible.*connect\("t.text", "two.a"\)/);
  });

  it("needs outputs on the sender and inputs on the receiver", () => {
    const pipe = new Pipeline().addComponent("src", new NoInputs()).addComponent("t", new TextTool());
    expect(() => pipe.connect("t", "src")).toThrow(/'src' \(NoInputs\) has no input sockets/);
  });

  it("makes a list socket collect lists from several senders (auto-variadic)", async () => {
    const pipe = new Pipeline();
    pipe.addComponent("r1", new DocList()).addComponent("r2", new DocList()).addComponent("join", new DocList());
    pipe.connect("r1", "join").connect("r2", "join");
    const out = await pipe.run({ r1: { documents: ["a"] }, r2: { documents: ["b", "c"] } });
    expect(out).toEqual({ join: { documents: ["a", "b", "c"] } });
  });

  it("refuses a second sender into a non-list socket", () => {
    const pipe = new Pipeline().addComponent("a", new TextTool()).addComponent("b", new TextTool()).addComponent("c", new TextTool());
    pipe.connect("a.text", "c.text");
    expect(() => pipe.connect("b.text", "c.text")).toThrow(/already receives from 'a'.*cannot accept multiple inputs/);
  });

  it("wraps a single value into a list socket when no strict match exists", async () => {
    @component({ inputs: { words: "str[]" }, outputs: { n: "int" } })
    class Count {
      run({ words }: { words: string[] }) {
        return { n: words.length };
      }
    }
    const pipe = new Pipeline().addComponent("t", new TextTool()).addComponent("count", new Count());
    pipe.connect("t.text", "count.words");
    expect(await pipe.run({ t: { text: "one two" } })).toEqual({ t: { words: ["one", "two"] }, count: { n: 1 } });
  });

  it("validates component names, instances and ownership in addComponent", () => {
    const pipe = new Pipeline();
    const add = new AddValue();
    expect(() => pipe.addComponent("a.b", new AddValue())).toThrow(/without '\.'/);
    expect(() => pipe.addComponent("x", {})).toThrow(PipelineValidationError);
    pipe.addComponent("a", add);
    expect(() => pipe.addComponent("a", new AddValue())).toThrow(/already exists/);
    expect(() => new Pipeline().addComponent("a", add)).toThrow(/already belongs to another pipeline/);
    expect(pipe.removeComponent("a")).toBe(add);
    expect(() => new Pipeline().addComponent("a", add)).not.toThrow();
    expect(() => new Pipeline({ maxRunsPerComponent: 0 })).toThrow(PipelineError);
  });

  it("unwraps a one-item list of str into a str socket but refuses other list-to-item connections, as Haystack 3.4 does", async () => {
    @component({ inputs: { n: "int" }, outputs: { numbers: "list[int]", words: "list[str]" } })
    class Lists {
      run({ n }: { n: number }) {
        return { numbers: [n], words: [String(n)] };
      }
    }
    @component({ inputs: { n: "int" }, outputs: { n: "int" } })
    class OneInt {
      run({ n }: { n: number }) {
        return { n };
      }
    }
    const refused = new Pipeline().addComponent("lists", new Lists()).addComponent("one", new OneInt());
    expect(() => refused.connect("lists.numbers", "one.n")).toThrow(PipelineConnectError);
    expect(() => refused.connect("lists.numbers", "one.n")).toThrow(/'lists.numbers' is list\[int\] but 'one.n' expects int/);
    const pipe = new Pipeline().addComponent("lists", new Lists()).addComponent("text", new TextTool());
    pipe.connect("lists.words", "text.text");
    expect(await pipe.run({ lists: { n: 7 } })).toEqual({ lists: { numbers: [7] }, text: { text: "7", words: ["7"] } });
  });
});
