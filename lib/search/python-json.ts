/**
 * Python's `json.dumps(value)` text, which MLflow's SQL store keeps in `assessments.value` and
 * which `feedback.<name> = '...'` / `LIKE` filters compare against. Values that went through the
 * REST API as a protobuf `Value` arrive as Python floats (`5` is stored as `5.0`); values of a
 * serialized expectation keep their JSON integers.
 */

/** Python's `repr(float)`: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const [mantissa, exp] = value.toExponential().split("e") as [string, string];
  const exponent = Number(exp);
  if (exponent < -4 || exponent >= 16) {
    const sign = exponent < 0 ? "-" : "+";
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  const text = String(value);
  return text.includes(".") ? text : `${text}.0`;
}

function pythonString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const ch = text[i] as string;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * `json.dumps(value)` with Python's defaults (`", "` and `": "` separators, ASCII only).
 * `numbers: "float"` prints every number as a Python float; `"as-written"` prints integers bare.
 */
export function pythonJsonDumps(value: unknown, numbers: "float" | "as-written"): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return numbers === "as-written" && Number.isInteger(value) ? String(value) : pythonFloatRepr(value);
  if (typeof value === "string") return pythonString(value);
  if (Array.isArray(value)) return `[${value.map((v) => pythonJsonDumps(v, numbers)).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pythonString(k)}: ${pythonJsonDumps(v, numbers)}`);
    return `{${entries.join(", ")}}`;
  }
  return pythonString(String(value));
}
