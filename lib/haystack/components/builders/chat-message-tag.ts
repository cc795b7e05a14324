/**
 * Haystack 3.4.1's `{% message role=… name=… meta={…} %}…{% endmessage %}` tag
 * (`haystack/utils/jinja2_chat_extension.py`) on a Jinja engine without extensions: each tag
 * becomes a marker whose role, name and meta are ordinary `{{ }}` expressions, so they render
 * (loops included) and their variables become sockets; the rendering is then cut back into
 * messages. Bad tags fail with Haystack's messages. Meta travels as `items` pairs, which keep the
 * dict literal's key order (`tojson` sorts keys).
 */
import { ChatMessage } from "../../dataclasses/chat-message";
import type { JsonObject } from "../../dataclasses/content-parts";
import { pythonStringRepr } from "../../../internal/python-repr";

const ROLES = ["user", "system", "assistant", "tool"];
const TAG = /\{%-?\s*message\b([\s\S]*?)-?%\}/g;
const CLOSE = /\{%-?\s*endmessage\s*-?%\}/g;
const START = "\u0000message\u0001";
const FIELD = "\u0001";
const END = "\u0000endmessage\u0000";

const STRING_LITERAL = /^(["'])((?:(?!\1)[^\\]|\\.)*)\1$/;

/** The `word=` keywords at bracket depth 0 outside string literals, with where each starts and where its value starts. */
function keywords(args: string): { word: string; at: number; value: number }[] {
  const found: { word: string; at: number; value: number }[] = [];
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const ch = args[i]!;
    if (quote !== undefined) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if ("([{".includes(ch)) depth++;
    else if (")]}".includes(ch)) depth--;
    else if (depth === 0 && /[A-Za-z_]/.test(ch) && (i === 0 || /\s/.test(args[i - 1]!))) {
      const match = /^([A-Za-z_]\w*)\s*=(?!=)/.exec(args.slice(i));
      if (match !== null) found.push({ word: match[1]!, at: i, value: i + match[0].length });
    }
  }
  return found;
}

/** The `{{ }}` marker replacing one tag: role, name and meta as expressions the template renders. */
function marker(args: string): string {
  const parts = keywords(args);
  const first = parts[0];
  if (first?.word !== "role" || args.slice(0, first.at).trim() !== "") {
    const got = first !== undefined && args.slice(0, first.at).trim() === "" ? first.word : (args.trim().split(/[\s=]/)[0] ?? "");
    throw new SyntaxError(`expected token 'role', got '${got || "end of statement block"}'`);
  }
  const values: Record<string, string> = {};
  const allowed = ["name", "meta"];
  parts.forEach((part, i) => {
    if (i > 0) {
      const next = allowed.indexOf(part.word);
      if (next === -1) throw new SyntaxError(`expected token 'end of statement block', got '${part.word}'`);
      allowed.splice(0, next + 1);
    }
    values[part.word] = args.slice(part.value, parts[i + 1]?.at ?? args.length).trim();
  });
  const role = values["role"]!;
  const roleLiteral = STRING_LITERAL.exec(role);
  if (roleLiteral !== null && !ROLES.includes(roleLiteral[2]!)) throw new SyntaxError(`Role must be one of: ${ROLES.join(", ")}`);
  const name = values["name"];
  if (name !== undefined && !STRING_LITERAL.test(name)) {
    if (/^(-?[\d.]|true\b|false\b|none\b|True\b|False\b|None\b|\[|\{|\()/.test(name)) throw new SyntaxError("name must be a string");
    throw new SyntaxError(`A {% message %} tag's name must be a string literal, got name=${name} (Haystack 3.4.1 fails on it with AttributeError).`);
  }
  const meta = values["meta"];
  if (meta !== undefined && !(meta.startsWith("{") && meta.endsWith("}"))) throw new SyntaxError("meta must be a dictionary");
  return `${START}{{ (${role}) }}${FIELD}{{ ${name ?? "none"} | tojson }}${FIELD}{{ (${meta ?? "{}"}) | items | list | tojson }}${FIELD}`;
}

/** A string template with its `{% message %}` tags turned into markers that survive rendering. */
export function markMessageTags(source: string): string {
  const opened = (source.match(TAG) ?? []).length;
  const closed = (source.match(CLOSE) ?? []).length;
  if (opened === 0) throw new TypeError('A ChatPromptBuilder string template needs {% message role="user" %}…{% endmessage %} blocks.');
  if (opened > closed) {
    throw new SyntaxError(
      "Unexpected end of template. Jinja was looking for the following tags: 'endmessage'. The innermost block that needs to be closed is 'message'.",
    );
  }
  if (closed > opened) throw new SyntaxError("Encountered unknown tag 'endmessage'.");
  return source.replace(TAG, (_tag, args: string) => marker(args)).replace(CLOSE, END);
}

/** Haystack reads the rendering line by line as messages, so any other text fails there; here it is named. */
function refuseStrayText(text: string): void {
  if (text.trim() === "") return;
  const preview = text.trim().length > 60 ? `${text.trim().slice(0, 60)}…` : text.trim();
  throw new TypeError(`A ChatPromptBuilder string template rendered text outside its {% message %} blocks: ${JSON.stringify(preview)}. Move it into a block.`);
}

/** Haystack's `_validate_build_chat_message` for a message whose content is text. */
function buildMessage(role: string, text: string, options: { name: string | null; meta: JsonObject }): ChatMessage {
  if (role === "user") return ChatMessage.fromUser(text, options);
  if (role === "system") return ChatMessage.fromSystem(text, options);
  if (role === "assistant") return ChatMessage.fromAssistant(text, options);
  if (role === "tool") throw new TypeError("Tool message must contain only one tool call result.");
  throw new TypeError(`Unsupported role: ${role}`);
}

/** The messages of a rendering of {@link markMessageTags}' output. */
export function messagesFromRendered(rendered: string): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const [before = "", ...pieces] = rendered.split(START);
  refuseStrayText(before);
  for (const piece of pieces) {
    const [role = "", name = "null", meta = "[]", ...rest] = piece.split(FIELD);
    const [body = "", after = ""] = rest.join(FIELD).split(END);
    refuseStrayText(after);
    const text = body.trim();
    if (text === "") throw new TypeError(`Message content in template is empty or contains only whitespace characters. Content: ${pythonStringRepr(body)}`);
    messages.push(
      buildMessage(role, text, { name: JSON.parse(name) as string | null, meta: Object.fromEntries(JSON.parse(meta) as [string, JsonObject[string]][]) }),
    );
  }
  return messages;
}
