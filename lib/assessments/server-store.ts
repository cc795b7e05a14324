/**
 * Assessments on an MLflow tracking server (the `/api/3.0/mlflow/traces/{id}/assessments`
 * endpoints). A create answered with 404 because the trace is not on the server yet (another
 * process still exporting it) is retried with backoff, within a bounded time.
 */
import { retryDelay } from "../export/batch/backoff";
import { MlflowApiError } from "../export/errors";
import { diag } from "../internal/diagnostics";
import type { AssessmentJson } from "./assessment-json";
import type { AssessmentPatch, AssessmentStore } from "./store";

/** The REST calls this store needs (implemented by `MlflowApi`). */
export interface AssessmentsApi {
  createAssessment(assessment: AssessmentJson, signal?: AbortSignal): Promise<{ assessment: AssessmentJson }>;
  getAssessment(traceId: string, assessmentId: string, signal?: AbortSignal): Promise<{ assessment: AssessmentJson }>;
  updateAssessment(traceId: string, assessmentId: string, assessment: Partial<AssessmentJson>, updateMask: string, signal?: AbortSignal): Promise<{ assessment: AssessmentJson }>;
  deleteAssessment(traceId: string, assessmentId: string, signal?: AbortSignal): Promise<void>;
}

/** How long a create waits for its trace to reach the server, and how it backs off. */
export interface TraceWaitPolicy {
  readonly waitMs: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

export const DEFAULT_TRACE_WAIT: TraceWaitPolicy = { waitMs: 30_000, initialBackoffMs: 250, maxBackoffMs: 4_000 };

/** PATCH paths in the proto3 JSON form of a FieldMask: one comma-separated, camelCased string. */
const MASK_PATHS: Record<keyof AssessmentPatch, string> = {
  assessment_name: "assessmentName",
  expectation: "expectation",
  feedback: "feedback",
  rationale: "rationale",
  metadata: "metadata",
};

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

  /**
   * Creates an assessment unless the server already has it (same SDK-given id): a resend after a
   * crash or a retry must not fail or duplicate (the server answers a duplicate id with a 500).
   */
  async createOnce(assessment: AssessmentJson): Promise<"created" | "already there"> {
    try {
      await this.create(assessment);
      return "created";
    } catch (error) {
      if (isTraceMissing(error)) throw error;
      try {
        await this.get(assessment.trace_id, assessment.assessment_id);
      } catch {
        throw error;
      }
      return "already there";
    }
  }

  async get(traceId: string, assessmentId: string): Promise<AssessmentJson> {
    return (await this.api.getAssessment(traceId, assessmentId)).assessment;
  }

  async update(traceId: string, assessmentId: string, patch: AssessmentPatch): Promise<AssessmentJson> {
    const keys = Object.keys(patch) as (keyof AssessmentPatch)[];
    const body: Partial<AssessmentJson> = { assessment_id: assessmentId, trace_id: traceId, ...patch };
    return (await this.api.updateAssessment(traceId, assessmentId, body, keys.map((k) => MASK_PATHS[k]).join(","))).assessment;
  }

  async delete(traceId: string, assessmentId: string): Promise<void> {
    await this.api.deleteAssessment(traceId, assessmentId);
  }
}

/** The server's answer for a trace it does not have (yet). */
function isTraceMissing(error: unknown): boolean {
  return error instanceof MlflowApiError && error.status === 404 && error.code === "RESOURCE_DOES_NOT_EXIST";
}

/**
 * After a trace record was created: the overriding feedback it carries, which StartTraceV3 would
 * store without marking the replaced feedback invalid (see `startTraceBody`).
 */
export async function sendOverrides(api: AssessmentsApi, assessments: readonly AssessmentJson[]): Promise<void> {
  const store = new ServerAssessments(api, { ...DEFAULT_TRACE_WAIT, waitMs: 0 });
  for (const assessment of assessments) if (assessment.overrides !== undefined) await store.createOnce(assessment);
}
