/**
 * Jinja2 3.1's `format`, `indent`, `replace`, `wordwrap`, `dictsort`, `groupby`, `list` and `items` filters over
 * `@huggingface/jinja`'s runtime values (the library lacks or deviates from them).
 */
import { pythonFloatRepr } from "../../internal/python-json";
import { printAsTuple, pythonReprOf } from "./jinja-python-output";
import { arg, ArrayCtor, attribute, items, num, runtime, str, type Args, type Filter, type Value } from "./jinja-runtime";

/** A pair or group Python prints as a tuple, and that `{% for a, b in ... %}` unpacks. */
const tuple = (values: Value[]): Value => printAsTuple(new ArrayCtor(values));
const NUMERIC = new Set(["IntegerValue", "FloatValue", "BooleanValue"]);
const bool = (v: Value | undefined): boolean => v !== undefined && v.__bool__().value;

/** Python's fixed-point text: like `toFixed`, but an exact tie rounds half to even (`'%.0f' % 2.5` is `2`). */
function fixed(x: number, digits: number): string {
  const text = x.toFixed(digits);
  if (digits + 1 > 100) return text;
  const exact = Math.abs(x).toFixed(Math.min(100, digits + 60));
  const cut = exact.indexOf(".") + (digits === 0 ? 0 : digits + 1);
  if (!/^50*$/.test(exact.slice(digits === 0 ? cut + 1 : cut))) return text;
  const lastDigit = Number(exact[digits === 0 ? cut - 1 : cut - 1]);
  if (lastDigit % 2 === 1) return text;
  return (x < 0 ? "-" : "") + exact.slice(0, cut);
}

/** Python `%e` with `digits` decimals (exponent at least two digits). */
function exponent(x: number, digits: number): string {
  const [mantissa = "", exp = "0"] = x.toExponential(digits).split("e");
  const e = Number(exp);
  return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
}

/** Python `%g`: significant digits, trailing zeros dropped unless `#`. */
function general(x: number, precision: number, alternate: boolean): string {
  const p = precision === 0 ? 1 : precision;
  if (x === 0) return alternate ? (0).toFixed(p - 1) : "0";
  const e = Number(x.toExponential(p - 1).split("e")[1]);
  let text = e >= -4 && e < p ? fixed(x, Math.max(0, p - 1 - e)) : exponent(x, p - 1);
  if (!alternate) text = text.replace(/\.?0+(?=e|$)/, (m) => (m.includes(".") || text.includes(".") ? "" : m));
  return text;
}

/** Python's type name in `%` errors. */
const PYTHON_TYPE: Record<string, string> = {
  StringValue: "str",
  ArrayValue: "list",
  TupleValue: "tuple",
  ObjectValue: "dict",
  NullValue: "NoneType",
  UndefinedValue: "Undefined",
};

function convert(value: Value, type: string, precision: number | undefined, flags: string): string {
  if (!"srac".includes(type) && !NUMERIC.has(value.type)) {
    throw new TypeError(`%${type} format: a real number is required, not ${PYTHON_TYPE[value.type] ?? value.type}`);
  }
  const x = num(value);
  switch (type) {
    case "s": {
      const s = str(value);
      return precision === undefined ? s : Array.from(s).slice(0, precision).join("");
    }
    case "r":
    case "a": {
      const s = pythonReprOf(value);
      return precision === undefined ? s : s.slice(0, precision);
    }
    case "d":
    case "i":
    case "u":
      return String(Math.trunc(x));
    case "x":
      return Math.trunc(x).toString(16);
    case "X":
      return Math.trunc(x).toString(16).toUpperCase();
    case "o":
      return Math.trunc(x).toString(8);
    case "c":
      return value.type === "StringValue" ? str(value) : String.fromCodePoint(x);
    case "f":
    case "F":
      return Number.isFinite(x) ? fixed(x, precision ?? 6) : pythonFloatRepr(x);
    case "e":
      return exponent(x, precision ?? 6);
    case "E":
      return exponent(x, precision ?? 6).toUpperCase();
    case "g":
      return general(x, precision ?? 6, flags.includes("#"));
    case "G":
      return general(x, precision ?? 6, flags.includes("#")).toUpperCase();
    default:
      throw new Error(`unsupported format character '${type}'`);
  }
}

/** Python's `str % args` (`printf`-style), as Jinja2's `format` filter applies it. */
function percentFormat(template: string, args: Args): string {
  const positional = args.positional;
  let next = 0;
  return template.replace(
    /%(?:\(([^)]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?([diouxXeEfFgGcrsa%])/g,
    (_m, key: string | undefined, flags: string, width?: string, precision?: string, type = "s") => {
      if (type === "%") return "%";
      const take = (): Value => {
        const v = positional[next++];
        if (v === undefined) throw new TypeError("not enough arguments for format string");
        return v;
      };
      const w = width === "*" ? num(take()) : width === undefined ? 0 : Number(width);
      const p = precision === "*" ? num(take()) : precision === undefined ? undefined : Number(precision);
      const value = key !== undefined ? args.kwargs.get(key) : take();
      if (value === undefined) throw new Error(`KeyError: '${key ?? ""}'`);
      let text = convert(value, type, p, flags);
      const numeric = !"srac".includes(type);
      if (numeric && !text.startsWith("-")) text = (flags.includes("+") ? "+" : flags.includes(" ") ? " " : "") + text;
      const pad = w - Array.from(text).length;
      if (pad <= 0) return text;
      if (flags.includes("-")) return text + " ".repeat(pad);
      if (flags.includes("0") && numeric) {
        const sign = /^[+\- ]/.test(text) ? text[0]! : "";
        return sign + "0".repeat(pad) + text.slice(sign.length);
      }
      return " ".repeat(pad) + text;
    },
  );
}

/** Python's `textwrap.wrap(line, width, expand_tabs=False, replace_whitespace=False)` (hyphen splitting approximated). */
function wrapLine(line: string, width: number, breakLong: boolean, hyphens: boolean): string[] {
  const words = line.split(/(\s+)/).filter((c) => c !== "");
  const chunks = hyphens ? words.flatMap((c) => c.split(/(?<=[\p{L}\p{N}]-)(?=[\p{L}\p{N}])/u)) : words;
  const len = (s: string): number => Array.from(s).length;
  const lines: string[] = [];
  chunks.reverse();
  while (chunks.length > 0) {
    const current: string[] = [];
    let used = 0;
    if (chunks[chunks.length - 1]!.trim() === "" && lines.length > 0) chunks.pop();
    while (chunks.length > 0 && used + len(chunks[chunks.length - 1]!) <= width) used += len(current[current.push(chunks.pop()!) - 1]!);
    const long = chunks[chunks.length - 1];
    if (long !== undefined && len(long) > width) {
      if (breakLong) {
        const room = Math.max(width - used, 1);
        const chars = Array.from(long);
        current.push(chars.slice(0, room).join(""));
        chunks[chunks.length - 1] = chars.slice(room).join("");
      } else if (current.length === 0) current.push(chunks.pop()!);
    }
    if (current.length > 0 && current[current.length - 1]!.trim() === "") current.pop();
    if (current.length > 0) lines.push(current.join(""));
  }
  return lines;
}

/** Jinja2's sort key: strings lower-cased unless case-sensitive. */
const key = (v: Value, caseSensitive: boolean): unknown =>
  v.type === "StringValue" && !caseSensitive ? (v.value as string).toLowerCase() : v.type === "BooleanValue" ? num(v) : v.value;
const compare = (a: unknown, b: unknown): number => ((a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0);

export const TEXT_FILTERS: Record<string, Filter> = {
  list: (operand) => new ArrayCtor([...items(operand, "list")]),
  items: (operand) => {
    if (operand.type === "UndefinedValue") return new ArrayCtor([]);
    if (operand.type !== "ObjectValue") throw new TypeError(`Cannot apply filter "items" to ${operand.type}: it needs a dict.`);
    return new ArrayCtor([...(operand.value as Map<string, Value>)].map(([k, v]) => tuple([runtime(k), v])));
  },
  format: (operand, args) => runtime(percentFormat(str(operand), args)),
  indent: (operand, args) => {
    const width = arg(args, 0, "width") ?? runtime(4);
    const prefix = width.type === "StringValue" ? (width.value as string) : " ".repeat(num(width));
    const first = bool(arg(args, 1, "first"));
    const blank = bool(arg(args, 2, "blank"));
    const lines = (str(operand) + "\n").split(/\r\n|\r|\n/);
    lines.pop();
    const s = blank ? lines.join("\n" + prefix) : [lines[0] ?? "", ...lines.slice(1).map((l) => (l === "" ? l : prefix + l))].join("\n");
    return runtime(first ? prefix + s : s);
  },
  replace: (operand, args) => {
    const [s, old, replacement] = [str(operand), str(arg(args, 0, "old") ?? runtime("")), str(arg(args, 1, "new") ?? runtime(""))];
    const countValue = arg(args, 2, "count");
    const count = countValue === undefined || countValue.type === "NullValue" ? -1 : num(countValue);
    if (old === "") {
      const chars = Array.from(s);
      const limit = count < 0 ? chars.length + 1 : count;
      return runtime(chars.map((c, i) => (i < limit ? replacement : "") + c).join("") + (chars.length < limit ? replacement : ""));
    }
    const parts = s.split(old);
    if (count < 0 || count >= parts.length - 1) return runtime(parts.join(replacement));
    return runtime(parts.slice(0, count + 1).join(replacement) + old + parts.slice(count + 1).join(old));
  },
  wordwrap: (operand, args) => {
    const width = num(arg(args, 0, "width") ?? runtime(79));
    const breakLong = bool(arg(args, 1, "break_long_words") ?? runtime(true));
    const wrapValue = arg(args, 2, "wrapstring");
    const wrap = wrapValue === undefined || wrapValue.type === "NullValue" ? "\n" : str(wrapValue);
    const hyphens = bool(arg(args, 3, "break_on_hyphens") ?? runtime(true));
    const lines = str(operand).split(/\r\n|\r|\n/);
    if (lines[lines.length - 1] === "") lines.pop();
    return runtime(lines.map((line) => wrapLine(line, width, breakLong, hyphens).join(wrap)).join(wrap));
  },
  dictsort: (operand, args) => {
    const caseSensitive = bool(arg(args, 0, "case_sensitive"));
    const by = str(arg(args, 1, "by") ?? runtime("key"));
    if (by !== "key" && by !== "value") throw new Error("You can only sort by either 'key' or 'value'");
    const reverse = bool(arg(args, 2, "reverse"));
    if (operand.type !== "ObjectValue") throw new TypeError(`Cannot apply filter "dictsort" to ${operand.type}: it needs a dict.`);
    const pairs = [...(operand.value as Map<string, Value>)].map(([k, v]) => [runtime(k), v] as [Value, Value]);
    const at = by === "key" ? 0 : 1;
    pairs.sort((a, b) => compare(key(a[at], caseSensitive), key(b[at], caseSensitive)) * (reverse ? -1 : 1));
    return new ArrayCtor(pairs.map((pair) => tuple(pair)));
  },
  groupby: (operand, args) => {
    const path = str(arg(args, 0, "attribute") ?? runtime(""));
    const fallback = arg(args, 1, "default");
    const caseSensitive = bool(arg(args, 2, "case_sensitive"));
    const get = (item: Value): Value => {
      const v = attribute(item, path);
      return v.type === "UndefinedValue" && fallback !== undefined && fallback.type !== "NullValue" ? fallback : v;
    };
    const sorted = [...items(operand, "groupby")].sort((a, b) => compare(key(get(a), caseSensitive), key(get(b), caseSensitive)));
    const groups: Value[][] = [];
    for (const item of sorted) {
      const last = groups[groups.length - 1];
      if (last !== undefined && key(get(last[0]!), caseSensitive) === key(get(item), caseSensitive)) last.push(item);
      else groups.push([item]);
    }
    return new ArrayCtor(
      groups.map((members) => {
        const [grouper, list] = [get(members[0]!), new ArrayCtor(members)];
        const group = tuple([grouper, list]) as Value & { builtins: Map<string, Value> };
        group.builtins.set("grouper", grouper);
        group.builtins.set("list", list);
        return group;
      }),
    );
  },
};
