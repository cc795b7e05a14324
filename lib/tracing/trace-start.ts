/**
 * The start of a trace: where it continues an outside trace, the head sampling decision (one per
 * trace, by trace id, as MLflow's Python SDK decides), the `tracingContext` metadata and tags it
 * is stamped with, and the timeout watch.
 */
import type { SdkState } from "../internal/global-state";
import { newOtelTraceId } from "./ids";
import { DroppedSpan } from "./noop-span";
import { keepsTraceId, ratioBound } from "./sampling";
import { watchTraceTimeout } from "./trace-timeout";
import { tracePolicy } from "./trace-policy";
import { TraceRecord } from "./trace-record";
import type { TraceContextFrame } from "./tracing-context";

/**
 * A new trace record, or the dropped span that stands for a trace the sampler drops (when no tail
 * rule could keep it, nothing of it is recorded).
 */
export function startTraceRecord(state: SdkState, scope: TraceContextFrame | undefined, samplingRatio: number | undefined): TraceRecord | DroppedSpan {
  const external = state.externalParentResolver?.();
  const policy = state.policy ?? tracePolicy();
  let otelTraceId = external?.otelTraceId;
  let dropped = false;
  if (external !== undefined && external.sampled !== undefined) {
    dropped = !external.sampled;
  } else if (policy.ratio < 1 || samplingRatio !== undefined) {
    const ratio = samplingRatio ?? policy.ratio;
    if (ratio <= 0) {
      dropped = true; // whatever the id; it is drawn only if someone reads it
    } else if (ratio < 1) {
      otelTraceId ??= newOtelTraceId();
      dropped = !keepsTraceId(otelTraceId, samplingRatio === undefined ? policy.bound : ratioBound(samplingRatio));
    }
  }
  const parentSpanId = external === undefined ? null : external.spanId;
  if (dropped && !policy.tail) return new DroppedSpan(otelTraceId, parentSpanId);
  const record = new TraceRecord(otelTraceId, parentSpanId);
  if (dropped) record.headDropped = true;
  if (scope !== undefined && scope.stamps) record.updates = { metadata: { ...scope.metadata }, tags: { ...scope.tags } };
  if (policy.timeoutMs !== undefined) watchTraceTimeout(record, policy.timeoutMs);
  return record;
}
