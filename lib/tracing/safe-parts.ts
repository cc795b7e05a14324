/**
 * Values snapshotted once and placed whole into later snapshots: an agent's LLM spans each record
 * every message of the conversation so far, so each message is made JSON-safe once, not once per
 * step. A composed value is exactly what `toJsonSafe` gives for the same data, or `undefined` when
 * a limit (string length, depth, items, size) would have changed anything — the caller then
 * snapshots the value whole the usual way.
 */
import type { SerializationLimits } from "../internal/global-state";
import { isSecretKey, redactText } from "../internal/redaction";
import { DEFAULT_MAX_VALUE_LENGTH, PRESIZE_LIMIT, Snapshotter, type JsonValue } from "./snapshotter";

/** A JSON-safe copy made by the general walker, with what a composition needs to reuse it. */
export class SafePart {
  /** @internal Use {@link safePart}. */
  constructor(
    readonly value: JsonValue,
    /** Chars of JSON it takes, counted as the walker counts them. */
    readonly used: number,
    /** Depth of its deepest object or array below its top (-1: none). */
    readonly height: number,
    /** Whether no limit changed it. */
    readonly exact: boolean,
    readonly limits: SerializationLimits,
  ) {}
}

/** `value` snapshotted now under `limits`, for reuse inside {@link composeSafe}. */
export function safePart(value: unknown, limits: SerializationLimits): SafePart {
  const snapshotter = new Snapshotter(limits);
  const out = snapshotter.convert(value, 0);
  return new SafePart(out, snapshotter.used, snapshotter.deepest, !snapshotter.cut, limits);
}

/**
 * `shape` (plain objects and arrays built by the caller, with {@link SafePart} and other values
 * as leaves) made JSON-safe with its parts placed whole; `undefined` when the result would differ
 * from `toJsonSafe` of the same data (a part made under other limits, a limit reached).
 */
export function composeSafe(shape: unknown, limits: SerializationLimits): JsonValue | undefined {
  return composeSafeCounted(shape, limits)?.value;
}

/** {@link composeSafe} with the chars of JSON the result takes, counted as the walker counts them. */
export function composeSafeCounted(shape: unknown, limits: SerializationLimits): { value: JsonValue; used: number } | undefined {
  const size = { used: 0 };
  let out: JsonValue | undefined;
  try {
    out = compose(shape, 0, limits, size);
  } catch {
    return undefined; // a throwing getter or proxy trap: the general walker reports it
  }
  return out === undefined || size.used > (limits.maxValueLength ?? DEFAULT_MAX_VALUE_LENGTH) ? undefined : { value: out, used: size.used };
}

function compose(value: unknown, depth: number, limits: SerializationLimits, size: { used: number }): JsonValue | undefined {
  switch (typeof value) {
    case "string": {
      if (value.length > limits.maxStringLength) return undefined;
      // Counted after redaction, as the walker counts it (a masked value can be longer).
      const text = redactText(value);
      size.used += text.length + 2;
      return text;
    }
    case "boolean":
      size.used += 8;
      return value;
    case "number":
      if (!Number.isFinite(value)) break;
      size.used += 8;
      return value;
    case "undefined":
      return null;
    default:
      if (value === null) return null;
  }
  if (value instanceof SafePart) {
    if (!value.exact || value.limits !== limits || depth + value.height >= limits.maxDepth) return undefined;
    size.used += value.used;
    return value.value;
  }
  if (Array.isArray(value)) {
    if (depth >= limits.maxDepth || value.length > limits.maxCollectionItems) return undefined;
    size.used += 2;
    const out: JsonValue[] = new Array<JsonValue>(Math.min(value.length, PRESIZE_LIMIT));
    for (let i = 0; i < value.length; i++) {
      const safe = compose(value[i], depth + 1, limits, size);
      if (safe === undefined) return undefined;
      out[i] = safe;
      size.used += 1;
    }
    return out;
  }
  if (
    value !== null &&
    typeof value === "object" &&
    Object.getPrototypeOf(value) === Object.prototype &&
    typeof (value as { toJSON?: unknown }).toJSON !== "function"
  ) {
    const keys = Object.keys(value);
    if (depth >= limits.maxDepth || keys.length > limits.maxCollectionItems) return undefined;
    size.used += 2;
    const out: Record<string, JsonValue> = {};
    for (const key of keys) {
      const entry = (value as Record<string, unknown>)[key];
      if (entry === undefined) continue;
      if (isSecretKey(key)) return undefined;
      size.used += key.length + 3;
      const safe = compose(entry, depth + 1, limits, size);
      if (safe === undefined) return undefined;
      out[key] = safe;
    }
    return out;
  }
  // Any other object (a class instance, Map, Date, …) is left to the walker: it knows the objects
  // above it, so a reference back up is "[Circular]" where a walker of its own here would go deeper.
  if (typeof value === "object") return undefined;
  const snapshotter = new Snapshotter(limits);
  const out = snapshotter.convert(value, depth);
  if (snapshotter.cut) return undefined;
  size.used += snapshotter.used;
  return out;
}
