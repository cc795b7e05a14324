import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Document } from "../../../lib/haystack/document";
import type { Bm25Algorithm, Bm25Parameters } from "../../../lib/haystack/document-store/bm25";
import { InMemoryDocumentStore } from "../../../lib/haystack/document-store/in-memory-document-store";
import { createBm25Tokenizer, DEFAULT_BM25_TOKENIZATION_REGEX } from "../../../lib/haystack/document-store/tokenizer";

const JEAN = "My name is Jean and I live in Paris.";
const MARK = "My name is Mark and I live in Berlin.";
const GIORGIO = "My name is Giorgio and I live in Rome.";

function docstringStore(bm25Algorithm: Bm25Algorithm): InMemoryDocumentStore {
  const store = new InMemoryDocumentStore({ bm25Algorithm });
  store.writeDocuments([JEAN, MARK, GIORGIO].map((content) => new Document({ content })));
  return store;
}

describe("BM25 retrieval", () => {
  // haystack-ai 3.4.1's InMemoryDocumentStore on its docstring example ("who" and "lives" are not in the corpus).
  it.each<[Bm25Algorithm, number, number, number, number]>([
    ["BM25L", 1.392951, 0.166914, 0.54342, 0.505216],
    ["BM25Okapi", 0.307818, -0.203008, 0.509618, 0.493656],
    ["BM25Plus", 2.228721, 0.267063, 0.569201, 0.508345],
  ])("scores the docstring example like Haystack with %s", (algorithm, jean, other, jeanScaled, otherScaled) => {
    const store = docstringStore(algorithm);
    const raw = store.bm25Retrieval({ query: "Who lives in Paris?" });
    expect(raw.map((d) => d.content)).toEqual([JEAN, MARK, GIORGIO]);
    expect(raw[0]?.score).toBeCloseTo(jean, 6);
    expect(raw[1]?.score).toBeCloseTo(other, 6);
    expect(raw[2]?.score).toBeCloseTo(other, 6);
    const scaled = store.bm25Retrieval({ query: "Who lives in Paris?", scaleScore: true });
    expect(scaled.map((d) => d.score)).toEqual([expect.closeTo(jeanScaled, 6), expect.closeTo(otherScaled, 6), expect.closeTo(otherScaled, 6)]);
  });

  it("returns new documents with the same ids and leaves stored ones unscored", () => {
    const store = docstringStore("BM25L");
    const [top] = store.bm25Retrieval({ query: "Paris", topK: 1 });
    const stored = store.filterDocuments().find((d) => d.id === top?.id);
    expect(top?.score).toBeGreaterThan(0);
    expect(stored?.score).toBeNull();
    expect(top).not.toBe(stored);
  });

  it("drops non-positive scores except for unscaled BM25Okapi", () => {
    const okapi = docstringStore("BM25Okapi");
    expect(okapi.bm25Retrieval({ query: "zzz" }).map((d) => d.score)).toEqual([0, 0, 0]);
    expect(docstringStore("BM25L").bm25Retrieval({ query: "zzz" })).toEqual([]);
  });

  it("rejects an empty query", () => {
    expect(() => docstringStore("BM25L").bm25Retrieval({ query: "" })).toThrow(/non-empty query/);
  });

  it("skips documents without content and returns nothing from an empty store", () => {
    const store = new InMemoryDocumentStore();
    expect(store.bm25Retrieval({ query: "x" })).toEqual([]);
    store.writeDocuments([new Document({ id: "n", content: null, meta: { a: 1 } })]);
    expect(store.bm25Retrieval({ query: "x" })).toEqual([]);
  });

  it("ranks the same after many deletes and overwrites as a store built from the survivors", () => {
    const text = (i: number) => `doc ${i} ${"alpha ".repeat(i % 5)} ${i % 3 === 0 ? "beta" : "gamma"} w${i % 17}`;
    const churned = new InMemoryDocumentStore();
    churned.writeDocuments(Array.from({ length: 1500 }, (_, i) => new Document({ id: `d${i}`, content: text(i) })));
    churned.deleteDocuments(Array.from({ length: 1200 }, (_, i) => `d${i}`));
    churned.writeDocuments([new Document({ id: "d1300", content: "alpha beta w3 fresh" })], { policy: "overwrite" });
    const fresh = new InMemoryDocumentStore();
    fresh.writeDocuments(churned.filterDocuments());
    for (const query of ["alpha beta", "gamma w3", "fresh", "doc 1450"]) {
      expect(churned.bm25Retrieval({ query, topK: 20 })).toEqual(fresh.bm25Retrieval({ query, topK: 20 }));
    }
    expect(churned.bm25Retrieval({ query: "fresh", topK: 1 })[0]?.id).toBe("d1300");
  });

  describe("against haystack-ai 3.4.1's InMemoryDocumentStore (fixtures/haystack/bm25-golden.json, scripts/haystack-ground-truth.js)", () => {
    type Case = {
      algorithm: Bm25Algorithm;
      params?: Bm25Parameters;
      step: "all" | "after_delete" | "after_overwrite";
      query: string;
      topK: number;
      scaleScore: boolean;
      filterLang?: string;
      results: [string, number][];
    };
    const golden = JSON.parse(readFileSync(join(__dirname, "../../support/fixtures/haystack/bm25-golden.json"), "utf8")) as {
      corpus: [string, string | null, string][];
      cases: Case[];
      tokens: Record<string, string[]>;
      defaultRegex: string;
    };

    it("uses Haystack's default tokenization pattern, the same string its to_dict writes", () => {
      expect(DEFAULT_BM25_TOKENIZATION_REGEX).toBe(golden.defaultRegex);
      expect(new InMemoryDocumentStore().toDict()["init_parameters"]).toMatchObject({ bm25_tokenization_regex: golden.defaultRegex });
    });

    it.each(Object.entries(golden.tokens))("tokenizes %j like Haystack (lowercase, NFC, one token per CJK character)", (text, tokens) => {
      expect(createBm25Tokenizer()(text)).toEqual(tokens);
    });

    function build(c: Case): InMemoryDocumentStore {
      const options = c.params === undefined ? { bm25Algorithm: c.algorithm } : { bm25Algorithm: c.algorithm, bm25Parameters: c.params };
      const store = new InMemoryDocumentStore(options);
      store.writeDocuments(golden.corpus.map(([id, content, lang]) => new Document({ id, content, meta: { lang } })));
      if (c.step !== "all") store.deleteDocuments(["d3", "d12"]);
      if (c.step === "after_overwrite") {
        const replacement = new Document({ id: "d1", content: "A brand new text about a fox in Paris.", meta: { lang: "en" } });
        store.writeDocuments([replacement], { policy: "overwrite" });
      }
      return store;
    }

    const rows = golden.cases.map(
      (c) => [`${c.algorithm} ${c.step} "${c.query}" topK=${c.topK}${c.scaleScore ? " scaled" : ""}${c.filterLang ? " filtered" : ""}`, c] as const,
    );
    it.each(rows)("%s", (_name, c) => {
      const store = build(c);
      const filters = c.filterLang === undefined ? undefined : { field: "meta.lang", operator: "==" as const, value: c.filterLang };
      const results = store.bm25Retrieval({ query: c.query, topK: c.topK, scaleScore: c.scaleScore, filters });
      expect(results.map((d) => d.id)).toEqual(c.results.map(([id]) => id));
      results.forEach((d, i) => expect(d.score).toBeCloseTo(c.results[i]?.[1] ?? NaN, 9));
    });
  });
});

describe("BM25 tokenizer", () => {
  it("keeps Haystack 2.x's pattern (?u)\\b\\w+\\b available, with Unicode words", () => {
    expect(createBm25Tokenizer(String.raw`(?u)\b\w+\b`)("Héllo, Wörld! été 2024 ½ don't 東京 ²3")).toEqual([
      "héllo",
      "wörld",
      "été",
      "2024",
      "½",
      "don",
      "t",
      "東京",
      "²3",
    ]);
  });

  it("translates Python \\w and \\b in custom patterns to Unicode-aware JS", () => {
    expect(createBm25Tokenizer(String.raw`(?u)\b\w\w+\b`)("a été où bb")).toEqual(["été", "où", "bb"]);
  });

  it("returns the capture group like Python's findall", () => {
    expect(createBm25Tokenizer(String.raw`#(\w+)`)("see #Tag and #other")).toEqual(["tag", "other"]);
  });
});
