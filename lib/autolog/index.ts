/**
 * `mlflow.autolog()`: every integration at once (Haystack, and the `openai` client's switch).
 */
import { openaiAutolog } from "./openai/index";
import { autolog as haystackAutolog, type HaystackAutologOptions } from "./haystack";

/** Options of {@link autolog}; applied to every integration. */
export type AutologOptions = HaystackAutologOptions;

/**
 * Turns autologging on (or off with `{ disable: true }`) for every integration: Haystack pipelines
 * and agents, and OpenAI calls (`mlflow.openai.autolog`).
 *
 * @example
 * mlflow.autolog({ disable: true }); // no pipeline run or OpenAI call is traced from here on
 */
export function autolog(options: AutologOptions = {}): void {
  haystackAutolog(options);
  openaiAutolog({ disable: options.disable === true || options.logTraces === false });
}
