/**
 * BM25 tokenization with Python `re` semantics. Python's `\w` and `\b` are Unicode-aware, while
 * JS's are ASCII-only, so Python escapes are rewritten to Unicode property classes before
 * compiling. Text is lowercased and NFC-normalised first, as in Haystack 3.4.
 */

/**
 * Scripts written without spaces (Chinese, Japanese, Korean): Haystack 3.4 makes one token per
 * character of these ranges (the same ranges, in Python's syntax, which JS shares here).
 */
const CJK = String.raw`\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff\u3130-\u318f\uac00-\ud7af\u3041-\u3096\u30a1-\u30fa\u30fc\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\uffa0-\uffdc`;

/** Haystack 3.4's default BM25 tokenization pattern (Python syntax, the string its `to_dict` writes). */
export const DEFAULT_BM25_TOKENIZATION_REGEX = String.raw`[^\W${CJK}]+|[${CJK}]`;

/** Haystack 2.x's default pattern, still accepted as `bm25TokenizationRegex`. */
const HAYSTACK2_BM25_TOKENIZATION_REGEX = String.raw`(?u)\b\w+\b`;

const WORD = String.raw`\p{L}\p{N}_`;

/**
 * Rewrites a Python regular expression into an equivalent JS one (with the `u` flag):
 * `\w`, `\W`, `\d`, `\D`, `\b`, `\B` become Unicode-aware; a leading `(?u)` is dropped.
 */
export function pythonRegexToJs(source: string): string {
  const src = source.startsWith("(?u)") ? source.slice(4) : source;
  if (/^\(\?[aiLmsux]+\)/.test(src)) {
    throw new TypeError(`bm25TokenizationRegex ${JSON.stringify(source)} uses inline flags that have no JS equivalent; remove them.`);
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
 * Builds Haystack's BM25 tokenizer: lowercase, NFC, then every match of `pattern` (Python syntax).
 * With a capturing group Python's `findall` returns the group, which is mirrored here.
 *
 * @example
 * createBm25Tokenizer()("Who lives in Paris?"); // ["who", "lives", "in", "paris"]
 */
export function createBm25Tokenizer(pattern: string = DEFAULT_BM25_TOKENIZATION_REGEX): Bm25Tokenizer {
  if (pattern === DEFAULT_BM25_TOKENIZATION_REGEX) {
    // `[^\W<cjk>]` is "a word character outside the CJK ranges", which a JS class cannot negate twice.
    const words = new RegExp(`(?:(?![${CJK}])[${WORD}])+|[${CJK}]`, "gu");
    return (text) => text.toLowerCase().normalize("NFC").match(words) ?? [];
  }
  if (pattern === HAYSTACK2_BM25_TOKENIZATION_REGEX) {
    const fast = new RegExp(`[${WORD}]+`, "gu");
    return (text) => text.toLowerCase().normalize("NFC").match(fast) ?? [];
  }
  let regex: RegExp;
  try {
    regex = new RegExp(pythonRegexToJs(pattern), "gu");
  } catch (err) {
    throw new TypeError(`bm25TokenizationRegex ${JSON.stringify(pattern)} is not a valid regular expression: ${(err as Error).message}`);
  }
  return (text) => {
    const tokens: string[] = [];
    for (const m of text.toLowerCase().normalize("NFC").matchAll(regex)) {
      tokens.push(m.length > 1 ? (m[1] ?? "") : m[0]);
    }
    return tokens;
  };
}
