/**
 * Jinja2's tests as `select`/`reject`/`selectattr`/`rejectattr` use them, with their arguments
 * (`selectattr("meta.score", ">", 0.5)`); the library's own tests fill in the rest.
 */
import { ArrayCtor, attribute, items, num, sample, type Filter, type Value } from "./jinja-runtime";

const COMPARISONS: Record<string, (a: Value, b: Value | undefined) => boolean> = {
  "==": (a, b) => a.value === b?.value,
  "!=": (a, b) => a.value !== b?.value,
  ">": (a, b) => (a.value as number) > (b?.value as number),
  ">=": (a, b) => (a.value as number) >= (b?.value as number),
  "<": (a, b) => (a.value as number) < (b?.value as number),
  "<=": (a, b) => (a.value as number) <= (b?.value as number),
  divisibleby: (a, b) => num(a) % num(b ?? a) === 0,
  in: (a, b) => (b === undefined ? false : items(b, "in").some((x) => x.value === a.value) || (b.type === "StringValue" && (b.value as string).includes(String(a.value)))),
  defined: (a) => a.type !== "UndefinedValue",
  undefined: (a) => a.type === "UndefinedValue",
};
for (const [alias, name] of [["eq", "=="], ["equalto", "=="], ["ne", "!="], ["gt", ">"], ["ge", ">="], ["lt", "<"], ["le", "<="]] as const) {
  COMPARISONS[alias] = COMPARISONS[name]!;
}

function test(name: string | undefined, extra: Value[]): (v: Value) => boolean {
  if (name === undefined) return (v) => v.__bool__().value;
  const own = COMPARISONS[name];
  if (own !== undefined) return (v) => own(v, extra[0]);
  const builtin = sample.tests.get(name);
  if (builtin === undefined) throw new Error(`No test named '${name}'.`);
  return (v) => builtin(v as never);
}

export function selecting(byAttribute: boolean, keep: boolean): Filter {
  return (operand, args) => {
    const offset = byAttribute ? 1 : 0;
    const path = byAttribute ? String(args.positional[0]?.value ?? "") : undefined;
    const check = test(args.positional[offset]?.value as string | undefined, args.positional.slice(offset + 1));
    const list = items(operand, byAttribute ? (keep ? "selectattr" : "rejectattr") : keep ? "select" : "reject");
    return new ArrayCtor(list.filter((item) => check(path === undefined ? item : attribute(item, path)) === keep));
  };
}
