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
import type { LiveSpan } from "./live-span";
import type { SpanEvent } from "./span";
import type { TracePolicy } from "./trace-policy";

/** The span whose processors are running: its `end()` called from a processor is ignored. */
let ending: LiveSpan | undefined;

/** Whether `span`'s processors are running now. */
export function isEnding(span: LiveSpan): boolean {
  return ending === span;
}

/** Runs the span processors, then applies `contentTracing`. Never throws. */
export function applyEndPolicy(span: LiveSpan, policy: TracePolicy): void {
  const outer = ending;
  ending = span;
  try {
    runProcessors(span, policy);
  } finally {
    ending = outer;
  }
  if (!policy.contentTracing) removeContent(span);
}

function runProcessors(span: LiveSpan, policy: TracePolicy): void {
  const processors = policy.spanProcessors;
  for (let i = 0; i < processors.length; i++) {
    try {
      (processors[i] as (span: LiveSpan) => void)(span);
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
  span.inputsValue = undefined;
  span.outputsValue = undefined;
  const events = span.eventsValue;
  let exceptionType: string | undefined;
  if (events !== undefined) {
    span.eventsValue = events.map((event): SpanEvent => {
      if (event.name === "exception") {
        exceptionType = String(event.attributes["exception.type"] ?? "Error");
        return { ...event, attributes: { "exception.type": exceptionType } };
      }
      return event.name.startsWith("mlflow.chunk.item.") ? { ...event, attributes: {} } : event;
    });
  }
  if (exceptionType !== undefined && span.statusValue.code === "ERROR") span.statusValue = { code: "ERROR", description: exceptionType };
  const updates = span.record.updates;
  if (span.record.root === span && updates !== undefined) {
    delete updates.requestPreview;
    delete updates.responsePreview;
  }
}
