// Compiled twice by jest: with TC39 standard decorators (project "unit") and with
// experimentalDecorators (project "legacy-decorators").
import { getLastActiveTrace, SpanType, startSpan, traced } from "../../lib/index";

class Retriever {
  constructor(private readonly prefix: string) {}

  @traced({ spanType: SpanType.RETRIEVER })
  async search(query: string, topK = 2): Promise<string[]> {
    await new Promise((r) => setTimeout(r, 1));
    return Array.from({ length: topK }, (_, i) => `${this.prefix}${query}${i}`);
  }

  @traced()
  add(a: number, b: number): number {
    return a + b;
  }

  @traced
  bare({ x, y }: { x: number; y: number }): number {
    return x * y;
  }

  @traced({ name: "stream_words" })
  *words(text: string): Generator<string> {
    for (const w of text.split(" ")) yield w;
  }

  @traced({ outputReducer: (chunks: string[]) => chunks.join("") })
  async *tokens(n: number): AsyncGenerator<string> {
    for (let i = 0; i < n; i++) {
      await new Promise((r) => setImmediate(r));
      yield `t${i}`;
    }
  }

  @traced()
  static version(): string {
    return "1";
  }
}

describe("@traced on methods", () => {
  it("traces an async method with named inputs, its outputs and the right this", async () => {
    const r = new Retriever("doc-");
    await expect(r.search("q")).resolves.toEqual(["doc-q0", "doc-q1"]);
    const span = getLastActiveTrace()!.data.spans[0]!;
    expect(span).toMatchObject({ name: "search", spanType: "RETRIEVER", inputs: { query: "q" }, outputs: ["doc-q0", "doc-q1"] });
    expect(span.attributes["mlflow.spanFunctionName"]).toBe("search");
  });

  it("traces sync and static methods and keeps name and length", () => {
    const r = new Retriever("");
    expect(r.add(2, 3)).toBe(5);
    expect(getLastActiveTrace()!.data.spans[0]).toMatchObject({ name: "add", inputs: { a: 2, b: 3 }, outputs: 5 });
    expect(r.add.name).toBe("add");
    expect(r.add.length).toBe(2);
    expect(Retriever.version()).toBe("1");
    expect(getLastActiveTrace()!.data.spans[0]!.name).toBe("version");
  });

  it("works bare (@traced) and uses a destructured object argument as the inputs", () => {
    expect(new Retriever("").bare({ x: 3, y: 4 })).toBe(12);
    expect(getLastActiveTrace()!.data.spans[0]).toMatchObject({ name: "bare", inputs: { x: 3, y: 4 }, outputs: 12 });
  });

  it("keeps a generator's span open until the stream ends and records chunk events", () => {
    const words = [...new Retriever("").words("a b c")];
    expect(words).toEqual(["a", "b", "c"]);
    const span = getLastActiveTrace()!.data.spans[0]!;
    expect(span.name).toBe("stream_words");
    expect(span.outputs).toEqual(["a", "b", "c"]);
    expect(span.events.map((e) => e.name)).toEqual(["mlflow.chunk.item.0", "mlflow.chunk.item.1", "mlflow.chunk.item.2"]);
    expect(span.events[1]!.attributes["mlflow.chunk.value"]).toBe('"b"');
  });

  it("reduces async generator chunks with outputReducer and nests spans made while streaming", async () => {
    const r = new Retriever("");
    await startSpan({ name: "consumer" }, async () => {
      const out: string[] = [];
      for await (const t of r.tokens(3)) out.push(t);
      expect(out).toEqual(["t0", "t1", "t2"]);
    });
    const spans = getLastActiveTrace()!.data.spans;
    expect(spans.map((s) => s.name)).toEqual(["consumer", "tokens"]);
    expect(spans[1]!.outputs).toBe("t0t1t2");
    expect(spans[1]!.parentId).toBe(spans[0]!.spanId);
  });

  it("ends the span when the consumer breaks out of the stream", async () => {
    for await (const t of new Retriever("").tokens(10)) {
      if (t === "t1") break;
    }
    const span = getLastActiveTrace()!.data.spans[0]!;
    expect(span.name).toBe("tokens");
    expect(span.status.code).toBe("OK");
    expect(span.events).toHaveLength(2);
  });
});
