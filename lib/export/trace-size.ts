/**
 * A cheap estimate of a trace's size in bytes for the export queue's byte limit: a walk that adds
 * up string lengths and a fixed cost per value, allocating nothing — serializing each trace just to
 * measure it cost as much as exporting it.
 */
import type { JsonValue } from "../tracing/serialize";
import type { Trace } from "../tracing/trace";

const PER_SPAN = 400;
const PER_VALUE = 8;

function valueBytes(value: JsonValue | undefined, depth: number): number {
  if (value === undefined || value === null) return 4;
  if (typeof value === "string") return value.length + 2;
  if (typeof value !== "object") return PER_VALUE;
  if (depth > 4) return 64;
  let total = 2;
  if (Array.isArray(value)) {
    for (const item of value) total += valueBytes(item, depth + 1) + 1;
    return total;
  }
  for (const key in value) total += key.length + 4 + valueBytes(value[key], depth + 1);
  return total;
}

/**
 * Approximate bytes of `trace` once serialized: within a small factor of its JSON length (deep
 * structure below four levels counts as a fixed 64 bytes).
 */
export function estimateTraceBytes(trace: Trace): number {
  let total = 1000;
  for (const span of trace.data.spans) {
    total += PER_SPAN + span.name.length + valueBytes(span.inputs, 0) + valueBytes(span.outputs, 0);
    for (const key in span.attributes) total += key.length + 4 + valueBytes(span.attributes[key], 0);
    total += span.events.length * 200;
  }
  return total;
}
