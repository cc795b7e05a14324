/**
 * Haystack 3.4's in-memory BM25 (`InMemoryDocumentStore._score_bm25*`) with incremental
 * statistics and an inverted index. Scores are summed term by term in query order, exactly as the
 * Python code does, so scores and ties (broken by insertion order) agree with Haystack's.
 *
 * Speed: a document containing none of the query terms scores 0 under all three algorithms, so
 * only documents in the query terms' posting lists are scored; the others enter the ranking at 0,
 * and only the first `topK` of them need to be looked at. Documents live in numbered slots (in
 * insertion order); deleted slots are skipped and compacted away once they dominate.
 */
import { termFrequency, type Bm25Algorithm, type Bm25Parameters } from "./bm25-formulas";
import { TopK } from "./top-k";

export type { Bm25Algorithm, Bm25Parameters } from "./bm25-formulas";

interface Posting {
  slots: number[];
  freqs: number[];
}

interface Slot<T> {
  readonly id: string;
  readonly payload: T;
  readonly length: number;
  readonly terms: readonly string[];
}

/** Options of {@link Bm25Index.search}. */
export interface Bm25SearchOptions<T> {
  algorithm: Bm25Algorithm;
  params?: Bm25Parameters;
  topK: number;
  /** Which documents may be returned (content present, filters). Only called on candidates. */
  accept: (payload: T) => boolean;
  /** Rank documents that have none of the query terms, at score 0 (BM25Okapi keeps them). */
  rankUnmatched: boolean;
}

/** Per-document statistics, document frequencies and postings of one store. */
export class Bm25Index<T> {
  private slots: (Slot<T> | undefined)[] = [];
  private readonly slotOf = new Map<string, number>();
  private postings = new Map<string, Posting>();
  // Haystack 3.4 deletes a term once no document has it, so BM25Okapi's mean IDF no longer counts it.
  private readonly docFreq = new Map<string, number>();
  private totalLength = 0;
  private version = 0;
  private okapiEps: { version: number; epsilon: number; value: number } | undefined;
  // Per-query scratch, reused (and left zeroed) so a query allocates nothing proportional to the corpus.
  private isTouched = new Uint8Array(0);
  private scoreOf = new Float64Array(0);

  get size(): number {
    return this.slotOf.size;
  }

  get averageLength(): number {
    return this.slotOf.size === 0 ? 0 : this.totalLength / this.slotOf.size;
  }

  add(id: string, tokens: readonly string[], payload: T): void {
    const counts = new Map<string, number>();
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    const slot = this.slots.length;
    this.slots.push({ id, payload, length: tokens.length, terms: [...counts.keys()] });
    this.slotOf.set(id, slot);
    for (const [term, f] of counts) {
      this.docFreq.set(term, (this.docFreq.get(term) ?? 0) + 1);
      let posting = this.postings.get(term);
      if (posting === undefined) this.postings.set(term, (posting = { slots: [], freqs: [] }));
      posting.slots.push(slot);
      posting.freqs.push(f);
    }
    this.totalLength += tokens.length;
    this.version++;
  }

  remove(id: string): void {
    const slot = this.slotOf.get(id);
    const entry = slot === undefined ? undefined : this.slots[slot];
    if (slot === undefined || entry === undefined) return;
    this.slots[slot] = undefined;
    this.slotOf.delete(id);
    for (const term of entry.terms) {
      const n = (this.docFreq.get(term) ?? 1) - 1;
      if (n > 0) this.docFreq.set(term, n);
      else this.docFreq.delete(term);
    }
    this.totalLength -= entry.length;
    this.version++;
    if (this.slots.length > 1024 && this.slots.length > 2 * this.slotOf.size) this.compact();
  }

  /** The best `topK` accepted documents for the query, by score then insertion order. */
  search(queryTokens: readonly string[], options: Bm25SearchOptions<T>): { payload: T; score: number }[] {
    const topK = Math.floor(options.topK);
    if (topK <= 0 || this.slotOf.size === 0) return [];
    const terms = [...new Set(queryTokens)];
    const params = options.params ?? {};
    const avg = this.averageLength;
    const idf = terms.map((t) => this.idf(t, options.algorithm, params));
    const tf = termFrequency(options.algorithm, params, avg);
    const slots = this.slots;
    const top = new TopK<T>(topK);

    if (this.isTouched.length < slots.length) {
      this.isTouched = new Uint8Array(slots.length * 2);
      this.scoreOf = new Float64Array(slots.length * 2);
    }
    const { isTouched, scoreOf } = this;
    const touched: number[] = [];
    try {
      // A term contributes only to documents that contain it (tf(0) is 0 for all three variants), so
      // each score is summed over the postings, term by term in query order, as Python sums it.
      for (let j = 0; j < terms.length; j++) {
        const posting = this.postings.get(terms[j] as string);
        if (posting === undefined) continue;
        const w = idf[j] as number;
        for (let p = 0; p < posting.slots.length; p++) {
          const s = posting.slots[p] as number;
          const entry = slots[s];
          if (entry === undefined) continue;
          if (isTouched[s] === 0) {
            isTouched[s] = 1;
            touched.push(s);
          }
          if (avg !== 0) scoreOf[s] = (scoreOf[s] as number) + w * tf(posting.freqs[p] as number, entry.length);
        }
      }
      for (const s of touched) {
        const payload = (slots[s] as Slot<T>).payload;
        if (options.accept(payload)) top.push(payload, scoreOf[s] as number, s);
      }
      let taken = options.rankUnmatched ? 0 : topK;
      for (let s = 0; s < slots.length && taken < topK; s++) {
        const entry = slots[s];
        if (entry === undefined || isTouched[s] === 1 || !options.accept(entry.payload)) continue;
        top.push(entry.payload, 0.0, s);
        taken++;
      }
      return top.result();
    } finally {
      for (const s of touched) {
        isTouched[s] = 0;
        scoreOf[s] = 0;
      }
    }
  }

  private idf(term: string, algorithm: Bm25Algorithm, params: Bm25Parameters): number {
    const corpus = this.slotOf.size;
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

  /** `epsilon × mean IDF` over the whole vocabulary, replacing negative Okapi IDFs; cached per write. */
  private okapiEpsilon(epsilon: number): number {
    if (this.okapiEps?.version === this.version && this.okapiEps.epsilon === epsilon) return this.okapiEps.value;
    const corpus = this.slotOf.size;
    let sum = 0.0;
    for (const n of this.docFreq.values()) sum += Math.log((corpus - n + 0.5) / (n + 0.5));
    const value = this.docFreq.size === 0 ? 0 : (epsilon * sum) / this.docFreq.size;
    this.okapiEps = { version: this.version, epsilon, value };
    return value;
  }

  /** Renumbers live slots densely (order kept) and drops deleted entries from the postings. */
  private compact(): void {
    const remap = new Int32Array(this.slots.length).fill(-1);
    const live: Slot<T>[] = [];
    this.slots.forEach((entry, s) => {
      if (entry === undefined) return;
      remap[s] = live.length;
      this.slotOf.set(entry.id, live.length);
      live.push(entry);
    });
    const postings = new Map<string, Posting>();
    for (const [term, posting] of this.postings) {
      const next: Posting = { slots: [], freqs: [] };
      posting.slots.forEach((s, p) => {
        const to = remap[s] as number;
        if (to >= 0) {
          next.slots.push(to);
          next.freqs.push(posting.freqs[p] as number);
        }
      });
      if (next.slots.length > 0) postings.set(term, next);
    }
    this.slots = live;
    this.postings = postings;
  }
}
