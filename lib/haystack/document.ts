import { describeValue } from "../internal/describe-value";
import { createHash } from "node:crypto";
import { inspect } from "node:util";
import { pythonJsonDumps } from "../internal/python-json";
import { pythonRepr } from "../internal/python-repr";

/** Metadata attached to a {@link Document}: any JSON-like values. */
export type DocumentMeta = Record<string, unknown>;

/** Constructor fields of a {@link Document}. */
export interface DocumentInit {
  /** Leave empty to derive the id from content, meta and embedding (Haystack's hash). */
  id?: string;
  content?: string | null;
  meta?: DocumentMeta;
  score?: number | null;
  embedding?: readonly number[] | null;
}

/** The plain-object form of a {@link Document} (`toDict()`), snake_case like Haystack's. */
export interface DocumentDict {
  id: string;
  content: string | null;
  meta?: DocumentMeta;
  score: number | null;
  embedding: number[] | null;
  [flattenedMetaKey: string]: unknown;
}

/**
 * How the id hash writes `meta`: `"json"` is Haystack 3.x's deterministic key-sorted JSON (the
 * default here); `"repr"` is Haystack 2.x's Python dict repr, which depends on key order.
 */
export type DocumentIdScheme = "json" | "repr";

/**
 * Haystack's document id: sha256 of content, blob, mime type, meta, embedding and sparse
 * embedding, each in Python's text form (blobs and sparse embeddings are not supported here,
 * so they hash as Python's `None` / empty).
 *
 * @example
 * documentId({ content: "test text" });
 * // "f63a61aeda788a9deb6f83bf52388ab254c085c3df40b324e13c3f5112efd485"
 */
export function documentId(fields: Pick<DocumentInit, "content" | "meta" | "embedding">, options: { scheme?: DocumentIdScheme } = {}): string {
  const meta = fields.meta ?? {};
  const metaText = (options.scheme ?? "json") === "json" ? pythonJsonDumps(meta, { sortKeys: true, pythonFloats: true, defaultStr: true }) : pythonRepr(meta);
  const embedding = fields.embedding == null ? "None" : pythonRepr(fields.embedding, { asFloat: true });
  // Python hashes `self.content or None`: empty content counts as no content.
  const content = fields.content || "None";
  // text, dataframe (always None), blob repr, blob mime type, meta, embedding, sparse embedding
  const text = `${content}NoneNoneNone${metaText}${embedding}`;
  return createHash("sha256").update(text, "utf8").digest("hex");
}

const DOCUMENT_FIELDS = new Set(["id", "content", "meta", "score", "embedding", "blob", "sparse_embedding"]);
const LEGACY_FIELDS = new Set(["content_type", "id_hash_keys", "dataframe"]);
const isFieldName = (key: string): boolean => DOCUMENT_FIELDS.has(key) || LEGACY_FIELDS.has(key);

/**
 * A piece of text with metadata: what stores hold, retrievers return and prompts render.
 *
 * @example
 * const doc = new Document({ content: "Paris is the capital of France.", meta: { source: "wiki" } });
 * doc.id; // sha256-derived, stable for the same content and meta
 */
export class Document {
  id: string;
  content: string | null;
  meta: DocumentMeta;
  score: number | null;
  embedding: number[] | null;

  constructor(init: DocumentInit = {}) {
    const content: unknown = init.content;
    if (content != null && typeof content !== "string") {
      throw new TypeError(`The 'content' field of a Document must be a string or null, got ${describeValue(content)}; put other data in 'meta'.`);
    }
    this.content = init.content ?? null;
    this.meta = init.meta ?? {};
    this.score = init.score ?? null;
    this.embedding = init.embedding == null ? null : [...init.embedding];
    this.id = init.id !== undefined && init.id !== "" ? init.id : documentId(this);
  }

  /**
   * The plain form. With `flatten` (the default, as in Haystack) meta keys sit at the top level,
   * except keys named like a field (`score`, `content`, …), which stay in a nested `meta`.
   *
   * @example
   * new Document({ content: "x", meta: { a: 1 } }).toDict(); // { a: 1, id: "…", content: "x", score: null, embedding: null }
   */
  toDict(options: { flatten?: boolean } = {}): DocumentDict {
    const data = {
      id: this.id,
      content: this.content,
      score: this.score,
      embedding: this.embedding === null ? null : [...this.embedding],
    };
    const meta = structuredClone(this.meta);
    if (!(options.flatten ?? true)) return { id: data.id, content: data.content, meta, score: data.score, embedding: data.embedding };
    // Meta keys named like a field stay nested (as in Haystack 3.4): flattened, they would overwrite the field.
    const flattened: DocumentMeta = {};
    const colliding: DocumentMeta = {};
    for (const [key, value] of Object.entries(meta)) (isFieldName(key) ? colliding : flattened)[key] = value;
    return Object.keys(colliding).length === 0 ? { ...flattened, ...data } : { ...flattened, ...data, meta: colliding };
  }

  /** `JSON.stringify(doc)` gives the flattened dict. */
  toJSON(): DocumentDict {
    return this.toDict();
  }

  /**
   * Rebuilds a Document from `toDict()` output, flattened or not: unknown top-level keys become
   * meta, merged over a nested `meta` object (as Haystack 3.4 does).
   *
   * @example
   * Document.fromDict({ content: "x", source: "wiki" }).meta; // { source: "wiki" }
   */
  static fromDict(data: Record<string, unknown>): Document {
    const meta = (data["meta"] ?? {}) as DocumentMeta;
    const flattened: DocumentMeta = {};
    for (const [key, value] of Object.entries(data)) if (!isFieldName(key)) flattened[key] = value;
    const init: DocumentInit = { meta: { ...meta, ...flattened } };
    if (typeof data["id"] === "string") init.id = data["id"];
    if (data["content"] != null) init.content = data["content"] as string;
    if (typeof data["score"] === "number") init.score = data["score"];
    if (Array.isArray(data["embedding"])) init.embedding = data["embedding"] as number[];
    return new Document(init);
  }

  /** Equal when the unflattened plain forms are equal, as in Haystack. */
  equals(other: unknown): boolean {
    return other instanceof Document && JSON.stringify(this.toDict({ flatten: false })) === JSON.stringify(other.toDict({ flatten: false }));
  }

  /** Returns a copy with some fields replaced (keeps the id unless `id` is given). */
  withFields(fields: Omit<DocumentInit, "id"> & { id?: string }): Document {
    return new Document({
      id: fields.id ?? this.id,
      content: "content" in fields ? (fields.content ?? null) : this.content,
      meta: fields.meta ?? structuredClone(this.meta),
      score: "score" in fields ? (fields.score ?? null) : this.score,
      embedding: "embedding" in fields ? (fields.embedding ?? null) : this.embedding,
    });
  }

  /** Python's `str(doc)`, which is also what a Jinja template prints for `{{ doc }}`. */
  toString(): string {
    const parts = [`id=${this.id}`];
    if (this.content !== null) {
      const preview = this.content.length < 100 ? this.content : `${this.content.slice(0, 100)}...`;
      parts.push(`content: '${preview}'`);
    }
    if (Object.keys(this.meta).length > 0) parts.push(`meta: ${pythonRepr(this.meta)}`);
    if (this.score !== null) parts.push(`score: ${pythonRepr(this.score, { asFloat: true })}`);
    if (this.embedding !== null) parts.push(`embedding: vector of size ${this.embedding.length}`);
    return `Document(${parts.join(", ")})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
