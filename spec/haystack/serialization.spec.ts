import { component } from "../../lib/haystack/component";
import { SerializationError } from "../../lib/haystack/errors";
import { AsyncPipeline, Pipeline } from "../../lib/haystack/pipeline";
import { componentFromDict, componentToDict } from "../../lib/haystack/serialization";
import { AddValue, FakeGenerator, FakePromptBuilder, FakeRetriever } from "./test-components";

@component({ inputs: ["x"], outputs: ["x"], type: "spec.OwnDict" })
class OwnDict {
  constructor(readonly options: { level?: number } = {}) {}
  toDict() {
    return { type: "spec.OwnDict", init_parameters: { level: (this.options.level ?? 0) * 10 } };
  }
  static fromDict(dict: { init_parameters: { level: number } }) {
    return new OwnDict({ level: dict.init_parameters.level / 10 });
  }
  run({ x }: { x: unknown }) {
    return { x };
  }
}

function rag(): Pipeline {
  const pipe = new Pipeline({ metadata: { name: "rag" }, maxRunsPerComponent: 5 });
  pipe.addComponent("retriever", new FakeRetriever()).addComponent("prompt_builder", new FakePromptBuilder()).addComponent("llm", new FakeGenerator());
  return pipe.connect("retriever", "prompt_builder.documents").connect("prompt_builder", "llm");
}

describe("pipeline serialization", () => {
  it("writes Haystack's dictionary shape", () => {
    expect(rag().toDict()).toEqual({
      metadata: { name: "rag" },
      max_runs_per_component: 5,
      components: {
        retriever: { type: "spec.FakeRetriever", init_parameters: {} },
        prompt_builder: { type: "spec.FakePromptBuilder", init_parameters: {} },
        llm: { type: "spec.FakeGenerator", init_parameters: {} },
      },
      connections: [
        { sender: "retriever.documents", receiver: "prompt_builder.documents" },
        { sender: "prompt_builder.prompt", receiver: "llm.prompt" },
      ],
      connection_type_validation: true,
    });
  });

  it("round-trips through JSON and still runs the same way", async () => {
    const copy = Pipeline.fromDict(JSON.parse(JSON.stringify(rag().toDict())));
    expect(copy.toDict()).toEqual(rag().toDict());
    expect(await copy.run({ query: "q", question: "Q" })).toEqual(await rag().run({ query: "q", question: "Q" }));
    expect(AsyncPipeline.fromDict(rag().toDict())).toBeInstanceOf(AsyncPipeline);
  });

  it("passes captured init parameters back to the constructor", () => {
    const add = componentFromDict(componentToDict(new AddValue({ label: "x" }))) as AddValue;
    expect(add).toBeInstanceOf(AddValue);
    expect(add.options).toEqual({ label: "x" });
  });

  it("uses a component's own toDict and static fromDict", () => {
    expect(componentToDict(new OwnDict({ level: 2 }))).toEqual({ type: "spec.OwnDict", init_parameters: { level: 20 } });
    expect((componentFromDict({ type: "spec.OwnDict", init_parameters: { level: 30 } }) as OwnDict).options).toEqual({ level: 3 });
  });

  it("reuses instances passed by name", () => {
    const llm = new FakeGenerator();
    const copy = Pipeline.fromDict(rag().toDict(), { components: { llm } });
    expect(copy.getComponent("llm")).toBe(llm);
  });

  it("explains unknown types and malformed dictionaries", () => {
    expect(() => Pipeline.fromDict({ components: { x: { type: "nope.Missing" } } })).toThrow(/type 'nope.Missing', which no @component class registered/);
    expect(() => Pipeline.fromDict({ components: { x: { type: "nope.Missing" } } })).toThrow(SerializationError);
    expect(() => Pipeline.fromDict({ components: [] })).toThrow(/'components' must be an object/);
    expect(() => Pipeline.fromDict({ components: {}, connections: [{ sender: "a" }] })).toThrow(/'connections' must be a list/);
    const data = rag().toDict();
    data.connections.push({ sender: "llm.replies", receiver: "retriever.nope" });
    expect(() => Pipeline.fromDict(data)).toThrow(/Cannot restore connection 'llm.replies' -> 'retriever.nope'/);
  });
});

describe("Pipeline.draw", () => {
  it("renders Mermaid text with components, edges and open inputs/outputs", () => {
    const text = rag().draw();
    expect(text.startsWith("%%{ init: {'theme': 'neutral'} }%%\n\ngraph TD;\n")).toBe(true);
    expect(text).toContain(`-- "documents -> documents<br><small><i>Document[]</i></small>" -->`);
    expect(text).toContain(
      `i{&ast;}--"query<br><small><i>str</i></small>"--> retriever["<b>retriever</b><br><small><i>FakeRetriever<br><br>Optional inputs:<ul style='text-align:left;'><li>top_k (int)</li></ul></i></small>"]:::component`,
    );
    expect(text).toContain(`--"replies<br><small><i>str[]</i></small>"--> o{&ast;}`);
    expect(text.trimEnd().endsWith("classDef component text-align:center;")).toBe(true);
  });

  it("draws optional connections dotted", () => {
    const pipe = new Pipeline().addComponent("a", new AddValue()).addComponent("b", new AddValue());
    pipe.connect("a.value", "b.add");
    expect(pipe.draw()).toContain(`-. "value -> add (opt.)<br><small><i>int</i></small>" .->`);
  });
});
