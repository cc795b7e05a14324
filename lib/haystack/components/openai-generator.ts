import { describeValue } from "../../internal/describe-value";
import { inspect } from "node:util";
import type OpenAI from "openai";
import type * as OpenAIModule from "openai";
import { diag } from "../../internal/diagnostics";
import { component } from "../component";
import { type Secret } from "../secret";
import { checkBaseUrl, createOpenAIClient, envNumber, resolveApiKey } from "./openai-client-options";
import { redactUrl } from "../../internal/redaction";
import { explainConnectionError, type ConnectionContext } from "./openai-errors";
import { fromCompletion, fromStream, type OpenAIGeneratorOutputs, type GeneratorStreamingCallback } from "./openai-streaming";

/** Options of {@link OpenAIGenerator}. */
export interface OpenAIGeneratorOptions {
  /** Default `"gpt-4o-mini"`. */
  model?: string;
  /** Default `Secret.fromEnvVar("OPENAI_API_KEY")`; a plain string is treated as a token secret. */
  apiKey?: Secret | string;
  /** Default: `OPENAI_BASE_URL`, else OpenAI's API. */
  apiBaseUrl?: string;
  organization?: string;
  systemPrompt?: string;
  /** Extra chat completion parameters (`temperature`, `max_tokens`, `n`, …), sent verbatim. */
  generationKwargs?: Record<string, unknown>;
  /** Stream replies, calling this once per chunk. */
  streamingCallback?: GeneratorStreamingCallback;
  /** Request timeout in seconds, as in Haystack (default: `OPENAI_TIMEOUT`, else 30). */
  timeout?: number;
  /** Default: `OPENAI_MAX_RETRIES`, else 5. */
  maxRetries?: number;
}

/** Run-time inputs of {@link OpenAIGenerator}. */
export interface OpenAIGeneratorInputs {
  prompt: string;
  systemPrompt?: string | null;
  generationKwargs?: Record<string, unknown> | null;
  streamingCallback?: GeneratorStreamingCallback | null;
}

/** `openai` loads with the first generator, not with `mlflow-haystack/haystack`: apps that never
 * call OpenAI pay nothing for it at startup. */
function loadOpenAI(): typeof OpenAIModule {
  return require("openai") as typeof OpenAIModule;
}

/**
 * Generates text with OpenAI's Chat Completions API, like Haystack 2.x's `OpenAIGenerator`:
 * input `prompt` (plus optional system prompt and generation kwargs), outputs `replies` and
 * `meta` (model as reported, finish reason, the full usage object including
 * `prompt_tokens_details.cached_tokens`). When streaming, usage is always requested
 * (`stream_options.include_usage`), unlike Haystack, so token counts are never lost.
 *
 * @example
 * const llm = new OpenAIGenerator({ model: "gpt-4o-mini", generationKwargs: { temperature: 0 } });
 * const { replies, meta } = await llm.run({ prompt: "Say hi" });
 * meta[0]?.usage; // { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12, … }
 */
@component({
  type: "haystack.components.generators.openai.OpenAIGenerator",
  spanType: "LLM",
  inputs: {
    prompt: "str",
    systemPrompt: { type: "str", optional: true },
    generationKwargs: { type: "dict", optional: true },
    streamingCallback: { type: "any", optional: true },
  },
  outputs: { replies: "str[]", meta: "dict[]" },
})
export class OpenAIGenerator {
  readonly model: string;
  readonly apiKey: Secret;
  readonly apiBaseUrl: string | undefined;
  readonly organization: string | undefined;
  readonly systemPrompt: string | undefined;
  readonly generationKwargs: Readonly<Record<string, unknown>>;
  readonly streamingCallback: GeneratorStreamingCallback | undefined;
  readonly timeout: number;
  readonly maxRetries: number;
  readonly #client: OpenAI;
  readonly #openai: typeof OpenAIModule;
  readonly #connection: ConnectionContext;

  constructor(options: OpenAIGeneratorOptions = {}) {
    this.model = options.model ?? "gpt-4o-mini";
    const { secret, value } = resolveApiKey("OpenAIGenerator", options.apiKey);
    this.apiKey = secret;
    checkBaseUrl("OpenAIGenerator", options.apiBaseUrl);
    this.apiBaseUrl = options.apiBaseUrl;
    this.organization = options.organization;
    this.systemPrompt = options.systemPrompt;
    this.generationKwargs = Object.freeze({ ...(options.generationKwargs ?? {}) });
    if (options.streamingCallback !== undefined && typeof options.streamingCallback !== "function") {
      throw new TypeError("OpenAIGenerator streamingCallback must be a function.");
    }
    this.streamingCallback = options.streamingCallback;
    this.timeout = options.timeout ?? envNumber("OPENAI_TIMEOUT", 30);
    this.maxRetries = options.maxRetries ?? envNumber("OPENAI_MAX_RETRIES", 5);
    this.#openai = loadOpenAI();
    this.#connection = { owner: "OpenAIGenerator", maxRetries: this.maxRetries, timeoutSeconds: this.timeout };
    this.#client = createOpenAIClient(this.#openai, { ...this.#connection, apiKey: value, baseURL: this.apiBaseUrl, organization: this.organization });
  }

  /** Sends the prompt and returns the replies with their metadata. */
  async run(inputs: OpenAIGeneratorInputs): Promise<OpenAIGeneratorOutputs> {
    if (typeof inputs?.prompt !== "string") {
      throw new TypeError(`OpenAIGenerator input 'prompt' must be a string, got ${describeValue(inputs?.prompt)}.`);
    }
    const system = inputs.systemPrompt ?? this.systemPrompt;
    const messages: { role: "system" | "user"; content: string }[] = [];
    if (system !== undefined && system !== null && system !== "") messages.push({ role: "system", content: system });
    messages.push({ role: "user", content: inputs.prompt });
    const kwargs: Record<string, unknown> = { ...this.generationKwargs, ...(inputs.generationKwargs ?? {}) };
    const callback = inputs.streamingCallback ?? this.streamingCallback;

    let output: OpenAIGeneratorOutputs;
    try {
      output = await this.#complete(messages, kwargs, callback ?? undefined);
    } catch (error) {
      throw explainConnectionError(error, this.#openai, this.#client.baseURL, this.#connection);
    }
    for (const meta of output.meta) {
      if (meta.finish_reason === "length" || meta.finish_reason === "content_filter") {
        diag("warn", `OpenAIGenerator: reply ${meta.index} stopped early (finish_reason '${meta.finish_reason}')`);
      }
    }
    return output;
  }

  async #complete(
    messages: { role: "system" | "user"; content: string }[],
    kwargs: Record<string, unknown>,
    callback: GeneratorStreamingCallback | undefined,
  ): Promise<OpenAIGeneratorOutputs> {
    if (callback !== undefined) {
      if (typeof kwargs["n"] === "number" && kwargs["n"] > 1) {
        throw new TypeError("OpenAIGenerator cannot stream multiple responses; set generationKwargs.n to 1 or drop the streaming callback.");
      }
      const streamOptions = { ...((kwargs["stream_options"] as Record<string, unknown> | undefined) ?? {}), include_usage: true };
      const params = { ...kwargs, model: this.model, messages, stream: true, stream_options: streamOptions };
      const stream = await this.#client.chat.completions.create(params as OpenAI.Chat.ChatCompletionCreateParamsStreaming);
      return fromStream(stream, callback);
    }
    const params = { ...kwargs, model: this.model, messages, stream: false };
    return fromCompletion(await this.#client.chat.completions.create(params as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming));
  }

  /** Same as {@link run}. */
  async runAsync(inputs: OpenAIGeneratorInputs): Promise<OpenAIGeneratorOutputs> {
    return this.run(inputs);
  }

  [inspect.custom](): string {
    return `OpenAIGenerator { model: ${JSON.stringify(this.model)}, apiKey: ${this.apiKey.toString()}${this.apiBaseUrl ? `, apiBaseUrl: ${JSON.stringify(redactUrl(this.apiBaseUrl))}` : ""} }`;
  }
}
