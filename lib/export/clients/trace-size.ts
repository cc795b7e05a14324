/**
 * A cheap estimate of a trace's size in bytes for the export queue's byte limit: a walk that adds
 * up string lengths and a fixed cost per value, allocating little — serializing each trace just to
 * measure it cost as much as exporting it. The walk has no depth cut-off, so the bound holds for
 * any payload shape.
 */
import type { JsonValue } from "../../tracing/serialize";
import type { Trace } from "../../tracing/trace";

const PER_SPAN = 400;
const PER_EVENT = 60;
const PER_VALUE = 8;

/** Approximate JSON bytes of `value`, walked with an explicit stack (no recursion limit). */
function valueBytes(value: JsonValue | undefined): number {
  let total = 0;
  const stack: (JsonValue | undefined)[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === undefined || item === null) total += 4;
    else if (typeof item === "string") total += item.length + 2;
    else if (typeof item !== "object") total += PER_VALUE;
    else if (Array.isArray(item)) {
      total += 2 + item.length;
      for (let i = 0; i < item.length; i++) stack.push(item[i]);
    } else {
      total += 2;
      for (const key in item) {
        total += key.length + 4;
        stack.push(item[key]);
      }
    }
  }
  return total;
}

function recordBytes(record: Readonly<Record<string, string | number | boolean | JsonValue>>): number {
  let total = 0;
  for (const key in record) total += key.length + 4 + valueBytes(record[key] as JsonValue);
  return total;
}

/**
 * Approximate bytes of `trace` once serialized: within a small factor of its JSON length, at any
 * nesting depth (spans, events, tags and metadata included).
 */
export function estimateTraceBytes(trace: Trace): number {
  let total = 1000;
  for (const span of trace.data.spans) {
    total += PER_SPAN + span.name.length + valueBytes(span.inputs) + valueBytes(span.outputs) + recordBytes(span.attributes);
    for (const event of span.events) total += PER_EVENT + event.name.length + recordBytes(event.attributes);
  }
  const info = trace.info;
  return total + recordBytes(info.tags) + recordBytes(info.metadataSoFar);
}
