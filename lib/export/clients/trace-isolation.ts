/**
 * Per-trace isolation for the clients: a trace that cannot be assembled, measured or encoded
 * fails alone — reported once, not retried — and the rest of its batch goes on.
 */
import { reportOnce } from "../../internal/diagnostics";
import { Trace } from "../../tracing/trace";
import { ExportError } from "../errors";
import type { ExportFailure } from "./trace-client";

/** The trace's id for a failure report, without assuming the trace can be assembled. */
export function traceIdOf(trace: Trace): string {
  try {
    return trace.info.traceId;
  } catch {
    return Trace.knownIdOf(trace) ?? "unknown-trace";
  }
}

/** A final failure for a trace that could not be encoded, with a diagnostic naming it. */
export function unencodable(trace: Trace, error: unknown): ExportFailure {
  const traceId = traceIdOf(trace);
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  reportOnce(
    "export.unencodable",
    "warn",
    `trace ${traceId} could not be encoded and was not sent (${reason}); the rest of its batch was (counted as export.unencodable)`,
  );
  return { traceId, error: new ExportError(`Trace ${traceId} could not be encoded: ${reason}`, { retryable: false, cause: error }), retryable: false };
}

/**
 * `encode(trace)` for each trace: the values of those it accepts, and a final failure for each
 * one it throws on.
 *
 * @example
 * const { encoded, failures } = encodeEach(traces, (t) => JSON.stringify(t));
 */
export function encodeEach<R>(traces: readonly Trace[], encode: (trace: Trace) => R): { encoded: { trace: Trace; value: R }[]; failures: ExportFailure[] } {
  const encoded: { trace: Trace; value: R }[] = [];
  const failures: ExportFailure[] = [];
  for (const trace of traces) {
    try {
      encoded.push({ trace, value: encode(trace) });
    } catch (error) {
      failures.push(unencodable(trace, error));
    }
  }
  return { encoded, failures };
}

/** `encode(trace)`, or `undefined` after reporting the trace as unencodable. */
export function encodeOrReport<R>(trace: Trace, encode: (trace: Trace) => R): R | undefined {
  try {
    return encode(trace);
  } catch (error) {
    unencodable(trace, error);
    return undefined;
  }
}
