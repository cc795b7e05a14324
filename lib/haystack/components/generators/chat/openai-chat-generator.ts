import { inspect } from "node:util";
import type OpenAI from "openai";
import type * as OpenAIModule from "openai";
import { reportOnce } from "../../../../internal/diagnostics";
import { component } from "../../../component";
import { ChatMessage } from "../../../dataclasses/chat-message";
import type { ChatStreamingCallback } from "../../../dataclasses/streaming-chunk";
import { type Secret } from "../../../secret";
import { flattenTools, type ToolsType } from "../../../tools/toolset";
import { checkBaseUrl, createOpenAIClient, envNumber, resolveApiKey } from "../../openai-client-options";
import { redactUrl } from "../../../../internal/redaction";
import { explainConnectionError, type ConnectionContext } from "../../openai-errors";
import { completionToMessages, StreamAssembler } from "./openai-conversion";
import { makeSchemaStrict } from "./strict-schema";

/** Options of {@link OpenAIChatGenerator}. */
export interface OpenAIChatGeneratorOptions {
  /** Default `"gpt-4o-mini"`. */
  model?: string;
  /** Default `Secret.fromEnvVar("OPENAI_API_KEY")`; a plain string is treated as a token secret. */
  apiKey?: Secret | string;
  /** Default: `OPENAI_BASE_URL`, else OpenAI's API. */
  apiBaseUrl?: string;
  organization?: string;
  /** Chat Completions parameters (`temperature`, `max_completion_tokens`, `response_format`, …), sent verbatim. */
  generationKwargs?: Record<string, unknown>;
  /** Tools the model may call. */
  tools?: ToolsType;
  /** Send tools in OpenAI's strict mode (the model must follow each schema exactly). */
  toolsStrictMode?: boolean;
  /** Stream replies, calling this once per chunk. */
  streamingCallback?: ChatStreamingCallback;
  /** Request timeout in seconds (default: `OPENAI_TIMEOUT`, else 30). */
  timeout?: number;
  /** Default: `OPENAI_MAX_RETRIES`, else 5. */
  maxRetries?: number;
}

/** Run-time inputs of {@link OpenAIChatGenerator}; set values override the constructor's. */
export interface OpenAIChatGeneratorInputs {
  /** The conversation, or a plain string (one user message). */
  messages: ChatMessage[] | string;
  streamingCallback?: ChatStreamingCallback | null;
  /** Merged per key over the constructor's `generationKwargs`. */
  generationKwargs?: Record<string, unknown> | null;
  tools?: ToolsType | null;
  toolsStrict?: boolean | null;
}

/** The generator's outputs. */
export interface OpenAIChatGeneratorOutputs {
  replies: ChatMessage[];
}

function normaliseMessages(messages: unknown): ChatMessage[] {
  if (typeof messages === "string") return [ChatMessage.fromUser(messages)];
  if (!Array.isArray(messages) || !messages.every((m) => m instanceof ChatMessage)) {
    throw new TypeError("OpenAIChatGenerator input 'messages' must be a list of ChatMessage (ChatMessage.fromUser(...)) or a string.");
  }
  return messages;
}

/**
 * Haystack 3.4's `OpenAIChatGenerator` on the official `openai` client: `ChatMessage`s (or a
 * string) in, `replies: ChatMessage[]` out, each with `meta` (model, index, finish reason, the full
 * usage object including cached tokens). Tools are sent as OpenAI function tools; parallel tool
 * calls come back as several `ToolCall`s. Streaming assembles tool-call deltas and, unlike Haystack,
 * always requests usage (`stream_options.include_usage`). The `openai` package is loaded on first use.
 *
 * @example
 * const llm = new OpenAIChatGenerator({ model: "gpt-4o-mini", tools: [weather] });
 * const { replies } = await llm.run({ messages: [ChatMessage.fromUser("Weather in Paris?")] });
 * replies[0]?.toolCalls; // [ToolCall { toolName: "weather", arguments: { city: "Paris" } }]
 */
@component({
  type: "haystack.components.generators.chat.openai.OpenAIChatGenerator",
  spanType: "CHAT_MODEL",
  inputs: {
    messages: "list[ChatMessage]|str",
    // Typed as Haystack types them, not `any`: a str sender (a PromptBuilder) would match those strictly and make
    // connect("prompt_builder", "llm") ambiguous where Haystack resolves it to `messages`.
    streamingCallback: { type: "Callable", optional: true },
    generationKwargs: { type: "dict", optional: true },
    tools: { type: "list[Tool]|Toolset", optional: true },
    toolsStrict: { type: "bool", optional: true },
  },
  outputs: { replies: "list[ChatMessage]" },
})
export class OpenAIChatGenerator {
  readonly model: string;
  readonly apiKey: Secret;
  readonly apiBaseUrl: string | undefined;
  readonly organization: string | undefined;
  readonly generationKwargs: Readonly<Record<string, unknown>>;
  readonly tools: ToolsType | undefined;
  readonly toolsStrictMode: boolean;
  readonly streamingCallback: ChatStreamingCallback | undefined;
  readonly timeout: number;
  readonly maxRetries: number;
  readonly #apiKeyValue: string;
  #client: Promise<{ openai: typeof OpenAIModule; client: OpenAI }> | undefined;

  constructor(options: OpenAIChatGeneratorOptions = {}) {
    this.model = options.model ?? "gpt-4o-mini";
    const { secret, value } = resolveApiKey("OpenAIChatGenerator", options.apiKey);
    this.apiKey = secret;
    this.#apiKeyValue = value;
    checkBaseUrl("OpenAIChatGenerator", options.apiBaseUrl);
    this.apiBaseUrl = options.apiBaseUrl;
    this.organization = options.organization;
    this.generationKwargs = Object.freeze({ ...(options.generationKwargs ?? {}) });
    if (options.tools !== undefined) flattenTools(options.tools);
    this.tools = options.tools;
    this.toolsStrictMode = options.toolsStrictMode ?? false;
    if (options.streamingCallback !== undefined && typeof options.streamingCallback !== "function") {
      throw new TypeError("OpenAIChatGenerator streamingCallback must be a function (chunk) => void.");
    }
    this.streamingCallback = options.streamingCallback;
    this.timeout = options.timeout ?? envNumber("OPENAI_TIMEOUT", 30);
    this.maxRetries = options.maxRetries ?? envNumber("OPENAI_MAX_RETRIES", 5);
  }

  /** Creates the OpenAI client (loading the `openai` package) once; idempotent. */
  async warmUp(): Promise<void> {
    await this.#openai();
  }

  #openai(): Promise<{ openai: typeof OpenAIModule; client: OpenAI }> {
    this.#client ??= import("openai").then((openai) => ({
      openai,
      client: createOpenAIClient(openai, { ...this.#connection(), apiKey: this.#apiKeyValue, baseURL: this.apiBaseUrl, organization: this.organization }),
    }));
    return this.#client;
  }

  #connection(): ConnectionContext {
    return { owner: "OpenAIChatGenerator", maxRetries: this.maxRetries, timeoutSeconds: this.timeout };
  }

  /** Sends the conversation and returns the replies. */
  async run(inputs: OpenAIChatGeneratorInputs): Promise<OpenAIChatGeneratorOutputs> {
    const messages = normaliseMessages(inputs?.messages);
    if (messages.length === 0) return { replies: [] };
    const kwargs: Record<string, unknown> = { ...this.generationKwargs, ...(inputs.generationKwargs ?? {}) };
    const callback = inputs.streamingCallback ?? this.streamingCallback;
    const n = kwargs["n"] ?? 1;
    delete kwargs["n"];
    if (callback !== undefined && callback !== null && typeof n === "number" && n > 1) {
      throw new TypeError("OpenAIChatGenerator cannot stream multiple responses; set generationKwargs.n to 1 or drop the streaming callback.");
    }
    const tools = flattenTools(inputs.tools ?? this.tools);
    const strict = inputs.toolsStrict ?? this.toolsStrictMode;
    const params: Record<string, unknown> = { model: this.model, messages: messages.map((m) => m.toOpenAIDictFormat()), n, ...kwargs };
    if (tools.length > 0) {
      params["tools"] = tools.map((tool) => {
        const spec: Record<string, unknown> = { ...tool.toolSpec };
        if (strict) Object.assign(spec, { strict: true, parameters: makeSchemaStrict(tool.parameters) });
        return { type: "function", function: spec };
      });
    }
    const { openai, client } = await this.#openai();
    let replies: ChatMessage[];
    try {
      replies = await this.#complete(client, params, callback ?? undefined);
    } catch (error) {
      throw explainConnectionError(error, openai, client.baseURL, this.#connection());
    }
    for (const reply of replies) {
      const reason = reply.meta["finish_reason"];
      if (reason === "length" || reason === "content_filter") {
        reportOnce(
          `haystack.openai-chat.finish-${reason}`,
          "warn",
          `OpenAIChatGenerator: reply ${String(reply.meta["index"])} stopped early (finish_reason '${reason}').`,
        );
      }
    }
    return { replies };
  }

  async #complete(client: OpenAI, params: Record<string, unknown>, callback: ChatStreamingCallback | undefined): Promise<ChatMessage[]> {
    if (callback === undefined) {
      params["stream"] = false;
      return completionToMessages(await client.chat.completions.create(params as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming));
    }
    params["stream"] = true;
    params["stream_options"] = { ...(params["stream_options"] ?? {}), include_usage: true };
    const stream = await client.chat.completions.create(params as unknown as OpenAI.Chat.ChatCompletionCreateParamsStreaming);
    const assembler = new StreamAssembler({ type: "haystack.components.generators.chat.openai.OpenAIChatGenerator", name: null });
    for await (const chunk of stream) await callback(assembler.push(chunk));
    return [assembler.finish()];
  }

  /** Same as {@link run}. */
  async runAsync(inputs: OpenAIChatGeneratorInputs): Promise<OpenAIChatGeneratorOutputs> {
    return this.run(inputs);
  }

  [inspect.custom](): string {
    return `OpenAIChatGenerator { model: ${JSON.stringify(this.model)}, apiKey: ${this.apiKey.toString()}${this.apiBaseUrl ? `, apiBaseUrl: ${JSON.stringify(redactUrl(this.apiBaseUrl))}` : ""} }`;
  }
}
