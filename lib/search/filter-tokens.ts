/**
 * The lexer of MLflow's trace search filters. MLflow lexes filters with `sqlparse`; this keeps the
 * token kinds its parser looks at (names, quoted strings, numbers, comparison operators, the
 * keywords AND/OR/IN/NOT/IS/NULL and parenthesised lists) and each token's raw text, which
 * MLflow's error messages quote.
 */

export type TokenKind =
  /** `tag.env`, ``metadata.`mlflow.trace.session` ``, `"x"` (sqlparse's Symbol, read as a name). */
  | "name"
  /** `timestamp` standing alone: sqlparse's builtin type name (`timestamp_ms` is a plain name to it). */
  | "builtin"
  | "string"
  | "integer"
  | "float"
  /** `=`, `!=`, `<`, `>=`, `LIKE`, `NOT ILIKE`, ... (raw case kept, as MLflow keeps it). */
  | "operator"
  /** AND, OR, IN, NOT, IS, NULL, `NOT NULL`, and other SQL keywords standing alone. */
  | "keyword"
  /** A balanced `( ... )` group, one token as in sqlparse. */
  | "list"
  | "other";

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
}

/** Bare words sqlparse reads as keywords, so a clause cannot start with them. */
const KEYWORDS = new Set(["AND", "OR", "IN", "NOT", "IS", "NULL", "TEXT", "LIKE", "ILIKE", "RLIKE", "BETWEEN", "SELECT", "FROM", "WHERE"]);
const BUILTINS = new Set(["timestamp"]);

const WHITESPACE = /\s+/y;
const STRING = /'(?:''|\\\\|\\'|[^'])*'/y;
const DOUBLE_QUOTED = /"(?:""|\\\\|\\"|[^"])*"/y;
const NAME_PART = /(?:`[^`]*`|"(?:""|[^"])*"|[A-Za-z_][A-Za-z0-9_$]*)/y;
const FLOAT_EXP = /-?\d+(?:\.\d+)?[eE][-+]?\d+/y;
const FLOAT = /-?(?:\d+\.\d*|\.\d+)/y;
const INTEGER = /-?\d+(?![A-Za-z_])/y;
const WORD_OPERATOR = /(?:NOT\s+)?(?:LIKE|ILIKE|RLIKE)\b/iy;
const NOT_NULL = /NOT\s+NULL\b/iy;
const SYMBOL_OPERATOR = /[<>=~!]+/y;

function matchAt(re: RegExp, text: string, at: number): string | undefined {
  re.lastIndex = at;
  const m = re.exec(text);
  return m === null ? undefined : m[0];
}

/** A dotted name: parts joined by `.`, each a word, a backticked or a double-quoted part. */
function nameAt(text: string, at: number): string | undefined {
  let end = at;
  for (;;) {
    const part = matchAt(NAME_PART, text, end);
    if (part === undefined) return end === at ? undefined : text.slice(at, end - 1);
    end += part.length;
    if (text[end] !== ".") return text.slice(at, end);
    end += 1;
  }
}

function listAt(text: string, at: number): string {
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      const quoted = matchAt(ch === "'" ? STRING : DOUBLE_QUOTED, text, i);
      if (quoted !== undefined) i += quoted.length - 1;
    } else if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0) return text.slice(at, i + 1);
  }
  return text.slice(at);
}

/** Splits a filter into tokens, whitespace dropped. Never throws: odd characters become `other` tokens. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const space = matchAt(WHITESPACE, text, at);
    if (space !== undefined) {
      at += space.length;
      continue;
    }
    const token = nextToken(text, at);
    out.push(token);
    at += token.text.length;
  }
  return out;
}

function nextToken(text: string, at: number): Token {
  const ch = text[at] as string;
  if (ch === "'") return { kind: "string", text: matchAt(STRING, text, at) ?? text.slice(at) };
  if (ch === "(") return { kind: "list", text: listAt(text, at) };
  const number = matchAt(FLOAT_EXP, text, at) ?? matchAt(FLOAT, text, at);
  if (number !== undefined) return { kind: "float", text: number };
  const integer = matchAt(INTEGER, text, at);
  if (integer !== undefined) return { kind: "integer", text: integer };
  const wordOp = matchAt(WORD_OPERATOR, text, at);
  if (wordOp !== undefined) return { kind: "operator", text: wordOp };
  const notNull = matchAt(NOT_NULL, text, at);
  if (notNull !== undefined) return { kind: "keyword", text: notNull };
  const symbolOp = matchAt(SYMBOL_OPERATOR, text, at);
  if (symbolOp !== undefined) return { kind: "operator", text: symbolOp };
  const name = nameAt(text, at);
  if (name !== undefined) {
    if (!name.includes(".") && !name.startsWith("`") && !name.startsWith('"')) {
      if (KEYWORDS.has(name.toUpperCase())) return { kind: "keyword", text: name };
      if (BUILTINS.has(name.toLowerCase())) return { kind: "builtin", text: name };
    }
    return { kind: "name", text: name };
  }
  return { kind: "other", text: ch };
}

/** Statements separated by `;` outside quotes (MLflow accepts exactly one). */
export function countStatements(text: string): number {
  let count = 0;
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === "'" || ch === '"' || ch === "`") {
      const close = text.indexOf(ch, i + 1);
      const end = close === -1 ? text.length : close + 1;
      current += text.slice(i, end);
      i = end - 1;
    } else if (ch === ";") {
      if (current.trim() !== "") count++;
      current = "";
    } else current += ch;
  }
  if (current.trim() !== "") count++;
  return count;
}
