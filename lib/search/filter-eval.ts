/**
 * Evaluates parsed filter clauses against a trace the way MLflow's SQL store (SQLite) does:
 * case-sensitive `=` and `LIKE` (the store sets `case_sensitive_like`), `ILIKE` as lower-cased
 * LIKE, `RLIKE` as Python's `re.search` (its leading inline flags too), SQL NULL (a missing value matches no comparison, `!=`
 * included), all span clauses of a filter met by ONE span, each assessment clause by any valid
 * assessment of that name. The comparator checks the store makes (with its messages) happen here.
 */
import { InvalidFilterError, pySet } from "./errors";
import { checkSpanKey, type Clause } from "./filter-grammar";
import {
  ISSUE_ATTRIBUTES,
  NUMERIC_ASSESSMENT_COMPARATORS,
  NUMERIC_ATTRIBUTES,
  VALID_ASSESSMENT_COMPARATORS,
  VALID_ISSUE_COMPARATORS,
  VALID_METADATA_COMPARATORS,
  VALID_STRING_ATTRIBUTE_COMPARATORS,
  VALID_NUMERIC_ATTRIBUTE_COMPARATORS,
  VALID_TAG_COMPARATORS,
} from "./filter-vocabulary";
import type { AssessmentRow, SearchRow, SpanRow } from "./search-row";

/** A compiled filter: true when the trace matches every clause. */
export type TracePredicate = (row: SearchRow) => boolean;

type Sql = string | number | null;

const fail = (message: string): never => {
  throw new InvalidFilterError(message);
};

const notLocal = (what: string): never =>
  fail(`${what} filters need a tracking server's database and are not supported by the local store; search a server (setTrackingUri) instead.`);

/** SQL `LIKE` (`%`, `_`, no escape character) as a regular expression. */
function likeRegex(pattern: string, flags: string): RegExp {
  const body = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    .replace(/%/g, "[\\s\\S]*")
    .replace(/_/g, "[\\s\\S]");
  return new RegExp(`^${body}$`, flags);
}

/** Python's global inline flags at the start of a pattern, e.g. `(?i)`. */
const INLINE_FLAGS = /^\(\?([aiLmsux]+)\)/;

/**
 * Python's `re.search` pattern as a regular expression, or undefined where Python's `re.error`
 * (which the store reads as no match) or a flag JavaScript lacks (`x`, verbose) leaves none.
 */
function pythonRegex(pattern: string): RegExp | undefined {
  const inline = INLINE_FLAGS.exec(pattern);
  const letters = inline?.[1] ?? "";
  if (letters.includes("x")) return undefined;
  // `a`, `u` and `L` choose ASCII, Unicode or locale classes: the `u` tried first is Python 3's default.
  const flags = [..."ims"].filter((f) => letters.includes(f)).join("");
  const body = inline === null ? pattern : pattern.slice(inline[0].length);
  try {
    return new RegExp(body, `${flags}u`);
  } catch {
    try {
      return new RegExp(body, flags);
    } catch {
      return undefined;
    }
  }
}

/** SQLite's NUMERIC affinity: text that reads as a number becomes one when compared with a numeric column. */
const NUMERIC_TEXT = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

function withNumericAffinity(value: Clause["value"]): Clause["value"] {
  return typeof value === "string" && NUMERIC_TEXT.test(value) ? Number(value) : value;
}

/** SQLite's ordering between a column value and a literal: numbers sort before text. */
function sqlCompare(a: string | number, b: string | number): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "number") return -1;
  if (typeof b === "number") return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A comparator applied to one column value (`null` is SQL NULL and matches nothing). */
function comparison(comparator: string, value: Clause["value"]): (lhs: Sql) => boolean {
  switch (comparator) {
    case "=":
      return (lhs) => lhs !== null && sqlCompare(lhs, value as string | number) === 0;
    case "!=":
      return (lhs) => lhs !== null && sqlCompare(lhs, value as string | number) !== 0;
    case "<":
      return (lhs) => lhs !== null && sqlCompare(lhs, value as string | number) < 0;
    case "<=":
      return (lhs) => lhs !== null && sqlCompare(lhs, value as string | number) <= 0;
    case ">":
      return (lhs) => lhs !== null && sqlCompare(lhs, value as string | number) > 0;
    case ">=":
      return (lhs) => lhs !== null && sqlCompare(lhs, value as string | number) >= 0;
    case "IN":
    case "NOT IN": {
      const set = new Set(Array.isArray(value) ? value : [String(value)]);
      const wanted = comparator === "IN";
      return (lhs) => lhs !== null && set.has(String(lhs)) === wanted;
    }
    case "LIKE": {
      const re = likeRegex(String(value), "");
      return (lhs) => lhs !== null && re.test(String(lhs));
    }
    case "ILIKE": {
      const re = likeRegex(String(value).toLowerCase(), "");
      return (lhs) => lhs !== null && re.test(String(lhs).toLowerCase());
    }
    case "RLIKE": {
      const re = pythonRegex(String(value));
      return (lhs) => lhs !== null && re !== undefined && re.test(String(lhs));
    }
    default:
      return fail(`Invalid comparator '${comparator}' is not supported by the local store.`);
  }
}

function attributeValue(row: SearchRow, key: string): Sql {
  switch (key) {
    case "request_id":
      return row.traceId;
    case "timestamp_ms":
      return row.timestampMs;
    case "execution_time_ms":
      return row.executionTimeMs;
    case "end_time_ms":
      return row.timestampMs + row.executionTimeMs;
    case "status":
      return row.status;
    case "client_request_id":
      return row.clientRequestId;
    default:
      return fail(`Invalid attribute key '${key}' is not supported by the local store.`);
  }
}

function keyValue(comparator: string, value: Clause["value"], read: (row: SearchRow) => Readonly<Record<string, string>>, key: string): TracePredicate {
  if (comparator === "IS NULL") return (row) => !Object.hasOwn(read(row), key);
  if (comparator === "IS NOT NULL") return (row) => Object.hasOwn(read(row), key);
  const test = comparison(comparator, value);
  return (row) => {
    const map = read(row);
    return Object.hasOwn(map, key) && test(map[key] as string);
  };
}

function assessmentPredicate(clause: Clause, comparator: string): TracePredicate {
  const { type, key } = clause;
  const named = (a: AssessmentRow): boolean => a.type === type && a.name === key;
  if (comparator === "IS NULL") return (row) => !row.assessments.some(named);
  if (comparator === "IS NOT NULL") return (row) => row.assessments.some(named);
  let test: (a: AssessmentRow) => boolean;
  if (NUMERIC_ASSESSMENT_COMPARATORS.includes(comparator)) {
    const numeric = comparison(comparator, Number(clause.value));
    test = (a) => a.numeric !== undefined && numeric(a.numeric);
  } else if (comparator === "=" || comparator === "!=") {
    // The store matches the raw JSON (numbers, booleans) or the JSON of the string (strings).
    const raw = String(clause.value);
    const quoted = JSON.stringify(raw);
    const equal = comparator === "=";
    test = (a) => (a.json === raw || a.json === quoted) === equal;
  } else {
    const text = comparison(comparator, clause.value);
    test = (a) => text(a.json);
  }
  return (row) => row.assessments.some((a) => named(a) && test(a));
}

function spanTest(clause: Clause, comparator: string): (span: SpanRow) => boolean {
  checkSpanKey(clause.key, comparator);
  if (clause.key.startsWith("attributes.")) return notLocal("span.attributes.*");
  if (clause.key === "content") return notLocal("Span content (span.content, trace.text)");
  const test = comparison(comparator, clause.value);
  const column = clause.key as "name" | "type" | "status";
  return (span) => test(span[column]);
}

/**
 * Compiles clauses into a predicate, making the comparator checks MLflow's store makes, in its
 * order and with its messages.
 *
 * @example
 * const matches = compileFilter(parseFilter("tag.env = 'prod'"));
 * rows.filter(matches);
 */
export function compileFilter(clauses: readonly Clause[]): TracePredicate {
  const tests: TracePredicate[] = [];
  const spanTests: ((span: SpanRow) => boolean)[] = [];
  for (const clause of clauses) {
    const comparator = clause.comparator.toUpperCase();
    const { type, key } = clause;
    if (type === "issue") {
      if (!ISSUE_ATTRIBUTES.includes(key)) fail(`Invalid issue attribute '${key}'. Supported attributes: ${ISSUE_ATTRIBUTES.join(", ")}`);
      if (!VALID_ISSUE_COMPARATORS.includes(comparator)) fail(`issue.${key} comparator '${comparator}' not one of '${pySet(VALID_ISSUE_COMPARATORS)}'`);
      notLocal("issue.id");
    } else if (type === "attribute") {
      if (NUMERIC_ATTRIBUTES.includes(key)) {
        if (!VALID_NUMERIC_ATTRIBUTE_COMPARATORS.includes(comparator))
          fail(`Invalid comparator '${comparator}' not one of '${pySet(VALID_STRING_ATTRIBUTE_COMPARATORS)}`);
      } else if (!VALID_STRING_ATTRIBUTE_COMPARATORS.includes(comparator)) {
        fail(`Invalid comparator '${comparator}' not one of '${pySet(VALID_STRING_ATTRIBUTE_COMPARATORS)}'`);
      }
      const test = comparison(comparator, NUMERIC_ATTRIBUTES.includes(key) ? withNumericAffinity(clause.value) : clause.value);
      tests.push((row) => test(attributeValue(row, key)));
    } else if (type === "tag") {
      if (!VALID_TAG_COMPARATORS.includes(comparator)) fail(`Invalid comparator '${comparator}' not one of '${pySet(VALID_TAG_COMPARATORS)}`);
      if (key === "mlflow.linkedPrompts") notLocal("prompt");
      tests.push(keyValue(comparator, clause.value, (row) => row.tags, key));
    } else if (type === "request_metadata") {
      if (!VALID_METADATA_COMPARATORS.includes(comparator)) fail(`Invalid comparator '${comparator}' not one of '${pySet(VALID_METADATA_COMPARATORS)}'`);
      tests.push(keyValue(comparator, clause.value, (row) => row.metadata, key));
    } else if (type === "span") {
      spanTests.push(spanTest(clause, comparator));
    } else if (type === "feedback" || type === "expectation") {
      if (key === "") fail("Assessment field name cannot be empty");
      if (!VALID_ASSESSMENT_COMPARATORS.includes(comparator))
        fail(`assessment.${key} comparator '${comparator}' not one of '${pySet(VALID_ASSESSMENT_COMPARATORS)}'`);
      tests.push(assessmentPredicate(clause, comparator));
    } else {
      fail(`Invalid search expression type '${String(type)}'`);
    }
  }
  if (spanTests.length > 0) tests.push((row) => row.spans.some((span) => spanTests.every((t) => t(span))));
  return (row) => tests.every((t) => t(row));
}
