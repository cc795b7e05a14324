import { Document } from "../../../lib/haystack/document";
import { DuplicateDocumentError } from "../../../lib/haystack/document-store/errors";
import { InMemoryDocumentStore } from "../../../lib/haystack/document-store/in-memory-document-store";
import { DEFAULT_BM25_TOKENIZATION_REGEX } from "../../../lib/haystack/document-store/tokenizer";

const doc = (id: string, content: string | null = `text ${id}`) => new Document({ id, content });

describe("InMemoryDocumentStore", () => {
  describe("strictDatetimeComparison (Haystack's strict_datetime_comparison)", () => {
    // python: InMemoryDocumentStore(strict_datetime_comparison=<strict>) holding these four documents,
    // [d.id for d in store.filter_documents({"field": "meta.date", "operator": op, "value": value})] (haystack-ai 3.4.1)
    const docs = [
      new Document({ id: "naive", content: "a", meta: { date: "2024-01-01T10:00:00" } }),
      new Document({ id: "utc", content: "b", meta: { date: "2024-01-01T10:00:00+00:00" } }),
      new Document({ id: "plus2", content: "c", meta: { date: "2024-01-01T10:00:00+02:00" } }),
      new Document({ id: "none", content: "d", meta: {} }),
    ];
    const cases: [string, unknown, string[], string[]][] = [
      ["==", "2024-01-01T10:00:00", ["naive", "utc", "plus2"], ["naive"]],
      ["==", "2024-01-01T10:00:00Z", ["naive", "utc"], ["utc"]],
      ["!=", "2024-01-01T10:00:00Z", ["plus2", "none"], ["naive", "plus2", "none"]],
      [">", "2024-01-01T09:00:00", ["naive", "utc", "plus2"], ["naive"]],
      [">", "2024-01-01T07:00:00+00:00", ["naive", "utc", "plus2"], ["utc", "plus2"]],
      [">=", "2024-01-01T10:00:00+00:00", ["naive", "utc"], ["utc"]],
      ["<", "2024-01-01T11:00:00", ["naive", "utc", "plus2"], ["naive"]],
      ["<=", "2024-01-01T10:00:00", ["naive", "utc", "plus2"], ["naive"]],
      ["in", ["2024-01-01T10:00:00+00:00"], ["naive", "utc"], ["utc"]],
      ["not in", ["2024-01-01T10:00:00"], ["none"], ["utc", "plus2", "none"]],
    ];
    it.each(cases)("meta.date %s %j matches what Haystack matches, off and on", (operator, value, lenient, strict) => {
      const ids = (store: InMemoryDocumentStore): string[] => store.filterDocuments({ field: "meta.date", operator: operator as "==", value }).map((d) => d.id);
      const off = new InMemoryDocumentStore();
      const on = new InMemoryDocumentStore({ strictDatetimeComparison: true });
      off.writeDocuments(docs);
      on.writeDocuments(docs);
      expect(ids(off)).toEqual(lenient);
      expect(ids(on)).toEqual(strict);
    });

    it("applies to BM25 retrieval filters, serializes as Haystack does and refuses a non-boolean", () => {
      const store = new InMemoryDocumentStore({ strictDatetimeComparison: true });
      store.writeDocuments(docs);
      const hits = store.bm25Retrieval({ query: "a b c", filters: { field: "meta.date", operator: "==", value: "2024-01-01T10:00:00" } });
      expect(hits.map((d) => d.id)).toEqual(["naive"]);
      expect(store.toDict().init_parameters["strict_datetime_comparison"]).toBe(true);
      expect(InMemoryDocumentStore.fromDict(store.toDict()).strictDatetimeComparison).toBe(true);
      expect(() => new InMemoryDocumentStore({ strictDatetimeComparison: "yes" as unknown as boolean })).toThrow(
        'strictDatetimeComparison must be true or false, got "yes".',
      );
    });
  });

  it("writes documents and counts them", () => {
    const store = new InMemoryDocumentStore();
    expect(store.writeDocuments([doc("1"), doc("2")])).toBe(2);
    expect(store.countDocuments()).toBe(2);
  });

  it("fails on a duplicate id by default and with policy 'none' or 'fail'", () => {
    const store = new InMemoryDocumentStore();
    store.writeDocuments([doc("1")]);
    for (const policy of [undefined, "none", "fail"] as const) {
      const options = policy === undefined ? {} : { policy };
      expect(() => store.writeDocuments([doc("1")], options)).toThrow(DuplicateDocumentError);
    }
    expect(() => store.writeDocuments([doc("1")])).toThrow("ID '1' already exists");
  });

  it("skips duplicates with policy 'skip' and does not count them", () => {
    const store = new InMemoryDocumentStore();
    store.writeDocuments([doc("1", "old")]);
    expect(store.writeDocuments([doc("1", "new"), doc("2")], { policy: "skip" })).toBe(1);
    expect(store.filterDocuments().map((d) => d.content)).toEqual(["old", "text 2"]);
  });

  it("replaces duplicates with policy 'overwrite' and keeps BM25 statistics right", () => {
    const store = new InMemoryDocumentStore();
    store.writeDocuments([doc("1", "apple apple"), doc("2", "banana")]);
    expect(store.writeDocuments([doc("1", "cherry")], { policy: "overwrite" })).toBe(1);
    expect(store.countDocuments()).toBe(2);
    expect(store.bm25Retrieval({ query: "apple" })).toEqual([]);
    const fresh = new InMemoryDocumentStore();
    fresh.writeDocuments([doc("2", "banana"), doc("1", "cherry")]);
    expect(store.bm25Retrieval({ query: "cherry banana" })).toEqual(fresh.bm25Retrieval({ query: "cherry banana" }));
  });

  it("deletes documents by id and ignores unknown ids", () => {
    const store = new InMemoryDocumentStore();
    store.writeDocuments([doc("1"), doc("2"), doc("3")]);
    store.deleteDocuments(["2", "nope"]);
    expect(store.filterDocuments().map((d) => d.id)).toEqual(["1", "3"]);
  });

  it("rejects input that is not an array of Documents", () => {
    const store = new InMemoryDocumentStore();
    expect(() => store.writeDocuments("x" as unknown as Document[])).toThrow(/expects an array of Document instances/);
    expect(() => store.writeDocuments([doc("1"), "x" as unknown as Document])).toThrow(/item 1 is string/);
    expect(() => store.writeDocuments([doc("1")], { policy: "replace" as "skip" })).toThrow(/policy must be one of/);
  });

  it("shares documents between stores created with the same index", () => {
    const a = new InMemoryDocumentStore({ index: "shared-spec-index" });
    const b = new InMemoryDocumentStore({ index: "shared-spec-index" });
    a.writeDocuments([doc("s1")]);
    expect(b.countDocuments()).toBe(1);
    expect(new InMemoryDocumentStore().countDocuments()).toBe(0);
  });

  it("works with await through the Async variants", async () => {
    const store = new InMemoryDocumentStore();
    await expect(store.writeDocumentsAsync([doc("1")])).resolves.toBe(1);
    await expect(store.filterDocumentsAsync()).resolves.toHaveLength(1);
    await expect(store.bm25RetrievalAsync({ query: "text" })).resolves.toHaveLength(1);
  });

  it("serializes its settings, not its documents, and revives them", () => {
    const store = new InMemoryDocumentStore({ bm25Algorithm: "BM25Plus", bm25Parameters: { k1: 1.2 } });
    const dict = store.toDict();
    expect(dict).toEqual({
      type: "haystack.document_stores.in_memory.document_store.InMemoryDocumentStore",
      init_parameters: {
        bm25_tokenization_regex: DEFAULT_BM25_TOKENIZATION_REGEX,
        bm25_algorithm: "BM25Plus",
        bm25_parameters: { k1: 1.2 },
        embedding_similarity_function: "dot_product",
        index: null,
        strict_datetime_comparison: false,
      },
    });
    const revived = InMemoryDocumentStore.fromDict(dict);
    expect(revived.bm25Algorithm).toBe("BM25Plus");
    expect(revived.bm25Parameters).toEqual({ k1: 1.2 });
  });

  it("rejects an unknown BM25 algorithm and an invalid tokenization regex", () => {
    expect(() => new InMemoryDocumentStore({ bm25Algorithm: "BM25" as "BM25L" })).toThrow(/bm25Algorithm must be one of BM25Okapi, BM25L, BM25Plus/);
    expect(() => new InMemoryDocumentStore({ bm25TokenizationRegex: "(" })).toThrow(/not a valid regular expression/);
  });
});
