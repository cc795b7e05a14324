/**
 * Snapshots arbitrary values into bounded, JSON-safe data. Never throws: cycles, BigInt, Map/Set,
 * Error, Buffer and typed arrays, Date, class instances, proxies, throwing getters, functions,
 * symbols, huge strings and huge totals all become readable JSON values.
 */
import type { SerializationLimits } from "../internal/global-state";
import { isSecretKey, REDACTED, redactText } from "../internal/redaction";
import { DEFAULT_MAX_VALUE_LENGTH, Snapshotter, type JsonValue } from "./snapshotter";

export { truncateString, type JsonValue } from "./snapshotter";

/** Chars of JSON the last snapshot took (about): set by every function here, read by spans for their size cap. */
let lastLength = 0;

/** About how many chars of JSON the value made safe by the last call here takes. */
export function lastSnapshotLength(): number {
  return lastLength;
}

function valueBudget(limits: SerializationLimits, budget: number | undefined): number {
  const max = limits.maxValueLength ?? DEFAULT_MAX_VALUE_LENGTH;
  return budget === undefined || budget > max ? max : Math.max(0, budget);
}

function walk(value: unknown, limits: SerializationLimits, budget: number): JsonValue {
  const snapshotter = new Snapshotter(limits, budget);
  const out = snapshotter.convert(value, 0);
  lastLength = snapshotter.used;
  return out;
}

/**
 * Returns a JSON-safe deep copy of `value` within `limits` (and within `budget` chars of JSON,
 * when smaller than `maxValueLength`). `undefined` becomes `null` at the top level and in arrays
 * and is omitted from objects, as `JSON.stringify` does.
 *
 * @example
 * toJsonSafe(new Map([["a", 1n]]), limits); // { a: 1 }
 */
export function toJsonSafe(value: unknown, limits: SerializationLimits, budget?: number): JsonValue {
  const room = valueBudget(limits, budget);
  switch (typeof value) {
    case "string":
      if (value.length > Math.min(limits.maxStringLength, room - 2)) return walk(value, limits, room);
      lastLength = value.length + 2;
      return redactText(value);
    case "number":
      lastLength = 8;
      return Number.isFinite(value) ? value : String(value);
    case "boolean":
      lastLength = 8;
      return value;
    case "undefined":
      lastLength = 4;
      return null;
    default:
      return flatRecord(value, limits, room) ?? walk(value, limits, room);
  }
}

/**
 * {@link toJsonSafe} for a value stored under a name (an attribute): under a secret-named key a
 * string is masked and a structure is copied masked.
 */
export function toJsonSafeEntry(key: string, value: unknown, limits: SerializationLimits, budget?: number): JsonValue {
  if (!isSecretKey(key)) return toJsonSafe(value, limits, budget);
  const snapshotter = new Snapshotter(limits, valueBudget(limits, budget));
  const out = snapshotter.entry(key, value, -1, false);
  lastLength = snapshotter.used;
  return out;
}

/**
 * {@link toJsonSafe} for a plain object the caller just built and hands over (a traced call's
 * named arguments): when its values are already JSON-safe primitives it is fixed up in place
 * rather than copied.
 */
export function toJsonSafeOwned(value: Record<string, unknown>, limits: SerializationLimits, budget?: number): JsonValue {
  const max = valueBudget(limits, budget);
  let used = 2;
  for (const key in value) {
    const entry = value[key];
    if (typeof entry === "string") {
      used += entry.length + key.length + 6;
      if (entry.length > limits.maxStringLength || used > max) return toJsonSafe(value, limits, max);
      value[key] = isSecretKey(key) ? REDACTED : redactText(entry);
    } else if (entry === undefined) {
      delete value[key];
    } else if (typeof entry !== "boolean" && !(typeof entry === "number" && Number.isFinite(entry))) {
      return toJsonSafe(value, limits, max);
    } else {
      used += key.length + 12;
    }
  }
  lastLength = used;
  return value as Record<string, JsonValue>;
}

/**
 * The common case — a plain object of short strings, finite numbers and booleans — copied
 * without the general walker's bookkeeping; `undefined` when the value is anything else.
 */
function flatRecord(value: unknown, limits: SerializationLimits, max: number): JsonValue | undefined {
  try {
    return copyFlatRecord(value, limits, max);
  } catch {
    return undefined; // a throwing getter or proxy trap: the general walker reports it
  }
}

function copyFlatRecord(value: unknown, limits: SerializationLimits, max: number): JsonValue | undefined {
  if (value === null || typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  // The walker applies these limits (a depth of 0 keeps "[Object]", a key cap cuts with a marker).
  if (limits.maxDepth < 1) return undefined;
  const maxKeys = Math.min(16, limits.maxCollectionItems);
  const source = value as Record<string, unknown>;
  const out: Record<string, JsonValue> = {};
  let count = 0;
  let used = 2;
  // Counts at least what the walker counts, and leaves to it any record that reaches the budget
  // (where it would cut or add its size-cap marker, even before an undefined value).
  for (const key in source) {
    if (!Object.prototype.hasOwnProperty.call(source, key)) continue;
    if (++count > maxKeys || used >= max) return undefined;
    const entry = source[key];
    if (typeof entry === "string") {
      if (entry.length > limits.maxStringLength) return undefined;
      const text = isSecretKey(key) ? REDACTED : redactText(entry);
      // The walker cuts by the text's length before redaction, and counts it after.
      used += Math.max(entry.length, text.length) + key.length + 6;
      out[key] = text;
    } else if (typeof entry === "boolean" || (typeof entry === "number" && Number.isFinite(entry))) {
      used += key.length + 12;
      out[key] = entry;
    } else if (entry !== undefined) {
      return undefined;
    }
    if (used > max) return undefined;
  }
  lastLength = used;
  return out;
}

/** `JSON.stringify` for values already made safe by {@link toJsonSafe}. */
export function stringifySafe(value: JsonValue | undefined): string {
  return value === undefined ? "null" : JSON.stringify(value);
}
