/**
 * Snapshots a component's constructor options as plain JSON-safe data. Objects with `toDict()`
 * (secrets, document stores) are stored only as what `toDict()` returns, so a secret's value is
 * never copied; plain-string values under keys that name a secret (the one rule of
 * `lib/internal/redaction.ts`, as for traced values) are redacted.
 */
import { isSecretKey } from "../internal/redaction";

const MAX_DEPTH = 20;

/** What replaces a plain-string credential in a snapshot. */
export const REDACTED = "<redacted>";

/** A JSON-safe value. */
export type PlainValue = null | boolean | number | string | PlainValue[] | { [key: string]: PlainValue };

function className(value: object): string {
  const ctor = (value as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === "string" && ctor.name.length > 0 ? ctor.name : "Object";
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

function callHook(value: object, hook: "toDict" | "toJSON"): { ok: true; value: unknown } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: (value as Record<string, () => unknown>)[hook]!() };
  } catch (error) {
    return { ok: false, error };
  }
}

function snapshot(value: unknown, depth: number, seen: Set<object>): PlainValue | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : String(value);
    case "bigint":
      return value.toString();
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
    default:
      break;
  }
  if (value === null) return null;
  const obj = value as object;
  if (seen.has(obj)) return "<circular>";
  if (depth >= MAX_DEPTH) return "<max depth>";
  seen.add(obj);
  try {
    for (const hook of ["toDict", "toJSON"] as const) {
      if (typeof (obj as Record<string, unknown>)[hook] !== "function") continue;
      const result = callHook(obj, hook);
      if (!result.ok) {
        const reason = result.error instanceof Error ? result.error.message : String(result.error);
        return `<${className(obj)}: not serializable: ${reason}>`;
      }
      return snapshot(result.value, depth + 1, seen) ?? null;
    }
    if (Array.isArray(obj)) return obj.map((item) => snapshot(item, depth + 1, seen) ?? null);
    if (obj instanceof Date) return obj.toISOString();
    if (!isPlainObject(obj)) return `<${className(obj)}>`;
    const out: Record<string, PlainValue> = {};
    for (const [key, item] of Object.entries(obj)) {
      if (typeof item === "string" && isSecretKey(key)) {
        out[key] = REDACTED;
        continue;
      }
      const plain = snapshot(item, depth + 1, seen);
      if (plain !== undefined) out[key] = plain;
    }
    return out;
  } finally {
    seen.delete(obj);
  }
}

/**
 * Converts a value to plain JSON-safe data: `toDict()` then `toJSON()` are honoured, functions and
 * `undefined` are dropped, cycles and foreign class instances become short placeholder strings.
 */
export function toPlainData(value: unknown): PlainValue | undefined {
  return snapshot(value, 0, new Set());
}

/**
 * The init parameters captured from a component constructor's first argument. A non-object
 * argument (or none) yields `{}`.
 */
export function snapshotInitParameters(firstArgument: unknown): Record<string, PlainValue> {
  if (typeof firstArgument !== "object" || firstArgument === null || Array.isArray(firstArgument)) return {};
  const plain = snapshot(firstArgument, 0, new Set());
  return typeof plain === "object" && plain !== null && !Array.isArray(plain) ? plain : {};
}
