/**
 * Runs export I/O with OpenTelemetry tracing suppressed, so an app's HTTP instrumentation does
 * not trace (and, through a collector, loop on) the SDK's own export requests.
 */
import { ROOT_CONTEXT, context, createContextKey } from "@opentelemetry/api";

/** The key `@opentelemetry/core`'s `suppressTracing` sets; `createContextKey` makes it `Symbol.for(...)`, shared by every copy. */
const SUPPRESS_TRACING = createContextKey("OpenTelemetry SDK Context Key SUPPRESS_TRACING");
const SUPPRESSED = ROOT_CONTEXT.setValue(SUPPRESS_TRACING, true);

/**
 * Calls `fn` outside any OpenTelemetry span, with instrumentations told not to trace. Without an
 * OpenTelemetry SDK it just calls `fn`.
 *
 * @example
 * new BatchProcessor(client, { runOutsideTracing: (fn) => withOtelTracingSuppressed(fn) });
 */
export function withOtelTracingSuppressed<R>(fn: () => R): R {
  return context.with(SUPPRESSED, fn);
}
