/**
 * The seam through which a tracer sees the OpenAI clients of `OpenAIGenerator` and
 * `OpenAIChatGenerator`: both create their client through `createOpenAIClient`, which passes it to
 * the installed wrapper. The framework knows no tracing library; `mlflow-haystack` installs
 * `mlflow.openai`'s wrapper when it loads. Shared by every copy (the global registry's
 * `openaiClientWrapper` slot).
 */
import type OpenAI from "openai";
import { globalSlot } from "../../internal/global-registry";

/** Returns the client to use in place of `client` (the same object, or a view of it). */
export type OpenAIClientWrapper = (client: OpenAI) => OpenAI;

let slot: { wrapper: OpenAIClientWrapper | undefined } | undefined;

function holder(): { wrapper: OpenAIClientWrapper | undefined } {
  return (slot ??= globalSlot("openaiClientWrapper", (): { wrapper: OpenAIClientWrapper | undefined } => ({ wrapper: undefined })));
}

/** Installs (or with `undefined`, removes) the wrapper applied to clients created from now on. */
export function setOpenAIClientWrapper(wrapper: OpenAIClientWrapper | undefined): void {
  holder().wrapper = wrapper;
}

/** `client` through the installed wrapper; the client itself when none is installed or it throws. */
export function wrapOpenAIClient(client: OpenAI): OpenAI {
  const wrapper = holder().wrapper;
  if (wrapper === undefined) return client;
  try {
    return wrapper(client);
  } catch {
    return client;
  }
}
