/**
 * MLflow's `order_by` for traces (`parse_order_by_for_search_traces` and the SQL store's
 * `_get_orderby_clauses_for_search_traces`): `<key> [ASC|DESC]`, keys from the attribute list or the
 * aliases `name` (tag `mlflow.traceName`) and `run_id` (metadata `mlflow.sourceRun`); missing values
 * last whatever the direction; then `timestamp_ms DESC` and `request_id ASC` as tie-breakers.
 */
import { InvalidFilterError, pySet } from "./errors";
import { parseIdentifier, replaceKey } from "./filter-grammar";
import { VALID_ORDER_BY_ATTRIBUTE_KEYS } from "./filter-vocabulary";
import type { SearchRow } from "./search-row";

interface OrderKey {
  readonly type: string;
  readonly key: string;
  readonly ascending: boolean;
}

const fail = (message: string): never => {
  throw new InvalidFilterError(message);
};

/**
 * Python's `shlex.split` of the clause with backticks read as double quotes, as MLflow splits it:
 * words at whitespace, quotes removed (`` tag.`my key` `` is one word, `tag.my key`).
 */
function shlexWords(clause: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (const ch of clause.replace(/`/g, '"')) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word ??= "";
    } else if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? "") + ch;
  }
  if (quote !== undefined) return undefined;
  if (word !== undefined) words.push(word);
  return words;
}

/** `_parse_order_by_string`: the key text and the direction. */
function splitClause(clause: string): { key: string; ascending: boolean } {
  const parts = shlexWords(clause.trim()) ?? [];
  if (parts.length === 0 || parts.length > 2) fail(`Invalid order_by clause '${clause}'. Could not be parsed.`);
  const direction = parts[1]?.toLowerCase();
  if (direction !== undefined && direction !== "asc" && direction !== "desc") fail(`Invalid ordering key in order_by clause '${clause}'.`);
  return { key: parts[0] as string, ascending: direction !== "desc" };
}

function parseOrderKey(clause: string): OrderKey {
  const { key: text, ascending } = splitClause(clause);
  const dot = text.indexOf(".");
  const isAttribute = dot === -1 || ["attribute", "attributes", "trace"].includes(text.slice(0, dot));
  const bareKey = dot === -1 ? text : text.slice(dot + 1);
  if (isAttribute && !VALID_ORDER_BY_ATTRIBUTE_KEYS.includes(bareKey)) {
    fail(`Invalid attribute key '${bareKey}' specified. Valid keys are '${pySet(VALID_ORDER_BY_ATTRIBUTE_KEYS)}'`);
  }
  const id = isAttribute ? { type: "attribute" as const, key: bareKey } : parseIdentifier(text);
  const replaced = replaceKey({ ...id, comparator: "=", value: null });
  return { type: replaced.type, key: replaced.key, ascending };
}

type Cell = string | number | null;

function cellOf(row: SearchRow, order: OrderKey): Cell {
  if (order.type === "tag") return row.tags[order.key] ?? null;
  if (order.type === "request_metadata") return row.metadata[order.key] ?? null;
  switch (order.key) {
    case "experiment_id":
      return Number(row.experimentId);
    case "timestamp_ms":
      return row.timestampMs;
    case "execution_time_ms":
      return row.executionTimeMs;
    case "end_time_ms":
      return row.timestampMs + row.executionTimeMs;
    case "status":
      return row.status;
    case "request_id":
      return row.traceId;
    default:
      return null;
  }
}

function compareCells(a: Cell, b: Cell): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * A comparator over rows for `orderBy` (MLflow's default when empty: newest first).
 *
 * @example
 * rows.sort(compileOrderBy(["execution_time_ms DESC"]));
 */
export function compileOrderBy(orderBy: readonly string[] = []): (a: SearchRow, b: SearchRow) => number {
  const keys: OrderKey[] = [];
  const seen = new Set<string>();
  for (const clause of orderBy) {
    const key = parseOrderKey(clause);
    if (key.type !== "attribute" && key.type !== "tag" && key.type !== "request_metadata") fail(`Invalid identifier type '${key.type}'`);
    const id = `${key.type}\u0000${key.key}`;
    if (seen.has(id)) fail(`\`order_by\` contains duplicate fields: [${orderBy.map((o) => `'${o}'`).join(", ")}]`);
    seen.add(id);
    keys.push(key);
  }
  if (!seen.has("attribute\u0000timestamp_ms")) keys.push({ type: "attribute", key: "timestamp_ms", ascending: false });
  if (!seen.has("attribute\u0000request_id")) keys.push({ type: "attribute", key: "request_id", ascending: true });
  return (a, b) => {
    for (const key of keys) {
      const [x, y] = [cellOf(a, key), cellOf(b, key)];
      if (x === null || y === null) {
        const nulls = compareCells(x, y);
        if (nulls !== 0) return nulls;
        continue;
      }
      const c = compareCells(x, y);
      if (c !== 0) return key.ascending ? c : -c;
    }
    return 0;
  };
}
