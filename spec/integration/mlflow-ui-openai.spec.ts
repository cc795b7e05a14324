/**
 * Calls of a client traced with mlflow.openai.trace() in the real MLflow UI (headless Chromium): the
 * Completions span opens in the chat view with the tools, each message with its role, the tool call
 * and the reply. Screenshot: spec-output/mlflow-ui/openai-chat.png.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import OpenAI from "openai";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { resetExportConfig } from "../../lib/export/destination/config";
import * as mlflow from "../../lib/index";
import { launchChromium, newLoopbackContext } from "../support/chromium";
import { startOpenAIServer, type MockChatRequest, type OpenAIServer } from "../support/openai-server";

const url = process.env["MLFLOW_TEST_SERVER_URL"] ?? "";
const SCREENSHOTS = resolve(__dirname, "..", "..", "spec-output", "mlflow-ui");
const CHROMIUM_INSTALL_MS = 5 * 60_000;
const DISMISSED_POPUPS = {
  "mlflow.assistant.panelOpen_v1": "false",
  "mlflow.assistant.fab.autoOpenedOnFirstLoad_v1": "true",
  "mlflow.detectIssues.guidanceShown_v1": "true",
};
const spanRows = (page: Page): Locator => page.locator('[data-testid^="span-title-row-"]');

const weather = {
  type: "function" as const,
  function: {
    name: "weather",
    description: "Temperature of a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};
const reply = (request: MockChatRequest) =>
  request.messages?.some((m) => m.role === "tool")
    ? "It is 21 °C in Paris."
    : { content: "", toolCalls: [{ id: "call_1", name: "weather", arguments: '{"city":"Paris"}' }] };

describe("the MLflow UI shows a traced OpenAI client's calls as a chat", () => {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let llm: OpenAIServer | undefined;
  let experimentId = "";

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    llm = await startOpenAIServer({ reply, model: "gpt-4o-mini-2024-07-18" });
    resetExportConfig();
    mlflow.setTrackingUri(url);
    experimentId = (await mlflow.setExperiment(`mlflow-ui-openai-${randomBytes(4).toString("hex")}`)).experimentId;
  }, CHROMIUM_INSTALL_MS);

  afterAll(async () => {
    await context?.close();
    await mlflow.shutdownExport();
    resetExportConfig();
    await Promise.all([browser?.close(), llm?.close()]);
  });

  it("renders the tool-calling turn: tools, roles, the tool call with its arguments, the tool result and the reply", async () => {
    const client = mlflow.openai.trace(new OpenAI({ apiKey: "test", baseURL: llm?.url ?? "", maxRetries: 0 }));
    await mlflow.startSpan({ name: "weather_question", spanType: mlflow.SpanType.AGENT }, async () => {
      const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
        { role: "system", content: "Use the tools." },
        { role: "user", content: "Weather in Paris?" },
      ];
      const first = await client.chat.completions.create({ model: "gpt-4o-mini", messages, tools: [weather] });
      const call = first.choices[0]!.message;
      messages.push(call, { role: "tool", tool_call_id: call.tool_calls![0]!.id, content: "21 °C" });
      const stream = await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages,
        tools: [weather],
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const chunk of stream) void chunk;
    });
    const traceId = mlflow.getLastActiveTrace()?.info.traceId ?? "";
    expect(await mlflow.flushTraces({ timeoutMs: 30_000 })).toMatchObject({ failed: 0, pending: 0 });

    context = await newLoopbackContext(browser as Browser, { width: 1600, height: 1400, localStorage: DISMISSED_POPUPS });
    const page = await context.newPage();
    await page.goto(`${url}/#/experiments/${experimentId}/traces?selectedEvaluationId=${traceId}`);
    await spanRows(page)
      .filter({ hasText: /^weather_question$/ })
      .waitFor({ timeout: 30_000 });
    await spanRows(page).nth(2).waitFor();
    expect((await spanRows(page).allInnerTexts()).map((t) => t.trim())).toEqual(["weather_question", "Completions", "Completions"]);

    await spanRows(page)
      .filter({ hasText: /^Completions$/ })
      .last()
      .click();
    const content = page.locator('[data-testid="model-trace-explorer-content-tab"]');
    await content.getByText("It is 21 °C in Paris.", { exact: false }).first().waitFor({ timeout: 15_000 });
    const shown = (await content.innerText()).replace(/\s+/g, " ");
    expect(shown).toContain("Tools (1)");
    expect(shown).toContain("System Use the tools. User Weather in Paris? Assistant Tool calls weather city Paris weather 21 °C");
    expect(shown).toContain("Outputs Pretty Assistant It is 21 °C in Paris.");
    await page.screenshot({ path: join(SCREENSHOTS, "openai-chat.png"), fullPage: true });
  });
});
