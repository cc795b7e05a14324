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
  CHAT_USAGE: "mlflow.chat.tokenUsage",
  LLM_COST: "mlflow.llm.cost",
  MODEL: "mlflow.llm.model",
  MODEL_PROVIDER: "mlflow.llm.provider",
  MESSAGE_FORMAT: "mlflow.message.format",
} as const;
