/**
 * `mlflow.trace.sizeStats` and `mlflow.trace.sizeBytes`, computed as MLflow's Python SDK computes
 * them (`add_size_stats_to_trace_metadata`): span sizes are the lengths of Python's
 * `json.dumps(span.to_dict())`, measured on the `traces.json` span encoding without building
 * those strings.
 */
import { pythonJsonLength } from "../internal/python-json";
import { spanToJson } from "./wire-format";
import type { Span, SpanEvent } from "./span";

export const SIZE_STATS_KEY = "mlflow.trace.sizeStats";
export const SIZE_BYTES_KEY = "mlflow.trace.sizeBytes";

/** Python's `_calculate_percentile`: linear interpolation between the nearest ranks. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = p * (sorted.length - 1);
  const lower = Math.floor(index);
  const upper = lower + 1;
  if (upper >= sorted.length) return sorted[sorted.length - 1] as number;
  const weight = index - lower;
  return (sorted[lower] as number) * (1 - weight) + (sorted[upper] as number) * weight;
}

/** Python's `span.to_dict()`, built: `spanToJson` with numeric times, a `null` parent and `links`. */
export function pythonSpanDict(span: Span): Record<string, unknown> {
  const json = spanToJson(span);
  const events = json.events;
  for (let i = 0; i < events.length; i++) (events[i] as { time_unix_nano: unknown }).time_unix_nano = (span.events[i] as SpanEvent).timeNs;
  return {
    trace_id: json.trace_id,
    span_id: json.span_id,
    parent_span_id: span.parentId === null ? null : json.parent_span_id,
    name: json.name,
    start_time_unix_nano: span.startTimeNs,
    end_time_unix_nano: span.endTimeNs,
    events,
    status: json.status,
    attributes: json.attributes,
    links: [],
  };
}

/**
 * Length of Python's `json.dumps(span.to_dict())` for `span`: the `traces.json` encoding of the
 * span (what {@link spanToJson} gives) with numeric nanosecond times, a `null` parent and an
 * empty `links` list, measured by the one Python JSON encoder without building the text.
 */
export function pythonSpanLength(span: Span): number {
  return pythonJsonLength(pythonSpanDict(span));
}

/**
 * The two size entries of a trace's metadata. `infoJson` is the trace info as `Trace.toJSON()`
 * writes it, before these entries are added (Python measures it the same way).
 */
export function traceSizeMetadata(infoJson: object, spans: readonly Span[]): Record<string, string> {
  const sizes = spans.map(pythonSpanLength);
  const metadataSize = pythonJsonLength({ info: infoJson, data: { spans: [] } });
  const total = sizes.reduce((a, b) => a + b, 0) + metadataSize + Math.max(0, sizes.length - 1) * 2;
  const sorted = [...sizes].sort((a, b) => a - b);
  const stats = {
    total_size_bytes: total,
    num_spans: sizes.length,
    max: sorted.length === 0 ? 0 : (sorted[sorted.length - 1] as number),
    p25: Math.trunc(percentile(sorted, 0.25)),
    p50: Math.trunc(percentile(sorted, 0.5)),
    p75: Math.trunc(percentile(sorted, 0.75)),
  };
  return {
    [SIZE_STATS_KEY]: `{"total_size_bytes": ${stats.total_size_bytes}, "num_spans": ${stats.num_spans}, "max": ${stats.max}, "p25": ${stats.p25}, "p50": ${stats.p50}, "p75": ${stats.p75}}`,
    [SIZE_BYTES_KEY]: String(total),
  };
}
