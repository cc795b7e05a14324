/**
 * What Jinja2 3.1's filters and tests do with an undefined operand, as recorded from the Jinja2 of
 * haystack-ai 3.4.1 (`spec/support/fixtures/haystack/prompt_builder_golden.py`). `Undefined` is
 * an empty string to `str()`, an empty iterable to `for`, and raises on arithmetic, comparison and
 * `int()`, so each filter and test falls into one of a few groups.
 */
import { isUndefined, failUndefined, undefinedBecause } from "./jinja-undefined";

interface RuntimeValue {
  readonly type: string;
  readonly value: unknown;
}

/** Filters that read their operand as text (`soft_str(Undefined)` is ''). */
const AS_TEXT = new Set(["upper", "lower", "capitalize", "title", "string", "trim", "join", "wordcount", "center", "format", "replace", "safe"]);
/** Filters that iterate their operand (an Undefined yields nothing). */
const AS_LIST = new Set([
  "list",
  "length",
  "count",
  "sum",
  "sort",
  "unique",
  "map",
  "select",
  "reject",
  "selectattr",
  "rejectattr",
  "batch",
  "groupby",
  "reverse",
]);
/** Filters that compute with their operand (`int(Undefined)`, `s + '\n'`, `value.items()`): Jinja2 raises UndefinedError. */
const FAILS = new Set(["int", "float", "indent", "wordwrap", "dictsort", "attr"]);
/** Filters that hand the operand to Python builtins, which refuse it with a TypeError. */
const TYPE_ERRORS: Record<string, string> = {
  tojson: "Object of type Undefined is not JSON serializable",
  round: "type Undefined doesn't define __round__ method",
  abs: "bad operand type for abs(): 'Undefined'",
};
/** Filters that pick an item of an empty sequence: a new Undefined saying so. */
const NO_ITEM: Record<string, string> = {
  first: "No first item, sequence was empty.",
  last: "No last item, sequence was empty.",
  min: "No aggregated item, sequence was empty.",
  max: "No aggregated item, sequence was empty.",
};

export type UndefinedOperand = { readonly operand: RuntimeValue } | { readonly result: RuntimeValue };

/**
 * The operand the filter `name` should see in place of the undefined `operand` (`''`, `[]`), or
 * its result without running it; throws where Jinja2 raises. Other filters (`default`) see it as is.
 */
export function filterOnUndefined(name: string, operand: RuntimeValue, empty: { text: RuntimeValue; list: RuntimeValue }): UndefinedOperand {
  if (AS_TEXT.has(name)) return { operand: empty.text };
  if (AS_LIST.has(name)) return { operand: empty.list };
  if (FAILS.has(name)) failUndefined(operand);
  const typeError = TYPE_ERRORS[name];
  if (typeError !== undefined) throw new TypeError(typeError);
  const noItem = NO_ITEM[name];
  if (noItem !== undefined) return { result: undefinedBecause(noItem) };
  // do_items returns an empty generator for an Undefined, before checking for a mapping.
  if (name === "items") return { result: empty.list };
  // do_truncate returns a short enough string unchanged: the Undefined itself.
  if (name === "truncate") return { result: operand };
  return { operand };
}

/** Tests that compare or divide their operand: Jinja2 raises UndefinedError. */
const FAILING_TESTS = new Set(["odd", "even", "divisibleby", "lt", "gt", "le", "ge", "<", ">", "<=", ">=", "lessthan", "greaterthan"]);
/** Tests an Undefined passes: it defines `__len__`, `__getitem__`, `__iter__` and `__call__`. */
const PASSING_TESTS = new Set(["undefined", "sequence", "iterable", "callable"]);
const EQUALITY = new Set(["eq", "equalto", "=="]);

/** The test `name` on an undefined operand (`other` is its argument), as Jinja2 answers it. */
export function testOnUndefined(name: string, operand: RuntimeValue, other: RuntimeValue | undefined): boolean {
  if (FAILING_TESTS.has(name)) failUndefined(operand);
  // Undefined.__eq__ is equality of types: one Undefined equals another, nothing else.
  if (EQUALITY.has(name)) return other !== undefined && isUndefined(other);
  if (name === "ne" || name === "!=") return other === undefined || !isUndefined(other);
  return PASSING_TESTS.has(name);
}
