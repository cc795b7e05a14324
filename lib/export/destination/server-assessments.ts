/**
 * Assessments on an MLflow tracking server (the `/api/3.0/mlflow/traces/{id}/assessments`
 * endpoints). A create answered with 404 because the trace is not on the server yet (another
 * process still exporting it) is retried with backoff, within a bounded time.
 */
import { diag } from "../../internal/diagnostics";
import type { AssessmentJson } from "../../tracing/assessment-json";
import { retryDelay } from "../batch/backoff";
import { MlflowApi } from "../mlflow/api";
import type { AssessmentPatch, AssessmentStore } from "../mlflow/assessment-store";
import { createAssessmentOnce, isTraceMissing, updateMask, type AssessmentsApi } from "../mlflow/assessments";
import { connectionFor } from "./config";

/** How long a create waits for its trace to reach the server, and how it backs off. */
export interface TraceWaitPolicy {
  readonly waitMs: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

export const DEFAULT_TRACE_WAIT: TraceWaitPolicy = { waitMs: 30_000, initialBackoffMs: 250, maxBackoffMs: 4_000 };

export class ServerAssessments implements AssessmentStore {
  constructor(
    private readonly api: AssessmentsApi,
    private readonly wait: TraceWaitPolicy = DEFAULT_TRACE_WAIT,
  ) {}

  async create(assessment: AssessmentJson): Promise<AssessmentJson> {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.api.createAssessment(assessment)).assessment;
      } catch (error) {
        if (!isTraceMissing(error)) throw error;
        const delay = retryDelay(attempt, undefined, this.wait, () => 0.5 + Math.random() / 2);
        if (Date.now() - started + delay > this.wait.waitMs) throw error;
        diag("debug", `trace ${assessment.trace_id} is not on the server yet; assessment ${assessment.assessment_id} is sent again in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** {@link create}, but "already there" when the server has this assessment id. */
  createOnce(assessment: AssessmentJson): Promise<"created" | "already there"> {
    return createAssessmentOnce(this.api, assessment, (a) => this.create(a));
  }

  async get(traceId: string, assessmentId: string): Promise<AssessmentJson> {
    return (await this.api.getAssessment(traceId, assessmentId)).assessment;
  }

  async update(traceId: string, assessmentId: string, patch: AssessmentPatch): Promise<AssessmentJson> {
    const body: Partial<AssessmentJson> = { assessment_id: assessmentId, trace_id: traceId, ...patch };
    return (await this.api.updateAssessment(traceId, assessmentId, body, updateMask(patch))).assessment;
  }

  async delete(traceId: string, assessmentId: string): Promise<void> {
    await this.api.deleteAssessment(traceId, assessmentId);
  }
}

let cached: { uri: string; store: ServerAssessments } | undefined;

/**
 * The assessment store of the MLflow server at `uri`. Without keep-alive: these calls are few, and
 * an idle pooled socket must not keep a process that is done alive.
 */
export function serverAssessments(uri: string): ServerAssessments {
  if (cached?.uri !== uri) cached = { uri, store: new ServerAssessments(new MlflowApi({ ...connectionFor(uri), keepAlive: false })) };
  return cached.store;
}
