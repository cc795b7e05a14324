import { describeValue } from "../../../internal/describe-value";
import { inspect } from "node:util";
import { reportOnce } from "../../../internal/diagnostics";
import { component, getComponentInfo, setInputTypes, setOutputTypes } from "../../component";
import { ChatMessage } from "../../dataclasses/chat-message";
import type { ChatStreamingCallback, StreamingChunk } from "../../dataclasses/streaming-chunk";
import { getPipelineTracer, type ToolDescription } from "../../tracing-hook";
import type { Tool } from "../../tools/tool";
import { flattenTools, type ToolsType } from "../../tools/toolset";
import { accumulateUsage, modelExitReason, toolExitReason } from "./agent-step";
import { AgentState, checkStateSchema, type StateKeySchema } from "./state";
import { runToolCalls } from "./tool-calling";
import type { AgentInputs, AgentOptions, AgentOutputs, ChatGeneratorLike } from "./agent-types";

export type { AgentInputs, AgentOptions, AgentOutputs, ChatGeneratorLike } from "./agent-types";

const RUN_INPUTS = new Set(["messages", "streamingCallback", "generationKwargs"]);

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`Agent ${name} must be an integer >= 1, got ${describeValue(value)}.`);
  return value;
}

/**
 * Haystack 3.4's `Agent`: calls the chat generator, runs the tool calls it asks for (concurrently,
 * up to `toolConcurrencyLimit`), appends the results and repeats until the model answers with text,
 * calls an exit-condition tool, or `maxAgentSteps` is reached. The state holds `messages`,
 * `step_count`, `token_usage` (summed over every LLM call) and `tool_call_counts`.
 *
 * @example
 * const agent = new Agent({ chatGenerator: new OpenAIChatGenerator(), tools: [weather], systemPrompt: "Be brief." });
 * const { last_message, step_count } = await agent.run({ messages: [ChatMessage.fromUser("Weather in Paris?")] });
 */
@component({
  type: "haystack.components.agents.agent.Agent",
  spanType: "AGENT",
  inputs: {
    messages: "list[ChatMessage]",
    // A callable, not `any`: a str sender (a PromptBuilder) would otherwise match it strictly and beat the str → messages conversion.
    streamingCallback: { type: "Callable", optional: true },
    generationKwargs: { type: "dict", optional: true },
  },
  outputs: { messages: "list[ChatMessage]", last_message: "ChatMessage", step_count: "int", token_usage: "dict", tool_call_counts: "dict", exit_reason: "str" },
})
export class Agent {
  readonly chatGenerator: ChatGeneratorLike;
  readonly tools: ToolsType;
  readonly systemPrompt: string | undefined;
  readonly exitConditions: readonly string[];
  readonly maxAgentSteps: number;
  readonly stateSchema: Readonly<Record<string, StateKeySchema>>;
  readonly streamingCallback: ChatStreamingCallback | undefined;
  readonly toolConcurrencyLimit: number;
  readonly raiseOnToolInvocationFailure: boolean;
  readonly toolTimeout: number | undefined;

  constructor(options: AgentOptions) {
    if (typeof options?.chatGenerator?.run !== "function")
      throw new TypeError("Agent needs chatGenerator: a chat generator component such as new OpenAIChatGenerator().");
    const tools = flattenTools(options.tools);
    if (tools.length > 0 && !getComponentInfo(options.chatGenerator).inputs.has("tools")) {
      throw new TypeError(
        `${options.chatGenerator.constructor.name} has no 'tools' input; the Agent needs a chat generator that supports tools when tools are given.`,
      );
    }
    const exitConditions = options.exitConditions ?? ["text"];
    const unknown = exitConditions.filter((c) => c !== "text" && !tools.some((t) => t.name === c));
    if (unknown.length > 0)
      throw new TypeError(
        `Agent exitConditions ${unknown.join(", ")} name no tool; use "text" or the names of the agent's tools (${tools.map((t) => t.name).join(", ") || "none"}).`,
      );
    checkStateSchema(options.stateSchema ?? {});
    if (options.toolTimeout !== undefined && !(options.toolTimeout > 0))
      throw new TypeError(`Agent toolTimeout must be a number of seconds > 0, got ${describeValue(options.toolTimeout)}.`);
    this.chatGenerator = options.chatGenerator;
    this.tools = options.tools ?? [];
    this.systemPrompt = options.systemPrompt;
    this.exitConditions = Object.freeze([...exitConditions]);
    this.maxAgentSteps = positiveInteger("maxAgentSteps", options.maxAgentSteps ?? 100);
    this.stateSchema = Object.freeze({ ...(options.stateSchema ?? {}) });
    this.streamingCallback = options.streamingCallback;
    this.toolConcurrencyLimit = positiveInteger("toolConcurrencyLimit", options.toolConcurrencyLimit ?? 4);
    this.raiseOnToolInvocationFailure = options.raiseOnToolInvocationFailure ?? false;
    this.toolTimeout = options.toolTimeout;
    const extra = Object.entries(this.stateSchema).filter(([key]) => key !== "messages");
    setInputTypes(this, Object.fromEntries(extra.filter(([key]) => !RUN_INPUTS.has(key)).map(([key, c]) => [key, { type: c.type, optional: true }])));
    setOutputTypes(this, Object.fromEntries(extra.map(([key, c]) => [key, c.type])));
  }

  /** Runs the loop until an exit condition or the step limit. */
  async run(inputs: AgentInputs): Promise<AgentOutputs> {
    return this.runAs(this, inputs);
  }

  /** @internal Runs the loop, reporting `instance` (a component wrapping this agent) to the tracer. */
  async runAs(instance: object, inputs: AgentInputs): Promise<AgentOutputs> {
    const given = inputs?.messages;
    if (!Array.isArray(given) || !given.every((m) => m instanceof ChatMessage)) {
      throw new TypeError("Agent input 'messages' must be a list of ChatMessage (e.g. [ChatMessage.fromUser(\"...\")]).");
    }
    const tools = flattenTools(this.tools);
    const state = new AgentState({ messages: { type: "list[ChatMessage]" }, ...this.stateSchema });
    state.set("messages", this.systemPrompt === undefined ? [...given] : [ChatMessage.fromSystem(this.systemPrompt), ...given]);
    for (const key of Object.keys(this.stateSchema)) if (key !== "messages" && inputs[key] !== undefined && inputs[key] !== null) state.set(key, inputs[key]);
    state.set("step_count", 0);
    state.set("token_usage", {});
    state.set("tool_call_counts", Object.fromEntries(tools.map((t) => [t.name, 0])));
    state.set("exit_reason", null);
    await this.chatGenerator.warmUp?.();

    const loop = async (): Promise<AgentOutputs> => {
      let steps = 0;
      let running = true;
      while (running && steps < this.maxAgentSteps) {
        const step = steps + 1;
        const tracer = getPipelineTracer();
        const runStep = () => this.#step(instance, step, tools, state, inputs);
        running = tracer?.traceAgentStep ? await tracer.traceAgentStep({ instance, step }, runStep) : await runStep();
        steps = step;
      }
      if (running) {
        reportOnce("haystack.agent.max-steps", "warn", `Agent reached maximum agent steps of ${this.maxAgentSteps}, stopping.`);
        state.set("exit_reason", "max_agent_steps");
      }
      return this.#outputs(state);
    };
    const tracer = getPipelineTracer();
    if (tracer?.traceAgent === undefined) return loop();
    const described: ToolDescription[] = tools.map((t) => t.toolSpec);
    return tracer.traceAgent(
      {
        instance,
        className: instance.constructor.name,
        maxAgentSteps: this.maxAgentSteps,
        tools: described,
        exitConditions: [...this.exitConditions],
        stateSchema: Object.fromEntries(Object.entries(this.stateSchema).map(([k, v]) => [k, { type: v.type }])),
        inputs: { ...inputs, messages: state.get("messages") },
      },
      loop,
    );
  }

  /** Same as {@link run}. */
  async runAsync(inputs: AgentInputs): Promise<AgentOutputs> {
    return this.run(inputs);
  }

  /** One LLM call and its tool calls; resolves `true` when the loop goes on. */
  async #step(instance: object, step: number, tools: Tool[], state: AgentState, inputs: AgentInputs): Promise<boolean> {
    const replies = await this.#callLlm(instance, step, tools, state, inputs);
    state.set("messages", replies);
    for (const reply of replies) {
      const usage = reply.meta["usage"];
      if (typeof usage === "object" && usage !== null) state.set("token_usage", accumulateUsage(state.get("token_usage") ?? {}, usage));
    }
    const exit = modelExitReason(replies);
    if (tools.length === 0 || exit !== null) {
      state.set("step_count", step);
      state.set("exit_reason", exit ?? "text");
      return false;
    }
    const messages = state.get("messages") as ChatMessage[];
    const pending = messages[messages.length - 1];
    const toolMessages =
      pending !== undefined && pending.toolCalls.length > 0
        ? await runToolCalls(pending, tools, state, {
            instance,
            step,
            raiseOnFailure: this.raiseOnToolInvocationFailure,
            concurrencyLimit: this.toolConcurrencyLimit,
            timeout: this.toolTimeout,
            streamingCallback: inputs.streamingCallback ?? this.streamingCallback,
          })
        : [];
    state.set("messages", toolMessages);
    const counts = { ...(state.get("tool_call_counts") as Record<string, number>) };
    for (const m of toolMessages) {
      const name = m.toolCallResult?.origin.toolName;
      if (name !== undefined) counts[name] = (counts[name] ?? 0) + 1;
    }
    state.set("tool_call_counts", counts);
    state.set("step_count", step);
    const toolExit =
      (this.exitConditions.length === 1 && this.exitConditions[0] === "text") || pending === undefined
        ? null
        : toolExitReason(this.exitConditions, pending, toolMessages);
    if (toolExit !== null) {
      state.set("exit_reason", toolExit);
      return false;
    }
    return true;
  }

  async #callLlm(instance: object, step: number, tools: Tool[], state: AgentState, inputs: AgentInputs): Promise<ChatMessage[]> {
    const tracer = getPipelineTracer();
    const userCallback = inputs.streamingCallback ?? this.streamingCallback;
    const generatorInputs: Parameters<ChatGeneratorLike["run"]>[0] = { messages: [...(state.get("messages") as ChatMessage[])] };
    if (tools.length > 0) generatorInputs.tools = tools;
    if (inputs.generationKwargs !== undefined && inputs.generationKwargs !== null) generatorInputs.generationKwargs = inputs.generationKwargs;
    if (userCallback !== undefined && userCallback !== null) {
      generatorInputs.streamingCallback = (chunk: StreamingChunk) => {
        tracer?.onStreamingChunk?.(chunk);
        return userCallback(chunk);
      };
    }
    const call = async () => this.chatGenerator.run(generatorInputs);
    const result = tracer?.traceAgentLlm
      ? await tracer.traceAgentLlm(
          {
            instance,
            step,
            generator: this.chatGenerator,
            generatorClassName: this.chatGenerator.constructor.name,
            generatorInitParameters: getComponentInfo(this.chatGenerator).initParameters,
            messages: generatorInputs.messages,
            tools: tools.map((t) => t.toolSpec),
            streaming: generatorInputs.streamingCallback !== undefined,
          },
          call,
        )
      : await call();
    if (!Array.isArray(result?.replies)) throw new TypeError(`${this.chatGenerator.constructor.name}.run must return { replies: ChatMessage[] }.`);
    return result.replies;
  }

  #outputs(state: AgentState): AgentOutputs {
    const messages = state.get("messages") as ChatMessage[];
    const out: AgentOutputs = {
      messages,
      last_message: messages[messages.length - 1],
      step_count: state.get("step_count") as number,
      token_usage: state.get("token_usage") as Record<string, unknown>,
      tool_call_counts: state.get("tool_call_counts") as Record<string, number>,
      exit_reason: state.get("exit_reason") as string | null,
    };
    for (const key of Object.keys(this.stateSchema)) if (key !== "messages" && state.has(key)) out[key] = state.get(key);
    return out;
  }

  [inspect.custom](): string {
    return `Agent { chatGenerator: ${this.chatGenerator.constructor.name}, tools: [${flattenTools(this.tools)
      .map((t) => t.name)
      .join(", ")}], maxAgentSteps: ${this.maxAgentSteps} }`;
  }
}
