/**
 * What happens to a span as it ends, before it joins its trace: the user's span processors
 * (`configureTracing({ spanProcessors })`, Python's `mlflow.tracing.configure(span_processors=…)`)
 * run while the span still accepts `setInputs` / `setOutputs` / `setAttribute(s)`, then
 * `contentTracing: false` removes the content.
 *
 * "Content" is what the user or the model said: span inputs and outputs (and with them the trace's
 * request/response previews and `mlflow.traceInputs`/`Outputs`), the values of streamed chunks,
 * and exception messages and stack traces (which quote inputs). The tree, names, span types,
 * timings, statuses, exception types, token usage, cost, model names, tags and metadata stay.
 */
import { reportOnce } from "../internal/diagnostics";
import { catchIfThenable } from "../internal/thenable";
import { rewriteSpanContent, type LiveSpan } from "./live-span";
import { traceRecordOf } from "./trace-record";
import type { SpanEvent } from "./span";

/**
 * A function that sees each span as it ends, before export, and may rewrite its inputs, outputs
 * and attributes (`span.setInputs(...)`, `span.setAttribute(...)`); ids and times stay as they are.
 */
export type SpanProcessor = (span: LiveSpan) => void;

/**
 * Called by `LiveSpan.end()` before the span is marked ended; false means "do not end now" (the
 * span's own processors called `end()`: the outer call ends it).
 */
export type EndHook = (span: LiveSpan) => boolean;

/** The hook for these settings, or undefined when ending a span needs none. */
export function makeEndHook(processors: readonly SpanProcessor[], contentTracing: boolean): EndHook | undefined {
  if (processors.length === 0 && contentTracing) return undefined;
  let ending: LiveSpan | undefined;
  return (span) => {
    if (ending === span) return false;
    const outer = ending;
    ending = span;
    try {
      runProcessors(span, processors);
    } finally {
      ending = outer;
    }
    if (!contentTracing) removeContent(span);
    return true;
  };
}

function runProcessors(span: LiveSpan, processors: readonly SpanProcessor[]): void {
  for (let i = 0; i < processors.length; i++) {
    try {
      // An async processor's changes after its first `await` come too late: the span has ended.
      catchIfThenable((processors[i] as SpanProcessor)(span), (error) =>
        reportOnce(`span-processor.${i}`, "warn", `span processor #${i} returned a promise that rejected; span processors must be synchronous`, error),
      );
    } catch (error) {
      reportOnce(
        `span-processor.${i}`,
        "warn",
        `span processor #${i} threw on span "${span.name}"; the span is exported with the changes made before the throw (reported once per processor)`,
        error,
      );
    }
  }
}

function removeContent(span: LiveSpan): void {
  let exceptionType: string | undefined;
  rewriteSpanContent(
    span,
    (events) =>
      events.map((event): SpanEvent => {
        if (event.name === "exception") {
          exceptionType = String(event.attributes["exception.type"] ?? "Error");
          return { ...event, attributes: { "exception.type": exceptionType } };
        }
        return event.name.startsWith("mlflow.chunk.item.") ? { ...event, attributes: {} } : event;
      }),
    (status) => (exceptionType !== undefined && status.code === "ERROR" ? { code: "ERROR", description: exceptionType } : status),
  );
  const record = traceRecordOf(span);
  const updates = record.updates;
  if (record.root === span && updates !== undefined) {
    delete updates.requestPreview;
    delete updates.responsePreview;
  }
}
