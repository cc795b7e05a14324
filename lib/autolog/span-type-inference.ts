/**
 * Span types for Haystack components, inferred as MLflow's Python Haystack integration does
 * (`_infer_span_type_from_haystack`), unless the component declares one.
 */
import { SpanType } from "../tracing/integration";

const LLM_MARKERS = ["llm", "chat", "generator", "completion", "textgen", "chatgenerator", "openai", "anthropic", "mistral", "cohere", "gemini"];

/** `declared` wins; otherwise the lowercased class name, then the component name, decide. */
export function inferComponentSpanType(className: string, componentName: string, declared?: string): string {
  if (declared !== undefined && declared !== "") return declared;
  for (const candidate of [className, componentName]) {
    const name = candidate.toLowerCase();
    if (LLM_MARKERS.some((marker) => name.includes(marker))) return SpanType.LLM;
    if (name.includes("embedder")) return SpanType.EMBEDDING;
    if (name.includes("retriever")) return SpanType.RETRIEVER;
    if (name.includes("ranker")) return SpanType.RERANKER;
    if (name.includes("agent")) return SpanType.AGENT;
  }
  return SpanType.TOOL;
}
