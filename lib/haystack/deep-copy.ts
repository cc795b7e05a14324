/**
 * Deep copy for run inputs. Plain objects and arrays are copied recursively; built-ins (Date, Map,
 * Set, typed arrays, ...) go through `structuredClone`; Documents are rebuilt field by field, as
 * Haystack deep-copies them; other class instances (stores, secrets, subclasses of Document) are
 * passed by reference, because copying them would drop their private state.
 */
import { Document, type DocumentMeta } from "./document";

/** `{...}` or `Object.create(null)`, from any realm (a vm context's `Object.prototype` is another object). */
function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || (Object.getPrototypeOf(proto) === null && Object.prototype.toString.call(value) === "[object Object]");
}

function isCloneable(value: object): boolean {
  return (
    ArrayBuffer.isView(value) ||
    value instanceof Date ||
    value instanceof Map ||
    value instanceof Set ||
    value instanceof RegExp ||
    value instanceof ArrayBuffer ||
    value instanceof DataView
  );
}

const hasOwn = Object.prototype.hasOwnProperty;

function copy(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value !== "object" || value === null) return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array<unknown>(value.length);
    seen.set(value, out);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      out[i] = typeof item === "object" && item !== null ? copy(item, seen) : item;
    }
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Document.prototype) {
    const doc = value as Document;
    const out = new Document({ id: doc.id, content: doc.content, score: doc.score, embedding: doc.embedding });
    seen.set(value, out);
    out.meta = copy(doc.meta, seen) as DocumentMeta;
    return out;
  }
  if (proto === Object.prototype || isPlainObject(value)) {
    // A literal keeps V8's fast object shapes; only other prototypes (null, another realm's) need Object.create.
    const out = (proto === Object.prototype ? {} : Object.create(proto as object | null)) as Record<string, unknown>;
    seen.set(value, out);
    const source = value as Record<string, unknown>;
    for (const key in source) {
      if (!hasOwn.call(source, key)) continue;
      const item = source[key];
      out[key] = typeof item === "object" && item !== null ? copy(item, seen) : item;
    }
    return out;
  }
  if (isCloneable(value)) {
    try {
      const out = structuredClone(value);
      seen.set(value, out);
      return out;
    } catch {
      return value;
    }
  }
  return value;
}

/**
 * Replaces every value of a freshly built record by its deep copy, in place (the record itself is
 * new, so it is not copied). Primitive values cost no allocation: this runs on every component visit.
 */
export function deepCopyValuesInPlace(record: Record<string, unknown>): Record<string, unknown> {
  let seen: Map<object, unknown> | undefined;
  for (const key in record) {
    const value = record[key];
    if (typeof value === "object" && value !== null) record[key] = copy(value, (seen ??= new Map()));
  }
  return record;
}

/**
 * Copies `value` so a component cannot change the caller's data; class instances other than
 * Documents are shared.
 *
 * @example
 * const a = { list: [1, 2] }; deepCopy(a).list.push(3); // a.list is still [1, 2]
 */
export function deepCopy<T>(value: T): T {
  return copy(value, new Map()) as T;
}
