/**
 * The loopback OpenAI-compatible server's other routes: `POST /v1/responses` (JSON, or SSE events as
 * OpenAI sends them: created, output text deltas, the finished output item, completed with usage)
 * and `POST /v1/embeddings` (deterministic vectors, as floats or base64 float32). Replies reuse the chat server's reply function,
 * with the request's `input` as the user message.
 */
import type { ServerResponse } from "node:http";

/** What the chat server hands to these routes. */
export interface ExtraRouteContext {
  readonly id: number;
  readonly model: string;
  readonly cachedTokens: number;
  readonly replyText: (messages: { role: string; content: string }[]) => string;
  readonly countTokens: (text: string) => number;
  readonly requestId: Record<string, string>;
}

function inputText(input: unknown): string {
  if (typeof input === "string") return input;
  if (!Array.isArray(input)) return "";
  return input
    .map((item: { content?: unknown }) =>
      typeof item?.content === "string" ? item.content : Array.isArray(item?.content) ? item.content.map((p: { text?: string }) => p.text ?? "").join(" ") : "",
    )
    .join(" ");
}

/** Answers `/v1/responses` or `/v1/embeddings`; returns false for any other path. */
export function handleExtraRoute(path: string, body: Record<string, unknown>, res: ServerResponse, ctx: ExtraRouteContext): boolean {
  if (path === "/v1/embeddings") {
    const inputs = Array.isArray(body["input"]) ? (body["input"] as unknown[]) : [body["input"]];
    const tokens = inputs.reduce<number>((sum, text) => sum + ctx.countTokens(String(text)), 0);
    const vector = (text: unknown, index: number): number[] => [String(text).length / 100, index / 10, 0.5];
    // The Node client asks for base64 (little-endian float32) unless told otherwise, as OpenAI's API allows.
    const encode = (v: number[]): string => Buffer.from(new Float32Array(v).buffer).toString("base64");
    const data = inputs.map((text, index) => ({
      object: "embedding",
      index,
      embedding: body["encoding_format"] === "base64" ? encode(vector(text, index)) : vector(text, index),
    }));
    res.writeHead(200, { "content-type": "application/json", ...ctx.requestId });
    res.end(JSON.stringify({ object: "list", data, model: ctx.model, usage: { prompt_tokens: tokens, total_tokens: tokens } }));
    return true;
  }
  if (path !== "/v1/responses") return false;
  const text = ctx.replyText([{ role: "user", content: inputText(body["input"]) }]);
  const prompt = ctx.countTokens(inputText(body["input"])) + ctx.countTokens(typeof body["instructions"] === "string" ? body["instructions"] : "");
  const completion = ctx.countTokens(text);
  const usage = {
    input_tokens: prompt,
    input_tokens_details: { cached_tokens: Math.min(ctx.cachedTokens, prompt) },
    output_tokens: completion,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: prompt + completion,
  };
  const item = { id: `msg_mock_${ctx.id}`, type: "message", status: "completed", role: "assistant", content: [{ type: "output_text", text, annotations: [] }] };
  const response = { id: `resp_mock_${ctx.id}`, object: "response", created_at: 1_700_000_000, status: "completed", model: ctx.model, output: [item], usage };
  if (body["stream"] !== true) {
    res.writeHead(200, { "content-type": "application/json", ...ctx.requestId });
    res.end(JSON.stringify(response));
    return true;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", ...ctx.requestId });
  let sequence = 0;
  const send = (event: Record<string, unknown>): void => {
    res.write(`event: ${String(event["type"])}\ndata: ${JSON.stringify({ ...event, sequence_number: sequence++ })}\n\n`);
  };
  send({ type: "response.created", response: { ...response, status: "in_progress", output: [], usage: null } });
  for (const word of text.split(/(?<=\s)/)) send({ type: "response.output_text.delta", item_id: item.id, output_index: 0, content_index: 0, delta: word });
  send({ type: "response.output_item.done", output_index: 0, item });
  send({ type: "response.completed", response });
  res.end();
  return true;
}
