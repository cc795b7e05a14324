import { getComponentInfo } from "../../../lib/haystack/component";
import { InMemoryBM25Retriever } from "../../../lib/haystack/components/in-memory-bm25-retriever";
import { Document } from "../../../lib/haystack/document";
import { InMemoryDocumentStore } from "../../../lib/haystack/document-store/in-memory-document-store";

function store(): InMemoryDocumentStore {
  const s = new InMemoryDocumentStore();
  s.writeDocuments([
    new Document({ id: "jean", content: "My name is Jean and I live in Paris.", meta: { lang: "en", year: 2020 } }),
    new Document({ id: "mark", content: "My name is Mark and I live in Berlin.", meta: { lang: "en", year: 2022 } }),
    new Document({ id: "giorgio", content: "My name is Giorgio and I live in Rome.", meta: { lang: "it", year: 2024 } }),
  ]);
  return s;
}

const ids = (docs: Document[]) => docs.map((d) => d.id);

describe("InMemoryBM25Retriever", () => {
  it("returns the store's BM25 ranking with scores", () => {
    const { documents } = new InMemoryBM25Retriever({ documentStore: store() }).run({ query: "Who lives in Paris?" });
    expect(ids(documents)).toEqual(["jean", "mark", "giorgio"]);
    expect(documents[0]?.score).toBeCloseTo(1.392951, 6);
  });

  it("cuts to topK from the options or the run input", () => {
    const retriever = new InMemoryBM25Retriever({ documentStore: store(), topK: 2 });
    expect(retriever.run({ query: "live in Paris" }).documents).toHaveLength(2);
    expect(retriever.run({ query: "live in Paris", topK: 1 }).documents).toHaveLength(1);
  });

  it("scales scores when asked at construction or run time", () => {
    const scaled = new InMemoryBM25Retriever({ documentStore: store(), scaleScore: true }).run({ query: "Who lives in Paris?" });
    expect(scaled.documents[0]?.score).toBeCloseTo(0.54342, 6);
    const atRun = new InMemoryBM25Retriever({ documentStore: store() }).run({ query: "Who lives in Paris?", scaleScore: true });
    expect(atRun.documents[0]?.score).toBeCloseTo(0.54342, 6);
  });

  it("replaces init filters with run-time filters by default", () => {
    const retriever = new InMemoryBM25Retriever({ documentStore: store(), filters: { field: "meta.lang", operator: "==", value: "it" } });
    expect(ids(retriever.run({ query: "live" }).documents)).toEqual(["giorgio"]);
    expect(ids(retriever.run({ query: "live", filters: { field: "meta.year", operator: "<=", value: 2022 } }).documents)).toEqual(["jean", "mark"]);
  });

  it("ANDs init and run-time filters with filterPolicy 'merge'", () => {
    const retriever = new InMemoryBM25Retriever({
      documentStore: store(),
      filters: { field: "meta.lang", operator: "==", value: "en" },
      filterPolicy: "merge",
    });
    expect(ids(retriever.run({ query: "live", filters: { field: "meta.year", operator: ">", value: 2020 } }).documents)).toEqual(["mark"]);
  });

  it("declares its sockets and the RETRIEVER span type", () => {
    const info = getComponentInfo(new InMemoryBM25Retriever({ documentStore: store() }));
    expect(info.spanType).toBe("RETRIEVER");
    expect([...info.inputs.values()].map((s) => [s.name, s.type, s.mandatory])).toEqual([
      ["query", "str", true],
      ["filters", "dict", false],
      ["topK", "int", false],
      ["scaleScore", "bool", false],
    ]);
    expect(info.outputs.get("documents")?.type).toBe("Document[]");
  });

  it("serializes the store through its toDict and revives it from that form", () => {
    const retriever = new InMemoryBM25Retriever({ documentStore: store(), topK: 4 });
    const params = getComponentInfo(retriever).initParameters;
    expect(params).toEqual({ documentStore: store().toDict(), topK: 4 });
    const revived = new InMemoryBM25Retriever(params as never);
    expect(revived.documentStore.bm25Algorithm).toBe("BM25L");
    expect(revived.topK).toBe(4);
  });

  it("rejects a wrong store and a non-positive topK", () => {
    expect(() => new InMemoryBM25Retriever({ documentStore: {} as InMemoryDocumentStore })).toThrow(/needs an InMemoryDocumentStore/);
    expect(() => new InMemoryBM25Retriever({ documentStore: store(), topK: 0 })).toThrow(/topK must be a number > 0, got 0/);
    expect(() => new InMemoryBM25Retriever({ documentStore: store() }).run({ query: "x", topK: -1 })).toThrow(/topK/);
  });

  it("runs through runAsync too", async () => {
    const { documents } = await new InMemoryBM25Retriever({ documentStore: store(), topK: 1 }).runAsync({ query: "Rome" });
    expect(ids(documents)).toEqual(["giorgio"]);
  });
});
