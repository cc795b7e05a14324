/**
 * Creates live spans: a child of the active span, or the root of a new trace — unless tracing is
 * off in this scope or the sampler drops the trace, when a no-op span stands in.
 */
import { sdkState, type SdkState } from "../internal/global-state";
import { LiveSpan } from "./live-span";
import { traceRecordOf } from "./trace-record";
import { DroppedSpan, isNoOpSpan, NOOP_SPAN } from "./noop-span";
import { startTraceRecord } from "./trace-start";
import { wasTimedOut } from "./trace-timeout";

/** Where a new root span continues an outside trace (W3C `traceparent` or an OpenTelemetry span). */
export interface ExternalParent {
  readonly otelTraceId: string;
  readonly spanId: string;
  /** The parent's sampled flag; the trace follows it (OpenTelemetry's `ParentBased`). */
  readonly sampled?: boolean;
}

/** Hook for interop layers: asked only when a span has no active parent in this SDK. */
export type ExternalParentResolver = () => ExternalParent | undefined;

/** Installs (or with `undefined`, removes) the resolver consulted for root spans. */
export function setExternalParentResolver(resolver: ExternalParentResolver | undefined): void {
  sdkState().externalParentResolver = resolver;
}

/**
 * A new span under `activeParent`, or the root of a new trace. `samplingRatio` overrides the
 * head sampling ratio when the span starts a trace.
 */
export function createSpan(name: string, spanType: string, activeParent: LiveSpan | undefined, samplingRatio?: number): LiveSpan {
  // Inside a dropped trace (or a scope with tracing off) every span is that same no-op.
  if (activeParent !== undefined && isNoOpSpan(activeParent)) return activeParent;
  const state: SdkState = sdkState();
  const scope = state.traceContext?.getStore();
  if (scope !== undefined && scope.enabled === false) return NOOP_SPAN;
  // Work scheduled from a finished trace (an interval, a fire-and-forget promise) starts a new
  // trace instead of feeding spans into one that was already exported.
  let parent = activeParent;
  if (parent !== undefined && traceRecordOf(parent).completed) {
    // A hung request that resumes after its trace timed out adds nothing more.
    if (wasTimedOut(traceRecordOf(parent))) return NOOP_SPAN;
    parent = undefined;
  }
  let span: LiveSpan;
  if (parent !== undefined) {
    span = new LiveSpan(traceRecordOf(parent), parent, name, spanType);
  } else {
    const record = startTraceRecord(state, scope, samplingRatio);
    if (record instanceof DroppedSpan) return record;
    span = new LiveSpan(record, undefined, name, spanType);
  }
  traceRecordOf(span).spanStarted(span);
  return span;
}

/** The span active in the current async context, if any. */
export function activeSpan(): LiveSpan | undefined {
  return sdkState().context.getStore();
}
