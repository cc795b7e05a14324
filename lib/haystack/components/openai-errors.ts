/**
 * Makes the `openai` client's connection failures readable, for both OpenAI components. The
 * client's own message is "Connection error." with the reason two `cause` levels down, and it
 * retries in silence (~16 s with the default 5 retries). So the first failed attempt prints one
 * warning line (host, cause, retries left, how to change them), and the final error is one line
 * that names the host and the cause. The error keeps its class (`APIConnectionError`,
 * `APIConnectionTimeoutError`), so `instanceof` checks still hold.
 */
import type * as OpenAIModule from "openai";
import { reportOnce } from "../../internal/diagnostics";
import { redactUrl } from "../../internal/redaction";

/** The `fetch` signature the `openai` client accepts. */
type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

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
    // undici's messages can quote the request URL, credentials and all.
    if (typeof message === "string" && message !== "") reason = redactUrl(message.split("\n")[0] as string);
    current = (current as ErrorLike).cause;
  }
  return reason;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The longest the client's backoff sleeps over `retries` retries (0.5 s doubling, 8 s cap; jitter only shortens it). */
function backoffSeconds(retries: number): number {
  let total = 0;
  for (let i = 0; i < retries; i++) total += Math.min(0.5 * 2 ** i, 8);
  return Math.ceil(total);
}

/** What {@link warnOnFailedAttempts} and {@link explainConnectionError} name and count. */
export interface ConnectionContext {
  /** The component's class name, which starts every message. */
  readonly owner: string;
  readonly maxRetries: number;
  readonly timeoutSeconds: number;
}

/**
 * Wraps `fetch` for the `openai` client: when the first attempt of a request cannot connect and the
 * client will retry, says so at once, on one line, once per host and process. Timeouts and
 * aborts are left to the final error (the client aborts both the same way).
 */
export function warnOnFailedAttempts(context: ConnectionContext, fetchImpl: () => Fetch = () => globalThis.fetch): Fetch {
  return async (input, init) => {
    try {
      return await fetchImpl()(input, init);
    } catch (error) {
      const attempt = new Headers(init?.headers).get("x-stainless-retry-count") ?? "0";
      if (context.maxRetries > 0 && attempt === "0" && init?.signal?.aborted !== true) {
        const url = input instanceof Request ? input.url : String(input);
        const host = hostOf(url);
        const reason = rootCause({ cause: error }) ?? redactUrl(String(error));
        const times = context.maxRetries === 1 ? "once" : `${context.maxRetries} more times`;
        reportOnce(
          `haystack.openai.unreachable.${host}`,
          "warn",
          `${context.owner} could not reach ${host} (${reason}); the openai client retries ${times} over up to ~${backoffSeconds(context.maxRetries)} s before failing (set maxRetries or OPENAI_MAX_RETRIES to change)`,
        );
      }
      throw error;
    }
  };
}

/** Returns a clearer error for a connection failure, or `error` itself for anything else. */
export function explainConnectionError(error: unknown, openai: typeof OpenAIModule, baseURL: string, context: ConnectionContext): unknown {
  if (!(error instanceof openai.APIConnectionError)) return error;
  const host = hostOf(baseURL);
  if (error instanceof openai.APIConnectionTimeoutError) {
    return new openai.APIConnectionTimeoutError({ message: `${context.owner} timed out waiting for ${host} (timeout ${context.timeoutSeconds} s)` });
  }
  const reason = rootCause(error) ?? redactUrl(error.message);
  const cause = typeof error.cause === "object" && error.cause !== null ? (error.cause as Error) : undefined;
  return new openai.APIConnectionError({ message: `${context.owner} could not reach ${host}: ${reason}`, cause });
}
