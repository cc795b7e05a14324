/**
 * The bounded in-memory buffer of completed traces behind `getLastActiveTrace()` and
 * `getTrace()`, and the hand-off of each completed trace to the export sinks.
 */
import { sdkState, type TraceSink } from "../internal/global-state";
import { reportOnce } from "../internal/diagnostics";
import type { Trace } from "./trace";

export function publishTrace(traceId: string, trace: Trace): void {
  const state = sdkState();
  const ring = state.completed;
  const slot = ring.pushed % ring.capacity;
  ring.traces[slot] = trace;
  ring.ids[slot] = traceId;
  ring.pushed++;
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
  const ring = sdkState().completed;
  return ring.pushed === 0 ? undefined : ring.traces[(ring.pushed - 1) % ring.capacity];
}

/** A completed trace still held in memory (the newest `capacity` traces). */
export function completedTraceById(traceId: string): Trace | undefined {
  const ring = sdkState().completed;
  const held = Math.min(ring.pushed, ring.capacity);
  for (let k = 1; k <= held; k++) {
    const slot = (ring.pushed - k) % ring.capacity;
    if (ring.ids[slot] === traceId) return ring.traces[slot];
  }
  return undefined;
}

/** Keeps the newest `capacity` completed traces from now on (the newest ones held stay). */
export function resizeCompletedTraces(capacity: number): void {
  const ring = sdkState().completed;
  if (capacity === ring.capacity) return;
  const keep = Math.min(ring.pushed, ring.capacity, capacity);
  const traces = new Array<Trace | undefined>(capacity);
  const ids = new Array<string | undefined>(capacity);
  for (let k = keep; k >= 1; k--) {
    const from = (ring.pushed - k) % ring.capacity;
    traces[keep - k] = ring.traces[from];
    ids[keep - k] = ring.ids[from];
  }
  ring.traces = traces;
  ring.ids = ids;
  ring.capacity = capacity;
  ring.pushed = keep;
}

/** Registers a sink for completed traces; returns a function that removes it. */
export function addTraceSink(sink: TraceSink): () => void {
  const state = sdkState();
  state.sinks = [...state.sinks, sink];
  return () => {
    state.sinks = state.sinks.filter((s) => s !== sink);
  };
}
