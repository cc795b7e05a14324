/**
 * The one reading of a boolean environment variable, so every switch accepts the same spellings
 * (`MLFLOW_TRACING_ENABLED=0` and `MLFLOW_HAYSTACK_CONTENT_TRACING=off` mean what they say).
 */

const TRUE = new Set(["true", "1", "yes", "on"]);
const FALSE = new Set(["false", "0", "no", "off"]);

/** What a boolean environment variable says: unset or empty → `undefined`; not a known spelling → `"invalid"`. */
export type EnvFlag = boolean | undefined | "invalid";

/**
 * `true` for true/1/yes/on, `false` for false/0/no/off (any case, surrounding spaces ignored),
 * `undefined` when `name` is unset or empty, `"invalid"` otherwise (the caller warns and picks the safe side).
 *
 * @example
 * envFlag("MLFLOW_HAYSTACK_CONTENT_TRACING"); // "off" → false
 */
export function envFlag(name: string, env: NodeJS.ProcessEnv = process.env): EnvFlag {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === "") return undefined;
  if (TRUE.has(raw)) return true;
  if (FALSE.has(raw)) return false;
  return "invalid";
}

/** The spellings {@link envFlag} accepts, for messages. */
export const ENV_FLAG_SPELLINGS = "true/false, 1/0, yes/no or on/off";
