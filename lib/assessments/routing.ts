/**
 * Finds where a trace's assessments live right now and runs a change there: the trace running in
 * the current context (its record), a completed trace held in memory (see `delivery.ts`), else the
 * configured destination — the MLflow server or the local store.
 */
import { reportOnce } from "../internal/diagnostics";
import { sdkState } from "../internal/global-state";
import { traceRecordOf } from "../tracing/trace-record";
import { completedTraceById } from "../tracing/completed-traces";
import type { AssessmentJson } from "../tracing/assessment-json";
import { isBeingDelivered, runForTrace, type AssessmentOp } from "../export/destination/assessment-delivery";
import { storeForDestination } from "../export/destination/assessment-stores";
import { assessmentDestination } from "../export/exporter";
import { ArrayAssessments } from "../export/mlflow/assessment-store";

/** Runs `op` wherever the assessments of `traceId` live now. */
export function withAssessments<T>(traceId: string, op: AssessmentOp<T>): Promise<T> {
  const active = sdkState().context.getStore();
  const record = active === undefined ? undefined : traceRecordOf(active);
  if (record !== undefined && !record.completed && record.traceId === traceId) {
    const updates = (record.updates ??= {});
    return op(new ArrayAssessments((updates.assessments ??= [])));
  }
  const trace = completedTraceById(traceId);
  if (trace !== undefined) return runForTrace(trace, op);
  return op(storeForDestination(assessmentDestination()));
}

/**
 * Creates an assessment. On a trace being exported right now it resolves at once with the
 * assessment as it will be sent (its id is given by the SDK); the send itself follows the trace.
 */
export async function createAssessment(json: AssessmentJson): Promise<AssessmentJson> {
  const trace = completedTraceById(json.trace_id);
  if (trace !== undefined && isBeingDelivered(trace)) {
    runForTrace(trace, (store) => store.create(json)).catch((error: unknown) => {
      reportOnce("assessments.after-export", "warn", `assessment ${json.assessment_id} on trace ${json.trace_id} could not be sent after its trace`, error);
    });
    return { ...json };
  }
  return withAssessments(json.trace_id, (store) => store.create(json));
}
