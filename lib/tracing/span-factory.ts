/**
 * Creates live spans: a child of the active span, or the root of a new trace.
 */
import { sdkState } from "../internal/global-state";
import { LiveSpan, traceRecordOf } from "./live-span";
import { TraceRecord } from "./trace-record";

/** Where a new root span continues an outside trace (W3C `traceparent` or an OpenTelemetry span). */
export interface ExternalParent {
  readonly otelTraceId: string;
  readonly spanId: string;
}

/** Hook for interop layers: asked only when a span has no active parent in this SDK. */
export type ExternalParentResolver = () => ExternalParent | undefined;

/** Installs (or with `undefined`, removes) the resolver consulted for root spans. */
export function setExternalParentResolver(resolver: ExternalParentResolver | undefined): void {
  sdkState().externalParentResolver = resolver;
}

export function createSpan(name: string, spanType: string, activeParent: LiveSpan | undefined): LiveSpan {
  // Work scheduled from a finished trace (an interval, a fire-and-forget promise) starts a new
  // trace instead of feeding spans into one that was already exported.
  const parent = activeParent !== undefined && traceRecordOf(activeParent).completed ? undefined : activeParent;
  let record: TraceRecord;
  if (parent !== undefined) {
    record = traceRecordOf(parent);
  } else {
    const external = sdkState().externalParentResolver?.();
    record = external === undefined ? new TraceRecord(undefined, null) : new TraceRecord(external.otelTraceId, external.spanId);
  }
  const span = new LiveSpan(record, parent, name, spanType);
  record.spanStarted(span);
  return span;
}

/** The span active in the current async context, if any. */
export function activeSpan(): LiveSpan | undefined {
  return sdkState().context.getStore();
}
