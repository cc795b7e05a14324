/**
 * Haystack 3.4's `ChatMessage`: a role, content parts (text, tool calls, tool results, reasoning),
 * an optional participant name and metadata. Immutable; built with the `from*` factories.
 */
import { describeValue } from "../../internal/describe-value";
import { inspect } from "node:util";
import {
  deserializeContentPart,
  ReasoningContent,
  serializeContentPart,
  TextContent,
  ToolCall,
  ToolCallResult,
  type ChatMessageContent,
  type JsonObject,
  type ToolCallResultContent,
} from "./content-parts";
import { toOpenAIMessage, type OpenAIMessageDict } from "./openai-message";

/**
 * The roles of a chat.
 *
 * @example
 * message.role === ChatRole.ASSISTANT;
 */
export const ChatRole = Object.freeze({ USER: "user", SYSTEM: "system", ASSISTANT: "assistant", TOOL: "tool" } as const);
/** `"user" | "system" | "assistant" | "tool"`. */
export type ChatRole = (typeof ChatRole)[keyof typeof ChatRole];

const ROLES: readonly string[] = Object.values(ChatRole);

/** Parses a role name, or throws naming the supported ones. */
export function chatRoleFromString(value: unknown): ChatRole {
  if (typeof value === "string" && ROLES.includes(value)) return value as ChatRole;
  throw new TypeError(`Unknown chat role ${JSON.stringify(value)}. Supported roles are: ${ROLES.join(", ")}.`);
}

/** Options shared by the message factories. */
export interface ChatMessageOptions {
  meta?: JsonObject;
  /** A participant name (OpenAI only). */
  name?: string | null;
}

/** Options of {@link ChatMessage.fromAssistant}. */
export interface AssistantMessageOptions extends ChatMessageOptions {
  toolCalls?: ToolCall[];
  reasoning?: string | ReasoningContent;
}

/** The dictionary shape of Python's `ChatMessage.to_dict()`. */
export interface ChatMessageDict {
  role: ChatRole;
  meta: JsonObject;
  name: string | null;
  content: JsonObject[];
}

/**
 * A message of an LLM chat.
 *
 * @example
 * const messages = [ChatMessage.fromSystem("Be brief."), ChatMessage.fromUser("What is the capital of France?")];
 * const { replies } = await generator.run({ messages });
 * replies[0]?.text; // "Paris."
 */
export class ChatMessage {
  readonly #role: ChatRole;
  readonly #content: readonly ChatMessageContent[];
  readonly #name: string | null;
  readonly #meta: JsonObject;

  private constructor(role: ChatRole, content: readonly ChatMessageContent[], options: ChatMessageOptions = {}) {
    this.#role = role;
    this.#content = Object.freeze([...content]);
    this.#name = options.name ?? null;
    this.#meta = options.meta ?? {};
  }

  /** A user message. */
  static fromUser(text: string, options: ChatMessageOptions = {}): ChatMessage {
    if (typeof text !== "string") throw new TypeError(`ChatMessage.fromUser takes a string, got ${describeValue(text)}.`);
    return new ChatMessage(ChatRole.USER, [new TextContent(text)], options);
  }

  /** A system message. */
  static fromSystem(text: string, options: ChatMessageOptions = {}): ChatMessage {
    if (typeof text !== "string") throw new TypeError(`ChatMessage.fromSystem takes a string, got ${describeValue(text)}.`);
    return new ChatMessage(ChatRole.SYSTEM, [new TextContent(text)], options);
  }

  /** An assistant message: text (or `null`), tool calls and reasoning. */
  static fromAssistant(text: string | null = null, options: AssistantMessageOptions = {}): ChatMessage {
    const content: ChatMessageContent[] = [];
    const reasoning: unknown = options.reasoning;
    if (typeof reasoning === "string") {
      if (reasoning !== "") content.push(new ReasoningContent(reasoning));
    } else if (reasoning instanceof ReasoningContent) content.push(reasoning);
    else if (reasoning != null) {
      throw new TypeError(`ChatMessage.fromAssistant reasoning must be a string or a ReasoningContent, got ${describeValue(reasoning)}.`);
    }
    if (text !== null) content.push(new TextContent(text));
    for (const call of options.toolCalls ?? []) {
      if (!(call instanceof ToolCall)) throw new TypeError("ChatMessage.fromAssistant toolCalls must be ToolCall instances.");
      content.push(call);
    }
    return new ChatMessage(ChatRole.ASSISTANT, content, options);
  }

  /** A tool message carrying the result of `origin`. */
  static fromTool(result: ToolCallResultContent, origin: ToolCall, options: { error?: boolean; meta?: JsonObject } = {}): ChatMessage {
    const part = new ToolCallResult({ result, origin, error: options.error ?? false });
    return new ChatMessage(ChatRole.TOOL, [part], options.meta === undefined ? {} : { meta: options.meta });
  }

  get role(): ChatRole {
    return this.#role;
  }
  get meta(): JsonObject {
    return this.#meta;
  }
  get name(): string | null {
    return this.#name;
  }
  /** Every content part, in order. */
  get content(): readonly ChatMessageContent[] {
    return this.#content;
  }
  get texts(): string[] {
    return this.#content.filter((p): p is TextContent => p instanceof TextContent).map((p) => p.text);
  }
  /** The first text, or `null`. */
  get text(): string | null {
    return this.texts[0] ?? null;
  }
  get toolCalls(): ToolCall[] {
    return this.#content.filter((p): p is ToolCall => p instanceof ToolCall);
  }
  get toolCall(): ToolCall | null {
    return this.toolCalls[0] ?? null;
  }
  get toolCallResults(): ToolCallResult[] {
    return this.#content.filter((p): p is ToolCallResult => p instanceof ToolCallResult);
  }
  get toolCallResult(): ToolCallResult | null {
    return this.toolCallResults[0] ?? null;
  }
  get reasonings(): ReasoningContent[] {
    return this.#content.filter((p): p is ReasoningContent => p instanceof ReasoningContent);
  }
  get reasoning(): ReasoningContent | null {
    return this.reasonings[0] ?? null;
  }

  /** Whether the message has this role. */
  isFrom(role: ChatRole): boolean {
    return this.#role === role;
  }

  /** A copy with `meta` merged over this message's metadata. */
  withMeta(meta: JsonObject): ChatMessage {
    return new ChatMessage(this.#role, this.#content, { name: this.#name, meta: { ...this.#meta, ...meta } });
  }

  /** Python's `ChatMessage.to_dict()` shape: `{ role, meta, name, content: [...] }`. */
  toDict(): ChatMessageDict {
    return { role: this.#role, meta: this.#meta, name: this.#name, content: this.#content.map(serializeContentPart) };
  }

  /**
   * The message as OpenAI's Chat Completions API takes it (`meta` dropped, tool calls as function
   * calls with JSON-string arguments); throws when OpenAI could not accept it.
   */
  toOpenAIDictFormat(options: { requireToolCallIds?: boolean } = {}): OpenAIMessageDict {
    return toOpenAIMessage(this, options.requireToolCallIds ?? true);
  }

  /** Same as {@link toDict}, so `JSON.stringify` and trace serializers see Haystack's shape. */
  toJSON(): ChatMessageDict {
    return this.toDict();
  }

  /**
   * Reads Python's `ChatMessage.to_dict()` output (and the older string-content and `_content` shapes).
   *
   * @example
   * ChatMessage.fromDict({ role: "user", content: [{ text: "Hi" }], meta: {}, name: null }).text; // "Hi"
   */
  static fromDict(data: unknown): ChatMessage {
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
      throw new TypeError(`A serialized ChatMessage must be an object with 'role' and 'content', got ${describeValue(data)}.`);
    }
    const d = data as JsonObject;
    const legacy = !("role" in d) && "_role" in d;
    const role = d[legacy ? "_role" : "role"];
    if (role === undefined) {
      throw new TypeError(`The 'role' field is required in a serialized ChatMessage (one of ${ROLES.join(", ")}); got keys ${Object.keys(d).join(", ")}.`);
    }
    const rawContent = d[legacy ? "_content" : "content"];
    const meta = d[legacy ? "_meta" : "meta"];
    const name = d[legacy ? "_name" : "name"];
    let content: ChatMessageContent[];
    if (Array.isArray(rawContent)) content = rawContent.map(deserializeContentPart);
    else if (typeof rawContent === "string") content = [new TextContent(rawContent)];
    else throw new TypeError(`A serialized ChatMessage needs 'content' as a list of parts or a string, got ${describeValue(rawContent)}.`);
    const options: ChatMessageOptions = { meta: typeof meta === "object" && meta !== null && !Array.isArray(meta) ? (meta as JsonObject) : {} };
    if (typeof name === "string") options.name = name;
    return new ChatMessage(chatRoleFromString(role), content, options);
  }

  [inspect.custom](): string {
    const parts = this.#content.map((p) => (p instanceof TextContent ? JSON.stringify(p.text) : p.constructor.name));
    return `ChatMessage { role: ${this.#role}, content: [${parts.join(", ")}] }`;
  }
}
