import { Document } from "../document";
import { printAs } from "./jinja-python-output";

/**
 * Converts JS values into what a Jinja template may see: plain data. Class instances (such as
 * Documents) become objects of their own enumerable fields, so `doc.content` and
 * `doc.meta['name']` work while methods stay out of reach; dates become ISO strings, Maps become
 * objects, cycles are cut.
 */
export function templateValue(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  switch (typeof value) {
    case "bigint":
      return Number(value);
    case "symbol":
      return undefined;
    case "function":
      return value;
    case "object":
      break;
    default:
      return value;
  }
  if (value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (seen.has(value)) return undefined;
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => templateValue(item, seen));
    if (value instanceof Map) {
      return Object.fromEntries([...value].map(([k, v]) => [String(k), templateValue(v, seen)]));
    }
    if (value instanceof Set) return [...value].map((item) => templateValue(item, seen));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const converted = templateValue(item, seen);
      if (converted !== undefined) out[key] = converted;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/**
 * Marks the runtime values the template engine made from Documents to print as Python's
 * `str(doc)`, walking them beside the originals ({@link templateValue} keeps array indices and
 * object keys, so the shapes line up).
 */
export function markDocuments(original: unknown, runtime: unknown, seen: WeakSet<object> = new WeakSet()): void {
  if (typeof original !== "object" || original === null || typeof runtime !== "object" || runtime === null || seen.has(original)) return;
  seen.add(original);
  const inner = (runtime as { value?: unknown }).value;
  if (original instanceof Document) printAs(runtime, original.toString());
  else if (Array.isArray(original) && Array.isArray(inner)) original.forEach((item, i) => markDocuments(item, inner[i], seen));
  else if (inner instanceof Map && Object.getPrototypeOf(original) === Object.prototype) {
    for (const [key, item] of Object.entries(original)) markDocuments(item, inner.get(key), seen);
  }
}
