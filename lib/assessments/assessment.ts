/**
 * The public, camelCase view of an assessment and its conversion from MLflow's JSON shape.
 */
import type { JsonValue } from "../tracing/serialize";
import type { AssessmentJson, AssessmentSourceType } from "../tracing/assessment-json";

export type { AssessmentSourceType };

/** Who or what made an assessment. `sourceId` defaults to `"default"`, as in MLflow. */
export interface AssessmentSource {
  readonly sourceType: AssessmentSourceType;
  readonly sourceId: string;
}

/** Why a feedback has no value, e.g. the LLM judge timed out. */
export interface AssessmentErrorInfo {
  readonly errorCode: string;
  readonly errorMessage?: string;
  readonly stackTrace?: string;
}

/**
 * A feedback or expectation attached to a trace (or one of its spans).
 *
 * @example
 * const a = await logFeedback({ traceId, name: "relevance", value: 0.9 });
 * console.log(a.assessmentId, a.kind, a.value, a.valid);
 */
export interface Assessment {
  /** `a-` + 32 hex; given by the SDK when logged, kept by the server. */
  readonly assessmentId: string;
  readonly name: string;
  readonly traceId: string;
  readonly spanId?: string;
  readonly kind: "feedback" | "expectation";
  /** The feedback's or expectation's value; `null` for a feedback that only carries an error or a rationale. */
  readonly value: JsonValue;
  readonly error?: AssessmentErrorInfo;
  readonly source: AssessmentSource;
  readonly rationale?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  /** The id of the feedback this one replaces (see `overrideFeedback`). */
  readonly overrides?: string;
  /** False once another feedback overrides this one. */
  readonly valid: boolean;
  /** ms since the epoch. */
  readonly createTime: number;
  readonly lastUpdateTime: number;
}

/** MLflow JSON → the public view. */
export function assessmentFromJson(json: AssessmentJson): Assessment {
  const error = json.feedback?.error;
  return {
    assessmentId: json.assessment_id,
    name: json.assessment_name,
    traceId: json.trace_id,
    ...(json.span_id ? { spanId: json.span_id } : {}),
    kind: json.expectation !== undefined ? "expectation" : "feedback",
    value: valueOf(json),
    ...(error === undefined
      ? {}
      : {
          error: {
            errorCode: error.error_code,
            ...(error.error_message ? { errorMessage: error.error_message } : {}),
            ...(error.stack_trace ? { stackTrace: error.stack_trace } : {}),
          },
        }),
    source: { sourceType: json.source.source_type, sourceId: json.source.source_id ?? "default" },
    ...(json.rationale ? { rationale: json.rationale } : {}),
    ...(json.metadata && Object.keys(json.metadata).length > 0 ? { metadata: { ...json.metadata } } : {}),
    ...(json.overrides ? { overrides: json.overrides } : {}),
    valid: json.valid !== false,
    createTime: Date.parse(json.create_time),
    lastUpdateTime: Date.parse(json.last_update_time),
  };
}

function valueOf(json: AssessmentJson): JsonValue {
  const expectation = json.expectation;
  if (expectation === undefined) return json.feedback?.value ?? null;
  if ("serialized_value" in expectation) return JSON.parse(expectation.serialized_value.value) as JsonValue;
  return expectation.value;
}
