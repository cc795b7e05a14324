/**
 * The one switch `mlflow.openai.autolog()` flips, in the global registry's `openaiAutolog` slot, so
 * two copies of the package agree. Clients the user wraps with `trace()` record unless the switch is off;
 * the SDK's own generators record only when it is on (they already get a Haystack span each).
 */
import { globalSlot } from "../../internal/global-registry";
import { tracingEnabled } from "../../tracing/integration";

/** Who wrapped the client: the user (`trace`) or one of the SDK's OpenAI generators. */
export type ClientOrigin = "user" | "generator";

let slot: { enabled: boolean | undefined } | undefined;

function state(): { enabled: boolean | undefined } {
  return (slot ??= globalSlot("openaiAutolog", (): { enabled: boolean | undefined } => ({ enabled: undefined })));
}

/** Sets the switch: true (on), false (off) or undefined (never set: only `trace`d clients record). */
export function setOpenAIAutolog(enabled: boolean | undefined): void {
  state().enabled = enabled;
}

/** The switch as last set. */
export function openAIAutologSetting(): boolean | undefined {
  return state().enabled;
}

/** Whether a call through a client of this origin opens a span now. */
export function shouldTraceCall(origin: ClientOrigin): boolean {
  if (!tracingEnabled()) return false;
  const enabled = state().enabled;
  return origin === "user" ? enabled !== false : enabled === true;
}
