/**
 * What one agent step decides, as Haystack 3.4's `agent.py`: when a reply ends the run, the
 * usage sum across LLM calls, per-tool call counts and tool exit conditions.
 */
import type { ChatMessage } from "../../dataclasses/chat-message";

/** Why a run stopped: `text`, `length`, `content_filter`, a tool's name, or `max_agent_steps`. */
export type ExitReason = string;

/** The reason a reply without tool calls ends the run, or `null` when it does not (an empty reply). */
export function modelExitReason(replies: readonly ChatMessage[]): ExitReason | null {
  if (replies.length === 0 || replies.some((m) => m.toolCall !== null)) return null;
  const last = replies[replies.length - 1]!;
  if (last.role !== "assistant") return null;
  const finish = last.meta["finish_reason"];
  if (finish === "length" || finish === "content_filter") return finish;
  return last.text ? "text" : null;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Sums numeric leaves of two usage objects recursively (nested details included); other values take the new one. */
export function accumulateUsage(current: unknown, incoming: unknown): unknown {
  if (isRecord(current) && isRecord(incoming)) {
    const out: Record<string, unknown> = { ...current };
    // for…in rather than Object.entries, which builds a [key, value] array per key in the runtime.
    for (const k in incoming) {
      if (!hasOwn.call(incoming, k)) continue;
      const v = incoming[k];
      out[k] = k in out ? accumulateUsage(out[k], v) : cloned(v);
    }
    return out;
  }
  if (typeof current === "number" && typeof incoming === "number") return current + incoming;
  return incoming;
}

/**
 * `structuredClone(value)`, without the call for what it would copy as it is: a primitive, or a
 * plain record of primitives (OpenAI's `prompt_tokens_details`). Each call serializes and
 * deserializes (~4k instructions or more); anything else still goes through it.
 */
function cloned(value: unknown): unknown {
  if (typeof value === "object" && value !== null) return flatRecordCopy(value) ?? structuredClone(value);
  return typeof value === "function" || typeof value === "symbol" ? structuredClone(value) : value;
}

function flatRecordCopy(value: object): Record<string, unknown> | undefined {
  if (Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key in source) {
    if (!hasOwn.call(source, key)) continue;
    const item = source[key];
    if ((typeof item === "object" && item !== null) || typeof item === "function" || typeof item === "symbol") return undefined;
    out[key] = item;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The name of an exit-condition tool the model called and that did not fail, or `null`. */
export function toolExitReason(exitConditions: readonly string[], pending: ChatMessage, toolMessages: readonly ChatMessage[]): ExitReason | null {
  const errored = new Set(toolMessages.flatMap((m) => (m.toolCallResult?.error ? [m.toolCallResult.origin.toolName] : [])));
  let first: string | null = null;
  for (const call of pending.toolCalls) {
    if (!exitConditions.includes(call.toolName)) continue;
    if (errored.has(call.toolName)) return null;
    first ??= call.toolName;
  }
  return first;
}
