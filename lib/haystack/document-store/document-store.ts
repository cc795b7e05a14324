/** The document store protocol components rely on (Haystack's `DocumentStore`). */
import type { Document } from "../document";
import type { DuplicatePolicy } from "./in-memory-document-store";
import type { Filter } from "./filters";

/**
 * What a document store offers; {@link InMemoryDocumentStore} implements it, and so can stores
 * backed by a database (methods may return promises).
 *
 * @example
 * const checker = new CacheChecker({ documentStore: myStore, cacheField: "url" });
 */
export interface DocumentStore {
  countDocuments(): number | Promise<number>;
  filterDocuments(filters?: Filter | null): Document[] | Promise<Document[]>;
  writeDocuments(documents: readonly Document[], options?: { policy?: DuplicatePolicy }): number | Promise<number>;
  deleteDocuments(ids: readonly string[]): void | Promise<void>;
  toDict?(): { type: string; init_parameters: Record<string, unknown> };
}
