/**
 * Jinja2's test syntax with arguments (`x is divisibleby(3)`, `x is divisibleby 3`,
 * `x is not sameas none`), which `@huggingface/jinja`'s parser refuses. Before parsing, each
 * `is [not] name [args]` is rewritten, token by token, into a filter `| is:name(args)` (a name no
 * template can spell), which the filter layer routes to the Jinja2 test. Jinja2 parses tests and
 * filters in one left-to-right postfix chain, so the filter form keeps Jinja2's precedence; an
 * argument without parentheses is one primary expression with its `.attr`/`[i]`/`(...)` postfixes,
 * as in Jinja2's `Parser.parse_test`.
 */
import type { tokenize } from "@huggingface/jinja";

type Token = ReturnType<typeof tokenize>[number];

/** Filter-name prefixes the rewrite produces for a test and a negated test. */
export const TEST_PREFIX = "is:";
export const NEGATED_TEST_PREFIX = "is not:";

const ENDS_EXPRESSION = new Set(["Identifier", "NumericLiteral", "StringLiteral", "CloseParen", "CloseSquareBracket", "CloseCurlyBracket"]);
const STARTS_ARGUMENT = new Set(["Identifier", "NumericLiteral", "StringLiteral", "OpenParen", "OpenSquareBracket", "OpenCurlyBracket"]);
const CLOSING: Record<string, string> = { OpenParen: "CloseParen", OpenSquareBracket: "CloseSquareBracket", OpenCurlyBracket: "CloseCurlyBracket" };

const token = (value: string, type: string): Token => ({ value, type }) as Token;
const isWord = (t: Token | undefined, word: string): boolean => t?.type === "Identifier" && t.value === word;

/** Index just past the bracket group opening at `start` (or past `start` if it opens none). */
function pastGroup(tokens: readonly Token[], start: number): number {
  const open = tokens[start]!.type;
  const close = CLOSING[open];
  if (close === undefined) return start + 1;
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    const type = tokens[i]!.type;
    if (CLOSING[type] !== undefined) depth++;
    else if (Object.values(CLOSING).includes(type)) depth--;
    if (depth === 0) return i + 1;
  }
  return tokens.length;
}

/** Index just past Jinja2's `parse_primary` + `parse_postfix` starting at `start`. */
function pastArgument(tokens: readonly Token[], start: number): number {
  let end = pastGroup(tokens, start);
  for (;;) {
    const next = tokens[end];
    if (next?.type === "Dot" && tokens[end + 1]?.type === "Identifier") end += 2;
    else if (next?.type === "OpenSquareBracket" || next?.type === "OpenParen") end = pastGroup(tokens, end);
    else if (next?.type === "CallOperator") end += 1;
    else return end;
  }
}

/**
 * Rewrites `is [not] name`, `is [not] name(args)` and `is [not] name arg` into filter form.
 *
 * @param known - whether a test of that name exists; an unknown test fails here, at compile
 *   time, with Jinja2's message.
 */
export function rewriteTests(tokens: readonly Token[], known: (name: string) => boolean): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const current = tokens[i]!;
    const previous = out[out.length - 1];
    if (!isWord(current, "is") || previous === undefined || !ENDS_EXPRESSION.has(previous.type)) {
      out.push(current);
      continue;
    }
    const negate = isWord(tokens[i + 1], "not");
    const nameAt = negate ? i + 2 : i + 1;
    const name = tokens[nameAt];
    if (name?.type !== "Identifier") {
      out.push(current);
      continue;
    }
    if (!known(name.value)) throw new SyntaxError(`No test named '${name.value}'.`);
    out.push(token("|", "Pipe"), token((negate ? NEGATED_TEST_PREFIX : TEST_PREFIX) + name.value, "Identifier"));
    const next = tokens[nameAt + 1];
    const bareArgument =
      next !== undefined &&
      next.type !== "OpenParen" &&
      next.type !== "CallOperator" &&
      STARTS_ARGUMENT.has(next.type) &&
      !["else", "or", "and", "is"].some((w) => isWord(next, w));
    if (bareArgument) {
      const end = pastArgument(tokens, nameAt + 1);
      out.push(token("(", "OpenParen"), ...rewriteTests(tokens.slice(nameAt + 1, end), known), token(")", "CloseParen"));
      i = end - 1;
    } else {
      if (isWord(next, "is")) throw new SyntaxError("You cannot chain multiple tests with is");
      i = nameAt;
    }
  }
  return out;
}
