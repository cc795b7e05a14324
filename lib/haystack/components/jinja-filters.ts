/**
 * Jinja2's filters with their keyword arguments, over `@huggingface/jinja`'s runtime values. That
 * library ignores or misnames most keyword arguments (`join(d=..., attribute=...)` renders
 * `[object Map]`), and lacks filters Haystack templates use. {@link routeFilters} rewrites the
 * parsed template so `x | name(args, kw=v)` calls the Jinja2 version here; other filters stay the
 * library's. Semantics follow Jinja2 3.1's `filters.py`.
 */
import type { Environment } from "@huggingface/jinja";
import { jinjaToJson } from "./jinja-python-output";
import { arg, ArrayCtor, float, FunctionCtor, getter, isFloat, items, num, runtime, str, UNDEFINED, type Args, type Filter, type Value } from "./jinja-runtime";
import { NEGATED_TEST_PREFIX, TEST_PREFIX } from "./jinja-test-syntax";
import { selecting, testFilter, testNames } from "./jinja-tests";
import { TEXT_FILTERS } from "./jinja-text-filters";
import { isUndefined } from "./jinja-undefined";
import { filterOnUndefined } from "./jinja-undefined-operands";

/** Jinja2's `ignore_case` key for comparisons. */
function sortKey(v: Value, caseSensitive: boolean): unknown {
  return v.type === "StringValue" && !caseSensitive ? (v.value as string).toLowerCase() : v.value;
}

function extreme(operand: Value, args: Args, sign: 1 | -1): Value {
  const list = items(operand, sign > 0 ? "max" : "min");
  const key = getter(args, 1);
  const caseSensitive = arg(args, 0, "case_sensitive")?.value === true;
  let best: Value | undefined;
  for (const item of list) {
    if (best === undefined) best = item;
    else {
      const a = sortKey(key(item), caseSensitive) as number;
      const b = sortKey(key(best), caseSensitive) as number;
      if (sign > 0 ? a > b : a < b) best = item;
    }
  }
  return best ?? UNDEFINED;
}

/** Python's `round(x, n)`: ties to even on the decimal value. */
function pythonRound(x: number, digits: number): number {
  const scale = 10 ** digits;
  const scaled = x * scale;
  if (Math.abs(scaled % 1) === 0.5) {
    const floor = Math.floor(scaled);
    return (floor % 2 === 0 ? floor : floor + 1) / scale;
  }
  return Number(x.toFixed(digits));
}

function titleCase(s: string): string {
  return s.replace(/[\p{L}\p{N}_']+/gu, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase());
}

const SIMPLE: Record<string, (v: Value) => Value> = {
  upper: (v) => runtime(str(v).toUpperCase()),
  lower: (v) => runtime(str(v).toLowerCase()),
  capitalize: (v) => runtime(str(v).charAt(0).toUpperCase() + str(v).slice(1).toLowerCase()),
  title: (v) => runtime(titleCase(str(v))),
  string: (v) => runtime(str(v)),
  trim: (v) => runtime(str(v).trim()),
};

const FILTERS: Record<string, Filter> = {
  tojson: (operand, args) => runtime(jinjaToJson(operand, new Map([["indent", arg(args, 0, "indent") ?? UNDEFINED]]))),
  join: (operand, args) => {
    const key = getter(args, 1);
    const separator = arg(args, 0, "d");
    return runtime(
      items(operand, "join")
        .map((item) => str(key(item)))
        .join(separator === undefined ? "" : str(separator)),
    );
  },
  default: (operand, args) => {
    const fallback = arg(args, 0, "default_value") ?? runtime("");
    const boolean = arg(args, 1, "boolean")?.value === true;
    return operand.type === "UndefinedValue" || (boolean && !operand.__bool__().value) ? fallback : operand;
  },
  map: (operand, args) => {
    const list = items(operand, "map");
    if (args.positional.length === 0) {
      const key = getter(args, 99);
      const fallback = args.kwargs.get("default");
      return new ArrayCtor(
        list.map((item) => {
          const value = key(item);
          return value.type === "UndefinedValue" && fallback !== undefined ? fallback : value;
        }),
      );
    }
    const name = String(args.positional[0]!.value);
    const rest: Args = { positional: args.positional.slice(1), kwargs: args.kwargs };
    const apply =
      FILTERS[name] ??
      ((v: Value) => {
        const simple = SIMPLE[name];
        if (simple === undefined) throw new Error(`map() cannot apply filter '${name}'.`);
        return simple(v);
      });
    return new ArrayCtor(list.map((item) => apply(item, rest)));
  },
  unique: (operand, args) => {
    const key = getter(args, 1);
    const caseSensitive = arg(args, 0, "case_sensitive")?.value === true;
    const seen = new Set<unknown>();
    return new ArrayCtor(
      items(operand, "unique").filter((item) => {
        const k = sortKey(key(item), caseSensitive);
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      }),
    );
  },
  sum: (operand, args) => {
    const key = getter(args, 0);
    const start = arg(args, 1, "start") ?? runtime(0);
    let total = num(start);
    let floating = isFloat(start);
    for (const item of items(operand, "sum")) {
      const v = key(item);
      total += num(v);
      floating ||= isFloat(v);
    }
    return floating ? float(total) : runtime(total);
  },
  max: (operand, args) => extreme(operand, args, 1),
  min: (operand, args) => extreme(operand, args, -1),
  count: (operand) => runtime(items(operand, "count").length),
  truncate: (operand, args) => {
    const s = str(operand);
    const length = num(arg(args, 0, "length") ?? runtime(255));
    const killwords = arg(args, 1, "killwords")?.__bool__().value === true;
    const end = str(arg(args, 2, "end") ?? runtime("..."));
    const leewayValue = arg(args, 3, "leeway");
    const leeway = leewayValue === undefined || leewayValue.type === "NullValue" ? 5 : num(leewayValue);
    const chars = Array.from(s);
    if (chars.length <= length + leeway) return runtime(s);
    const cut = chars.slice(0, Math.max(0, length - Array.from(end).length)).join("");
    if (killwords) return runtime(cut + end);
    const space = cut.lastIndexOf(" ");
    return runtime((space < 0 ? cut : cut.slice(0, space)) + end);
  },
  round: (operand, args) => {
    const precision = num(arg(args, 0, "precision") ?? runtime(0));
    const method = String(arg(args, 1, "method")?.value ?? "common");
    const x = num(operand);
    if (method === "common") return operand.type === "IntegerValue" ? operand : float(pythonRound(x, precision));
    if (method !== "ceil" && method !== "floor") throw new Error("round() method must be 'common', 'ceil' or 'floor'.");
    const scale = 10 ** precision;
    return float(Math[method](x * scale) / scale);
  },
  int: (operand, args) => {
    const fallback = arg(args, 0, "default") ?? runtime(0);
    const base = num(arg(args, 1, "base") ?? runtime(10));
    if (operand.type === "StringValue") {
      const text = (operand.value as string).trim().replace(/_/g, "");
      const digits = "0123456789abcdefghijklmnopqrstuvwxyz".slice(0, base);
      if (new RegExp(`^[+-]?[${digits}]+$`, "i").test(text)) return runtime(parseInt(text, base));
      const asFloat = Number(text);
      return text !== "" && Number.isFinite(asFloat) ? runtime(Math.trunc(asFloat)) : fallback;
    }
    if (operand.type === "IntegerValue" || operand.type === "FloatValue" || operand.type === "BooleanValue") return runtime(Math.trunc(num(operand)));
    return fallback;
  },
  float: (operand, args) => {
    const fallback = arg(args, 0, "default") ?? float(0);
    if (operand.type === "IntegerValue" || operand.type === "FloatValue" || operand.type === "BooleanValue") return float(num(operand));
    const n = operand.type === "StringValue" && (operand.value as string).trim() !== "" ? Number(operand.value) : NaN;
    return Number.isNaN(n) ? fallback : float(n);
  },
  select: selecting(false, true),
  reject: selecting(false, false),
  selectattr: selecting(true, true),
  rejectattr: selecting(true, false),
  batch: (operand, args) => {
    const size = num(arg(args, 0, "linecount") ?? runtime(1));
    const fill = arg(args, 1, "fill_with");
    const list = items(operand, "batch");
    const rows: Value[] = [];
    for (let i = 0; i < list.length; i += size) {
      const row = list.slice(i, i + size);
      while (fill !== undefined && fill.type !== "NullValue" && row.length < size) row.push(fill);
      rows.push(new ArrayCtor(row));
    }
    return new ArrayCtor(rows);
  },
  wordcount: (operand) => runtime((str(operand).match(/[\p{L}\p{N}_]+/gu) ?? []).length),
  center: (operand, args) => {
    const s = str(operand);
    const width = num(arg(args, 0, "width") ?? runtime(80));
    const pad = width - Array.from(s).length;
    if (pad <= 0) return runtime(s);
    const left = Math.floor(pad / 2) + (pad & width & 1);
    return runtime(" ".repeat(left) + s + " ".repeat(pad - left));
  },
  trim: (operand, args) => {
    const chars = arg(args, 0, "chars");
    if (chars === undefined || chars.type === "NullValue") return runtime(str(operand).trim());
    const set = new Set(Array.from(str(chars)));
    const list = Array.from(str(operand));
    let a = 0;
    let b = list.length;
    while (a < b && set.has(list[a]!)) a++;
    while (b > a && set.has(list[b - 1]!)) b--;
    return runtime(list.slice(a, b).join(""));
  },
  title: (operand) => runtime(titleCase(str(operand))),
};
FILTERS["d"] = FILTERS["default"]!;
Object.assign(FILTERS, TEXT_FILTERS);
// Tests in filter form (`x | is:odd`), as `rewriteTests` writes `x is odd`.
for (const name of testNames()) {
  FILTERS[TEST_PREFIX + name] = testFilter(name, false);
  FILTERS[NEGATED_TEST_PREFIX + name] = testFilter(name, true);
}

const PREFIX = "__haystack_filter_";

type AstNode = { type: string; [key: string]: unknown };

/**
 * Rewrites every `x | f(...)` whose `f` is implemented here into a call of the Jinja2 version
 * (registered as a global by {@link registerFilters}); `{% filter %}` blocks are left alone.
 *
 * @returns the filters the template uses, for {@link registerFilters}.
 */
export function routeFilters(program: unknown): ReadonlySet<string> {
  const used = new Set<string>();
  route(program, new Set(), used);
  return used;
}

function route(node: unknown, seen: Set<unknown>, used: Set<string>): void {
  if (typeof node !== "object" || node === null || seen.has(node)) return;
  seen.add(node);
  const n = node as AstNode;
  if (n.type === "FilterExpression" && typeof n["filter"] === "object" && n["filter"] !== null) {
    const filter = n["filter"] as AstNode;
    const callee = filter.type === "CallExpression" ? (filter["callee"] as AstNode | undefined) : filter;
    const name = callee?.type === "Identifier" ? String(callee["value"]) : undefined;
    if (name !== undefined && Object.prototype.hasOwnProperty.call(FILTERS, name)) {
      const args = filter.type === "CallExpression" ? (filter["args"] as unknown[]) : [];
      const call: AstNode = { type: "CallExpression", callee: { type: "Identifier", value: PREFIX + name }, args: [n["operand"], ...args] };
      for (const key of Object.keys(n)) delete n[key];
      Object.assign(n, call);
      used.add(name);
    }
  }
  const children = node instanceof Map ? [...node.keys(), ...node.values()] : Object.values(node);
  for (const child of children) route(child, seen, used);
}

/** The filters as the library's function values, which receive runtime values (a plain JS function would get `.value`s). */
function asFunction(name: string, filter: Filter): Value {
  const isTest = name.startsWith(TEST_PREFIX) || name.startsWith(NEGATED_TEST_PREFIX);
  return new FunctionCtor((values) => {
    const last = values[values.length - 1];
    const hasKwargs = last?.type === "KeywordArgumentsValue";
    const kwargs = hasKwargs ? (last.value as Map<string, Value>) : new Map<string, Value>();
    const [given = UNDEFINED, ...positional] = hasKwargs ? values.slice(0, -1) : values;
    let operand = given;
    if (!isTest && isUndefined(given)) {
      const instead = filterOnUndefined(name, given, EMPTY);
      if ("result" in instead) return instead.result as Value;
      operand = instead.operand as Value;
    }
    return filter(operand, { positional, kwargs });
  });
}
const EMPTY = { text: runtime(""), list: new ArrayCtor([]) };
const GLOBALS = new Map<string, Value>(Object.entries(FILTERS).map(([name, filter]) => [name, asFunction(name, filter)]));

/** Declares the Jinja2 filters a template uses (see {@link routeFilters}) as globals of a render environment. */
export function registerFilters(env: Environment, used: Iterable<string>): void {
  const variables = env.variables as unknown as Map<string, Value>;
  for (const name of used) variables.set(PREFIX + name, GLOBALS.get(name)!);
}
