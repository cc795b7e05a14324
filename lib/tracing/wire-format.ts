/**
 * Spans in MLflow's `traces.json` form ("flavour A", `Span.to_dict()` of MLflow 3.x): base64 ids,
 * every attribute value JSON-encoded, `STATUS_CODE_*`, nanosecond times as strings.
 */
import { base64ToHex, hexToBase64, mlflowTraceId, otelTraceIdOf } from "./ids";
import type { JsonValue } from "./serialize";
import { SpanAttributeKey, type Span, type SpanEvent, type SpanStatusCode } from "./span";

/** One span as MLflow stores it in `traces.json`. */
export interface SpanJson {
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  name: string;
  start_time_unix_nano: string | number;
  end_time_unix_nano: string | number;
  status: { code: string; message: string };
  attributes: Record<string, string>;
  events: Array<{ name: string; time_unix_nano: string | number; attributes?: Record<string, string | number | boolean> }>;
}

export const STATUS_TO_WIRE: Record<SpanStatusCode, string> = {
  OK: "STATUS_CODE_OK",
  ERROR: "STATUS_CODE_ERROR",
  UNSET: "STATUS_CODE_UNSET",
};

const RESERVED = new Set<string>([SpanAttributeKey.TRACE_ID, SpanAttributeKey.SPAN_TYPE, SpanAttributeKey.INPUTS, SpanAttributeKey.OUTPUTS]);

export function spanToJson(span: Span): SpanJson {
  const attributes: Record<string, string> = {
    [SpanAttributeKey.TRACE_ID]: JSON.stringify(span.traceId),
    [SpanAttributeKey.SPAN_TYPE]: JSON.stringify(span.spanType),
  };
  if (span.inputs !== undefined) attributes[SpanAttributeKey.INPUTS] = JSON.stringify(span.inputs);
  if (span.outputs !== undefined) attributes[SpanAttributeKey.OUTPUTS] = JSON.stringify(span.outputs);
  for (const key of Object.keys(span.attributes)) attributes[key] = JSON.stringify(span.attributes[key]);
  return {
    trace_id: hexToBase64(otelTraceIdOf(span.traceId)),
    span_id: hexToBase64(span.spanId),
    parent_span_id: span.parentId === null ? "" : hexToBase64(span.parentId),
    name: span.name,
    start_time_unix_nano: span.startTimeNs.toString(),
    end_time_unix_nano: span.endTimeNs.toString(),
    status: { code: STATUS_TO_WIRE[span.status.code], message: span.status.description },
    attributes,
    events: span.events.map((event) => ({
      name: event.name,
      time_unix_nano: event.timeNs.toString(),
      attributes: { ...event.attributes },
    })),
  };
}

function decodeAttribute(raw: unknown): JsonValue {
  if (typeof raw !== "string") return raw as JsonValue;
  try {
    return JSON.parse(raw) as JsonValue;
  } catch {
    return raw;
  }
}

function statusFromWire(code: string): SpanStatusCode {
  const bare = code.replace(/^STATUS_CODE_/, "");
  return bare === "OK" || bare === "ERROR" ? bare : "UNSET";
}

function idToHex(id: string, hexLength: number): string {
  return /^[0-9a-f]+$/i.test(id) && id.length === hexLength ? id.toLowerCase() : base64ToHex(id);
}

/** Reads a span written by MLflow (flavour A, or hex ids as in MLflow's newer dicts). */
export function spanFromJson(json: SpanJson): Span {
  const decoded: Record<string, JsonValue> = {};
  for (const key of Object.keys(json.attributes ?? {})) decoded[key] = decodeAttribute(json.attributes[key]);
  const traceIdAttr = decoded[SpanAttributeKey.TRACE_ID];
  const traceId = typeof traceIdAttr === "string" ? traceIdAttr : mlflowTraceId(idToHex(json.trace_id, 32));
  const attributes: Record<string, JsonValue> = {};
  for (const key of Object.keys(decoded)) if (!RESERVED.has(key)) attributes[key] = decoded[key] as JsonValue;
  const spanType = decoded[SpanAttributeKey.SPAN_TYPE];
  const events: SpanEvent[] = (json.events ?? []).map((event) => ({
    name: event.name,
    timeNs: BigInt(event.time_unix_nano),
    attributes: { ...(event.attributes ?? {}) },
  }));
  return {
    // A span stored without a name (older versions recorded `startSpan("name", fn)` so) reads as "".
    name: typeof json.name === "string" ? json.name : "",
    spanId: idToHex(json.span_id, 16),
    traceId,
    parentId: json.parent_span_id ? idToHex(json.parent_span_id, 16) : null,
    spanType: typeof spanType === "string" ? spanType : "UNKNOWN",
    inputs: SpanAttributeKey.INPUTS in decoded ? decoded[SpanAttributeKey.INPUTS] : undefined,
    outputs: SpanAttributeKey.OUTPUTS in decoded ? decoded[SpanAttributeKey.OUTPUTS] : undefined,
    attributes,
    status: { code: statusFromWire(json.status?.code ?? ""), description: json.status?.message ?? "" },
    events,
    startTimeNs: BigInt(json.start_time_unix_nano),
    endTimeNs: BigInt(json.end_time_unix_nano),
  };
}
