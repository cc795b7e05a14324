import * as mlflow from "../../../../lib/index";
import type { Trace } from "../../../../lib/index";
import { ChatMessage, LLM, OpenAIChatGenerator, Pipeline } from "../../../../lib/haystack";
import { getComponentInfo } from "../../../../lib/haystack/component";
import { addTraceSink } from "../../../../lib/tracing/completed-traces";
import { startOpenAIServer, type OpenAIServer } from "../../../support/openai-server";

describe("LLM (an agent without tools)", () => {
  let server: OpenAIServer;
  beforeEach(async () => {
    server = await startOpenAIServer({ reply: (r) => `Summary of: ${String(r.messages?.[r.messages.length - 1]?.content)}` });
  });
  afterEach(async () => server.close());
  const generator = () => new OpenAIChatGenerator({ apiKey: "k", apiBaseUrl: server.url, maxRetries: 0 });

  it("sends the system prompt and the rendered user prompt once, returning messages, last_message and token usage", async () => {
    const llm = new LLM({ chatGenerator: generator(), systemPrompt: "Be brief.", userPrompt: "Summarize: {{ document }}" });
    expect([...getComponentInfo(llm).outputs.keys()]).toEqual(["messages", "last_message", "token_usage"]);
    expect(getComponentInfo(llm).inputs.get("document")?.mandatory).toBe(true);
    const out = await llm.run({ document: "It rains." });
    expect(server.requests[0]?.body?.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Summarize: It rains." },
    ]);
    expect(out.last_message?.text).toBe("Summary of: Summarize: It rains.");
    expect(out.messages.map((m) => m.role)).toEqual(["system", "user", "assistant"]);
    expect(out.token_usage).toMatchObject({ total_tokens: expect.any(Number) });
    expect(Object.keys(out)).toEqual(["messages", "last_message", "token_usage"]);
  });

  it("names a missing prompt variable, and asks for messages without a user prompt", async () => {
    await expect(new LLM({ chatGenerator: generator(), userPrompt: "{{ a }}" }).run({})).rejects.toThrow(
      /Missing required input variables in LLM user_prompt: a/,
    );
    await expect(new LLM({ chatGenerator: generator() }).run({})).rejects.toThrow(/needs 'messages' or a userPrompt/);
    expect(() => new LLM({ chatGenerator: generator(), userPrompt: "{{ a }}", requiredVariables: [] })).toThrow(/requiredVariables must not be empty/);
  });

  it("is traced as its pipeline component's AGENT span with one step", async () => {
    mlflow.haystack.autolog();
    const traces: Trace[] = [];
    const stop = addTraceSink({ onTraceCompleted: (t) => traces.push(t) });
    try {
      const pipe = new Pipeline();
      pipe.addComponent("summarizer", new LLM({ chatGenerator: generator() }));
      await pipe.run({ summarizer: { messages: [ChatMessage.fromUser("Hi")] } });
    } finally {
      stop();
      mlflow.haystack.autolog({ disable: true });
    }
    expect(traces[0]!.data.spans.map((s) => `${s.name} ${s.spanType}`)).toEqual([
      "haystack.pipeline.run CHAIN",
      "summarizer AGENT",
      "step 1 CHAIN",
      "OpenAIChatGenerator CHAT_MODEL",
    ]);
  });
});
