import { inspect } from "node:util";
import { APIConnectionError } from "openai";
import { Pipeline } from "../../../lib/haystack/pipeline";
import { getComponentInfo } from "../../../lib/haystack/component";
import { OpenAIGenerator } from "../../../lib/haystack/components/openai-generator";
import type { GeneratorStreamingChunk as StreamingChunk } from "../../../lib/haystack";
import { Secret } from "../../../lib/haystack/secret";
import { closedPort } from "../../support/closed-port";
import { startOpenAIServer, type OpenAIServer } from "../../support/openai-server";

const KEY = "sk-test-never-print-me";

describe("OpenAIGenerator", () => {
  let server: OpenAIServer;
  const saved = { ...process.env };

  beforeEach(async () => {
    server = await startOpenAIServer({ model: "gpt-4o-mini-2024-07-18", apiKey: KEY, reply: () => "Paris is the capital." });
    process.env["OPENAI_API_KEY"] = KEY;
    delete process.env["OPENAI_BASE_URL"];
  });

  afterEach(async () => {
    process.env = { ...saved };
    await server.close();
  });

  const generator = (options: ConstructorParameters<typeof OpenAIGenerator>[0] = {}) =>
    new OpenAIGenerator({ apiBaseUrl: server.url, maxRetries: 0, ...options });

  it("returns replies and Haystack-shaped meta with the model the API reports and its full usage", async () => {
    const result = await generator().run({ prompt: "What is the capital of France?" });
    expect(result.replies).toEqual(["Paris is the capital."]);
    expect(result.meta).toEqual([
      {
        model: "gpt-4o-mini-2024-07-18",
        index: 0,
        finish_reason: "stop",
        usage: {
          prompt_tokens: 6,
          completion_tokens: 4,
          total_tokens: 10,
          prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
        },
      },
    ]);
    expect(server.requests[0]?.body).toEqual({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "What is the capital of France?" }],
      stream: false,
    });
  });

  it("reports cached prompt tokens in meta.usage", async () => {
    server.setCachedTokens(4);
    const { meta } = await generator().run({ prompt: "a b c d e f" });
    expect(meta[0]?.usage?.["prompt_tokens_details"]).toEqual({ cached_tokens: 4, audio_tokens: 0 });
  });

  it("sends the system prompt first, the run-time one over the init one", async () => {
    const llm = generator({ systemPrompt: "Be brief." });
    await llm.run({ prompt: "Hi" });
    await llm.run({ prompt: "Hi", systemPrompt: "Be verbose." });
    expect(server.requests.map((r) => r.body?.messages?.[0])).toEqual([
      { role: "system", content: "Be brief." },
      { role: "system", content: "Be verbose." },
    ]);
  });

  it("merges generation kwargs, run-time over init", async () => {
    await generator({ generationKwargs: { temperature: 0, max_tokens: 10 } }).run({ prompt: "Hi", generationKwargs: { max_tokens: 5 } });
    expect(server.requests[0]?.body).toMatchObject({ temperature: 0, max_tokens: 5 });
  });

  it("returns one reply per choice when n > 1", async () => {
    server.setReply((_req, i) => `reply ${i}`);
    const { replies, meta } = await generator({ generationKwargs: { n: 2 } }).run({ prompt: "Hi" });
    expect(replies).toEqual(["reply 0", "reply 1"]);
    expect(meta.map((m) => m.index)).toEqual([0, 1]);
  });

  it("streams chunks to the callback, assembles the reply and always requests usage", async () => {
    const chunks: StreamingChunk[] = [];
    const { replies, meta } = await generator({ streamingCallback: (c) => void chunks.push(c) }).run({ prompt: "Where?" });
    expect(replies).toEqual(["Paris is the capital."]);
    expect(chunks.map((c) => c.content).join("")).toBe("Paris is the capital.");
    expect(chunks.length).toBeGreaterThan(4);
    expect(server.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(meta).toHaveLength(1);
    expect(meta[0]).toMatchObject({ model: "gpt-4o-mini-2024-07-18", index: 0, finish_reason: "stop" });
    expect(meta[0]?.usage).toMatchObject({ prompt_tokens: 1, completion_tokens: 4, total_tokens: 5 });
    expect(Date.parse(meta[0]?.completion_start_time ?? "")).not.toBeNaN();
    expect(chunks[chunks.length - 1]?.meta.usage).toMatchObject({ total_tokens: 5 });
  });

  it("awaits an async streaming callback given at run time", async () => {
    const seen: string[] = [];
    const callback = async (c: StreamingChunk) => {
      await new Promise((r) => setTimeout(r, 1));
      seen.push(c.content);
    };
    const { replies } = await generator().run({ prompt: "x", streamingCallback: callback });
    expect(seen.join("")).toBe(replies[0]);
  });

  it("refuses to stream several choices", async () => {
    await expect(generator({ generationKwargs: { n: 2 } }).run({ prompt: "x", streamingCallback: () => undefined })).rejects.toThrow(
      /cannot stream multiple responses/,
    );
  });

  it("fails at construction naming OPENAI_API_KEY when no key is set", () => {
    delete process.env["OPENAI_API_KEY"];
    expect(() => new OpenAIGenerator()).toThrow(/OPENAI_API_KEY/);
  });

  it("uses OPENAI_BASE_URL when no apiBaseUrl is given", async () => {
    process.env["OPENAI_BASE_URL"] = server.url;
    await new OpenAIGenerator({ maxRetries: 0 }).run({ prompt: "Hi" });
    expect(server.requests).toHaveLength(1);
  });

  it("sends a token secret as the bearer key", async () => {
    delete process.env["OPENAI_API_KEY"];
    await generator({ apiKey: Secret.fromToken(KEY) }).run({ prompt: "Hi" });
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it("never exposes the key through init parameters, JSON.stringify or util.inspect", () => {
    for (const apiKey of [undefined, Secret.fromToken(KEY), KEY]) {
      const llm = apiKey === undefined ? generator() : generator({ apiKey });
      const views = [
        JSON.stringify(getComponentInfo(llm).initParameters),
        JSON.stringify(llm),
        inspect(llm),
        inspect(llm, { showHidden: true, depth: 10 }),
        String(llm.apiKey),
      ];
      for (const view of views) expect(view).not.toContain(KEY);
    }
    expect(getComponentInfo(generator({ apiKey: Secret.fromEnvVar("OPENAI_API_KEY") })).initParameters["apiKey"]).toEqual({
      type: "env_var",
      env_vars: ["OPENAI_API_KEY"],
      strict: true,
    });
  });

  it("surfaces API errors, and retries a 429 honouring Retry-After when retries are allowed", async () => {
    server.failNext({ status: 500, message: "boom" });
    await expect(generator().run({ prompt: "x" })).rejects.toThrow(/boom/);
    server.failNext({ status: 429, retryAfterMs: 10 });
    const { replies } = await generator({ maxRetries: 1 }).run({ prompt: "x" });
    expect(replies).toEqual(["Paris is the capital."]);
    expect(server.requests.filter((r) => r.path === "/v1/chat/completions")).toHaveLength(3);
  });

  it("declares its sockets and the LLM span type", () => {
    const info = getComponentInfo(generator());
    expect(info.spanType).toBe("LLM");
    expect([...info.inputs.values()].filter((s) => s.mandatory).map((s) => s.name)).toEqual(["prompt"]);
    expect(Object.fromEntries([...info.outputs].map(([k, s]) => [k, s.type]))).toEqual({ replies: "str[]", meta: "dict[]" });
  });
});

describe("OpenAIGenerator when the API cannot be reached", () => {
  it("fails with one line naming the host and the network cause, still an openai APIConnectionError", async () => {
    const port = await closedPort();
    const llm = new OpenAIGenerator({ apiKey: "sk-wrong", apiBaseUrl: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
    const error = await llm.run({ prompt: "hi" }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toBe(`OpenAIGenerator could not reach 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it("adds one line, the cause, to Haystack's pipeline error", async () => {
    const port = await closedPort();
    const pipe = new Pipeline();
    pipe.addComponent("llm", new OpenAIGenerator({ apiKey: "sk-wrong", apiBaseUrl: `http://127.0.0.1:${port}/v1`, maxRetries: 0 }));
    const error = await pipe.run({ llm: { prompt: "hi" } }).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(error?.message.split("\n")).toEqual([
      "The following component failed to run:",
      "Component name: 'llm'",
      "Component type: 'OpenAIGenerator'",
      `Error: OpenAIGenerator could not reach 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
    ]);
  });
});
