/**
 * BM25 tokenization with Python `re` semantics. Haystack's default pattern `(?u)\b\w+\b` is
 * Unicode-aware in Python, while JS `\w` and `\b` are ASCII-only, so Python escapes are rewritten
 * to Unicode property classes before compiling.
 */

/** Haystack's default BM25 tokenization pattern (Python syntax). */
export const DEFAULT_BM25_TOKENIZATION_REGEX = String.raw`(?u)\b\w+\b`;

const WORD = String.raw`\p{L}\p{N}_`;

/**
 * Rewrites a Python regular expression into an equivalent JS one (with the `u` flag):
 * `\w`, `\W`, `\d`, `\D`, `\b`, `\B` become Unicode-aware; a leading `(?u)` is dropped.
 */
export function pythonRegexToJs(source: string): string {
  const src = source.startsWith("(?u)") ? source.slice(4) : source;
  if (/^\(\?[aiLmsux]+\)/.test(src)) {
    throw new TypeError(
      `bm25TokenizationRegex ${JSON.stringify(source)} uses inline flags that have no JS equivalent; remove them.`,
    );
  }
  let out = "";
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (ch === "\\" && i + 1 < src.length) {
      const next = src[++i] ?? "";
      out += rewriteEscape(next, inClass);
      continue;
    }
    if (ch === "[" && !inClass) inClass = true;
    else if (ch === "]" && inClass) inClass = false;
    out += ch;
  }
  return out;
}

function rewriteEscape(letter: string, inClass: boolean): string {
  switch (letter) {
    case "w":
      return inClass ? WORD : `[${WORD}]`;
    case "d":
      return String.raw`\p{Nd}`;
    case "W":
      return inClass ? String.raw`\W` : `[^${WORD}]`;
    case "D":
      return inClass ? String.raw`\D` : String.raw`\P{Nd}`;
    case "b":
      return inClass ? String.raw`\b` : `(?:(?<=[${WORD}])(?![${WORD}])|(?<![${WORD}])(?=[${WORD}]))`;
    case "B":
      return `(?:(?<=[${WORD}])(?=[${WORD}])|(?<![${WORD}])(?![${WORD}]))`;
    default:
      return `\\${letter}`;
  }
}

/** Splits text into BM25 tokens. */
export type Bm25Tokenizer = (text: string) => string[];

/**
 * Builds Haystack's BM25 tokenizer: lowercase, then every match of `pattern` (Python syntax).
 * With a capturing group Python's `findall` returns the group, which is mirrored here.
 *
 * @example
 * createBm25Tokenizer()("Who lives in Paris?"); // ["who", "lives", "in", "paris"]
 */
export function createBm25Tokenizer(pattern: string = DEFAULT_BM25_TOKENIZATION_REGEX): Bm25Tokenizer {
  if (pattern === DEFAULT_BM25_TOKENIZATION_REGEX) {
    const fast = new RegExp(`[${WORD}]+`, "gu");
    return (text) => text.toLowerCase().match(fast) ?? [];
  }
  let regex: RegExp;
  try {
    regex = new RegExp(pythonRegexToJs(pattern), "gu");
  } catch (err) {
    throw new TypeError(
      `bm25TokenizationRegex ${JSON.stringify(pattern)} is not a valid regular expression: ${(err as Error).message}`,
    );
  }
  return (text) => {
    const tokens: string[] = [];
    for (const m of text.toLowerCase().matchAll(regex)) {
      tokens.push(m.length > 1 ? (m[1] ?? "") : m[0]);
    }
    return tokens;
  };
}
