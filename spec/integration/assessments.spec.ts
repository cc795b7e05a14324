/**
 * Feedback and expectations against the real pinned `mlflow server`, read back by MLflow's own
 * Python client: every kind logged on a running trace travels inside its record; one logged while
 * its trace is being exported follows it; one logged on a trace the server does not have yet is
 * retried until it does; overrides and edits keep MLflow's `valid` semantics; the server's own
 * search (`feedback.<name> > 0.5`) finds them; the local store keeps them with their trace and
 * `traces sync` sends each exactly once.
 */
import { randomBytes } from "node:crypto";
import { rmSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resetExportConfig } from "../../lib/export/destination/config";
import { MlflowRestClient } from "../../lib/export/clients/mlflow-rest-client";
import { LocalStore } from "../../lib/export/clients/local-store/store";
import { DestinationDir } from "../../lib/export/clients/local-store/destinations";
import { syncLocalTraces } from "../../lib/cli/local-store/sync";
import { encodeTraceId } from "../../lib/export/clients/local-store/location";
import * as mlflow from "../../lib/index";
import { MemoryClient } from "../../lib/export/index";
import { startFaultProxy, type FaultProxy } from "../support/fault-proxy";
import { runPythonJson } from "../support/mlflow-server";
import { LocalStoreReader } from "../../lib/export/clients/local-store/reader";

const url = process.env["MLFLOW_TEST_SERVER_URL"] ?? "";
const python = process.env["MLFLOW_TEST_PYTHON"] ?? "";

interface PyAssessment {
  type: "Feedback" | "Expectation";
  assessment_id: string;
  name: string;
  value: unknown;
  error: { error_code: string; error_message: string | null } | null;
  source_type: string;
  source_id: string;
  rationale: string | null;
  metadata: Record<string, string> | null;
  span_id: string | null;
  overrides: string | null;
  valid: boolean;
}

const readBack = (traceId: string): Promise<PyAssessment[]> => runPythonJson(python, "get_assessments.py", [url, traceId]) as Promise<PyAssessment[]>;

/** The server's own search endpoint (SearchTracesV3), as the UI and Python call it. */
async function serverSearch(experimentId: string, filter: string): Promise<string[]> {
  const res = await fetch(`${url}/api/3.0/mlflow/traces/search`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ locations: [{ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: experimentId } }], filter, max_results: 100 }),
  });
  const body = (await res.json()) as { traces?: { trace_id: string }[]; message?: string };
  if (!res.ok) throw new Error(`search failed: ${res.status} ${body.message ?? ""}`);
  return (body.traces ?? []).map((t) => t.trace_id);
}

function waitForDiagnostic(pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    mlflow.setDiagnosticsLogger((_level, message) => {
      if (pattern.test(message)) {
        mlflow.setDiagnosticsLogger(undefined);
        resolve(message);
      }
    });
  });
}

describe("feedback and expectations on a real mlflow server", () => {
  const experimentName = `assessments-${randomBytes(4).toString("hex")}`;
  let experimentId = "";

  beforeAll(async () => {
    resetExportConfig();
    mlflow.setTrackingUri(url);
    experimentId = (await mlflow.setExperiment(experimentName)).experimentId;
    await mlflow.configureExport({ scheduledDelayMs: 10 });
  });

  afterAll(async () => {
    await mlflow.configureExport({});
    mlflow.setTrackingUri(undefined);
    resetExportConfig();
  });

  it("sends every kind logged on the running trace inside its record; Python reads them back and search finds them", async () => {
    let traceId = "";
    let spanId = "";
    await mlflow.startSpan({ name: "answer", inputs: { q: "capital of France?" } }, async (span) => {
      traceId = span.traceId;
      spanId = span.spanId;
      await mlflow.logFeedback({
        traceId,
        name: "quality",
        value: 0.9,
        source: { sourceType: "LLM_JUDGE", sourceId: "gpt-4o" },
        rationale: "correct",
        metadata: { run: 1 },
      });
      await mlflow.logFeedback({ traceId, name: "tone", value: ["polite", "brief"] });
      await mlflow.logFeedback({ traceId, name: "faithfulness", error: new Error("judge timed out"), source: "LLM_JUDGE" });
      await mlflow.logExpectation({ traceId, name: "expected_answer", value: "Paris", spanId: span.spanId });
      await mlflow.logExpectation({ traceId, name: "expected_facts", value: { city: "Paris", refs: [1, 2] } });
      await mlflow.logFeedback({ traceId, value: true });
      return "Paris";
    });
    expect(await mlflow.flushTraces()).toMatchObject({ exported: 1, failed: 0 });

    const back = await readBack(traceId);
    const byName = Object.fromEntries(back.map((a) => [a.name, a]));
    expect(byName["quality"]).toMatchObject({
      type: "Feedback",
      value: 0.9,
      source_type: "LLM_JUDGE",
      source_id: "gpt-4o",
      rationale: "correct",
      metadata: { run: "1" },
      valid: true,
    });
    expect(byName["tone"]).toMatchObject({ type: "Feedback", value: ["polite", "brief"], source_type: "CODE", source_id: "default" });
    expect(byName["faithfulness"]).toMatchObject({ type: "Feedback", value: null, error: { error_code: "Error", error_message: "judge timed out" } });
    expect(byName["expected_answer"]).toMatchObject({ type: "Expectation", value: "Paris", source_type: "HUMAN", source_id: "default", span_id: spanId });
    expect(byName["expected_facts"]).toMatchObject({ type: "Expectation", value: { city: "Paris", refs: [1, 2] } });
    expect(byName["feedback"]).toMatchObject({ type: "Feedback", value: true });
    expect(back).toHaveLength(6);

    expect(await serverSearch(experimentId, "feedback.quality > 0.5")).toEqual([traceId]);
    expect(await serverSearch(experimentId, "feedback.quality > 0.95")).toEqual([]);
    expect(await serverSearch(experimentId, "expectation.expected_answer = 'Paris'")).toEqual([traceId]);
  });

  it("stores a feedback with only a rationale (a comment) as Python's mlflow.log_feedback does: value null, in the record or after export", async () => {
    let running = "";
    await mlflow.startSpan({ name: "commented" }, async (span) => {
      running = span.traceId;
      await mlflow.logFeedback({ traceId: running, name: "comment", rationale: "in the record" });
    });
    const later = mlflow.startSpan({ name: "commented-later" }, (span) => span.traceId);
    expect(await mlflow.flushTraces()).toMatchObject({ exported: 2, failed: 0 });
    await mlflow.logFeedback({ traceId: later, name: "comment", rationale: "after export" });
    const logged = (await runPythonJson(python, "log_comment_feedback.py", [url, later, "comment_py", "from python"])) as { assessment_id: string };

    const comparable = (a: PyAssessment): Partial<PyAssessment> => ({ ...a, assessment_id: "", name: "", rationale: "" });
    const [inRecord] = await readBack(running);
    const afterExport = await readBack(later);
    const theirs = afterExport.find((a) => a.assessment_id === logged.assessment_id)!;
    const ours = afterExport.find((a) => a.name === "comment")!;
    expect(theirs).toMatchObject({ type: "Feedback", value: null, error: null, rationale: "from python" });
    expect(comparable(ours)).toEqual(comparable(theirs));
    expect(comparable(inRecord!)).toEqual(comparable(theirs));
    expect(ours.rationale).toBe("after export");

    // What the server itself stores and returns, beside Python's.
    const res = await fetch(`${url}/api/3.0/mlflow/traces/${later}`);
    const stored = ((await res.json()) as { trace: { trace_info: { assessments: Record<string, unknown>[] } } }).trace.trace_info.assessments;
    const feedbackOf = (name: string): unknown => stored.find((a) => a["assessment_name"] === name)?.["feedback"];
    expect(feedbackOf("comment")).toEqual(feedbackOf("comment_py"));
  });

  describe("through a proxy that shows the order of requests", () => {
    let proxy: FaultProxy;
    let startSeen: () => void = () => undefined;

    beforeAll(async () => {
      proxy = await startFaultProxy(url, (req) => {
        if (req.method !== "POST" || req.path !== "/api/3.0/mlflow/traces") return undefined;
        startSeen();
        // The server has stored the record; its answer is held so the test logs while the export is in flight.
        return { forward: { delayResponseMs: 300 } };
      });
      mlflow.setTrackingUri(proxy.url);
    });

    afterAll(async () => {
      mlflow.setTrackingUri(url);
      await proxy.close();
    });

    it("sends a feedback logged while its trace is being exported right after the trace, never before", async () => {
      const started = new Promise<void>((resolve) => (startSeen = resolve));
      mlflow.startSpan({ name: "in-flight" }, () => "x");
      const traceId = mlflow.getLastActiveTraceId()!;
      const flushed = mlflow.flushTraces();
      await started;
      const late = await mlflow.logFeedback({ traceId, name: "late", value: 0.75 });
      expect(await flushed).toMatchObject({ exported: 1, failed: 0 });

      const paths = proxy.requests.filter((r) => r.body.includes(traceId) || r.path.includes(traceId)).map((r) => `${r.method} ${r.path.split("?")[0]}`);
      const start = paths.indexOf("POST /api/3.0/mlflow/traces");
      const create = paths.indexOf(`POST /api/3.0/mlflow/traces/${traceId}/assessments`);
      expect(start).toBeGreaterThanOrEqual(0);
      expect(create).toBeGreaterThan(start);
      const startBody = proxy.requests.find((r) => r.path === "/api/3.0/mlflow/traces" && r.body.includes(traceId))!.body;
      expect(startBody).not.toContain(late.assessmentId);
      expect(await readBack(traceId)).toEqual([expect.objectContaining({ assessment_id: late.assessmentId, name: "late", value: 0.75, valid: true })]);
    });
  });

  it("retries a feedback on a trace the server does not have yet (another process still exporting it)", async () => {
    mlflow.setTraceClient(new MemoryClient());
    mlflow.startSpan({ name: "elsewhere" }, () => "x");
    const template = mlflow.getLastActiveTrace()!;
    mlflow.setTraceClient(undefined);
    const otherHex = randomBytes(16).toString("hex");
    const other = mlflow.traceFromJSON(JSON.stringify(template).split(template.info.traceId.slice(3)).join(otherHex));
    const traceId = other.info.traceId;

    const retrying = waitForDiagnostic(new RegExp(`trace ${traceId} is not on the server yet`));
    const logged = mlflow.logFeedback({ traceId, name: "from_another_process", value: 1 });
    await retrying;
    const client = new MlflowRestClient({ trackingUri: url, experiment: { name: experimentName } });
    try {
      expect((await client.export([other], { signal: AbortSignal.timeout(30_000) })).failures).toEqual([]);
    } finally {
      await client.shutdown();
    }
    expect(await logged).toMatchObject({ traceId, name: "from_another_process" });
    expect(await readBack(traceId)).toEqual([expect.objectContaining({ name: "from_another_process", value: 1 })]);
  });

  it("overrides, updates and deletes after export with MLflow's valid semantics, and search follows the valid feedback", async () => {
    mlflow.startSpan({ name: "judged-later" }, () => "x");
    const traceId = mlflow.getLastActiveTraceId()!;
    await mlflow.flushTraces();
    const judged = await mlflow.logFeedback({ traceId, name: "relevance", value: 0.3, source: "LLM_JUDGE" });
    expect(await serverSearch(experimentId, "feedback.relevance > 0.5")).toEqual([]);
    const human = await mlflow.overrideFeedback({ traceId, assessmentId: judged.assessmentId, value: 0.9, source: { sourceType: "HUMAN", sourceId: "ana" } });
    expect(await serverSearch(experimentId, "feedback.relevance > 0.5")).toEqual([traceId]);
    const expectation = await mlflow.logExpectation({ traceId, name: "expected", value: 1 });
    expect(
      await mlflow.updateAssessment(traceId, expectation.assessmentId, { name: "expected_v2", value: { answer: 42 }, metadata: { by: "ana" } }),
    ).toMatchObject({ name: "expected_v2", value: { answer: 42 }, metadata: { by: "ana" } });
    expect(await mlflow.getAssessment(traceId, judged.assessmentId)).toMatchObject({ valid: false, value: 0.3 });

    let back = await readBack(traceId);
    expect(back).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ assessment_id: judged.assessmentId, valid: false }),
        expect.objectContaining({ assessment_id: human.assessmentId, overrides: judged.assessmentId, valid: true, source_type: "HUMAN", source_id: "ana" }),
        expect.objectContaining({ assessment_id: expectation.assessmentId, name: "expected_v2", value: { answer: 42 }, metadata: { by: "ana" } }),
      ]),
    );
    await mlflow.deleteAssessment(traceId, human.assessmentId);
    back = await readBack(traceId);
    expect(back.find((a) => a.assessment_id === judged.assessmentId)).toMatchObject({ valid: true });
    expect(back.map((a) => a.assessment_id)).not.toContain(human.assessmentId);
  });

  describe("offline in the local store, then traces sync", () => {
    let dir: string;

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "mlflow-haystack-assessments-"));
      mlflow.setTrackingUri(`mlflow-haystack-local:${dir}`);
    });

    afterAll(() => {
      mlflow.setTrackingUri(url);
      rmSync(dir, { recursive: true, force: true });
    });

    it("keeps them with the trace and sends each exactly once, also when sync is re-run or was interrupted", async () => {
      let traceId = "";
      await mlflow.startSpan({ name: "offline" }, async (span) => {
        traceId = span.traceId;
        await mlflow.logFeedback({ traceId, name: "offline_quality", value: 0.8 });
      });
      await mlflow.flushTraces();
      const store = new LocalStore({ dir });
      const destination = { trackingUri: url, experiment: { name: experimentName } };
      expect(await syncLocalTraces(new LocalStoreReader(store.dir), { destination })).toMatchObject({ sent: 1, assessmentsSent: 0, failed: 0 });
      expect((await readBack(traceId)).map((a) => a.name)).toEqual(["offline_quality"]);

      // Logged on the stored trace after it was synced: only the next sync sends it, and only once.
      const later = await mlflow.logExpectation({ traceId, name: "offline_expected", value: "yes" });
      expect(await syncLocalTraces(new LocalStoreReader(store.dir), { destination })).toMatchObject({ sent: 0, assessmentsSent: 1, failed: 0 });
      expect(await syncLocalTraces(new LocalStoreReader(store.dir), { destination })).toMatchObject({ sent: 0, assessmentsSent: 0, failed: 0 });

      // A sync killed after the server took the assessment but before the list was updated.
      rmSync(new DestinationDir(dir, destination).marker("assessments", encodeTraceId(traceId)));
      expect(await syncLocalTraces(new LocalStoreReader(store.dir), { destination })).toMatchObject({ sent: 0, assessmentsSent: 0, failed: 0 });

      const back = await readBack(traceId);
      expect(back.map((a) => a.assessment_id).sort()).toEqual([...new Set(back.map((a) => a.assessment_id))].sort());
      expect(back.map((a) => a.name).sort()).toEqual(["offline_expected", "offline_quality"]);
      expect(back.find((a) => a.name === "offline_expected")?.assessment_id).toBe(later.assessmentId);
    });
  });
});
