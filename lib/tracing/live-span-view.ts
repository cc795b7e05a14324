/**
 * What `console.log(span)` and `JSON.stringify(span)` show of a running or ended span: the fields
 * a user reads, built only when asked (nothing at span creation), never the bookkeeping.
 */
import type { InspectOptions, inspect } from "node:util";
import { perfToEpochMs } from "./clock";
import type { JsonValue } from "./serialize";
import type { SpanStatus } from "./span";

/** What names a span and places it in its trace. */
export interface LiveSpanIdentity {
  readonly name: string;
  readonly spanType: string;
  readonly spanId: string;
  readonly traceId: string;
  readonly parentId: string | null;
  readonly status: SpanStatus;
}

/** The span's state as `LiveSpan` hands it over; times are `nowPerf()` readings. */
export interface LiveSpanFields extends LiveSpanIdentity {
  readonly startPerf: number;
  /** -1 while the span runs. */
  readonly endPerf: number;
  /** One reading of the clock, for a running span's duration. */
  readonly nowPerf: number;
  readonly inputs: JsonValue | undefined;
  readonly outputs: JsonValue | undefined;
  readonly attributes: Readonly<Record<string, JsonValue>>;
}

/**
 * `JSON.stringify(span)`: what the span's getters give, with ISO times. Inputs, outputs and
 * attributes are the snapshots taken when they were set, bounded by `configureTracing`'s limits.
 */
export interface LiveSpanJson extends LiveSpanIdentity {
  readonly startTime: string;
  /** Null while the span runs. */
  readonly endTime: string | null;
  /** Until the end, or until now while the span runs. */
  readonly durationMs: number;
  readonly inputs?: JsonValue;
  readonly outputs?: JsonValue;
  readonly attributes: Readonly<Record<string, JsonValue>>;
}

/** A printed span shows at most this many characters of a string and items of an array. */
const MAX_PRINTED_STRING = 500;
const MAX_PRINTED_ITEMS = 20;

function roundedMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** The span as {@link LiveSpanJson}. */
export function liveSpanJson(fields: LiveSpanFields): LiveSpanJson {
  const running = fields.endPerf < 0;
  const json: { -readonly [K in keyof LiveSpanJson]: LiveSpanJson[K] } = {
    name: fields.name,
    spanType: fields.spanType,
    spanId: fields.spanId,
    traceId: fields.traceId,
    parentId: fields.parentId,
    status: { code: fields.status.code, description: fields.status.description },
    startTime: new Date(perfToEpochMs(fields.startPerf)).toISOString(),
    endTime: running ? null : new Date(perfToEpochMs(fields.endPerf)).toISOString(),
    durationMs: roundedMs((running ? fields.nowPerf : fields.endPerf) - fields.startPerf),
    attributes: fields.attributes,
  };
  if (fields.inputs !== undefined) json.inputs = fields.inputs;
  if (fields.outputs !== undefined) json.outputs = fields.outputs;
  return json;
}

/**
 * `LiveSpan "retrieve" RETRIEVER OK 12.345 ms { spanId, traceId, parentId, startTime, endTime,
 * inputs, outputs, attributes }`; long strings and arrays cut.
 */
export function inspectLiveSpan(fields: LiveSpanFields, depth: number, options: InspectOptions, show: typeof inspect): string {
  const { name, spanType, status, durationMs, ...rest } = liveSpanJson(fields);
  const shownStatus = status.description === "" ? status.code : `${status.code}: ${status.description}`;
  const duration = `${durationMs.toFixed(3)} ms${rest.endTime === null ? " (running)" : ""}`;
  const body = show(rest, {
    ...options,
    depth: options.depth === null ? null : depth,
    maxStringLength: Math.min(options.maxStringLength ?? MAX_PRINTED_STRING, MAX_PRINTED_STRING),
    maxArrayLength: Math.min(options.maxArrayLength ?? MAX_PRINTED_ITEMS, MAX_PRINTED_ITEMS),
  });
  return `LiveSpan ${JSON.stringify(name)} ${spanType} ${shownStatus} ${duration} ${body}`;
}
