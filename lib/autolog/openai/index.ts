/**
 * `mlflow.openai`: tracing of the `openai` client itself — `trace(client)` for a client the app
 * creates, `autolog()` for the one switch that also covers the SDK's own OpenAI generators.
 */
import { setOpenAIClientWrapper } from "../../haystack/components/openai-client-hook";
import { setOpenAIAutolog, openAIAutologSetting } from "./switch";
import { traceClient, traceGeneratorClient, type TraceOpenAIOptions } from "./traced-client";
import { checkSwitchOptions } from "../autolog-options";

// The generators' clients go through the same instrumentation as clients passed to `trace`.
setOpenAIClientWrapper(traceGeneratorClient);

/** Options of {@link openaiAutolog}. */
export interface OpenAIAutologOptions {
  /** Stop tracing OpenAI calls: clients passed to `trace` and the SDK's generators (default false). */
  disable?: boolean;
  /** `false` is the same as `disable: true` (default true). */
  logTraces?: boolean;
}

/**
 * Turns OpenAI call tracing on or off for every client passed through {@link traceOpenAI} and for
 * the SDK's `OpenAIGenerator` / `OpenAIChatGenerator`, whose calls then get a span of their own under
 * the component's span. Without a call, `trace`d clients record and the generators do not.
 *
 * @example
 * mlflow.openai.autolog();                  // generators' calls traced too
 * mlflow.openai.autolog({ disable: true }); // no OpenAI call is traced
 *
 * @throws {ConfigError} for an unknown option or a switch that is not a boolean.
 */
export function openaiAutolog(options: OpenAIAutologOptions = {}): void {
  checkSwitchOptions("mlflow.openai.autolog", options, ["disable", "logTraces"]);
  setOpenAIAutolog(!(options.disable === true || options.logTraces === false));
}

/**
 * Whether `mlflow.openai.autolog()` is on (false before any call and after `{ disable: true }`).
 *
 * @example
 * if (!mlflow.openai.isAutologEnabled()) mlflow.openai.autolog();
 */
export function isOpenAIAutologEnabled(): boolean {
  return openAIAutologSetting() === true;
}

/**
 * Returns the same `openai` client with every call traced (a `Proxy`; the module is not patched).
 *
 * @example
 * const client = traceOpenAI(new OpenAI());
 * const reply = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] });
 */
export function traceOpenAI<T extends object>(client: T, options?: TraceOpenAIOptions): T {
  return traceClient(client, options);
}

export type { TraceOpenAIOptions };
