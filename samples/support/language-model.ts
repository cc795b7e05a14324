/**
 * Which language model the samples talk to: OpenAI when OPENAI_API_KEY is set, otherwise an
 * offline demo model served on 127.0.0.1 through the same OpenAI-compatible protocol, so the
 * whole stack (OpenAIGenerator, the openai client, HTTP) runs for real. The demo model is
 * clearly labelled and has no price, so no trace ever shows a cost for it.
 */
import { startOpenAIServer, type MockChatRequest } from "../../spec/support/openai-server";

export const OFFLINE_MODEL_NAME = "offline-demo-model";

export interface LanguageModel {
  /** Options for `new OpenAIGenerator(...)`. */
  readonly generatorOptions: { model: string; apiBaseUrl?: string; apiKey?: string };
  /** What to tell the user about where answers come from. */
  readonly description: string;
  readonly offline: boolean;
  close(): Promise<void>;
}

/** Answers with the first retrieved document's sentence: extractive, deterministic, offline. */
function extractiveAnswer(request: MockChatRequest): string {
  const prompt = (request.messages ?? []).map((m) => (typeof m.content === "string" ? m.content : "")).join("\n");
  const firstDocument = /Documents:\s*\n\s*(.+)/.exec(prompt)?.[1]?.trim();
  return firstDocument === undefined ? "I could not find an answer in the documents." : `Based on the documents: ${firstDocument}`;
}

export async function chooseLanguageModel(): Promise<LanguageModel> {
  if (process.env["OPENAI_API_KEY"] !== undefined && process.env["OPENAI_API_KEY"] !== "") {
    const base = process.env["OPENAI_BASE_URL"];
    return {
      generatorOptions: { model: "gpt-4o-mini" },
      description: base === undefined ? "OpenAI (gpt-4o-mini), using OPENAI_API_KEY" : `the OpenAI-compatible API at ${base}`,
      offline: false,
      close: async () => undefined,
    };
  }
  const server = await startOpenAIServer({ reply: extractiveAnswer, model: OFFLINE_MODEL_NAME });
  return {
    generatorOptions: { model: OFFLINE_MODEL_NAME, apiBaseUrl: server.url, apiKey: "offline-demo-key" },
    description: `the OFFLINE DEMO MODEL (not OpenAI): OPENAI_API_KEY is not set, so a local extractive model answers at ${server.url}`,
    offline: true,
    close: () => server.close(),
  };
}
