/**
 * A cheap estimate of a trace's size in bytes for the export queue's byte limit: a walk that adds
 * up string lengths and a fixed cost per value, allocating little — serializing each trace just to
 * measure it cost as much as exporting it. The walk has no depth cut-off, so the bound holds for
 * any payload shape. A trace not yet assembled is sized from the lengths its spans counted when
 * they snapshotted their values (see `estimateRecordBytes`), without assembling or walking it.
 */
import { Trace } from "../../tracing/trace";
import { PER_EVENT, PER_SPAN, TRACE_BASE_BYTES } from "../../tracing/record-size";
import { recordBytes, valueBytes } from "../../tracing/value-bytes";

/**
 * Approximate bytes of `trace` once serialized: within a small factor of its JSON length, at any
 * nesting depth (spans, events, tags and metadata included).
 */
export function estimateTraceBytes(trace: Trace): number {
  const counted = Trace.countedBytesOf(trace);
  if (counted !== undefined) return counted;
  let total = TRACE_BASE_BYTES;
  for (const span of trace.data.spans) {
    total += PER_SPAN + span.name.length + valueBytes(span.inputs) + valueBytes(span.outputs) + recordBytes(span.attributes);
    for (const event of span.events) total += PER_EVENT + event.name.length + recordBytes(event.attributes);
  }
  const info = trace.info;
  return total + recordBytes(info.tags) + recordBytes(info.metadataSoFar);
}
