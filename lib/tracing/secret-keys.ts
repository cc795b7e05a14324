/**
 * Recognises values that must never reach a trace: strings under keys that name a secret
 * (`apiKey`, `access_token`, `password`, `openaiKey`, ...) and credentials inside URLs.
 */

/** What a secret is replaced with. */
export const REDACTED = "**********";

const SECRET_WORDS = new Set([
  "token", "tokens", "secret", "secrets", "password", "passwords", "passwd", "pwd", "authorization",
  "credential", "credentials", "apikey", "apikeys", "passphrase",
]);
/** A final `key`/`keys` after one of these words names a secret (`apiKey`, `access_key`, `openaiKey`). */
const KEY_QUALIFIERS = new Set(["api", "access", "private", "secret", "auth", "client", "openai", "signing", "encryption", "service"]);
const URL_KEY = /(url|uri|dsn|connection|endpoint|host)/i;
const URL_CREDENTIALS = /(\/\/[^/\s:@]+):[^@\s/]+@/g;

const cache = new Map<string, boolean>();
const CACHE_LIMIT = 10_000;

function computeSecretKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");
  return words.some((word, i) => {
    if (SECRET_WORDS.has(word)) return true;
    const next = words[i + 1];
    return KEY_QUALIFIERS.has(word) && (next === "key" || next === "keys");
  });
}

/**
 * Whether a property name names a secret: one of its words (camelCase, snake_case, kebab-case) is
 * `token`, `secret`, `password`, ... or it ends in a qualified `key` (`apiKey`, `accessKey`).
 * Token counts (`max_tokens`, `prompt_tokens`, ...) are not secrets.
 */
export function isSecretKey(key: string): boolean {
  let known = cache.get(key);
  if (known === undefined) {
    known = computeSecretKey(key) && !/^(max|min|num|total|input|output|prompt|completion|cached)[_-]?tokens?$/i.test(key);
    if (cache.size < CACHE_LIMIT) cache.set(key, known);
  }
  return known;
}

/** `postgres://user:pw@host/db` → `postgres://user:***@host/db`, for strings under URL-like keys. */
export function scrubUrlCredentials(key: string, value: string): string {
  return URL_KEY.test(key) && value.includes("@") ? value.replace(URL_CREDENTIALS, "$1:***@") : value;
}
