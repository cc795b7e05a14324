/**
 * An agent trace from mlflow.haystack.autolog() in the real MLflow UI (headless Chromium): the span
 * tree shows agent → step N → the LLM and tool spans with their type icons, and the LLM span opens
 * in the chat view with the roles and the tool calls. Screenshots: spec-output/mlflow-ui/agent-*.png.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { resetExportConfig } from "../../lib/export/destination/config";
import { Agent, ChatMessage, OpenAIChatGenerator, Tool } from "../../lib/haystack/index";
import * as mlflow from "../../lib/index";
import { demoAgentTurn } from "../../samples/support/agent-model";
import { launchChromium, newLoopbackContext } from "../support/chromium";
import { startOpenAIServer, type OpenAIServer } from "../support/openai-server";

const url = process.env["MLFLOW_TEST_SERVER_URL"] ?? "";
const SCREENSHOTS = resolve(__dirname, "..", "..", "spec-output", "mlflow-ui");
const CHROMIUM_INSTALL_MS = 5 * 60_000;
const DISMISSED_POPUPS = {
  "mlflow.assistant.panelOpen_v1": "false",
  "mlflow.assistant.fab.autoOpenedOnFirstLoad_v1": "true",
  "mlflow.detectIssues.guidanceShown_v1": "true",
};

const spanRows = (page: Page): Locator => page.locator('[data-testid^="span-title-row-"]');

describe("the MLflow UI shows an agent trace", () => {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let llm: OpenAIServer | undefined;
  let experimentId = "";

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    llm = await startOpenAIServer({ reply: demoAgentTurn, model: "gpt-4o-mini-2024-07-18" });
    resetExportConfig();
    mlflow.haystack.autolog();
    mlflow.setTrackingUri(url);
    experimentId = (await mlflow.setExperiment(`mlflow-ui-agent-${randomBytes(4).toString("hex")}`)).experimentId;
  }, CHROMIUM_INSTALL_MS);

  afterAll(async () => {
    await context?.close();
    mlflow.haystack.autolog({ disable: true });
    await mlflow.shutdownExport();
    resetExportConfig();
    await Promise.all([browser?.close(), llm?.close()]);
  });

  it("renders agent → steps → LLM/tool spans and the LLM call as a chat with roles and tool calls", async () => {
    const weather = new Tool({
      name: "weather",
      description: "Temperature of a city",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      function: ({ city }) => `It is 21 °C in ${String(city)}.`,
    });
    const calculator = new Tool({
      name: "calculator",
      description: "Arithmetic",
      parameters: { type: "object", properties: { expression: { type: "string" } } },
      function: () => "21",
    });
    const agent = new Agent({
      chatGenerator: new OpenAIChatGenerator({ model: "gpt-4o-mini", apiBaseUrl: llm?.url ?? "", apiKey: "test" }),
      tools: [weather, calculator],
      systemPrompt: "Use the tools.",
    });
    await agent.run({ messages: [ChatMessage.fromUser("Weather in Paris and Rome?")] });
    const traceId = mlflow.getLastActiveTrace()?.info.traceId ?? "";
    expect(await mlflow.flushTraces({ timeoutMs: 30_000 })).toMatchObject({ failed: 0, pending: 0 });

    context = await newLoopbackContext(browser as Browser, { width: 1600, height: 1400, localStorage: DISMISSED_POPUPS });
    const page = await context.newPage();
    await page.goto(`${url}/#/experiments/${experimentId}/traces?selectedEvaluationId=${traceId}`);
    await spanRows(page)
      .filter({ hasText: /^agent$/ })
      .waitFor({ timeout: 30_000 });
    const expected = [
      "agent",
      "step 1",
      "OpenAIChatGenerator",
      "weather",
      "weather",
      "step 2",
      "OpenAIChatGenerator",
      "calculator",
      "step 3",
      "OpenAIChatGenerator",
    ];
    await spanRows(page)
      .nth(expected.length - 1)
      .waitFor();
    expect((await spanRows(page).allInnerTexts()).map((t) => t.trim())).toEqual(expected);
    await page.screenshot({ path: join(SCREENSHOTS, "agent-tree.png"), fullPage: true });

    await spanRows(page)
      .filter({ hasText: /^OpenAIChatGenerator$/ })
      .last()
      .click();
    const content = page.locator('[data-testid="model-trace-explorer-content-tab"]');
    await content.getByText("It is 21 °C in Paris.", { exact: false }).first().waitFor({ timeout: 15_000 });
    const shown = (await content.innerText()).replace(/\s+/g, " ");
    // The chat view (MLflow 3.17.2): the tools list, each message with its role, tool calls with their arguments,
    // tool results under the tool's name, and the reply as the assistant's message.
    expect(shown).toContain("Tools (2)");
    expect(shown).toContain(
      "System Use the tools. User Weather in Paris and Rome? Assistant Tool calls weather city Paris weather city Rome " +
        "weather It is 21 °C in Paris. weather It is 21 °C in Rome. Assistant Tool calls calculator expression (21 + 21) / 2 calculator 21",
    );
    expect(shown).toContain("Outputs Pretty Assistant It is 21 °C in Paris. It is 21 °C in Rome. The average is 21 °C.");
    await page.screenshot({ path: join(SCREENSHOTS, "agent-chat.png"), fullPage: true });
  });
});
