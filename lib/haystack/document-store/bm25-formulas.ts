/**
 * The term-frequency parts of Haystack 3.4's three BM25 variants, written as its Python code is. A
 * term absent from a document contributes nothing (3.3+ no longer gives BM25L/BM25Plus their lower
 * bound for it).
 */

/** The BM25 variants Haystack offers; `BM25L` is the default. */
export type Bm25Algorithm = "BM25Okapi" | "BM25L" | "BM25Plus";

/** BM25 tuning: `k1` (1.5), `b` (0.75), `delta` (BM25L 0.5, BM25Plus 1.0), `epsilon` (Okapi 0.25). */
export interface Bm25Parameters {
  k1?: number;
  b?: number;
  delta?: number;
  epsilon?: number;
}

/** `tf(f, docLength)` for one algorithm, given the corpus' average document length. */
export function termFrequency(algorithm: Bm25Algorithm, params: Bm25Parameters, avg: number): (f: number, length: number) => number {
  const k = params.k1 ?? 1.5;
  const b = params.b ?? 0.75;
  switch (algorithm) {
    case "BM25L": {
      const delta = params.delta ?? 0.5;
      return (f, length) => {
        if (f === 0) return 0.0;
        const ctd = f / (1 - b + (b * length) / avg);
        return ((1.0 + k) * (ctd + delta)) / (k + ctd + delta);
      };
    }
    case "BM25Okapi":
      return (f, length) => (f * (1.0 + k)) / (f + k * (1 - b + (b * length) / avg));
    case "BM25Plus": {
      const delta = params.delta ?? 1.0;
      return (f, length) => (f === 0 ? 0.0 : (f * (1.0 + k)) / (f + k * (1 - b + (b * length) / avg)) + delta);
    }
  }
}
