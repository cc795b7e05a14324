/**
 * Haystack's metadata filters (`haystack/utils/filters.py`): comparison conditions
 * `{ field, operator, value }` and logical conditions `{ operator: "AND"|"OR"|"NOT", conditions }`.
 * Unlike Haystack, the structure is validated up front, so a malformed filter fails even on an
 * empty store, with the path of the offending condition in the message.
 */
import { describeValue } from "../../internal/describe-value";
import type { Document } from "../document";
import { FilterError } from "./errors";
import { compareDates, comparesNaiveWithAware, parseIsoDate, sameInstant } from "./filter-dates";

/** Comparison operators of a {@link ComparisonFilter}. */
export type ComparisonOperator = "==" | "!=" | ">" | ">=" | "<" | "<=" | "in" | "not in";
/** Logical operators of a {@link LogicalFilter}. */
export type LogicalOperator = "AND" | "OR" | "NOT";

/** `{ field: "meta.year", operator: ">=", value: 2020 }`; a bare field name means `meta.<name>`. */
export interface ComparisonFilter {
  field: string;
  operator: ComparisonOperator;
  value: unknown;
}

/** `{ operator: "AND", conditions: [...] }`; `NOT` negates the AND of its conditions. */
export interface LogicalFilter {
  operator: LogicalOperator;
  conditions: readonly Filter[];
}

/** A Haystack filter. @example { operator: "AND", conditions: [{ field: "meta.lang", operator: "==", value: "en" }] } */
export type Filter = ComparisonFilter | LogicalFilter;

const COMPARISON = new Set<string>(["==", "!=", ">", ">=", "<", "<=", "in", "not in"]);
const LOGICAL = new Set<string>(["AND", "OR", "NOT"]);
const ORDERING = new Set<string>([">", ">=", "<", "<="]);
const DOCUMENT_FIELDS = new Set(["id", "content", "blob", "meta", "score", "embedding", "sparse_embedding"]);
const DOCS = "See https://docs.haystack.deepset.ai/docs/metadata-filtering.";

/**
 * Throws a {@link FilterError} naming the first problem in `filter`.
 *
 * @example
 * validateFilter({ field: "meta.year", operator: "=", value: 1 }); // FilterError: filters: unknown comparison operator "="…
 */
export function validateFilter(filter: unknown, path = "filters"): asserts filter is Filter {
  if (filter === null || typeof filter !== "object" || Array.isArray(filter)) {
    throw new FilterError(`${path} must be an object with 'operator', got ${describeValue(filter)}. ${DOCS}`);
  }
  const f = filter as Record<string, unknown>;
  if (!("operator" in f)) {
    throw new FilterError(`${path} has no 'operator' key (got keys: ${Object.keys(f).join(", ") || "none"}). ${DOCS}`);
  }
  if ("field" in f) {
    if (typeof f["field"] !== "string" || f["field"] === "") {
      throw new FilterError(`${path}.field must be a non-empty string like "meta.year", got ${describeValue(f["field"])}.`);
    }
    const op = f["operator"];
    if (typeof op !== "string" || !COMPARISON.has(op)) {
      throw new FilterError(`${path}: unknown comparison operator ${describeValue(op)}; expected one of ${[...COMPARISON].join(", ")}.`);
    }
    if (!("value" in f)) throw new FilterError(`${path} ('${f["field"]}' ${op}) has no 'value' key.`);
    if ((op === "in" || op === "not in") && !Array.isArray(f["value"])) {
      throw new FilterError(`${path}: operator '${op}' needs an array value, got ${describeValue(f["value"])}.`);
    }
    if (ORDERING.has(op) && Array.isArray(f["value"])) {
      throw new FilterError(`${path}: operator '${op}' cannot compare with an array value.`);
    }
    return;
  }
  const op = f["operator"];
  if (typeof op !== "string" || !LOGICAL.has(op)) {
    const hint = typeof op === "string" && COMPARISON.has(op) ? " (a comparison needs a 'field' key)" : "";
    throw new FilterError(`${path}: unknown logical operator ${describeValue(op)}${hint}; expected AND, OR or NOT.`);
  }
  if (!Array.isArray(f["conditions"])) {
    throw new FilterError(`${path} (${op}) needs a 'conditions' array, got ${describeValue(f["conditions"])}.`);
  }
  f["conditions"].forEach((c: unknown, i: number) => validateFilter(c, `${path}.conditions[${i}]`));
}

/** Compiles a field name into a reader; throws for a dotted path that does not start at a Document field. */
function fieldReader(field: string): (doc: Document) => unknown {
  if (field.includes(".")) {
    const [head = "", ...rest] = field.split(".");
    if (!DOCUMENT_FIELDS.has(head)) {
      throw new FilterError(`Filter field '${field}': '${head}' is not a Document field; use 'meta.${field}'.`);
    }
    return (doc) => {
      let value: unknown = (doc as unknown as Record<string, unknown>)[head];
      for (const part of rest) {
        if (value === null || typeof value !== "object" || !(part in value)) return null;
        value = (value as Record<string, unknown>)[part];
      }
      return value;
    };
  }
  // Fields that are not Document attributes are looked up in meta (Haystack's legacy fallback).
  if (!DOCUMENT_FIELDS.has(field)) return (doc) => doc.meta[field] ?? null;
  return (doc) => (doc as unknown as Record<string, unknown>)[field] ?? null;
}

/** Python `==` on JSON-like data. */
export function pythonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => pythonEquals(v, b[i]));
  }
  if (typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a);
    const rb = b as Record<string, unknown>;
    return ka.length === Object.keys(rb).length && ka.every((k) => k in rb && pythonEquals((a as Record<string, unknown>)[k], rb[k]));
  }
  return false;
}

/** Options of {@link compileFilter}. */
export interface FilterOptions {
  /**
   * Haystack's `strict_datetime_comparison`: a timezone-naive date never matches a timezone-aware
   * one. Default false: the naive one takes the aware one's offset.
   */
  strictDatetimeComparison?: boolean;
}

/** A filter's `==`: Python's, plus ISO dates naming the same instant. */
function filterEquals(docValue: unknown, filterValue: unknown, strict: boolean): boolean {
  return pythonEquals(docValue, filterValue) || sameInstant(docValue, filterValue, strict);
}

function greaterThan(docValue: unknown, filterValue: unknown): boolean {
  if (docValue == null || filterValue == null) return false;
  if (typeof docValue === "string" || typeof filterValue === "string") {
    return compareDates(parseIsoDate(docValue), parseIsoDate(filterValue)) > 0;
  }
  const a = docValue instanceof Date ? docValue.getTime() : docValue;
  const b = filterValue instanceof Date ? filterValue.getTime() : filterValue;
  if ((typeof a === "number" || typeof a === "boolean") && (typeof b === "number" || typeof b === "boolean")) {
    return Number(a) > Number(b);
  }
  throw new FilterError(`Cannot compare ${describeValue(docValue)} with ${describeValue(filterValue)} using '>', '>=', '<', '<='.`);
}

function compare(op: ComparisonOperator, docValue: unknown, filterValue: unknown, strict: boolean): boolean {
  switch (op) {
    case "==":
      return filterEquals(docValue, filterValue, strict);
    case "!=":
      return !filterEquals(docValue, filterValue, strict);
    case "in":
      return (filterValue as unknown[]).some((v) => filterEquals(v, docValue, strict));
    case "not in":
      return !(filterValue as unknown[]).some((v) => filterEquals(v, docValue, strict));
  }
  if (docValue == null || filterValue == null) return false;
  if (strict && comparesNaiveWithAware(docValue, filterValue)) return false;
  switch (op) {
    case ">":
      return greaterThan(docValue, filterValue);
    case ">=":
      return filterEquals(docValue, filterValue, strict) || greaterThan(docValue, filterValue);
    case "<":
      return !(filterEquals(docValue, filterValue, strict) || greaterThan(docValue, filterValue));
    case "<=":
      return !greaterThan(docValue, filterValue);
  }
}

/**
 * Compiles a filter already checked by {@link validateFilter} into a predicate.
 *
 * @example
 * const isEnglish = compileFilter({ field: "meta.lang", operator: "==", value: "en" });
 * docs.filter(isEnglish);
 */
export function compileFilter(filter: Filter, options: FilterOptions = {}): (doc: Document) => boolean {
  if ("field" in filter) {
    const read = fieldReader(filter.field);
    const { operator, value } = filter;
    const strict = options.strictDatetimeComparison === true;
    return (doc) => compare(operator, read(doc), value, strict);
  }
  const conditions = filter.conditions.map((condition) => compileFilter(condition, options));
  switch (filter.operator) {
    case "AND":
      return (doc) => conditions.every((c) => c(doc));
    case "OR":
      return (doc) => conditions.some((c) => c(doc));
    case "NOT":
      return (doc) => !conditions.every((c) => c(doc));
  }
}

/**
 * Whether `doc` matches `filter` (validated first).
 *
 * @example
 * documentMatchesFilter({ field: "meta.lang", operator: "==", value: "en" }, doc);
 */
export function documentMatchesFilter(filter: Filter, doc: Document, options: FilterOptions = {}): boolean {
  validateFilter(filter);
  return compileFilter(filter, options)(doc);
}
