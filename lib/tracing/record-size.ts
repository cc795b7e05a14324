/**
 * The export queue's size estimate of a trace that is not assembled yet, from what its spans
 * counted while snapshotting their values: no assembly and no second walk over the values.
 */
import { envMetadata } from "../internal/env-metadata";
import type { LiveSpan } from "./live-span";
import { recordBytes } from "./value-bytes";
import type { TraceRecord } from "./trace-record";

/** Fixed bytes per trace (info fields, ids, times, schema version) and per span and event. */
export const TRACE_BASE_BYTES = 1000;
export const PER_SPAN = 400;
export const PER_EVENT = 60;
/** `mlflow.traceInputs` / `mlflow.traceOutputs` are cut at 250 chars. */
const METADATA_VALUE_BYTES = 250 + 30;

let envBytes: number | undefined;

/** Approximate JSON bytes of the assembled trace of `record` (see `estimateTraceBytes`). */
export function estimateRecordBytes(record: TraceRecord): number {
  envBytes ??= recordBytes(envMetadata());
  let total = TRACE_BASE_BYTES + envBytes;
  const root = record.root;
  if (root !== undefined) total += root.name.length + Math.min(METADATA_VALUE_BYTES, root.valueLength("inputs")) + Math.min(METADATA_VALUE_BYTES, root.valueLength("outputs"));
  const spans = record.spans;
  for (let i = 0; i < spans.length; i++) total += PER_SPAN + (spans[i] as LiveSpan).countedBytes();
  const updates = record.updates;
  if (updates !== undefined) total += recordBytes(updates.tags ?? {}) + recordBytes(updates.metadata ?? {});
  return total;
}
