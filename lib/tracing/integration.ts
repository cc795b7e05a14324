/**
 * The small interface integrations (Haystack autolog, client tracers) trace through, instead of
 * the tracing core's internals. Everything here is a no-op when tracing is off, never throws into
 * the integration's caller, and passes the caller's own errors through unchanged. Not part of the
 * package's public API.
 *
 * It is the only module of `tracing/` that `autolog/` imports (`.dependency-cruiser.cjs`), so it
 * also re-exports the span vocabulary integrations record with.
 */
import { sdkState } from "../internal/global-state";
import { runWithSpan } from "./context-bridge";
import type { LiveSpan } from "./live-span";
import { NOOP_SPAN } from "./noop-span";
import { composeSafe, composeSafeCounted, safePart, type SafePart } from "./safe-parts";
import { toJsonSafe, type JsonValue } from "./serialize";
import { openSpan, runInSpan, settle } from "./start-span";

export type { LiveSpan } from "./live-span";
export type { JsonValue } from "./serialize";
export { SpanAttributeKey } from "./span";
export { PRIMITIVE_COST as SNAPSHOT_PRIMITIVE_COST } from "./snapshotter";
export { SpanType } from "./span-type";
export { updateCurrentTrace } from "./fluent";

/** What an integration span starts with. */
export interface IntegrationSpanSpec {
  name: string;
  /** `SpanType.*` or any string. */
  spanType: string;
  /** Snapshotted when the span opens. */
  inputs?: unknown;
  /** Snapshotted when the span opens. */
  attributes?: Record<string, unknown>;
  /**
   * Attributes already JSON-safe: `shared` (made with {@link snapshot}) is shared by every span
   * given it, so it must never change; `extra` (small JSON values) is added on top. Both win over `attributes`.
   */
  snapshotAttributes?: { readonly shared: Readonly<Record<string, JsonValue>>; readonly extra?: Readonly<Record<string, JsonValue>> };
}

/** Records a value the traced call returned (or resolved to) on its span. */
export type OnResult = (span: LiveSpan, value: unknown) => void;

/** Callbacks of {@link traceCall}. */
export interface TraceCallHooks {
  /** Runs once the span is open, before the call (not at all when tracing is off). */
  onStart?: (span: LiveSpan) => void;
  /** Records the call's result; default: nothing (see {@link recordOutputs}). */
  onResult?: OnResult;
}

/** An {@link OnResult} recording the value as the span's outputs. */
export const recordOutputs: OnResult = (span, value) => void span.setOutputs(value);

const recordNothing: OnResult = () => undefined;

/**
 * Opens a span under the active span (or a new trace), with its inputs and attributes; `undefined`
 * when tracing is off or the span could not be created (reported once): the caller runs untraced.
 */
export function openIntegrationSpan(spec: IntegrationSpanSpec): LiveSpan | undefined {
  const state = sdkState();
  if (!state.tracingEnabled) return undefined;
  const span = openSpan(spec, state.context.getStore());
  if (span === NOOP_SPAN) return undefined;
  const snapshotted = spec.snapshotAttributes;
  if (snapshotted !== undefined) span.adoptSafeAttributes(snapshotted.shared, snapshotted.extra);
  return span;
}

/**
 * Runs `run` with `span` active (child spans and {@link activeSpan} see it) and ends the span when
 * the result settles: `onResult` records a value; a throw or rejection is recorded as the span's
 * exception and rethrown unchanged.
 */
export function runInSpanContext<T>(span: LiveSpan, run: () => T, onResult: OnResult = recordNothing): T {
  return runInSpan(span, run, undefined, onResult);
}

/**
 * Runs `run` with `span` active (child spans, {@link activeSpan} and an installed context bridge
 * see it) and leaves the span open: unlike {@link runInSpanContext}, for a span the integration
 * ends itself once its work is done (a response read later, a stream, a timeout).
 */
export function runWithActiveSpan<T>(span: LiveSpan, run: () => T): T {
  return runWithSpan(sdkState().context, span, run, undefined);
}

/**
 * `run()` traced by a span of `spec`: {@link openIntegrationSpan}, then `onStart`, then
 * {@link runInSpanContext}. With tracing off it is `run()`.
 *
 * @example
 * return traceCall({ name: "search", spanType: SpanType.TOOL, inputs: args }, () => tool(args), { onResult: recordOutputs });
 */
export function traceCall<T>(spec: IntegrationSpanSpec, run: () => T, hooks: TraceCallHooks = {}): T {
  const span = openIntegrationSpan(spec);
  if (span === undefined) return run();
  hooks.onStart?.(span);
  return runInSpanContext(span, run, hooks.onResult);
}

/**
 * Ends `span` when `result` settles (a value now, a promise later), as {@link runInSpanContext}
 * does, for a span whose work outlives the call that opened it (a stream). Returns `result`, or
 * for a promise one of the same outcome.
 */
export function endWhenSettled<T>(span: LiveSpan, result: T, onResult: OnResult = recordNothing): T {
  return settle(span, result, onResult);
}

/** Records `error` as the span's exception (status ERROR) and ends it. */
export function endWithError(span: LiveSpan, error: unknown): void {
  span.recordException(error);
  span.end();
}

/** Whether tracing is on: an integration checks it before preparing anything for a span. */
export function tracingEnabled(): boolean {
  return sdkState().tracingEnabled;
}

/** The span active here, if any. */
export function activeSpan(): LiveSpan | undefined {
  return sdkState().context.getStore();
}

/** `value` made JSON-safe now, under the configured limits, for {@link IntegrationSpanSpec.snapshotAttributes}. */
export function snapshot(value: unknown): JsonValue {
  return toJsonSafe(value, sdkState().limits);
}

/**
 * `value` snapshotted once, to be placed whole into later inputs or outputs with
 * {@link composeSnapshot} (a message recorded by every later LLM span of a conversation).
 */
export function snapshotPart(value: unknown): SafePart {
  return safePart(value, sdkState().limits);
}

/** Whether `part` was made under the limits in force now (else make it again). */
export function isCurrentPart(part: SafePart): boolean {
  return part.limits === sdkState().limits;
}

/**
 * `shape` (plain objects and arrays with {@link snapshotPart} leaves) made JSON-safe with its parts
 * placed whole; `undefined` when that would differ from snapshotting the whole value.
 */
export function composeSnapshot(shape: unknown): JsonValue | undefined {
  return composeSafe(shape, sdkState().limits);
}

/** {@link composeSnapshot} with the chars of JSON the result takes (the export queue sizes traces from it). */
export function composeSnapshotCounted(shape: unknown): { value: JsonValue; used: number } | undefined {
  return composeSafeCounted(shape, sdkState().limits);
}

/** Sets inputs made by {@link composeSnapshot} (not copied again: they must not change); `length` from {@link composeSnapshotCounted}. */
export function setSnapshotInputs(span: LiveSpan, inputs: JsonValue, length?: number): void {
  span.adoptSafeInputs(inputs, length);
}

/** Sets outputs made by {@link composeSnapshot} (not copied again: they must not change); `length` from {@link composeSnapshotCounted}. */
export function setSnapshotOutputs(span: LiveSpan, outputs: JsonValue, length?: number): void {
  span.adoptSafeOutputs(outputs, length);
}

/** Adds attributes made by {@link composeSnapshotCounted} (not copied again: they must not change). */
export function addSnapshotAttributes(span: LiveSpan, attributes: Readonly<Record<string, JsonValue>>, length: number): void {
  span.addSafeAttributes(attributes, length);
}

export type { SafePart as SnapshotPart } from "./safe-parts";
