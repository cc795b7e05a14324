/**
 * `MLFLOW_TRACE_TIMEOUT_SECONDS`: a trace whose root span has not ended that long after it started
 * (a hung request) is ended as ERROR — its open spans ended and marked as timed out — and exported,
 * instead of sitting in memory. One `unref`'d sweep timer runs while traces are watched, so it
 * never holds the process open. A late `end()` of such a span is ignored.
 */
import { reportOnce } from "../internal/diagnostics";
import { nowPerf } from "./clock";
import type { LiveSpan } from "./live-span";
import type { TraceRecord } from "./trace-record";

/** The span attribute set on every span the timeout ended. */
export const TIMED_OUT_ATTRIBUTE = "mlflow_haystack.timed_out";

/** Watched traces and their deadlines (`nowPerf()` ms), in start order. */
const watched = new Map<TraceRecord, { deadline: number; timeoutMs: number }>();
const timedOut = new WeakSet<TraceRecord>();
let sweeper: NodeJS.Timeout | undefined;

/** Ends `record` as ERROR if its root has not ended within `timeoutMs`. */
export function watchTraceTimeout(record: TraceRecord, timeoutMs: number): void {
  watched.set(record, { deadline: nowPerf() + timeoutMs, timeoutMs });
  if (sweeper === undefined) {
    sweeper = setInterval(sweep, Math.min(1000, Math.max(10, Math.ceil(timeoutMs / 2))));
    sweeper.unref();
  }
}

/** Whether the timeout ended `record` (spans started under it afterwards are not recorded). */
export function wasTimedOut(record: TraceRecord): boolean {
  return timedOut.has(record);
}

function sweep(): void {
  const now = nowPerf();
  for (const [record, { deadline, timeoutMs }] of watched) {
    if (record.completed || record.root === undefined || record.root.ended) {
      watched.delete(record);
    } else if (now >= deadline) {
      watched.delete(record);
      try {
        expire(record, timeoutMs);
      } catch (error) {
        reportOnce("trace-timeout.failed", "error", `could not end timed-out trace ${record.traceId}`, error);
      }
    }
  }
  if (watched.size === 0 && sweeper !== undefined) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
}

function expire(record: TraceRecord, timeoutMs: number): void {
  timedOut.add(record);
  const seconds = timeoutMs / 1000;
  // Python's message, so the two SDKs' timed-out traces read alike.
  const message =
    `Trace ${record.traceId} is timed out after ${seconds} seconds. The operation may be stuck or taking too long to complete. ` +
    "To increase the timeout, set the environment variable MLFLOW_TRACE_TIMEOUT_SECONDS to a larger value.";
  reportOnce("trace-timeout", "warn", `${message} (counted as trace-timeout)`);
  const open = record.spans.filter((span) => !span.ended);
  const root = record.root as LiveSpan;
  // Innermost first, so each parent ends after its children and the trace completes at once.
  for (let i = open.length - 1; i >= 0; i--) {
    const span = open[i] as LiveSpan;
    span.setAttribute(TIMED_OUT_ATTRIBUTE, true);
    if (span === root) {
      span.addEvent("exception", { "exception.type": "MlflowTracingException", "exception.message": message, "exception.stacktrace": "" });
      span.setStatus("ERROR", `MlflowTracingException: ${message}`);
    } else {
      span.setStatus("ERROR", `Timed out: the trace did not finish within ${seconds} seconds (MLFLOW_TRACE_TIMEOUT_SECONDS)`);
    }
    span.end();
  }
}
