/**
 * `logFeedback`, `logExpectation` and `overrideFeedback`: MLflow's `mlflow.log_feedback`,
 * `log_expectation` and `override_feedback` with Python's defaults and checks.
 */
import { assessmentFromJson, type Assessment } from "./assessment";
import {
  baseJson,
  checkName,
  errorJson,
  expectationJson,
  invalid,
  jsonValue,
  optionalString,
  requireAssessmentId,
  requireTraceId,
  sourceJson,
  type AssessmentErrorInput,
  type AssessmentSourceInput,
  type AssessmentTarget,
} from "./build";
import type { AssessmentJson } from "../tracing/assessment-json";
import { createAssessment, withAssessments } from "./routing";

/** Options of {@link logFeedback}. */
export interface LogFeedbackOptions extends AssessmentTarget {
  /** Default `"feedback"`; searched as `feedback.<name>` (a dotted name too). */
  readonly name?: string;
  /**
   * A number, string, boolean, or a list or plain object of them. Without `value` and `error` the
   * feedback is a comment (its `rationale`), stored with value `null` as in MLflow's Python SDK.
   */
  readonly value?: unknown;
  /** Why no value could be computed: an `Error`, a message, or `{ errorCode, errorMessage, stackTrace }`. */
  readonly error?: AssessmentErrorInput;
  readonly rationale?: string;
  /** Default `CODE` (source id `"default"`). */
  readonly source?: AssessmentSourceInput;
}

/** Options of {@link logExpectation}. */
export interface LogExpectationOptions extends AssessmentTarget {
  /** Searched as `expectation.<name>`. */
  readonly name: string;
  /** The expected value: any JSON value but null (lists and objects included). */
  readonly value: unknown;
  /** Default `HUMAN` (source id `"default"`). */
  readonly source?: AssessmentSourceInput;
}

/** Options of {@link overrideFeedback}. */
export interface OverrideFeedbackOptions {
  readonly traceId: string;
  /** The feedback to replace; it stays, marked `valid: false`. */
  readonly assessmentId: string;
  readonly value: unknown;
  readonly rationale?: string;
  /** Default `CODE`. */
  readonly source?: AssessmentSourceInput;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/**
 * Logs a feedback (a score, a label, a judgement) on a trace. On the trace running in the current
 * context it travels inside the trace record; on a completed trace still being exported it is sent
 * right after the trace; otherwise it goes to the configured destination (the server, retried
 * while the trace is not there yet, or the trace's file in the local store).
 *
 * @example
 * await logFeedback({ traceId, name: "relevance", value: 0.9, source: { sourceType: "LLM_JUDGE", sourceId: "gpt-4o" }, rationale: "on topic" });
 */
export async function logFeedback(options: LogFeedbackOptions): Promise<Assessment> {
  const fn = "logFeedback";
  const opts = options ?? ({} as LogFeedbackOptions);
  const name = checkName(fn, opts.name ?? "feedback");
  const json = baseJson(fn, opts, name, sourceJson(fn, opts.source, "CODE"));
  json.feedback = feedbackJson(fn, opts.value, opts.error);
  const rationale = optionalString(fn, "rationale", opts.rationale);
  if (rationale !== undefined) json.rationale = rationale;
  return assessmentFromJson(await createAssessment(json));
}

/**
 * Logs an expectation (ground truth) on a trace; delivered like {@link logFeedback}.
 *
 * @example
 * await logExpectation({ traceId, name: "expected_answer", value: { city: "Paris", sources: [1, 2] } });
 */
export async function logExpectation(options: LogExpectationOptions): Promise<Assessment> {
  const fn = "logExpectation";
  const opts = options ?? ({} as LogExpectationOptions);
  const name = checkName(fn, opts.name);
  const json = baseJson(fn, opts, name, sourceJson(fn, opts.source, "HUMAN"));
  json.expectation = expectationJson(fn, opts.value);
  return assessmentFromJson(await createAssessment(json));
}

/**
 * Replaces a feedback with a corrected one: a new feedback with `overrides` set to the old id; the
 * old one is kept and marked `valid: false` (search and the UI use the valid one).
 *
 * @example
 * const judged = await logFeedback({ traceId, name: "relevance", value: 0.4, source: "LLM_JUDGE" });
 * await overrideFeedback({ traceId, assessmentId: judged.assessmentId, value: 0.9, source: { sourceType: "HUMAN", sourceId: "ana" } });
 */
export async function overrideFeedback(options: OverrideFeedbackOptions): Promise<Assessment> {
  const fn = "overrideFeedback";
  const opts = options ?? ({} as OverrideFeedbackOptions);
  const oldId = requireAssessmentId(fn, opts.assessmentId);
  if (opts.value === undefined) throw invalid(fn, "`value` is required: the corrected feedback value.");
  const traceId = requireTraceId(fn, opts.traceId);
  const old = await withAssessments(traceId, (store) => store.get(traceId, oldId));
  if (old.feedback === undefined) throw invalid(fn, `assessment ${oldId} is an expectation; only a feedback can be overridden (use updateAssessment).`);
  const json = baseJson(
    fn,
    { traceId, ...(old.span_id ? { spanId: old.span_id } : {}), ...(opts.metadata ? { metadata: opts.metadata } : {}) },
    old.assessment_name,
    sourceJson(fn, opts.source, "CODE"),
  );
  json.feedback = feedbackJson(fn, opts.value, undefined);
  json.overrides = oldId;
  const rationale = optionalString(fn, "rationale", opts.rationale);
  if (rationale !== undefined) json.rationale = rationale;
  return assessmentFromJson(await createAssessment(json));
}

/**
 * The `feedback` field. With neither a value nor an error it is a comment (its rationale), stored
 * with `value: null` as MLflow's Python `log_feedback` stores it.
 */
export function feedbackJson(fn: string, value: unknown, error: AssessmentErrorInput | undefined): NonNullable<AssessmentJson["feedback"]> {
  const out: NonNullable<AssessmentJson["feedback"]> = {};
  if (value !== undefined && value !== null) out.value = jsonValue(fn, "value", value);
  else if (error === undefined) out.value = null;
  if (error !== undefined) out.error = errorJson(fn, error);
  return out;
}
