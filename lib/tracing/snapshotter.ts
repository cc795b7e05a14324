/**
 * The general walker behind `toJsonSafe`: copies any value into JSON-safe data within the limits —
 * string length, depth, items per collection, and a budget on the whole value's serialized size,
 * so 10,000 references to one large string cost what the budget allows, not 10,000 copies.
 * Secrets are redacted on the way (see `redaction.ts`).
 */
import type { SerializationLimits } from "../internal/global-state";
import { isSecretKey, REDACTED, redactText } from "../internal/redaction";

/** A value that `JSON.stringify` renders faithfully. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Default of `maxValueLength`: the serialized size kept for one value, in characters. */
export const DEFAULT_MAX_VALUE_LENGTH = 4_000_000;
/** Default of `maxSpanLength`: the serialized size kept for one span's values together, in characters. */
export const DEFAULT_MAX_SPAN_LENGTH = 16_000_000;
/** Ends a collection cut by `maxValueLength` or `maxSpanLength`. */
export const SIZE_CAP_REASON = "size cap reached";

/** Cuts a string longer than `max` and says how much was dropped. */
export function truncateString(value: string, max: number): string {
  if (value.length <= max) return value;
  return `${value.slice(0, max)}...[truncated ${value.length - max} of ${value.length} chars]`;
}

/** What a number, boolean or null counts against the size budget (a snapshot's fixed charge per primitive). */
export const PRIMITIVE_COST = 8;

/**
 * Lists are allocated at most this long up front (a longer one grows as it fills). A list grown
 * by `push` from empty keeps room for 16 or more items: copies of short lists, held with their
 * trace until export, took three times their size in slack.
 */
export const PRESIZE_LIMIT = 1024;

export class Snapshotter {
  private readonly ancestors: object[] = [];
  /** Characters of serialized output still allowed for this value. */
  private remaining: number;
  private readonly budget: number;
  /** Whether a limit changed anything: a string cut, items or keys left out, a depth or size cap. */
  cut = false;
  /** The greatest depth at which an object or array was copied (-1: none). */
  deepest = -1;
  /** `budget`: the most chars this value may take (default `maxValueLength`). */
  constructor(
    private readonly limits: SerializationLimits,
    budget = limits.maxValueLength ?? DEFAULT_MAX_VALUE_LENGTH,
  ) {
    this.budget = budget;
    this.remaining = budget;
  }

  /** About how many chars of JSON the values converted so far take. */
  get used(): number {
    return this.budget - this.remaining;
  }

  /** `value` converted; `secret` masks every string and number beneath a secret-named key. */
  convert(value: unknown, depth: number, secret = false): JsonValue {
    switch (typeof value) {
      case "string":
        return secret ? this.charge(REDACTED) : this.string(value);
      case "number":
        this.remaining -= PRIMITIVE_COST;
        return secret ? REDACTED : Number.isFinite(value) ? value : String(value);
      case "boolean":
        this.remaining -= PRIMITIVE_COST;
        return value;
      case "undefined":
        return null;
      case "bigint":
        this.remaining -= PRIMITIVE_COST;
        return secret ? REDACTED : Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
      case "symbol":
        return this.charge(value.toString());
      case "function":
        return this.charge(functionLabel(value));
      default:
        break;
    }
    if (value === null) return null;
    const obj = value as object;
    if (this.ancestors.includes(obj)) return "[Circular]";
    this.ancestors.push(obj);
    try {
      if (depth >= this.limits.maxDepth) {
        this.cut = true;
        return Array.isArray(obj) ? "[Array]" : "[Object]";
      }
      if (depth > this.deepest) this.deepest = depth;
      this.remaining -= 2;
      return this.convertObject(obj, depth, secret);
    } catch (error) {
      return `[Unserializable: ${describeError(error)}]`;
    } finally {
      this.ancestors.pop();
    }
  }

  private charge(text: string): string {
    this.remaining -= text.length + 2;
    return text;
  }

  private string(value: string): string {
    const room = Math.max(0, Math.min(this.limits.maxStringLength, this.remaining));
    let kept = value;
    if (value.length > room) {
      this.cut = true;
      kept = truncateString(value, room);
    }
    return this.charge(redactText(kept));
  }

  private convertObject(obj: object, depth: number, secret: boolean): JsonValue {
    if (Array.isArray(obj)) return this.convertItems(obj, obj.length, depth, secret);
    const proto = Object.getPrototypeOf(obj) as object | null;
    if ((proto === Object.prototype || proto === null) && typeof (obj as { toJSON?: unknown }).toJSON !== "function") {
      return this.convertRecord(obj, depth, secret);
    }
    if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? "Invalid Date" : obj.toISOString();
    if (obj instanceof Error) return this.convertError(obj, depth, secret);
    if (obj instanceof Map) return this.convertMap(obj, depth, secret);
    if (obj instanceof Set) return this.convertItems(obj.values(), obj.size, depth, secret);
    if (Buffer.isBuffer(obj) || obj instanceof ArrayBuffer || obj instanceof DataView || obj instanceof Uint8Array) {
      return `[${obj.constructor.name}: ${(obj as ArrayBuffer).byteLength} bytes]`;
    }
    // Only the items kept are read: a 100M-element Float64Array costs what the item cap allows.
    if (ArrayBuffer.isView(obj)) return this.convertItems(obj as unknown as ArrayLike<unknown>, (obj as unknown as ArrayLike<unknown>).length, depth, secret);
    if (obj instanceof Promise) return "[Promise]";
    if (obj instanceof WeakMap || obj instanceof WeakSet || obj instanceof WeakRef) return `[${obj.constructor.name}]`;
    const toJSON = (obj as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return this.convert(toJSON.call(obj), depth + 1, secret);
    return this.convertRecord(obj, depth, secret);
  }

  /** Items of an array-like or an iterator, up to the item cap and the size budget. */
  private convertItems(items: ArrayLike<unknown> | Iterator<unknown>, size: number, depth: number, secret: boolean): JsonValue[] {
    const max = this.limits.maxCollectionItems;
    // Sized up front (bounded): filling by index does not regrow the list as pushes would.
    const out: JsonValue[] = new Array<JsonValue>(Math.min(size, max + 1, PRESIZE_LIMIT));
    const iterator = "next" in items && typeof items.next === "function" ? items : undefined;
    const list = items as ArrayLike<unknown>;
    for (let i = 0; i < size; i++) {
      if (i >= max || this.remaining <= 0) {
        this.cut = true;
        out[i] = i >= max ? `...[${size - max} more items]` : `...[${size - i} more items: ${SIZE_CAP_REASON}]`;
        out.length = i + 1;
        break;
      }
      const item = iterator === undefined ? list[i] : iterator.next().value;
      out[i] = this.convert(item, depth + 1, secret);
      this.remaining -= 1;
    }
    return out;
  }

  private convertMap(map: Map<unknown, unknown>, depth: number, secret: boolean): JsonValue {
    const out: Record<string, JsonValue> = {};
    let count = 0;
    for (const [key, entry] of map) {
      if (count >= this.limits.maxCollectionItems || this.remaining <= 0) {
        this.cut = true;
        const reason = count >= this.limits.maxCollectionItems ? "" : `: ${SIZE_CAP_REASON}`;
        out["..."] = `[${map.size - count} more entries${reason}]`;
        break;
      }
      count++;
      const name = typeof key === "string" ? key : String(this.convert(key, depth + 1));
      out[name] = this.entry(name, entry, depth, secret);
    }
    return out;
  }

  private convertError(error: Error, depth: number, secret: boolean): JsonValue {
    const out: Record<string, JsonValue> = { name: error.name, message: this.string(String(error.message)) };
    if (error.stack !== undefined) out["stack"] = this.string(error.stack);
    if (error.cause !== undefined) out["cause"] = this.convert(error.cause, depth + 1, secret);
    const own = this.convertRecord(error, depth, secret) as Record<string, JsonValue>;
    return { ...own, ...out };
  }

  private convertRecord(obj: object, depth: number, secret: boolean): JsonValue {
    const out: Record<string, JsonValue> = {};
    const keys = Object.keys(obj);
    const max = this.limits.maxCollectionItems;
    const n = Math.min(keys.length, max);
    for (let i = 0; i < n; i++) {
      if (this.remaining <= 0) {
        this.cut = true;
        out["..."] = `[${keys.length - i} more keys: ${SIZE_CAP_REASON}]`;
        return out;
      }
      const key = keys[i] as string;
      let entry: unknown;
      try {
        entry = (obj as Record<string, unknown>)[key];
      } catch (error) {
        out[key] = `[Getter threw: ${describeError(error)}]`;
        continue;
      }
      if (entry === undefined) continue;
      out[key] = this.entry(key, entry, depth, secret);
    }
    if (keys.length > max) {
      this.cut = true;
      out["..."] = `[${keys.length - max} more keys]`;
    }
    return out;
  }

  /**
   * One keyed entry. Under a secret-named key a string (or list of strings) is masked whole and a
   * structure is walked masked (`{ credentials: { pass } }`); a number stays (`{ tokens: 12 }`).
   */
  entry(key: string, entry: unknown, depth: number, secret: boolean): JsonValue {
    this.remaining -= key.length + 3;
    if (!secret && isSecretKey(key)) {
      if (typeof entry === "number" || typeof entry === "boolean") return this.convert(entry, depth + 1);
      if (typeof entry === "string" || (Array.isArray(entry) && entry.length <= this.limits.maxCollectionItems && entry.every((v) => typeof v === "string"))) {
        return this.charge(REDACTED);
      }
      return this.convert(entry, depth + 1, true);
    }
    return this.convert(entry, depth + 1, secret);
  }
}

/**
 * A snapshotter that lives as long as the module. Every snapshot makes a short-lived one, so at a
 * full collection that reduces memory (V8's after an idle period, or `gc()`) often none is alive:
 * V8 then drops their hidden class and throws away the optimized code of every function that
 * checks it, and the next snapshots run unoptimized until compiled again.
 */
export const SHAPE_KEEPER = new Snapshotter({ maxStringLength: 0, maxDepth: 0, maxCollectionItems: 0 });

function functionLabel(fn: Function): string {
  try {
    return `[Function ${typeof fn.name === "string" && fn.name !== "" ? fn.name : "anonymous"}]`;
  } catch {
    return "[Function]";
  }
}

export function describeError(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return "unknown error";
  }
}
