/**
 * The autolog switches' options, checked: a misspelt or mistyped switch (`{ disabled: true }`,
 * `{ disable: "yes" }`) would otherwise turn tracing on without a word.
 */
import { describeValue } from "../internal/describe-value";
import { ConfigError } from "../internal/errors";
import { checkOptionKeys } from "../internal/option-keys";

/** Throws {@link ConfigError} for a key not in `known` or a value of one that is not a boolean. */
export function checkSwitchOptions(api: string, options: unknown, known: readonly string[]): void {
  checkOptionKeys(api, options, known);
  for (const key of known) {
    const value: unknown = (options as Record<string, unknown>)[key];
    if (value !== undefined && typeof value !== "boolean") {
      throw new ConfigError(`${api}: expected \`${key}\` to be true or false, got ${describeValue(value)}`);
    }
  }
}
