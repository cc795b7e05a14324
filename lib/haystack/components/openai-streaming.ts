/**
 * Assembles an OpenAI chat completion stream into Haystack's generator output, calling the
 * user's streaming callback once per chunk (awaited, so a slow consumer applies back-pressure).
 */
import type { ChatCompletion, ChatCompletionChunk } from "openai/resources/chat/completions";

/** Usage as OpenAI reports it (`prompt_tokens`, `completion_tokens`, `total_tokens`, details). */
export type OpenAIUsage = Record<string, unknown>;

/** One streamed piece of a reply, as Haystack's `StreamingChunk` (`OpenAIGenerator`'s; the chat components use the `StreamingChunk` class). */
export interface GeneratorStreamingChunk {
  content: string;
  meta: {
    model: string;
    index: number;
    finish_reason: string | null;
    /** ISO time the chunk arrived. */
    received_at: string;
    /** Only on the final usage chunk. */
    usage?: OpenAIUsage;
  };
}

/** Receives each streamed chunk; may be async. */
export type GeneratorStreamingCallback = (chunk: GeneratorStreamingChunk) => unknown;

/** Per-reply metadata, shaped like Haystack's generator `meta` entries. */
export interface GeneratorReplyMeta {
  /** The model as the API reports it (often a dated snapshot of the requested one). */
  model: string;
  index: number;
  finish_reason: string | null;
  /** OpenAI's usage object, verbatim; null when the server sent none. */
  usage: OpenAIUsage | null;
  /** Streaming only: when the first chunk arrived (a time-to-first-token signal). */
  completion_start_time?: string;
  logprobs?: unknown;
}

/** The generator's outputs. */
export interface OpenAIGeneratorOutputs {
  replies: string[];
  meta: GeneratorReplyMeta[];
}

/** Converts a non-streamed completion: one reply and one meta entry per choice. */
export function fromCompletion(completion: ChatCompletion): OpenAIGeneratorOutputs {
  const usage = completion.usage ? ({ ...completion.usage } as OpenAIUsage) : null;
  const replies: string[] = [];
  const meta: GeneratorReplyMeta[] = [];
  for (const choice of completion.choices) {
    replies.push(choice.message?.content ?? "");
    const entry: GeneratorReplyMeta = { model: completion.model, index: choice.index, finish_reason: choice.finish_reason ?? null, usage };
    if (choice.logprobs) entry.logprobs = choice.logprobs;
    meta.push(entry);
  }
  return { replies, meta };
}

/** Consumes a stream, forwarding chunks to `callback`, and returns the assembled reply. */
export async function fromStream(stream: AsyncIterable<ChatCompletionChunk>, callback: GeneratorStreamingCallback): Promise<OpenAIGeneratorOutputs> {
  let text = "";
  let model = "";
  let finishReason: string | null = null;
  let usage: OpenAIUsage | null = null;
  let startTime: string | undefined;
  for await (const chunk of stream) {
    const receivedAt = new Date().toISOString();
    startTime ??= receivedAt;
    model = chunk.model || model;
    const choice = chunk.choices[0];
    const content = choice?.delta?.content ?? "";
    text += content;
    if (choice?.finish_reason) finishReason = choice.finish_reason;
    if (chunk.usage) usage = { ...chunk.usage };
    const meta: GeneratorStreamingChunk["meta"] = { model, index: choice?.index ?? 0, finish_reason: choice?.finish_reason ?? null, received_at: receivedAt };
    if (chunk.usage) meta.usage = { ...chunk.usage };
    await callback({ content, meta });
  }
  const entry: GeneratorReplyMeta = { model, index: 0, finish_reason: finishReason, usage };
  if (startTime !== undefined) entry.completion_start_time = startTime;
  return { replies: [text], meta: [entry] };
}
