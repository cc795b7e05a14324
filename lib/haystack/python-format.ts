/**
 * Python's text forms of plain data (`repr()`, `json.dumps(sort_keys=True)`), so values hashed by
 * Haystack (document ids) hash the same in TypeScript. Internal: not exported from the package.
 *
 * JS numbers carry no int/float distinction: integral numbers print as Python ints, other numbers
 * as Python floats; `asFloat` forces the float form (embeddings are always floats in Python).
 */

/** Python `repr(float)`: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa = "", expPart] = x.toExponential().split("e");
  const exp = Number(expPart);
  if (exp < -4 || exp >= 16) {
    const sign = exp < 0 ? "-" : "+";
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  let text: string;
  if (exp < 0) text = `0.${"0".repeat(-exp - 1)}${digits}`;
  else if (digits.length > exp + 1) text = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  else text = `${digits}${"0".repeat(exp + 1 - digits.length)}.0`;
  return negative ? `-${text}` : text;
}

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

/**
 * A string as Python's `json.dumps` writes it (`ensure_ascii=True`); `extra` escapes further ASCII
 * characters (Jinja's `tojson` also escapes `<`, `>`, `&` and `'`).
 */
export function jsonString(s: string, extra: Readonly<Record<string, string>> = {}): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    const ch = s[i] ?? "";
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    // ensure_ascii: every non-ASCII UTF-16 unit (surrogates included) becomes \uXXXX
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += extra[ch] ?? ch;
  }
  return out + '"';
}

/** Python `json.dumps(value, sort_keys=True, default=str)` with its default separators. */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
    return pythonNumber(value, false);
  }
  if (typeof value === "string") return jsonString(value);
  if (Array.isArray(value)) return `[${value.map((v) => pythonJsonDumps(v)).join(", ")}]`;
  if (value instanceof Date) return jsonString(value.toISOString());
  if (typeof value === "object") {
    const keys = Object.keys(value as Record<string, unknown>).sort();
    const record = value as Record<string, unknown>;
    return `{${keys.map((k) => `${jsonString(k)}: ${pythonJsonDumps(record[k])}`).join(", ")}}`;
  }
  return jsonString(String(value));
}
