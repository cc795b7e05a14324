import { describeValue } from "../../internal/describe-value";
import { component, setInputTypes, type InputSocketSpec } from "../component";
import { reportOnce } from "../../internal/diagnostics";
import { JinjaTemplate } from "./jinja-template";

/** Options of {@link PromptBuilder}. */
export interface PromptBuilderOptions {
  /** A Jinja2 template; its undeclared variables become input sockets. */
  template: string;
  /**
   * Variables that must be given: `"*"` (the default, as in Haystack 3) for all, a list for some,
   * `null` for none; the others are optional and default to `""`.
   */
  requiredVariables?: readonly string[] | "*" | null;
  /** Use these variables as sockets instead of the ones found in the template. */
  variables?: readonly string[];
}

/** Run-time inputs of {@link PromptBuilder}: the template variables, plus two optional overrides. */
export interface PromptBuilderInputs {
  /** Renders this template instead of the one given at construction. */
  template?: string | null;
  /** Values that take precedence over same-named socket inputs. */
  templateVariables?: Record<string, unknown> | null;
  [variable: string]: unknown;
}

const RESERVED = new Set(["template", "templateVariables"]);

/**
 * Renders a Jinja2 prompt from pipeline inputs, like Haystack 3's `PromptBuilder`. Template
 * variables become `any`-typed input sockets (all required by default; optional ones default to `""`), so
 * Documents, strings or lists connect to them; objects render by field (`doc.content`,
 * `doc.meta['name']`).
 *
 * @example
 * const builder = new PromptBuilder({ template: "Answer: {{ question }}", requiredVariables: ["question"] });
 * builder.run({ question: "Why?" }); // { prompt: "Answer: Why?" }
 */
@component({
  type: "haystack.components.builders.prompt_builder.PromptBuilder",
  inputs: { template: { type: "str", optional: true }, templateVariables: { type: "dict", optional: true } },
  outputs: { prompt: "str" },
})
export class PromptBuilder {
  private readonly template: JinjaTemplate;
  readonly variables: readonly string[];
  readonly requiredVariables: readonly string[];
  private runtimeTemplate: JinjaTemplate | undefined;

  constructor(options: PromptBuilderOptions) {
    if (typeof options?.template !== "string") {
      throw new TypeError(`PromptBuilder needs a 'template' string, got ${describeValue(options?.template)}.`);
    }
    this.template = new JinjaTemplate(options.template);
    this.variables = Object.freeze([...(options.variables ?? this.template.variables)]);
    const required = options.requiredVariables === undefined ? "*" : (options.requiredVariables ?? []);
    if (options.requiredVariables === null && this.variables.length > 0) {
      reportOnce(
        "haystack.prompt-builder.all-optional",
        "warn",
        `PromptBuilder has ${this.variables.length} prompt variables and requiredVariables is explicitly null: all are optional, which may ` +
          `run a builder on a branch that was not taken. Set requiredVariables to null only if you mean it.`,
      );
    }
    if (required !== "*" && (!Array.isArray(required) || required.some((v) => typeof v !== "string"))) {
      throw new TypeError(`PromptBuilder requiredVariables must be an array of variable names or "*", got ${describeValue(required)}.`);
    }
    this.requiredVariables = Object.freeze(required === "*" ? [...this.variables] : [...required]);
    const unknown = this.requiredVariables.filter((v) => !this.variables.includes(v));
    if (unknown.length > 0) {
      throw new TypeError(
        `PromptBuilder requiredVariables names ${unknown.join(", ")}, which the template does not use ` +
          `(its variables: ${this.variables.join(", ") || "none"}). Fix the name or add it to 'variables'.`,
      );
    }
    const sockets: Record<string, InputSocketSpec> = {};
    for (const name of this.variables) {
      if (RESERVED.has(name)) continue;
      sockets[name] = this.requiredVariables.includes(name) ? { type: "any" } : { type: "any", default: "" };
    }
    setInputTypes(this, sockets);
  }

  /** Renders the prompt; throws naming any missing required variable. */
  run(inputs: PromptBuilderInputs = {}): { prompt: string } {
    const { template, templateVariables, ...socketValues } = inputs;
    const values: Record<string, unknown> = { ...socketValues, ...(templateVariables ?? {}) };
    const missing = this.requiredVariables.filter((name) => !(name in values) || values[name] === undefined);
    if (missing.length > 0) {
      throw new TypeError(
        `Missing required input variables in PromptBuilder: ${missing.join(", ")}. ` +
          `Required variables: ${this.requiredVariables.join(", ")}. Provided variables: ${Object.keys(values).join(", ") || "none"}.`,
      );
    }
    return { prompt: this.templateFor(template).render(values) };
  }

  /** Same as {@link run}, as a promise. */
  async runAsync(inputs: PromptBuilderInputs = {}): Promise<{ prompt: string }> {
    return this.run(inputs);
  }

  private templateFor(source: string | null | undefined): JinjaTemplate {
    if (source === undefined || source === null) return this.template;
    if (this.runtimeTemplate?.source !== source) this.runtimeTemplate = new JinjaTemplate(source);
    return this.runtimeTemplate;
  }
}
