/**
 * OpenAI Chat Completions responses → Haystack 3.4 `ChatMessage`s and `StreamingChunk`s, as
 * `components/generators/chat/openai.py` and `generators/utils.py` convert them.
 *
 * One deliberate difference: tool-call arguments that are not valid JSON are kept (Haystack drops
 * the call with a warning) as a `ToolCall` with empty arguments and `extra.invalid_arguments`
 * holding the raw text, so the agent can send the model an error result and let it retry.
 */
import type { ChatCompletion, ChatCompletionChunk } from "openai/resources/chat/completions";
import { reportOnce } from "../../../../internal/diagnostics";
import { ChatMessage } from "../../../dataclasses/chat-message";
import { ToolCall, type JsonObject } from "../../../dataclasses/content-parts";
import { StreamingChunk, ToolCallDelta, type FinishReason, type StreamingComponentInfo } from "../../../dataclasses/streaming-chunk";

/** The `extra` key of a tool call whose arguments were not valid JSON (the raw text is its value). */
export const INVALID_ARGUMENTS_KEY = "invalid_arguments";

const FINISH_REASONS: Record<string, FinishReason> = {
  stop: "stop",
  length: "length",
  content_filter: "content_filter",
  tool_calls: "tool_calls",
  function_call: "tool_calls",
};

/** Builds a `ToolCall` from the model's raw arguments text. */
export function toolCallFromOpenAI(id: string | null, name: string, raw: string | null | undefined): ToolCall {
  if (raw === null || raw === undefined || raw === "") return new ToolCall({ id, toolName: name, arguments: {} });
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return new ToolCall({ id, toolName: name, arguments: parsed as JsonObject });
  } catch {
    // falls through to the invalid-arguments call below
  }
  reportOnce(
    "haystack.openai-chat.invalid-tool-arguments",
    "warn",
    `The model sent tool call arguments that are not a JSON object (tool '${name}'); the call gets an error result asking it to retry. Set toolsStrictMode: true to make OpenAI always send valid JSON.`,
  );
  return new ToolCall({ id, toolName: name, arguments: {}, extra: { [INVALID_ARGUMENTS_KEY]: raw } });
}

function plain(value: unknown): JsonObject | null {
  return value === null || value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonObject);
}

/** One assistant message per choice, `meta` holding model, index, finish reason and the usage object verbatim. */
export function completionToMessages(completion: ChatCompletion): ChatMessage[] {
  return completion.choices.map((choice) => {
    const toolCalls: ToolCall[] = [];
    for (const call of choice.message.tool_calls ?? []) {
      if (call.type === "function") toolCalls.push(toolCallFromOpenAI(call.id, call.function.name, call.function.arguments));
    }
    const meta: JsonObject = { model: completion.model, index: choice.index, finish_reason: choice.finish_reason ?? null, usage: plain(completion.usage) };
    if (choice.logprobs) meta["logprobs"] = plain(choice.logprobs);
    return ChatMessage.fromAssistant(choice.message.content ?? null, { toolCalls, meta });
  });
}

/** Collects a stream's chunks (converting each as it arrives) and assembles the reply at the end. */
export class StreamAssembler {
  readonly #chunks: StreamingChunk[] = [];

  constructor(private readonly componentInfo: StreamingComponentInfo | null) {}

  /** Converts one OpenAI chunk, remembers it and returns it (for the user's callback). */
  push(chunk: ChatCompletionChunk): StreamingChunk {
    const converted = this.#convert(chunk);
    this.#chunks.push(converted);
    return converted;
  }

  #convert(chunk: ChatCompletionChunk): StreamingChunk {
    const receivedAt = new Date().toISOString();
    const usage = plain(chunk.usage);
    const choice = chunk.choices[0];
    if (choice === undefined) {
      return new StreamingChunk({ componentInfo: this.componentInfo, meta: { model: chunk.model, received_at: receivedAt, usage } });
    }
    const finishReason = choice.finish_reason ? (FINISH_REASONS[choice.finish_reason] ?? null) : null;
    const deltas = choice.delta?.tool_calls ?? [];
    const meta: JsonObject = {
      model: chunk.model,
      index: choice.index,
      tool_calls: deltas.length > 0 ? plain(deltas) : null,
      finish_reason: choice.finish_reason ?? null,
      received_at: receivedAt,
      usage,
    };
    if (deltas.length > 0) {
      const toolCalls = deltas.map(
        (d) => new ToolCallDelta({ index: d.index, id: d.id ?? null, toolName: d.function?.name ?? null, arguments: d.function?.arguments || null }),
      );
      return new StreamingChunk({
        componentInfo: this.componentInfo,
        index: toolCalls[0]!.index,
        toolCalls,
        start: toolCalls[0]!.toolName !== null,
        finishReason,
        meta,
      });
    }
    if (choice.logprobs) meta["logprobs"] = plain(choice.logprobs);
    const content = choice.delta?.content ?? "";
    const index = choice.delta?.content === null || choice.delta?.content === undefined || choice.delta.role !== undefined ? null : 0;
    return new StreamingChunk({ componentInfo: this.componentInfo, content, index, start: this.#chunks.length === 1, finishReason, meta });
  }

  /** The assembled assistant message: text, tool calls by index, the last finish reason and usage. */
  finish(): ChatMessage {
    const chunks = this.#chunks;
    const text = chunks.map((c) => c.content).join("");
    const calls = new Map<number, { id: string; name: string; arguments: string }>();
    for (const chunk of chunks) {
      for (const delta of chunk.toolCalls ?? []) {
        const entry = calls.get(delta.index) ?? { id: "", name: "", arguments: "" };
        if (delta.id !== null) entry.id = delta.id;
        if (delta.toolName !== null) entry.name += delta.toolName;
        if (delta.arguments !== null) entry.arguments += delta.arguments;
        calls.set(delta.index, entry);
      }
    }
    const toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, c]) => toolCallFromOpenAI(c.id, c.name, c.arguments));
    const finishReasons = chunks.map((c) => c.finishReason).filter((r) => r !== null);
    const usage = [...chunks].reverse().find((c) => c.meta["usage"] !== null && c.meta["usage"] !== undefined)?.meta["usage"] ?? null;
    const logprobs = chunks.map((c) => c.meta["logprobs"]).filter((l) => l !== undefined && l !== null);
    const meta: JsonObject = {
      model: chunks[chunks.length - 1]?.meta["model"] ?? null,
      index: 0,
      finish_reason: finishReasons[finishReasons.length - 1] ?? null,
      completion_start_time: chunks[0]?.meta["received_at"] ?? null,
      usage,
    };
    if (logprobs.length > 0) meta["logprobs"] = logprobs;
    return ChatMessage.fromAssistant(text === "" ? null : text, { toolCalls, meta });
  }
}
