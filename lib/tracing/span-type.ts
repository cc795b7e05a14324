/**
 * MLflow's span types. Any other string is allowed too, as in MLflow.
 *
 * @example
 * startSpan({ name: "retrieve", spanType: SpanType.RETRIEVER }, () => search(query));
 */
export const SpanType = {
  LLM: "LLM",
  CHAT_MODEL: "CHAT_MODEL",
  CHAIN: "CHAIN",
  AGENT: "AGENT",
  TOOL: "TOOL",
  RETRIEVER: "RETRIEVER",
  RERANKER: "RERANKER",
  EMBEDDING: "EMBEDDING",
  PARSER: "PARSER",
  MEMORY: "MEMORY",
  UNKNOWN: "UNKNOWN",
} as const;

/** A span type: one of {@link SpanType} or any custom string. */
export type SpanTypeName = (typeof SpanType)[keyof typeof SpanType] | (string & {});
