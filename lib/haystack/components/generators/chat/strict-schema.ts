/**
 * OpenAI strict-mode tool schemas, as Haystack's `_make_schema_strict`: every object gets
 * `additionalProperties: false` and lists all its properties as required, recursively.
 */
import type { JsonObject } from "../../../dataclasses/content-parts";

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A strict copy of `schema` (the input is not changed). */
export function makeSchemaStrict(schema: JsonObject): JsonObject {
  const out: JsonObject = { ...schema };
  const properties = out["properties"];
  if (out["type"] === "object" || properties !== undefined) {
    out["additionalProperties"] = false;
    if (isObject(properties)) {
      out["required"] = Object.keys(properties);
      out["properties"] = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, isObject(v) ? makeSchemaStrict(v) : v]));
    }
  }
  if (isObject(out["items"])) out["items"] = makeSchemaStrict(out["items"]);
  if (isObject(out["$defs"])) out["$defs"] = Object.fromEntries(Object.entries(out["$defs"]).map(([k, v]) => [k, isObject(v) ? makeSchemaStrict(v) : v]));
  for (const combinator of ["anyOf", "oneOf", "allOf"]) {
    const list = out[combinator];
    if (Array.isArray(list)) out[combinator] = list.map((s: unknown) => (isObject(s) ? makeSchemaStrict(s) : s));
  }
  return out;
}
