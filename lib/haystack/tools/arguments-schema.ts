/**
 * JSON Schema checks for tools, with Ajv (draft 2020-12, as Haystack's `Draft202012Validator`):
 * a tool's `parameters` must be a valid schema when the tool is made, and the arguments a model
 * sends are validated before the tool runs. One Ajv instance; each schema compiled once.
 */
import { describeValue } from "../../internal/describe-value";
import Ajv2020 from "ajv/dist/2020";
import type { ValidateFunction } from "ajv";

let ajv: Ajv2020 | undefined;
const compiled = new WeakMap<object, ValidateFunction>();

function instance(): Ajv2020 {
  // strict: false — tool schemas from users and from LLM frameworks carry extra keywords (titles, examples).
  ajv ??= new Ajv2020({ strict: false, allErrors: true });
  return ajv;
}

/** Throws a `TypeError` naming the problem when `schema` is not a valid JSON Schema. */
export function checkParametersSchema(toolName: string, schema: unknown): void {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    throw new TypeError(
      `Tool '${toolName}': parameters must be a JSON Schema object such as { type: "object", properties: { ... } }, got ${describeValue(schema)}.`,
    );
  }
  try {
    compiled.set(schema, instance().compile(schema));
  } catch (err) {
    throw new TypeError(`Tool '${toolName}': parameters is not a valid JSON Schema: ${(err as Error).message}`, { cause: err });
  }
}

/** `undefined` when `args` match `schema`, else a readable list of the mismatches. */
export function argumentErrors(schema: object, args: unknown): string | undefined {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = instance().compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(args)) return undefined;
  return instance().errorsText(validate.errors, { dataVar: "arguments" });
}
