/**
 * `startSpan(options, fn)`: runs `fn` inside a new span and ends the span when `fn` returns,
 * throws, or its promise settles.
 */
import { sdkState } from "../internal/global-state";
import { reportOnce } from "../internal/diagnostics";
import type { LiveSpan } from "./live-span";
import { DroppedSpan, isNoOpSpan, NOOP_SPAN } from "./noop-span";
import { createSpan } from "./span-factory";
import type { SpanTypeName } from "./span-type";
import { runDroppedRoot, runWithSpan, syncDroppedRoot } from "./context-bridge";
import { checkSamplingRatio, checkStartSpanOptions, type StartSpanLike } from "./span-options";

/** Options of {@link startSpan}. */
export interface StartSpanOptions {
  /** The span's name, e.g. `"haystack_pipeline_run"`. */
  name: string;
  /** `SpanType.*` or any string; default `"UNKNOWN"`. */
  spanType?: SpanTypeName;
  /** Inputs, snapshotted now. */
  inputs?: unknown;
  attributes?: Record<string, unknown>;
  /**
   * Head sampling ratio for traces this span starts, in [0, 1] (overrides
   * `MLFLOW_TRACE_SAMPLING_RATIO`; ignored when the span joins an existing trace).
   */
  samplingRatio?: number;
}

/**
 * Runs `fn(span)` with a new span active and returns what `fn` returns. A span with no active
 * parent starts a new trace. A thrown error (or rejected promise) is recorded on the span and
 * rethrown unchanged. When `fn` returns a value and no outputs were set, it becomes the outputs.
 * A generator or stream `fn` returns is not followed (the span ends as it is returned): wrap the
 * generator function with `traced` to keep a span open until the stream ends.
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
  const dropped = syncDroppedRoot(state);
  if (dropped !== undefined) return fn(dropped);
  const parent = state.context.getStore();
  // Inside a dropped trace: nothing to check or record.
  if (parent !== undefined && isNoOpSpan(parent)) return fn(parent);
  const span = openSpan(checkStartSpanOptions(options), parent);
  if (isNoOpSpan(span)) return runNoOp(span, fn, span);
  return runInSpan(span, fn, span, defaultOutputs);
}

/**
 * @internal Runs `fn(arg)` with `span` active (seen by an installed context bridge too) and ends
 * the span when the result settles: `onResult` records a value, a throw or rejection is recorded
 * as the span's exception and rethrown unchanged.
 */
export function runInSpan<A, T>(span: LiveSpan, fn: (arg: A) => T, arg: A, onResult: (span: LiveSpan, value: unknown) => void): T {
  if (isNoOpSpan(span)) return runNoOp(span, fn, arg);
  let result: T;
  try {
    result = runWithSpan(sdkState().context, span, fn, arg);
  } catch (error) {
    endWithError(span, error);
    throw error;
  }
  return settle(span, result, onResult);
}

/**
 * @internal `fn(arg)` for a span that records nothing: the root of a dropped trace becomes the
 * active span (so everything inside is dropped with it); any other no-op leaves the context as it is.
 */
export function runNoOp<A, T>(span: LiveSpan, fn: (arg: A) => T, arg: A): T {
  if (!(span instanceof DroppedSpan) || span.entered) return fn(arg);
  span.entered = true;
  return runDroppedRoot(sdkState().context, span, fn, arg);
}

/** Creates the span, or returns the no-op span if anything about it fails. */
export function openSpan(options: StartSpanLike, parent: LiveSpan | undefined): LiveSpan {
  try {
    const ratio = options.samplingRatio === undefined ? undefined : checkSamplingRatio("startSpan", options.samplingRatio);
    const span = createSpan(options.name, options.spanType ?? "UNKNOWN", parent, ratio);
    if (isNoOpSpan(span)) return span;
    if (options.inputs !== undefined) span.setInputs(options.inputs);
    if (options.attributes !== undefined) span.setAttributes(options.attributes);
    return span;
  } catch (error) {
    reportOnce("span-create", "error", `could not create span "${options.name}"; running untraced`, error);
    return NOOP_SPAN;
  }
}

/**
 * Ends `span` when `result` settles (now, for a plain value) and returns `result` — the same value,
 * or for a thenable a promise of the same outcome. Recording never throws into the caller.
 */
export function settle<T>(span: LiveSpan, result: T, setOutputs: (span: LiveSpan, value: unknown) => void = defaultOutputs): T {
  const native = isNativePromise(result);
  if (native || thenOf(result) !== undefined) {
    const promise: Promise<unknown> = native ? (result as Promise<unknown>) : Promise.resolve(result);
    return promise.then(
      (value) => {
        endWithValue(span, value, setOutputs);
        return value;
      },
      (error: unknown) => {
        endWithError(span, error);
        throw error;
      },
    ) as T;
  }
  endWithValue(span, result, setOutputs);
  return result;
}

function endWithValue(span: LiveSpan, value: unknown, setOutputs: (span: LiveSpan, value: unknown) => void): void {
  try {
    setOutputs(span, value);
  } catch (error) {
    reportOnce("span-outputs", "error", `could not record the outputs of span "${span.name}"`, error);
  } finally {
    span.end();
  }
}

function endWithError(span: LiveSpan, error: unknown): void {
  try {
    span.recordException(error);
  } catch (internal) {
    reportOnce("span-exception", "error", `could not record the exception of span "${span.name}"`, internal);
  } finally {
    span.end();
  }
}

function defaultOutputs(span: LiveSpan, value: unknown): void {
  if (value !== undefined && span.outputs === undefined) span.setOutputs(value);
}

/** `value instanceof Promise`, false for a proxy whose `getPrototypeOf` trap throws. */
function isNativePromise(value: unknown): boolean {
  try {
    return value instanceof Promise;
  } catch {
    return false;
  }
}

/** A value's `then` method, if it has one; a `then` getter that throws makes it a plain value. */
function thenOf(value: unknown): Function | undefined {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return undefined;
  try {
    const then = (value as { then?: unknown }).then;
    return typeof then === "function" ? then : undefined;
  } catch {
    return undefined;
  }
}
