/**
 * Deep copy for run inputs. Plain objects and arrays are copied recursively; built-ins (Date, Map,
 * Set, typed arrays, ...) go through `structuredClone`; class instances (Documents, stores,
 * secrets) are passed by reference, because copying them would drop their private state.
 */

/** `{...}` or `Object.create(null)`, from any realm (a vm context's `Object.prototype` is another object). */
function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || (Object.getPrototypeOf(proto) === null && Object.prototype.toString.call(value) === "[object Object]");
}

const CLONEABLE: readonly (abstract new (...args: never[]) => object)[] = [Date, RegExp, Map, Set, ArrayBuffer, DataView];

function copy(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value !== "object" || value === null) return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(copy(item, seen));
    return out;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
    seen.set(value, out);
    for (const [key, item] of Object.entries(value)) out[key] = copy(item, seen);
    return out;
  }
  if (ArrayBuffer.isView(value) || CLONEABLE.some((C) => value instanceof C)) {
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
 * Copies `value` so a component cannot change the caller's data; class instances are shared.
 *
 * @example
 * const a = { list: [1, 2] }; deepCopy(a).list.push(3); // a.list is still [1, 2]
 */
export function deepCopy<T>(value: T): T {
  return copy(value, new Map()) as T;
}
