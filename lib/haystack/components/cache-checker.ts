import { describeValue } from "../../internal/describe-value";
import { component } from "../component";
import type { Document } from "../document";
import type { DocumentStore } from "../document-store/document-store";
import { reviveDocumentStore } from "../document-store/in-memory-document-store";

/** Options of {@link CacheChecker}. */
export interface CacheCheckerOptions {
  documentStore: DocumentStore;
  /** The meta field whose value identifies a cached item (for example `"url"`). */
  cacheField: string;
}

function isDocumentStore(value: unknown): value is DocumentStore {
  return typeof value === "object" && value !== null && typeof (value as DocumentStore).filterDocuments === "function";
}

/**
 * Splits items into those already in a document store (by a meta field) and those that are not,
 * like Haystack's `CacheChecker` — e.g. URLs already indexed vs URLs still to fetch. A hit adds
 * every matching document, in item order.
 *
 * @example
 * const checker = new CacheChecker({ documentStore: store, cacheField: "url" });
 * await checker.run({ items: ["https://a.example", "https://b.example"] }); // { hits: [Document…], misses: ["https://b.example"] }
 */
@component({
  type: "haystack.components.caching.cache_checker.CacheChecker",
  inputs: { items: "list" },
  outputs: { hits: "Document[]", misses: "list" },
})
export class CacheChecker {
  readonly documentStore: DocumentStore;
  readonly cacheField: string;

  constructor(options: CacheCheckerOptions) {
    const store = options?.documentStore;
    this.documentStore = isDocumentStore(store) ? store : reviveDocumentStore(store, "CacheChecker");
    if (typeof options.cacheField !== "string" || options.cacheField === "") {
      throw new TypeError(`CacheChecker needs a non-empty 'cacheField' string (a meta field such as "url"), got ${describeValue(options.cacheField)}.`);
    }
    this.cacheField = options.cacheField;
  }

  /** Looks every item up by `meta[cacheField] == item`. */
  async run(inputs: { items: readonly unknown[] }): Promise<{ hits: Document[]; misses: unknown[] }> {
    if (!Array.isArray(inputs?.items)) {
      throw new TypeError(`CacheChecker input 'items' must be an array, got ${describeValue(inputs?.items)}.`);
    }
    const hits: Document[] = [];
    const misses: unknown[] = [];
    for (const item of inputs.items) {
      const found = await this.documentStore.filterDocuments({ field: this.cacheField, operator: "==", value: item });
      if (found.length > 0) hits.push(...found);
      else misses.push(item);
    }
    return { hits, misses };
  }

  /** Same as {@link run}. */
  async runAsync(inputs: { items: readonly unknown[] }): Promise<{ hits: Document[]; misses: unknown[] }> {
    return this.run(inputs);
  }
}
