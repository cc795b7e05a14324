/**
 * `mlflow.autolog()`: every integration at once (Haystack, and the `openai` client's switch).
 */
import { openaiAutolog } from "./openai/index";
import { autolog as haystackAutolog, type HaystackAutologOptions } from "./haystack";
import { checkSwitchOptions } from "./autolog-options";

/** Options of {@link autolog}; applied to every integration. */
export type AutologOptions = HaystackAutologOptions;

/**
 * Turns autologging on (or off with `{ disable: true }`) for every integration: Haystack pipelines
 * and agents, and OpenAI calls (`mlflow.openai.autolog`).
 *
 * @example
 * mlflow.autolog({ disable: true }); // no pipeline run or OpenAI call is traced from here on
 *
 * @throws {ConfigError} for an unknown option or a switch that is not a boolean.
 */
export function autolog(options: AutologOptions = {}): void {
  checkSwitchOptions("mlflow.autolog", options, ["disable", "logTraces", "silent"]);
  haystackAutolog(options);
  openaiAutolog({ disable: options.disable === true || options.logTraces === false });
}
