/**
 * Our finished spans as the span records OpenTelemetry's own OTLP serialisers
 * (`@opentelemetry/otlp-transformer`) take, with MLflow's attributes: `mlflow.spanType`,
 * `mlflow.spanInputs`/`Outputs`, `mlflow.traceRequestId`, plus the root span's
 * `mlflow.traceTag.<key>`, `user.id` and `session.id`, which MLflow's OTLP ingestion reads back.
 */
import type { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { traceRecordRootAttributes } from "../mlflow/otlp-trace-record";
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

const SPAN_KIND_INTERNAL = 0;
const STATUS_CODE = { UNSET: 0, OK: 1, ERROR: 2 } as const;
const NS_PER_S = 1_000_000_000n;

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

function encodeValue(value: JsonValue, mode: OtlpAttributeValues): unknown {
  if (mode === "native" || value === null || typeof value !== "object") return value;
  return JSON.stringify(value);
}

function spanAttributes(span: Span, mode: OtlpAttributeValues, extra: Record<string, string> | undefined): OtlpAttributes {
  const out: Record<string, unknown> = {
    [SpanAttributeKey.TRACE_ID]: span.traceId,
    [SpanAttributeKey.SPAN_TYPE]: span.spanType,
  };
  if (span.inputs !== undefined) out[SpanAttributeKey.INPUTS] = encodeValue(span.inputs, mode);
  if (span.outputs !== undefined) out[SpanAttributeKey.OUTPUTS] = encodeValue(span.outputs, mode);
  for (const key of Object.keys(span.attributes)) out[key] = encodeValue(span.attributes[key] as JsonValue, mode);
  if (extra !== undefined) Object.assign(out, extra);
  // The serialisers encode any JSON value (objects become kvlistValue); the SDK's type is narrower.
  return out as OtlpAttributes;
}

/** Every span of `traces` as OTLP span records sharing `resource` and one instrumentation scope. */
export function toOtlpSpans(
  traces: readonly Trace[],
  resource: OtlpResource,
  scope: { readonly name: string; readonly version?: string },
  mode: OtlpAttributeValues,
): OtlpReadableSpan[] {
  const out: OtlpReadableSpan[] = [];
  for (const trace of traces) {
    const spans = trace.data.spans;
    const root = trace.rootSpan;
    for (const span of spans) {
      const traceId = otelTraceIdOf(span.traceId);
      const spanContext = { traceId, spanId: span.spanId, traceFlags: 1 };
      const start = hrTime(span.startTimeNs);
      const end = hrTime(span.endTimeNs > span.startTimeNs ? span.endTimeNs : span.startTimeNs);
      const durationNs = span.endTimeNs > span.startTimeNs ? span.endTimeNs - span.startTimeNs : 0n;
      out.push({
        name: span.name,
        kind: SPAN_KIND_INTERNAL,
        spanContext: () => spanContext,
        ...(span.parentId === null ? {} : { parentSpanContext: { traceId, spanId: span.parentId, traceFlags: 1 } }),
        startTime: start,
        endTime: end,
        duration: hrTime(durationNs),
        status: { code: STATUS_CODE[span.status.code], ...(span.status.description === "" ? {} : { message: span.status.description }) },
        attributes: spanAttributes(span, mode, span === root ? traceRecordRootAttributes(trace) : undefined),
        links: [],
        events: span.events.map((event) => ({ name: event.name, time: hrTime(event.timeNs), attributes: { ...event.attributes } })),
        ended: true,
        resource,
        instrumentationScope: scope,
        droppedAttributesCount: 0,
        droppedEventsCount: 0,
        droppedLinksCount: 0,
      });
    }
  }
  return out;
}
