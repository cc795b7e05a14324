/**
 * The OpenTelemetry bridge, both ways, for apps that run their own OpenTelemetry SDK:
 * - a root span started while an OpenTelemetry span is active joins its trace (same trace id,
 *   parent = that span);
 * - OpenTelemetry spans started inside one of our spans (HTTP, database and fetch
 *   instrumentations) get our span as their parent.
 * It registers nothing with OpenTelemetry: our spans enter OpenTelemetry's context only as
 * non-recording span contexts, so the app's provider neither records nor exports them twice.
 */
import { context, trace, TraceFlags } from "@opentelemetry/api";
import { setContextBridge, type ContextBridge } from "../tracing/context-bridge";
import type { LiveSpan } from "../tracing/live-span";
import { traceRecordOf } from "../tracing/trace-record";
import { isDroppedSpan, isNoOpSpan } from "../tracing/noop-span";
import { otelContextManagerRegistered } from "./detection";
import { setJoinOtel } from "./external-parent";

/** Options of {@link enableOtelBridge}. */
export interface OtelBridgeOptions {
  /** Root spans join the active OpenTelemetry span's trace (default true). */
  readonly joinActiveSpan?: boolean;
  /** OpenTelemetry spans started inside our spans get them as parent (default true). */
  readonly parentOtelSpans?: boolean;
}

/** Puts our span into OpenTelemetry's context while its code runs. */
const otelContextBridge: ContextBridge = {
  wrap<T>(span: LiveSpan, fn: () => T): T {
    // Checked per span rather than once, so an SDK registered after enableOtelBridge() is seen.
    if (!otelContextManagerRegistered() || (isNoOpSpan(span) && !isDroppedSpan(span))) return fn();
    // OpenTelemetry spans inside a trace our sampler dropped are dropped by their ParentBased sampler too.
    const traceFlags = isDroppedSpan(span) ? TraceFlags.NONE : TraceFlags.SAMPLED;
    const spanContext = { traceId: traceRecordOf(span).otelTraceId, spanId: span.spanId, traceFlags };
    return context.with(trace.setSpanContext(context.active(), spanContext), fn);
  },
};

let enabled: Required<OtelBridgeOptions> | undefined;

/**
 * Connects this SDK's spans with the app's OpenTelemetry SDK, both ways. Call it once at startup,
 * before or after the OpenTelemetry SDK starts. While no OpenTelemetry context manager is
 * registered, each span pays two property reads.
 *
 * @example
 * const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
 * provider.register();
 * enableOtelBridge();
 */
export function enableOtelBridge(options: OtelBridgeOptions = {}): void {
  enabled = { joinActiveSpan: options.joinActiveSpan ?? true, parentOtelSpans: options.parentOtelSpans ?? true };
  setJoinOtel(enabled.joinActiveSpan);
  setContextBridge(enabled.parentOtelSpans ? otelContextBridge : undefined);
}

/**
 * Disconnects the bridge; spans started afterwards are independent of OpenTelemetry again. The
 * app's OpenTelemetry SDK is left as it was.
 *
 * @example
 * disableOtelBridge();
 */
export function disableOtelBridge(): void {
  enabled = undefined;
  setJoinOtel(false);
  setContextBridge(undefined);
}

/**
 * Whether {@link enableOtelBridge} is in force.
 *
 * @example
 * if (!isOtelBridgeEnabled()) enableOtelBridge();
 */
export function isOtelBridgeEnabled(): boolean {
  return enabled !== undefined;
}
