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
 */
export type OtlpAttributeValues = "flat" | "native";

/**
 * The attribute value encodings: the OTLP client's two, and `"json-text"`, the MLflow REST
 * client's: every value but a number or boolean as JSON text. The server keeps a string that
 * parses as JSON as it is and JSON-encodes anything else, so a string that looks like JSON (such
 * as "42") stays a string; numbers and booleans travel as themselves (sent as JSON text they
 * would come back as strings).
 */
type ValueEncoding = OtlpAttributeValues | "json-text";

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

function encodeValue(value: JsonValue, encoding: ValueEncoding): unknown {
  if (encoding === "json-text") return typeof value === "number" || typeof value === "boolean" ? value : JSON.stringify(value);
  if (encoding === "native" || value === null || typeof value !== "object") return value;
  return JSON.stringify(value);
}

/** `span` as OTLP carries it; `extra` are further attributes (the root span's trace record). */
function encodeSpan(span: Span, encoding: ValueEncoding, extra: Readonly<Record<string, string>> | undefined): EncodedSpan {
  const attributes: Array<readonly [string, unknown]> = [
    [SpanAttributeKey.TRACE_ID, encodeValue(span.traceId, encoding)],
    // Sent as itself even as JSON text: MLflow's `/v1/traces` copies the span type into its `spans.type`
    // column (what `span.type = 'LLM'` searches), where a JSON-encoded '"LLM"' would keep its quotes.
    [SpanAttributeKey.SPAN_TYPE, span.spanType],
  ];
  if (span.inputs !== undefined) attributes.push([SpanAttributeKey.INPUTS, encodeValue(span.inputs, encoding)]);
  if (span.outputs !== undefined) attributes.push([SpanAttributeKey.OUTPUTS, encodeValue(span.outputs, encoding)]);
  for (const key of Object.keys(span.attributes)) attributes.push([key, encodeValue(span.attributes[key] as JsonValue, encoding)]);
  if (extra !== undefined) for (const key of Object.keys(extra)) attributes.push([key, encodeValue(extra[key] as string, encoding)]);
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
function encodeTraces(traces: readonly Trace[], encoding: ValueEncoding, withTraceRecord: boolean): EncodedSpan[] {
  const out: EncodedSpan[] = [];
  for (const trace of traces) {
    const root = withTraceRecord ? trace.rootSpan : undefined;
    for (const span of trace.data.spans)
      out.push(encodeSpan(span, encoding, root !== undefined && span === root ? traceRecordRootAttributes(trace) : undefined));
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
  return encodeTraces(traces, mode, true).map((span) => readableSpan(span, resource, scope));
}

// ---- OTLP/JSON for MLflow's /v1/traces ----

function anyValue(value: unknown): OtlpAnyValue {
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value as number };
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

/** One span as OTLP/JSON with values as JSON text (see {@link ValueEncoding}), plus `extra` attributes. */
export function otlpSpan(span: Span, extra?: Readonly<Record<string, string>>): OtlpSpan {
  return jsonSpan(encodeSpan(span, "json-text", extra));
}

/**
 * An OTLP/JSON export request holding every span of `traces`. With `withTraceRecord`, each root
 * span also carries its trace's tags, user and session, for a server that builds the trace record
 * from the spans alone.
 */
export function otlpRequest(traces: readonly Trace[], scopeName: string, withTraceRecord = false): OtlpExportRequest {
  const spans = encodeTraces(traces, "json-text", withTraceRecord).map(jsonSpan);
  return { resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: scopeName }, spans }] }] };
}
