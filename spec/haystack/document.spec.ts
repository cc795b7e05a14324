import { inspect } from "node:util";
import { Document, documentId } from "../../lib/haystack/document";

describe("Document", () => {
  it("derives Haystack's id for an empty document", () => {
    expect(new Document().id).toBe("d4675c57fcfe114db0b95f1da46eea3c5d6f5729c17d01fb5251ae19830a3455");
  });

  it("hashes empty content as no content, as Haystack does (`content or None`)", () => {
    // python: Document(content="").id, Document(content="", meta={"a": 1}).id with haystack-ai 3.4.1
    expect(new Document({ content: "" }).id).toBe("d4675c57fcfe114db0b95f1da46eea3c5d6f5729c17d01fb5251ae19830a3455");
    expect(documentId({ content: "", meta: { a: 1 } })).toBe("5c3bb9e5791554e6c6d8194c84b943f42abdf55e1b914a48b55d18fff8dbf7a0");
    expect(new Document({ content: "" }).content).toBe("");
  });

  it("derives Haystack's id from content", () => {
    expect(new Document({ content: "test text" }).id).toBe("f63a61aeda788a9deb6f83bf52388ab254c085c3df40b324e13c3f5112efd485");
    expect(new Document({ content: "My name is Jean and I live in Paris." }).id).toBe("6c90b78ad94e4e634e2a067b5fe2d26d4ce95405ec222cbaefaeb09ab4dce81e");
  });

  it("hashes meta as Haystack 3.x key-sorted JSON by default, whatever the key order", () => {
    const expected = "54954ab6b4da4055450357d3a53d1861a75b0fe2d19011ffa206c4630f42ed27";
    expect(new Document({ content: "test text", meta: { b: 1, a: "é" } }).id).toBe(expected);
    expect(new Document({ content: "test text", meta: { a: "é", b: 1 } }).id).toBe(expected);
  });

  it("can compute Haystack 2.x ids (Python dict repr of meta)", () => {
    expect(documentId({ content: "test text", meta: { b: 1, a: "é" } }, { scheme: "repr" })).toBe(
      "9320624044a194a0048d6a8de851371b0f4b238dcfbe9f59589ec541ecf58697",
    );
  });

  it("hashes embeddings as Python float lists", () => {
    // python3: sha256("test text" + "None"*3 + "{}" + str([0.1, 1.0, 2.5e-07]))
    expect(new Document({ content: "test text", embedding: [0.1, 1, 2.5e-7] }).id).toBe("b99a77a72eacfb523f0df5f0e6e0fc54acc962eb6e96ba2557dc01ad42e937ad");
  });

  it("keeps an explicit id", () => {
    expect(new Document({ id: "my-id", content: "x" }).id).toBe("my-id");
  });

  it("round-trips through toDict/fromDict, flattened or not", () => {
    const doc = new Document({ content: "x", meta: { source: "wiki", page: 3 }, score: 0.5 });
    const flat = doc.toDict();
    expect(flat).toEqual({ source: "wiki", page: 3, id: doc.id, content: "x", score: 0.5, embedding: null });
    expect(Document.fromDict(flat).equals(doc)).toBe(true);
    expect(Document.fromDict(doc.toDict({ flatten: false })).equals(doc)).toBe(true);
  });

  it("merges a meta object with flattened meta keys, as Haystack 3.4 does", () => {
    // python: Document.from_dict({"content": "x", "meta": {"a": 1}, "b": 2}) with haystack-ai 3.4.1
    const doc = Document.fromDict({ content: "x", meta: { a: 1 }, b: 2 });
    expect(doc.meta).toEqual({ a: 1, b: 2 });
    expect(doc.id).toBe("d59b05b3df05ff2bf72d04a8463abfe3f456523b1955e332fea33ff5b1e46543");
  });

  it("keeps meta keys named like document fields nested when flattening, so they survive a round trip", () => {
    // python: Document(content="x", meta={"score": 9, "content": "m"}).to_dict() with haystack-ai 3.4.1
    const doc = new Document({ content: "x", meta: { score: 9, content: "m" } });
    expect(doc.toDict()).toEqual({
      id: "4ee349debd081fc752fc25e39baf885aec40f96a50b6cd3a054dc0cba06acf0f",
      content: "x",
      score: null,
      embedding: null,
      meta: { score: 9, content: "m" },
    });
    const back = Document.fromDict(new Document({ content: "x", meta: { score: 9, page: 2 } }).toDict());
    expect(back.meta).toEqual({ score: 9, page: 2 });
    expect(back.score).toBeNull();
  });

  it("refuses content that is not a string, naming the field", () => {
    // python: Document(content=123) raises ValueError("The `content` field must be a string or None.")
    expect(() => new Document({ content: 123 as unknown as string })).toThrow(/'content' field of a Document must be a string or null, got 123 \(a number\)/);
    expect(() => Document.fromDict({ content: ["a"] })).toThrow(/must be a string or null, got an array/);
  });

  it("compares like Haystack: unflattened dicts, so colliding meta keys count", () => {
    const a = new Document({ id: "1", content: "x", meta: { score: 1 } });
    expect(a.equals(new Document({ id: "1", content: "x", meta: { score: 2 } }))).toBe(false);
    expect(a.equals(new Document({ id: "1", content: "x", meta: { score: 1 } }))).toBe(true);
  });

  it("serializes to the flattened dict with JSON.stringify", () => {
    const doc = new Document({ content: "x", meta: { a: 1 } });
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc.toDict());
  });

  it("prints Python's str(doc) with util.inspect", () => {
    const doc = new Document({ id: "1", content: "hello", meta: { a: 1 }, score: 2 });
    // python: str(Document(id="1", content="hello", meta={"a": 1}, score=2.0)) (scores are floats)
    expect(inspect(doc)).toBe(`Document(id=1, content: 'hello', meta: {'a': 1}, score: 2.0)`);
  });
});
