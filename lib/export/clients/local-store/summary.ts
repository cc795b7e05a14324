/**
 * The one-line view of a stored trace that `traces list` prints.
 */
import type { Cost, TokenUsage, Trace, TraceState } from "../../../tracing/trace";

/** What `LocalStore.list()` returns per trace. */
export interface TraceSummary {
  readonly traceId: string;
  /** `mlflow.traceName` tag, else the root span's name. */
  readonly name: string;
  readonly state: TraceState;
  /** ms since the epoch. */
  readonly requestTime: number;
  readonly durationMs: number;
  readonly spanCount: number;
  readonly tokenUsage: TokenUsage | undefined;
  readonly cost: Cost | undefined;
  /** Destinations (tracking URIs) this trace still waits to be delivered to. */
  readonly pendingFor: readonly string[];
}

/** Summarises a trace read from the store. */
export function summarize(trace: Trace, pendingFor: readonly string[] = []): TraceSummary {
  const info = trace.info;
  return {
    traceId: info.traceId,
    name: info.tags["mlflow.traceName"] ?? trace.rootSpan?.name ?? "",
    state: info.state,
    requestTime: info.requestTime,
    durationMs: info.executionDuration,
    spanCount: trace.data.spans.length,
    tokenUsage: info.tokenUsage,
    cost: info.cost,
    pendingFor,
  };
}
