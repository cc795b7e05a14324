/**
 * `@huggingface/jinja`'s runtime values as the Jinja2 filter layer sees them: their shape, a way to
 * build them (the library does not export its classes), and Jinja2's argument and attribute rules.
 */
import { Environment } from "@huggingface/jinja";
import { pythonStr } from "./jinja-python-output";
import { failUndefined, isUndefined, undefinedMember } from "./jinja-undefined";

export interface Value {
  readonly type: string;
  readonly value: unknown;
  __bool__(): { value: boolean };
}
export type Args = { positional: Value[]; kwargs: Map<string, Value> };
export type Filter = (operand: Value, args: Args) => Value;

/** Builds runtime values the way the library does (its classes are not exported). */
export const sample = new Environment();
export function runtime(js: unknown): Value {
  sample.variables.delete("v");
  sample.set("v", js);
  return sample.variables.get("v") as unknown as Value;
}
const FloatCtor = runtime(1.5).constructor as new (value: number) => Value;
export const ArrayCtor = runtime([]).constructor as new (value: Value[]) => Value;
export const FunctionCtor = runtime(() => undefined).constructor as new (fn: (args: Value[]) => Value) => Value;
export const float = (n: number): Value => new FloatCtor(n);
export const UNDEFINED = runtime(undefined);

export function arg(args: Args, index: number, name: string): Value | undefined {
  return args.positional[index] ?? args.kwargs.get(name);
}

export function items(operand: Value, filter: string): Value[] {
  if (operand.type === "ArrayValue" || operand.type === "TupleValue") return operand.value as Value[];
  if (operand.type === "StringValue") return Array.from(operand.value as string, (ch) => runtime(ch));
  if (operand.type === "ObjectValue") return [...(operand.value as Map<string, unknown>).keys()].map((k) => runtime(k));
  throw new TypeError(`Cannot apply filter "${filter}" to ${operand.type}: it needs a list.`);
}

/** Jinja2's `make_attrgetter`: dotted path, digits index lists; reading past an undefined raises, as in Jinja2. */
export function attribute(item: Value, path: string): Value {
  let current = item;
  for (const part of path.split(".")) {
    if (isUndefined(current)) failUndefined(current);
    const key = /^\d+$/.test(part) ? runtime(Number(part)) : runtime(part);
    let found: Value | undefined;
    if (current.type === "ObjectValue") found = (current.value as Map<string, Value>).get(part);
    else if ((current.type === "ArrayValue" || current.type === "TupleValue") && key.type === "IntegerValue") found = (current.value as Value[])[Number(part)];
    current = found ?? (undefinedMember(current, key) as Value);
  }
  return current;
}

export function getter(args: Args, index: number): (item: Value) => Value {
  const attr = arg(args, index, "attribute");
  if (attr === undefined || attr.type === "NullValue") return (item) => item;
  const path = String(attr.value);
  return (item) => attribute(item, path);
}

export const str = (v: Value): string => pythonStr(v) ?? "";
export const num = (v: Value): number => (v.type === "BooleanValue" ? (v.value ? 1 : 0) : Number(v.value));
export const isFloat = (v: Value): boolean => v.type === "FloatValue";
