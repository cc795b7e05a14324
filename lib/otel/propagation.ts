/**
 * W3C Trace Context in and out, so a pipeline that calls another service using this SDK (or any
 * OpenTelemetry-instrumented service) yields one trace. Works with or without OpenTelemetry.
 */
import { context, createTraceState, isSpanContextValid, trace, TraceFlags } from "@opentelemetry/api";
import { diag } from "../internal/diagnostics";
import { sdkState } from "../internal/global-state";
import { traceRecordOf } from "../tracing/trace-record";
import { isDroppedSpan, isNoOpSpan } from "../tracing/noop-span";
import { isOtelBridgeEnabled } from "./bridge";
import { otelContextManagerRegistered } from "./detection";
import { currentRemoteParent, runWithRemoteParent } from "./external-parent";
import { formatTraceparent, remoteParentFromHeaders, type HeaderSource, type RemoteParent } from "./traceparent";

/** Where {@link injectTraceContext} writes: a plain object or a fetch `Headers`. */
export type HeaderTarget = Record<string, string> | { set(name: string, value: string): void };

/** The span outgoing requests should name as their parent, if any. */
function currentParent(): RemoteParent | undefined {
  const ours = sdkState().context.getStore();
  const remote = currentRemoteParent();
  const otelActive = isOtelBridgeEnabled() && otelContextManagerRegistered();
  if (ours !== undefined && isDroppedSpan(ours)) {
    // The callee's ParentBased sampler drops its part of the trace too.
    return {
      traceId: traceRecordOf(ours).otelTraceId,
      spanId: ours.spanId,
      sampled: false,
      traceState: remoteStateFor(traceRecordOf(ours).otelTraceId, remote),
    };
  }
  if (ours !== undefined && !isNoOpSpan(ours)) {
    const traceId = traceRecordOf(ours).otelTraceId;
    if (otelActive) {
      // With the bridge on, an OpenTelemetry span of our trace is ours or one started inside ours.
      const otel = trace.getSpanContext(context.active());
      if (otel !== undefined && isSpanContextValid(otel) && otel.traceId === traceId && otel.spanId !== ours.spanId) {
        return { traceId, spanId: otel.spanId, sampled: true, traceState: otel.traceState?.serialize() ?? remoteStateFor(traceId, remote) };
      }
    }
    return { traceId, spanId: ours.spanId, sampled: true, traceState: remoteStateFor(traceId, remote) };
  }
  if (otelContextManagerRegistered()) {
    const otel = trace.getSpanContext(context.active());
    if (otel !== undefined && isSpanContextValid(otel)) {
      return {
        traceId: otel.traceId,
        spanId: otel.spanId,
        sampled: (otel.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED,
        traceState: otel.traceState?.serialize() ?? remoteStateFor(otel.traceId, remote),
      };
    }
  }
  return remote;
}

function remoteStateFor(traceId: string, remote: RemoteParent | undefined): string | undefined {
  return remote !== undefined && remote.traceId === traceId ? remote.traceState : undefined;
}

function setHeader(target: HeaderTarget, name: string, value: string): void {
  if (typeof (target as { set?: unknown }).set === "function") (target as { set(n: string, v: string): void }).set(name, value);
  else (target as Record<string, string>)[name] = value;
}

/**
 * Writes `traceparent` (and `tracestate`, when the trace carries one) for the active span into
 * `headers` and returns them. With no active span, `headers` come back unchanged.
 *
 * @example
 * await startSpan({ name: "call_reranker" }, () =>
 *   fetch("http://reranker/rank", { method: "POST", headers: injectTraceContext({ "content-type": "application/json" }), body }),
 * );
 */
export function injectTraceContext<H extends HeaderTarget = Record<string, string>>(headers: H = {} as H): H {
  try {
    const parent = currentParent();
    if (parent === undefined) return headers;
    setHeader(headers, "traceparent", formatTraceparent(parent.traceId, parent.spanId, parent.sampled));
    if (parent.traceState !== undefined) setHeader(headers, "tracestate", parent.traceState);
  } catch (error) {
    diag("warn", "could not write trace context headers; the request goes out without them", error);
  }
  return headers;
}

/**
 * Runs `fn` as a continuation of the trace named by the request's `traceparent` header: root spans
 * started inside it join that trace with the caller's span as parent. A missing or invalid
 * header starts a new trace, as the W3C spec asks. With the OpenTelemetry bridge on, OpenTelemetry
 * spans started inside `fn` join the trace too.
 *
 * @example
 * http.createServer((req, res) =>
 *   continueTrace(req.headers, () => pipe.run({ query: "..." })).then((out) => res.end(JSON.stringify(out))),
 * );
 */
export function continueTrace<T>(headers: HeaderSource, fn: () => T): T {
  let parent: RemoteParent | undefined;
  try {
    parent = remoteParentFromHeaders(headers);
  } catch (error) {
    diag("debug", "could not read trace context headers; starting a new trace", error);
  }
  if (parent === undefined) return fn();
  const remote = parent;
  return runWithRemoteParent(remote, () => {
    if (!(isOtelBridgeEnabled() && otelContextManagerRegistered())) return fn();
    // An HTTP instrumentation may already have continued this trace with a server span: keep it.
    if (trace.getSpanContext(context.active())?.traceId === remote.traceId) return fn();
    const spanContext = {
      traceId: remote.traceId,
      spanId: remote.spanId,
      traceFlags: remote.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
      isRemote: true,
      ...(remote.traceState === undefined ? {} : { traceState: createTraceState(remote.traceState) }),
    };
    return context.with(trace.setSpanContext(context.active(), spanContext), fn);
  });
}
