/**
 * The trace-level fields a running trace's record holds and its assembly turns into the trace's
 * info: here, below both, so neither module imports the other for them.
 */
import type { AssessmentJson } from "./assessment-json";

/** Trace-level fields set with `updateCurrentTrace`. */
export interface TraceUpdates {
  tags?: Record<string, string>;
  metadata?: Record<string, string>;
  state?: "OK" | "ERROR";
  clientRequestId?: string;
  requestPreview?: string;
  responsePreview?: string;
  /** Logged with `logFeedback`/`logExpectation` while the trace ran: they travel in its record. */
  assessments?: AssessmentJson[];
}
