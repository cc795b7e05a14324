/**
 * A small deterministic OpenAI-compatible server on 127.0.0.1 (port 0) for specs, samples and
 * benchmarks: `POST /v1/chat/completions` as JSON or SSE, with scripted replies and tool calls
 * (streamed as OpenAI does: a start delta with id and name, then argument pieces), usage including
 * `prompt_tokens_details.cached_tokens`, injected errors (429 with Retry-After), streams cut off
 * mid-response and a record of every request. No test-framework globals, so plain ts-node scripts can use it too.
 *
 * @example
 * const server = await startOpenAIServer({ reply: () => "Paris.", cachedTokens: 4 });
 * const client = new OpenAI({ apiKey: "test", baseURL: server.url });
 * await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] });
 * server.requests[0]?.body; // { model: "gpt-4o-mini", messages: [...] }
 * await server.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleExtraRoute } from "./openai-server-extras";

/** A chat message as the server receives it. */
export interface MockChatMessage {
  role: string;
  content?: string | null | { type: string; text?: string }[];
  tool_calls?: { id?: string; type: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

/** The parsed body of a chat completion request (other fields are kept as sent). */
export interface MockChatRequest {
  model?: string;
  messages?: MockChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  n?: number;
  [key: string]: unknown;
}

/** A tool call the server answers with; `arguments` is sent verbatim (it may be malformed JSON on purpose). */
export interface MockToolCall {
  /** Default `call_<request>_<position>`. */
  id?: string;
  name: string;
  arguments: string;
}

/**
 * What a reply function returns: the text, or the text with a finish reason and tool calls
 * (the finish reason then defaults to `tool_calls`; content may be empty).
 */
export type MockReply = string | { content: string; finishReason?: "stop" | "length" | "content_filter" | "tool_calls"; toolCalls?: MockToolCall[] };

/** One recorded HTTP request. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: MockChatRequest | undefined;
}

/** An error the server answers with instead of a completion. */
export interface MockError {
  status: number;
  message?: string;
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
  /** Milliseconds, sent as `retry-after-ms` (what the openai client reads first). */
  retryAfterMs?: number;
  /** How many requests in a row fail (default 1). */
  times?: number;
}

/** Options of {@link startOpenAIServer}. */
export interface OpenAIServerOptions {
  /** Reply text per request (and choice index); default echoes the last user message. */
  reply?: (request: MockChatRequest, choiceIndex: number) => MockReply;
  /** The model name reported back; default: the requested model. */
  model?: string;
  /** `usage.prompt_tokens_details.cached_tokens` (default 0, capped at prompt_tokens). */
  cachedTokens?: number;
  /** Delay before each streamed chunk, in ms (default 0). */
  chunkDelayMs?: number;
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401. */
  apiKey?: string;
  /** Streamed tool-call arguments are split into pieces of this many characters (default 8). */
  argumentsChunkSize?: number;
}

/** A running server. */
export interface OpenAIServer {
  /** Base URL including `/v1`, for `new OpenAI({ baseURL })` or `OPENAI_BASE_URL`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  setReply(reply: OpenAIServerOptions["reply"] | string): void;
  setCachedTokens(cachedTokens: number): void;
  /** Makes the next request(s) fail with this error. */
  failNext(error: MockError): void;
  /**
   * Makes the next streamed response stop (the connection closed) after this many chunks. With
   * `after`, the connection is closed only once that promise settles: a client's stream error
   * discards chunks it has not read yet, so a test that checks what arrived before the cut waits
   * for its own callback to have seen them.
   */
  cutNextStreamAfter(chunks: number, options?: { readonly after?: Promise<unknown> }): void;
  close(): Promise<void>;
}

/** Whitespace-separated words: the mock's deterministic token count. */
export function countMockTokens(text: string): number {
  return text.split(/\s+/).filter((w) => w !== "").length;
}

function messageText(message: MockChatMessage): string {
  if (typeof message.content === "string") return message.content;
  if (Array.isArray(message.content)) return message.content.map((p) => p.text ?? "").join(" ");
  return "";
}

const echo = (request: MockChatRequest): string => {
  const users = (request.messages ?? []).filter((m) => m.role === "user");
  const last = users[users.length - 1];
  return `Echo: ${last === undefined ? "" : messageText(last)}`;
};

interface Reply {
  content: string;
  finishReason: string;
  toolCalls: Required<MockToolCall>[];
}

function usageFor(request: MockChatRequest, replies: string[], cachedTokens: number): Record<string, unknown> {
  const prompt = (request.messages ?? []).reduce((sum, m) => sum + countMockTokens(messageText(m)), 0);
  const completion = replies.reduce((sum, r) => sum + countMockTokens(r), 0);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: Math.min(cachedTokens, prompt), audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** Thrown inside the handler to drop a stream's connection mid-response. */
class StreamCut extends Error {}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Starts the server on an ephemeral loopback port.
 *
 * @example
 * const server = await startOpenAIServer();
 * process.env.OPENAI_BASE_URL = server.url;
 */
export async function startOpenAIServer(options: OpenAIServerOptions = {}): Promise<OpenAIServer> {
  let reply = options.reply ?? echo;
  let cachedTokens = options.cachedTokens ?? 0;
  const errors: MockError[] = [];
  const requests: RecordedRequest[] = [];
  let counter = 0;

  let cutAfter: number | undefined;
  let cutGate: Promise<unknown> | undefined;

  const toReply = (request: MockChatRequest, index: number, id: number): Reply => {
    const r = reply(request, index);
    if (typeof r === "string") return { content: r, finishReason: "stop", toolCalls: [] };
    const toolCalls = (r.toolCalls ?? []).map((c, i) => ({ id: c.id ?? `call_${id}_${i}`, name: c.name, arguments: c.arguments }));
    return { content: r.content, finishReason: r.finishReason ?? (toolCalls.length > 0 ? "tool_calls" : "stop"), toolCalls };
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? "").split("?")[0] ?? "";
    let body: MockChatRequest | undefined;
    try {
      body = raw === "" ? undefined : (JSON.parse(raw) as MockChatRequest);
    } catch {
      body = undefined;
    }
    requests.push({ method: req.method ?? "", path, headers: { ...req.headers }, body });
    const id = ++counter;
    const requestId = { "x-request-id": `req_mock_${id}` };

    const extra = path === "/v1/responses" || path === "/v1/embeddings";
    if (req.method !== "POST" || (path !== "/v1/chat/completions" && !extra)) {
      return sendJson(res, 404, { error: { message: `Unknown route ${req.method} ${path}`, type: "invalid_request_error" } });
    }
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendJson(res, 401, { error: { message: "Incorrect API key provided.", type: "invalid_request_error", code: "invalid_api_key" } });
    }
    const failure = errors[0];
    if (failure !== undefined) {
      if ((failure.times = (failure.times ?? 1) - 1) <= 0) errors.shift();
      const headers: Record<string, string> = { ...requestId };
      if (failure.retryAfter !== undefined) headers["retry-after"] = String(failure.retryAfter);
      if (failure.retryAfterMs !== undefined) headers["retry-after-ms"] = String(failure.retryAfterMs);
      const type = failure.status === 429 ? "rate_limit_exceeded" : "server_error";
      return sendJson(res, failure.status, { error: { message: failure.message ?? `Mock error ${failure.status}`, type, code: type } }, headers);
    }
    if (extra && body !== undefined) {
      const replyText = (messages: MockChatMessage[]): string => toReply({ ...body, messages }, 0, id).content;
      handleExtraRoute(path, body, res, {
        id,
        model: options.model ?? body.model ?? "mock-model",
        cachedTokens,
        replyText,
        countTokens: countMockTokens,
        requestId,
      });
      return;
    }
    if (body === undefined || !Array.isArray(body.messages)) {
      return sendJson(res, 400, { error: { message: "Request body must be JSON with a 'messages' array.", type: "invalid_request_error" } });
    }

    const model = options.model ?? body.model ?? "mock-model";
    const n = typeof body.n === "number" && body.n > 0 ? body.n : 1;
    const replies = Array.from({ length: n }, (_, i) => toReply(body, i, id));
    const usage = usageFor(
      body,
      replies.map((r) => [r.content, ...r.toolCalls.map((c) => c.arguments)].join(" ")),
      cachedTokens,
    );
    const base = { id: `chatcmpl-mock-${id}`, created: 1_700_000_000, model, system_fingerprint: "fp_mock" };

    if (body.stream !== true) {
      const choices = replies.map((r, index) => ({
        index,
        message: {
          role: "assistant",
          content: r.toolCalls.length > 0 && r.content === "" ? null : r.content,
          refusal: null,
          ...(r.toolCalls.length > 0
            ? { tool_calls: r.toolCalls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } })) }
            : {}),
        },
        logprobs: null,
        finish_reason: r.finishReason,
      }));
      return sendJson(res, 200, { ...base, object: "chat.completion", choices, usage, service_tier: "default" }, requestId);
    }

    const includeUsage = body.stream_options?.include_usage === true;
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", ...requestId });
    const cut = cutAfter;
    const gate = cutGate;
    cutAfter = undefined;
    cutGate = undefined;
    let sent = 0;
    const send = async (chunk: Record<string, unknown>): Promise<void> => {
      if (cut !== undefined && sent++ >= cut) {
        await gate?.catch(() => undefined);
        throw new StreamCut();
      }
      if (options.chunkDelayMs) await sleep(options.chunkDelayMs);
      const withUsage = includeUsage && !("usage" in chunk) ? { ...chunk, usage: null } : chunk;
      res.write(`data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", ...withUsage })}\n\n`);
    };
    for (const [index, r] of replies.entries()) {
      await send({ choices: [{ index, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }] });
      const words = r.content === "" && r.toolCalls.length > 0 ? [] : r.content.split(/(?<=\s)/);
      for (const word of words) {
        await send({ choices: [{ index, delta: { content: word }, logprobs: null, finish_reason: null }] });
      }
      const size = options.argumentsChunkSize ?? 8;
      for (const [position, call] of r.toolCalls.entries()) {
        const start = { index: position, id: call.id, type: "function", function: { name: call.name, arguments: "" } };
        await send({ choices: [{ index, delta: { tool_calls: [start] }, logprobs: null, finish_reason: null }] });
        for (let at = 0; at < call.arguments.length; at += size) {
          const piece = { index: position, function: { arguments: call.arguments.slice(at, at + size) } };
          await send({ choices: [{ index, delta: { tool_calls: [piece] }, logprobs: null, finish_reason: null }] });
        }
      }
      await send({ choices: [{ index, delta: {}, logprobs: null, finish_reason: r.finishReason }] });
    }
    if (includeUsage) await send({ choices: [], usage });
    res.end("data: [DONE]\n\n");
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof StreamCut)
        res.socket?.destroySoon(); // after the chunks already written are flushed
      else if (!res.headersSent) sendJson(res, 500, { error: { message: String(err), type: "server_error" } });
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    setReply(next) {
      reply = typeof next === "string" ? () => next : (next ?? echo);
    },
    setCachedTokens(next) {
      cachedTokens = next;
    },
    failNext(error) {
      errors.push({ ...error });
    },
    cutNextStreamAfter(chunks, cutOptions) {
      cutAfter = chunks;
      cutGate = cutOptions?.after;
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
