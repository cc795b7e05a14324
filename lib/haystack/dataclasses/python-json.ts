/**
 * Python's `json.dumps(value, ensure_ascii=False)` text for plain data: `", "` and `": "`
 * separators, keys in insertion order. Haystack writes tool-call arguments and non-string tool
 * results this way, so the model (and a Python parity run) sees the same text from us.
 * Objects with `toDict()` (Haystack data classes) or `toJSON()` are written as what those return.
 */
export function pythonJson(value: unknown, depth = 0): string {
  if (depth > 64) return JSON.stringify("<max depth>");
  if (value === undefined || value === null || typeof value === "function" || typeof value === "symbol") return "null";
  if (typeof value === "number") return Number.isFinite(value) ? JSON.stringify(value) : value > 0 ? "Infinity" : value < 0 ? "-Infinity" : "NaN";
  if (typeof value === "bigint") return value.toString();
  if (typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => pythonJson(v, depth + 1)).join(", ")}]`;
  const withHooks = value as { toDict?: unknown; toJSON?: unknown };
  if (typeof withHooks.toDict === "function") return pythonJson((withHooks.toDict as () => unknown).call(value), depth + 1);
  if (typeof withHooks.toJSON === "function") return pythonJson((withHooks.toJSON as () => unknown).call(value), depth + 1);
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v, depth + 1)}`).join(", ")}}`;
}
