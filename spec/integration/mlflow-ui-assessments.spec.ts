/**
 * What a user sees in the real MLflow UI for feedback and expectations logged by the SDK: the
 * trace's Assessments pane lists them (the valid value of an overridden feedback, the judge and
 * human sources), and the traces table gets one column per assessment. Screenshot:
 * spec-output/mlflow-ui/assessments.png.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Browser, BrowserContext } from "playwright-core";
import { resetExportConfig } from "../../lib/export/destination/config";
import * as mlflow from "../../lib/index";
import { launchChromium, newLoopbackContext } from "../support/chromium";

const url = process.env["MLFLOW_TEST_SERVER_URL"] ?? "";
const SCREENSHOTS = resolve(__dirname, "..", "..", "spec-output", "mlflow-ui");
// A first run may install Debian's chromium (apt-get update + install) before the browser starts.
const CHROMIUM_INSTALL_MS = 5 * 60_000;
const DISMISSED_POPUPS = {
  "mlflow.assistant.panelOpen_v1": "false",
  "mlflow.assistant.fab.autoOpenedOnFirstLoad_v1": "true",
  "mlflow.detectIssues.guidanceShown_v1": "true",
};

describe("the MLflow UI shows feedback and expectations logged with the SDK", () => {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    resetExportConfig();
    mlflow.setTrackingUri(url);
  }, CHROMIUM_INSTALL_MS);

  afterAll(async () => {
    await context?.close();
    await mlflow.shutdownExport();
    mlflow.setTrackingUri(undefined);
    resetExportConfig();
    await browser?.close();
  });

  it("lists them in the trace's Assessments pane and as columns of the traces table", async () => {
    const { experimentId } = await mlflow.setExperiment(`mlflow-ui-assessments-${randomBytes(4).toString("hex")}`);
    let traceId = "";
    await mlflow.startSpan({ name: "answer", inputs: { question: "What is the capital of France?" } }, async (span) => {
      traceId = span.traceId;
      await mlflow.logFeedback({
        traceId,
        name: "quality",
        value: 0.9,
        source: { sourceType: "LLM_JUDGE", sourceId: "gpt-4o" },
        rationale: "correct and concise",
      });
      await mlflow.logExpectation({ traceId, name: "expected_answer", value: "Paris" });
      return "Paris";
    });
    expect(await mlflow.flushTraces()).toMatchObject({ exported: 1, failed: 0 });
    const judged = await mlflow.logFeedback({ traceId, name: "relevance", value: 0.3, source: "LLM_JUDGE" });
    await mlflow.overrideFeedback({ traceId, assessmentId: judged.assessmentId, value: 0.95, source: { sourceType: "HUMAN", sourceId: "ana" } });

    context = await newLoopbackContext(browser as Browser, { width: 1600, height: 1000, localStorage: DISMISSED_POPUPS });
    const page = await context.newPage();
    await page.goto(`${url}/#/experiments/${experimentId}/traces?selectedEvaluationId=${traceId}`);
    await page.locator('[data-testid^="span-title-row-"]').first().waitFor({ timeout: 30_000 });
    await page
      .getByRole("button", { name: /Assess/ })
      .first()
      .click();
    const pane = page.locator('[data-testid="assessments-pane"]');
    await pane.getByText("expected_answer", { exact: true }).waitFor();
    const text = (await pane.innerText()).replace(/\s+/g, " ");
    expect(text).toContain("Feedback (3)");
    expect(text).toMatch(/relevance 0\.95 .*quality 0\.9 /);
    expect(text).toContain("Expectations (1)");
    expect(text).toMatch(/expected_answer default Paris/);
    await page.screenshot({ path: join(SCREENSHOTS, "assessments.png") });

    // Behind the trace view, the table has a column per assessment holding the valid values.
    const table = (await page.locator("body").innerText()).replace(/\s+/g, " ");
    expect(table).toMatch(/expected_answer quality relevance .*Paris 0\.90 0\.95/);
  });
});
