import { MlflowApiError } from "../../../lib/export/errors";
import type { AssessmentJson } from "../../../lib/tracing/assessment-json";
import type { AssessmentsApi } from "../../../lib/export/mlflow/assessments";
import { ServerAssessments } from "../../../lib/export/destination/server-assessments";

const now = new Date().toISOString();
const A: AssessmentJson = {
  assessment_id: "a-1",
  assessment_name: "q",
  trace_id: "tr-1",
  source: { source_type: "CODE", source_id: "default" },
  create_time: now,
  last_update_time: now,
  feedback: { value: 1 },
  valid: true,
};

const notFound = (code = "RESOURCE_DOES_NOT_EXIST"): MlflowApiError =>
  new MlflowApiError("POST /api/3.0/mlflow/traces/tr-1/assessments failed with HTTP 404", {
    endpoint: "POST",
    status: 404,
    code,
    serverMessage: "Trace with ID 'tr-1' not found.",
  });
const conflict = (): MlflowApiError =>
  new MlflowApiError("constraint violation", {
    endpoint: "POST",
    status: 500,
    code: "INTERNAL_ERROR",
    serverMessage: "Failed to create assessment due to a constraint violation.",
  });

function fakeApi(
  create: () => Promise<{ assessment: AssessmentJson }>,
  get: () => Promise<{ assessment: AssessmentJson }> = () => Promise.reject(notFound()),
): AssessmentsApi & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    createAssessment: () => (calls.push("create"), create()),
    getAssessment: () => (calls.push("get"), get()),
    updateAssessment: (_t, _a, body, mask) => (calls.push(`patch ${mask} ${Object.keys(body).join(",")}`), Promise.resolve({ assessment: A })),
    deleteAssessment: () => (calls.push("delete"), Promise.resolve()),
  };
}

const fast = { waitMs: 200, initialBackoffMs: 5, maxBackoffMs: 20 };

describe("ServerAssessments", () => {
  it("retries a create while the server answers that the trace does not exist, then returns the server's assessment", async () => {
    let n = 0;
    const api = fakeApi(() => (++n < 3 ? Promise.reject(notFound()) : Promise.resolve({ assessment: { ...A, valid: true } })));
    expect(await new ServerAssessments(api, fast).create(A)).toMatchObject({ assessment_id: "a-1" });
    expect(api.calls).toEqual(["create", "create", "create"]);
  });

  it("gives up after the wait bound with the server's 404, and never retries a bare 404 (a proxy, a wrong path)", async () => {
    const always = fakeApi(() => Promise.reject(notFound()));
    const started = Date.now();
    await expect(new ServerAssessments(always, fast).create(A)).rejects.toThrow("failed with HTTP 404");
    // Its own bound, not the 30 s default (a generous margin: a loaded machine stretches every backoff).
    expect(Date.now() - started).toBeLessThan(fast.waitMs + 5_000);
    expect(always.calls.length).toBeGreaterThan(1);
    expect(always.calls.length).toBeLessThanOrEqual(fast.waitMs / fast.initialBackoffMs + 1);
    const bare = fakeApi(() => Promise.reject(notFound("HTTP_404")));
    await expect(new ServerAssessments(bare, fast).create(A)).rejects.toThrow("HTTP 404");
    expect(bare.calls).toEqual(["create"]);
  });

  it("sends PATCH with a proto3 JSON FieldMask: camelCased paths in one comma-separated string", async () => {
    const api = fakeApi(() => Promise.resolve({ assessment: A }));
    await new ServerAssessments(api, fast).update("tr-1", "a-1", { assessment_name: "q2", feedback: { value: 2 }, rationale: "r", metadata: { k: "v" } });
    expect(api.calls).toEqual(["patch assessmentName,feedback,rationale,metadata assessment_id,trace_id,assessment_name,feedback,rationale,metadata"]);
  });

  it("createOnce: a resend of an assessment the server already has is 'already there', not an error or a duplicate", async () => {
    const there = fakeApi(
      () => Promise.reject(conflict()),
      () => Promise.resolve({ assessment: A }),
    );
    expect(await new ServerAssessments(there, fast).createOnce(A)).toBe("already there");
    const missing = fakeApi(() => Promise.reject(conflict()));
    await expect(new ServerAssessments(missing, fast).createOnce(A)).rejects.toThrow("constraint violation");
  });
});
