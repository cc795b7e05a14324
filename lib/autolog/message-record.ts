/**
 * An agent span's inputs and outputs (`{ messages, last_message, step_count, … }` with Haystack
 * `ChatMessage`s) made JSON-safe by composition instead of the general walker, which reached each
 * message through `toJSON` after a dozen class checks, with its cycle list and a `try` per value.
 * The result is exactly what `toJsonSafe` gives for the same value, with the same counted length,
 * or `undefined` (then the caller snapshots the value whole): the composition declines anything but
 * plain data around the messages (a record's own `toJSON`, class instances, a limit reached).
 *
 * Each message is composed from a fresh `toDict()`, not from a part cached per message: a cached
 * part (a snapshot, a `WeakMap` entry and a `SafePart` per message) cost more than it saved, since
 * an agent span records most of its messages once (bench/README.md).
 */
import { ChatMessage } from "../haystack/dataclasses/chat-message";
import { composeSnapshotCounted, type JsonValue } from "../tracing/integration";

function isMessage(value: unknown): value is ChatMessage {
  // The exact class: a subclass may serialize itself another way.
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === ChatMessage.prototype;
}

/**
 * The message's dict inside a one-item array: the walker reaches the dict one level below the
 * message (through `toJSON`), and the array puts it at that depth, so the composition applies the
 * depth limit where the walker does. The array is taken off after composing; it is charged 3 chars
 * where the walker charges the message's own level 2.
 */
function wrapped(message: ChatMessage): [unknown] {
  return [message.toDict()];
}

function unwrap(value: JsonValue | undefined): JsonValue {
  return Array.isArray(value) ? (value[0] as JsonValue) : (value ?? null);
}

/** Where the messages of a record's shape were wrapped: a key, and an index when in a list (-1: the value itself). */
type Marks = Array<[string, number]>;

/** `record`'s shape for composition, its messages wrapped; `undefined` when it holds none. */
function shapeOf(source: Record<string, unknown>, marks: Marks): Record<string, unknown> | undefined {
  const shape: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (isMessage(value)) {
      shape[key] = wrapped(value);
      marks.push([key, -1]);
    } else if (Array.isArray(value) && value.some(isMessage)) {
      shape[key] = value.map((item: unknown, i) => {
        if (!isMessage(item)) return item;
        marks.push([key, i]);
        return wrapped(item);
      });
    } else {
      shape[key] = value;
    }
  }
  return marks.length === 0 ? undefined : shape;
}

/**
 * `record` (a plain object) made JSON-safe, its messages and lists of messages composed; `undefined`
 * when that would differ from `toJsonSafe(record)` or when it holds no message.
 */
export function composeMessageRecord(record: unknown): { value: JsonValue; used: number } | undefined {
  if (typeof record !== "object" || record === null || Object.getPrototypeOf(record) !== Object.prototype) return undefined;
  const marks: Marks = [];
  let shape: Record<string, unknown> | undefined;
  try {
    shape = shapeOf(record as Record<string, unknown>, marks);
  } catch {
    return undefined; // a throwing getter: the general walker records it
  }
  const safe = shape === undefined ? undefined : composeSnapshotCounted(shape);
  if (safe === undefined) return undefined;
  // Composed objects and arrays are new (only snapshotted parts are shared), so unwrapping in place is safe.
  const out = safe.value;
  if (typeof out !== "object" || out === null || Array.isArray(out)) return undefined;
  for (const [key, index] of marks) {
    const at = out[key];
    if (index < 0) out[key] = unwrap(at);
    else if (Array.isArray(at)) at[index] = unwrap(at[index]);
  }
  return { value: out, used: safe.used - marks.length };
}
