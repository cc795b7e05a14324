/**
 * Socket type tags and when a sender's output may feed a receiver's input.
 *
 * Tags: `any`, names (`str`, `int`, `Document`, ...), lists (`X[]`, `list[X]`, bare `list`), unions
 * (`A|B`, `Optional[X]` = `X|None`) and parentheses. Unlike Haystack's strict check, a sender typed
 * `any` may feed any receiver: untyped TypeScript components (`outputs: ["x"]`) would otherwise
 * connect to nothing typed.
 */
import { chatConversion, convertChatValue, type ChatConversion } from "./chat-conversion";
import type { SocketType } from "./sockets";
import type { TypeNode } from "./type-node";

export type { TypeNode };

/** How a value crosses a connection whose types differ: wrap `T` into `[T]`, or unwrap a one-item list. */
export type ConversionStrategy = "wrap" | "unwrap" | ChatConversion;

/** Result of checking one sender/receiver pair. */
export type Compatibility = { kind: "strict" } | { kind: "convert"; strategy: ConversionStrategy } | { kind: "none" };

const ANY: TypeNode = { kind: "any" };
const ALIASES: Record<string, string> = { string: "str", boolean: "bool", Any: "any", unknown: "any", Dict: "dict", object: "dict" };
const cache = new Map<string, TypeNode>();

function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "(" || ch === "[") depth++;
    else if (ch === ")" || ch === "]") depth--;
    else if (ch === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function union(members: TypeNode[]): TypeNode {
  const flat = members.flatMap((m) => (m.kind === "union" ? m.members : [m]));
  if (flat.some((m) => m.kind === "any")) return ANY;
  return flat.length === 1 ? flat[0]! : { kind: "union", members: flat };
}

function parse(text: string): TypeNode {
  const members = splitTopLevel(text, "|");
  if (members.length > 1) return union(members.map(parse));
  let t = text;
  if (t.endsWith("[]")) return { kind: "list", item: parse(t.slice(0, -2)) };
  if (t.startsWith("(") && t.endsWith(")")) return parse(t.slice(1, -1));
  const generic = /^([A-Za-z_][\w.]*)\[(.*)\]$/.exec(t);
  if (generic !== null) {
    const [, head = "", args = ""] = generic;
    const lower = head.toLowerCase();
    if (lower === "list" || lower === "sequence" || lower === "array") return { kind: "list", item: parse(args) };
    if (lower === "optional") return union([parse(args), { kind: "none" }]);
    if (lower === "union") return union(splitTopLevel(args, ",").map(parse));
    t = head;
  }
  t = ALIASES[t] ?? t;
  if (t === "any" || t === "") return ANY;
  if (t === "None" || t === "null" || t === "undefined") return { kind: "none" };
  if (t === "list" || t === "List" || t === "Array") return { kind: "list", item: ANY };
  return { kind: "name", name: t };
}

function node(type: SocketType): TypeNode {
  let parsed = cache.get(type);
  if (parsed === undefined) {
    parsed = parse(type.replace(/\s+/g, ""));
    cache.set(type, parsed);
  }
  return parsed;
}

function strict(sender: TypeNode, receiver: TypeNode): boolean {
  if (receiver.kind === "any" || sender.kind === "any") return true;
  if (sender.kind === "union") return sender.members.every((m) => strict(m, receiver));
  if (receiver.kind === "union") return receiver.members.some((m) => strict(sender, m));
  if (sender.kind === "list" && receiver.kind === "list") return strict(sender.item, receiver.item);
  if (sender.kind === "name" && receiver.kind === "name") return sender.name === receiver.name;
  return sender.kind === "none" && receiver.kind === "none";
}

/**
 * Item types a one-item list may be unwrapped from (Haystack 3.4's `inner in (str, ChatMessage)`):
 * unwrapping any other list would silently drop items. `ChatMessage` is added with the chat types.
 */
const UNWRAPPABLE_ITEMS: ReadonlySet<string> = new Set(["str"]);

function unwrappable(sender: TypeNode): boolean {
  return sender.kind === "list" && sender.item.kind === "name" && UNWRAPPABLE_ITEMS.has(sender.item.name);
}

function conversion(sender: TypeNode, receiver: TypeNode): ConversionStrategy | undefined {
  const targets = receiver.kind === "union" ? receiver.members : [receiver];
  for (const target of targets) {
    if (target.kind === "list" && sender.kind !== "list" && sender.kind !== "none" && strict(sender, target.item)) return "wrap";
    if (sender.kind === "list" && unwrappable(sender) && target.kind !== "list" && target.kind !== "none" && strict(sender.item, target)) return "unwrap";
  }
  return chatConversion(sender, receiver);
}

/**
 * Whether values of `sender` may be sent to `receiver` as they are, after a conversion, or not at all.
 *
 * @example
 * checkCompatibility("Document[]", "any"); // { kind: "strict" }
 * checkCompatibility("str", "str[]");      // { kind: "convert", strategy: "wrap" }
 */
export function checkCompatibility(sender: SocketType, receiver: SocketType): Compatibility {
  const s = node(sender);
  const r = node(receiver);
  if (strict(s, r)) return { kind: "strict" };
  const strategy = conversion(s, r);
  return strategy === undefined ? { kind: "none" } : { kind: "convert", strategy };
}

/** True for list types, optional lists and unions of lists: sockets that may become auto-variadic. */
export function isListType(type: SocketType): boolean {
  const t = node(type);
  if (t.kind === "list") return true;
  if (t.kind !== "union") return false;
  const members = t.members.filter((m) => m.kind !== "none");
  return members.length > 0 && members.every((m) => m.kind === "list");
}

/** Applies a conversion to a value; `unwrap` requires exactly one item. */
export function convertValue(strategy: ConversionStrategy, value: unknown): unknown {
  if (strategy === "wrap") return [value];
  if (strategy !== "unwrap") return convertChatValue(strategy, value);
  if (!Array.isArray(value) || value.length !== 1) {
    const got = Array.isArray(value) ? `a list of ${value.length} items` : typeof value;
    throw new TypeError(`cannot unwrap ${got}: the connection converts a one-item list to its item`);
  }
  return value[0];
}
