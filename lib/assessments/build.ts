/**
 * Validates what users pass to the assessment functions and builds MLflow's JSON shape from it,
 * with Python's defaults (feedback name `feedback`, source CODE for feedback and HUMAN for
 * expectations, `source_id` "default") and value encodings.
 */
import { describeValue } from "../internal/describe-value";
import { randomUUID } from "node:crypto";
import type { JsonValue } from "../tracing/serialize";
import type { AssessmentErrorJson, AssessmentJson, AssessmentSourceType } from "../tracing/assessment-json";
import type { AssessmentErrorInfo } from "./assessment";
import { InvalidAssessmentError } from "../export/errors";
import { pythonRepr } from "../internal/python-repr";

/** A source type name (any case; `AI_JUDGE` means `LLM_JUDGE`) or a full source. */
export type AssessmentSourceInput =
  AssessmentSourceType | Lowercase<AssessmentSourceType> | "AI_JUDGE" | { readonly sourceType: string; readonly sourceId?: string };

/** An `Error` (code = its name), MLflow's error fields, or a message (code `ASSESSMENT_ERROR`). */
export type AssessmentErrorInput = Error | AssessmentErrorInfo | string;

/** Fields every kind of assessment takes. */
export interface AssessmentTarget {
  readonly traceId: string;
  /** Attach the assessment to one span of the trace. */
  readonly spanId?: string;
  /** Values that are not strings are written as Python's `str()` writes them (MLflow keeps strings only). */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

const SOURCE_TYPES: readonly AssessmentSourceType[] = ["HUMAN", "LLM_JUDGE", "CODE", "SOURCE_TYPE_UNSPECIFIED"];
/** Python keeps the last 10,000 characters of a stack trace, behind this prefix. */
const STACK_TRACE_MAX = 10_000;
const STACK_TRACE_PREFIX = "[Stack trace is truncated]\n...\n";

export function invalid(fn: string, message: string): InvalidAssessmentError {
  return new InvalidAssessmentError(`${fn}(): ${message}`);
}

export function newAssessmentId(): string {
  return `a-${randomUUID().replace(/-/g, "")}`;
}

export function requireTraceId(fn: string, traceId: unknown): string {
  if (typeof traceId !== "string" || traceId.trim() === "") {
    throw invalid(fn, `\`traceId\` must be the id of a trace, such as getLastActiveTraceId() returns ("tr-..."), got ${describeValue(traceId)}.`);
  }
  return traceId;
}

export function requireAssessmentId(fn: string, assessmentId: unknown): string {
  if (typeof assessmentId !== "string" || assessmentId.trim() === "") {
    throw invalid(fn, `\`assessmentId\` must be the \`assessmentId\` of a logged assessment ("a-..."), got ${describeValue(assessmentId)}.`);
  }
  return assessmentId;
}

/** A name may hold "." as in Python: search reads everything after `feedback.` as the name. */
export function checkName(fn: string, name: unknown): string {
  if (typeof name !== "string" || name.trim() === "") throw invalid(fn, `\`name\` must be a non-empty string, got ${describeValue(name)}.`);
  return name;
}

export function sourceJson(fn: string, source: AssessmentSourceInput | undefined, fallback: AssessmentSourceType): AssessmentJson["source"] {
  if (source === undefined) return { source_type: fallback, source_id: "default" };
  const raw = typeof source === "string" ? { sourceType: source } : source;
  if (typeof raw !== "object" || raw === null || typeof raw.sourceType !== "string") {
    throw invalid(fn, `\`source\` must be one of ${SOURCE_TYPES.join(", ")} or { sourceType, sourceId }, got ${describeValue(source)}.`);
  }
  let type = raw.sourceType.toUpperCase();
  if (type === "AI_JUDGE") type = "LLM_JUDGE";
  if (!(SOURCE_TYPES as readonly string[]).includes(type)) {
    throw invalid(fn, `\`source.sourceType\` must be one of ${SOURCE_TYPES.join(", ")}, got "${raw.sourceType}".`);
  }
  const id = raw.sourceId;
  if (id !== undefined && typeof id !== "string") throw invalid(fn, `\`source.sourceId\` must be a string, got ${describeValue(id)}.`);
  return { source_type: type as AssessmentSourceType, source_id: id ?? "default" };
}

export function errorJson(fn: string, error: AssessmentErrorInput): AssessmentErrorJson {
  if (typeof error === "string") return { error_code: "ASSESSMENT_ERROR", error_message: error };
  if (error instanceof Error) {
    const out: AssessmentErrorJson = { error_code: error.name || "Error", error_message: error.message };
    if (error.stack !== undefined) out.stack_trace = truncateStack(error.stack);
    return out;
  }
  if (typeof error !== "object" || error === null || typeof error.errorCode !== "string" || error.errorCode === "") {
    throw invalid(fn, `\`error\` must be an Error, a message, or { errorCode, errorMessage?, stackTrace? }, got ${describeValue(error)}.`);
  }
  return {
    error_code: error.errorCode,
    ...(error.errorMessage ? { error_message: error.errorMessage } : {}),
    ...(error.stackTrace ? { stack_trace: truncateStack(error.stackTrace) } : {}),
  };
}

function truncateStack(stack: string): string {
  return stack.length <= STACK_TRACE_MAX ? stack : STACK_TRACE_PREFIX + stack.slice(-(STACK_TRACE_MAX - STACK_TRACE_PREFIX.length));
}

/** A value as JSON: numbers must be finite, objects plain, no cycles. */
export function jsonValue(fn: string, option: string, value: unknown, seen: Set<unknown> = new Set()): JsonValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw invalid(fn, `\`${option}\` must hold finite numbers only, got ${value}.`);
    return value;
  }
  if (typeof value === "object" && !seen.has(value)) {
    seen.add(value);
    try {
      if (Array.isArray(value)) return value.map((v, i) => jsonValue(fn, `${option}[${i}]`, v, seen));
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto === Object.prototype || proto === null) {
        const out: { [key: string]: JsonValue } = {};
        for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = jsonValue(fn, `${option}.${k}`, v, seen);
        return out;
      }
    } finally {
      seen.delete(value);
    }
  }
  throw invalid(fn, `\`${option}\` must be a number, string, boolean, or a list or plain object of them, got ${describeValue(value)}.`);
}

/** Expectations: scalars as `value`, anything else as JSON text, as Python's `ExpectationValue`. */
export function expectationJson(fn: string, value: unknown): NonNullable<AssessmentJson["expectation"]> {
  if (value === undefined || value === null) throw invalid(fn, "`value` is required: the expected value (any JSON value but null).");
  const json = jsonValue(fn, "value", value);
  if (typeof json === "object" && json !== null) return { serialized_value: { serialization_format: "JSON_FORMAT", value: JSON.stringify(json) } };
  return { value: json };
}

export function metadataJson(fn: string, metadata: unknown): Record<string, string> | undefined {
  if (metadata === undefined) return undefined;
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
    throw invalid(fn, `\`metadata\` must be an object of strings, got ${describeValue(metadata)}.`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata)) {
    if (v === undefined) continue;
    // As Python's `str(value)`: `True`, `{'a': 1}`.
    out[k] = typeof v === "string" ? v : pythonRepr(jsonValue(fn, `metadata.${k}`, v));
  }
  return out;
}

export function optionalString(fn: string, option: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw invalid(fn, `\`${option}\` must be a string, got ${describeValue(value)}.`);
  return value;
}

/** The fields shared by feedback and expectations, timestamps set to now. */
export function baseJson(fn: string, target: AssessmentTarget, name: string, source: AssessmentJson["source"]): AssessmentJson {
  if (typeof target !== "object" || target === null)
    throw invalid(fn, `expects an options object such as { traceId, name, value }, got ${describeValue(target)}.`);
  const now = new Date().toISOString();
  const json: AssessmentJson = {
    assessment_id: newAssessmentId(),
    assessment_name: name,
    trace_id: requireTraceId(fn, target.traceId),
    source,
    create_time: now,
    last_update_time: now,
    valid: true,
  };
  const spanId = optionalString(fn, "spanId", target.spanId);
  if (spanId !== undefined && spanId !== "") json.span_id = spanId;
  const metadata = metadataJson(fn, target.metadata);
  if (metadata !== undefined && Object.keys(metadata).length > 0) json.metadata = metadata;
  return json;
}
