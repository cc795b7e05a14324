import * as mlflow from "../../lib/index";
import { InvalidAssessmentError } from "../../lib/index";
import { MemoryClient } from "../../lib/export/index";
import { startTraceBody } from "../../lib/export/mlflow/trace-wire";

describe("logFeedback / logExpectation", () => {
  const memory = new MemoryClient();
  beforeEach(() => {
    memory.clear();
    mlflow.setTraceClient(memory);
  });
  afterAll(() => mlflow.setTraceClient(undefined));

  it("on the running trace: the assessments travel inside the trace record, with Python's defaults", async () => {
    let traceId = "";
    await mlflow.startSpan({ name: "answer" }, async (span) => {
      traceId = span.traceId;
      const fb = await mlflow.logFeedback({ traceId, value: 0.9, rationale: "on topic", metadata: { judge: "gpt", n: 2 } });
      expect(fb).toMatchObject({ name: "feedback", kind: "feedback", value: 0.9, valid: true, source: { sourceType: "CODE", sourceId: "default" } });
      expect(fb.assessmentId).toMatch(/^a-[0-9a-f]{32}$/);
      await mlflow.logExpectation({ traceId, name: "expected", value: { city: "Paris", refs: [1, 2] }, spanId: span.spanId });
      await mlflow.logExpectation({ traceId, name: "expected_count", value: 3 });
    });
    await mlflow.flushTraces();
    const trace = memory.traces.find((t) => t.info.traceId === traceId)!;
    const [fb, exp, count] = trace.info.assessments;
    expect(fb).toMatchObject({
      assessment_name: "feedback",
      trace_id: traceId,
      source: { source_type: "CODE", source_id: "default" },
      feedback: { value: 0.9 },
      rationale: "on topic",
      metadata: { judge: "gpt", n: "2" },
    });
    expect(exp).toMatchObject({
      assessment_name: "expected",
      span_id: trace.data.spans[0]!.spanId,
      source: { source_type: "HUMAN", source_id: "default" },
      expectation: { serialized_value: { serialization_format: "JSON_FORMAT", value: '{"city":"Paris","refs":[1,2]}' } },
    });
    expect(count).toMatchObject({ expectation: { value: 3 } });
    expect(trace.toJSON().info.assessments).toHaveLength(3);
    expect(startTraceBody(trace, "1").trace.trace_info.assessments?.map((a) => a.assessment_name)).toEqual(["feedback", "expected", "expected_count"]);
  });

  it("on a completed trace not exported yet: kept with the trace until it is exported", async () => {
    mlflow.startSpan({ name: "done" }, () => "x");
    const traceId = mlflow.getLastActiveTraceId()!;
    await mlflow.logFeedback({ traceId, name: "thumbs", value: true, source: { sourceType: "human", sourceId: "ana" } });
    await mlflow.flushTraces();
    expect(memory.traces.find((t) => t.info.traceId === traceId)!.info.assessments).toEqual([
      expect.objectContaining({ assessment_name: "thumbs", feedback: { value: true }, source: { source_type: "HUMAN", source_id: "ana" } }),
    ]);
  });

  it("records errors from an Error, a message or MLflow's fields, with or without a value", async () => {
    mlflow.startSpan({ name: "judged" }, () => "x");
    const traceId = mlflow.getLastActiveTraceId()!;
    const boom = new RangeError("judge timed out");
    const a = await mlflow.logFeedback({ traceId, name: "faithfulness", error: boom, source: "LLM_JUDGE" });
    expect(a).toMatchObject({ value: null, error: { errorCode: "RangeError", errorMessage: "judge timed out" }, source: { sourceType: "LLM_JUDGE" } });
    expect(a.error?.stackTrace).toContain("judge timed out");
    const b = await mlflow.logFeedback({ traceId, name: "b", error: "rate limited", source: { sourceType: "ai_judge" } });
    expect(b).toMatchObject({ error: { errorCode: "ASSESSMENT_ERROR", errorMessage: "rate limited" }, source: { sourceType: "LLM_JUDGE" } });
    const c = await mlflow.logFeedback({ traceId, name: "c", value: ["x", 1, { ok: true }], error: { errorCode: "PARTIAL" } });
    expect(c).toMatchObject({ value: ["x", 1, { ok: true }], error: { errorCode: "PARTIAL" } });
  });

  it("overrideFeedback replaces a feedback and marks it invalid; deleting the override makes it valid again", async () => {
    mlflow.startSpan({ name: "to-override" }, () => "x");
    const traceId = mlflow.getLastActiveTraceId()!;
    const judged = await mlflow.logFeedback({ traceId, name: "relevance", value: 0.4, source: "LLM_JUDGE" });
    const human = await mlflow.overrideFeedback({
      traceId,
      assessmentId: judged.assessmentId,
      value: 0.9,
      source: { sourceType: "HUMAN", sourceId: "ana" },
      rationale: "fine",
    });
    expect(human).toMatchObject({ name: "relevance", value: 0.9, overrides: judged.assessmentId, valid: true });
    expect(await mlflow.getAssessment(traceId, judged.assessmentId)).toMatchObject({ valid: false });
    const updated = await mlflow.updateAssessment(traceId, human.assessmentId, { value: 1, rationale: "better", metadata: { pass: "2" } });
    expect(updated).toMatchObject({ value: 1, rationale: "better", metadata: { pass: "2" }, assessmentId: human.assessmentId });
    await mlflow.deleteAssessment(traceId, human.assessmentId);
    expect(await mlflow.getAssessment(traceId, judged.assessmentId)).toMatchObject({ valid: true });
    await expect(mlflow.getAssessment(traceId, human.assessmentId)).rejects.toThrow(`Assessment ${human.assessmentId} not found on trace ${traceId}`);
  });

  it("overrides are not sent in the trace record (only CreateAssessment marks the replaced feedback invalid)", async () => {
    mlflow.startSpan({ name: "override-body" }, () => "x");
    const traceId = mlflow.getLastActiveTraceId()!;
    const judged = await mlflow.logFeedback({ traceId, name: "relevance", value: 0.4 });
    await mlflow.overrideFeedback({ traceId, assessmentId: judged.assessmentId, value: 0.9 });
    await mlflow.flushTraces();
    const body = startTraceBody(
      memory.traces.find((t) => t.info.traceId === traceId)!,
      "1",
    );
    expect(body.trace.trace_info.assessments?.map((a) => a.assessment_id)).toEqual([judged.assessmentId]);
  });

  it("takes a feedback with only a rationale (a comment) as MLflow's Python SDK does: value null", async () => {
    let traceId = "";
    await mlflow.startSpan({ name: "commented" }, async (span) => {
      traceId = span.traceId;
      const comment = await mlflow.logFeedback({ traceId, name: "comment", rationale: "reads well, but cites no source" });
      expect(comment).toMatchObject({ name: "comment", kind: "feedback", value: null, rationale: "reads well, but cites no source" });
      expect(comment.error).toBeUndefined();
    });
    await mlflow.flushTraces();
    const [sent] = memory.traces.find((t) => t.info.traceId === traceId)!.info.assessments;
    expect(sent).toMatchObject({ assessment_name: "comment", feedback: { value: null }, rationale: "reads well, but cites no source" });
  });

  it("takes a dotted name, as MLflow's Python SDK does (search finds it as feedback.`judge.score` or feedback.judge.score)", async () => {
    const traceId = await mlflow.startSpan({ name: "dotted" }, async (span) => {
      await mlflow.logFeedback({ traceId: span.traceId, name: "judge.score", value: 0.7 });
      await mlflow.logExpectation({ traceId: span.traceId, name: "expected.answer", value: "Paris" });
      return span.traceId;
    });
    await mlflow.flushTraces();
    const names = memory.traces.find((t) => t.info.traceId === traceId)!.info.assessments.map((a) => a.assessment_name);
    expect(names).toEqual(["judge.score", "expected.answer"]);
  });

  it("rejects bad input with an error naming the argument and the fix", async () => {
    const traceId = "tr-0123456789abcdef0123456789abcdef";
    const cases: [Promise<unknown>, string][] = [
      [mlflow.logFeedback({ traceId: "", value: 1 }), "logFeedback(): `traceId` must be the id of a trace"],
      [
        mlflow.logFeedback({ traceId, value: 1, source: { sourceType: "ROBOT" } }),
        "`source.sourceType` must be one of HUMAN, LLM_JUDGE, CODE, SOURCE_TYPE_UNSPECIFIED",
      ],
      [mlflow.logFeedback({ traceId, value: Number.NaN }), "`value` must hold finite numbers only"],
      [mlflow.logFeedback({ traceId, value: new Map() }), "`value` must be a number, string, boolean, or a list or plain object of them"],
      [mlflow.logExpectation({ traceId, name: "e", value: null }), "logExpectation(): `value` is required"],
      [mlflow.logExpectation({ traceId, name: "", value: 1 }), "logExpectation(): `name` must be a non-empty string"],
      [mlflow.updateAssessment(traceId, "a-1", {}), "updateAssessment(): nothing to change"],
      [mlflow.overrideFeedback({ traceId, assessmentId: "", value: 1 }), "overrideFeedback(): `assessmentId` must be"],
    ];
    for (const [promise, message] of cases) {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InvalidAssessmentError);
      expect((error as Error).message).toContain(message);
    }
  });

  it("a trace no longer in memory cannot take assessments through a custom client, and says why", async () => {
    await expect(mlflow.logFeedback({ traceId: "tr-00000000000000000000000000000001", value: 1 })).rejects.toThrow(/not held in memory any more/);
  });
});
