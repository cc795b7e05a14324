/**
 * The one redaction module, for everything that leaves the process — span inputs, outputs and
 * attributes, event attributes, trace tags and metadata, previews, component init parameters, and
 * error messages that show a URL or a server's answer: values under keys that name a secret,
 * credentials inside URLs, secret query parameters, and known credential values.
 */

/** What a secret is replaced with. */
export const REDACTED = "**********";

/** A word of a key that alone makes it a secret (`apiKey`, `x-auth-token`, `session_cookie`, `GCP_CREDS`). */
const SECRET_WORDS = new Set([
  "token",
  "tokens",
  "secret",
  "secrets",
  "password",
  "passwords",
  "passwd",
  "pwd",
  "pass",
  "passphrase",
  "authorization",
  "auth",
  "bearer",
  "jwt",
  "cookie",
  "cookies",
  "credential",
  "credentials",
  "creds",
  "apikey",
  "apikeys",
]);
/** A final `key`/`keys` after one of these words names a secret (`apiKey`, `access_key`, `openaiKey`). */
const KEY_QUALIFIERS = new Set(["api", "access", "private", "secret", "auth", "client", "openai", "signing", "encryption", "service", "master", "session"]);
/** Token counts are numbers users want to see, not credentials. */
const TOKEN_COUNT =
  /^(max|min|num|total|input|output|prompt|completion|cached|reasoning)[_-]?tokens?$|tokens?[._-]?(usage|counts?|limit|details|ids?)(?![a-z])/i;

const cache = new Map<string, boolean>();
const CACHE_LIMIT = 10_000;

function computeSecretKey(key: string): boolean {
  if (TOKEN_COUNT.test(key)) return false;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");
  const last = words[words.length - 1];
  if (last === "key" || last === "keys") {
    // `key` alone, or an environment-variable name ending in `_KEY` (`STRIPE_KEY`), names a secret;
    // `cacheKey` / `sort_key` do not.
    if (words.length === 1 || /^[A-Z0-9_]+_KEYS?$/.test(key)) return true;
  }
  return words.some((word, i) => {
    if (SECRET_WORDS.has(word)) return true;
    const next = words[i + 1];
    return KEY_QUALIFIERS.has(word) && (next === "key" || next === "keys");
  });
}

/**
 * Whether a name (property, Map key, attribute, tag, metadata key, query parameter) names a
 * secret. The name is split into words (camelCase, snake_case, kebab-case, dots); it is a secret
 * when a word is one of `token`, `secret`, `password`, `passwd`, `pwd`, `pass`, `passphrase`,
 * `authorization`, `auth`, `bearer`, `jwt`, `cookie`, `credential(s)`, `creds`, `apikey`; when it
 * is `key` itself or an upper-case `*_KEY`; or when it ends in a qualified key (`apiKey`,
 * `access_key`, `privateKey`). Whole words only: `monkey`, `author`, `tokenizer` and `cacheKey`
 * are not secrets, nor are token counts (`max_tokens`, `prompt_tokens`).
 *
 * @example
 * isSecretKey("OPENAI_API_KEY"); // true
 * isSecretKey("monkey"); // false
 */
export function isSecretKey(key: string): boolean {
  let known = cache.get(key);
  if (known === undefined) {
    known = computeSecretKey(key);
    if (cache.size < CACHE_LIMIT) cache.set(key, known);
  }
  return known;
}

/**
 * `scheme://user:password@`: the password runs to the last `@` of the URL (it may hold `/`, `@`,
 * `#`, `?`); `host:port/...@...` is a port, not a password.
 */
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"'<>]*):(?!\d+(?:[/?#]|$))[^\s"'<>]*@/gi;
/** `?name=value` / `&name=value` in a URL or query string. */
const QUERY_PARAM = /([?&;])([^=&;#\s"'<>?]+)=([^&;#\s"'<>]*)/g;

/**
 * `text` with URL passwords and secret query-parameter values hidden:
 * `postgres://u:p@h/db?api_key=k` → `postgres://u:***@h/db?api_key=***`. Cheap for text without
 * `://` or `=`.
 */
export function redactText(text: string): string {
  let out = text;
  if (out.includes("://") && out.includes("@")) out = out.replace(URL_CREDENTIALS, "$1:***@");
  if (out.includes("=")) out = out.replace(QUERY_PARAM, (match, sep: string, name: string) => (isSecretKey(safeDecode(name)) ? `${sep}${name}=***` : match));
  return out;
}

function safeDecode(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/**
 * A URL, or a message quoting URLs, for an error message or a log line: everything between each
 * `scheme://` and its last `@` hidden (user name and password, whatever characters the password
 * holds, or a token used as the user name), then secret query parameters. Stricter than
 * {@link redactText}, which keeps a plain user name (`ssh://git@host`) in recorded values.
 *
 * @example
 * redactUrl("http://me:p#ss?@host:5000"); // "http://***@host:5000"
 * redactUrl("cannot fetch http://sk-abc@127.0.0.1:9/v1"); // "cannot fetch http://***@127.0.0.1:9/v1"
 */
export function redactUrl(uri: string): string {
  return redactText(uri.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s"'<>]*@/gi, "$1***@"));
}

/**
 * `text` with every occurrence of the known secret `values` (of 4 characters or more) replaced by
 * `***`: defence in depth for a server message that might echo a credential back.
 *
 * @example
 * redactValues("bad token abc123", ["abc123"]); // "bad token ***"
 */
export function redactValues(text: string, values: readonly string[]): string {
  let out = text;
  for (const value of values) if (value.length >= 4) out = out.split(value).join("***");
  return out;
}

/** A string value stored under `key`: masked whole when the key names a secret, else {@link redactText}. */
export function redactEntry(key: string, value: string): string {
  return isSecretKey(key) ? REDACTED : redactText(value);
}

/** A string-to-string record (tags, metadata) with {@link redactEntry} applied to each value. */
export function redactRecord(record: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(record)) out[key] = redactEntry(key, record[key] as string);
  return out;
}
