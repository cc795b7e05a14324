/**
 * What a user sees in the real MLflow UI: traces exported by `mlflow.haystack.autolog()` to the
 * shared `mlflow server` are opened in headless Chromium (the system's Chromium, installed by
 * scripts/ensure-chromium.js when missing, driven by playwright-core) and checked on screen — span
 * tree, span types, token usage with cached tokens, cache hits. Screenshots: spec-output/mlflow-ui/.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { resetExportConfig } from "../../lib/export/destination/config";
import { CacheChecker, Document, InMemoryDocumentStore, Pipeline } from "../../lib/haystack/index";
import * as mlflow from "../../lib/index";
import { buildRagPipeline } from "../../samples/support/rag-pipeline";
import { launchChromium, newLoopbackContext } from "../support/chromium";
import { startOpenAIServer, type OpenAIServer } from "../support/openai-server";

const url = process.env["MLFLOW_TEST_SERVER_URL"] ?? "";
const SCREENSHOTS = resolve(__dirname, "..", "..", "spec-output", "mlflow-ui");
const CACHED_TOKENS = 12;
// A first run may install Debian's chromium (apt-get update + install) before the browser starts.
const CHROMIUM_INSTALL_MS = 5 * 60_000;

// First-visit popups of MLflow 3.17 (the assistant panel, the "Detect issues" guidance) that
// would otherwise cover the trace view.
const DISMISSED_POPUPS = {
  "mlflow.assistant.panelOpen_v1": "false",
  "mlflow.assistant.fab.autoOpenedOnFirstLoad_v1": "true",
  "mlflow.detectIssues.guidanceShown_v1": "true",
};

interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

const spanRows = (page: Page): Locator => page.locator('[data-testid^="span-title-row-"]');
const exactly = (text: string): RegExp => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
const spanRow = (page: Page, name: string): Locator => spanRows(page).filter({ hasText: exactly(name) });
const spanNode = (page: Page, name: string): Locator => page.locator('[data-testid^="timeline-tree-node-"]').filter({ has: spanRow(page, name) });

async function spanNames(page: Page): Promise<string[]> {
  return (await spanRows(page).allInnerTexts()).map((t) => t.trim());
}

/** The span tree's names once they equal `expected`, or as they are after `timeoutMs`. */
async function settledSpanNames(page: Page, expected: readonly string[], timeoutMs = 10_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let names = await spanNames(page);
  while (names.join("\n") !== expected.join("\n") && Date.now() < deadline) {
    await page.waitForTimeout(100);
    names = await spanNames(page);
  }
  return names;
}

/** Opens the "Filter by span type" submenu of the span tree's display settings. */
async function openSpanTypeMenu(page: Page): Promise<Locator> {
  await page.locator('[aria-label="Trace display settings"]').click();
  await page.getByText("Filter by span type", { exact: true }).hover();
  const menu = page.getByRole("menu").filter({ hasText: "Show all parent spans" });
  await menu.waitFor();
  return menu;
}

/**
 * Closes the open display-settings menus. The Escape is pressed on a menu itself and never on the
 * page: an Escape reaching the page (focus on the body while a closing menu hands focus back to
 * its trigger) closes the whole trace view — the cause of a CI failure.
 */
async function closeMenus(page: Page): Promise<void> {
  const menus = page.getByRole("menu");
  await menus.last().press("Escape");
  await menus.first().waitFor({ state: "detached" });
}

async function toggleSpanType(page: Page, label: string): Promise<void> {
  const menu = await openSpanTypeMenu(page);
  await menu.getByRole("menuitemcheckbox", { name: label, exact: true }).click();
  await closeMenus(page);
}

describe("the MLflow UI shows traces from mlflow.haystack.autolog()", () => {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let llm: OpenAIServer | undefined;
  let experimentId = "";

  async function openTrace(traceId: string): Promise<Page> {
    context = await newLoopbackContext(browser as Browser, { width: 1600, height: 1400, localStorage: DISMISSED_POPUPS });
    const page = await context.newPage();
    await page.goto(`${url}/#/experiments/${experimentId}/traces?selectedEvaluationId=${traceId}`);
    await spanRow(page, "haystack.pipeline.run").waitFor({ timeout: 30_000 });
    return page;
  }

  async function exportedTraceId(): Promise<string> {
    const traceId = mlflow.getLastActiveTrace()?.info.traceId;
    expect(traceId).toMatch(/^tr-[0-9a-f]{32}$/);
    const flushed = await mlflow.flushTraces({ timeoutMs: 30_000 });
    expect(flushed).toMatchObject({ failed: 0, dropped: 0, pending: 0 });
    return traceId ?? "";
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    // Installs Debian's chromium first when it is missing (scripts/ensure-chromium.js).
    browser = await launchChromium();
    llm = await startOpenAIServer({ reply: () => "Jean lives in Paris.", cachedTokens: CACHED_TOKENS });
    resetExportConfig();
    mlflow.haystack.autolog();
    mlflow.setTrackingUri(url);
    experimentId = (await mlflow.setExperiment(`mlflow-ui-${randomBytes(4).toString("hex")}`)).experimentId;
  }, CHROMIUM_INSTALL_MS);

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  afterAll(async () => {
    mlflow.haystack.autolog({ disable: true });
    await mlflow.shutdownExport();
    resetExportConfig();
    await Promise.all([browser?.close(), llm?.close()]);
  });

  it("renders the RAG trace's span tree, span types and token usage including cached tokens", async () => {
    const pipe = buildRagPipeline({
      generatorOptions: { model: "gpt-4o-mini", apiBaseUrl: llm?.url ?? "", apiKey: "test" },
      description: "loopback OpenAI-compatible server",
      offline: false,
      close: async () => undefined,
    });
    const question = "Who lives in Paris?";
    const out = (await pipe.run({ retriever: { query: question }, prompt_builder: { question } })) as { llm: { meta: { usage: Usage }[] } };
    const usage = out.llm.meta[0]?.usage as Usage;
    const traceId = await exportedTraceId();

    const page = await openTrace(traceId);
    const all = ["haystack.pipeline.run", "retriever", "prompt_builder", "llm"];
    expect(await settledSpanNames(page, all)).toEqual(all);

    // The tree: collapsing the pipeline span hides its three component spans.
    const toggle = spanNode(page, "haystack.pipeline.run").locator('[data-testid^="toggle-span-expanded-"]');
    await toggle.click();
    expect(await settledSpanNames(page, ["haystack.pipeline.run"])).toEqual(["haystack.pipeline.run"]);
    await toggle.click();
    expect(await settledSpanNames(page, all)).toEqual(all);

    // Span types: the UI lists the trace's types, and hiding a type hides exactly its span.
    const menu = await openSpanTypeMenu(page);
    expect((await menu.getByRole("menuitemcheckbox").allInnerTexts()).map((t) => t.trim())).toEqual(
      expect.arrayContaining(["Chain", "Retriever", "Tool", "LLM"]),
    );
    await closeMenus(page);
    for (const [type, span] of [
      ["Retriever", "retriever"],
      ["Tool", "prompt_builder"],
      ["LLM", "llm"],
    ] as const) {
      const without = all.filter((name) => name !== span);
      await toggleSpanType(page, type);
      expect(await settledSpanNames(page, without)).toEqual(without);
      await toggleSpanType(page, type);
      expect(await settledSpanNames(page, all)).toEqual(all);
    }

    // Token usage: the trace header total, its breakdown with the cached prompt tokens, and the LLM span.
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
    await page.locator('[aria-label="Trace display settings"]').blur();
    const header = page.getByText(`${usage.total_tokens} tokens`, { exact: true }).first();
    await header.hover();
    const breakdown = page.getByRole("dialog").filter({ hasText: "Usage breakdown" }).last();
    await breakdown.waitFor();
    const text = (await breakdown.innerText()).replace(/\s+/g, " ");
    expect(text).toContain(`Input tokens ${usage.prompt_tokens}`);
    expect(text).toContain(`Cache read ${CACHED_TOKENS}`);
    expect(text).toContain(`Output tokens ${usage.completion_tokens}`);
    expect(text).toContain(`Total ${usage.total_tokens}`);
    await page.screenshot({ path: join(SCREENSHOTS, "token-usage.png") });

    expect(await spanNode(page, "llm").locator(`[title="${usage.total_tokens} tokens"]`).count()).toBe(1);
    await spanRow(page, "llm").click();
    await page.getByText("gpt-4o-mini", { exact: true }).first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, "trace.png"), fullPage: true });
  });

  it("shows a CacheChecker's hits and misses in its outputs and its haystack.cache.* attributes", async () => {
    const store = new InMemoryDocumentStore();
    store.writeDocuments([new Document({ content: "cached page", meta: { url: "https://a.example" } })]);
    const pipe = new Pipeline();
    pipe.addComponent("cache_checker", new CacheChecker({ documentStore: store, cacheField: "url" }));
    await pipe.run({ cache_checker: { items: ["https://a.example", "https://b.example"] } });
    const page = await openTrace(await exportedTraceId());

    await spanRow(page, "cache_checker").click();
    const io = page.locator('[data-testid="model-trace-explorer-content-tab"]');
    await io.getByText("misses", { exact: true }).waitFor();
    const shown = (await io.innerText()).replace(/\s+/g, " ");
    expect(shown).toMatch(/Outputs .*hits .*url: 'https:\/\/a\.example'.* misses - 'https:\/\/b\.example'/);

    await page.getByText("Attributes", { exact: true }).click();
    const attribute = async (key: string): Promise<string> => {
      const title = page.getByText(key, { exact: true });
      await title.scrollIntoViewIfNeeded();
      return (await title.locator("xpath=../..").innerText()).replace(/\s+/g, " ");
    };
    expect(await attribute("haystack.cache.hits")).toBe("haystack.cache.hits 1");
    expect(await attribute("haystack.cache.misses")).toBe("haystack.cache.misses 1");
    expect(await attribute("haystack.cache.hit_ratio")).toBe("haystack.cache.hit_ratio 0.5");
    await page.screenshot({ path: join(SCREENSHOTS, "cache-hits.png"), fullPage: true });
  });
});
