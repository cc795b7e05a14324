/**
 * `mlflow.trace.sizeStats` and `mlflow.trace.sizeBytes`, computed as MLflow's Python SDK computes
 * them (`add_size_stats_to_trace_metadata`): span sizes are the lengths of Python's
 * `json.dumps(span.to_dict())`, measured here without building those strings.
 */
import { spanToJson, STATUS_TO_WIRE } from "./wire-format";
import { SpanAttributeKey, type Span } from "./span";

export const SIZE_STATS_KEY = "mlflow.trace.sizeStats";
export const SIZE_BYTES_KEY = "mlflow.trace.sizeBytes";

const ESCAPED_BY_PYTHON = /[\u0000-\u001f\u007f-\uffff]/;

function occurrences(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i !== -1; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

/**
 * Length of `s` as Python's `json.dumps` writes it (`ensure_ascii=True`), quotes included. Native
 * scans first: the strings measured are mostly JSON text, ASCII with a few quotes.
 */
function pythonStringLength(s: string): number {
  let n = s.length + 2 + occurrences(s, '"') + occurrences(s, "\\");
  if (!ESCAPED_BY_PYTHON.test(s)) return n;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e) continue;
    n += c === 0x0a || c === 0x0d || c === 0x09 || c === 0x08 || c === 0x0c ? 1 : 5;
  }
  return n;
}

/**
 * Length of Python's `json.dumps(value)` (default separators `", "` and `": "`) for JSON-like
 * values; all of it is ASCII, so this is also its UTF-8 byte length.
 */
export function pythonJsonLength(value: unknown): number {
  if (value === null || value === undefined) return 4;
  switch (typeof value) {
    case "string":
      return pythonStringLength(value);
    case "boolean":
      return value ? 4 : 5;
    case "number":
      return Number.isFinite(value) ? String(value).length : Number.isNaN(value) ? 3 : value > 0 ? 8 : 9;
    case "bigint":
      return value.toString().length;
    case "object":
      break;
    default:
      return 4;
  }
  if (Array.isArray(value)) {
    let n = 2;
    for (let i = 0; i < value.length; i++) n += (i > 0 ? 2 : 0) + pythonJsonLength(value[i]);
    return n;
  }
  let n = 2;
  let first = true;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    if (item === undefined) continue;
    n += (first ? 0 : 2) + pythonStringLength(key) + 2 + pythonJsonLength(item);
    first = false;
  }
  return n;
}

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

const RESERVED: readonly string[] = [SpanAttributeKey.TRACE_ID, SpanAttributeKey.SPAN_TYPE, SpanAttributeKey.INPUTS, SpanAttributeKey.OUTPUTS];

/** Python's `span.to_dict()`, built: `spanToJson` with numeric times, a `null` parent and `links`. */
export function pythonSpanDict(span: Span): Record<string, unknown> {
  const json = spanToJson(span);
  return {
    ...json,
    parent_span_id: span.parentId === null ? null : json.parent_span_id,
    start_time_unix_nano: span.startTimeNs,
    end_time_unix_nano: span.endTimeNs,
    events: span.events.map((event, i) => ({ ...json.events[i], time_unix_nano: event.timeNs })),
    links: [],
  };
}

const SPAN_KEYS = ["trace_id", "span_id", "parent_span_id", "name", "start_time_unix_nano", "end_time_unix_nano", "events", "status", "attributes", "links"];
/** Braces, quoted keys, `": "` and `", "` of Python's span dict. */
const SPAN_FRAME = 2 + SPAN_KEYS.reduce((n, key) => n + key.length + 4, 0) + (SPAN_KEYS.length - 1) * 2;
const BASE64_TRACE_ID = 24 + 2;
const BASE64_SPAN_ID = 12 + 2;

function attributeLength(key: string, value: unknown, first: boolean): number {
  return (first ? 0 : 2) + pythonStringLength(key) + 2 + pythonStringLength(JSON.stringify(value) ?? "null");
}

/**
 * Length of Python's `json.dumps(span.to_dict())` for `span` (what `spanToJson` gives, with numeric
 * nanosecond times, a `null` parent and an empty `links` list), without building it.
 */
export function pythonSpanLength(span: Span): number {
  if (RESERVED.some((key) => key in span.attributes)) return pythonJsonLength(pythonSpanDict(span));
  let n = SPAN_FRAME + BASE64_TRACE_ID + BASE64_SPAN_ID + (span.parentId === null ? 4 : BASE64_SPAN_ID);
  n += pythonStringLength(span.name) + span.startTimeNs.toString().length + span.endTimeNs.toString().length;
  n += span.events.length === 0 ? 2 : pythonJsonLength(span.events.map((e) => ({ name: e.name, time_unix_nano: e.timeNs, attributes: e.attributes })));
  n += pythonJsonLength({ code: STATUS_TO_WIRE[span.status.code], message: span.status.description });
  n += 2 + attributeLength(SpanAttributeKey.TRACE_ID, span.traceId, true) + attributeLength(SpanAttributeKey.SPAN_TYPE, span.spanType, false);
  if (span.inputs !== undefined) n += attributeLength(SpanAttributeKey.INPUTS, span.inputs, false);
  if (span.outputs !== undefined) n += attributeLength(SpanAttributeKey.OUTPUTS, span.outputs, false);
  for (const key of Object.keys(span.attributes)) n += attributeLength(key, span.attributes[key], false);
  return n + 2; // links: []
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
  return { [SIZE_STATS_KEY]: `{"total_size_bytes": ${stats.total_size_bytes}, "num_spans": ${stats.num_spans}, "max": ${stats.max}, "p25": ${stats.p25}, "p50": ${stats.p50}, "p75": ${stats.p75}}`, [SIZE_BYTES_KEY]: String(total) };
}
