import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as mlflow from "../../lib/index";
import type { Trace } from "../../lib/index";
import { LocalStore, type ExportOptions, type ExportResult, type TraceClient } from "../../lib/export/index";
import { LocalStoreReader } from "../../lib/export/clients/local-store/reader";

/** A client whose exports wait at a gate, recording what each call saw when it started. */
class GatedClient implements TraceClient {
  readonly seen: { traceId: string; assessments: string[] }[][] = [];
  private release: (() => void) | undefined;
  private gate: Promise<void> | undefined;
  private startedResolve: (() => void) | undefined;
  started: Promise<void> = new Promise((r) => (this.startedResolve = r));
  failNext = false;

  hold(): void {
    this.gate = new Promise((r) => (this.release = r));
    this.started = new Promise((r) => (this.startedResolve = r));
  }

  open(): void {
    this.release?.();
    this.gate = undefined;
  }

  async export(traces: readonly Trace[]): Promise<ExportResult> {
    this.seen.push(traces.map((t) => ({ traceId: t.info.traceId, assessments: (t.toJSON().info.assessments ?? []).map((a) => a.assessment_name) })));
    this.startedResolve?.();
    await this.gate;
    if (this.failNext) {
      this.failNext = false;
      return { failures: traces.map((t) => ({ traceId: t.info.traceId, error: new Error("503"), retryable: true })) };
    }
    return { failures: [] };
  }

  async shutdown(): Promise<void> {}
}

describe("assessments logged while their trace is being exported", () => {
  afterEach(async () => {
    mlflow.setTraceClient(undefined);
    await mlflow.configureExport({});
  });

  it("wait for the export and are applied after it; flushTraces waits for them", async () => {
    const client = new GatedClient();
    mlflow.setTraceClient(client);
    client.hold();
    mlflow.startSpan({ name: "racing" }, () => "x");
    const traceId = mlflow.getLastActiveTraceId()!;
    const flushed = mlflow.flushTraces();
    await client.started;
    const logged = await mlflow.logFeedback({ traceId, name: "late", value: 1 });
    expect(logged).toMatchObject({ name: "late", traceId });
    const updated = mlflow.updateAssessment(traceId, logged.assessmentId, { value: 2 });
    client.open();
    await flushed;
    expect(await updated).toMatchObject({ value: 2 });
    expect(client.seen[0]).toEqual([{ traceId, assessments: [] }]);
    expect((await mlflow.getTrace(traceId))?.info.assessments).toEqual([expect.objectContaining({ assessment_name: "late", feedback: { value: 2 } })]);
  });

  it("are sent to the destination after a delivery that had already built its request", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mlflow-haystack-gated-"));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let startedResolve: () => void = () => undefined;
    const started = new Promise<void>((r) => (startedResolve = r));
    /** A local store that, like a request body, copies the traces when the export starts. */
    class SnapshotStore extends LocalStore {
      override async export(traces: readonly Trace[], options?: Partial<ExportOptions>): Promise<ExportResult> {
        const copies = traces.map((t) => mlflow.traceFromJSON(t.toJSON()));
        startedResolve();
        await gate;
        return super.export(copies, options);
      }
    }
    const store = new SnapshotStore({ dir });
    try {
      mlflow.setTraceClient(store);
      mlflow.startSpan({ name: "snapshotted" }, () => "x");
      const traceId = mlflow.getLastActiveTraceId()!;
      const flushed = mlflow.flushTraces();
      await started;
      const logged = await mlflow.logFeedback({ traceId, name: "after_snapshot", value: 1 });
      release();
      await flushed;
      expect((await new LocalStore({ dir }).getTrace(traceId))?.info.assessments.map((a) => a.assessment_id)).toEqual([logged.assessmentId]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("ride along with the retry when the export failed", async () => {
    await mlflow.configureExport({ initialBackoffMs: 1, maxBackoffMs: 2, scheduledDelayMs: 1 });
    const client = new GatedClient();
    mlflow.setTraceClient(client);
    client.hold();
    client.failNext = true;
    mlflow.startSpan({ name: "retried" }, () => "x");
    const traceId = mlflow.getLastActiveTraceId()!;
    const flushed = mlflow.flushTraces();
    await client.started;
    await mlflow.logFeedback({ traceId, name: "during_failed_export", value: 0.5 });
    client.open();
    expect(await flushed).toMatchObject({ exported: 1 });
    expect(client.seen.map((batch) => batch[0]?.assessments)).toEqual([[], ["during_failed_export"]]);
  });
});

describe("assessments in the local store (no tracking URI)", () => {
  const dir = process.env["MLFLOW_HAYSTACK_LOCAL_DIR"]!;

  it("are written into the trace's file as info.assessments, and every change after export rewrites it", async () => {
    mlflow.startSpan({ name: "stored" }, () => "x");
    const traceId = mlflow.getLastActiveTraceId()!;
    const before = await mlflow.logFeedback({ traceId, name: "quality", value: 0.2 });
    await mlflow.flushTraces();
    const store = new LocalStore({ dir });
    expect((await store.getTrace(traceId))?.info.assessments.map((a) => a.assessment_id)).toEqual([before.assessmentId]);

    const exp = await mlflow.logExpectation({ traceId, name: "expected", value: ["a", "b"] });
    const human = await mlflow.overrideFeedback({ traceId, assessmentId: before.assessmentId, value: 0.8 });
    await mlflow.updateAssessment(traceId, exp.assessmentId, { value: ["a"] });
    const file = (await new LocalStoreReader(dir).findFile(traceId))!;
    const json = JSON.parse(await readFile(join(dir, "traces", file.name), "utf8")) as { info: { assessments: Record<string, unknown>[] } };
    expect(json.info.assessments).toEqual([
      expect.objectContaining({ assessment_id: before.assessmentId, valid: false, feedback: { value: 0.2 } }),
      expect.objectContaining({ assessment_id: exp.assessmentId, expectation: { serialized_value: { serialization_format: "JSON_FORMAT", value: '["a"]' } } }),
      expect.objectContaining({ assessment_id: human.assessmentId, overrides: before.assessmentId, valid: true, feedback: { value: 0.8 } }),
    ]);
    await mlflow.deleteAssessment(traceId, exp.assessmentId);
    expect((await store.getTrace(traceId))?.info.assessments.map((a) => a.assessment_name)).toEqual(["quality", "quality"]);
  });

  it("a comment-only feedback (no value, no error) is kept in the trace's file with value null, as Python stores it", async () => {
    mlflow.startSpan({ name: "comment" }, () => "x");
    const traceId = mlflow.getLastActiveTraceId()!;
    await mlflow.flushTraces();
    const comment = await mlflow.logFeedback({ traceId, name: "comment", rationale: "too long" });
    const file = (await new LocalStoreReader(dir).findFile(traceId))!;
    const json = JSON.parse(await readFile(join(dir, "traces", file.name), "utf8")) as { info: { assessments: Record<string, unknown>[] } };
    expect(json.info.assessments).toEqual([expect.objectContaining({ assessment_id: comment.assessmentId, feedback: { value: null }, rationale: "too long" })]);
    expect(await mlflow.getAssessment(traceId, comment.assessmentId)).toMatchObject({ value: null, rationale: "too long" });
  });

  it("reach traces written by another process (not in memory), and name the store when the trace is not there", async () => {
    mlflow.startSpan({ name: "other-process" }, () => "x");
    const trace = mlflow.getLastActiveTrace()!;
    const store = new LocalStore({ dir });
    // Written directly: this process never held it in its completed-trace buffer under export.
    const copy = mlflow.traceFromJSON({ ...trace.toJSON(), info: { ...trace.toJSON().info, trace_id: "tr-feedbeef000000000000000000000001" } });
    await store.export([copy]);
    const a = await mlflow.logFeedback({ traceId: "tr-feedbeef000000000000000000000001", name: "offline", value: "good" });
    expect(await mlflow.getAssessment("tr-feedbeef000000000000000000000001", a.assessmentId)).toMatchObject({ name: "offline", value: "good" });
    await expect(mlflow.logFeedback({ traceId: "tr-feedbeef000000000000000000000002", value: 1 })).rejects.toThrow(/is not in the local store .*traces list/);
  });
});
