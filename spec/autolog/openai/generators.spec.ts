import * as mlflow from "../../../lib/index";
import type { Span } from "../../../lib/index";
import { Agent, ChatMessage, OpenAIChatGenerator, OpenAIGenerator, Pipeline, Tool } from "../../../lib/haystack/index";
import { setOpenAIAutolog } from "../../../lib/autolog/openai/switch";
import { startOpenAIServer, type OpenAIServer } from "../../support/openai-server";
import { collectTraces, type Collector } from "./trace-support";

const tree = (spans: readonly Span[]): string[] => {
  const depth = (s: Span): number => (s.parentId === null ? 0 : 1 + depth(spans.find((p) => p.spanId === s.parentId)!));
  return spans.map((s) => `${"  ".repeat(depth(s))}${s.name} (${s.spanType})`);
};

let server: OpenAIServer;
let collector: Collector;
beforeEach(async () => {
  server = await startOpenAIServer({ model: "gpt-4o-mini-2024-07-18", cachedTokens: 1, reply: () => "Paris." });
  collector = collectTraces();
  mlflow.haystack.autolog();
});
afterEach(async () => {
  collector.stop();
  mlflow.haystack.autolog({ disable: true });
  setOpenAIAutolog(undefined);
  await server.close();
});

function chatPipeline(options: { streamingCallback?: () => void } = {}): Pipeline {
  const pipe = new Pipeline();
  pipe.addComponent("llm", new OpenAIChatGenerator({ apiKey: "test", apiBaseUrl: server.url, maxRetries: 0, ...options }));
  return pipe;
}

describe("the SDK's OpenAI generators follow mlflow.openai.autolog", () => {
  it("record no OpenAI span of their own unless mlflow.openai.autolog() is on", async () => {
    await chatPipeline().run({ llm: { messages: [ChatMessage.fromUser("Capital of France?")] } });
    expect(tree(collector.traces[0]!.data.spans)).toEqual(["haystack.pipeline.run (CHAIN)", "  llm (CHAT_MODEL)"]);
  });

  it("with autolog on, OpenAIChatGenerator's call is a Completions span under the component span, usage counted once", async () => {
    mlflow.openai.autolog();
    await chatPipeline().run({ llm: { messages: [ChatMessage.fromUser("Capital of France?")] } });
    const trace = collector.traces[0]!;
    expect(tree(trace.data.spans)).toEqual(["haystack.pipeline.run (CHAIN)", "  llm (CHAT_MODEL)", "    Completions (CHAT_MODEL)"]);
    const call = trace.data.spans[2]!;
    expect(call.inputs).toMatchObject({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Capital of France?" }], stream: false });
    expect(call.attributes).toMatchObject({
      "mlflow.llm.model": "gpt-4o-mini-2024-07-18",
      "mlflow.chat.tokenUsage": { input_tokens: 3, output_tokens: 1, total_tokens: 4, cache_read_input_tokens: 1 },
    });
    expect(trace.info.tokenUsage).toMatchObject({ inputTokens: 3, outputTokens: 1, totalTokens: 4 });
  });

  it("with autolog on, a streaming OpenAIGenerator's call is one span that ends with the stream, and autolog({ disable: true }) stops it", async () => {
    mlflow.openai.autolog();
    const chunks: string[] = [];
    const pipe = new Pipeline();
    pipe.addComponent(
      "llm",
      new OpenAIGenerator({ apiKey: "test", apiBaseUrl: server.url, maxRetries: 0, streamingCallback: (c) => void chunks.push(c.content) }),
    );
    await pipe.run({ llm: { prompt: "Capital of France?" } });
    const spans = collector.traces[0]!.data.spans;
    expect(tree(spans)).toEqual(["haystack.pipeline.run (CHAIN)", "  llm (LLM)", "    Completions (CHAT_MODEL)"]);
    expect(spans[2]!.attributes).toMatchObject({ "openai.stream.end": "completed", "mlflow.chat.tokenUsage": { total_tokens: 4 } });
    expect(spans[2]!.outputs).toMatchObject({ choices: [{ message: { content: chunks.join("") } }] });

    mlflow.openai.autolog({ disable: true });
    await pipe.run({ llm: { prompt: "Capital of France?" } });
    expect(tree(collector.traces[1]!.data.spans)).toEqual(["haystack.pipeline.run (CHAIN)", "  llm (LLM)"]);
  });

  it("with autolog on, an agent's LLM call nests under the agent step's LLM span", async () => {
    mlflow.openai.autolog();
    let calls = 0;
    server.setReply(() => (++calls === 1 ? { content: "", toolCalls: [{ name: "weather", arguments: '{"city":"Paris"}' }] } : "Sunny."));
    const weather = new Tool({
      name: "weather",
      description: "Weather",
      parameters: { type: "object", properties: { city: { type: "string" } } },
      function: () => "22 degrees",
    });
    const agent = new Agent({ chatGenerator: new OpenAIChatGenerator({ apiKey: "test", apiBaseUrl: server.url, maxRetries: 0 }), tools: [weather] });
    await agent.run({ messages: [ChatMessage.fromUser("Weather in Paris?")] });
    expect(tree(collector.traces[0]!.data.spans)).toEqual([
      "agent (AGENT)",
      "  step 1 (CHAIN)",
      "    OpenAIChatGenerator (CHAT_MODEL)",
      "      Completions (CHAT_MODEL)",
      "    weather (TOOL)",
      "  step 2 (CHAIN)",
      "    OpenAIChatGenerator (CHAT_MODEL)",
      "      Completions (CHAT_MODEL)",
    ]);
  });

  it("mlflow.autolog() turns the OpenAI switch on with Haystack's, and { disable: true } both off", () => {
    mlflow.autolog();
    expect(mlflow.openai.isAutologEnabled()).toBe(true);
    mlflow.autolog({ disable: true });
    expect(mlflow.openai.isAutologEnabled()).toBe(false);
    expect(mlflow.haystack.isAutologEnabled()).toBe(false);
  });
});
