import { describeValue } from "../../../internal/describe-value";
import { component, setInputTypes, type InputSocketSpec } from "../../component";
import { ChatMessage } from "../../dataclasses/chat-message";
import { TextContent } from "../../dataclasses/content-parts";
import { JinjaTemplate } from "../jinja-template";
import { markMessageTags, messagesFromRendered } from "./chat-message-tag";

/** Options of {@link ChatPromptBuilder}. */
export interface ChatPromptBuilderOptions {
  /**
   * `ChatMessage`s whose user and system texts are Jinja2 templates, or one Jinja2 string with
   * `{% message role="system" name="…" meta={…} %}…{% endmessage %}` blocks (role an expression, `name` a string
   * literal, `meta` a dict literal whose values are expressions).
   * Leave it out to pass a template at run time.
   */
  template?: ChatMessage[] | string;
  /** Variables that must be given: `"*"` (all, Haystack 3's default), a list, or `null` (none). */
  requiredVariables?: readonly string[] | "*" | null;
  /** Use these variables as sockets instead of the ones found in the template. */
  variables?: readonly string[];
}

/** Run-time inputs of {@link ChatPromptBuilder}. */
export interface ChatPromptBuilderInputs {
  template?: ChatMessage[] | string | null;
  templateVariables?: Record<string, unknown> | null;
  [variable: string]: unknown;
}

const RESERVED = new Set(["template", "templateVariables"]);

/** A string template with its message blocks turned into markers that survive rendering (loops included). */
function markedTemplate(source: string): JinjaTemplate {
  return new JinjaTemplate(markMessageTags(source));
}

/** Templates of the user and system texts of a message list (assistant and tool messages pass unchanged). */
function messageTemplates(template: readonly ChatMessage[]): (JinjaTemplate | undefined)[][] {
  if (!Array.isArray(template) || !template.every((m) => m instanceof ChatMessage)) {
    throw new TypeError("ChatPromptBuilder template must be a list of ChatMessage or a string with {% message %} blocks.");
  }
  return template.map((m) => {
    if (m.role !== "user" && m.role !== "system") return [];
    if (m.text === null) throw new TypeError(`ChatMessages from ${m.role} role must contain text.`);
    return m.content.map((part) => (part instanceof TextContent ? new JinjaTemplate(part.text) : undefined));
  });
}

type Compiled = { kind: "list"; messages: readonly ChatMessage[]; parts: (JinjaTemplate | undefined)[][] } | { kind: "string"; template: JinjaTemplate };

function compile(template: ChatMessage[] | string): Compiled {
  return typeof template === "string"
    ? { kind: "string", template: markedTemplate(template) }
    : { kind: "list", messages: template, parts: messageTemplates(template) };
}

function variablesOf(compiled: Compiled | undefined): string[] {
  if (compiled === undefined) return [];
  if (compiled.kind === "string") return [...compiled.template.variables];
  return [...new Set(compiled.parts.flat().flatMap((t) => (t === undefined ? [] : t.variables)))];
}

/**
 * Haystack 3.4's `ChatPromptBuilder`: renders chat messages from Jinja2 templates. Template
 * variables become input sockets, all required unless `requiredVariables` says otherwise.
 *
 * @example
 * const builder = new ChatPromptBuilder({ template: [ChatMessage.fromSystem("Answer in {{ language }}."), ChatMessage.fromUser("{{ question }}")] });
 * builder.run({ language: "French", question: "Capital of Italy?" }).prompt[1]?.text; // "Capital of Italy?"
 */
@component({
  type: "haystack.components.builders.chat_prompt_builder.ChatPromptBuilder",
  inputs: { template: { type: "any", optional: true }, templateVariables: { type: "dict", optional: true } },
  outputs: { prompt: "list[ChatMessage]" },
})
export class ChatPromptBuilder {
  readonly variables: readonly string[];
  readonly requiredVariables: readonly string[];
  readonly #compiled: Compiled | undefined;

  constructor(options: ChatPromptBuilderOptions = {}) {
    this.#compiled = options.template === undefined ? undefined : compile(options.template);
    this.variables = Object.freeze([...(options.variables ?? variablesOf(this.#compiled))]);
    const required = options.requiredVariables === undefined ? "*" : options.requiredVariables;
    if (required !== null && required !== "*" && (!Array.isArray(required) || required.some((v) => typeof v !== "string"))) {
      throw new TypeError(`ChatPromptBuilder requiredVariables must be "*", a list of variable names or null, got ${describeValue(required)}.`);
    }
    this.requiredVariables = Object.freeze(required === null ? [] : required === "*" ? [...this.variables] : [...required]);
    const sockets: Record<string, InputSocketSpec> = {};
    for (const name of this.variables) {
      if (!RESERVED.has(name)) sockets[name] = this.requiredVariables.includes(name) ? { type: "any" } : { type: "any", default: "" };
    }
    setInputTypes(this, sockets);
  }

  /** Renders the messages; throws naming missing required variables. */
  run(inputs: ChatPromptBuilderInputs = {}): { prompt: ChatMessage[] } {
    const { template, templateVariables, ...socketValues } = inputs;
    const values: Record<string, unknown> = { ...socketValues, ...(templateVariables ?? {}) };
    const compiled = template === undefined || template === null ? this.#compiled : compile(template);
    if (compiled === undefined || (compiled.kind === "list" && compiled.messages.length === 0)) {
      throw new TypeError("ChatPromptBuilder has no template: pass one at construction or as the 'template' input.");
    }
    // Haystack checks only when there is a user or system text to render.
    const renders = compiled.kind === "string" || compiled.parts.some((parts) => parts.length > 0);
    const missing = renders ? this.requiredVariables.filter((name) => values[name] === undefined) : [];
    if (missing.length > 0) {
      throw new TypeError(
        `Missing required input variables in ChatPromptBuilder: ${missing.join(", ")}. Required variables: ${this.requiredVariables.join(", ")}. Provided variables: ${Object.keys(values).join(", ") || "none"}.`,
      );
    }
    if (compiled.kind === "string") return { prompt: messagesFromRendered(compiled.template.render(values)) };
    const prompt = compiled.messages.map((message, i) => {
      const parts = compiled.parts[i]!;
      if (parts.length === 0) return message;
      const texts = parts.map((t) => (t === undefined ? undefined : t.render(values)));
      const dict = message.toDict();
      dict.content = message.content.map((_part, j) => (texts[j] === undefined ? dict.content[j]! : { text: texts[j] }));
      return ChatMessage.fromDict(dict);
    });
    return { prompt };
  }

  /** Same as {@link run}, as a promise. */
  async runAsync(inputs: ChatPromptBuilderInputs = {}): Promise<{ prompt: ChatMessage[] }> {
    return this.run(inputs);
  }
}
