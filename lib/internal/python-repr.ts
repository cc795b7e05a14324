/**
 * Python's `repr()` of plain data, so values hashed by Haystack (document ids) hash the same in
 * TypeScript and trace tags read as Python's `str()` writes them; its `json.dumps` text comes from
 * `lib/internal/python-json.ts`. Internal: not exported from the package.
 *
 * JS numbers carry no int/float distinction: integral numbers print as Python ints, other numbers
 * as Python floats; `asFloat` forces the float form (embeddings are always floats in Python).
 */
import { pythonFloatRepr } from "./python-json";

function pythonNumber(x: number, asFloat: boolean): string {
  return !asFloat && Number.isSafeInteger(x) ? String(x) : pythonFloatRepr(x);
}

/** Python `repr(str)`: single quotes unless the text has `'` and no `"`. */
export function pythonStringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + quote;
}

/** Python `repr()` of JSON-like data: `{'a': 1, 'b': [True, None]}`. */
export function pythonRepr(value: unknown, options: { asFloat?: boolean } = {}): string {
  const asFloat = options.asFloat ?? false;
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return pythonNumber(value, asFloat);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return pythonStringRepr(value);
  if (Array.isArray(value)) return `[${value.map((v) => pythonRepr(v, options)).join(", ")}]`;
  if (value instanceof Date) return pythonStringRepr(value.toISOString());
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${pythonStringRepr(k)}: ${pythonRepr(v, options)}`).join(", ")}}`;
  }
  return pythonStringRepr(String(value));
}
