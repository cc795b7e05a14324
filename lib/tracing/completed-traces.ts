/**
 * The bounded in-memory buffer of completed traces behind `getLastActiveTrace()` and
 * `getTrace()`, and the hand-off of each completed trace to the export sinks.
 */
import { sdkState, type TraceSink } from "../internal/global-state";
import { reportOnce } from "../internal/diagnostics";
import type { Trace } from "./trace";

export function publishTrace(trace: Trace): void {
  const state = sdkState();
  const buffer = state.completed;
  buffer.traces.push(trace);
  buffer.byId.set(trace.info.traceId, trace);
  while (buffer.traces.length > buffer.capacity) {
    const evicted = buffer.traces.shift();
    if (evicted !== undefined && buffer.byId.get(evicted.info.traceId) === evicted) buffer.byId.delete(evicted.info.traceId);
  }
  for (const sink of state.sinks) {
    try {
      sink.onTraceCompleted(trace);
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

/** A completed trace still held in memory. */
export function completedTraceById(traceId: string): Trace | undefined {
  return sdkState().completed.byId.get(traceId);
}

/** Sets how many completed traces stay in memory (default 100). */
export function setCompletedTraceCapacity(capacity: number): void {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(`Expected the completed-trace capacity to be a positive integer, got ${String(capacity)}`);
  }
  sdkState().completed.capacity = capacity;
}

/** Registers a sink for completed traces; returns a function that removes it. */
export function addTraceSink(sink: TraceSink): () => void {
  const state = sdkState();
  state.sinks = [...state.sinks, sink];
  return () => {
    state.sinks = state.sinks.filter((s) => s !== sink);
  };
}
