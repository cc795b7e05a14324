/**
 * MLflow's assessment endpoints beyond one call each: the FieldMask of UpdateAssessment, a create
 * that is safe to repeat, and the overriding feedback sent after a trace record.
 */
import type { AssessmentJson } from "../../tracing/assessment-json";
import { MlflowApiError } from "../errors";
import type { AssessmentPatch } from "./assessment-store";

/** The REST calls on assessments (implemented by `MlflowApi`). */
export interface AssessmentsApi {
  createAssessment(assessment: AssessmentJson, signal?: AbortSignal): Promise<{ assessment: AssessmentJson }>;
  getAssessment(traceId: string, assessmentId: string, signal?: AbortSignal): Promise<{ assessment: AssessmentJson }>;
  updateAssessment(
    traceId: string,
    assessmentId: string,
    assessment: Partial<AssessmentJson>,
    updateMask: string,
    signal?: AbortSignal,
  ): Promise<{ assessment: AssessmentJson }>;
  deleteAssessment(traceId: string, assessmentId: string, signal?: AbortSignal): Promise<void>;
}

/** PATCH paths in the proto3 JSON form of a FieldMask: one comma-separated, camelCased string. */
const MASK_PATHS: Record<keyof AssessmentPatch, string> = {
  assessment_name: "assessmentName",
  expectation: "expectation",
  feedback: "feedback",
  rationale: "rationale",
  metadata: "metadata",
};

/** The `update_mask` for the fields `patch` sets. */
export function updateMask(patch: AssessmentPatch): string {
  return (Object.keys(patch) as (keyof AssessmentPatch)[]).map((k) => MASK_PATHS[k]).join(",");
}

/** The server's answer for a trace it does not have (yet); a bare 404 (a proxy, a wrong path) is not it. */
export function isTraceMissing(error: unknown): boolean {
  return error instanceof MlflowApiError && error.status === 404 && error.code === "RESOURCE_DOES_NOT_EXIST";
}

/**
 * Creates an assessment unless the server already has it (same SDK-given id): a resend after a
 * crash or a retry must not fail or duplicate (the server answers a duplicate id with a 500).
 */
export async function createAssessmentOnce(
  api: AssessmentsApi,
  assessment: AssessmentJson,
  create: (a: AssessmentJson) => Promise<unknown> = (a) => api.createAssessment(a),
): Promise<"created" | "already there"> {
  try {
    await create(assessment);
    return "created";
  } catch (error) {
    if (isTraceMissing(error)) throw error;
    try {
      await api.getAssessment(assessment.trace_id, assessment.assessment_id);
    } catch {
      throw error;
    }
    return "already there";
  }
}

/**
 * After a trace record was created: the overriding feedback it carries, which StartTraceV3 would
 * store without marking the replaced feedback invalid (see `startTraceBody`).
 */
export async function sendOverrides(api: AssessmentsApi, assessments: readonly AssessmentJson[]): Promise<void> {
  for (const assessment of assessments) if (assessment.overrides !== undefined) await createAssessmentOnce(api, assessment);
}
