/**
 * `ChatMessage` → the message dictionary of OpenAI's Chat Completions API, as Haystack 3.4's
 * `to_openai_dict_format`: `meta` is dropped, tool-call arguments become JSON strings, a tool
 * result becomes a `tool` message with its call's id, a string `meta.refusal` is sent as a refusal.
 */
import { reportOnce } from "../../internal/diagnostics";
import { TextContent, ToolCall, ToolCallResult, type ChatMessageContent, type JsonObject } from "./content-parts";
import { pythonJsonDumps } from "../../internal/python-json";

/** An OpenAI Chat Completions message. */
export interface OpenAIMessageDict {
  role: string;
  name?: string;
  content?: string | { type: string; [key: string]: unknown }[];
  refusal?: string;
  tool_call_id?: string;
  tool_calls?: { id?: string; type: "function"; function: { name: string; arguments: string } }[];
}

function missingId(): never {
  throw new TypeError(
    "A ToolCall needs a non-null id to be sent to OpenAI: keep the id the model returned, or pass requireToolCallIds: false for APIs that do not use ids.",
  );
}

/** What the conversion reads of a `ChatMessage` (declared here so this module does not import it back). */
export interface ConvertibleMessage {
  readonly role: string;
  readonly name: string | null;
  readonly meta: JsonObject;
  readonly content: readonly ChatMessageContent[];
}

/** The message's texts, tool calls and tool results, read in one pass over its content. */
function partsOf(content: readonly ChatMessageContent[]): { texts: string[]; toolCalls: ToolCall[]; toolCallResults: ToolCallResult[] } {
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  const toolCallResults: ToolCallResult[] = [];
  for (const part of content) {
    if (part instanceof TextContent) texts.push(part.text);
    else if (part instanceof ToolCall) toolCalls.push(part);
    else if (part instanceof ToolCallResult) toolCallResults.push(part);
  }
  return { texts, toolCalls, toolCallResults };
}

/** Converts one message; see the module comment. */
export function toOpenAIMessage(message: ConvertibleMessage, requireToolCallIds: boolean): OpenAIMessageDict {
  const { texts, toolCalls, toolCallResults } = partsOf(message.content);
  if (texts.length + toolCalls.length + toolCallResults.length === 0 && message.role !== "assistant") {
    throw new TypeError(`A ChatMessage from '${message.role}' must contain text, a tool call or a tool call result; only assistant messages can be empty.`);
  }
  if (toolCallResults.length > 0 && message.content.length > 1) {
    throw new TypeError("For OpenAI, a ChatMessage with a ToolCallResult cannot contain any other content.");
  }
  const out: OpenAIMessageDict = { role: message.role };
  if (message.name !== null) out.name = message.name;
  if (message.role === "user") {
    out.content = texts.length === 1 && message.content.length === 1 ? texts[0]! : texts.map((text) => ({ type: "text", text }));
    return out;
  }
  const result = toolCallResults[0];
  if (result !== undefined) {
    out.content = typeof result.result === "string" ? result.result : result.result.map((part) => ({ type: "text", text: part.text }));
    if (result.origin.id !== null) out.tool_call_id = result.origin.id;
    else if (requireToolCallIds) missingId();
    return out;
  }
  if (texts[0] !== undefined) out.content = texts[0];
  let refusal = message.role === "assistant" ? message.meta["refusal"] : undefined;
  if (typeof refusal !== "string") refusal = undefined;
  else if (refusal !== "" && toolCalls.length > 0) {
    reportOnce(
      "haystack.openai.refusal-with-tool-calls",
      "warn",
      "Dropping the refusal of an assistant message that also has tool calls: OpenAI ignores the tool calls of a message with a refusal.",
    );
    refusal = undefined;
  }
  if (typeof refusal === "string" && refusal !== "") {
    if (out.content !== undefined) out.refusal = refusal;
    else out.content = [{ type: "refusal", refusal }];
  }
  if (toolCalls.length > 0) {
    out.tool_calls = toolCalls.map((call) => {
      const entry: NonNullable<OpenAIMessageDict["tool_calls"]>[number] = {
        type: "function",
        function: { name: call.toolName, arguments: pythonJsonDumps(call.arguments, { ensureAscii: false, hooks: true }) },
      };
      if (call.id !== null) entry.id = call.id;
      else if (requireToolCallIds) missingId();
      return entry;
    });
  }
  if (out.content === undefined && out.tool_calls === undefined) out.content = "";
  return out;
}
