/**
 * The start of a JSON-safe value's JSON text, written only as far as a preview needs: a
 * conversation of many messages costs what its first 1,000 characters cost, not its whole
 * `JSON.stringify`.
 */
import type { JsonValue } from "./serialize";

/** Characters `JSON.stringify` escapes in a string (lone surrogates included). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function quote(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/**
 * `JSON.stringify(value)` when it is at most `max` characters long; otherwise its first `max + 1`
 * characters (one more than `max`, so a caller can tell the text was cut).
 *
 * @example
 * jsonPrefix({ a: "x".repeat(5000) }, 1000).length; // 1001
 */
export function jsonPrefix(value: JsonValue, max: number): string {
  const parts: string[] = [];
  let length = 0;
  /** Appends `text`; true once more than `max` characters are written. */
  const push = (text: string): boolean => {
    parts.push(text);
    length += text.length;
    return length > max;
  };
  const write = (item: JsonValue): boolean => {
    if (item === null) return push("null");
    switch (typeof item) {
      case "string": {
        // Only the characters that can still show are quoted (one more keeps a surrogate pair whole).
        const room = max - length + 2;
        return push(quote(item.length > room ? item.slice(0, room) : item));
      }
      case "number":
        return push(Number.isFinite(item) ? String(item) : "null");
      case "boolean":
        return push(item ? "true" : "false");
      default:
        break;
    }
    if (Array.isArray(item)) {
      if (push("[")) return true;
      for (let i = 0; i < item.length; i++) {
        if ((i > 0 && push(",")) || write(item[i] as JsonValue)) return true;
      }
      return push("]");
    }
    if (push("{")) return true;
    let first = true;
    for (const key of Object.keys(item)) {
      const entry = item[key];
      if (entry === undefined) continue;
      if ((!first && push(",")) || push(`${quote(key)}:`) || write(entry)) return true;
      first = false;
    }
    return push("}");
  };
  write(value);
  const text = parts.join("");
  return text.length > max + 1 ? text.slice(0, max + 1) : text;
}
