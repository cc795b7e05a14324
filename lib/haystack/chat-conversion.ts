/**
 * Haystack 3.4's `str` ↔ `ChatMessage` conversions at a pipeline connection (`core/type_utils.py`):
 * a string becomes one user message; a message becomes its text (an error when it has none); each
 * can also be wrapped into, or unwrapped from, a one-item list. Tried after the plain wrap/unwrap,
 * as Haystack's strategy priority does.
 */
import { describeValue } from "../internal/describe-value";
import { ChatMessage } from "./dataclasses/chat-message";
import type { TypeNode } from "./type-node";

/** A conversion between `str` and `ChatMessage`, possibly with a list wrap or unwrap. */
export type ChatConversion =
  "strToChatMessage" | "chatMessageToStr" | "wrapStrToChatMessage" | "wrapChatMessageToStr" | "unwrapStrToChatMessage" | "unwrapChatMessageToStr";

const PRIORITY: readonly ChatConversion[] = [
  "chatMessageToStr",
  "strToChatMessage",
  "wrapChatMessageToStr",
  "wrapStrToChatMessage",
  "unwrapChatMessageToStr",
  "unwrapStrToChatMessage",
];

const isName = (t: TypeNode, name: string): boolean => t.kind === "name" && t.name === name;
const contains = (t: TypeNode, name: string): boolean => isName(t, name) || (t.kind === "union" && t.members.some((m) => contains(m, name)));

/** The conversion from `sender` to `receiver`, if Haystack 3.4 has one. */
export function chatConversion(sender: TypeNode, receiver: TypeNode): ChatConversion | undefined {
  if (sender.kind === "union") {
    const found = new Set(sender.members.map((m) => chatConversion(m, receiver)));
    return found.size === 1 ? [...found][0] : undefined;
  }
  if (receiver.kind === "union") {
    const found = new Set(receiver.members.map((m) => chatConversion(sender, m)));
    return PRIORITY.find((p) => found.has(p));
  }
  if (isName(sender, "ChatMessage") && isName(receiver, "str")) return "chatMessageToStr";
  if (isName(sender, "str") && isName(receiver, "ChatMessage")) return "strToChatMessage";
  if (receiver.kind === "list") {
    if (contains(sender, "ChatMessage") && contains(receiver.item, "str")) return "wrapChatMessageToStr";
    if (contains(sender, "str") && contains(receiver.item, "ChatMessage")) return "wrapStrToChatMessage";
  }
  if (sender.kind === "list") {
    const inner = chatConversion(sender.item, receiver);
    if (inner === "strToChatMessage") return "unwrapStrToChatMessage";
    if (inner === "chatMessageToStr") return "unwrapChatMessageToStr";
  }
  return undefined;
}

function text(value: unknown): string {
  const message = value as ChatMessage;
  if (!(message instanceof ChatMessage)) throw new TypeError(`expected a ChatMessage, got ${describeValue(value)}`);
  if (message.text === null) throw new TypeError("Cannot convert a ChatMessage to str because it has no text.");
  return message.text;
}

function user(value: unknown): ChatMessage {
  if (typeof value !== "string") throw new TypeError(`expected a str to make a user ChatMessage, got ${describeValue(value)}`);
  return ChatMessage.fromUser(value);
}

function only(value: unknown): unknown {
  if (!Array.isArray(value) || value.length !== 1) {
    const got = Array.isArray(value) ? `a list of ${value.length} items` : typeof value;
    throw new TypeError(`cannot unwrap ${got}: a list-to-single-value connection only accepts one-item lists, otherwise items would be dropped`);
  }
  return value[0];
}

/** Applies a {@link ChatConversion} to a value crossing the connection. */
export function convertChatValue(strategy: ChatConversion, value: unknown): unknown {
  switch (strategy) {
    case "strToChatMessage":
      return user(value);
    case "chatMessageToStr":
      return text(value);
    case "wrapStrToChatMessage":
      return [user(value)];
    case "wrapChatMessageToStr":
      return [text(value)];
    case "unwrapStrToChatMessage":
      return user(only(value));
    case "unwrapChatMessageToStr":
      return text(only(value));
  }
}
