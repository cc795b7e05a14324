/**
 * Jinja2's default `Undefined`, the one Haystack's sandboxed environment uses: a missing variable,
 * attribute or item prints as nothing, iterates as empty and is false, but reading anything from
 * it, calling it or computing with it raises `UndefinedError` naming what was missing
 * (`'dict object' has no attribute 'b'`). Undefined runtime values carry that message with them.
 */
import { Environment } from "@huggingface/jinja";
import { HaystackError } from "../errors";
import { pythonStringRepr } from "../../internal/python-repr";
import { printedText, pythonReprOf } from "./jinja-python-output";

/**
 * A template read from, called or computed with an undefined value — Jinja2's `UndefinedError`,
 * with Jinja2's message. It reaches `Pipeline.run` callers as the `cause` of the
 * `PipelineRuntimeError`.
 *
 * @example
 * new PromptBuilder({ template: "{{ a.b.c }}" }).run({ a: {} }); // UndefinedError: 'dict object' has no attribute 'b'
 */
export class UndefinedError extends HaystackError {}

interface RuntimeValue {
  readonly type: string;
  readonly value: unknown;
}

const probe = new Environment();
probe.set("u", undefined);
const LibraryUndefined = (probe.variables.get("u") as object).constructor as new () => RuntimeValue;

/** The library's `UndefinedValue` (same type, so its own checks still see an undefined) with Jinja2's message. */
class MissingValue extends LibraryUndefined {
  constructor(readonly hint: string) {
    super();
  }
}

export function isUndefined(value: RuntimeValue): boolean {
  return value.type === "UndefinedValue";
}

/** Whether `value` is an undefined that already says why (kept when it is stored and read again). */
export function isExplained(value: RuntimeValue): boolean {
  return value instanceof MissingValue;
}

/** Jinja2's `object_type_repr`: `dict object`, `str object`, `None`, a Document's class path. */
function objectTypeRepr(obj: RuntimeValue): string {
  if (obj.type === "ObjectValue" && printedText(obj) !== undefined) return "haystack.dataclasses.document.Document object";
  const python: Record<string, string> = {
    NullValue: "None",
    ObjectValue: "dict object",
    ArrayValue: "list object",
    TupleValue: "tuple object",
    StringValue: "str object",
    IntegerValue: "int object",
    FloatValue: "float object",
    BooleanValue: "bool object",
    FunctionValue: "function object",
  };
  return python[obj.type] ?? `${obj.type} object`;
}

/** An undefined value with the message Jinja2 would raise on use. */
export function undefinedBecause(hint: string): RuntimeValue {
  return new MissingValue(hint);
}

/** A variable missing from the context: `'name' is undefined`. */
export function undefinedVariable(name: string): RuntimeValue {
  return undefinedBecause(`${pythonStringRepr(name)} is undefined`);
}

/** `obj.key` / `obj[key]` found nothing: `'dict object' has no attribute 'b'`, `list object has no element 5`. */
export function undefinedMember(obj: RuntimeValue, key: RuntimeValue): RuntimeValue {
  return key.type === "StringValue"
    ? undefinedBecause(`${pythonStringRepr(objectTypeRepr(obj))} has no attribute ${pythonStringRepr(key.value as string)}`)
    : undefinedBecause(`${objectTypeRepr(obj)} has no element ${pythonReprOf(key)}`);
}

/** Jinja2's message for using `value`; an undefined made without a reason reads as Jinja2's `Undefined()` does. */
export function undefinedMessage(value: RuntimeValue): string {
  return value instanceof MissingValue ? value.hint : "None is undefined";
}

/** Raises Jinja2's `UndefinedError` for using `value`. */
export function failUndefined(value: RuntimeValue): never {
  throw new UndefinedError(undefinedMessage(value));
}
