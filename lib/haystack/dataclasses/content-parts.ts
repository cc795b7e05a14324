/**
 * The parts a {@link ChatMessage} is made of, with Haystack 3.4's dictionary shapes: text, a tool
 * call the model prepared, the result of running one, and a model's reasoning. Images and files are
 * not ported (no generator here sends them); `fromDict` rejects them by name.
 */
import { describeValue } from "../../internal/describe-value";

/** A JSON-style object, as tool arguments and metadata are. */
export type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function expectObject(value: unknown, what: string): JsonObject {
  if (!isObject(value)) throw new TypeError(`${what} must be an object, got ${describeValue(value)}.`);
  return value;
}

/**
 * The text of a chat message.
 *
 * @example
 * new TextContent("Hello").toDict(); // { text: "Hello" }
 */
export class TextContent {
  constructor(readonly text: string) {}

  /** `{ text }`, as Python's `TextContent.to_dict()`. */
  toDict(): { text: string } {
    return { text: this.text };
  }

  /** Inverse of {@link toDict}. */
  static fromDict(data: unknown): TextContent {
    const text = expectObject(data, "TextContent")["text"];
    if (typeof text !== "string") throw new TypeError(`TextContent.text must be a string, got ${describeValue(text)}.`);
    return new TextContent(text);
  }
}

/** Options of {@link ToolCall}. */
export interface ToolCallOptions {
  toolName: string;
  arguments: JsonObject;
  /** The model's id for the call; OpenAI needs it to match the result. */
  id?: string | null;
  /** Provider-specific data, JSON-serializable. */
  extra?: JsonObject | null;
}

/**
 * A tool call the model prepared, part of an assistant message.
 *
 * @example
 * new ToolCall({ id: "call_1", toolName: "weather", arguments: { city: "Paris" } });
 */
export class ToolCall {
  readonly toolName: string;
  readonly arguments: JsonObject;
  readonly id: string | null;
  readonly extra: JsonObject | null;

  constructor(options: ToolCallOptions) {
    if (typeof options?.toolName !== "string") throw new TypeError(`ToolCall toolName must be a string, got ${describeValue(options?.toolName)}.`);
    this.toolName = options.toolName;
    this.arguments = expectObject(options.arguments, `ToolCall '${options.toolName}' arguments`);
    this.id = options.id ?? null;
    this.extra = options.extra ?? null;
  }

  /** `{ tool_name, arguments, id, extra }`, as Python's `ToolCall.to_dict()`. */
  toDict(): { tool_name: string; arguments: JsonObject; id: string | null; extra: JsonObject | null } {
    return { tool_name: this.toolName, arguments: this.arguments, id: this.id, extra: this.extra };
  }

  /** Inverse of {@link toDict}. */
  static fromDict(data: unknown): ToolCall {
    const d = expectObject(data, "ToolCall");
    const options: ToolCallOptions = { toolName: d["tool_name"] as string, arguments: d["arguments"] as JsonObject };
    if (d["id"] !== undefined) options.id = d["id"] as string | null;
    if (d["extra"] !== undefined) options.extra = d["extra"] as JsonObject | null;
    return new ToolCall(options);
  }
}

/** What a tool returned: text, or text parts. */
export type ToolCallResultContent = string | TextContent[];

/**
 * The result of running a tool call; `error` marks a failed call whose `result` is the message.
 *
 * @example
 * new ToolCallResult({ result: "22°C", origin: call, error: false });
 */
export class ToolCallResult {
  readonly result: ToolCallResultContent;
  readonly origin: ToolCall;
  readonly error: boolean;

  constructor(options: { result: ToolCallResultContent; origin: ToolCall; error?: boolean }) {
    if (!(options.origin instanceof ToolCall)) throw new TypeError("ToolCallResult origin must be the ToolCall that produced it.");
    this.result = options.result;
    this.origin = options.origin;
    this.error = options.error ?? false;
  }

  /** `{ result, origin, error }`, as Python's `ToolCallResult.to_dict()`. */
  toDict(): { result: string | { text: string }[]; origin: ReturnType<ToolCall["toDict"]>; error: boolean } {
    const result = typeof this.result === "string" ? this.result : this.result.map((part) => part.toDict());
    return { result, origin: this.origin.toDict(), error: this.error };
  }

  /** Inverse of {@link toDict}. */
  static fromDict(data: unknown): ToolCallResult {
    const d = expectObject(data, "ToolCallResult");
    const missing = ["result", "origin", "error"].filter((key) => !(key in d));
    if (missing.length > 0) {
      throw new TypeError(`ToolCallResult needs the fields result, origin and error; missing ${missing.join(", ")} (got keys ${Object.keys(d).join(", ")}).`);
    }
    const raw = d["result"];
    const result = Array.isArray(raw) ? raw.map((part) => TextContent.fromDict(part)) : String(raw);
    return new ToolCallResult({ result, origin: ToolCall.fromDict(d["origin"]), error: d["error"] === true });
  }
}

/**
 * A model's reasoning, kept on assistant messages (OpenAI's Chat Completions API does not send it back).
 *
 * @example
 * new ReasoningContent("The user wants the weather, so…").toDict(); // { reasoning_text: "…", extra: {} }
 */
export class ReasoningContent {
  readonly extra: JsonObject;

  constructor(
    readonly reasoningText: string,
    extra: JsonObject = {},
  ) {
    this.extra = extra;
  }

  /** `{ reasoning_text, extra }`, as Python's `ReasoningContent.to_dict()`. */
  toDict(): { reasoning_text: string; extra: JsonObject } {
    return { reasoning_text: this.reasoningText, extra: this.extra };
  }

  /** Inverse of {@link toDict}. */
  static fromDict(data: unknown): ReasoningContent {
    const d = expectObject(data, "ReasoningContent");
    return new ReasoningContent(String(d["reasoning_text"]), isObject(d["extra"]) ? d["extra"] : {});
  }
}

/** Any part of a chat message. */
export type ChatMessageContent = TextContent | ToolCall | ToolCallResult | ReasoningContent;

/** One serialized part: flat `{ text }` for text, else wrapped under its kind. */
export function serializeContentPart(part: ChatMessageContent): JsonObject {
  if (part instanceof TextContent) return part.toDict();
  if (part instanceof ToolCall) return { tool_call: part.toDict() };
  if (part instanceof ToolCallResult) return { tool_call_result: part.toDict() };
  return { reasoning: part.toDict() };
}

/** Inverse of {@link serializeContentPart}; also reads the flat shapes Haystack accepts. */
export function deserializeContentPart(data: unknown): ChatMessageContent {
  const part = expectObject(data, "A ChatMessage content part");
  if ("text" in part) return TextContent.fromDict(part);
  if ("tool_call" in part) return ToolCall.fromDict(part["tool_call"]);
  if ("tool_call_result" in part) return ToolCallResult.fromDict(part["tool_call_result"]);
  if ("reasoning" in part) return ReasoningContent.fromDict(part["reasoning"]);
  if ("tool_name" in part && "arguments" in part) return ToolCall.fromDict(part);
  if ("result" in part && "origin" in part) return ToolCallResult.fromDict(part);
  if ("reasoning_text" in part) return ReasoningContent.fromDict(part);
  if ("image" in part || "file" in part || "base64_image" in part || "base64_data" in part) {
    throw new TypeError("Image and file content parts are not supported by mlflow-haystack's ChatMessage; send text, tool calls or tool results.");
  }
  throw new TypeError(
    `Unsupported content part in a serialized ChatMessage (keys: ${Object.keys(part).join(", ") || "none"}): each part must have one of 'text', 'reasoning', 'tool_call' or 'tool_call_result'.`,
  );
}
