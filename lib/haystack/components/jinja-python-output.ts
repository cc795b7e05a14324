/**
 * How Python Jinja2 prints values, applied to `@huggingface/jinja` runtime values: `{{ x }}`
 * shows Python's `str()` (`True`, `None`, `[1, 'a']`, `{'k': 2.0}`), and `tojson` is Jinja2's
 * `htmlsafe_json_dumps` with `sort_keys=True` and `ensure_ascii=True`.
 */
import { pythonFloatRepr, pythonJsonDumps, PythonFloat } from "../../internal/python-json";
import { pythonStringRepr } from "../../internal/python-repr";

interface RuntimeValue {
  type: string;
  value: unknown;
}

function isRuntimeValue(value: unknown): value is RuntimeValue {
  return typeof value === "object" && value !== null && typeof (value as RuntimeValue).type === "string" && "value" in value;
}

function entriesOf(value: unknown): [string, unknown][] {
  if (value instanceof Map) return [...value.entries()].map(([k, v]) => [String(k), v]);
  return Object.entries(value as Record<string, unknown>);
}

/**
 * Lists that Python prints as tuples (`dictsort` pairs, `groupby` groups): they stay the library's
 * `ArrayValue`s, because its `{% for k, v in ... %}` unpacks nothing else.
 */
const TUPLES = new WeakSet<object>();
export function printAsTuple<T extends object>(value: T): T {
  TUPLES.add(value);
  return value;
}

/** Runtime values that print as a fixed text: Documents, as Python's `str(doc)`. */
const PRINTED_AS = new WeakMap<object, string>();

/** Makes `value` (a runtime value) print as `text`, alone or inside a list or dict. */
export function printAs(value: object, text: string): void {
  PRINTED_AS.set(value, text);
}

/** The fixed text a runtime value prints as (a Document's `str(doc)`), if it has one. */
export function printedText(value: object): string | undefined {
  return PRINTED_AS.get(value);
}

/** Python `repr()` of a runtime value (how items inside lists and dicts print). */
export function pythonReprOf(v: unknown): string {
  const printed = typeof v === "object" && v !== null ? PRINTED_AS.get(v) : undefined;
  if (printed !== undefined) return printed;
  if (!isRuntimeValue(v)) {
    if (v === null || v === undefined) return "None";
    if (typeof v === "boolean") return v ? "True" : "False";
    if (typeof v === "number") return Number.isInteger(v) ? String(v) : pythonFloatRepr(v);
    if (typeof v === "string") return pythonStringRepr(v);
    if (Array.isArray(v)) return `[${v.map(pythonReprOf).join(", ")}]`;
    if (v instanceof Map || typeof v === "object") {
      return `{${entriesOf(v)
        .map(([k, item]) => `${pythonStringRepr(k)}: ${pythonReprOf(item)}`)
        .join(", ")}}`;
    }
    return String(v);
  }
  if (TUPLES.has(v)) return pythonReprOf({ type: "TupleValue", value: v.value });
  switch (v.type) {
    case "IntegerValue":
      return String(v.value);
    case "FloatValue":
      return pythonFloatRepr(v.value as number);
    case "TupleValue": {
      const items = (v.value as unknown[]).map(pythonReprOf);
      return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
    }
    case "FunctionValue":
      return "<function>";
    case "UndefinedValue":
      return "Undefined";
    default:
      return pythonReprOf(v.value);
  }
}

/** Python `str()` of a printed value, or undefined where Jinja2 prints nothing (Undefined). */
export function pythonStr(v: RuntimeValue): string | undefined {
  switch (v.type) {
    case "UndefinedValue":
      return undefined;
    case "StringValue":
      return v.value as string;
    case "NullValue":
    case "BooleanValue":
    case "IntegerValue":
    case "FloatValue":
    case "ArrayValue":
    case "TupleValue":
    case "ObjectValue":
      return pythonReprOf(v);
    default:
      return String(v);
  }
}

const HTML_SAFE: Record<string, string> = { "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027" };

/**
 * A runtime value as plain data for the Python JSON encoder: wrappers unwrapped, `FloatValue`s
 * (and non-integral numbers) kept floats, maps as objects; an `Undefined` fails as in Python's `json`.
 */
function jsonPlain(given: unknown): unknown {
  let v = given;
  while (isRuntimeValue(v)) {
    if (v.type === "FloatValue") return new PythonFloat(v.value as number);
    if (v.type === "UndefinedValue") throw new TypeError("Object of type Undefined is not JSON serializable");
    v = v.value;
  }
  if (typeof v === "number" && !Number.isInteger(v)) return new PythonFloat(v);
  if (v instanceof Map) return Object.fromEntries(entriesOf(v));
  return v;
}

/** Jinja2's `tojson` filter; `options` is the filter's keyword arguments (`indent`). */
export function jinjaToJson(value: unknown, options?: unknown): string {
  let indent: number | undefined;
  if (options instanceof Map) {
    const given = options.get("indent") as RuntimeValue | undefined;
    if (given !== undefined && typeof given.value === "number") indent = given.value;
  }
  return pythonJsonDumps(value, { sortKeys: true, defaultStr: true, extraEscapes: HTML_SAFE, convert: jsonPlain, ...(indent === undefined ? {} : { indent }) });
}
