/**
 * Snapshots arbitrary values into bounded, JSON-safe data. Never throws: cycles, BigInt, Map/Set,
 * Error, Buffer and typed arrays, Date, class instances, proxies, throwing getters, functions,
 * symbols, huge strings and huge totals all become readable JSON values.
 */
import type { SerializationLimits } from "../internal/global-state";
import { isSecretKey, REDACTED, redactText } from "./redaction";
import { DEFAULT_MAX_VALUE_LENGTH, Snapshotter, type JsonValue } from "./snapshotter";

export { truncateString, type JsonValue } from "./snapshotter";

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
      return value.length <= stringRoom(limits) ? redactText(value) : new Snapshotter(limits).convert(value, 0);
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
 * {@link toJsonSafe} for a value stored under a name (an attribute): under a secret-named key a
 * string is masked and a structure is copied masked.
 */
export function toJsonSafeEntry(key: string, value: unknown, limits: SerializationLimits): JsonValue {
  if (!isSecretKey(key)) return toJsonSafe(value, limits);
  return new Snapshotter(limits).entry(key, value, -1, false);
}

/** The longest string kept whole: the string cap, or the value cap when smaller. */
function stringRoom(limits: SerializationLimits): number {
  return Math.min(limits.maxStringLength, (limits.maxValueLength ?? DEFAULT_MAX_VALUE_LENGTH) - 2);
}

/**
 * {@link toJsonSafe} for a plain object the caller just built and hands over (a traced call's
 * named arguments): when its values are already JSON-safe primitives it is fixed up in place
 * rather than copied.
 */
export function toJsonSafeOwned(value: Record<string, unknown>, limits: SerializationLimits): JsonValue {
  let room = (limits.maxValueLength ?? DEFAULT_MAX_VALUE_LENGTH) - 2;
  for (const key in value) {
    const entry = value[key];
    if (typeof entry === "string") {
      room -= entry.length + key.length + 6;
      if (entry.length > limits.maxStringLength || room < 0) return toJsonSafe(value, limits);
      value[key] = isSecretKey(key) ? REDACTED : redactText(entry);
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
  let room = (limits.maxValueLength ?? DEFAULT_MAX_VALUE_LENGTH) - 2;
  for (const key in source) {
    if (!Object.prototype.hasOwnProperty.call(source, key)) continue;
    if (++count > 16) return undefined;
    const entry = source[key];
    if (typeof entry === "string") {
      room -= entry.length + key.length + 6;
      if (entry.length > limits.maxStringLength || room < 0) return undefined;
      out[key] = isSecretKey(key) ? REDACTED : redactText(entry);
    } else if (typeof entry === "boolean" || (typeof entry === "number" && Number.isFinite(entry))) {
      out[key] = entry;
    } else if (entry !== undefined) {
      return undefined;
    }
  }
  return out;
}

/** `JSON.stringify` for values already made safe by {@link toJsonSafe}. */
export function stringifySafe(value: JsonValue | undefined): string {
  return value === undefined ? "null" : JSON.stringify(value);
}
