import { describeValue } from "../../internal/describe-value";
import { component } from "../component";
import type { Document } from "../document";
import { applyFilterPolicy, type FilterPolicy } from "../document-store/filter-policy";
import { validateFilter, type Filter } from "../document-store/filters";
import { type InMemoryDocumentStore, reviveDocumentStore } from "../document-store/in-memory-document-store";

/** Options of {@link InMemoryBM25Retriever}. */
export interface InMemoryBM25RetrieverOptions {
  documentStore: InMemoryDocumentStore;
  /** Filters applied on every run (see `filterPolicy`). */
  filters?: Filter | null;
  /** Default 10; must be > 0. */
  topK?: number;
  /** Map scores into (0, 1); default false. */
  scaleScore?: boolean;
  /** `"replace"` (default): run-time filters replace init filters; `"merge"`: they are ANDed. */
  filterPolicy?: FilterPolicy;
}

/** Run-time inputs of {@link InMemoryBM25Retriever}. */
export interface InMemoryBM25RetrieverInputs {
  query: string;
  filters?: Filter | null;
  topK?: number | null;
  scaleScore?: boolean | null;
}

function checkTopK(topK: unknown, where: string): number {
  if (typeof topK !== "number" || !Number.isFinite(topK) || topK <= 0) {
    throw new TypeError(`InMemoryBM25Retriever ${where} topK must be a number > 0, got ${describeValue(topK)}.`);
  }
  return topK;
}

/**
 * Retrieves the documents that best match a query by BM25 from an {@link InMemoryDocumentStore},
 * like Haystack's `InMemoryBM25Retriever`.
 *
 * @example
 * const retriever = new InMemoryBM25Retriever({ documentStore: store, topK: 3 });
 * retriever.run({ query: "capital of France" }).documents;
 */
@component({
  type: "haystack.components.retrievers.in_memory.bm25_retriever.InMemoryBM25Retriever",
  spanType: "RETRIEVER",
  inputs: {
    query: "str",
    filters: { type: "dict", optional: true },
    topK: { type: "int", optional: true },
    scaleScore: { type: "bool", optional: true },
  },
  outputs: { documents: "Document[]" },
})
export class InMemoryBM25Retriever {
  readonly documentStore: InMemoryDocumentStore;
  readonly filters: Filter | undefined;
  readonly topK: number;
  readonly scaleScore: boolean;
  readonly filterPolicy: FilterPolicy;

  constructor(options: InMemoryBM25RetrieverOptions) {
    this.documentStore = reviveDocumentStore(options?.documentStore, "InMemoryBM25Retriever");
    this.topK = checkTopK(options.topK ?? 10, "option");
    this.scaleScore = options.scaleScore ?? false;
    const policy = options.filterPolicy ?? "replace";
    if (policy !== "replace" && policy !== "merge") {
      throw new TypeError(`InMemoryBM25Retriever filterPolicy must be "replace" or "merge", got ${describeValue(policy)}.`);
    }
    this.filterPolicy = policy;
    if (options.filters != null && Object.keys(options.filters).length > 0) validateFilter(options.filters);
    this.filters = options.filters ?? undefined;
  }

  /** The `topK` best documents for `query`, each with a BM25 `score`. */
  run(inputs: InMemoryBM25RetrieverInputs): { documents: Document[] } {
    const filters = applyFilterPolicy(this.filterPolicy, this.filters, inputs.filters);
    const topK = inputs.topK == null ? this.topK : checkTopK(inputs.topK, "input");
    const documents = this.documentStore.bm25Retrieval({
      query: inputs.query,
      filters,
      topK,
      scaleScore: inputs.scaleScore ?? this.scaleScore,
    });
    return { documents };
  }

  /** Same as {@link run}, as a promise. */
  async runAsync(inputs: InMemoryBM25RetrieverInputs): Promise<{ documents: Document[] }> {
    return this.run(inputs);
  }
}
