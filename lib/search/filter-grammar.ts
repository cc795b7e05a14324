/**
 * MLflow's trace search filter language, parsed the way MLflow 3.17's `SearchTraceUtils` does, with
 * its error messages. Grammar (tokens from `filter-tokens.ts`):
 *
 *   filter     := clause* (clauses may be joined by AND; MLflow also accepts them side by side)
 *   clause     := name operator value            -- tag.env = 'prod', feedback.score > 0.5
 *               | name IN list | name NOT IN list
 *               | name IS NULL | name IS NOT NULL
 *               | builtin operator integer       -- timestamp > 1700000000000
 *   name       := part ("." part)*   where part := word | `backticked` | "double quoted"
 *   value      := 'string' | "string" | integer | float | name (refused as unquoted later)
 *   list       := "(" 'string' ("," 'string')* ")"
 *
 * Anything else (OR, parentheses around clauses, a lone name) is collected and reported as
 * "Invalid clause(s) in filter string: ...", as MLflow does.
 *
 * Why hand-written rather than a parser generator: MLflow's language is not a grammar of its own
 * but sqlparse's token stream plus checks in a fixed order, and users see those checks' messages.
 * A recursive-descent pass over the same token kinds reproduces both the accepted language and the
 * order in which mistakes are reported; a generated parser would accept a cleaner language and
 * report its own errors. It also costs no dependency and runs once per search.
 */
import { InvalidFilterError, pyRepr, pySet } from "./errors";
import { countStatements, tokenize, type Token } from "./filter-tokens";
import {
  ASSESSMENT_TYPES,
  IDENTIFIER_ALIASES,
  NUMERIC_ASSESSMENT_COMPARATORS,
  NUMERIC_ATTRIBUTES,
  SEARCH_KEY_TO_ATTRIBUTE,
  SEARCH_KEY_TO_METADATA,
  SEARCH_KEY_TO_SPAN,
  SEARCH_KEY_TO_TAG,
  SPAN_ATTRIBUTES,
  SPAN_COMPARATORS,
  SPAN_CONTENT_COMPARATORS,
  SUPPORT_IN_ATTRIBUTES,
  VALID_IDENTIFIERS,
  VALID_SEARCH_ATTRIBUTE_KEYS,
  type EntityType,
} from "./filter-vocabulary";

/** One parsed clause, after MLflow's key aliases (`name` → tag `mlflow.traceName`, ...). */
export interface Clause {
  readonly type: EntityType;
  readonly key: string;
  /** As written (`like` stays lower case until the store upper-cases it). */
  readonly comparator: string;
  /** A string, a number, a list of strings (IN), or null (IS NULL). */
  readonly value: string | number | readonly string[] | null;
}

interface RawComparison {
  readonly tokens: readonly Token[];
}

const fail = (message: string): never => {
  throw new InvalidFilterError(message);
};

/**
 * Parses a filter into clauses, or throws {@link InvalidFilterError} with MLflow's message.
 *
 * @example
 * parseFilter("tag.env = 'prod' AND span.type = 'LLM'");
 * // [{ type: "tag", key: "env", comparator: "=", value: "prod" }, { type: "span", key: "type", ... }]
 */
export function parseFilter(filter: string | undefined): Clause[] {
  if (filter === undefined || filter === "") return [];
  if (filter.trim() === "") fail(`Invalid filter '${filter}'. Could not be parsed.`);
  if (countStatements(filter) > 1) fail(`Search filter contained multiple expression ${pyRepr(filter)}. Provide AND-ed expression list.`);
  const { comparisons, invalid } = group(tokenize(filter));
  if (invalid.length > 0) fail(`Invalid clause(s) in filter string: ${invalid.map((t) => `'${t.text}'`).join(", ")}`);
  return comparisons.map((c) => replaceKey(toClause(c.tokens)));
}

const isValue = (t: Token | undefined): boolean => t !== undefined && (t.kind === "string" || t.kind === "integer" || t.kind === "float" || t.kind === "name");
const isKeyword = (t: Token | undefined, word: string): boolean => t?.kind === "keyword" && t.text.toUpperCase().replace(/\s+/g, " ") === word;

/** Groups tokens into comparisons; tokens that belong to none are returned as invalid. */
function group(tokens: readonly Token[]): { comparisons: RawComparison[]; invalid: Token[] } {
  const comparisons: RawComparison[] = [];
  const invalid: Token[] = [];
  let i = 0;
  while (i < tokens.length) {
    const [a, b, c, d] = [tokens[i] as Token, tokens[i + 1], tokens[i + 2], tokens[i + 3]];
    if (isKeyword(a, "AND")) {
      i += 1;
    } else if (a.kind === "builtin" && b?.kind === "operator" && ["<", "<=", ">", ">=", "=", "!="].includes(b.text) && c?.kind === "integer") {
      comparisons.push({ tokens: [a, b, c] });
      i += 3;
    } else if (a.kind === "name" && b?.kind === "operator" && isValue(c)) {
      comparisons.push({ tokens: [a, b, c as Token] });
      i += 3;
    } else if (a.kind === "name" && isKeyword(b, "IN") && c?.kind === "list") {
      comparisons.push({ tokens: [a, { kind: "operator", text: (b as Token).text }, c] });
      i += 3;
    } else if (a.kind === "name" && isKeyword(b, "IS") && isKeyword(c, "NULL")) {
      comparisons.push({ tokens: [a, { kind: "operator", text: "IS NULL" }] });
      i += 3;
    } else if (a.kind === "name" && isKeyword(b, "IS") && isKeyword(c, "NOT NULL")) {
      comparisons.push({ tokens: [a, { kind: "operator", text: "IS NOT NULL" }] });
      i += 3;
    } else if (a.kind === "name" && isKeyword(b, "NOT") && isKeyword(c, "IN") && d?.kind === "list") {
      comparisons.push({ tokens: [a, { kind: "operator", text: "NOT IN" }, d] });
      i += 4;
    } else {
      invalid.push(a);
      i += 1;
    }
  }
  return { comparisons, invalid };
}

function trimBackticks(text: string): string {
  return text.length >= 2 && text.startsWith("`") && text.endsWith("`") ? text.slice(1, -1) : text;
}

function stripQuotes(text: string, expectQuoted: boolean): string {
  if (text.length >= 2 && ((text.startsWith("'") && text.endsWith("'")) || (text.startsWith('"') && text.endsWith('"')))) return text.slice(1, -1);
  if (expectQuoted) {
    fail(`Parameter value is either not quoted or unidentified quote types used for string value ${text}. Use either single or double quotes.`);
  }
  return text;
}

/** `_get_identifier`: the entity type (aliases resolved) and the key. */
function identifier(text: string): { type: EntityType; key: string } {
  const dot = text.indexOf(".");
  const rawType = dot === -1 ? "attribute" : text.slice(0, dot);
  const rawKey = dot === -1 ? text : text.slice(dot + 1);
  const entity = trimBackticks(rawType);
  if (!VALID_IDENTIFIERS.includes(entity)) fail(`Invalid entity type '${entity}'. Valid values are ${pySet(VALID_IDENTIFIERS)}`);
  const type = (IDENTIFIER_ALIASES[entity] ?? entity) as EntityType;
  const key = trimBackticks(stripQuotes(rawKey, false));
  if (type === "attribute" && !VALID_SEARCH_ATTRIBUTE_KEYS.includes(key)) {
    fail(`Invalid attribute key '${key}' specified. Valid keys are '${pySet(VALID_SEARCH_ATTRIBUTE_KEYS)}'`);
  }
  return { type, key };
}

/** `_parse_list_from_sql_token`: a non-empty tuple of quoted strings. */
function parseList(text: string): string[] {
  const inner = text.replace(/^\(/, "").replace(/\)$/, "").trim();
  if (inner === "") fail("While parsing a list in the query, expected a non-empty list of string values, but got empty list");
  const items = inner
    .split(/,(?=(?:[^']*'[^']*')*[^']*$)/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const values: string[] = [];
  for (const item of items) {
    const quoted = /^'(.*)'$/s.exec(item) ?? /^"(.*)"$/s.exec(item);
    if (quoted === null) {
      if (/^-?\d+(\.\d*)?$/.test(item)) {
        fail(
          `While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: (${items.join(", ")}${items.length === 1 ? "," : ""})`,
        );
      }
      fail("While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list.");
    }
    values.push((quoted as RegExpExecArray)[1] as string);
  }
  return values;
}

const numberOf = (t: Token): number => Number(t.text);
const isStringLike = (t: Token): boolean => t.kind === "string" || t.kind === "name";
const isNumeric = (t: Token): boolean => t.kind === "integer" || t.kind === "float";

function checkAssessmentValue(type: EntityType, comparator: string, token: Token): void {
  if (!ASSESSMENT_TYPES.includes(type)) return;
  const numericComparison = NUMERIC_ASSESSMENT_COMPARATORS.includes(comparator);
  const message = numericComparison
    ? `Expected a numeric value for ${type} when using comparator '${comparator}'. Got value ${token.text}`
    : `Expected a quoted string value for ${type} (e.g. 'my-value'). Got value ${token.text}`;
  if (isStringLike(token) ? numericComparison : isNumeric(token) ? !numericComparison : true) fail(message);
}

/** `_get_value`: the clause value for the entity type, or MLflow's refusal. */
function valueOf(type: EntityType, key: string, token: Token): string | number | readonly string[] {
  const quotedValue = (what: string): never => fail(`Expected a quoted string value for ${what} (e.g. 'my-value'). Got value ${token.text}`);
  if (isStringLike(token)) return stripQuotes(token.text, true);
  switch (type) {
    case "tag":
    case "span":
      return token.kind === "list" ? parseList(token.text) : quotedValue(type);
    case "attribute":
      if (token.kind === "list") {
        if (!SUPPORT_IN_ATTRIBUTES.includes(key)) {
          fail(`Only attributes in ${pySet(SUPPORT_IN_ATTRIBUTES)} supports comparison with a list of quoted string values.`);
        }
        return parseList(token.text);
      }
      if (isNumeric(token)) {
        if (!NUMERIC_ATTRIBUTES.includes(key)) fail(`Only the '${pySet(NUMERIC_ATTRIBUTES)}' attributes support comparison with numeric values.`);
        return numberOf(token);
      }
      return fail(`Expected a quoted string value or a list of quoted string values for attributes. Got value ${token.text}`);
    case "feedback":
    case "expectation":
      if (isNumeric(token)) return numberOf(token);
      return fail(`Expected a quoted string value or numeric value for ${type} (e.g. 'my-value' or 0.8). Got value ${token.text}`);
    default:
      return quotedValue(type);
  }
}

/** `is_span`'s checks, made at parse time with the comparator as written (so `in` is refused). */
export function checkSpanKey(key: string, comparator: string): void {
  if (key.startsWith("attributes.")) {
    if (key === "attributes.") fail("Span attribute name cannot be empty after 'attributes.'");
    if (!SPAN_COMPARATORS.includes(comparator)) fail(`span.${key} comparator '${comparator}' not one of '${pySet(SPAN_COMPARATORS)}'`);
  } else if (SPAN_ATTRIBUTES.includes(key)) {
    if (!SPAN_COMPARATORS.includes(comparator)) fail(`span.${key} comparator '${comparator}' not one of '${pySet(SPAN_COMPARATORS)}'`);
  } else if (key === "content") {
    if (!SPAN_CONTENT_COMPARATORS.includes(comparator)) fail(`span.${key} comparator '${comparator}' not one of '${pySet(SPAN_CONTENT_COMPARATORS)}'`);
  } else {
    fail(`Invalid span attribute '${key}'. Supported attributes: ${[...SPAN_ATTRIBUTES].sort().join(", ")}, attributes.<attribute_name>.`);
  }
}

function toClause(tokens: readonly Token[]): Clause {
  const [name, op, valueToken] = tokens as [Token, Token, Token | undefined];
  const { type, key } = identifier(name.text);
  if (valueToken === undefined) return { type, key, comparator: op.text.toUpperCase(), value: null };
  checkAssessmentValue(type, op.text, valueToken);
  const value = valueOf(type, key, valueToken);
  if (type === "span") checkSpanKey(key, op.text);
  return { type, key, comparator: op.text, value };
}

/** `_replace_key_to_tag_or_metadata`: MLflow's aliases, applied to every entity type but spans. */
function replaceKey(clause: Clause): Clause {
  if (clause.type === "span") return clause;
  const key = clause.key.toLowerCase();
  const tag = SEARCH_KEY_TO_TAG[key];
  if (tag !== undefined) return { ...clause, type: "tag", key: tag };
  const metadata = SEARCH_KEY_TO_METADATA[key];
  if (metadata !== undefined) return { ...clause, type: "request_metadata", key: metadata };
  const span = SEARCH_KEY_TO_SPAN[key];
  if (span !== undefined) return { ...clause, type: "span", key: span };
  const attribute = SEARCH_KEY_TO_ATTRIBUTE[key];
  if (attribute !== undefined) return { ...clause, key: attribute };
  return clause;
}

export { identifier as parseIdentifier, replaceKey };
