/**
 * Haystack 3.4's `StreamingChunk`: one streamed piece of a reply — text, tool-call deltas, a tool
 * result or reasoning (at most one of them) — with the block index, a start flag and the finish reason.
 */
import { ReasoningContent, ToolCallResult, type JsonObject } from "./content-parts";

/** Why generation finished: OpenAI's values plus Haystack's `tool_call_results`. */
export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "tool_call_results";

/** Options of {@link ToolCallDelta}. */
export interface ToolCallDeltaOptions {
  /** Which tool call of the reply this delta belongs to. */
  index: number;
  toolName?: string | null;
  /** The full arguments or a piece of their JSON text. */
  arguments?: string | null;
  id?: string | null;
  extra?: JsonObject | null;
}

/**
 * A piece of a tool call streamed by the model.
 *
 * @example
 * new ToolCallDelta({ index: 0, id: "call_1", toolName: "weather", arguments: '{"ci' });
 */
export class ToolCallDelta {
  readonly index: number;
  readonly toolName: string | null;
  readonly arguments: string | null;
  readonly id: string | null;
  readonly extra: JsonObject | null;

  constructor(options: ToolCallDeltaOptions) {
    this.index = options.index;
    this.toolName = options.toolName ?? null;
    this.arguments = options.arguments ?? null;
    this.id = options.id ?? null;
    this.extra = options.extra ?? null;
  }

  /** `{ index, tool_name, arguments, id, extra }`, as Python's `ToolCallDelta.to_dict()`. */
  toDict(): JsonObject {
    return { index: this.index, tool_name: this.toolName, arguments: this.arguments, id: this.id, extra: this.extra };
  }

  /** Inverse of {@link toDict}. */
  static fromDict(data: JsonObject): ToolCallDelta {
    return new ToolCallDelta({
      index: data["index"] as number,
      toolName: (data["tool_name"] as string | null | undefined) ?? null,
      arguments: (data["arguments"] as string | null | undefined) ?? null,
      id: (data["id"] as string | null | undefined) ?? null,
      extra: (data["extra"] as JsonObject | null | undefined) ?? null,
    });
  }
}

/** The component that streamed a chunk. */
export interface StreamingComponentInfo {
  /** The component's registry type. */
  type: string;
  /** Its name in the pipeline, when it runs in one. */
  name: string | null;
}

/** Options of {@link StreamingChunk}. */
export interface StreamingChunkOptions {
  content?: string;
  meta?: JsonObject;
  componentInfo?: StreamingComponentInfo | null;
  index?: number | null;
  toolCalls?: ToolCallDelta[] | null;
  toolCallResult?: ToolCallResult | null;
  start?: boolean;
  finishReason?: FinishReason | null;
  reasoning?: ReasoningContent | null;
}

/**
 * One streamed piece of a reply, handed to a streaming callback.
 *
 * @example
 * new OpenAIChatGenerator({ streamingCallback: (chunk) => process.stdout.write(chunk.content) });
 */
export class StreamingChunk {
  readonly content: string;
  readonly meta: JsonObject;
  readonly componentInfo: StreamingComponentInfo | null;
  readonly index: number | null;
  readonly toolCalls: ToolCallDelta[] | null;
  readonly toolCallResult: ToolCallResult | null;
  readonly start: boolean;
  readonly finishReason: FinishReason | null;
  readonly reasoning: ReasoningContent | null;

  constructor(options: StreamingChunkOptions = {}) {
    this.content = options.content ?? "";
    this.meta = options.meta ?? {};
    this.componentInfo = options.componentInfo ?? null;
    this.index = options.index ?? null;
    this.toolCalls = options.toolCalls && options.toolCalls.length > 0 ? options.toolCalls : null;
    this.toolCallResult = options.toolCallResult ?? null;
    this.start = options.start ?? false;
    this.finishReason = options.finishReason ?? null;
    this.reasoning = options.reasoning ?? null;
    const set = [this.content !== "", this.toolCalls !== null, this.toolCallResult !== null, this.reasoning !== null].filter(Boolean).length;
    if (set > 1) throw new TypeError("Only one of content, toolCalls, toolCallResult or reasoning may be set in a StreamingChunk.");
    if ((this.toolCalls !== null || this.toolCallResult !== null || this.reasoning !== null) && this.index === null) {
      throw new TypeError("A StreamingChunk with toolCalls, toolCallResult or reasoning needs an index.");
    }
  }

  /** Python's `StreamingChunk.to_dict()` shape. */
  toDict(): JsonObject {
    return {
      content: this.content,
      meta: this.meta,
      component_info: this.componentInfo === null ? null : { ...this.componentInfo },
      index: this.index,
      tool_calls: this.toolCalls === null ? null : this.toolCalls.map((d) => d.toDict()),
      tool_call_result: this.toolCallResult === null ? null : this.toolCallResult.toDict(),
      start: this.start,
      finish_reason: this.finishReason,
      reasoning: this.reasoning === null ? null : this.reasoning.toDict(),
    };
  }

  /** Same as {@link toDict}, for `JSON.stringify` and trace events. */
  toJSON(): JsonObject {
    return this.toDict();
  }

  /** Inverse of {@link toDict}. */
  static fromDict(data: JsonObject): StreamingChunk {
    if (!("content" in data)) throw new TypeError("A serialized StreamingChunk needs the field 'content'.");
    const info = data["component_info"] as StreamingComponentInfo | null | undefined;
    const calls = data["tool_calls"] as JsonObject[] | null | undefined;
    return new StreamingChunk({
      content: String(data["content"]),
      meta: (data["meta"] as JsonObject | undefined) ?? {},
      componentInfo: info ? { type: info.type, name: info.name ?? null } : null,
      index: (data["index"] as number | null | undefined) ?? null,
      toolCalls: calls ? calls.map((c) => ToolCallDelta.fromDict(c)) : null,
      toolCallResult: data["tool_call_result"] ? ToolCallResult.fromDict(data["tool_call_result"]) : null,
      start: data["start"] === true,
      finishReason: (data["finish_reason"] as FinishReason | null | undefined) ?? null,
      reasoning: data["reasoning"] ? ReasoningContent.fromDict(data["reasoning"]) : null,
    });
  }
}

/** Receives each streamed chunk; may be async (it is awaited, so a slow consumer applies back-pressure). */
export type ChatStreamingCallback = (chunk: StreamingChunk) => unknown;
