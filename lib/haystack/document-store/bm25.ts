/**
 * Haystack's in-memory BM25 (`InMemoryDocumentStore._score_bm25*`, 2.31) with incremental
 * statistics and an inverted index. Scores are computed term by term in query order, exactly as
 * the Python code sums them, so rankings and ties agree with Haystack.
 *
 * Speed: a document containing none of the query terms scores the same constant for every
 * algorithm (the term-frequency part no longer depends on its length), so only documents in the
 * query terms' posting lists are scored individually; the rest enter the ranking at that constant.
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

interface DocStats {
  readonly freq: Map<string, number>;
  readonly length: number;
  /** Insertion order, for Python's stable sort among equal scores. */
  readonly seq: number;
}

/** A prepared query: per-document scorer plus the documents that contain at least one term. */
export interface Bm25Query {
  /** The score of a document that contains none of the query terms. */
  readonly baseScore: number;
  score(id: string): number;
  /** Ids of documents containing at least one query term. */
  hits(): Set<string>;
  seq(id: string): number;
}

/** Per-document statistics, document frequencies and postings for one store. */
export class Bm25Index {
  private readonly stats = new Map<string, DocStats>();
  private readonly postings = new Map<string, Map<string, number>>();
  // Like Python's Counter.subtract, deleted terms keep a zero entry: BM25Okapi's mean IDF counts them.
  private readonly docFreq = new Map<string, number>();
  private totalLength = 0;
  private nextSeq = 0;
  private version = 0;
  private okapiEps: { version: number; epsilon: number; value: number } | undefined;

  get size(): number {
    return this.stats.size;
  }

  get averageLength(): number {
    return this.stats.size === 0 ? 0 : this.totalLength / this.stats.size;
  }

  add(id: string, tokens: readonly string[]): void {
    const freq = new Map<string, number>();
    for (const t of tokens) freq.set(t, (freq.get(t) ?? 0) + 1);
    this.stats.set(id, { freq, length: tokens.length, seq: this.nextSeq++ });
    for (const [term, f] of freq) {
      this.docFreq.set(term, (this.docFreq.get(term) ?? 0) + 1);
      let posting = this.postings.get(term);
      if (posting === undefined) this.postings.set(term, (posting = new Map()));
      posting.set(id, f);
    }
    this.totalLength += tokens.length;
    this.version++;
  }

  remove(id: string): void {
    const s = this.stats.get(id);
    if (s === undefined) return;
    this.stats.delete(id);
    for (const term of s.freq.keys()) {
      this.docFreq.set(term, (this.docFreq.get(term) ?? 1) - 1);
      const posting = this.postings.get(term);
      posting?.delete(id);
      if (posting?.size === 0) this.postings.delete(term);
    }
    this.totalLength -= s.length;
    this.version++;
  }

  /** Prepares `queryTokens` (duplicates count once, as in Haystack) for scoring. */
  prepare(queryTokens: readonly string[], algorithm: Bm25Algorithm, params: Bm25Parameters = {}): Bm25Query {
    const terms = [...new Set(queryTokens)];
    const idf = terms.map((t) => this.idf(t, algorithm, params));
    const avg = this.averageLength;
    const tf = termFrequency(algorithm, params, avg);
    const scoreOf = (freq: Map<string, number> | undefined, length: number): number => {
      if (avg === 0) return 0;
      let score = 0.0;
      for (let i = 0; i < terms.length; i++) score += (idf[i] ?? 0) * tf(freq?.get(terms[i] ?? "") ?? 0, length);
      return score;
    };
    return {
      baseScore: scoreOf(undefined, avg),
      score: (id) => {
        const s = this.stats.get(id);
        return s === undefined ? 0 : scoreOf(s.freq, s.length);
      },
      hits: () => {
        const ids = new Set<string>();
        for (const t of terms) for (const id of this.postings.get(t)?.keys() ?? []) ids.add(id);
        return ids;
      },
      seq: (id) => this.stats.get(id)?.seq ?? Number.MAX_SAFE_INTEGER,
    };
  }

  private idf(term: string, algorithm: Bm25Algorithm, params: Bm25Parameters): number {
    const corpus = this.stats.size;
    const n = this.docFreq.get(term);
    switch (algorithm) {
      case "BM25L":
        return n ? Math.log((corpus + 1.0) / (n + 0.5)) : 0;
      case "BM25Plus":
        return n ? Math.log(1 + (corpus - n + 0.5) / (n + 0.5)) : 0;
      case "BM25Okapi": {
        if (n === undefined) return 0.0;
        const idf = Math.log((corpus - n + 0.5) / (n + 0.5));
        return idf < 0 ? this.okapiEpsilon(params.epsilon ?? 0.25) : idf;
      }
    }
  }

  /** `epsilon × mean IDF` over the whole vocabulary; replaces negative Okapi IDFs. Cached per write. */
  private okapiEpsilon(epsilon: number): number {
    if (this.okapiEps?.version === this.version && this.okapiEps.epsilon === epsilon) return this.okapiEps.value;
    const corpus = this.stats.size;
    let sum = 0.0;
    for (const n of this.docFreq.values()) sum += Math.log((corpus - n + 0.5) / (n + 0.5));
    const value = this.docFreq.size === 0 ? 0 : (epsilon * sum) / this.docFreq.size;
    this.okapiEps = { version: this.version, epsilon, value };
    return value;
  }

}

function termFrequency(algorithm: Bm25Algorithm, params: Bm25Parameters, avg: number): (f: number, length: number) => number {
  const k = params.k1 ?? 1.5;
  const b = params.b ?? 0.75;
  switch (algorithm) {
    case "BM25L": {
      const delta = params.delta ?? 0.5;
      return (f, length) => {
        const ctd = f / (1 - b + (b * length) / avg);
        return ((1.0 + k) * (ctd + delta)) / (k + ctd + delta);
      };
    }
    case "BM25Okapi":
      return (f, length) => (f * (1.0 + k)) / (f + k * (1 - b + (b * length) / avg));
    case "BM25Plus": {
      const delta = params.delta ?? 1.0;
      return (f, length) => (f * (1.0 + k)) / (f + k * (1 - b + (b * length) / avg)) + delta;
    }
  }
}

/** Keeps the best `k` entries by score descending, then insertion order (Python's stable sort). */
export class TopK<T> {
  private readonly items: { item: T; score: number; seq: number }[] = [];

  private static readonly INSERTION_LIMIT = 64;

  constructor(private readonly k: number) {}

  push(item: T, score: number, seq: number): void {
    const items = this.items;
    if (this.k > TopK.INSERTION_LIMIT) {
      items.push({ item, score, seq });
      return;
    }
    if (items.length === this.k) {
      const last = items[items.length - 1];
      if (last === undefined || !ranksBefore(score, seq, last.score, last.seq)) return;
      items.pop();
    }
    let i = items.length;
    while (i > 0) {
      const prev = items[i - 1];
      if (prev === undefined || !ranksBefore(score, seq, prev.score, prev.seq)) break;
      i--;
    }
    items.splice(i, 0, { item, score, seq });
  }

  result(): { item: T; score: number }[] {
    if (this.k > TopK.INSERTION_LIMIT) {
      this.items.sort((a, b) => (ranksBefore(a.score, a.seq, b.score, b.seq) ? -1 : 1));
      this.items.length = Math.min(this.items.length, this.k);
    }
    return this.items.map(({ item, score }) => ({ item, score }));
  }
}

function ranksBefore(score: number, seq: number, otherScore: number, otherSeq: number): boolean {
  return score > otherScore || (score === otherScore && seq < otherSeq);
}
