/** Errors raised by document stores and their filters. */
import { HaystackError } from "../errors";

/**
 * Base class of document store errors.
 *
 * @example
 * try { store.writeDocuments(docs); } catch (err) { if (err instanceof DocumentStoreError) retry(); }
 */
export class DocumentStoreError extends HaystackError {}

/**
 * A write with policy `"fail"` (the default) met a document id already in the store.
 *
 * @example
 * store.writeDocuments(docs, { policy: "skip" }); // instead of throwing DuplicateDocumentError
 */
export class DuplicateDocumentError extends DocumentStoreError {
  constructor(readonly documentId: string) {
    super(`ID '${documentId}' already exists. Use policy "skip" or "overwrite" to write it anyway.`);
  }
}

/**
 * A malformed filter, or values a filter cannot compare.
 *
 * @example
 * try { store.filterDocuments({ field: "meta.year", operator: "=", value: 1 }); }
 * catch (err) { if (err instanceof FilterError) console.error(err.message); }
 */
export class FilterError extends HaystackError {}
