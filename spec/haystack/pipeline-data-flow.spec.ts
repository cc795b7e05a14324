/**
 * How values travel between components, as in Haystack 3.4.1: every visit gets its own deep copy
 * of plain data, a user value into a connected list socket is merged with the senders' values,
 * and outputs a component did not declare still reach the result.
 */
import { runInNewContext } from "node:vm";
import { component } from "../../lib/haystack/component";
import { Document } from "../../lib/haystack/document";
import { PipelineValidationError } from "../../lib/haystack/errors";
import { Pipeline } from "../../lib/haystack/pipeline";
import { resetDiagnosticsCounts, setDiagnosticsLogger } from "../../lib/internal/diagnostics";

@component({ inputs: { items: "list[str]" }, outputs: { items: "list[str]" }, type: "spec.Source" })
class Source {
  run({ items }: { items: string[] }): { items: string[] } {
    return { items };
  }
}

@component({ inputs: { items: "list[str]" }, outputs: { seen: "list[str]" }, type: "spec.Appender" })
class Appender {
  constructor(readonly tag: string) {}
  run({ items }: { items: string[] }): { seen: string[] } {
    items.push(this.tag);
    return { seen: [...items] };
  }
}

@component({
  inputs: { items: "list[str]", extra: { type: "list[str]", default: [] } },
  outputs: { items: "list[str]", done: "list[str]" },
  type: "spec.LoopAppender",
})
class LoopAppender {
  readonly visits: string[][] = [];
  run({ items, extra }: { items: string[]; extra: string[] }): { items?: string[]; done?: string[] } {
    extra.push(`x${this.visits.length}`);
    this.visits.push([...extra]);
    const next = [...items, "a"];
    return next.length < 3 ? { items: next } : { done: next };
  }
}

@component({ inputs: { items: { type: "list[str]", variadic: "greedy" } }, outputs: { items: "list[str]" }, type: "spec.JoinFirst" })
class JoinFirst {
  run({ items }: { items: string[][] }): { items: string[] } {
    return { items: items[0]! };
  }
}

@component({ inputs: { docs: "list[Document]" }, outputs: { docs: "list[Document]" }, type: "spec.DocPass" })
class DocPass {
  run({ docs }: { docs: Document[] }): { docs: Document[] } {
    return { docs };
  }
}

describe("Pipeline data isolation (Haystack 3.4.1 deep-copies inputs per visit)", () => {
  it("gives each receiver of one sender its own copy, and the sender's reported output stays unchanged", async () => {
    const pipe = new Pipeline()
      .addComponent("source", new Source())
      .addComponent("first", new Appender("first"))
      .addComponent("second", new Appender("second"));
    pipe.connect("source", "first").connect("source", "second");
    const out = await pipe.run({ source: { items: ["s"] } }, { includeOutputsFrom: ["source"] });
    expect(out).toEqual({ source: { items: ["s"] }, first: { seen: ["s", "first"] }, second: { seen: ["s", "second"] } });
  });

  it("hands a loop the user's value afresh on every visit, so mutations do not accumulate", async () => {
    const looper = new LoopAppender();
    const pipe = new Pipeline().addComponent("join", new JoinFirst()).addComponent("loop", looper);
    pipe.connect("join.items", "loop.items").connect("loop.items", "join.items");
    const extra = ["u"];
    const out = await pipe.run({ join: { items: [] }, loop: { extra } });
    expect(out).toEqual({ loop: { done: ["a", "a", "a"] } });
    expect(looper.visits).toEqual([
      ["u", "x0"],
      ["u", "x1"],
      ["u", "x2"],
    ]);
    expect(extra).toEqual(["u"]);
  });

  it("copies Documents per visit, as Haystack deep-copies them: equal content, not the same object", async () => {
    const doc = new Document({ content: "c" });
    let received: Document | undefined;
    @component({ inputs: { docs: "list[Document]" }, outputs: {}, type: "spec.DocSink" })
    class DocSink {
      run({ docs }: { docs: Document[] }): Record<string, never> {
        received = docs[0];
        return {};
      }
    }
    const pipe = new Pipeline().addComponent("pass", new DocPass()).addComponent("sink", new DocSink());
    pipe.connect("pass", "sink");
    await pipe.run({ pass: { docs: [doc] } });
    expect(received).not.toBe(doc);
    expect(received?.equals(doc)).toBe(true);
  });
});

describe("Pipeline user input into a connected list socket", () => {
  it("merges the user's list with the senders' lists, the user's items first", async () => {
    let got: string[] = [];
    @component({ inputs: { items: "list[str]" }, outputs: { count: "int" }, type: "spec.Collect" })
    class Collect {
      run({ items }: { items: string[] }): { count: number } {
        got = items;
        return { count: items.length };
      }
    }
    const pipe = new Pipeline().addComponent("a", new Source()).addComponent("b", new Source()).addComponent("collect", new Collect());
    pipe.connect("a", "collect").connect("b", "collect");
    expect(await pipe.run({ a: { items: ["a"] }, b: { items: ["b"] }, collect: { items: ["user"] } })).toEqual({ collect: { count: 3 } });
    expect(got).toEqual(["user", "a", "b"]);

    const single = new Pipeline().addComponent("a", new Source()).addComponent("collect", new Collect());
    single.connect("a", "collect");
    await single.run({ a: { items: ["a1", "a2"] }, collect: { items: ["user"] } });
    expect(got).toEqual(["user", "a1", "a2"]);
  });

  it("still refuses user input into a connected socket that is not a list, naming the sender", async () => {
    @component({ inputs: { text: "str" }, outputs: { text: "str" }, type: "spec.Text" })
    class Text {
      run({ text }: { text: string }): { text: string } {
        return { text };
      }
    }
    const pipe = new Pipeline().addComponent("a", new Text()).addComponent("b", new Text());
    pipe.connect("a", "b");
    const run = pipe.run({ a: { text: "x" }, b: { text: "y" } });
    await expect(run).rejects.toThrow(PipelineValidationError);
    await expect(run).rejects.toThrow(/'b' cannot accept multiple inputs to 'text'.*connected to component 'a'/);
  });
});

describe("Pipeline outputs a component did not declare", () => {
  afterEach(() => {
    setDiagnosticsLogger(undefined);
    resetDiagnosticsCounts();
  });

  it("returns them in the result and warns once", async () => {
    const warnings: string[] = [];
    setDiagnosticsLogger((level, message) => {
      if (level === "warn") warnings.push(message);
    });
    @component({ inputs: { x: "int" }, outputs: { y: "int" }, type: "spec.Extra" })
    class Extra {
      run({ x }: { x: number }): Record<string, number> {
        return { y: x, extra: x + 1 };
      }
    }
    const pipe = new Pipeline().addComponent("e", new Extra());
    expect(await pipe.run({ e: { x: 1 } })).toEqual({ e: { y: 1, extra: 2 } });
    expect(await pipe.run({ e: { x: 2 } })).toEqual({ e: { y: 2, extra: 3 } });
    expect(warnings.filter((w) => w.includes("'extra'"))).toHaveLength(1);
  });

  it("reports an includeOutputsFrom component even when it returned nothing", async () => {
    @component({ inputs: { x: "int" }, outputs: { y: "int" }, type: "spec.Nothing" })
    class Nothing {
      run(): Record<string, never> {
        return {};
      }
    }
    const pipe = new Pipeline().addComponent("n", new Nothing());
    expect(await pipe.run({ n: { x: 1 } }, { includeOutputsFrom: ["n"] })).toEqual({ n: {} });
    expect(await pipe.run({ n: { x: 1 } })).toEqual({});
  });
});

describe("Pipeline run data from another realm (vm contexts, structuredClone under test runners)", () => {
  it("is accepted as plain data and still copied per visit", async () => {
    const foreign = runInNewContext("({ m: { items: ['a'] } })") as Record<string, unknown>;
    const pipe = new Pipeline().addComponent("m", new Appender("x"));
    expect(await pipe.run(foreign)).toEqual({ m: { seen: ["a", "x"] } });
    expect(await pipe.run(foreign)).toEqual({ m: { seen: ["a", "x"] } });
  });
});

describe("What the per-visit copy copies", () => {
  it("copies cycles, Dates, Maps, null-prototype objects and Documents, and shares other class instances", async () => {
    const doc = new Document({ content: "d" });
    const data: Record<string, unknown> = { when: new Date(0), tags: new Map([["a", 1]]), bare: Object.assign(Object.create(null) as object, { k: [1] }), doc };
    data["self"] = data;
    let got: Record<string, unknown> = {};
    @component({ inputs: { data: "dict" }, outputs: { ok: "bool" }, type: "spec.Inspect" })
    class Inspect {
      run({ data: received }: { data: Record<string, unknown> }) {
        got = received;
        (received["when"] as Date).setTime(5);
        (received["tags"] as Map<string, number>).set("b", 2);
        (received["bare"] as { k: number[] }).k.push(2);
        return { ok: true };
      }
    }
    await new Pipeline().addComponent("inspect", new Inspect()).run({ inspect: { data } });
    expect(got["self"]).toBe(got);
    expect(got).not.toBe(data);
    expect(got["doc"]).not.toBe(doc);
    expect(got["doc"]).toBeInstanceOf(Document);
    expect((got["doc"] as Document).equals(doc)).toBe(true);
    expect(Object.getPrototypeOf(got["bare"])).toBeNull();
    expect((data["when"] as Date).getTime()).toBe(0);
    expect([...(data["tags"] as Map<string, number>).keys()]).toEqual(["a"]);
    expect((data["bare"] as { k: number[] }).k).toEqual([1]);
  });
});
