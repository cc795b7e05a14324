/**
 * The words of MLflow's trace search language, copied from mlflow 3.17's `SearchTraceUtils`
 * (`mlflow/utils/search_utils.py`), in its source order so error messages list them the same way.
 */

/** Entity types after aliases (`tags` → `tag`, `trace`/`attributes` → `attribute`, `metadata` → `request_metadata`). */
export type EntityType = "attribute" | "tag" | "request_metadata" | "span" | "feedback" | "expectation" | "issue";

export const VALID_IDENTIFIERS: readonly string[] = [
  "tag",
  "request_metadata",
  "attribute",
  "span",
  "feedback",
  "expectation",
  "issue",
  "tags",
  "attributes",
  "trace",
  "metadata",
];

export const IDENTIFIER_ALIASES: Readonly<Record<string, EntityType>> = {
  tags: "tag",
  attributes: "attribute",
  trace: "attribute",
  metadata: "request_metadata",
};

export const VALID_SEARCH_ATTRIBUTE_KEYS: readonly string[] = [
  "request_id",
  "timestamp",
  "timestamp_ms",
  "execution_time",
  "execution_time_ms",
  "end_time",
  "end_time_ms",
  "status",
  "client_request_id",
  "name",
  "run_id",
  "prompt",
  "text",
];

export const VALID_ORDER_BY_ATTRIBUTE_KEYS: readonly string[] = [
  "experiment_id",
  "timestamp",
  "timestamp_ms",
  "execution_time",
  "execution_time_ms",
  "end_time",
  "end_time_ms",
  "status",
  "request_id",
  "name",
  "run_id",
];

export const NUMERIC_ATTRIBUTES: readonly string[] = ["timestamp_ms", "timestamp", "execution_time_ms", "execution_time", "end_time_ms", "end_time"];

export const SUPPORT_IN_ATTRIBUTES: readonly string[] = ["name", "status", "request_id", "run_id", "client_request_id"];

export const VALID_TAG_COMPARATORS: readonly string[] = ["!=", "=", "LIKE", "ILIKE", "RLIKE", "IS NULL", "IS NOT NULL"];
export const VALID_STRING_ATTRIBUTE_COMPARATORS: readonly string[] = ["!=", "=", "IN", "NOT IN", "LIKE", "ILIKE", "RLIKE"];
export const VALID_NUMERIC_ATTRIBUTE_COMPARATORS: readonly string[] = [">", ">=", "!=", "=", "<", "<="];
export const SPAN_COMPARATORS: readonly string[] = ["!=", "=", "IN", "NOT IN", "LIKE", "ILIKE", "RLIKE"];
export const SPAN_CONTENT_COMPARATORS: readonly string[] = ["LIKE", "ILIKE"];
export const VALID_METADATA_COMPARATORS: readonly string[] = ["!=", "=", "LIKE", "ILIKE", "RLIKE", "IS NULL", "IS NOT NULL"];
export const NUMERIC_ASSESSMENT_COMPARATORS: readonly string[] = [">", ">=", "<", "<="];
export const VALID_ASSESSMENT_COMPARATORS: readonly string[] = ["!=", "=", ">", ">=", "<", "<=", "LIKE", "ILIKE", "RLIKE", "IS NULL", "IS NOT NULL"];
export const ISSUE_ATTRIBUTES: readonly string[] = ["id"];
export const VALID_ISSUE_COMPARATORS: readonly string[] = ["="];

export const SPAN_ATTRIBUTES: readonly string[] = ["name", "type", "status"];
export const ASSESSMENT_TYPES: readonly EntityType[] = ["feedback", "expectation"];

export const SEARCH_KEY_TO_TAG: Readonly<Record<string, string>> = { name: "mlflow.traceName", prompt: "mlflow.linkedPrompts" };
export const SEARCH_KEY_TO_METADATA: Readonly<Record<string, string>> = { run_id: "mlflow.sourceRun" };
export const SEARCH_KEY_TO_SPAN: Readonly<Record<string, string>> = { text: "content" };
export const SEARCH_KEY_TO_ATTRIBUTE: Readonly<Record<string, string>> = {
  timestamp: "timestamp_ms",
  execution_time: "execution_time_ms",
  end_time: "end_time_ms",
};
