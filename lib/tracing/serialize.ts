/**
 * Snapshots arbitrary values into bounded, JSON-safe data. Never throws: cycles, BigInt, Map/Set,
 * Error, Buffer and typed arrays, Date, class instances, throwing getters, functions, symbols and
 * huge strings all become readable JSON values.
 */
import type { SerializationLimits } from "../internal/global-state";
import { isSecretKey, REDACTED, scrubUrlCredentials } from "./secret-keys";

/** A value that `JSON.stringify` renders faithfully. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Cuts a string longer than `max` and says how much was dropped. */
export function truncateString(value: string, max: number): string {
  if (value.length <= max) return value;
  return `${value.slice(0, max)}...[truncated ${value.length - max} of ${value.length} chars]`;
}

/**
 * Returns a JSON-safe deep copy of `value` within `limits`. `undefined` becomes `null` at the top
 * level and in arrays and is omitted from objects, as `JSON.stringify` does.
 *
 * @example
 * toJsonSafe(new Map([["a", 1n]]), limits); // { a: 1 }
 */
export function toJsonSafe(value: unknown, limits: SerializationLimits): JsonValue {
  switch (typeof value) {
    case "string":
      return value.length <= limits.maxStringLength ? value : truncateString(value, limits.maxStringLength);
    case "number":
      return Number.isFinite(value) ? value : String(value);
    case "boolean":
      return value;
    case "undefined":
      return null;
    default:
      return flatRecord(value, limits) ?? new Snapshotter(limits).convert(value, 0);
  }
}

/**
 * {@link toJsonSafe} for a plain object the caller just built and hands over (a traced call's
 * named arguments): when its values are already JSON-safe primitives it is fixed up in place
 * rather than copied.
 */
export function toJsonSafeOwned(value: Record<string, unknown>, limits: SerializationLimits): JsonValue {
  for (const key in value) {
    const entry = value[key];
    if (typeof entry === "string") {
      if (entry.length > limits.maxStringLength) return toJsonSafe(value, limits);
      if (isSecretKey(key)) value[key] = REDACTED;
      else if (entry.includes("@")) value[key] = scrubUrlCredentials(key, entry);
    } else if (entry === undefined) {
      delete value[key];
    } else if (typeof entry !== "boolean" && !(typeof entry === "number" && Number.isFinite(entry))) {
      return toJsonSafe(value, limits);
    }
  }
  return value as Record<string, JsonValue>;
}

/**
 * The common case — a plain object of short strings, finite numbers and booleans — copied
 * without the general walker's bookkeeping; `undefined` when the value is anything else.
 */
function flatRecord(value: unknown, limits: SerializationLimits): JsonValue | undefined {
  try {
    return copyFlatRecord(value, limits);
  } catch {
    return undefined; // a throwing getter or proxy trap: the general walker reports it
  }
}

function copyFlatRecord(value: unknown, limits: SerializationLimits): JsonValue | undefined {
  if (value === null || typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  const source = value as Record<string, unknown>;
  const out: Record<string, JsonValue> = {};
  let count = 0;
  for (const key in source) {
    if (!Object.prototype.hasOwnProperty.call(source, key)) continue;
    if (++count > 16) return undefined;
    const entry = source[key];
    if (typeof entry === "string") {
      if (entry.length > limits.maxStringLength) return undefined;
      out[key] = isSecretKey(key) ? REDACTED : scrubUrlCredentials(key, entry);
    } else if (typeof entry === "boolean" || (typeof entry === "number" && Number.isFinite(entry))) {
      out[key] = entry;
    } else if (entry !== undefined) {
      return undefined;
    }
  }
  return out;
}

class Snapshotter {
  private readonly ancestors: object[] = [];
  constructor(private readonly limits: SerializationLimits) {}

  convert(value: unknown, depth: number): JsonValue {
    switch (typeof value) {
      case "string":
        return truncateString(value, this.limits.maxStringLength);
      case "number":
        return Number.isFinite(value) ? value : String(value);
      case "boolean":
        return value;
      case "undefined":
        return null;
      case "bigint":
        return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
      case "symbol":
        return value.toString();
      case "function":
        return functionLabel(value);
      default:
        break;
    }
    if (value === null) return null;
    const obj = value as object;
    if (this.ancestors.includes(obj)) return "[Circular]";
    if (depth >= this.limits.maxDepth) return Array.isArray(obj) ? "[Array]" : "[Object]";
    this.ancestors.push(obj);
    try {
      return this.convertObject(obj, depth);
    } catch (error) {
      return `[Unserializable: ${describeError(error)}]`;
    } finally {
      this.ancestors.pop();
    }
  }

  private convertObject(obj: object, depth: number): JsonValue {
    if (Array.isArray(obj)) return this.convertList(obj, depth);
    const proto = Object.getPrototypeOf(obj) as object | null;
    if ((proto === Object.prototype || proto === null) && typeof (obj as { toJSON?: unknown }).toJSON !== "function") {
      return this.convertRecord(obj, depth);
    }
    if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? "Invalid Date" : obj.toISOString();
    if (obj instanceof Error) return this.convertError(obj, depth);
    if (obj instanceof Map) return this.convertMap(obj, depth);
    if (obj instanceof Set) return this.convertList([...obj], depth);
    if (Buffer.isBuffer(obj) || obj instanceof ArrayBuffer || obj instanceof DataView || obj instanceof Uint8Array) {
      return `[${obj.constructor.name}: ${(obj as ArrayBuffer).byteLength} bytes]`;
    }
    if (ArrayBuffer.isView(obj)) return this.convertList(Array.from(obj as unknown as ArrayLike<number>), depth);
    if (obj instanceof Promise) return "[Promise]";
    if (obj instanceof WeakMap || obj instanceof WeakSet || obj instanceof WeakRef) return `[${obj.constructor.name}]`;
    const toJSON = (obj as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return this.convert(toJSON.call(obj), depth + 1);
    return this.convertRecord(obj, depth);
  }

  private convertList(list: readonly unknown[], depth: number): JsonValue[] {
    const max = this.limits.maxCollectionItems;
    const n = Math.min(list.length, max);
    const out: JsonValue[] = new Array<JsonValue>(n);
    for (let i = 0; i < n; i++) out[i] = this.convert(list[i], depth + 1);
    if (list.length > max) out.push(`...[${list.length - max} more items]`);
    return out;
  }

  private convertMap(map: Map<unknown, unknown>, depth: number): JsonValue {
    const out: Record<string, JsonValue> = {};
    let count = 0;
    for (const [key, entry] of map) {
      if (count++ >= this.limits.maxCollectionItems) {
        out["..."] = `[${map.size - this.limits.maxCollectionItems} more entries]`;
        break;
      }
      const name = typeof key === "string" ? key : String(this.convert(key, depth + 1));
      out[name] = this.convert(entry, depth + 1);
    }
    return out;
  }

  private convertError(error: Error, depth: number): JsonValue {
    const out: Record<string, JsonValue> = { name: error.name, message: error.message };
    if (error.stack !== undefined) out["stack"] = truncateString(error.stack, this.limits.maxStringLength);
    if (error.cause !== undefined) out["cause"] = this.convert(error.cause, depth + 1);
    const own = this.convertRecord(error, depth) as Record<string, JsonValue>;
    return { ...own, ...out };
  }

  private convertRecord(obj: object, depth: number): JsonValue {
    const out: Record<string, JsonValue> = {};
    const keys = Object.keys(obj);
    const max = this.limits.maxCollectionItems;
    const n = Math.min(keys.length, max);
    for (let i = 0; i < n; i++) {
      const key = keys[i] as string;
      let entry: unknown;
      try {
        entry = (obj as Record<string, unknown>)[key];
      } catch (error) {
        out[key] = `[Getter threw: ${describeError(error)}]`;
        continue;
      }
      if (entry === undefined) continue;
      out[key] = isSecretKey(key) && isSecretValue(entry) ? REDACTED : typeof entry === "string" ? scrubUrlCredentials(key, this.convert(entry, depth + 1) as string) : this.convert(entry, depth + 1);
    }
    if (keys.length > max) out["..."] = `[${keys.length - max} more keys]`;
    return out;
  }
}

function functionLabel(fn: Function): string {
  try {
    return `[Function ${typeof fn.name === "string" && fn.name !== "" ? fn.name : "anonymous"}]`;
  } catch {
    return "[Function]";
  }
}

/** Strings (or lists of strings) under a secret-named key are masked; structured values are walked. */
function isSecretValue(value: unknown): boolean {
  return typeof value === "string" || (Array.isArray(value) && value.every((v) => typeof v === "string"));
}

function describeError(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return "unknown error";
  }
}

/** `JSON.stringify` for values already made safe by {@link toJsonSafe}. */
export function stringifySafe(value: JsonValue | undefined): string {
  return value === undefined ? "null" : JSON.stringify(value);
}
