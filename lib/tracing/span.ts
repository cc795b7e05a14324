/**
 * Finished spans: plain, immutable data in MLflow's model (TypeScript names; the wire form is
 * produced by `wire-format.ts`).
 */
import type { JsonValue } from "./serialize";

/** OK, ERROR, or UNSET (a span that ended without a verdict is reported as OK). */
export type SpanStatusCode = "OK" | "ERROR" | "UNSET";

export interface SpanStatus {
  readonly code: SpanStatusCode;
  readonly description: string;
}

/** A timestamped event on a span: `exception`, stream chunks `mlflow.chunk.item.<i>`, or your own. */
export interface SpanEvent {
  readonly name: string;
  /** Nanoseconds since the Unix epoch. */
  readonly timeNs: bigint;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
}

/** A finished span of a {@link Trace}. */
export interface Span {
  readonly name: string;
  /** 16 lowercase hex digits. */
  readonly spanId: string;
  /** The MLflow trace id, `tr-` + 32 hex. */
  readonly traceId: string;
  /** The parent's span id; `null` for the root. */
  readonly parentId: string | null;
  readonly spanType: string;
  /** Snapshotted inputs; `undefined` when never set. */
  readonly inputs: JsonValue | undefined;
  /** Snapshotted outputs; `undefined` when never set. */
  readonly outputs: JsonValue | undefined;
  /** Every other attribute (MLflow's reserved keys like `mlflow.chat.tokenUsage` included), decoded. */
  readonly attributes: Readonly<Record<string, JsonValue>>;
  readonly status: SpanStatus;
  readonly events: readonly SpanEvent[];
  /** Nanoseconds since the Unix epoch. */
  readonly startTimeNs: bigint;
  readonly endTimeNs: bigint;
}

/** MLflow's reserved span attribute keys. */
export const SpanAttributeKey = {
  TRACE_ID: "mlflow.traceRequestId",
  SPAN_TYPE: "mlflow.spanType",
  INPUTS: "mlflow.spanInputs",
  OUTPUTS: "mlflow.spanOutputs",
  FUNCTION_NAME: "mlflow.spanFunctionName",
  /** Severity for the MLflow UI's span filter: 10 DEBUG, 20 INFO, 40 ERROR (see `spanLogLevel`). */
  LOG_LEVEL: "mlflow.spanLogLevel",
  CHAT_USAGE: "mlflow.chat.tokenUsage",
  LLM_COST: "mlflow.llm.cost",
  MODEL: "mlflow.llm.model",
  MODEL_PROVIDER: "mlflow.llm.provider",
  MESSAGE_FORMAT: "mlflow.message.format",
} as const;

/** Span types MLflow logs at INFO (20) by default; every other type at DEBUG (10). */
const INFO_SPAN_TYPES: ReadonlySet<string> = new Set(["LLM", "CHAT_MODEL", "TOOL", "RETRIEVER", "AGENT", "EMBEDDING"]);

/**
 * The `mlflow.spanLogLevel` MLflow's Python SDK (3.17) gives a finished span unless one was set:
 * ERROR (40) once an `exception` event was recorded, else INFO (20) for the model, tool,
 * retriever, agent and embedding types, else DEBUG (10).
 */
export function spanLogLevel(span: Pick<Span, "spanType" | "events">): number {
  return logLevelOf(span.spanType, span.events);
}

/**
 * The attributes as recorded plus MLflow's `mlflow.spanLogLevel`, which Python's SDK sets as a span
 * ends unless it was set before; added to a span's snapshot (off the caller's path), not to the live span.
 */
export function withSpanLogLevel(
  attributes: Readonly<Record<string, JsonValue>> | undefined,
  spanType: string,
  events: readonly SpanEvent[] | undefined,
): Record<string, JsonValue> {
  // A span without attributes shares a frozen record per level: a fresh spread with a computed key
  // cost as much as the rest of the span's snapshot.
  if (attributes === undefined) return LEVEL_ONLY[logLevelOf(spanType, events)] as Record<string, JsonValue>;
  if (SpanAttributeKey.LOG_LEVEL in attributes) return attributes;
  const out: Record<string, JsonValue> = { ...attributes };
  out[SpanAttributeKey.LOG_LEVEL] = logLevelOf(spanType, events);
  return out;
}

const DEBUG_ONLY: Readonly<Record<string, JsonValue>> = Object.freeze({ "mlflow.spanLogLevel": 10 });
const INFO_ONLY: Readonly<Record<string, JsonValue>> = Object.freeze({ "mlflow.spanLogLevel": 20 });
const ERROR_ONLY: Readonly<Record<string, JsonValue>> = Object.freeze({ "mlflow.spanLogLevel": 40 });
const LEVEL_ONLY: Readonly<Record<number, Readonly<Record<string, JsonValue>>>> = { 10: DEBUG_ONLY, 20: INFO_ONLY, 40: ERROR_ONLY };

/**
 * @internal Whether `attributes` is the shared record {@link withSpanLogLevel} gives a span that
 * set no attributes: then it holds nothing but the level, which assembly need not look into.
 */
export function isLevelOnly(attributes: Readonly<Record<string, JsonValue>>): boolean {
  return attributes === DEBUG_ONLY || attributes === INFO_ONLY || attributes === ERROR_ONLY;
}

function logLevelOf(spanType: string, events: readonly SpanEvent[] | undefined): number {
  if (events !== undefined) for (let i = 0; i < events.length; i++) if ((events[i] as SpanEvent).name === "exception") return 40;
  return INFO_SPAN_TYPES.has(spanType) ? 20 : 10;
}
