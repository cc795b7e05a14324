/**
 * Runs the tool calls of one agent step, as Haystack 3.4's `tool_calling.py`: an unknown tool,
 * arguments that are not valid JSON or do not match the tool's schema, a tool that throws or that
 * does not finish in time each become a tool message with `error: true` — or, with
 * `raiseOnFailure`, the typed error. Calls run concurrently up to a limit; results come back in
 * call order (unknown-tool errors first, as in Haystack). Each call runs inside the tracer's
 * `traceToolCall`, so a failed call is a failed span.
 */
import { ChatMessage } from "../../dataclasses/chat-message";
import type { ToolCall } from "../../dataclasses/content-parts";
import { forEachLimited } from "../../../internal/for-each-limited";
import { pythonJsonDumps } from "../../../internal/python-json";
import { StreamingChunk, type ChatStreamingCallback } from "../../dataclasses/streaming-chunk";
import { getPipelineTracer } from "../../tracing-hook";
import { ToolInvocationError, ToolNotFoundError } from "../../tools/errors";
import type { Tool } from "../../tools/tool";
import { INVALID_ARGUMENTS_KEY } from "../generators/chat/openai-conversion";
import type { AgentState } from "./state";
import { scheduleToolCalls } from "./tool-schedule";

/** Options of {@link runToolCalls}. */
export interface ToolCallingOptions {
  instance: object;
  step: number;
  raiseOnFailure: boolean;
  concurrencyLimit: number;
  /** Seconds a tool may take; `undefined` waits forever. */
  timeout: number | undefined;
  /** Receives one chunk per tool result, then a `tool_call_results` chunk, as in Haystack. */
  streamingCallback?: ChatStreamingCallback | undefined;
}

/** Strings pass as they are; anything else becomes Python-style JSON text, as Haystack's `_result_to_string`. */
export function resultToString(result: unknown): string {
  return typeof result === "string" ? result : pythonJsonDumps(result, { ensureAscii: false, hooks: true });
}

function withTimeout<T>(promise: Promise<T>, tool: Tool, seconds: number | undefined): Promise<T> {
  if (seconds === undefined) return promise;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new ToolInvocationError(`Tool \`${tool.name}\` did not finish within ${seconds} s (the agent's toolTimeout).`, tool.name)),
      seconds * 1000,
    );
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function argumentsFor(tool: Tool, call: ToolCall, state: AgentState): Record<string, unknown> {
  const invalid = call.extra?.[INVALID_ARGUMENTS_KEY];
  if (typeof invalid === "string") {
    throw new ToolInvocationError(
      `Invalid arguments for Tool \`${tool.name}\`: ${JSON.stringify(invalid)} is not a JSON object. Call it again with valid JSON arguments.`,
      tool.name,
    );
  }
  const args: Record<string, unknown> = { ...call.arguments };
  for (const [stateKey, param] of Object.entries(tool.inputsFromState ?? {})) {
    if (!(param in args) && state.has(stateKey)) args[param] = state.get(stateKey);
  }
  return args;
}

function mergeIntoState(tool: Tool, result: unknown, state: AgentState): void {
  if (typeof result !== "object" || result === null || Array.isArray(result)) return;
  const record = result as Record<string, unknown>;
  for (const [stateKey, config] of Object.entries(tool.outputsToState ?? {})) {
    if (config.source !== undefined && !(config.source in record)) continue;
    state.set(stateKey, config.source === undefined ? result : record[config.source], config.handler);
  }
}

function outputToString(config: { source?: string; handler?: (v: unknown) => unknown; rawResult?: boolean }, result: unknown): unknown {
  const value = config.source !== undefined && typeof result === "object" && result !== null ? (result as Record<string, unknown>)[config.source] : result;
  if (config.handler === undefined) return config.rawResult ? value : resultToString(value);
  return config.handler(value);
}

function resultMessage(tool: Tool, call: ToolCall, result: unknown): ChatMessage {
  const config = (tool.outputsToString ?? {}) as Record<string, unknown>;
  const single = Object.keys(config).length === 0 || "source" in config || "handler" in config || "rawResult" in config;
  if (single) return ChatMessage.fromTool(outputToString(config, result) as string, call);
  const perKey = Object.fromEntries(Object.entries(config).map(([key, c]) => [key, outputToString({ ...(c as object), rawResult: false }, result)]));
  return ChatMessage.fromTool(resultToString(perKey), call);
}

async function invokeOne(tool: Tool, call: ToolCall, state: AgentState, options: ToolCallingOptions): Promise<unknown> {
  const invoke = async (): Promise<unknown> => withTimeout(tool.invoke(argumentsFor(tool, call, state)), tool, options.timeout);
  const tracer = getPipelineTracer();
  if (tracer?.traceToolCall === undefined) return invoke();
  return tracer.traceToolCall(
    { instance: options.instance, step: options.step, toolName: tool.name, description: tool.description, callId: call.id, arguments: call.arguments },
    invoke,
  );
}

function resultChunk(message: ChatMessage, index: number): StreamingChunk {
  const result = message.toolCallResult!;
  return new StreamingChunk({ index, start: true, toolCallResult: result, meta: { tool_result: result.result, tool_call: result.origin.toDict() } });
}

/**
 * Runs every tool call of `message` and returns the tool messages to append, in call order. Calls
 * run in batches (see {@link scheduleToolCalls}) so one that reads a state key sees what the
 * step's writers of that key put there; each result streams as its batch finishes.
 */
export async function runToolCalls(message: ChatMessage, tools: readonly Tool[], state: AgentState, options: ToolCallingOptions): Promise<ChatMessage[]> {
  const byName = new Map(tools.map((t) => [t.name, t]));
  const errors: ChatMessage[] = [];
  const resolved: { call: ToolCall; tool: Tool }[] = [];
  for (const call of message.toolCalls) {
    const tool = byName.get(call.toolName);
    if (tool !== undefined) {
      resolved.push({ call, tool });
      continue;
    }
    const error = new ToolNotFoundError(call.toolName, [...byName.keys()]);
    if (options.raiseOnFailure) throw error;
    errors.push(ChatMessage.fromTool(error.message, call, { error: true }));
  }
  const results: ChatMessage[] = new Array<ChatMessage>(resolved.length);
  const callback = options.streamingCallback;
  let streamIndex = 0;
  for (const batch of scheduleToolCalls(resolved)) {
    const outcomes = new Map<number, { ok: true; value: unknown } | { ok: false; error: unknown }>();
    await forEachLimited(batch, options.concurrencyLimit, async (index) => {
      const { call, tool } = resolved[index]!;
      try {
        outcomes.set(index, { ok: true, value: await invokeOne(tool, call, state, options) });
      } catch (error) {
        outcomes.set(index, { ok: false, error });
      }
    });
    // Merged in call order within the batch, before the next batch reads the state.
    for (const index of batch) {
      const { call, tool } = resolved[index]!;
      const outcome = outcomes.get(index)!;
      if (!outcome.ok && options.raiseOnFailure) throw outcome.error;
      if (outcome.ok) mergeIntoState(tool, outcome.value, state);
      const message = outcome.ok
        ? resultMessage(tool, call, outcome.value)
        : ChatMessage.fromTool(outcome.error instanceof Error ? outcome.error.message : String(outcome.error), call, { error: true });
      results[index] = message;
      if (callback !== undefined) await callback(resultChunk(message, streamIndex++));
    }
  }
  if (callback !== undefined && errors.length + results.length > 0) {
    await callback(new StreamingChunk({ finishReason: "tool_call_results", meta: { finish_reason: "tool_call_results" } }));
  }
  return [...errors, ...results];
}
