/**
 * `mlflow.llm.provider` for an OpenAI client: `openai` for OpenAI's API, `azure` for Azure OpenAI,
 * the vendor for well-known OpenAI-compatible APIs, and otherwise the server's `host[:port]`, so
 * calls to a self-hosted vLLM or Ollama server stay apart from OpenAI's (and from each other).
 */

const KNOWN_HOSTS: readonly (readonly [suffix: string, provider: string])[] = [
  ["api.openai.com", "openai"],
  [".openai.azure.com", "azure"],
  [".cognitiveservices.azure.com", "azure"],
  ["api.groq.com", "groq"],
  ["api.together.xyz", "together"],
  ["api.deepseek.com", "deepseek"],
  ["api.mistral.ai", "mistral"],
  ["openrouter.ai", "openrouter"],
  ["api.fireworks.ai", "fireworks"],
  ["generativelanguage.googleapis.com", "gemini"],
];

const cache = new Map<string, string>();

/** The provider name for a client's `baseURL` (`openai` when it is missing or unreadable). */
export function providerFromBaseUrl(baseURL: unknown): string {
  if (typeof baseURL !== "string" || baseURL === "") return "openai";
  let provider = cache.get(baseURL);
  if (provider !== undefined) return provider;
  let host: string;
  try {
    const url = new URL(baseURL);
    host = url.hostname.toLowerCase();
    provider = KNOWN_HOSTS.find(([suffix]) => host === suffix || (suffix.startsWith(".") && host.endsWith(suffix)))?.[1] ?? url.host.toLowerCase();
  } catch {
    provider = "openai";
  }
  if (cache.size < 100) cache.set(baseURL, provider);
  return provider;
}
