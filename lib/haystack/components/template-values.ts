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
