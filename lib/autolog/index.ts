/**
 * `mlflow.autolog()`: every integration at once (today: Haystack).
 */
import { autolog as haystackAutolog, type HaystackAutologOptions } from "./haystack";

/** Options of {@link autolog}; applied to every integration. */
export type AutologOptions = HaystackAutologOptions;

/**
 * Turns autologging on (or off with `{ disable: true }`) for every integration.
 *
 * @example
 * mlflow.autolog({ disable: true }); // no pipeline run is traced from here on
 */
export function autolog(options: AutologOptions = {}): void {
  haystackAutolog(options);
}
