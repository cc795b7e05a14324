/**
 * `startSpan(options, fn)`: runs `fn` inside a new span and ends the span when `fn` returns,
 * throws, or its promise settles.
 */
import { sdkState } from "../internal/global-state";
import { reportOnce } from "../internal/diagnostics";
import type { LiveSpan } from "./live-span";
import { NOOP_SPAN } from "./noop-span";
import { createSpan } from "./span-factory";
import type { SpanTypeName } from "./span-type";
import { runWithSpan } from "./context-bridge";

/** Options of {@link startSpan}. */
export interface StartSpanOptions {
  /** The span's name, e.g. `"haystack_pipeline_run"`. */
  name: string;
  /** `SpanType.*` or any string; default `"UNKNOWN"`. */
  spanType?: SpanTypeName;
  /** Inputs, snapshotted now. */
  inputs?: unknown;
  attributes?: Record<string, unknown>;
}

/**
 * Runs `fn(span)` with a new span active and returns what `fn` returns. A span with no active
 * parent starts a new trace. A thrown error (or rejected promise) is recorded on the span and
 * rethrown unchanged. When `fn` returns a value and no outputs were set, it becomes the outputs.
 *
 * @example
 * const answer = await startSpan({ name: "answer", spanType: SpanType.CHAIN, inputs: { question } }, async (span) => {
 *   const result = await pipe.run({ retriever: { query: question } });
 *   span.setOutputs(result);
 *   return result;
 * });
 */
export function startSpan<T>(options: StartSpanOptions, fn: (span: LiveSpan) => T): T {
  const state = sdkState();
  if (!state.tracingEnabled) return fn(NOOP_SPAN);
  const span = openSpan(options, state.context.getStore());
  if (span === NOOP_SPAN) return fn(NOOP_SPAN);
  return runInSpan(span, () => fn(span));
}

/**
 * @internal Runs `fn` with `span` active (seen by an installed context bridge too) and ends the
 * span when the result settles: `onResult` records a value, a throw or rejection is recorded as
 * the span's exception and rethrown unchanged.
 */
export function runInSpan<T>(span: LiveSpan, fn: () => T, onResult: (span: LiveSpan, value: unknown) => void = defaultOutputs): T {
  let result: T;
  try {
    result = runWithSpan(sdkState().context, span, fn);
  } catch (error) {
    span.recordException(error);
    span.end();
    throw error;
  }
  return settle(span, result, onResult);
}

/** Creates the span, or returns the no-op span if anything about it fails. */
export function openSpan(options: StartSpanOptions, parent: LiveSpan | undefined): LiveSpan {
  try {
    const span = createSpan(options.name, options.spanType ?? "UNKNOWN", parent);
    if (options.inputs !== undefined) span.setInputs(options.inputs);
    if (options.attributes !== undefined) span.setAttributes(options.attributes);
    return span;
  } catch (error) {
    reportOnce("span-create", "error", `could not create span "${String(options.name)}"; running untraced`, error);
    return NOOP_SPAN;
  }
}

/** Ends `span` when `result` settles (or now, for a plain value) and returns `result` unchanged in meaning. */
export function settle<T>(span: LiveSpan, result: T, setOutputs: (span: LiveSpan, value: unknown) => void = defaultOutputs): T {
  if (isPromiseLike(result)) {
    return result.then(
      (value) => {
        setOutputs(span, value);
        span.end();
        return value;
      },
      (error: unknown) => {
        span.recordException(error);
        span.end();
        throw error;
      },
    ) as T;
  }
  setOutputs(span, result);
  span.end();
  return result;
}

function defaultOutputs(span: LiveSpan, value: unknown): void {
  if (value !== undefined && span.outputsValue === undefined) span.setOutputs(value);
}

export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function"
  );
}
