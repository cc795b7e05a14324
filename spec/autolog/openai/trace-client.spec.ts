import OpenAI, { APIError, APIUserAbortError } from "openai";
import * as mlflow from "../../../lib/index";
import type { Span } from "../../../lib/index";
import { startOpenAIServer, type OpenAIServer } from "../../support/openai-server";
import { setOpenAIAutolog } from "../../../lib/autolog/openai/switch";
import { collectTraces, onlySpan, type Collector } from "./trace-support";

const MODEL = "gpt-4o-mini-2024-07-18";
const weather = {
  type: "function" as const,
  function: {
    name: "weather",
    description: "Weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

let server: OpenAIServer;
let raw: OpenAI;
let client: OpenAI;
let collector: Collector;

beforeEach(async () => {
  server = await startOpenAIServer({ model: MODEL, cachedTokens: 2, reply: () => "Sunny in Paris today." });
  raw = new OpenAI({ apiKey: "test", baseURL: server.url, maxRetries: 0 });
  client = mlflow.openai.trace(raw);
  collector = collectTraces();
});
afterEach(async () => {
  collector.stop();
  await server.close();
});

const host = (): string => new URL(server.url).host;
const user = (content: string) => [{ role: "user" as const, content }];
const eventValues = (span: Span) =>
  span.events
    .filter((e) => e.name.startsWith("mlflow.chunk.item."))
    .map((e) => JSON.parse(String(e.attributes["mlflow.chunk.value"])) as Record<string, unknown>);

describe("mlflow.openai.trace(client): chat.completions.create", () => {
  it("records a CHAT_MODEL span with the request as inputs, the completion as outputs, model, provider, usage with cached tokens and cost", async () => {
    const body = { model: "gpt-4o-mini", messages: user("Weather in Paris?"), temperature: 0 };
    const completion = await client.chat.completions.create(body);
    expect(completion.choices[0]?.message.content).toBe("Sunny in Paris today.");
    const span = onlySpan(collector.traces[0]);
    expect(span).toMatchObject({ name: "Completions", spanType: "CHAT_MODEL", parentId: null, status: { code: "OK" } });
    expect(span.inputs).toEqual(body);
    expect(span.outputs).toMatchObject({
      object: "chat.completion",
      model: MODEL,
      choices: [{ message: { role: "assistant", content: "Sunny in Paris today." }, finish_reason: "stop" }],
    });
    expect(span.attributes).toMatchObject({
      "mlflow.message.format": "openai",
      "mlflow.llm.model": MODEL,
      "mlflow.llm.provider": host(),
      "mlflow.chat.tokenUsage": { input_tokens: 3, output_tokens: 4, total_tokens: 7, cache_read_input_tokens: 2 },
      model: "gpt-4o-mini",
      temperature: 0,
    });
    // gpt-4o-mini: $0.15 / 1M input ($0.075 cached), $0.60 / 1M output.
    expect(span.attributes["mlflow.llm.cost"]).toEqual({ input_cost: 3.0e-7, output_cost: 2.4e-6, total_cost: 2.7e-6 });
    expect(collector.traces[0]!.info.tokenUsage).toMatchObject({ inputTokens: 3, outputTokens: 4, totalTokens: 7, cacheReadInputTokens: 2 });
  });

  it("returns what the untraced client returns, keeps withResponse(), and leaves the client passed in untraced", async () => {
    const traced = await client.chat.completions.create({ model: "m", messages: user("hi") }).withResponse();
    const untraced = await raw.chat.completions.create({ model: "m", messages: user("hi") }).withResponse();
    expect({ ...traced.data, id: "" }).toEqual({ ...untraced.data, id: "" });
    expect(traced.request_id).toMatch(/^req_mock_/);
    expect((traced.data as { _request_id?: unknown })._request_id).toBe(traced.request_id);
    expect(collector.traces).toHaveLength(1);
    expect(client).toBeInstanceOf(OpenAI);
    expect(client.baseURL).toBe(server.url);
    expect(mlflow.openai.trace(client)).toBe(client);
  });

  it("traces the client withOptions() returns too, and leaves methods it does not trace working (bound to the client)", async () => {
    await client.withOptions({ timeout: 5_000 }).chat.completions.create({ model: "m", messages: user("hi") });
    expect(onlySpan(collector.traces[0]).name).toBe("Completions");
    const models = await client.models.list().catch((e: unknown) => e);
    expect((models as APIError).status).toBe(404);
    expect(collector.traces).toHaveLength(1);
  });

  it("records tools as mlflow.chat.tools and the tool calls in the outputs", async () => {
    server.setReply(() => ({ content: "", toolCalls: [{ name: "weather", arguments: '{"city":"Paris"}' }] }));
    await client.chat.completions.create({ model: "gpt-4o-mini", messages: user("Weather?"), tools: [weather] });
    const span = onlySpan(collector.traces[0]);
    expect(span.attributes["mlflow.chat.tools"]).toEqual([weather]);
    expect(span.outputs).toMatchObject({
      choices: [{ message: { tool_calls: [{ type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } }] }, finish_reason: "tool_calls" }],
    });
  });

  it("records response_format, and chat.completions.parse as one span whose outputs hold the parsed content", async () => {
    server.setReply('{"city":"Paris","sunny":true}');
    const response_format = {
      type: "json_schema" as const,
      json_schema: { name: "w", schema: { type: "object", properties: { city: { type: "string" }, sunny: { type: "boolean" } } } },
    };
    const parsed = await client.chat.completions.parse({ model: "gpt-4o-mini", messages: user("Weather?"), response_format });
    expect(parsed.choices[0]?.message.parsed).toEqual({ city: "Paris", sunny: true });
    const span = onlySpan(collector.traces[0]);
    expect(span.attributes["response_format"]).toEqual(response_format);
    expect(span.outputs).toMatchObject({ choices: [{ message: { parsed: { city: "Paris", sunny: true } } }] });
  });

  it("nests under the active span", async () => {
    await mlflow.startSpan({ name: "answer", spanType: mlflow.SpanType.CHAIN }, () => client.chat.completions.create({ model: "m", messages: user("hi") }));
    const [outer, inner] = collector.traces[0]!.data.spans;
    expect(inner).toMatchObject({ name: "Completions", parentId: outer!.spanId });
  });

  it("makes the span ERROR on an HTTP error and rethrows the client's own error", async () => {
    server.failNext({ status: 500, message: "boom" });
    const error: unknown = await client.chat.completions.create({ model: "m", messages: user("hi") }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(500);
    const trace = await (collector.traces[0] ? Promise.resolve(collector.traces[0]) : collector.next());
    const span = onlySpan(trace);
    expect(span.status).toEqual({ code: "ERROR", description: expect.stringContaining("500") as string });
    expect(span.events.find((e) => e.name === "exception")?.attributes["exception.type"]).toBe("InternalServerError");
  });

  it("makes the span ERROR when the caller aborts the request, and the caller gets APIUserAbortError", async () => {
    const controller = new AbortController();
    controller.abort();
    const done = collector.next();
    await expect(client.chat.completions.create({ model: "m", messages: user("hi") }, { signal: controller.signal })).rejects.toBeInstanceOf(APIUserAbortError);
    expect(onlySpan(await done).status.code).toBe("ERROR");
  });
});

describe("mlflow.openai.trace(client): streams", () => {
  const streamBody = { model: "gpt-4o-mini", messages: user("Weather?"), stream: true as const, stream_options: { include_usage: true } };

  it("keeps the span open until the stream ends, records chunks as events, the assembled completion and the final chunk's usage", async () => {
    const stream = await client.chat.completions.create(streamBody);
    expect(collector.traces).toHaveLength(0);
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("Sunny in Paris today.");
    const span = onlySpan(collector.traces[0]);
    expect(span.outputs).toMatchObject({
      object: "chat.completion",
      model: MODEL,
      choices: [{ index: 0, message: { role: "assistant", content: "Sunny in Paris today." }, finish_reason: "stop" }],
    });
    expect(span.attributes).toMatchObject({
      "mlflow.chat.tokenUsage": { input_tokens: 1, output_tokens: 4, total_tokens: 5, cache_read_input_tokens: 1 },
      "openai.stream.end": "completed",
      "openai.stream.chunks": 7,
      stream: true,
    });
    expect(
      eventValues(span)
        .map((c) => (c["choices"] as { delta?: { content?: string } }[])[0]?.delta?.content ?? "")
        .join(""),
    ).toBe("Sunny in Paris today.");
    expect(span.attributes["mlflow.llm.cost"]).toBeDefined();
  });

  it("assembles streamed tool calls", async () => {
    server.setReply(() => ({ content: "", toolCalls: [{ name: "weather", arguments: '{"city":"Paris"}' }] }));
    const stream = await client.chat.completions.create({ ...streamBody, tools: [weather] });
    for await (const chunk of stream) void chunk;
    expect(onlySpan(collector.traces[0]).outputs).toMatchObject({
      choices: [
        {
          message: { content: null, tool_calls: [{ id: "call_1_0", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } }] },
          finish_reason: "tool_calls",
        },
      ],
    });
  });

  it("ends the span when the consumer breaks out of the loop, and aborts the request as the untraced stream does", async () => {
    const stream = await client.chat.completions.create(streamBody);
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) break;
    expect(stream.controller.signal.aborted).toBe(true);
    const span = onlySpan(collector.traces[0]);
    expect(span.status.code).toBe("OK");
    expect(span.attributes).toMatchObject({ "openai.stream.end": "cancelled", "openai.stream.chunks": 2 });
    expect(span.outputs).toMatchObject({ choices: [{ message: { content: "Sunny " } }] });
  });

  it("makes the span ERROR when controller.abort() stops the stream, which ends quietly for the consumer as untraced", async () => {
    const slow = await startOpenAIServer({ chunkDelayMs: 20, reply: () => "Sunny in Paris today." });
    const stream = await mlflow.openai.trace(new OpenAI({ apiKey: "test", baseURL: slow.url, maxRetries: 0 })).chat.completions.create(streamBody);
    const seen: string[] = [];
    for await (const chunk of stream) {
      seen.push(chunk.choices[0]?.delta.content ?? "");
      if (seen.length === 2) stream.controller.abort();
    }
    await slow.close();
    expect(seen).toEqual(["", "Sunny "]);
    const span = onlySpan(collector.traces[0]);
    expect(span.status).toEqual({ code: "ERROR", description: expect.stringContaining("aborted") as string });
    expect(span.attributes["openai.stream.end"]).toBe("aborted");
  });

  it("makes the span ERROR when the server cuts the stream, and the consumer gets the client's error", async () => {
    // The cut waits for the first chunk to reach the consumer: cut earlier, Node 24's fetch can fail
    // `create()` itself, before the stream exists.
    let sawChunk: () => void = () => undefined;
    server.cutNextStreamAfter(3, { after: new Promise<void>((resolve) => (sawChunk = resolve)) });
    const stream = await client.chat.completions.create(streamBody);
    const error: unknown = await (async () => {
      for await (const chunk of stream) {
        void chunk;
        sawChunk();
      }
    })().catch((e: unknown) => e);
    expect((error as Error).message).toBe("terminated");
    const span = onlySpan(collector.traces[0]);
    expect(span.status.code).toBe("ERROR");
    expect(span.attributes["openai.stream.end"]).toBe("error");
  });

  it("tee() gives both branches every chunk and the span ends once, with all of them", async () => {
    const [left, right] = (await client.chat.completions.create(streamBody)).tee();
    const read = async (s: AsyncIterable<OpenAI.Chat.ChatCompletionChunk>): Promise<string> => {
      let text = "";
      for await (const chunk of s) text += chunk.choices[0]?.delta.content ?? "";
      return text;
    };
    expect(await Promise.all([read(left), read(right)])).toEqual(["Sunny in Paris today.", "Sunny in Paris today."]);
    expect(onlySpan(collector.traces[0]).attributes["openai.stream.chunks"]).toBe(7);
  });

  it("toReadableStream() carries every chunk and ends the span", async () => {
    const readable = (await client.chat.completions.create(streamBody)).toReadableStream();
    const lines = (await new Response(readable).text()).trim().split("\n");
    expect(lines).toHaveLength(7);
    expect(onlySpan(collector.traces[0]).attributes["openai.stream.end"]).toBe("completed");
  });

  it("ends the span of a response nobody reads after abandonAfterMs, marked abandoned; read later, it is still the client's", async () => {
    const impatient = mlflow.openai.trace(new OpenAI({ apiKey: "test", baseURL: server.url, maxRetries: 0 }), { abandonAfterMs: 20 });
    const done = collector.next();
    const pending = impatient.chat.completions.create({ model: MODEL, messages: user("hi") });
    const span = onlySpan(await done);
    expect(span.attributes["openai.abandoned"]).toBe("idle 20 ms");
    expect((await pending).choices[0]?.message.content).toBe("Sunny in Paris today.");
  });

  it("ends the span of a stream nobody reads after abandonAfterMs, marked abandoned", async () => {
    const impatient = mlflow.openai.trace(new OpenAI({ apiKey: "test", baseURL: server.url, maxRetries: 0 }), { abandonAfterMs: 20 });
    const done = collector.next();
    const stream = await impatient.chat.completions.create(streamBody);
    const span = onlySpan(await done);
    expect(span.attributes["openai.abandoned"]).toBe("idle 20 ms");
    stream.controller.abort();
  });
});

describe("mlflow.openai.trace(client): Responses API and embeddings", () => {
  it("records responses.create as CHAT_MODEL with the response, usage and cached tokens", async () => {
    const response = await client.responses.create({ model: "gpt-4o-mini", input: "Weather in Paris?" });
    expect(response.output_text).toBe("Sunny in Paris today.");
    const span = onlySpan(collector.traces[0]);
    expect(span).toMatchObject({ name: "Responses", spanType: "CHAT_MODEL", inputs: { model: "gpt-4o-mini", input: "Weather in Paris?" } });
    expect(span.outputs).toMatchObject({ object: "response", output: [{ type: "message", content: [{ text: "Sunny in Paris today." }] }] });
    expect(span.attributes).toMatchObject({
      "mlflow.message.format": "openai",
      "mlflow.llm.model": MODEL,
      "mlflow.chat.tokenUsage": { input_tokens: 3, output_tokens: 4, total_tokens: 7, cache_read_input_tokens: 2 },
    });
  });

  it("records a streamed responses.create with the completed response as outputs", async () => {
    const stream = await client.responses.create({ model: "gpt-4o-mini", input: "Weather in Paris?", stream: true });
    let text = "";
    for await (const event of stream) if (event.type === "response.output_text.delta") text += event.delta;
    expect(text).toBe("Sunny in Paris today.");
    const span = onlySpan(collector.traces[0]);
    expect(span.outputs).toMatchObject({ object: "response", status: "completed", output: [{ content: [{ text: "Sunny in Paris today." }] }] });
    expect(span.attributes).toMatchObject({
      "mlflow.chat.tokenUsage": { input_tokens: 3, output_tokens: 4, total_tokens: 7 },
      "openai.stream.end": "completed",
    });
  });

  it("records embeddings.create as an EMBEDDING span", async () => {
    const result = await client.embeddings.create({ model: "text-embedding-3-small", input: ["one two", "three"] });
    expect(result.data.map((d) => d.embedding.map((x) => Math.round(x * 100) / 100))).toEqual([
      [0.07, 0, 0.5],
      [0.05, 0.1, 0.5],
    ]);
    const span = onlySpan(collector.traces[0]);
    expect(span).toMatchObject({ name: "Embeddings", spanType: "EMBEDDING", inputs: { model: "text-embedding-3-small", input: ["one two", "three"] } });
    expect(span.attributes["mlflow.llm.model"]).toBe(MODEL);
    expect(span.attributes["mlflow.message.format"]).toBeUndefined();
    expect(span.outputs).toMatchObject({ object: "list", data: [{ index: 0, embedding: result.data[0]!.embedding }, { index: 1 }] });
  });
});

describe("mlflow.openai.autolog", () => {
  afterEach(() => setOpenAIAutolog(undefined));

  it("{ disable: true } stops tracing clients passed to trace, and autolog() turns it back on", async () => {
    mlflow.openai.autolog({ disable: true });
    expect(mlflow.openai.isAutologEnabled()).toBe(false);
    await client.chat.completions.create({ model: "m", messages: user("hi") });
    expect(collector.traces).toHaveLength(0);
    mlflow.openai.autolog();
    expect(mlflow.openai.isAutologEnabled()).toBe(true);
    await client.chat.completions.create({ model: "m", messages: user("hi") });
    expect(collector.traces).toHaveLength(1);
  });

  it("rejects options that are not an object with a message naming the fix", () => {
    expect(() => mlflow.openai.autolog(true as unknown as object)).toThrow(
      "mlflow.openai.autolog: expected an options object such as { disable: … }, got true (a boolean)",
    );
    expect(() => mlflow.openai.autolog({ disabled: true } as never)).toThrow("mlflow.openai.autolog: unknown option `disabled`; did you mean `disable`?");
    expect(() => mlflow.openai.autolog({ logTraces: "false" } as never)).toThrow(
      'mlflow.openai.autolog: expected `logTraces` to be true or false, got "false"',
    );
    expect(() => mlflow.openai.trace({} as OpenAI)).toThrow(/expected an OpenAI client with chat.completions.create/);
    expect(() => mlflow.openai.trace(raw, { abandonAfterMs: 0 })).toThrow(/abandonAfterMs.*between 1 and/);
  });
});
