/**
 * Sessions, users and sampling against the real pinned `mlflow server`: a 3-turn conversation
 * traced inside `tracingContext({ session, user })` (autologged RAG pipeline, real `openai`
 * client against the loopback OpenAI-compatible server) is found by MLflow's Python client by
 * session — exported over MLflow's REST API and, separately, over OTLP `/v1/traces` — and listed
 * on the MLflow UI's Sessions page (headless Chromium, screenshot in spec-output/genai-sessions/).
 * Head sampling decides like MLflow's own Python sampler for the same trace ids.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser, BrowserContext } from "playwright-core";
import { resetExportConfig } from "../../lib/export/destination/config";
import { OtlpClient } from "../../lib/export/clients/otlp-client";
import * as mlflow from "../../lib/index";
import { MemoryClient } from "../../lib/export/index";
import type { Trace } from "../../lib/index";
import { keepsTraceId, ratioBound } from "../../lib/tracing/sampling";
import { buildRagPipeline } from "../../samples/support/rag-pipeline";
import { launchChromium, newLoopbackContext } from "../support/chromium";
import { runPythonJson } from "../support/mlflow-server";
import { startOpenAIServer, type OpenAIServer } from "../support/openai-server";

const url = process.env["MLFLOW_TEST_SERVER_URL"] ?? "";
const python = process.env["MLFLOW_TEST_PYTHON"] ?? "";
const SCREENSHOTS = resolve(__dirname, "..", "..", "spec-output", "genai-sessions");
const CHROMIUM_INSTALL_MS = 5 * 60_000;
const DISMISSED_POPUPS = {
  "mlflow.assistant.panelOpen_v1": "false",
  "mlflow.assistant.fab.autoOpenedOnFirstLoad_v1": "true",
  "mlflow.detectIssues.guidanceShown_v1": "true",
};
const QUESTIONS = ["Who lives in Paris?", "And in Berlin?", "Thanks, where was I again?"];

interface SessionTraces {
  traces: { trace_id: string; session: string | null; user: string | null; tags: Record<string, string> }[];
}

const sessionTraces = (experimentId: string, session: string): Promise<SessionTraces> =>
  runPythonJson(python, "session_traces.py", [url, experimentId, session]) as Promise<SessionTraces>;

describe("sessions and users on a real MLflow server", () => {
  let llm: OpenAIServer;
  let experimentId = "";

  beforeAll(async () => {
    llm = await startOpenAIServer({ reply: (req) => `Answer ${JSON.stringify(req).length % 97}` });
    resetExportConfig();
    mlflow.setTrackingUri(url);
    experimentId = (await mlflow.setExperiment(`sessions-${randomBytes(4).toString("hex")}`)).experimentId;
    await mlflow.configureExport({ scheduledDelayMs: 50 });
    mlflow.haystack.autolog();
  });

  afterAll(async () => {
    mlflow.haystack.autolog({ disable: true });
    await mlflow.shutdownExport();
    resetExportConfig();
    await llm.close();
  });

  async function conversation(session: string, user: string): Promise<string[]> {
    const pipe = buildRagPipeline({
      generatorOptions: { model: "gpt-4o-mini", apiBaseUrl: llm.url, apiKey: "test" },
      description: "loopback OpenAI-compatible server",
      offline: false,
      close: async () => undefined,
    });
    const ids: string[] = [];
    for (const question of QUESTIONS) {
      await mlflow.tracingContext({ session, user, tags: { app: "support-bot" } }, () =>
        pipe.run({ retriever: { query: question }, prompt_builder: { question } }),
      );
      ids.push(mlflow.getLastActiveTraceId() ?? "");
    }
    return ids;
  }

  it("a 3-turn conversation exported over REST is found by session, with its user and tags, by Python's search_traces", async () => {
    const session = `conv-rest-${randomBytes(3).toString("hex")}`;
    const ids = await conversation(session, "alice");
    expect(await mlflow.flushTraces({ timeoutMs: 30_000 })).toMatchObject({ failed: 0, dropped: 0 });
    const found = await sessionTraces(experimentId, session);
    expect(found.traces).toEqual(ids.map((trace_id) => ({ trace_id, session, user: "alice", tags: { app: "support-bot" } })));
  });

  it("updateCurrentTrace({ session, user }) over OTLP /v1/traces: the server groups by session.id / user.id on the root span", async () => {
    const session = `conv-otlp-${randomBytes(3).toString("hex")}`;
    const traces: Trace[] = [];
    mlflow.setTraceClient(new MemoryClient());
    try {
      for (const question of QUESTIONS) {
        await mlflow.startSpan({ name: "chat_turn", spanType: "CHAIN", inputs: { question } }, async () => {
          mlflow.updateCurrentTrace({ session, user: "bob" });
          return `reply to ${question}`;
        });
        traces.push(mlflow.getLastActiveTrace() as Trace);
      }
    } finally {
      mlflow.setTraceClient(undefined);
    }
    const otlp = new OtlpClient({ endpoint: `${url}/v1/traces`, experimentId, protocol: "http/protobuf" }, {});
    try {
      const { failures } = await otlp.export(traces, { signal: AbortSignal.timeout(60_000) });
      expect(failures).toEqual([]);
    } finally {
      await otlp.shutdown();
    }
    const found = await sessionTraces(experimentId, session);
    // The turns can share a millisecond, so the server's time order may tie: compare as sets.
    const byId = (a: readonly unknown[], b: readonly unknown[]) => String(a[0]).localeCompare(String(b[0]));
    expect(found.traces.map((t) => [t.trace_id, t.session, t.user]).sort(byId)).toEqual(traces.map((t) => [t.info.traceId, session, "bob"]).sort(byId));
  });

  describe("in the MLflow UI", () => {
    let browser: Browser | undefined;
    let context: BrowserContext | undefined;
    beforeAll(async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      browser = await launchChromium();
    }, CHROMIUM_INSTALL_MS);
    afterEach(async () => {
      await context?.close();
      context = undefined;
    });
    afterAll(async () => {
      await browser?.close();
    });

    it("the Sessions page lists the conversation with its 3 turns, and getTraceUrl opens a trace", async () => {
      const session = `conv-ui-${randomBytes(3).toString("hex")}`;
      const ids = await conversation(session, "carol");
      expect(await mlflow.flushTraces({ timeoutMs: 30_000 })).toMatchObject({ failed: 0, dropped: 0 });
      context = await newLoopbackContext(browser as Browser, { width: 1600, height: 1200, localStorage: DISMISSED_POPUPS });
      const page = await context.newPage();
      // MLflow 3.17's Sessions page points to the Traces tab grouped by session.
      await page.goto(`${url}/#/experiments/${experimentId}/chat-sessions`);
      await page.getByText("View Sessions in Traces tab").click();
      const row = page.getByText(session).first();
      try {
        await row.waitFor({ timeout: 30_000 });
      } finally {
        await page.screenshot({ path: join(SCREENSHOTS, "sessions.png"), fullPage: true });
      }
      expect(page.url()).toContain("groupBy=session");
      await page.goto(`${url}/#/experiments/${experimentId}/chat-sessions/${session}`);
      for (const turn of ["Turn 1", "Turn 2", "Turn 3"]) await page.getByText(turn, { exact: true }).first().waitFor({ timeout: 30_000 });
      expect(await page.getByText("Turn 4", { exact: true }).count()).toBe(0);
      for (const question of QUESTIONS) await page.getByText(question).first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(SCREENSHOTS, "session.png"), fullPage: true });

      const link = await mlflow.getTraceUrl(ids[2] ?? "");
      expect(link).toBe(`${url}/#/experiments/${experimentId}/traces?selectedEvaluationId=${ids[2]}`);
      await page.goto(link ?? "");
      await page
        .locator('[data-testid^="span-title-row-"]')
        .filter({ hasText: /^haystack\.pipeline\.run$/ })
        .first()
        .waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(SCREENSHOTS, "trace-url.png") });
    });
  });
});

describe("head sampling decides like MLflow's Python sampler", () => {
  it("gives the same decision for the same trace ids, as a root and under a sampled or unsampled remote parent", async () => {
    const ids = Array.from({ length: 2000 }, () => randomBytes(16).toString("hex"));
    // Ids right at the 0.5 bound, where an off-by-one would show.
    ids.push(`${"1".repeat(16)}7fffffffffffffff`, `${"1".repeat(16)}8000000000000000`);
    const dir = mkdtempSync(join(tmpdir(), "sampling-"));
    try {
      const file = join(dir, "ids.json");
      writeFileSync(file, JSON.stringify(ids));
      const ratios = ["0", "0.1", "0.5", "0.731", "1e-19", "1"];
      const decisions = (await runPythonJson(python, "sampling_decisions.py", [file, ...ratios])) as Record<string, Record<string, boolean[]>>;
      for (const ratio of ratios) {
        const py = decisions[ratio] ?? {};
        const bound = ratioBound(Number(ratio));
        expect(ids.map((id) => keepsTraceId(id, bound))).toEqual(py["root"]);
        // Under a remote parent, the parent's flag decides (what continueTrace does; see sampling.spec.ts).
        expect(py["remote_sampled"]?.every(Boolean)).toBe(true);
        expect(py["remote_unsampled"]?.some(Boolean)).toBe(false);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps or drops a trace continued from a Python service's traceparent as that service did", async () => {
    mlflow.setTraceClient(new MemoryClient());
    mlflow.configureTracing({ sampling: { ratio: 0.5 } });
    const kept: string[] = [];
    try {
      for (const flags of ["01", "00"]) {
        const traceId = randomBytes(16).toString("hex");
        await mlflow.continueTrace({ traceparent: `00-${traceId}-00f067aa0ba902b7-${flags}` }, () => mlflow.startSpan({ name: "downstream" }, async () => 1));
        if (mlflow.getLastActiveTraceId() === `tr-${traceId}`) kept.push(flags);
      }
    } finally {
      mlflow.configureTracing({ sampling: { ratio: 1 } });
      mlflow.setTraceClient(undefined);
    }
    expect(kept).toEqual(["01"]);
  });
});
