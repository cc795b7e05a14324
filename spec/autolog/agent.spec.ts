import * as mlflow from "../../lib/index";
import type { Span, Trace } from "../../lib/index";
import { Agent, ChatMessage, OpenAIChatGenerator, Pipeline, Tool } from "../../lib/haystack/index";
import { addTraceSink } from "../../lib/tracing/completed-traces";
import { startOpenAIServer, type OpenAIServer } from "../support/openai-server";
import { callToolsThen } from "../haystack/components/agents/agent-script";

function collect(): { traces: Trace[]; stop: () => void } {
  const traces: Trace[] = [];
  return { traces, stop: addTraceSink({ onTraceCompleted: (t) => traces.push(t) }) };
}

/** The span tree as `name (TYPE)` lines, indented by depth. */
function tree(spans: readonly Span[]): string[] {
  const depth = (s: Span): number => (s.parentId === null ? 0 : 1 + depth(spans.find((p) => p.spanId === s.parentId)!));
  return spans.map((s) => `${"  ".repeat(depth(s))}${s.name} (${s.spanType})`);
}

let server: OpenAIServer;
beforeEach(async () => {
  server = await startOpenAIServer({ model: "gpt-4o-mini-2024-07-18", cachedTokens: 1 });
  server.setReply(
    callToolsThen(
      [
        [
          { id: "c1", name: "weather", arguments: '{"city": "Paris"}' },
          { id: "c2", name: "exchange_rate", arguments: '{"currency": "USD"}' },
        ],
      ],
      () => "Sunny; the rate service is down.",
    ),
  );
  mlflow.haystack.autolog();
});
afterEach(async () => {
  mlflow.haystack.autolog({ disable: true });
  await server.close();
});

function makeAgent(options: { streamingCallback?: () => void } = {}): Agent {
  const weather = new Tool({
    name: "weather",
    description: "Weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    function: ({ city }) => `22 degrees in ${String(city)}`,
  });
  const rate = new Tool({
    name: "exchange_rate",
    description: "EUR rate",
    parameters: { type: "object", properties: { currency: { type: "string" } } },
    function: () => Promise.reject(new Error("rate service unavailable")),
  });
  return new Agent({ chatGenerator: new OpenAIChatGenerator({ apiKey: "test", apiBaseUrl: server.url, maxRetries: 0 }), tools: [weather, rate], ...options });
}

describe("autolog of an agent run", () => {
  it("records agent → step N → CHAT_MODEL and one TOOL span per call, the failed call as ERROR", async () => {
    const { traces, stop } = collect();
    const result = await makeAgent().run({ messages: [ChatMessage.fromUser("Weather in Paris and the USD rate?")] });
    stop();
    expect(traces).toHaveLength(1);
    const spans = traces[0]!.data.spans;
    expect(tree(spans)).toEqual([
      "agent (AGENT)",
      "  step 1 (CHAIN)",
      "    OpenAIChatGenerator (CHAT_MODEL)",
      "    weather (TOOL)",
      "    exchange_rate (TOOL)",
      "  step 2 (CHAIN)",
      "    OpenAIChatGenerator (CHAT_MODEL)",
    ]);
    const [agent, step1, , weather, rate] = spans;
    expect(step1!.attributes["haystack.agent.step"]).toBe(1);
    expect(weather).toMatchObject({ inputs: { city: "Paris" }, outputs: "22 degrees in Paris", status: { code: "OK" } });
    expect(weather!.attributes).toMatchObject({ "haystack.tool.call_id": "c1", "haystack.tool.description": "Weather for a city" });
    expect(rate!.status.code).toBe("ERROR");
    expect(rate!.events.find((e) => e.name === "exception")?.attributes["exception.message"]).toMatch(
      /Failed to invoke Tool `exchange_rate`.*rate service unavailable/,
    );
    expect(agent!.attributes).toMatchObject({
      "haystack.agent.steps_taken": 2,
      "haystack.agent.tool_call_counts": { weather: 1, exchange_rate: 1 },
      "haystack.agent.exit_reason": "text",
    });
    expect(agent!.outputs).toMatchObject({ step_count: 2, last_message: { role: "assistant", content: [{ text: "Sunny; the rate service is down." }] } });
    expect(traces[0]!.info.metadata["haystack.agent.step_count"]).toBe("2");
    expect(result.step_count).toBe(2);
  });

  it("writes LLM spans the way MLflow's chat view reads them: openai format, OpenAI messages in, a chat completion out, the tools list", async () => {
    const { traces, stop } = collect();
    await makeAgent().run({ messages: [ChatMessage.fromUser("Weather?")] });
    stop();
    const llm = traces[0]!.data.spans.filter((s) => s.spanType === "CHAT_MODEL");
    expect(llm[0]!.attributes["mlflow.message.format"]).toBe("openai");
    expect(llm[0]!.attributes["mlflow.chat.tools"]).toEqual([
      {
        type: "function",
        function: {
          name: "weather",
          description: "Weather for a city",
          parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
        },
      },
      {
        type: "function",
        function: { name: "exchange_rate", description: "EUR rate", parameters: { type: "object", properties: { currency: { type: "string" } } } },
      },
    ]);
    expect(llm[0]!.inputs).toMatchObject({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Weather?" }] });
    expect(llm[0]!.outputs).toMatchObject({
      model: "gpt-4o-mini-2024-07-18",
      choices: [
        {
          index: 0,
          finish_reason: "tool_calls",
          message: {
            role: "assistant",
            tool_calls: [{ id: "c1", type: "function", function: { name: "weather", arguments: '{"city": "Paris"}' } }, { id: "c2" }],
          },
        },
      ],
    });
    expect((llm[1]!.inputs as { messages: unknown[] }).messages.slice(-2)).toEqual([
      { role: "tool", content: "22 degrees in Paris", tool_call_id: "c1" },
      { role: "tool", content: expect.stringMatching(/rate service unavailable/), tool_call_id: "c2" },
    ]);
    expect(llm[1]!.outputs).toMatchObject({ choices: [{ message: { role: "assistant", content: "Sunny; the rate service is down." } }] });
  });

  it("puts token usage and cost on every LLM span and sums them once on the trace", async () => {
    const { traces, stop } = collect();
    const result = await makeAgent().run({ messages: [ChatMessage.fromUser("Weather?")] });
    stop();
    const llm = traces[0]!.data.spans.filter((s) => s.spanType === "CHAT_MODEL");
    const usages = llm.map((s) => s.attributes["mlflow.chat.tokenUsage"] as { input_tokens: number; output_tokens: number; total_tokens: number });
    expect(usages.every((u) => u.total_tokens > 0)).toBe(true);
    expect(llm.every((s) => s.attributes["mlflow.llm.cost"] !== undefined && s.attributes["mlflow.llm.model"] === "gpt-4o-mini-2024-07-18")).toBe(true);
    const total = usages.reduce((sum, u) => sum + u.total_tokens, 0);
    expect(traces[0]!.info.tokenUsage).toMatchObject({ totalTokens: total });
    expect(result.token_usage).toMatchObject({ total_tokens: total });
    expect(traces[0]!.data.spans.filter((s) => s.attributes["mlflow.chat.tokenUsage"] !== undefined)).toHaveLength(2);
  });

  it("inside a pipeline, the agent's component span is the AGENT span, named by its pipeline name", async () => {
    const { traces, stop } = collect();
    const pipe = new Pipeline();
    pipe.addComponent("travel_agent", makeAgent());
    await pipe.run({ travel_agent: { messages: [ChatMessage.fromUser("Weather?")] } });
    stop();
    expect(tree(traces[0]!.data.spans).slice(0, 3)).toEqual(["haystack.pipeline.run (CHAIN)", "  travel_agent (AGENT)", "    step 1 (CHAIN)"]);
    expect(traces[0]!.data.spans[1]!.attributes).toMatchObject({ "haystack.agent.steps_taken": 2, "haystack.agent.max_steps": 100 });
    const init = traces[0]!.data.spans[1]!.attributes["haystack.component.init_parameters"] as { tools: { type: string; data: { name: string } }[] };
    expect(init.tools.map((t) => [t.type, t.data.name])).toEqual([
      ["haystack.tools.tool.Tool", "weather"],
      ["haystack.tools.tool.Tool", "exchange_rate"],
    ]);
  });

  it("a streaming agent produces the same tree, with the chunks as events on its LLM spans", async () => {
    const { traces, stop } = collect();
    await makeAgent({ streamingCallback: () => undefined }).run({ messages: [ChatMessage.fromUser("Weather?")] });
    stop();
    const spans = traces[0]!.data.spans;
    expect(tree(spans)).toHaveLength(7);
    const llm = spans.filter((s) => s.spanType === "CHAT_MODEL");
    expect(llm[0]!.events.some((e) => e.name.startsWith("mlflow.chunk.item.") && typeof e.attributes["tool_calls"] === "string")).toBe(true);
    expect(
      llm[1]!.events
        .filter((e) => e.name.startsWith("mlflow.chunk.item."))
        .map((e) => e.attributes["content"])
        .join(""),
    ).toBe("Sunny; the rate service is down.");
    expect(llm[1]!.attributes["haystack.streaming.chunk_events_dropped"]).toBe(0);
    expect(llm[1]!.attributes["mlflow.chat.tokenUsage"]).toBeDefined();
  });

  it("keeps the trace, with ERROR where it failed, when the model answers 500", async () => {
    const { traces, stop } = collect();
    server.failNext({ status: 500 });
    await expect(makeAgent().run({ messages: [ChatMessage.fromUser("x")] })).rejects.toThrow();
    stop();
    expect(tree(traces[0]!.data.spans)).toEqual(["agent (AGENT)", "  step 1 (CHAIN)", "    OpenAIChatGenerator (CHAT_MODEL)"]);
    expect(traces[0]!.data.spans.map((s) => s.status.code)).toEqual(["ERROR", "ERROR", "ERROR"]);
    expect(traces[0]!.info.state).toBe("ERROR");
  });

  it("keeps the trace, with ERROR on the LLM span, when a streamed reply is cut off mid tool call", async () => {
    const { traces, stop } = collect();
    let sawChunk!: () => void;
    server.cutNextStreamAfter(3, { after: new Promise<void>((resolve) => (sawChunk = resolve)) });
    await expect(makeAgent({ streamingCallback: () => sawChunk() }).run({ messages: [ChatMessage.fromUser("x")] })).rejects.toThrow();
    stop();
    const spans = traces[0]!.data.spans;
    expect(tree(spans)).toEqual(["agent (AGENT)", "  step 1 (CHAIN)", "    OpenAIChatGenerator (CHAT_MODEL)"]);
    expect(spans[2]!.status.code).toBe("ERROR");
    expect(spans[2]!.events.some((e) => e.name === "exception")).toBe(true);
    expect(spans[2]!.events.filter((e) => e.name.startsWith("mlflow.chunk.item.")).length).toBeGreaterThan(0);
  });
});
