/**
 * An assessment in MLflow's JSON shape (`Assessment.to_dictionary()`, what `GetTraceInfoV3`
 * returns in `trace_info.assessments`): the one shape the REST calls, the local store's trace
 * files (`info.assessments`) and local search share. Checked against mlflow server 3.17.2.
 */
import type { JsonValue } from "./serialize";

/** `HUMAN`, `LLM_JUDGE`, `CODE` or `SOURCE_TYPE_UNSPECIFIED` (MLflow's `AssessmentSourceType`). */
export type AssessmentSourceType = "HUMAN" | "LLM_JUDGE" | "CODE" | "SOURCE_TYPE_UNSPECIFIED";

/** `{error_code, error_message, stack_trace}` of a feedback that could not be computed. */
export interface AssessmentErrorJson {
  error_code: string;
  error_message?: string;
  stack_trace?: string;
}

/** Expectations whose value is not a number, string or boolean travel as JSON text. */
export interface SerializedValueJson {
  serialization_format: "JSON_FORMAT";
  value: string;
}

export interface AssessmentJson {
  assessment_id: string;
  assessment_name: string;
  trace_id: string;
  span_id?: string;
  source: { source_type: AssessmentSourceType; source_id?: string };
  /** RFC 3339, e.g. `2026-12-02T10:00:00.123Z` (the server drops `.000`). */
  create_time: string;
  last_update_time: string;
  feedback?: { value?: JsonValue; error?: AssessmentErrorJson };
  expectation?: { value: JsonValue } | { serialized_value: SerializedValueJson };
  rationale?: string;
  metadata?: Record<string, string>;
  /** The id of the assessment this one replaces (which then has `valid: false`). */
  overrides?: string;
  valid?: boolean;
}
