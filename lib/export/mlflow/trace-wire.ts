/**
 * Converts between the SDK's {@link Trace} and the MLflow REST bodies: TraceInfoV3 for
 * StartTraceV3, the `traces.json` span file, OTLP/JSON for `/v1/traces`, and back again when
 * reading a trace from the server.
 */
import type { SpanJson } from "../../tracing/wire-format";
import { Trace, type TraceJson, type TraceState } from "../../tracing/trace";
import { otelTraceIdOf } from "../../tracing/ids";
import type { JsonValue } from "../../tracing/serialize";
import { traceRecordRootAttributes } from "./otlp-trace-record";
import { SpanAttributeKey, type Span } from "../../tracing/span";
import type {
  OtlpAnyValue,
  OtlpExportRequest,
  OtlpKeyValue,
  OtlpSpan,
  StartTraceV3Request,
  WireTraceData,
  WireTraceInfoV3,
} from "./rest-spec";

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

const OTLP_STATUS_CODE = { UNSET: 0, OK: 1, ERROR: 2 } as const;
const SPAN_KIND_INTERNAL = 1;

function anyValue(value: string | number | boolean): OtlpAnyValue {
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
}

function keyValues(attributes: Readonly<Record<string, string | number | boolean>> | undefined): OtlpKeyValue[] {
  return Object.entries(attributes ?? {}).map(([key, value]) => ({ key, value: anyValue(value) }));
}


/**
 * An attribute value as OTLP/JSON. The server keeps a string that parses as JSON as it is and
 * JSON-encodes anything else, so strings, objects and arrays travel JSON-encoded (a string that
 * looks like JSON, such as "42", stays a string), and numbers and booleans as themselves (sent as
 * JSON text they would come back as strings).
 */
function otlpValue(value: JsonValue): OtlpAnyValue {
  if (typeof value === "number" || typeof value === "boolean") return anyValue(value);
  return { stringValue: JSON.stringify(value) };
}

/** One span as OTLP/JSON, with its attribute values decoded (see {@link otlpValue}), plus `extra` attributes. */
export function otlpSpan(span: Span, extra?: Readonly<Record<string, string>>): OtlpSpan {
  const attributes: OtlpKeyValue[] = [
    { key: SpanAttributeKey.TRACE_ID, value: otlpValue(span.traceId) },
    { key: SpanAttributeKey.SPAN_TYPE, value: otlpValue(span.spanType) },
  ];
  if (span.inputs !== undefined) attributes.push({ key: SpanAttributeKey.INPUTS, value: otlpValue(span.inputs) });
  if (span.outputs !== undefined) attributes.push({ key: SpanAttributeKey.OUTPUTS, value: otlpValue(span.outputs) });
  for (const key of Object.keys(span.attributes)) attributes.push({ key, value: otlpValue(span.attributes[key] as JsonValue) });
  if (extra !== undefined) for (const key of Object.keys(extra)) attributes.push({ key, value: otlpValue(extra[key] as string) });
  return {
    traceId: otelTraceIdOf(span.traceId),
    spanId: span.spanId,
    parentSpanId: span.parentId ?? "",
    name: span.name,
    kind: SPAN_KIND_INTERNAL,
    startTimeUnixNano: span.startTimeNs.toString(),
    endTimeUnixNano: span.endTimeNs.toString(),
    attributes,
    events: span.events.map((event) => ({ name: event.name, timeUnixNano: event.timeNs.toString(), attributes: keyValues(event.attributes) })),
    status: { code: OTLP_STATUS_CODE[span.status.code], message: span.status.description },
  };
}

/**
 * An OTLP/JSON export request holding every span of `traces`. With `withTraceRecord`, each root
 * span also carries its trace's tags, user and session, for a server that builds the trace record
 * from the spans alone.
 */
export function otlpRequest(traces: readonly Trace[], scopeName: string, withTraceRecord = false): OtlpExportRequest {
  const spans = traces.flatMap((trace) => {
    const root = withTraceRecord ? trace.rootSpan : undefined;
    return trace.data.spans.map((span) => otlpSpan(span, span === root && root !== undefined ? traceRecordRootAttributes(trace) : undefined));
  });
  return { resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: scopeName }, spans }] }] };
}
