import { describeValue } from "../../internal/describe-value";
import { Document } from "../document";
import { Bm25Index, type Bm25Algorithm, type Bm25Parameters } from "./bm25";
import { DuplicateDocumentError } from "./errors";
import { compileFilter, validateFilter, type Filter } from "./filters";
import { createBm25Tokenizer, DEFAULT_BM25_TOKENIZATION_REGEX, type Bm25Tokenizer } from "./tokenizer";

/** What `writeDocuments` does with an id already in the store; `"none"` means `"fail"`. */
export type DuplicatePolicy = "none" | "fail" | "skip" | "overwrite";

/** Options of {@link InMemoryDocumentStore}. */
export interface InMemoryDocumentStoreOptions {
  /** Default `"BM25L"`, as in Haystack. */
  bm25Algorithm?: Bm25Algorithm;
  bm25Parameters?: Bm25Parameters;
  /** A Python-syntax pattern; default `(?u)\b\w+\b` (Unicode words). */
  bm25TokenizationRegex?: string;
  /** Stores created with the same index share their documents (process-wide); default: private. */
  index?: string;
  /**
   * Haystack's `strict_datetime_comparison`: in filters, a timezone-naive date never matches a
   * timezone-aware one. Default false: the naive one takes the aware one's UTC offset.
   */
  strictDatetimeComparison?: boolean;
}

/** Options of {@link InMemoryDocumentStore.bm25Retrieval}. */
export interface Bm25RetrievalOptions {
  query: string;
  filters?: Filter | undefined;
  topK?: number | undefined;
  /** Map scores into (0, 1) with `expit(score / 8)`. */
  scaleScore?: boolean | undefined;
}

interface StoreData {
  readonly documents: Map<string, Document>;
  readonly bm25: Bm25Index<Document>;
}

const BM25_SCALING_FACTOR = 8;
const ALGORITHMS: readonly Bm25Algorithm[] = ["BM25Okapi", "BM25L", "BM25Plus"];
const POLICIES: readonly DuplicatePolicy[] = ["none", "fail", "skip", "overwrite"];
const SHARED = new Map<string, StoreData>();

function isDocument(value: unknown): value is Document {
  return value instanceof Document || (typeof value === "object" && value !== null && typeof (value as Document).id === "string" && "meta" in value);
}

function isEmptyFilter(filters: Filter | undefined | null): filters is undefined | null {
  return filters === undefined || filters === null || Object.keys(filters).length === 0;
}

/**
 * Haystack's in-memory document store: documents by id, metadata filters and BM25 retrieval.
 * Methods are synchronous (their results work with `await` too); `…Async` variants return promises.
 *
 * @example
 * const store = new InMemoryDocumentStore();
 * store.writeDocuments([new Document({ content: "Paris is the capital of France." })]);
 * store.bm25Retrieval({ query: "capital of France", topK: 3 });
 */
export class InMemoryDocumentStore {
  readonly bm25Algorithm: Bm25Algorithm;
  readonly bm25Parameters: Readonly<Bm25Parameters>;
  readonly bm25TokenizationRegex: string;
  readonly index: string | undefined;
  readonly strictDatetimeComparison: boolean;
  private readonly tokenize: Bm25Tokenizer;
  private readonly data: StoreData;

  constructor(options: InMemoryDocumentStoreOptions = {}) {
    const algorithm = options.bm25Algorithm ?? "BM25L";
    if (!ALGORITHMS.includes(algorithm)) {
      throw new TypeError(`bm25Algorithm must be one of ${ALGORITHMS.join(", ")}, got ${describeValue(algorithm)}.`);
    }
    this.bm25Algorithm = algorithm;
    this.bm25Parameters = Object.freeze({ ...(options.bm25Parameters ?? {}) });
    this.bm25TokenizationRegex = options.bm25TokenizationRegex ?? DEFAULT_BM25_TOKENIZATION_REGEX;
    this.tokenize = createBm25Tokenizer(this.bm25TokenizationRegex);
    this.index = options.index;
    const strict = options.strictDatetimeComparison ?? false;
    if (typeof strict !== "boolean") throw new TypeError(`strictDatetimeComparison must be true or false, got ${JSON.stringify(strict)}.`);
    this.strictDatetimeComparison = strict;
    const fresh = (): StoreData => ({ documents: new Map(), bm25: new Bm25Index<Document>() });
    if (options.index === undefined) this.data = fresh();
    else {
      const existing = SHARED.get(options.index);
      this.data = existing ?? fresh();
      if (existing === undefined) SHARED.set(options.index, this.data);
    }
  }

  /** Number of documents in the store. */
  countDocuments(): number {
    return this.data.documents.size;
  }

  /**
   * Documents matching `filters` (all documents without filters), in insertion order.
   *
   * @example
   * store.filterDocuments({ field: "meta.lang", operator: "in", value: ["en", "fr"] });
   */
  filterDocuments(filters?: Filter | null): Document[] {
    const all = [...this.data.documents.values()];
    if (isEmptyFilter(filters)) return all;
    validateFilter(filters);
    return all.filter(compileFilter(filters, { strictDatetimeComparison: this.strictDatetimeComparison }));
  }

  /**
   * Writes documents and returns how many were written. Policy `"fail"` (default) throws
   * {@link DuplicateDocumentError} on a known id; `"skip"` leaves it; `"overwrite"` replaces it.
   *
   * @example
   * store.writeDocuments(docs, { policy: "overwrite" }); // 2
   */
  writeDocuments(documents: readonly Document[], options: { policy?: DuplicatePolicy } = {}): number {
    if (!Array.isArray(documents)) {
      throw new TypeError(`writeDocuments() expects an array of Document instances, got ${describeValue(documents)}.`);
    }
    const bad = documents.findIndex((d) => !isDocument(d));
    if (bad >= 0) {
      throw new TypeError(`writeDocuments() expects Document instances; item ${bad} is ${typeof documents[bad]}.`);
    }
    const policy = options.policy ?? "none";
    if (!POLICIES.includes(policy)) {
      throw new TypeError(`policy must be one of ${POLICIES.join(", ")}, got ${describeValue(policy)}.`);
    }
    let written = 0;
    for (const doc of documents) {
      if (this.data.documents.has(doc.id)) {
        if (policy === "skip") continue;
        if (policy !== "overwrite") throw new DuplicateDocumentError(doc.id);
        this.deleteDocuments([doc.id]);
      }
      this.data.documents.set(doc.id, doc);
      // Haystack 3.4: only documents with content count toward the corpus size and average length.
      if (doc.content !== null) this.data.bm25.add(doc.id, this.tokenize(doc.content), doc);
      written++;
    }
    return written;
  }

  /** Deletes the documents with these ids; unknown ids are ignored. */
  deleteDocuments(ids: readonly string[]): void {
    for (const id of ids) {
      if (!this.data.documents.delete(id)) continue;
      this.data.bm25.remove(id);
    }
  }

  /**
   * The `topK` documents that best match `query` by BM25, as new Documents carrying `score`.
   * Only documents with content are searched; BM25L and BM25Plus drop results whose raw score is
   * ≤ 0 (no query term in the document) before scaling, BM25Okapi keeps them (its negative
   * scores are meaningful).
   *
   * @example
   * store.bm25Retrieval({ query: "Who lives in Paris?", topK: 1 })[0]?.score; // 1.3929…
   */
  bm25Retrieval(options: Bm25RetrievalOptions): Document[] {
    const { query, filters, topK = 10, scaleScore = false } = options;
    if (typeof query !== "string" || query === "") {
      throw new TypeError(`bm25Retrieval() needs a non-empty query string, got ${describeValue(query)}.`);
    }
    if (!isEmptyFilter(filters)) validateFilter(filters);
    let accept = (doc: Document): boolean => doc.content !== null;
    if (!isEmptyFilter(filters)) {
      const matches = compileFilter(filters, { strictDatetimeComparison: this.strictDatetimeComparison });
      accept = (doc) => doc.content !== null && matches(doc);
    }
    const okapi = this.bm25Algorithm === "BM25Okapi";
    const scored = this.data.bm25.search(this.tokenize(query), {
      algorithm: this.bm25Algorithm,
      params: this.bm25Parameters,
      topK,
      accept,
      rankUnmatched: okapi,
    });
    const results: Document[] = [];
    for (const { payload, score: raw } of scored) {
      if (!okapi && raw <= 0.0) continue;
      const score = scaleScore ? 1 / (1 + Math.exp(-raw / BM25_SCALING_FACTOR)) : raw;
      results.push(payload.withFields({ score }));
    }
    return results;
  }

  /** Promise form of {@link writeDocuments}. */
  async writeDocumentsAsync(documents: readonly Document[], options: { policy?: DuplicatePolicy } = {}): Promise<number> {
    return this.writeDocuments(documents, options);
  }

  /** Promise form of {@link filterDocuments}. */
  async filterDocumentsAsync(filters?: Filter | null): Promise<Document[]> {
    return this.filterDocuments(filters);
  }

  /** Promise form of {@link bm25Retrieval}. */
  async bm25RetrievalAsync(options: Bm25RetrievalOptions): Promise<Document[]> {
    return this.bm25Retrieval(options);
  }

  /** Haystack's serialized form (the Python type name keeps YAML exchangeable). */
  toDict(): { type: string; init_parameters: Record<string, unknown> } {
    return {
      type: "haystack.document_stores.in_memory.document_store.InMemoryDocumentStore",
      init_parameters: {
        bm25_tokenization_regex: this.bm25TokenizationRegex,
        bm25_algorithm: this.bm25Algorithm,
        bm25_parameters: { ...this.bm25Parameters },
        embedding_similarity_function: "dot_product",
        index: this.index ?? null,
        strict_datetime_comparison: this.strictDatetimeComparison,
      },
    };
  }

  /** Rebuilds a store from {@link toDict} output (documents are not part of it). */
  static fromDict(data: { init_parameters?: Record<string, unknown> }): InMemoryDocumentStore {
    const p = data.init_parameters ?? {};
    const options: InMemoryDocumentStoreOptions = {};
    if (typeof p["bm25_algorithm"] === "string") options.bm25Algorithm = p["bm25_algorithm"] as Bm25Algorithm;
    if (typeof p["bm25_parameters"] === "object" && p["bm25_parameters"] !== null) {
      options.bm25Parameters = p["bm25_parameters"];
    }
    if (typeof p["bm25_tokenization_regex"] === "string") options.bm25TokenizationRegex = p["bm25_tokenization_regex"];
    if (typeof p["index"] === "string") options.index = p["index"];
    if (p["strict_datetime_comparison"] !== undefined) options.strictDatetimeComparison = p["strict_datetime_comparison"] as boolean;
    return new InMemoryDocumentStore(options);
  }
}

/**
 * Accepts a store instance, or the `toDict()` form a serialized pipeline carries, and returns a
 * store; throws a TypeError naming `owner` for anything else.
 */
export function reviveDocumentStore(value: unknown, owner: string): InMemoryDocumentStore {
  if (value instanceof InMemoryDocumentStore) return value;
  const record = value as { type?: unknown; init_parameters?: Record<string, unknown> } | null;
  if (typeof record?.type === "string" && record.type.endsWith("InMemoryDocumentStore")) return InMemoryDocumentStore.fromDict(record);
  throw new TypeError(`${owner} needs an InMemoryDocumentStore as 'documentStore', got ${describeValue(value)}.`);
}
