/**
 * A scripted "model" for agent specs: the loopback OpenAI server answers by looking at the
 * conversation so far — tool calls first, then text once the tool results are in.
 */
import type { MockChatMessage, MockChatRequest, MockReply, MockToolCall } from "../../../support/openai-server";

/** The messages of a request. */
export function conversation(request: MockChatRequest): MockChatMessage[] {
  return request.messages ?? [];
}

/** How many tool results the conversation holds so far. */
export function toolResults(request: MockChatRequest): MockChatMessage[] {
  return conversation(request).filter((m) => m.role === "tool");
}

/** Replies with these tool calls on the first request, then (after each round of results) with `next`. */
export function callToolsThen(rounds: MockToolCall[][], final: (request: MockChatRequest) => string): (request: MockChatRequest) => MockReply {
  return (request) => {
    const assistantTurns = conversation(request).filter((m) => m.role === "assistant").length;
    const round = rounds[assistantTurns];
    return round === undefined ? final(request) : { content: "", toolCalls: round };
  };
}
