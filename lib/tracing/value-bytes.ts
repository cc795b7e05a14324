/**
 * Approximate JSON bytes of values, for size limits: string lengths plus a fixed cost per value,
 * walked with an explicit stack (no recursion limit, no allocation beyond the stack).
 */
import type { JsonValue } from "./serialize";

const PER_VALUE = 8;

/** Approximate JSON bytes of `value`, at any nesting depth. */
export function valueBytes(value: JsonValue | undefined): number {
  let total = 0;
  const stack: (JsonValue | undefined)[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === undefined || item === null) total += 4;
    else if (typeof item === "string") total += item.length + 2;
    else if (typeof item !== "object") total += PER_VALUE;
    else if (Array.isArray(item)) {
      total += 2 + item.length;
      for (let i = 0; i < item.length; i++) stack.push(item[i]);
    } else {
      total += 2;
      for (const key in item) {
        total += key.length + 4;
        stack.push(item[key]);
      }
    }
  }
  return total;
}

/** Approximate JSON bytes of a record's entries (keys and values). */
export function recordBytes(record: Readonly<Record<string, string | number | boolean | JsonValue>>): number {
  let total = 0;
  for (const key in record) total += key.length + 4 + valueBytes(record[key]);
  return total;
}
