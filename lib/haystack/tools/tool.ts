/**
 * Haystack 3.4's `Tool`: a name, a description and a JSON Schema the model sees, and the function
 * the agent runs when the model calls it. Arguments are validated against the schema first.
 */
import { describeValue } from "../../internal/describe-value";
import { inspect } from "node:util";
import type { JsonObject } from "../dataclasses/content-parts";
import { pythonRepr } from "../../internal/python-repr";
import { argumentErrors, checkParametersSchema } from "./arguments-schema";
import { ToolInvocationError } from "./errors";

// Method-style (bivariant) so `({ city }: { city: string }) => ...` type-checks: the arguments are
// validated against the tool's JSON Schema before the call, which is the check that matters.
/** The function behind a tool: takes the arguments object, returns the result (or a promise of it). */
export type ToolFunction = { bivarianceHack(args: Record<string, unknown>): unknown }["bivarianceHack"];

/** How a result (or one key of it, `source`) becomes the text the model reads. */
export interface OutputToStringConfig {
  source?: string;
  handler?: (value: unknown) => unknown;
  /** Pass the (handled) value through without string conversion. */
  rawResult?: boolean;
}

/** Where a result (or one key of it) goes in the agent's state; `handler(current, value)` merges. */
export interface OutputToStateConfig {
  source?: string;
  handler?: (current: unknown, value: unknown) => unknown;
}

/** Options of {@link Tool}. */
export interface ToolOptions {
  name: string;
  description: string;
  /** JSON Schema of the arguments (draft 2020-12). */
  parameters: JsonObject;
  function: ToolFunction;
  /** One config for the whole result, or a config per key of the text sent back. */
  outputsToString?: OutputToStringConfig | Record<string, OutputToStringConfig>;
  /** State key → argument name, filled from the agent's state when the model leaves it out. */
  inputsFromState?: Record<string, string>;
  /** State key → which output to write there and how. */
  outputsToState?: Record<string, OutputToStateConfig>;
}

/** The function spec the model receives. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: JsonObject;
}

const ROOT_KEYS = new Set(["source", "handler", "rawResult"]);

function checkOptions(options: ToolOptions): void {
  if (typeof options?.name !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(options.name)) {
    throw new TypeError(`Tool name must be 1–64 letters, digits, '_' or '-' (what OpenAI accepts), got ${describeValue(options?.name)}.`);
  }
  if (typeof options.description !== "string") throw new TypeError(`Tool '${options.name}': description must be a string.`);
  if (typeof options.function !== "function") throw new TypeError(`Tool '${options.name}': function must be a function taking the arguments object.`);
  checkParametersSchema(options.name, options.parameters);
  const toString = options.outputsToString as Record<string, unknown> | undefined;
  if (toString !== undefined && !Object.keys(toString).some((k) => ROOT_KEYS.has(k))) {
    for (const [key, config] of Object.entries(toString)) {
      if (typeof config !== "object" || config === null || typeof (config as OutputToStringConfig).source !== "string") {
        throw new TypeError(`Tool '${options.name}': outputsToString.${key} must be { source, handler? } (each output needs a source).`);
      }
    }
  }
  for (const [key, config] of Object.entries(options.outputsToState ?? {})) {
    if (config.handler !== undefined && typeof config.handler !== "function") {
      throw new TypeError(`Tool '${options.name}': outputsToState.${key}.handler must be a function (current, value) => merged.`);
    }
  }
}

/**
 * A tool a model can call.
 *
 * @example
 * const weather = new Tool({
 *   name: "weather",
 *   description: "Current weather for a city",
 *   parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
 *   function: ({ city }) => `22°C and sunny in ${String(city)}`,
 * });
 */
export class Tool {
  readonly name: string;
  readonly description: string;
  readonly parameters: JsonObject;
  readonly function: ToolFunction;
  readonly outputsToString: ToolOptions["outputsToString"];
  readonly inputsFromState: Record<string, string> | undefined;
  readonly outputsToState: Record<string, OutputToStateConfig> | undefined;

  constructor(options: ToolOptions) {
    checkOptions(options);
    this.name = options.name;
    this.description = options.description;
    this.parameters = options.parameters;
    this.function = options.function;
    this.outputsToString = options.outputsToString;
    this.inputsFromState = options.inputsFromState;
    this.outputsToState = options.outputsToState;
  }

  /** `{ name, description, parameters }`, as sent to the model. */
  get toolSpec(): ToolSpec {
    return { name: this.name, description: this.description, parameters: this.parameters };
  }

  /**
   * Validates `args` against the schema and runs the function. Any failure becomes a
   * {@link ToolInvocationError} (the function's own error on `cause`), worded as Haystack's.
   */
  async invoke(args: Record<string, unknown>): Promise<unknown> {
    const problems = argumentErrors(this.parameters, args);
    if (problems !== undefined) {
      throw new ToolInvocationError(
        `Invalid arguments for Tool \`${this.name}\`: ${problems}. Call it again with arguments matching its parameters schema.`,
        this.name,
      );
    }
    try {
      return await this.function(args);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new ToolInvocationError(`Failed to invoke Tool \`${this.name}\` with parameters ${pythonRepr(args)}. Error: ${message}`, this.name, { cause: err });
    }
  }

  /**
   * Haystack's `{ type, data }` shape, for init parameters and traces. The function is named, not
   * serialized (a TypeScript function cannot be re-imported by name); handlers likewise.
   */
  toDict(): { type: string; data: Record<string, unknown> } {
    const named = (fn: unknown): string | null => (typeof fn === "function" ? fn.name || "<anonymous>" : null);
    const handlers = (configs: Record<string, { handler?: unknown }> | undefined): unknown =>
      configs === undefined
        ? null
        : Object.fromEntries(Object.entries(configs).map(([k, c]) => [k, { ...c, ...(c.handler === undefined ? {} : { handler: named(c.handler) }) }]));
    const toString = this.outputsToString as Record<string, unknown> | undefined;
    const single = toString !== undefined && ("source" in toString || "handler" in toString || "rawResult" in toString);
    return {
      type: this.serializationType,
      data: {
        name: this.name,
        description: this.description,
        parameters: this.parameters,
        function: named(this.function),
        outputs_to_string:
          toString === undefined
            ? null
            : single
              ? { ...toString, ...("handler" in toString ? { handler: named(toString["handler"]) } : {}) }
              : handlers(toString as Record<string, { handler?: unknown }>),
        inputs_from_state: this.inputsFromState ?? null,
        outputs_to_state: handlers(this.outputsToState),
      },
    };
  }

  /** The Haystack class this tool serializes as. */
  protected get serializationType(): string {
    return "haystack.tools.tool.Tool";
  }

  [inspect.custom](): string {
    return `${this.constructor.name} { name: ${JSON.stringify(this.name)} }`;
  }
}
