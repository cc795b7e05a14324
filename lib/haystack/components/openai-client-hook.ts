/**
 * The seam through which a tracer sees the OpenAI clients of `OpenAIGenerator` and
 * `OpenAIChatGenerator`: both create their client through `createOpenAIClient`, which passes it to
 * the installed wrapper. The framework knows no tracing library; `mlflow-haystack` installs
 * `mlflow.openai`'s wrapper when it loads. Shared under a `Symbol.for` key by every copy.
 */
import type OpenAI from "openai";

/** Returns the client to use in place of `client` (the same object, or a view of it). */
export type OpenAIClientWrapper = (client: OpenAI) => OpenAI;

const KEY = Symbol.for("mlflow-haystack.haystack.openai-client-wrapper.v0");
type Holder = Record<symbol, OpenAIClientWrapper | undefined>;

/** Installs (or with `undefined`, removes) the wrapper applied to clients created from now on. */
export function setOpenAIClientWrapper(wrapper: OpenAIClientWrapper | undefined): void {
  (globalThis as unknown as Holder)[KEY] = wrapper;
}

/** `client` through the installed wrapper; the client itself when none is installed or it throws. */
export function wrapOpenAIClient(client: OpenAI): OpenAI {
  const wrapper = (globalThis as unknown as Holder)[KEY];
  if (wrapper === undefined) return client;
  try {
    return wrapper(client);
  } catch {
    return client;
  }
}
