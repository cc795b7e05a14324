/**
 * The export queue's size estimate of a trace that is not assembled yet, from what its spans
 * counted while snapshotting their values: no assembly and no second walk over the values.
 */
import { environmentMetadata } from "./environment";
import { recordBytes } from "./value-bytes";

/** What sizing needs of a live span (a `LiveSpan`; structural, so this file imports no cycle). */
interface SizedSpan {
  readonly name: string;
  countedBytes(): number;
  valueLength(which: "inputs" | "outputs"): number;
}

/** What sizing needs of a trace record (a `TraceRecord`). */
interface SizedRecord {
  readonly root: SizedSpan | undefined;
  readonly spanCount: number;
  spanAt(index: number): SizedSpan;
  readonly updates: { readonly tags?: Record<string, string>; readonly metadata?: Record<string, string> } | undefined;
}

/** Fixed bytes per trace (info fields, ids, times, schema version) and per span and event. */
export const TRACE_BASE_BYTES = 1000;
export const PER_SPAN = 400;
export const PER_EVENT = 60;
/** `mlflow.traceInputs` / `mlflow.traceOutputs` are cut at 250 chars. */
const METADATA_VALUE_BYTES = 250 + 30;

let env: Readonly<Record<string, string>> | undefined;
let envBytes = 0;

/** Approximate JSON bytes of the assembled trace of `record` (see `estimateTraceBytes`). */
export function estimateRecordBytes(record: SizedRecord): number {
  const current = environmentMetadata();
  if (current !== env) {
    env = current;
    envBytes = recordBytes(current);
  }
  let total = TRACE_BASE_BYTES + envBytes;
  const root = record.root;
  if (root !== undefined)
    total += root.name.length + Math.min(METADATA_VALUE_BYTES, root.valueLength("inputs")) + Math.min(METADATA_VALUE_BYTES, root.valueLength("outputs"));
  const count = record.spanCount;
  for (let i = 0; i < count; i++) total += PER_SPAN + record.spanAt(i).countedBytes();
  const updates = record.updates;
  if (updates !== undefined) total += recordBytes(updates.tags ?? {}) + recordBytes(updates.metadata ?? {});
  return total;
}
