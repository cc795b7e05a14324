import { APIError } from "openai";
import { Agent, ChatMessage, OpenAIChatGenerator, type StreamingChunk, Tool, ToolNotFoundError, type AgentOptions } from "../../../../lib/haystack";
import { countMockTokens, startOpenAIServer, type OpenAIServer } from "../../../support/openai-server";
import { callToolsThen, toolResults } from "./agent-script";

const schema = (properties: Record<string, unknown>, required: string[] = []) => ({ type: "object", properties, required });

let server: OpenAIServer;
beforeEach(async () => {
  server = await startOpenAIServer({ model: "gpt-4o-mini-2024-07-18" });
});
afterEach(async () => server.close());

const generator = () => new OpenAIChatGenerator({ apiKey: "test", apiBaseUrl: server.url, maxRetries: 0 });

function weatherTools() {
  let failures = 1;
  const weather = new Tool({
    name: "weather",
    description: "Weather for a city",
    parameters: schema({ city: { type: "string" } }, ["city"]),
    function: ({ city }) => `22 degrees in ${String(city)}`,
  });
  const flaky = new Tool({
    name: "exchange_rate",
    description: "EUR rate of a currency",
    parameters: schema({ currency: { type: "string" } }, ["currency"]),
    function: ({ currency }) => {
      if (failures-- > 0) throw new Error("rate service unavailable");
      return { currency, rate: 1.08 };
    },
  });
  return [weather, flaky];
}

const agent = (options: Partial<AgentOptions> = {}) => new Agent({ chatGenerator: generator(), tools: weatherTools(), ...options });

describe("Agent (Haystack 3.4 loop) against the loopback OpenAI server", () => {
  it("runs parallel tool calls, sends a failing tool's error back, retries, and answers with state totals", async () => {
    server.setReply(
      callToolsThen(
        [
          [
            { id: "c1", name: "weather", arguments: '{"city": "Paris"}' },
            { id: "c2", name: "exchange_rate", arguments: '{"currency": "USD"}' },
          ],
          [{ id: "c3", name: "exchange_rate", arguments: '{"currency": "USD"}' }],
        ],
        (request) => `Done after ${toolResults(request).length} tool results.`,
      ),
    );
    const result = await agent({ systemPrompt: "Use tools." }).run({ messages: [ChatMessage.fromUser("Weather in Paris and the USD rate?")] });

    expect(result.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "tool", "tool", "assistant", "tool", "assistant"]);
    const tools = result.messages.filter((m) => m.role === "tool").map((m) => m.toolCallResult!);
    expect(tools.map((t) => [t.origin.id, t.result, t.error])).toEqual([
      ["c1", "22 degrees in Paris", false],
      ["c2", "Failed to invoke Tool `exchange_rate` with parameters {'currency': 'USD'}. Error: rate service unavailable", true],
      ["c3", '{"currency": "USD", "rate": 1.08}', false],
    ]);
    expect(result.last_message?.text).toBe("Done after 3 tool results.");
    expect(result.step_count).toBe(3);
    expect(result.exit_reason).toBe("text");
    expect(result.tool_call_counts).toEqual({ weather: 1, exchange_rate: 2 });
    // The model saw the failure text as a plain tool message with its call id.
    expect(server.requests[1]?.body?.messages?.slice(-2)).toEqual([
      { role: "tool", content: "22 degrees in Paris", tool_call_id: "c1" },
      { role: "tool", content: tools[1]!.result, tool_call_id: "c2" },
    ]);
    const perRequest = server.requests.map((r) =>
      (r.body?.messages ?? []).reduce((sum, m) => sum + countMockTokens(typeof m.content === "string" ? m.content : ""), 0),
    );
    expect(result.token_usage).toMatchObject({ prompt_tokens: perRequest.reduce((a, b) => a + b, 0), total_tokens: expect.any(Number) });
    expect(server.requests).toHaveLength(3);
  });

  it("stops as soon as an exit-condition tool succeeds, with its name as the exit reason", async () => {
    const finalAnswer = new Tool({
      name: "final_answer",
      description: "Give the answer",
      parameters: schema({ answer: { type: "string" } }, ["answer"]),
      function: ({ answer }) => answer,
    });
    server.setReply(callToolsThen([[{ name: "final_answer", arguments: '{"answer": "42"}' }]], () => "never asked"));
    const result = await agent({ tools: [finalAnswer], exitConditions: ["final_answer"] }).run({ messages: [ChatMessage.fromUser("Answer?")] });
    expect(result.exit_reason).toBe("final_answer");
    expect(result.last_message?.toolCallResult?.result).toBe("42");
    expect(server.requests).toHaveLength(1);
  });

  it("returns the messages so far with exit reason max_agent_steps when the step limit is reached", async () => {
    server.setReply(() => ({ content: "", toolCalls: [{ name: "weather", arguments: '{"city": "Oslo"}' }] }));
    const result = await agent({ maxAgentSteps: 2 }).run({ messages: [ChatMessage.fromUser("Loop forever")] });
    expect(result.exit_reason).toBe("max_agent_steps");
    expect(result.step_count).toBe(2);
    expect(result.messages.map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant", "tool"]);
    expect(server.requests).toHaveLength(2);
  });

  describe("bad tool calls from the model become error results it can read", () => {
    it.each([
      ["an unknown tool", { name: "search", arguments: "{}" }, "Tool 'search' not found. Available tools: weather, exchange_rate"],
      [
        "malformed JSON arguments",
        { name: "weather", arguments: '{"city": "Par' },
        'Invalid arguments for Tool `weather`: "{\\"city\\": \\"Par" is not a JSON object. Call it again with valid JSON arguments.',
      ],
      [
        "arguments that break the schema",
        { name: "weather", arguments: '{"town": "Paris"}' },
        "Invalid arguments for Tool `weather`: arguments must have required property 'city'. Call it again with arguments matching its parameters schema.",
      ],
    ])("%s", async (_what, call, message) => {
      server.setReply(callToolsThen([[{ id: "bad", ...call }]], () => "ok"));
      const result = await agent().run({ messages: [ChatMessage.fromUser("x")] });
      const error = result.messages.find((m) => m.role === "tool")!.toolCallResult!;
      expect([error.result, error.error, error.origin.id]).toEqual([message, true, "bad"]);
      expect(result.last_message?.text).toBe("ok");
    });

    it("throws the typed error instead when raiseOnToolInvocationFailure is set", async () => {
      server.setReply(callToolsThen([[{ name: "search", arguments: "{}" }]], () => "ok"));
      await expect(agent({ raiseOnToolInvocationFailure: true }).run({ messages: [ChatMessage.fromUser("x")] })).rejects.toBeInstanceOf(ToolNotFoundError);
    });
  });

  it("fails a tool that never resolves after toolTimeout, without hanging the run", async () => {
    const stuck = new Tool({ name: "stuck", description: "Never answers", parameters: schema({}), function: () => new Promise<never>(() => undefined) });
    server.setReply(callToolsThen([[{ name: "stuck", arguments: "{}" }]], () => "gave up"));
    const result = await agent({ tools: [stuck], toolTimeout: 0.05 }).run({ messages: [ChatMessage.fromUser("x")] });
    expect(result.messages.find((m) => m.role === "tool")?.toolCallResult).toMatchObject({
      error: true,
      result: "Tool `stuck` did not finish within 0.05 s (the agent's toolTimeout).",
    });
    expect(result.last_message?.text).toBe("gave up");
  });

  it("runs at most toolConcurrencyLimit tool calls at once", async () => {
    let active = 0;
    let started = 0;
    let maxActive = 0;
    let waiting: (() => void)[] = [];
    const total = 5;
    const limit = 2;
    const slow = new Tool({
      name: "slow",
      description: "Waits for its batch",
      parameters: schema({ n: { type: "integer" } }),
      function: async () => {
        active++;
        started++;
        maxActive = Math.max(maxActive, active);
        // Each call waits until the limit is saturated (or no more calls can start), so an unbounded
        // scheduler would show more than `limit` calls active at once.
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          if (active === limit || started === total) {
            const release = waiting;
            waiting = [];
            release.forEach((r) => r());
          }
        });
        active--;
        return "done";
      },
    });
    server.setReply(callToolsThen([Array.from({ length: total }, (_, n) => ({ name: "slow", arguments: `{"n": ${n}}` }))], () => "all done"));
    const result = await agent({ tools: [slow], toolConcurrencyLimit: limit }).run({ messages: [ChatMessage.fromUser("x")] });
    expect(maxActive).toBe(limit);
    expect(result.tool_call_counts).toEqual({ slow: total });
  });

  it("fills declared state from tools (outputsToState) and tool arguments from state (inputsFromState)", async () => {
    const lookup = new Tool({
      name: "lookup",
      description: "Finds documents",
      parameters: schema({ query: { type: "string" } }, ["query"]),
      function: ({ query, user }) => ({ documents: [`${String(user)}: ${String(query)}`] }),
      inputsFromState: { user: "user" },
      outputsToState: { documents: { source: "documents" } },
    });
    server.setReply(callToolsThen([[{ name: "lookup", arguments: '{"query": "a"}' }], [{ name: "lookup", arguments: '{"query": "b"}' }]], () => "found"));
    const result = await agent({ tools: [lookup], stateSchema: { documents: { type: "list[str]" }, user: { type: "str" } } }).run({
      messages: [ChatMessage.fromUser("x")],
      user: "ada",
    });
    expect(result["documents"]).toEqual(["ada: a", "ada: b"]);
    expect(result["user"]).toBe("ada");
  });

  it("runs a call reading a state key after the same step's calls writing it, whatever the model's order (Haystack 3.4.1)", async () => {
    const order: string[] = [];
    const summarize = new Tool({
      name: "summarize",
      description: "Summarizes the documents found so far",
      parameters: schema({}),
      function: ({ documents }) => (order.push("summarize"), `${(documents as string[] | undefined)?.length ?? 0} documents`),
      inputsFromState: { documents: "documents" },
    });
    const search = new Tool({
      name: "search",
      description: "Finds documents",
      parameters: schema({ query: { type: "string" } }, ["query"]),
      function: ({ query }) => (order.push("search"), { documents: [`about ${String(query)}`, "more"] }),
      outputsToState: { documents: { source: "documents" } },
    });
    server.setReply(
      callToolsThen(
        [
          [
            { id: "c1", name: "summarize", arguments: "{}" },
            { id: "c2", name: "search", arguments: '{"query": "rome"}' },
          ],
        ],
        (request) =>
          toolResults(request)
            .map((m) => String(m.content))
            .join(" | "),
      ),
    );
    const chunks: StreamingChunk[] = [];
    const result = await agent({
      tools: [summarize, search],
      stateSchema: { documents: { type: "list[str]" } },
      streamingCallback: (c) => void chunks.push(c),
    }).run({
      messages: [ChatMessage.fromUser("x")],
    });
    expect(order).toEqual(["search", "summarize"]);
    // Tool messages stay in the model's call order; results stream in the order they were made.
    expect(result.last_message?.text).toBe('2 documents | {"documents": ["about rome", "more"]}');
    expect(chunks.filter((c) => c.toolCallResult !== null).map((c) => [c.index, c.toolCallResult?.origin.id])).toEqual([
      [0, "c2"],
      [1, "c1"],
    ]);
    expect(result["documents"]).toEqual(["about rome", "more"]);
  });

  it("streams the same run: the callback sees tool-call deltas and the result is unchanged", async () => {
    server.setReply(callToolsThen([[{ id: "c1", name: "weather", arguments: '{"city": "Rome"}' }]], () => "Sunny in Rome."));
    const chunks: StreamingChunk[] = [];
    const result = await agent({ streamingCallback: (c) => void chunks.push(c) }).run({ messages: [ChatMessage.fromUser("Rome?")] });
    expect(chunks.some((c) => c.toolCalls?.[0]?.toolName === "weather")).toBe(true);
    expect(chunks.map((c) => c.content).join("")).toBe("Sunny in Rome.");
    // Tool results stream too, then a chunk marking the end of the step's results (Haystack's tool_call_results).
    const results = chunks.filter((c) => c.toolCallResult !== null);
    expect(results.map((c) => [c.index, c.start, c.toolCallResult?.result, c.meta["tool_call"]])).toEqual([
      [0, true, "22 degrees in Rome", { id: "c1", tool_name: "weather", arguments: { city: "Rome" }, extra: null }],
    ]);
    expect(chunks[chunks.indexOf(results[0]!) + 1]?.finishReason).toBe("tool_call_results");
    expect(result.last_message?.text).toBe("Sunny in Rome.");
    expect(result.token_usage).toMatchObject({ total_tokens: expect.any(Number) });
  });

  it("rejects with the client's APIError when the model answers 500", async () => {
    server.failNext({ status: 500 });
    await expect(agent().run({ messages: [ChatMessage.fromUser("x")] })).rejects.toBeInstanceOf(APIError);
  });

  it("names the problem on bad configuration and input", async () => {
    expect(() => new Agent({ chatGenerator: {} as never })).toThrow(/needs chatGenerator/);
    expect(() => agent({ exitConditions: ["text", "finish"] })).toThrow(/exitConditions finish name no tool/);
    expect(() => agent({ stateSchema: { step_count: { type: "int" } } })).toThrow(/stateSchema keys step_count are reserved/);
    expect(() => agent({ maxAgentSteps: 0 })).toThrow(/maxAgentSteps must be an integer >= 1, got 0/);
    await expect(agent().run({ messages: "hi" as never })).rejects.toThrow(/'messages' must be a list of ChatMessage/);
  });
});
