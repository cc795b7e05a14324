/**
 * BM25 retrieval over 10,000 generated documents: the store's indexed path (unfiltered and
 * filtered) against a direct transliteration of Haystack's algorithm (score every document, full
 * stable sort) measured in the same run. Also reports write throughput.
 *
 * Run: node -r ts-node/register/transpile-only bench/bm25.bench.ts
 */
import { Document } from "../lib/haystack/document";
import type { Bm25Algorithm } from "../lib/haystack/document-store/bm25";
import { InMemoryDocumentStore } from "../lib/haystack/document-store/in-memory-document-store";
import { createBm25Tokenizer } from "../lib/haystack/document-store/tokenizer";
import { measure, printTable, type BenchResult } from "./harness";

const DOCS = 10_000;
const VOCABULARY = 5_000;

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const random = prng(42);
const words = Array.from({ length: VOCABULARY }, (_, i) => `w${i.toString(36)}`);
// Zipf-like: low word indices are common, as in real text.
const word = (): string => words[Math.floor(VOCABULARY * random() ** 3)] ?? "w0";
const documents = Array.from({ length: DOCS }, (_, i) => {
  const length = 20 + Math.floor(random() * 180);
  return new Document({ id: `doc-${i}`, content: Array.from({ length }, word).join(" "), meta: { group: i % 10 } });
});
const queries = Array.from({ length: 64 }, () => Array.from({ length: 2 + Math.floor(random() * 4) }, word).join(" "));

/** Haystack's algorithm as written in Python: per query, score all documents, sort, cut. */
function naiveIndex(docs: readonly Document[]): (query: string, topK: number) => { id: string; score: number }[] {
  const tokenize = createBm25Tokenizer();
  const freqs = docs.map((d) => {
    const counts = new Map<string, number>();
    for (const t of tokenize(d.content ?? "")) counts.set(t, (counts.get(t) ?? 0) + 1);
    return counts;
  });
  const lengths = freqs.map((f) => [...f.values()].reduce((a, b) => a + b, 0));
  const df = new Map<string, number>();
  for (const f of freqs) for (const t of f.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const avg = lengths.reduce((a, b) => a + b, 0) / docs.length;
  return (q, topK) => {
    const terms = [...new Set(tokenize(q))];
    const idf = terms.map((t) => {
      const n = df.get(t) ?? 0;
      return n ? Math.log((docs.length + 1) / (n + 0.5)) : 0;
    });
    const scored = docs.map((d, i) => {
      let score = 0;
      terms.forEach((t, j) => {
        const ctd = (freqs[i]?.get(t) ?? 0) / (1 - 0.75 + (0.75 * (lengths[i] ?? 0)) / avg);
        score += (idf[j] ?? 0) * ((2.5 * (ctd + 0.5)) / (1.5 + ctd + 0.5));
      });
      return { id: d.id, score };
    });
    return scored.sort((a, b) => b.score - a.score).slice(0, topK);
  };
}

function main(): void {
  const started = process.hrtime.bigint();
  const stores = new Map<Bm25Algorithm, InMemoryDocumentStore>();
  for (const algorithm of ["BM25L", "BM25Okapi", "BM25Plus"] as const) {
    const store = new InMemoryDocumentStore({ bm25Algorithm: algorithm });
    store.writeDocuments(documents);
    stores.set(algorithm, store);
  }
  const writeMs = Number(process.hrtime.bigint() - started) / 1e6 / 3;
  process.stdout.write(`\nwriteDocuments: ${DOCS} documents in ${writeMs.toFixed(1)} ms (${((writeMs * 1000) / DOCS).toFixed(1)} µs/doc)\n`);

  // The baseline's statistics are built once, outside the timing, like the store's.
  const naive = naiveIndex(documents);
  let q = 0;
  const next = (): string => queries[q++ % queries.length] ?? "w0";
  const results: BenchResult[] = [];
  results.push(
    measure(
      {
        name: "naive scan + sort (Haystack as written, BM25L)",
        run: (n) => {
          let r: unknown;
          for (let i = 0; i < n; i++) r = naive(next(), 10);
          return r;
        },
      },
      20,
    ),
  );
  for (const [algorithm, store] of stores) {
    results.push(
      measure(
        {
          name: `store.bm25Retrieval ${algorithm}`,
          run: (n) => {
            let r: unknown;
            for (let i = 0; i < n; i++) r = store.bm25Retrieval({ query: next(), topK: 10 });
            return r;
          },
        },
        200,
      ),
    );
  }
  const bm25l = stores.get("BM25L") as InMemoryDocumentStore;
  results.push(
    measure(
      {
        name: "store.bm25Retrieval BM25L + filter (10% match)",
        run: (n) => {
          let r: unknown;
          for (let i = 0; i < n; i++) r = bm25l.bm25Retrieval({ query: next(), topK: 10, filters: { field: "meta.group", operator: "==", value: 3 } });
          return r;
        },
      },
      50,
    ),
  );
  printTable(
    `BM25 retrieval, ${DOCS} documents, top 10, ${queries.length} distinct 2-5 word queries`,
    results,
    "naive scan + sort (Haystack as written, BM25L)",
    "time",
  );
  for (const r of results) process.stdout.write(`  ${r.name}: ${(r.nsPerOp / 1e6).toFixed(3)} ms/query\n`);
}

main();
