import { APIError } from "openai";
import { ChatMessage, OpenAIChatGenerator, type StreamingChunk, Tool, ToolCall, type OpenAIChatGeneratorOptions } from "../../../../../lib/haystack";
import { startOpenAIServer, type MockChatRequest, type OpenAIServer } from "../../../../support/openai-server";

const weather = new Tool({
  name: "weather",
  description: "Current weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" }, unit: { type: "string", enum: ["c", "f"] } }, required: ["city"] },
  function: ({ city }) => `22 degrees in ${String(city)}`,
});
const clock = new Tool({
  name: "clock",
  description: "Local time",
  parameters: { type: "object", properties: { tz: { type: "string" } } },
  function: () => "12:00",
});

const twoCalls = {
  content: "",
  toolCalls: [
    { id: "call_w", name: "weather", arguments: '{"city": "Paris", "unit": "c"}' },
    { id: "call_c", name: "clock", arguments: '{"tz": "Europe/Paris"}' },
  ],
};

describe("OpenAIChatGenerator against the loopback OpenAI server", () => {
  let server: OpenAIServer;
  const generator = (options: OpenAIChatGeneratorOptions = {}) =>
    new OpenAIChatGenerator({ apiKey: "test", apiBaseUrl: server.url, maxRetries: 0, ...options });

  beforeEach(async () => {
    server = await startOpenAIServer({ model: "gpt-4o-mini-2024-07-18", cachedTokens: 2 });
  });
  afterEach(async () => server.close());

  it("takes a plain string as one user message and returns ChatMessage replies with model, finish reason and full usage", async () => {
    server.setReply("Paris is the capital.");
    const { replies } = await generator({ generationKwargs: { temperature: 0 } }).run({ messages: "What is the capital of France?" });
    expect(server.requests[0]?.body).toMatchObject({
      model: "gpt-4o-mini",
      n: 1,
      temperature: 0,
      stream: false,
      messages: [{ role: "user", content: "What is the capital of France?" }],
    });
    expect(replies).toHaveLength(1);
    expect(replies[0]!.role).toBe("assistant");
    expect(replies[0]!.text).toBe("Paris is the capital.");
    expect(replies[0]!.meta).toMatchObject({
      model: "gpt-4o-mini-2024-07-18",
      index: 0,
      finish_reason: "stop",
      usage: { prompt_tokens: 6, completion_tokens: 4, total_tokens: 10, prompt_tokens_details: { cached_tokens: 2 } },
    });
  });

  it("sends tools as OpenAI function tools and returns parallel tool calls with parsed arguments", async () => {
    server.setReply(() => twoCalls);
    const { replies } = await generator({ tools: [weather, clock] }).run({ messages: [ChatMessage.fromUser("Weather and time in Paris?")] });
    expect(server.requests[0]?.body?.["tools"]).toEqual([
      { type: "function", function: weather.toolSpec },
      { type: "function", function: clock.toolSpec },
    ]);
    expect(replies[0]!.text).toBeNull();
    expect(replies[0]!.meta["finish_reason"]).toBe("tool_calls");
    expect(replies[0]!.toolCalls.map((c) => c.toDict())).toEqual([
      { id: "call_w", tool_name: "weather", arguments: { city: "Paris", unit: "c" }, extra: null },
      { id: "call_c", tool_name: "clock", arguments: { tz: "Europe/Paris" }, extra: null },
    ]);
  });

  it("makes tool schemas strict when toolsStrict is set (run-time value over the constructor's)", async () => {
    server.setReply("ok");
    await generator({ tools: [clock] }).run({ messages: "x", toolsStrict: true });
    expect(server.requests[0]?.body?.["tools"]).toEqual([
      {
        type: "function",
        function: {
          ...clock.toolSpec,
          strict: true,
          parameters: { type: "object", properties: { tz: { type: "string" } }, required: ["tz"], additionalProperties: false },
        },
      },
    ]);
  });

  it("sends a tool round trip back in OpenAI's shape: assistant tool_calls, then tool messages with their call ids", async () => {
    server.setReply("It is 22 degrees.");
    const call = new ToolCall({ id: "call_w", toolName: "weather", arguments: { city: "Paris" } });
    await generator().run({
      messages: [ChatMessage.fromUser("Weather?"), ChatMessage.fromAssistant(null, { toolCalls: [call] }), ChatMessage.fromTool("22 degrees", call)],
    });
    expect((server.requests[0]?.body as MockChatRequest).messages).toEqual([
      { role: "user", content: "Weather?" },
      { role: "assistant", tool_calls: [{ id: "call_w", type: "function", function: { name: "weather", arguments: '{"city": "Paris"}' } }] },
      { role: "tool", content: "22 degrees", tool_call_id: "call_w" },
    ]);
  });

  it("streams tool-call deltas to the callback, assembles the same tool calls, and always requests usage", async () => {
    server.setReply(() => twoCalls);
    const chunks: StreamingChunk[] = [];
    const { replies } = await generator({ tools: [weather, clock] }).run({
      messages: "Weather and time?",
      streamingCallback: (chunk) => void chunks.push(chunk),
    });
    expect(server.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const starts = chunks.filter((c) => c.start && c.toolCalls !== null);
    expect(starts.map((c) => c.toolCalls![0]!.toolName)).toEqual(["weather", "clock"]);
    expect(chunks.filter((c) => c.toolCalls !== null).length).toBeGreaterThan(4);
    expect(replies[0]!.toolCalls.map((c) => [c.id, c.toolName, c.arguments])).toEqual([
      ["call_w", "weather", { city: "Paris", unit: "c" }],
      ["call_c", "clock", { tz: "Europe/Paris" }],
    ]);
    expect(replies[0]!.meta).toMatchObject({
      finish_reason: "tool_calls",
      model: "gpt-4o-mini-2024-07-18",
      usage: { prompt_tokens: 3, prompt_tokens_details: { cached_tokens: 2 } },
    });
    expect(typeof replies[0]!.meta["completion_start_time"]).toBe("string");
  });

  it("streams text into one reply whose chunks concatenate to it", async () => {
    server.setReply("one two three");
    const texts: string[] = [];
    const { replies } = await generator().run({ messages: "count", streamingCallback: async (chunk) => void texts.push(chunk.content) });
    expect(texts.join("")).toBe("one two three");
    expect(replies[0]!.text).toBe("one two three");
    expect(replies[0]!.meta["usage"]).toMatchObject({ completion_tokens: 3 });
  });

  it("keeps a tool call with malformed JSON arguments, marked with the raw text, so an agent can answer with an error", async () => {
    server.setReply(() => ({ content: "", toolCalls: [{ id: "call_bad", name: "weather", arguments: '{"city": "Par' }] }));
    const { replies } = await generator({ tools: [weather] }).run({ messages: "x" });
    expect(replies[0]!.toolCall?.toDict()).toEqual({ id: "call_bad", tool_name: "weather", arguments: {}, extra: { invalid_arguments: '{"city": "Par' } });
  });

  it("rejects with the openai client's APIError on a 500 from the model", async () => {
    server.failNext({ status: 500, message: "upstream exploded" });
    const run = generator().run({ messages: "x" });
    await expect(run).rejects.toBeInstanceOf(APIError);
    await expect(run).rejects.toMatchObject({ status: 500 });
  });

  it("rejects, without hanging, when the stream is cut off in the middle of a tool call", async () => {
    server.setReply(() => twoCalls);
    let sawToolCall!: () => void;
    server.cutNextStreamAfter(4, { after: new Promise<void>((resolve) => (sawToolCall = resolve)) });
    const chunks: StreamingChunk[] = [];
    const onChunk = (c: StreamingChunk): void => {
      chunks.push(c);
      if (c.toolCalls !== null) sawToolCall();
    };
    await expect(generator({ tools: [weather, clock] }).run({ messages: "x", streamingCallback: onChunk })).rejects.toThrow();
    expect(chunks.some((c) => c.toolCalls !== null)).toBe(true);
  });

  it("names the problem on bad input", async () => {
    const llm = generator();
    await expect(llm.run({ messages: [{ role: "user", content: "hi" }] as unknown as ChatMessage[] })).rejects.toThrow(
      /must be a list of ChatMessage .* or a string/,
    );
    await expect(llm.run({ messages: "x", generationKwargs: { n: 2 }, streamingCallback: () => undefined })).rejects.toThrow(
      /cannot stream multiple responses/,
    );
    expect(() => generator({ tools: [weather, weather] })).toThrow(/Duplicate tool names found: weather/);
    expect(server.requests).toHaveLength(0);
  });
});
