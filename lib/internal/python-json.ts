/**
 * The one encoder for Python's `json.dumps` text, used wherever our output must match Python's
 * byte for byte: Haystack's tool-call arguments, document ids, Jinja's `tojson`, and the span
 * sizes of `mlflow.trace.sizeStats`. The same walk writes the text or only measures its length.
 */

/** How a value is written; the defaults are Python's. */
export interface PythonJsonOptions {
  /** `ensure_ascii`: escape every non-ASCII UTF-16 unit as `\uXXXX` (default true). */
  readonly ensureAscii?: boolean;
  /** `sort_keys` (default false: insertion order). */
  readonly sortKeys?: boolean;
  /**
   * Non-integral numbers as Python's `repr(float)` (`1e-05`) rather than JavaScript's number text
   * (`0.00001`). JS numbers carry no int/float distinction: integral ones stay ints either way.
   */
  readonly pythonFloats?: boolean;
  /** Objects with `toDict()` (Haystack data classes) or `toJSON()` are written as what those return. */
  readonly hooks?: boolean;
  /**
   * Python's `default=str`: what JSON has no form for (bigints, functions, symbols) is written as
   * its `String()`, and `undefined` object members as `null`. Without it bigints are written as
   * digits, functions and symbols as `null`, and `undefined` members are left out as
   * `JSON.stringify` does.
   */
  readonly defaultStr?: boolean;
  /** `indent`: items on their own lines, indented this many spaces a level, separated by `","`. */
  readonly indent?: number;
  /** Further ASCII characters to escape in strings (Jinja's `tojson`: `<`, `>`, `&`, `'`). */
  readonly extraEscapes?: Readonly<Record<string, string>>;
  /** Applied to every value before it is written (a template engine's runtime values unwrapped). */
  readonly convert?: (value: unknown) => unknown;
}

/**
 * A number Python holds as a float: written as `repr(float)` (`2.0`, `1e-05`, `nan`) whatever its
 * value, as Jinja's `FloatValue`s are.
 */
export class PythonFloat {
  constructor(readonly value: number) {}
}

/** Deeper values are written as this string; only a cyclic `toDict()`/`toJSON()` gets there. */
const MAX_DEPTH = 64;
const DEPTH_MARKER = "<max depth>";

const ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" };
const NEEDS_ESCAPE_ASCII = /["\\\u0000-\u001f\u007f-\uffff]/;
const NON_PRINTABLE_ASCII = /[^ -~]/;

/**
 * A string as `json.dumps` writes it, quotes included. `extra` escapes further ASCII characters
 * (Jinja's `tojson` also escapes `<`, `>`, `&` and `'`).
 *
 * @example
 * pythonJsonString("é\n"); // '"\\u00e9\\n"'
 */
export function pythonJsonString(s: string, options: { readonly ensureAscii?: boolean; readonly extra?: Readonly<Record<string, string>> } = {}): string {
  const extra = options.extra;
  if (options.ensureAscii === false && extra === undefined) return JSON.stringify(s);
  if (extra === undefined && !NEEDS_ESCAPE_ASCII.test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    const ch = s[i] as string;
    const escaped = ESCAPES[ch];
    if (escaped !== undefined) out += escaped;
    else if (code < 0x20 || (code > 0x7e && options.ensureAscii !== false)) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += extra?.[ch] ?? ch;
  }
  return out + '"';
}

function occurrences(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i !== -1; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

/** Length of {@link pythonJsonString} with `ensure_ascii`, without building it: native scans first. */
function asciiStringLength(s: string): number {
  let n = s.length + 2 + occurrences(s, '"') + occurrences(s, "\\");
  if (!NON_PRINTABLE_ASCII.test(s)) return n;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e) continue;
    n += c === 0x0a || c === 0x0d || c === 0x09 || c === 0x08 || c === 0x0c ? 1 : 5;
  }
  return n;
}

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

function numberText(x: number, pythonFloats: boolean): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  return pythonFloats && !Number.isSafeInteger(x) ? pythonFloatRepr(x) : String(x);
}

/** Where the walk writes: the text, or only its length. */
abstract class Sink {
  abstract raw(text: string): void;
  abstract string(s: string): void;
}

class TextSink extends Sink {
  text = "";
  constructor(private readonly escaping: { readonly ensureAscii: boolean; readonly extra?: Readonly<Record<string, string>> }) {
    super();
  }
  raw(text: string): void {
    this.text += text;
  }
  string(s: string): void {
    this.text += pythonJsonString(s, this.escaping);
  }
}

class LengthSink extends Sink {
  length = 0;
  constructor(private readonly escaping: { readonly ensureAscii: boolean; readonly extra?: Readonly<Record<string, string>> }) {
    super();
  }
  raw(text: string): void {
    this.length += text.length;
  }
  string(s: string): void {
    this.length += this.escaping.ensureAscii && this.escaping.extra === undefined ? asciiStringLength(s) : pythonJsonString(s, this.escaping).length;
  }
}

function escapingOf(options: PythonJsonOptions): { readonly ensureAscii: boolean; readonly extra?: Readonly<Record<string, string>> } {
  return { ensureAscii: options.ensureAscii !== false, ...(options.extraEscapes === undefined ? {} : { extra: options.extraEscapes }) };
}

/** The options, read once per call rather than at every value. */
interface Flags {
  readonly sortKeys: boolean;
  readonly pythonFloats: boolean;
  readonly hooks: boolean;
  readonly defaultStr: boolean;
  readonly indent: number | undefined;
  readonly convert: ((value: unknown) => unknown) | undefined;
}

function flagsOf(options: PythonJsonOptions): Flags {
  return {
    sortKeys: options.sortKeys === true,
    pythonFloats: options.pythonFloats === true,
    hooks: options.hooks === true,
    defaultStr: options.defaultStr === true,
    indent: options.indent,
    convert: options.convert,
  };
}

/** What goes before an item at `level` (and, at `level - 1`, before a closing bracket). */
function newline(flags: Flags, level: number): string {
  return flags.indent === undefined ? "" : `\n${" ".repeat(flags.indent * level)}`;
}

function write(given: unknown, sink: Sink, flags: Flags, depth: number): void {
  if (depth > MAX_DEPTH) return sink.string(DEPTH_MARKER);
  const value = flags.convert === undefined ? given : flags.convert(given);
  switch (typeof value) {
    case "string":
      return sink.string(value);
    case "boolean":
      return sink.raw(value ? "true" : "false");
    case "number":
      return sink.raw(numberText(value, flags.pythonFloats));
    case "bigint":
      return flags.defaultStr ? sink.string(value.toString()) : sink.raw(value.toString());
    case "object":
      break;
    default:
      return flags.defaultStr && value !== undefined ? sink.string(String(value)) : sink.raw("null");
  }
  if (value === null) return sink.raw("null");
  if (value instanceof PythonFloat) return sink.raw(pythonFloatRepr(value.value));
  const separator = flags.indent === undefined ? ", " : ",";
  if (Array.isArray(value)) {
    if (value.length === 0) return sink.raw("[]");
    sink.raw("[");
    for (let i = 0; i < value.length; i++) {
      sink.raw((i > 0 ? separator : "") + newline(flags, depth + 1));
      write(value[i], sink, flags, depth + 1);
    }
    return sink.raw(`${newline(flags, depth)}]`);
  }
  if (flags.hooks) {
    const { toDict, toJSON } = value as { toDict?: unknown; toJSON?: unknown };
    if (typeof toDict === "function") return write((toDict as () => unknown).call(value), sink, flags, depth + 1);
    if (typeof toJSON === "function") return write((toJSON as () => unknown).call(value), sink, flags, depth + 1);
  }
  if (value instanceof Date) return sink.string(value.toISOString());
  const record = value as Record<string, unknown>;
  const keys = flags.sortKeys ? Object.keys(record).sort() : Object.keys(record);
  let first = true;
  for (const key of keys) {
    const item = record[key];
    if (item === undefined && !flags.defaultStr) continue;
    sink.raw((first ? "{" : separator) + newline(flags, depth + 1));
    first = false;
    sink.string(key);
    sink.raw(": ");
    write(item, sink, flags, depth + 1);
  }
  sink.raw(first ? "{}" : `${newline(flags, depth)}}`);
}

/**
 * Python's `json.dumps(value)` text, with the {@link PythonJsonOptions} given.
 *
 * @example
 * pythonJsonDumps({ b: [1, "é"], a: null }, { sortKeys: true }); // '{"a": null, "b": [1, "\\u00e9"]}'
 */
export function pythonJsonDumps(value: unknown, options: PythonJsonOptions = {}): string {
  const sink = new TextSink(escapingOf(options));
  write(value, sink, flagsOf(options), 0);
  return sink.text;
}

/**
 * Length of {@link pythonJsonDumps}`(value, options)` without building the text. With
 * `ensure_ascii` (the default) the text is all ASCII, so this is also its UTF-8 byte length.
 */
export function pythonJsonLength(value: unknown, options: PythonJsonOptions = {}): number {
  const sink = new LengthSink(escapingOf(options));
  write(value, sink, flagsOf(options), 0);
  return sink.length;
}
