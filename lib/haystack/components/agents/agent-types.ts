/** The Agent's options, inputs, outputs and the chat generator contract it relies on. */
import type { ChatMessage } from "../../dataclasses/chat-message";
import type { ChatStreamingCallback } from "../../dataclasses/streaming-chunk";
import type { Tool } from "../../tools/tool";
import type { ToolsType } from "../../tools/toolset";
import type { StateKeySchema } from "./state";

/** What an agent needs from its chat generator (e.g. {@link OpenAIChatGenerator}). */
export interface ChatGeneratorLike {
  run(inputs: {
    messages: ChatMessage[];
    tools?: Tool[];
    streamingCallback?: ChatStreamingCallback;
    generationKwargs?: Record<string, unknown>;
  }): Promise<{ replies: ChatMessage[] }> | { replies: ChatMessage[] };
  warmUp?(): unknown;
}

/** Options of {@link Agent}. */
export interface AgentOptions {
  /** A `@component` chat generator with a `tools` input. */
  chatGenerator: ChatGeneratorLike;
  tools?: ToolsType;
  /** Sent first, as a system message, on every run. */
  systemPrompt?: string;
  /** `"text"` (a reply without tool calls) and/or tool names that end the run once they succeed. Default `["text"]`. */
  exitConditions?: string[];
  /** Default 100; reaching it ends the run with a warning and `exit_reason: "max_agent_steps"`. */
  maxAgentSteps?: number;
  /** Extra state keys: inputs of the agent, filled by tools (`outputsToState`), returned as outputs. */
  stateSchema?: Record<string, StateKeySchema>;
  streamingCallback?: ChatStreamingCallback;
  /** How many tool calls of one step run at once (default 4). */
  toolConcurrencyLimit?: number;
  /** Throw a tool's error instead of sending it to the model as an error result (default false). */
  raiseOnToolInvocationFailure?: boolean;
  /** Seconds a tool call may take before it fails (default: no limit). */
  toolTimeout?: number;
}

/** Run-time inputs of {@link Agent}. */
export interface AgentInputs {
  messages: ChatMessage[];
  streamingCallback?: ChatStreamingCallback | null;
  generationKwargs?: Record<string, unknown> | null;
  /** Values for the keys of `stateSchema`. */
  [stateKey: string]: unknown;
}

/** The agent's outputs: the conversation, run metadata and the state schema's keys. */
export interface AgentOutputs {
  messages: ChatMessage[];
  /**
   * The last of `messages`. Undefined only when `messages` is empty — a run given no messages and no
   * system prompt whose generator replied with none — where Haystack 3.4's `Agent.run` leaves the key out
   * (`if msgs := result.get("messages"): result["last_message"] = msgs[-1]`) rather than raising.
   */
  last_message: ChatMessage | undefined;
  step_count: number;
  token_usage: Record<string, unknown>;
  tool_call_counts: Record<string, number>;
  exit_reason: string | null;
  [stateKey: string]: unknown;
}
