import { startOpenAIServer, type OpenAIServer } from "./openai-server";

async function post(server: OpenAIServer, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}/chat/completions`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}

describe("startOpenAIServer (test support)", () => {
  let server: OpenAIServer;
  afterEach(async () => server.close());

  it("streams word chunks without usage unless include_usage is requested, then [DONE]", async () => {
    server = await startOpenAIServer({ reply: () => "one two" });
    const text = await (await post(server, { model: "m", stream: true, messages: [{ role: "user", content: "hi" }] })).text();
    const events = text
      .trim()
      .split("\n\n")
      .map((line) => line.replace(/^data: /, ""));
    expect(events[events.length - 1]).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as { choices: { delta: { content?: string } }[]; usage?: unknown });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("one two");
    expect(chunks.some((c) => "usage" in c)).toBe(false);

    const withUsage = await (
      await post(server, { model: "m", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "hi" }] })
    ).text();
    const last = JSON.parse(
      withUsage
        .trim()
        .split("\n\n")
        .slice(-2)[0]!
        .replace(/^data: /, ""),
    ) as { choices: unknown[]; usage: { total_tokens: number } };
    expect(last.choices).toEqual([]);
    expect(last.usage.total_tokens).toBe(3);
  });

  it("answers 401 without the configured key, 404 for unknown routes, and failNext errors with Retry-After", async () => {
    server = await startOpenAIServer({ apiKey: "k" });
    expect((await post(server, { messages: [] })).status).toBe(401);
    expect((await fetch(`${server.url}/models`)).status).toBe(404);
    server.failNext({ status: 429, retryAfter: 2, times: 2 });
    const auth = { authorization: "Bearer k" };
    const first = await post(server, { messages: [] }, auth);
    expect([first.status, first.headers.get("retry-after")]).toEqual([429, "2"]);
    expect((await post(server, { messages: [] }, auth)).status).toBe(429);
    expect((await post(server, { messages: [{ role: "user", content: "x" }] }, auth)).status).toBe(200);
    expect(server.requests.map((r) => r.method)).toEqual(["POST", "GET", "POST", "POST", "POST"]);
  });
});
