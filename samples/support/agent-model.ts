/**
 * The offline DEMO agent model for samples/agent.ts: a deterministic script (not a language model)
 * served through the same OpenAI-compatible protocol, so the Agent, OpenAIChatGenerator, the openai
 * client and HTTP all run for real. It "learns" to use tools the way a model does: it asks for the
 * weather of every city named in the question (parallel tool calls), then for their average with
 * the calculator, then answers from the tool results it was sent back.
 */
import { startOpenAIServer, type MockChatRequest, type MockReply } from "../../spec/support/openai-server";
import { OFFLINE_MODEL_NAME, type LanguageModel } from "./language-model";

const CITIES = ["Paris", "Berlin", "Rome", "Oslo"];

function text(content: unknown): string {
  return typeof content === "string" ? content : "";
}

/** The demo model's next turn, decided from the conversation so far. */
export function demoAgentTurn(request: MockChatRequest): MockReply {
  const messages = request.messages ?? [];
  const question = text(messages.filter((m) => m.role === "user").pop()?.content);
  const results = messages.filter((m) => m.role === "tool").map((m) => text(m.content));
  const cities = CITIES.filter((c) => question.includes(c));
  if (results.length === 0 && cities.length > 0) {
    return { content: "", toolCalls: cities.map((city) => ({ name: "weather", arguments: JSON.stringify({ city }) })) };
  }
  const temperatures = results.map((r) => /(-?\d+(?:\.\d+)?) °C/.exec(r)?.[1]).filter((t): t is string => t !== undefined);
  const asked = messages.some((m) => m.tool_calls?.some((c) => c.function.name === "calculator"));
  if (!asked && temperatures.length > 1) {
    return {
      content: "",
      toolCalls: [{ name: "calculator", arguments: JSON.stringify({ expression: `(${temperatures.join(" + ")}) / ${temperatures.length}` }) }],
    };
  }
  const average = results[results.length - 1];
  return `${results.slice(0, cities.length).join(" ")} The average is ${average ?? "unknown"} °C.`;
}

/** OpenAI when OPENAI_API_KEY is set, else the demo agent model on 127.0.0.1. */
export async function chooseAgentModel(): Promise<LanguageModel> {
  if (process.env["OPENAI_API_KEY"] !== undefined && process.env["OPENAI_API_KEY"] !== "") {
    return {
      generatorOptions: { model: "gpt-4o-mini" },
      description: "OpenAI (gpt-4o-mini), using OPENAI_API_KEY",
      offline: false,
      close: async () => undefined,
    };
  }
  const server = await startOpenAIServer({ reply: demoAgentTurn, model: OFFLINE_MODEL_NAME });
  return {
    generatorOptions: { model: OFFLINE_MODEL_NAME, apiBaseUrl: server.url, apiKey: "offline-demo-key" },
    description: `the OFFLINE DEMO AGENT MODEL (a deterministic script, not OpenAI): OPENAI_API_KEY is not set, so it answers at ${server.url}`,
    offline: true,
    close: () => server.close(),
  };
}
