/**
 * The errors the assessment functions throw: bad arguments, and an assessment or trace that is
 * not where it was looked for.
 */
import { MlflowHaystackError } from "../export/errors";

/**
 * An argument of `logFeedback`, `logExpectation`, `updateAssessment`, ... is missing or malformed;
 * the message names the argument and what it should be.
 *
 * @example
 * try { await logFeedback({ traceId, name: "a.b", value: 1 }); } catch (e) { if (e instanceof InvalidAssessmentError) console.error(e.message); }
 */
export class InvalidAssessmentError extends MlflowHaystackError {
  static override readonly kind: string = "InvalidAssessmentError";
}

/**
 * The trace or the assessment does not exist where the SDK looked (memory, the local store).
 * A server answers with an `MlflowApiError` (`RESOURCE_DOES_NOT_EXIST`) instead.
 *
 * @example
 * try { await getAssessment(traceId, "a-123"); } catch (e) { if (e instanceof AssessmentNotFoundError) console.error(e.message); }
 */
export class AssessmentNotFoundError extends MlflowHaystackError {
  static override readonly kind: string = "AssessmentNotFoundError";
}
