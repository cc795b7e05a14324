import { component, setInputTypes } from "../../component";
import { ChatMessage } from "../../dataclasses/chat-message";
import type { ChatStreamingCallback } from "../../dataclasses/streaming-chunk";
import { JinjaTemplate } from "../jinja-template";
import { Agent, type ChatGeneratorLike } from "./agent";

/** Options of {@link LLM}. */
export interface LLMOptions {
  chatGenerator: ChatGeneratorLike;
  systemPrompt?: string;
  /** A Jinja2 template appended as a user message; its variables become inputs. */
  userPrompt?: string;
  /** Variables of `userPrompt` that must be given: `"*"` (all, the default) or a non-empty list. */
  requiredVariables?: readonly string[] | "*";
  streamingCallback?: ChatStreamingCallback;
}

/** Run-time inputs of {@link LLM}: `messages` (required unless `userPrompt` has variables) and the prompt's variables. */
export interface LLMInputs {
  messages?: ChatMessage[] | null;
  streamingCallback?: ChatStreamingCallback | null;
  generationKwargs?: Record<string, unknown> | null;
  [variable: string]: unknown;
}

/** The LLM's outputs (an agent's, without the tool bookkeeping). */
export interface LLMOutputs {
  messages: ChatMessage[];
  /** The last of `messages`; undefined only when there are none (see `AgentOutputs.last_message`). */
  last_message: ChatMessage | undefined;
  token_usage: Record<string, unknown>;
}

/**
 * Haystack 3.4's `LLM`: an {@link Agent} without tools (it runs one inside, traced as this component) — one chat generator call, with an optional
 * system prompt and a user prompt template whose variables become inputs.
 *
 * @example
 * const llm = new LLM({ chatGenerator: new OpenAIChatGenerator(), userPrompt: "Summarize: {{ document }}" });
 * (await llm.run({ document: "..." })).last_message?.text;
 */
@component({
  type: "haystack.components.generators.chat.llm.LLM",
  spanType: "AGENT",
  inputs: {
    messages: { type: "list[ChatMessage]", optional: true },
    // A callable, not `any`: a str sender (a PromptBuilder) would otherwise match it strictly and beat the str → messages conversion.
    streamingCallback: { type: "Callable", optional: true },
    generationKwargs: { type: "dict", optional: true },
  },
  outputs: { messages: "list[ChatMessage]", last_message: "ChatMessage", token_usage: "dict" },
})
export class LLM {
  readonly #agent: Agent;
  private readonly userPrompt: JinjaTemplate | undefined;
  readonly requiredPromptVariables: readonly string[];

  constructor(options: LLMOptions) {
    const agentOptions: ConstructorParameters<typeof Agent>[0] = { chatGenerator: options.chatGenerator, maxAgentSteps: 1 };
    if (options.systemPrompt !== undefined) agentOptions.systemPrompt = options.systemPrompt;
    if (options.streamingCallback !== undefined) agentOptions.streamingCallback = options.streamingCallback;
    this.#agent = new Agent(agentOptions);
    this.userPrompt = options.userPrompt === undefined ? undefined : new JinjaTemplate(options.userPrompt);
    const variables = this.userPrompt?.variables ?? [];
    const required = options.requiredVariables ?? "*";
    if (Array.isArray(required) && required.length === 0 && variables.length > 0) {
      throw new TypeError('LLM requiredVariables must not be empty: use "*" to require all variables, or name the required ones.');
    }
    this.requiredPromptVariables = Object.freeze(required === "*" ? [...variables] : [...required]);
    setInputTypes(
      this,
      Object.fromEntries(variables.map((v) => [v, this.requiredPromptVariables.includes(v) ? { type: "any" } : { type: "any", default: "" }])),
    );
  }

  /** One generator call over the given messages plus the rendered user prompt. */
  async run(inputs: LLMInputs): Promise<LLMOutputs> {
    const { messages, streamingCallback, generationKwargs, ...variables } = inputs ?? {};
    const all: ChatMessage[] = [...(messages ?? [])];
    if (this.userPrompt !== undefined) {
      const missing = this.requiredPromptVariables.filter((v) => variables[v] === undefined);
      if (missing.length > 0) throw new TypeError(`Missing required input variables in LLM user_prompt: ${missing.join(", ")}.`);
      all.push(ChatMessage.fromUser(this.userPrompt.render(variables)));
    }
    if (all.length === 0) throw new TypeError("LLM needs 'messages' or a userPrompt to send.");
    const out = await this.#agent.runAs(this, { messages: all, streamingCallback: streamingCallback ?? null, generationKwargs: generationKwargs ?? null });
    return { messages: out.messages, last_message: out.last_message, token_usage: out.token_usage };
  }

  /** Same as {@link run}. */
  async runAsync(inputs: LLMInputs): Promise<LLMOutputs> {
    return this.run(inputs);
  }
}
