/**
 * Token usage from a generator's outputs, in MLflow's `mlflow.chat.tokenUsage` shape.
 * Reads `meta[i].usage` (text generators) or `replies[i].meta.usage` (chat generators); OpenAI's
 * `prompt_tokens_details.cached_tokens` becomes `cache_read_input_tokens`.
 */

/** MLflow's per-span token usage attribute value. */
export interface ChatTokenUsage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  cache_read_input_tokens?: number;
}

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function num(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** Normalises OpenAI Chat Completions (`prompt_tokens`) and Responses (`input_tokens`) usage. */
export function normaliseUsage(usage: unknown): ChatTokenUsage | undefined {
  if (!isObj(usage)) return undefined;
  const input = num(usage["prompt_tokens"] ?? usage["input_tokens"]);
  const output = num(usage["completion_tokens"] ?? usage["output_tokens"]);
  const total = usage["total_tokens"] !== undefined ? num(usage["total_tokens"]) : input + output;
  if (input === 0 && output === 0 && total === 0) return undefined;
  const result: ChatTokenUsage = { input_tokens: input, output_tokens: output, total_tokens: total };
  const details = usage["prompt_tokens_details"] ?? usage["input_tokens_details"];
  if (isObj(details) && typeof details["cached_tokens"] === "number") result.cache_read_input_tokens = details["cached_tokens"];
  return result;
}

/** The first generation's metadata (`meta[0]` or `replies[0].meta`): OpenAI reports one usage per request. */
export function generationMeta(outputs: unknown): Obj | undefined {
  if (!isObj(outputs)) return undefined;
  const meta = outputs["meta"];
  if (Array.isArray(meta) && isObj(meta[0])) return meta[0];
  const replies = outputs["replies"];
  if (Array.isArray(replies) && isObj(replies[0]) && isObj(replies[0]["meta"])) return replies[0]["meta"];
  return undefined;
}

export function usageFromOutputs(outputs: unknown): ChatTokenUsage | undefined {
  return normaliseUsage(generationMeta(outputs)?.["usage"]);
}

/** The model that answered (`meta[0].model`), else the one configured. */
export function modelFromOutputs(outputs: unknown, configured: unknown): string | undefined {
  const answered = generationMeta(outputs)?.["model"];
  if (typeof answered === "string" && answered !== "") return answered;
  return typeof configured === "string" && configured !== "" ? configured : undefined;
}
