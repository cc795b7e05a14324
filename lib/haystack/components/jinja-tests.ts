/**
 * Jinja2's tests with their arguments: in `{% if x is divisibleby(3) %}` (through the rewrite of
 * `jinja-test-syntax.ts`) and in `select`/`reject`/`selectattr`/`rejectattr`
 * (`selectattr("meta.score", ">", 0.5)`); the library's own tests fill in the rest.
 */
import { isUndefined } from "./jinja-undefined";
import { testOnUndefined } from "./jinja-undefined-operands";
import { ArrayCtor, arg, attribute, items, num, runtime, sample, type Args, type Filter, type Value } from "./jinja-runtime";

const NUMERIC = new Set(["IntegerValue", "FloatValue", "BooleanValue"]);

/** Python's `==` on plain data: `1 == 1.0 == True`, lists and dicts by content. */
function equal(a: Value | undefined, b: Value | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (NUMERIC.has(a.type) && NUMERIC.has(b.type)) return num(a) === num(b);
  const sequence = (v: Value): boolean => v.type === "ArrayValue" || v.type === "TupleValue";
  if (sequence(a) || sequence(b)) {
    if (a.type !== b.type) return false;
    const [x, y] = [a.value as Value[], b.value as Value[]];
    return x.length === y.length && x.every((item, i) => equal(item, y[i]));
  }
  if (a.type === "ObjectValue" && b.type === "ObjectValue") {
    const [x, y] = [a.value as Map<string, Value>, b.value as Map<string, Value>];
    return x.size === y.size && [...x].every(([k, v]) => y.has(k) && equal(v, y.get(k)));
  }
  if (a.type === "UndefinedValue" || b.type === "UndefinedValue") return a.type === b.type;
  return a.type === b.type && a.value === b.value;
}

/** Python's `is`: None/True/False singletons, and containers by identity; immutable scalars by value. */
function same(a: Value, b: Value | undefined): boolean {
  if (b === undefined) return false;
  if (["ArrayValue", "ObjectValue", "TupleValue", "FunctionValue"].includes(a.type)) return a.value === b.value;
  return a.type === b.type && a.value === b.value;
}

type Test = (a: Value, b: Value | undefined) => boolean;

const ordered =
  (compare: (a: number | string, b: number | string) => boolean): Test =>
  (a, b) =>
    compare((NUMERIC.has(a.type) ? num(a) : a.value) as number | string, (b !== undefined && NUMERIC.has(b.type) ? num(b) : b?.value) as number | string);

const OWN: Record<string, Test> = {
  "==": equal,
  "!=": (a, b) => !equal(a, b),
  ">": ordered((a, b) => a > b),
  ">=": ordered((a, b) => a >= b),
  "<": ordered((a, b) => a < b),
  "<=": ordered((a, b) => a <= b),
  divisibleby: (a, b) => {
    if (b === undefined) throw new TypeError("divisibleby() missing 1 required positional argument: 'num'");
    return num(a) % num(b) === 0;
  },
  sameas: same,
  in: (a, b) => {
    if (b === undefined) throw new TypeError("test_in() missing 1 required positional argument: 'seq'");
    if (b.type === "StringValue") return (b.value as string).includes(String(a.value));
    return items(b, "in").some((x) => equal(x, a));
  },
  defined: (a) => a.type !== "UndefinedValue",
  undefined: (a) => a.type === "UndefinedValue",
  float: (a) => a.type === "FloatValue",
  number: (a) => NUMERIC.has(a.type),
};
for (const [alias, name] of [
  ["eq", "=="],
  ["equalto", "=="],
  ["ne", "!="],
  ["gt", ">"],
  ["greaterthan", ">"],
  ["ge", ">="],
  ["lt", "<"],
  ["lessthan", "<"],
  ["le", "<="],
] as const) {
  OWN[alias] = OWN[name]!;
}
/** Jinja2's name for each test's argument, for the keyword form (`divisibleby(num=3)`). */
const PARAMETER: Record<string, string> = { divisibleby: "num", sameas: "other", in: "seq" };

/** Whether Jinja2 templates here can use a test of that name. */
export function hasTest(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(OWN, name) || sample.tests.has(name);
}

/** Every test name {@link hasTest} accepts. */
export function testNames(): string[] {
  return [...new Set([...Object.keys(OWN), ...sample.tests.keys()])];
}

function test(name: string | undefined, args: Args): (v: Value) => boolean {
  if (name === undefined) return (v) => v.__bool__().value;
  const own = OWN[name];
  const extra = arg(args, 0, PARAMETER[name] ?? "other");
  const builtin = sample.tests.get(name);
  if (own === undefined && builtin === undefined) throw new Error(`No test named '${name}'.`);
  const check: (v: Value) => boolean = own !== undefined ? (v) => own(v, extra) : (v) => builtin!(v as never);
  return (v) => (isUndefined(v) ? testOnUndefined(name, v, extra) : check(v));
}

/** The test `name` as a filter returning a boolean (the form `rewriteTests` produces). */
export function testFilter(name: string, negate: boolean): Filter {
  return (operand, args) => runtime(test(name, args)(operand) !== negate);
}

export function selecting(byAttribute: boolean, keep: boolean): Filter {
  return (operand, args) => {
    const offset = byAttribute ? 1 : 0;
    const path = byAttribute ? String(args.positional[0]?.value ?? "") : undefined;
    const name = args.positional[offset]?.value as string | undefined;
    const check = test(name, { positional: args.positional.slice(offset + 1), kwargs: new Map() });
    const list = items(operand, byAttribute ? (keep ? "selectattr" : "rejectattr") : keep ? "select" : "reject");
    return new ArrayCtor(list.filter((item) => check(path === undefined ? item : attribute(item, path)) === keep));
  };
}
