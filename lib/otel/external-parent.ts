/**
 * Decides where a new root span continues an outside trace: the active OpenTelemetry span (when
 * the bridge is on and an OpenTelemetry context manager is registered), else the remote parent
 * entered with `continueTrace`. Installed into the span factory's one resolver slot on first use.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { context, isSpanContextValid, trace, TraceFlags } from "@opentelemetry/api";
import { setExternalParentResolver, type ExternalParent } from "../tracing/span-factory";
import { otelContextManagerRegistered } from "./detection";
import type { RemoteParent } from "./traceparent";

/** Module state, like the span factory's resolver slot it feeds. */
const s: {
  /** Created on the first `continueTrace`, so processes that never use it construct no extra ALS. */
  remote: AsyncLocalStorage<RemoteParent> | undefined;
  joinOtel: boolean;
  installed: boolean;
} = { remote: undefined, joinOtel: false, installed: false };

/** The active OpenTelemetry span context, when one is valid. */
export function activeOtelParent(): ExternalParent | undefined {
  const spanContext = trace.getSpanContext(context.active());
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return undefined;
  return { otelTraceId: spanContext.traceId, spanId: spanContext.spanId, sampled: (spanContext.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED };
}

function resolve(): ExternalParent | undefined {
  const remote = s.remote?.getStore();
  if (s.joinOtel && otelContextManagerRegistered()) {
    const otel = activeOtelParent();
    // An OpenTelemetry span inside the continued trace is nearer than the remote parent; one from
    // an unrelated trace loses to the explicit `continueTrace`.
    if (otel !== undefined && (remote === undefined || otel.otelTraceId === remote.traceId)) return otel;
  }
  return remote === undefined ? undefined : { otelTraceId: remote.traceId, spanId: remote.spanId, sampled: remote.sampled };
}

function install(): void {
  if (s.installed) return;
  setExternalParentResolver(resolve);
  s.installed = true;
}

/** Turns joining the active OpenTelemetry span on or off. */
export function setJoinOtel(enabled: boolean): void {
  s.joinOtel = enabled;
  if (enabled) install();
  else if (s.remote === undefined && s.installed) {
    setExternalParentResolver(undefined);
    s.installed = false;
  }
}

/** Runs `fn` with `parent` as the remote parent of root spans started inside it. */
export function runWithRemoteParent<T>(parent: RemoteParent, fn: () => T): T {
  s.remote ??= new AsyncLocalStorage<RemoteParent>();
  install();
  return s.remote.run(parent, fn);
}

/** The remote parent entered with `continueTrace`, if any. */
export function currentRemoteParent(): RemoteParent | undefined {
  return s.remote?.getStore();
}
