/**
 * The OpenAI client settings both OpenAI components resolve the same way, as Haystack does: the API
 * key from a {@link Secret} (default `OPENAI_API_KEY`), `OPENAI_TIMEOUT` (seconds, default 30) and
 * `OPENAI_MAX_RETRIES` (default 5).
 */
import type OpenAI from "openai";
import type * as OpenAIModule from "openai";
import { redactUrl } from "../../internal/redaction";
import { Secret } from "../secret";
import { wrapOpenAIClient } from "./openai-client-hook";
import { warnOnFailedAttempts, type ConnectionContext } from "./openai-errors";

/** A number from the environment, or `fallback` when unset or not a non-negative number. */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? NaN : Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}

/** Resolves the key now, so a missing key fails at construction with the component's name in the message. */
export function resolveApiKey(owner: string, apiKey: Secret | string | Record<string, unknown> | undefined): { secret: Secret; value: string } {
  const secret =
    apiKey === undefined
      ? Secret.fromEnvVar("OPENAI_API_KEY")
      : typeof apiKey === "string"
        ? Secret.fromToken(apiKey)
        : apiKey instanceof Secret
          ? apiKey
          : Secret.fromDict(apiKey);
  let value: string | undefined;
  try {
    value = secret.resolveValue();
  } catch (err) {
    throw new TypeError(`${owner} has no API key: ${(err as Error).message}`, { cause: err });
  }
  if (value === undefined || value === "") {
    throw new TypeError(`${owner} has no API key: ${secret.toString()} resolved to nothing. Set the variable or pass apiKey.`);
  }
  return { secret, value };
}

/**
 * Throws, naming the fix, when the base URL (`apiBaseUrl`, else `OPENAI_BASE_URL`) is not an
 * absolute http(s) URL or carries credentials: Node's `fetch` refuses a URL with `user:password@` for every
 * request, which the client would otherwise report as a connection failure after ~16 s of retries.
 */
export function checkBaseUrl(owner: string, apiBaseUrl: string | undefined): void {
  // As the openai client reads them: an empty apiBaseUrl, or a blank OPENAI_BASE_URL, means OpenAI's API.
  const source = apiBaseUrl ? "apiBaseUrl" : "OPENAI_BASE_URL";
  const url = apiBaseUrl || process.env["OPENAI_BASE_URL"]?.trim();
  if (!url) return;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    throw new TypeError(`${owner}: ${source} ${JSON.stringify(redactUrl(url))} is not an absolute http(s) URL (expected e.g. "http://127.0.0.1:8000/v1").`);
  }
  if (parsed.username !== "" || parsed.password !== "") {
    throw new TypeError(
      `${owner}: ${source} ${JSON.stringify(redactUrl(url))} carries credentials (user:password@), which Node's fetch refuses for every request. Take them out of the URL; the API key goes in apiKey (or OPENAI_API_KEY).`,
    );
  }
}

/** The resolved settings an OpenAI component builds its client from. */
export interface OpenAIClientSettings extends ConnectionContext {
  readonly apiKey: string;
  readonly baseURL: string | undefined;
  readonly organization: string | undefined;
}

/**
 * The one way both OpenAI components create their client: timeout in seconds, retries, and a
 * `fetch` that warns at the first failed connection attempt instead of retrying in silence, passed
 * through the installed client wrapper (how `mlflow.openai.autolog()` traces the generators' calls).
 */
export function createOpenAIClient(openai: typeof OpenAIModule, settings: OpenAIClientSettings): OpenAI {
  const options: ConstructorParameters<typeof OpenAI>[0] = {
    apiKey: settings.apiKey,
    timeout: settings.timeoutSeconds * 1000,
    maxRetries: settings.maxRetries,
    fetch: warnOnFailedAttempts(settings),
  };
  if (settings.baseURL !== undefined) options.baseURL = settings.baseURL;
  if (settings.organization !== undefined) options.organization = settings.organization;
  return wrapOpenAIClient(new openai.default(options));
}
