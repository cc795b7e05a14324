/**
 * The one OTLP span encoder. {@link encodeSpan} decides what a finished span carries over OTLP —
 * hex ids, MLflow's attributes (`mlflow.traceRequestId`, `mlflow.spanType`,
 * `mlflow.spanInputs`/`Outputs`, then the span's own), the root span's `mlflow.traceTag.<key>`,
 * `user.id` and `session.id` (which MLflow's OTLP ingestion reads back), how each value is
 * encoded, events and status — and two thin writers put that into a wire form: span records for
 * OpenTelemetry's own serialisers (`@opentelemetry/otlp-transformer`, the OTLP client) and
 * OTLP/JSON for MLflow's `/v1/traces` (the MLflow REST client).
 */
import type { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { traceRecordRootAttributes } from "../mlflow/otlp-trace-record";
import type { OtlpAnyValue, OtlpExportRequest, OtlpKeyValue, OtlpSpan } from "../mlflow/rest-spec";
import { otelTraceIdOf } from "../../tracing/ids";
import type { JsonValue } from "../../tracing/serialize";
import { SpanAttributeKey, type Span } from "../../tracing/span";
import type { Trace } from "../../tracing/trace";

/** The span record the OTLP serialisers read (`ReadableSpan` of the 2.x SDK). */
export type OtlpReadableSpan = Parameters<(typeof ProtobufTraceSerializer)["serializeRequest"]>[0][number];
type OtlpResource = OtlpReadableSpan["resource"];
type OtlpAttributes = OtlpReadableSpan["attributes"];

/**
 * How composite attribute values (objects, arrays) travel:
 * - `"flat"`: as JSON text, so every value is an OpenTelemetry primitive any collector accepts;
 * - `"native"`: as OTLP `kvlistValue` / `arrayValue`, as MLflow's Python SDK sends them.
 * MLflow's `/v1/traces` reads both back to the same values.
 *
 * Every other value travels as Python's SDK sends it (`Span.to_otel_proto`): a string, number or
 * boolean as itself, null as an empty value. The server then stores what it stores for a Python
 * span, so `mlflow.get_trace`, the UI and `span.attributes.*` / `span.type` search see the same
 * thing (spec/integration/otlp-attribute-parity.spec.ts). That includes Python's quirk: the
 * server strips what it takes for a second JSON layer (`sanitize_attributes`), so a string that
 * is JSON text of an object, array or string (`'{"a": 1}'`, `'[1]'`, `'"hi"'`) reads back as that
 * value, for Python's spans as for ours. Strings sent as JSON text would keep those few strings
 * but split from Python elsewhere (null came back as the string "null"), and would show a
 * collector other than MLflow quoted strings. `"flat"` reads back the same values from MLflow
 * too, but the server stores its compact JSON text as sent (`{"a":1}`, where Python's span holds
 * `{"a": 1}`), so a `span.attributes.*` LIKE filter written against Python's spacing can miss.
 */
export type OtlpAttributeValues = "flat" | "native";

/**
 * `SPAN_KIND_INTERNAL`, in each wire form's own numbering: the OpenTelemetry API's `SpanKind`
 * enum (INTERNAL = 0) for span records, which the transformer writes as the proto value + 1
 * (`span.kind + 1`, since the API has no UNSPECIFIED); the OTLP proto's `Span.SpanKind`
 * (UNSPECIFIED = 0, INTERNAL = 1) in OTLP/JSON. Both put 1 on the wire.
 */
const API_SPAN_KIND_INTERNAL = 0;
const PROTO_SPAN_KIND_INTERNAL = 1;
const STATUS_CODE = { UNSET: 0, OK: 1, ERROR: 2 } as const;
const NS_PER_S = 1_000_000_000n;

/** What one span carries over OTLP, before a wire form. Attributes in order; a repeated key is written again. */
interface EncodedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | null;
  readonly name: string;
  readonly startTimeNs: bigint;
  readonly endTimeNs: bigint;
  readonly attributes: ReadonlyArray<readonly [string, unknown]>;
  readonly events: Span["events"];
  readonly status: { readonly code: 0 | 1 | 2; readonly message: string };
}

/**
 * How the root span's trace record (tags, user, session) travels: `"raw"` strings, as Python's
 * OTLP exporter sends them and as collectors read them; or `"json-text"`, for MLflow's
 * `/v1/traces` alone (the REST client): the server parses such a value once
 * (`_try_parse_json_string`), so JSON text gives back every tag exactly, where a raw tag that is
 * itself JSON text of a string (`'"v1"'`) would lose its quotes.
 */
type RecordEncoding = "raw" | "json-text";

function encodeValue(value: JsonValue, mode: OtlpAttributeValues): unknown {
  if (mode === "native" || value === null || typeof value !== "object") return value;
  return JSON.stringify(value);
}

/** `span` as OTLP carries it; `extra` are further attributes (the root span's trace record). */
function encodeSpan(span: Span, mode: OtlpAttributeValues, extra: Readonly<Record<string, string>> | undefined, recordEncoding: RecordEncoding): EncodedSpan {
  // The span type as itself: the server copies it into its `spans.type` column, what `span.type = 'LLM'` searches.
  const attributes: Array<readonly [string, unknown]> = [
    [SpanAttributeKey.TRACE_ID, span.traceId],
    [SpanAttributeKey.SPAN_TYPE, span.spanType],
  ];
  if (span.inputs !== undefined) attributes.push([SpanAttributeKey.INPUTS, encodeValue(span.inputs, mode)]);
  if (span.outputs !== undefined) attributes.push([SpanAttributeKey.OUTPUTS, encodeValue(span.outputs, mode)]);
  for (const key of Object.keys(span.attributes)) attributes.push([key, encodeValue(span.attributes[key] as JsonValue, mode)]);
  if (extra !== undefined) {
    for (const key of Object.keys(extra)) {
      const value = extra[key] as string;
      attributes.push([key, recordEncoding === "json-text" ? JSON.stringify(value) : value]);
    }
  }
  return {
    traceId: otelTraceIdOf(span.traceId),
    spanId: span.spanId,
    parentSpanId: span.parentId,
    name: span.name,
    startTimeNs: span.startTimeNs,
    endTimeNs: span.endTimeNs,
    attributes,
    events: span.events,
    status: { code: STATUS_CODE[span.status.code], message: span.status.description },
  };
}

/** Every span of `traces`, encoded; with `withTraceRecord`, each root span also carries its trace's record. */
function encodeTraces(traces: readonly Trace[], mode: OtlpAttributeValues, record: RecordEncoding | undefined): EncodedSpan[] {
  const out: EncodedSpan[] = [];
  for (const trace of traces) {
    const root = record === undefined ? undefined : trace.rootSpan;
    for (const span of trace.data.spans) {
      const extra = root !== undefined && span === root ? traceRecordRootAttributes(trace) : undefined;
      out.push(encodeSpan(span, mode, extra, record ?? "raw"));
    }
  }
  return out;
}

// ---- span records for OpenTelemetry's serialisers ----

/** A resource for the OTLP serialisers, which read only `attributes` and `schemaUrl`. */
export function otlpResource(attributes: Readonly<Record<string, string | number | boolean>>): OtlpResource {
  const frozen = Object.freeze({ ...attributes });
  const resource: OtlpResource = {
    attributes: frozen,
    merge: () => resource,
    getRawAttributes: () => Object.entries(frozen),
  };
  return resource;
}

function hrTime(ns: bigint): [number, number] {
  return [Number(ns / NS_PER_S), Number(ns % NS_PER_S)];
}

function readableSpan(span: EncodedSpan, resource: OtlpResource, scope: { readonly name: string; readonly version?: string }): OtlpReadableSpan {
  const spanContext = { traceId: span.traceId, spanId: span.spanId, traceFlags: 1 };
  const ended = span.endTimeNs > span.startTimeNs;
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of span.attributes) attributes[key] = value;
  return {
    name: span.name,
    kind: API_SPAN_KIND_INTERNAL,
    spanContext: () => spanContext,
    ...(span.parentSpanId === null ? {} : { parentSpanContext: { traceId: span.traceId, spanId: span.parentSpanId, traceFlags: 1 } }),
    startTime: hrTime(span.startTimeNs),
    endTime: hrTime(ended ? span.endTimeNs : span.startTimeNs),
    duration: hrTime(ended ? span.endTimeNs - span.startTimeNs : 0n),
    status: { code: span.status.code, ...(span.status.message === "" ? {} : { message: span.status.message }) },
    // The serialisers encode any JSON value (objects become kvlistValue); the SDK's type is narrower.
    attributes: attributes as OtlpAttributes,
    links: [],
    events: span.events.map((event) => ({ name: event.name, time: hrTime(event.timeNs), attributes: { ...event.attributes } })),
    ended: true,
    resource,
    instrumentationScope: scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

/** Every span of `traces` as OTLP span records sharing `resource` and one instrumentation scope; root spans carry their trace's record. */
export function toOtlpSpans(
  traces: readonly Trace[],
  resource: OtlpResource,
  scope: { readonly name: string; readonly version?: string },
  mode: OtlpAttributeValues,
): OtlpReadableSpan[] {
  return encodeTraces(traces, mode, "raw").map((span) => readableSpan(span, resource, scope));
}

// ---- OTLP/JSON for MLflow's /v1/traces ----

/** int64 holds the integers in [-2^63, 2^63); both bounds are exact doubles. */
const INT64_BOUND = 2 ** 63;

/**
 * A JSON value as an OTLP `AnyValue`. An integer outside int64 (such as 1e21) goes as a double,
 * as OpenTelemetry's protobuf writer does: as `intValue` it would fail the whole request.
 */
function anyValue(value: unknown): OtlpAnyValue {
  switch (typeof value) {
    case "string":
      return { stringValue: value };
    case "boolean":
      return { boolValue: value };
    case "number":
      if (!Number.isInteger(value) || value < -INT64_BOUND || value >= INT64_BOUND) return { doubleValue: value };
      // Past 2^53 String() rounds to 17 digits (2^62 → "…388000"); BigInt prints the double's exact integer.
      return { intValue: Number.isSafeInteger(value) ? String(value) : BigInt(value).toString() };
    default:
      if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
      if (value !== null && typeof value === "object") return { kvlistValue: { values: keyValues(Object.entries(value)) } };
      return {};
  }
}

function keyValues(attributes: Iterable<readonly [string, unknown]>): OtlpKeyValue[] {
  const out: OtlpKeyValue[] = [];
  for (const [key, value] of attributes) out.push({ key, value: anyValue(value) });
  return out;
}

function jsonSpan(span: EncodedSpan): OtlpSpan {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId ?? "",
    name: span.name,
    kind: PROTO_SPAN_KIND_INTERNAL,
    startTimeUnixNano: span.startTimeNs.toString(),
    endTimeUnixNano: span.endTimeNs.toString(),
    attributes: keyValues(span.attributes),
    events: span.events.map((event) => ({ name: event.name, timeUnixNano: event.timeNs.toString(), attributes: keyValues(Object.entries(event.attributes)) })),
    status: { code: span.status.code, message: span.status.message },
  };
}

/** One span as OTLP/JSON for MLflow's `/v1/traces` (see {@link otlpRequest}), plus `extra` attributes (as JSON text). */
export function otlpSpan(span: Span, extra?: Readonly<Record<string, string>>): OtlpSpan {
  return jsonSpan(encodeSpan(span, "native", extra, "json-text"));
}

/**
 * An OTLP/JSON export request for MLflow's `/v1/traces` holding every span of `traces`, objects
 * and arrays as `kvlistValue` / `arrayValue` ("native"), as Python's SDK sends them: the server
 * writes their JSON text itself, so what it stores is Python's byte for byte (`"a": 1`, not the
 * compact `"a":1` of JSON text sent "flat"), which `span.attributes.*` LIKE filters and
 * `span.content` search compare. With `withTraceRecord`, each root span also carries its trace's tags,
 * user and session (as JSON text, see {@link RecordEncoding}), for a server that builds the trace
 * record from the spans alone.
 */
export function otlpRequest(traces: readonly Trace[], scopeName: string, withTraceRecord = false): OtlpExportRequest {
  const spans = encodeTraces(traces, "native", withTraceRecord ? "json-text" : undefined).map(jsonSpan);
  return { resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: scopeName }, spans }] }] };
}
