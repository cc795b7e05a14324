/**
 * The parity agent both agent parity specs run (and their Python scripts mirror): two tools, one
 * failing once, and the loopback model's script of two tool-call rounds and a final answer.
 */
import { Agent, OpenAIChatGenerator, Tool } from "../../lib/haystack/index";
import type { OpenAIServer } from "../support/openai-server";
import { callToolsThen, toolResults } from "../haystack/components/agents/agent-script";

/** The scripted replies: weather + exchange rate, the rate again (it failed once), then the answer. */
export function parityScript(): Parameters<OpenAIServer["setReply"]>[0] {
  return callToolsThen(
    [
      [
        { id: "c1", name: "weather", arguments: '{"city": "Paris"}' },
        { id: "c2", name: "exchange_rate", arguments: '{"currency": "USD"}' },
      ],
      [{ id: "c3", name: "exchange_rate", arguments: '{"currency": "USD"}' }],
    ],
    (request) => `Done after ${toolResults(request).length} tool results.`,
  );
}

/** Our side of the parity agent, against the loopback server at `baseUrl`. */
export function parityAgent(baseUrl: string): Agent {
  let failures = 1;
  return new Agent({
    chatGenerator: new OpenAIChatGenerator({ apiKey: "test", apiBaseUrl: baseUrl, model: "gpt-4o-mini", maxRetries: 0 }),
    systemPrompt: "Use tools.",
    tools: [
      new Tool({
        name: "weather",
        description: "Weather for a city",
        parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
        function: ({ city }) => `22 degrees in ${String(city)}`,
      }),
      new Tool({
        name: "exchange_rate",
        description: "EUR rate of a currency",
        parameters: { type: "object", properties: { currency: { type: "string" } }, required: ["currency"] },
        function: ({ currency }) => {
          if (failures-- > 0) throw new Error("rate service unavailable");
          return { currency, rate: 1.08 };
        },
      }),
    ],
  });
}
