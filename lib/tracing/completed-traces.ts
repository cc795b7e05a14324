/**
 * The bounded in-memory buffer of completed traces behind `getLastActiveTrace()` and
 * `getTrace()`, and the hand-off of each completed trace to the export sinks.
 */
import { sdkState, type TraceSink } from "../internal/global-state";
import { reportOnce } from "../internal/diagnostics";
import type { Trace } from "./trace";

export function publishTrace(traceId: string, trace: Trace): void {
  const state = sdkState();
  const buffer = state.completed;
  buffer.traces.push(trace);
  buffer.ids.push(traceId);
  // Trimmed in small batches (not on every push); lookups only ever see the newest `capacity`.
  if (buffer.traces.length > buffer.capacity + Math.min(32, buffer.capacity)) {
    buffer.traces.splice(0, buffer.traces.length - buffer.capacity);
    buffer.ids.splice(0, buffer.ids.length - buffer.capacity);
  }
  const sinks = state.sinks;
  for (let i = 0; i < sinks.length; i++) {
    try {
      (sinks[i] as TraceSink).onTraceCompleted(trace);
    } catch (error) {
      reportOnce("sink-threw", "error", "a trace sink threw; the trace was not exported there", error);
    }
  }
}

/** The newest completed trace of this process, if any. */
export function lastCompletedTrace(): Trace | undefined {
  const traces = sdkState().completed.traces;
  return traces[traces.length - 1];
}

/** A completed trace still held in memory (the newest `capacity` traces). */
export function completedTraceById(traceId: string): Trace | undefined {
  const { traces, ids, capacity } = sdkState().completed;
  const oldest = Math.max(0, ids.length - capacity);
  for (let i = ids.length - 1; i >= oldest; i--) if (ids[i] === traceId) return traces[i];
  return undefined;
}

/** Registers a sink for completed traces; returns a function that removes it. */
export function addTraceSink(sink: TraceSink): () => void {
  const state = sdkState();
  state.sinks = [...state.sinks, sink];
  return () => {
    state.sinks = state.sinks.filter((s) => s !== sink);
  };
}
