/**
 * Converts between the SDK's {@link Trace} and the MLflow REST bodies: TraceInfoV3 for
 * StartTraceV3, the `traces.json` span file, OTLP/JSON for `/v1/traces`, and back again when
 * reading a trace from the server.
 */
import type { SpanJson } from "../tracing/wire-format";
import { Trace, type TraceJson, type TraceState } from "../tracing/trace";
import { base64ToHex } from "../tracing/ids";
import type {
  OtlpAnyValue,
  OtlpExportRequest,
  OtlpKeyValue,
  OtlpSpan,
  StartTraceV3Request,
  WireTraceData,
  WireTraceInfoV3,
} from "./mlflow-rest-spec";

/** Milliseconds → protobuf Duration JSON (`"1.5s"`, at most 9 fractional digits). */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Number.isFinite(ms) ? ms : 0) / 1000;
  return `${seconds.toFixed(9).replace(/\.?0+$/, "")}s`;
}

/** Protobuf Duration JSON (`"1.500s"`) → milliseconds. */
export function parseDuration(text: string | undefined): number {
  if (text === undefined) return 0;
  const match = /^(-?\d+(?:\.\d+)?)s$/.exec(text.trim());
  return match === null ? 0 : Math.round(Number(match[1]) * 1e6) / 1e3;
}

/** The StartTraceV3 body for `trace` in `experimentId`. */
export function startTraceBody(trace: Trace, experimentId: string): StartTraceV3Request {
  const info = trace.info.toJSON();
  const wire: WireTraceInfoV3 = {
    trace_id: info.trace_id,
    ...(info.client_request_id === undefined ? {} : { client_request_id: info.client_request_id }),
    trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: experimentId } },
    request_time: info.request_time,
    execution_duration: formatDuration(info.execution_duration_ms),
    state: info.state,
    ...(info.request_preview === undefined ? {} : { request_preview: info.request_preview }),
    ...(info.response_preview === undefined ? {} : { response_preview: info.response_preview }),
    trace_metadata: info.trace_metadata,
    tags: info.tags,
  };
  return { trace: { trace_info: wire } };
}

/** The `traces.json` file content, as Python's `json.dumps(trace.data.to_dict())`. */
export function traceDataFile(trace: Trace): string {
  return JSON.stringify({ spans: trace.toJSON().data.spans });
}

const NANOS_NUMBER = /("(?:start_time_unix_nano|end_time_unix_nano|time_unix_nano)"\s*:\s*)(-?\d+)/g;

/**
 * Parses span JSON from the server without losing nanosecond precision: MLflow writes
 * `*_unix_nano` as JSON numbers (beyond 2^53), so they are quoted before `JSON.parse`.
 */
export function parseTraceDataJson(text: string): WireTraceData {
  return JSON.parse(text.replace(NANOS_NUMBER, '$1"$2"')) as WireTraceData;
}

/** A trace read from the server (TraceInfoV3 + span dicts) in the `Trace.to_dict()` shape. */
export function traceJsonFromWire(info: WireTraceInfoV3, data: WireTraceData | undefined): TraceJson {
  return {
    info: {
      trace_id: info.trace_id,
      ...(info.client_request_id === undefined ? {} : { client_request_id: info.client_request_id }),
      trace_location: {
        type: "MLFLOW_EXPERIMENT",
        mlflow_experiment: { experiment_id: info.trace_location?.mlflow_experiment?.experiment_id ?? "0" },
      },
      request_time: info.request_time,
      execution_duration_ms: parseDuration(info.execution_duration),
      state: info.state as TraceState,
      ...(info.request_preview === undefined ? {} : { request_preview: info.request_preview }),
      ...(info.response_preview === undefined ? {} : { response_preview: info.response_preview }),
      trace_metadata: { ...(info.trace_metadata ?? {}) },
      tags: { ...(info.tags ?? {}) },
      assessments: [],
    },
    data: { spans: (data?.spans ?? []) as SpanJson[] },
  };
}

/** Reads a server answer into a {@link Trace}. */
export function traceFromWire(info: WireTraceInfoV3, data: WireTraceData | undefined): Trace {
  return Trace.fromJSON(traceJsonFromWire(info, data));
}

const OTLP_STATUS: Record<string, number> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };
const SPAN_KIND_INTERNAL = 1;

function anyValue(value: string | number | boolean): OtlpAnyValue {
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
}

function keyValues(attributes: Readonly<Record<string, string | number | boolean>> | undefined): OtlpKeyValue[] {
  return Object.entries(attributes ?? {}).map(([key, value]) => ({ key, value: anyValue(value) }));
}

function hexId(id: string): string {
  return id === "" ? "" : base64ToHex(id);
}

/**
 * One span as OTLP/JSON. Span attribute values stay MLflow's JSON-encoded strings: the server
 * keeps a string that parses as JSON as it is, so the stored span equals the `traces.json` one.
 */
export function otlpSpanFromJson(span: SpanJson): OtlpSpan {
  return {
    traceId: hexId(span.trace_id),
    spanId: hexId(span.span_id),
    parentSpanId: span.parent_span_id ? hexId(span.parent_span_id) : "",
    name: span.name,
    kind: SPAN_KIND_INTERNAL,
    startTimeUnixNano: String(span.start_time_unix_nano),
    endTimeUnixNano: String(span.end_time_unix_nano),
    attributes: keyValues(span.attributes),
    events: span.events.map((event) => ({
      name: event.name,
      timeUnixNano: String(event.time_unix_nano),
      attributes: keyValues(event.attributes),
    })),
    status: { code: OTLP_STATUS[span.status.code] ?? 0, message: span.status.message },
  };
}

/** An OTLP/JSON export request holding every span of `traces`. */
export function otlpRequest(traces: readonly Trace[], scopeName: string): OtlpExportRequest {
  const spans = traces.flatMap((trace) => trace.toJSON().data.spans.map(otlpSpanFromJson));
  return { resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: scopeName }, spans }] }] };
}
