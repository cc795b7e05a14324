/**
 * `getAssessment`, `updateAssessment` and `deleteAssessment`: MLflow's functions of the same
 * names, working wherever the trace is (running, in memory, on the server, in the local store).
 */
import { assessmentFromJson, type Assessment } from "./assessment";
import { checkName, expectationJson, invalid, metadataJson, optionalString, requireAssessmentId, requireTraceId, type AssessmentErrorInput } from "./build";
import { feedbackJson } from "./log";
import { withAssessments } from "./routing";
import type { AssessmentPatch } from "../export/mlflow/assessment-store";

/** What {@link updateAssessment} changes; fields left out stay as they are. */
export interface UpdateAssessmentOptions {
  readonly name?: string;
  /** The new value of the feedback or expectation (its kind stays). */
  readonly value?: unknown;
  /** Feedback only: why there is no value. */
  readonly error?: AssessmentErrorInput;
  readonly rationale?: string;
  /** Merged into the existing metadata. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/**
 * Reads one assessment.
 *
 * @example
 * const a = await getAssessment(traceId, "a-4b1c...");
 */
export async function getAssessment(traceId: string, assessmentId: string): Promise<Assessment> {
  const fn = "getAssessment";
  const tid = requireTraceId(fn, traceId);
  const aid = requireAssessmentId(fn, assessmentId);
  return assessmentFromJson(await withAssessments(tid, (store) => store.get(tid, aid)));
}

/**
 * Changes an assessment in place (its id stays). To correct a judge's feedback while keeping the
 * original, use `overrideFeedback` instead.
 *
 * @example
 * await updateAssessment(traceId, assessment.assessmentId, { value: 0.8, rationale: "re-scored" });
 */
export async function updateAssessment(traceId: string, assessmentId: string, changes: UpdateAssessmentOptions): Promise<Assessment> {
  const fn = "updateAssessment";
  const tid = requireTraceId(fn, traceId);
  const aid = requireAssessmentId(fn, assessmentId);
  if (typeof changes !== "object" || changes === null) throw invalid(fn, "expects the changes as an object such as { value: 0.8 }.");
  const patch: AssessmentPatch = {};
  if (changes.name !== undefined) patch.assessment_name = checkName(fn, changes.name);
  const rationale = optionalString(fn, "rationale", changes.rationale);
  if (rationale !== undefined) patch.rationale = rationale;
  const metadata = metadataJson(fn, changes.metadata);
  if (metadata !== undefined) patch.metadata = metadata;
  const changesValue = changes.value !== undefined || changes.error !== undefined;
  if (!changesValue && Object.keys(patch).length === 0) throw invalid(fn, "nothing to change: give `name`, `value`, `error`, `rationale` or `metadata`.");
  const updated = await withAssessments(tid, async (store) => {
    if (changesValue) {
      const current = await store.get(tid, aid);
      if (current.expectation !== undefined) {
        if (changes.error !== undefined) throw invalid(fn, `assessment ${aid} is an expectation, which has no \`error\`.`);
        patch.expectation = expectationJson(fn, changes.value);
      } else {
        patch.feedback = feedbackJson(fn, changes.value ?? current.feedback?.value, changes.error);
      }
    }
    return store.update(tid, aid, patch);
  });
  return assessmentFromJson(updated);
}

/**
 * Deletes an assessment. Deleting an override makes the feedback it replaced valid again.
 *
 * @example
 * await deleteAssessment(traceId, assessment.assessmentId);
 */
export async function deleteAssessment(traceId: string, assessmentId: string): Promise<void> {
  const fn = "deleteAssessment";
  const tid = requireTraceId(fn, traceId);
  const aid = requireAssessmentId(fn, assessmentId);
  await withAssessments(tid, (store) => store.delete(tid, aid));
}
