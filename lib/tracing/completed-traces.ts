/**
 * The bounded in-memory buffer of completed traces behind `getLastActiveTrace()` and
 * `getTrace()`, and the hand-off of each completed trace to the export sinks.
 */
import { sdkState, type SdkState, type TraceSink } from "../internal/global-state";
import { reportOnce } from "../internal/diagnostics";
import { Trace } from "./trace";

type Ring = SdkState["completed"];

/** Keeps `trace` in the ring and hands it to the sinks. */
export function publishTrace(trace: Trace): void {
  const state = sdkState();
  const ring = state.completed;
  const slot = ring.next;
  ring.traces[slot] = trace;
  // A wrap-around index rather than `count % capacity`: an integer division costs ~10 ns here.
  ring.next = slot + 1 === ring.capacity ? 0 : slot + 1;
  if (ring.held < ring.capacity) ring.held++;
  const sinks = state.sinks;
  for (let i = 0; i < sinks.length; i++) {
    try {
      (sinks[i] as TraceSink).onTraceCompleted(trace);
    } catch (error) {
      reportOnce("sink-threw", "error", "a trace sink threw; the trace was not exported there", error);
    }
  }
}

/** The slot of the `k`-th newest held trace (k = 1 is the newest). */
function slotOf(ring: Ring, k: number): number {
  const slot = ring.next - k;
  return slot < 0 ? slot + ring.capacity : slot;
}

/** The newest completed trace of this process, if any. */
export function lastCompletedTrace(): Trace | undefined {
  const ring = sdkState().completed;
  return ring.held === 0 ? undefined : ring.traces[slotOf(ring, 1)];
}

/** A completed trace still held in memory (the newest `capacity` traces). */
export function completedTraceById(traceId: string): Trace | undefined {
  const ring = sdkState().completed;
  for (let k = 1; k <= ring.held; k++) {
    const slot = slotOf(ring, k);
    const trace = ring.traces[slot];
    if (trace !== undefined && Trace.knownIdOf(trace) === traceId) return trace;
  }
  return undefined;
}

/** Keeps the newest `capacity` completed traces from now on (the newest ones held stay). */
export function resizeCompletedTraces(capacity: number): void {
  const ring = sdkState().completed;
  if (capacity === ring.capacity) return;
  const keep = Math.min(ring.held, capacity);
  const traces = new Array<Trace | undefined>(capacity);
  for (let k = keep; k >= 1; k--) {
    const from = slotOf(ring, k);
    traces[keep - k] = ring.traces[from];
  }
  ring.traces = traces;
  ring.capacity = capacity;
  ring.held = keep;
  ring.next = keep === capacity ? 0 : keep;
}

/** Registers a sink for completed traces; returns a function that removes it. */
export function addTraceSink(sink: TraceSink): () => void {
  const state = sdkState();
  state.sinks = [...state.sinks, sink];
  return () => {
    state.sinks = state.sinks.filter((s) => s !== sink);
  };
}
