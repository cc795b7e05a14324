import { getComponentInfo } from "../../../lib/haystack/component";
import { CacheChecker } from "../../../lib/haystack/components/cache-checker";
import { Document } from "../../../lib/haystack/document";
import { InMemoryDocumentStore } from "../../../lib/haystack/document-store/in-memory-document-store";

function store(): InMemoryDocumentStore {
  const s = new InMemoryDocumentStore();
  s.writeDocuments([
    new Document({ id: "a1", content: "A, part 1", meta: { url: "https://a.example" } }),
    new Document({ id: "b1", content: "B", meta: { url: "https://b.example" } }),
    new Document({ id: "a2", content: "A, part 2", meta: { url: "https://a.example" } }),
  ]);
  return s;
}

describe("CacheChecker", () => {
  it("returns every matching document as hits, in item order, and unmatched items as misses", async () => {
    const checker = new CacheChecker({ documentStore: store(), cacheField: "url" });
    const { hits, misses } = await checker.run({ items: ["https://b.example", "https://c.example", "https://a.example"] });
    expect(hits.map((d) => d.id)).toEqual(["b1", "a1", "a2"]);
    expect(misses).toEqual(["https://c.example"]);
  });

  it("accepts a meta. path as the cache field", async () => {
    const checker = new CacheChecker({ documentStore: store(), cacheField: "meta.url" });
    expect((await checker.run({ items: ["https://b.example"] })).hits.map((d) => d.id)).toEqual(["b1"]);
  });

  it("works with any store that has filterDocuments, sync or async", async () => {
    const asyncStore = {
      countDocuments: () => 1,
      filterDocuments: async () => [new Document({ id: "x", content: "x" })],
      writeDocuments: () => 0,
      deleteDocuments: () => undefined,
    };
    const checker = new CacheChecker({ documentStore: asyncStore, cacheField: "url" });
    expect((await checker.runAsync({ items: ["anything"] })).hits.map((d) => d.id)).toEqual(["x"]);
  });

  it("declares items in and hits/misses out", () => {
    const info = getComponentInfo(new CacheChecker({ documentStore: store(), cacheField: "url" }));
    expect([...info.inputs.keys()]).toEqual(["items"]);
    expect(Object.fromEntries([...info.outputs].map(([k, s]) => [k, s.type]))).toEqual({ hits: "Document[]", misses: "list" });
  });

  it("rejects a missing cache field and non-array items", async () => {
    expect(() => new CacheChecker({ documentStore: store(), cacheField: "" })).toThrow(/non-empty 'cacheField'/);
    await expect(new CacheChecker({ documentStore: store(), cacheField: "url" }).run({ items: "x" as unknown as string[] })).rejects.toThrow(
      /'items' must be an array/,
    );
  });
});
