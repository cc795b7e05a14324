/**
 * Turns the `openai` client's connection errors into one line that names the host and the
 * network cause. The client's own message is "Connection error." with the reason two `cause`
 * levels down, so a user saw ~40 lines of stack and no reason. The error keeps its class
 * (`APIConnectionError`, `APIConnectionTimeoutError`), so `instanceof` checks still hold.
 */
import type * as OpenAIModule from "openai";

interface ErrorLike {
  readonly message?: unknown;
  readonly cause?: unknown;
  readonly errors?: unknown;
}

/**
 * The innermost message of a `cause` chain: `connect ECONNREFUSED 127.0.0.1:9`, `getaddrinfo
 * ENOTFOUND api.openai.com`. Duck-typed: undici's errors may come from another realm.
 */
function rootCause(error: unknown): string | undefined {
  let reason: string | undefined;
  let current = (error as ErrorLike | undefined)?.cause;
  for (let depth = 0; depth < 8 && typeof current === "object" && current !== null; depth++) {
    const errors = (current as ErrorLike).errors;
    if (Array.isArray(errors) && errors.length > 0 && typeof errors[0] === "object") current = errors[0] as object;
    const message = (current as ErrorLike).message;
    if (typeof message === "string" && message !== "") reason = message.split("\n")[0];
    current = (current as ErrorLike).cause;
  }
  return reason;
}

function hostOf(baseURL: string): string {
  try {
    return new URL(baseURL).host;
  } catch {
    return baseURL;
  }
}

/** Returns a clearer error for a connection failure, or `error` itself for anything else. */
export function explainConnectionError(error: unknown, openai: typeof OpenAIModule, baseURL: string, timeoutSeconds: number): unknown {
  if (!(error instanceof openai.APIConnectionError)) return error;
  const host = hostOf(baseURL);
  if (error instanceof openai.APIConnectionTimeoutError) {
    return new openai.APIConnectionTimeoutError({ message: `OpenAIGenerator timed out waiting for ${host} (timeout ${timeoutSeconds} s)` });
  }
  const reason = rootCause(error) ?? error.message;
  const cause = typeof error.cause === "object" && error.cause !== null ? (error.cause as Error) : undefined;
  return new openai.APIConnectionError({ message: `OpenAIGenerator could not reach ${host}: ${reason}`, cause });
}
