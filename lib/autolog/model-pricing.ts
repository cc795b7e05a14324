/**
 * A bundled, dated price table for cost on LLM spans (`mlflow.llm.cost`, USD), overridable with
 * {@link setModelPricing}. Cached input tokens are charged at their own rate. A model that is not
 * in the table gets no cost, never a guessed one.
 */
import { describeValue } from "../internal/describe-value";
import { globalSlot } from "../internal/global-registry";
import { roundTo12Digits as round } from "../internal/round-precision";
import type { ChatTokenUsage } from "./token-usage";

/** Prices in USD per one million tokens. */
export interface ModelPrice {
  inputPerMillion: number;
  outputPerMillion: number;
  /** Price of cached input tokens; defaults to `inputPerMillion`. */
  cachedInputPerMillion?: number;
}

/** The date the bundled prices were taken from OpenAI's published API pricing. */
export const BUNDLED_PRICES_DATE = "2025-08-07";

const BUNDLED: Readonly<Record<string, ModelPrice>> = {
  "gpt-5": { inputPerMillion: 1.25, cachedInputPerMillion: 0.125, outputPerMillion: 10 },
  "gpt-5-mini": { inputPerMillion: 0.25, cachedInputPerMillion: 0.025, outputPerMillion: 2 },
  "gpt-5-nano": { inputPerMillion: 0.05, cachedInputPerMillion: 0.005, outputPerMillion: 0.4 },
  "gpt-4.1": { inputPerMillion: 2, cachedInputPerMillion: 0.5, outputPerMillion: 8 },
  "gpt-4.1-mini": { inputPerMillion: 0.4, cachedInputPerMillion: 0.1, outputPerMillion: 1.6 },
  "gpt-4.1-nano": { inputPerMillion: 0.1, cachedInputPerMillion: 0.025, outputPerMillion: 0.4 },
  "gpt-4o": { inputPerMillion: 2.5, cachedInputPerMillion: 1.25, outputPerMillion: 10 },
  "gpt-4o-mini": { inputPerMillion: 0.15, cachedInputPerMillion: 0.075, outputPerMillion: 0.6 },
  o3: { inputPerMillion: 2, cachedInputPerMillion: 0.5, outputPerMillion: 8 },
  "o3-mini": { inputPerMillion: 1.1, cachedInputPerMillion: 0.55, outputPerMillion: 4.4 },
  "o4-mini": { inputPerMillion: 1.1, cachedInputPerMillion: 0.275, outputPerMillion: 4.4 },
  "gpt-3.5-turbo": { inputPerMillion: 0.5, outputPerMillion: 1.5 },
  // Embedding models bill input tokens only.
  "text-embedding-3-small": { inputPerMillion: 0.02, outputPerMillion: 0 },
  "text-embedding-3-large": { inputPerMillion: 0.13, outputPerMillion: 0 },
  "text-embedding-ada-002": { inputPerMillion: 0.1, outputPerMillion: 0 },
};

let slot: Map<string, ModelPrice | null> | undefined;

/** Overrides shared by every copy of the package (the global registry's `modelPricing` slot). */
function overrides(): Map<string, ModelPrice | null> {
  return (slot ??= globalSlot("modelPricing", () => new Map<string, ModelPrice | null>()));
}

/** Model names without their date suffix, by name: every LLM span asks, mostly for the same few models. */
const undated = new Map<string, string>();
const UNDATED_LIMIT = 1_000;

function withoutDate(model: string): string {
  let base = undated.get(model);
  if (base === undefined) {
    base = model.replace(/-\d{4}-\d{2}-\d{2}$/, "");
    if (undated.size < UNDATED_LIMIT) undated.set(model, base);
  }
  return base;
}

function lookup(own: Map<string, ModelPrice | null>, name: string): ModelPrice | null | undefined {
  if (own.has(name)) return own.get(name) ?? null;
  return BUNDLED[name];
}

function validPrice(name: string, price: ModelPrice): void {
  for (const field of ["inputPerMillion", "outputPerMillion", "cachedInputPerMillion"] as const) {
    const value = price[field];
    if (value === undefined && field === "cachedInputPerMillion") continue;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new RangeError(`setModelPricing("${name}"): expected \`${field}\` to be a finite number >= 0 (USD per 1M tokens), got ${describeValue(value)}`);
    }
  }
}

/**
 * Sets (or with `null`, removes) the price of a model, overriding the bundled table.
 *
 * @example
 * setModelPricing("my-finetune", { inputPerMillion: 0.3, outputPerMillion: 1.2 });
 */
export function setModelPricing(model: string, price: ModelPrice | null): void {
  if (typeof model !== "string" || model === "") throw new TypeError("setModelPricing: expected a model name");
  if (price !== null) validPrice(model, price);
  overrides().set(model, price === null ? null : { ...price });
}

/** The price used for `model`: an override, else the bundled table (dated snapshots like `gpt-4o-2024-08-06` resolve to `gpt-4o`). */
export function getModelPricing(model: string): ModelPrice | undefined {
  const own = overrides();
  const exact = lookup(own, model);
  if (exact !== undefined) return exact ?? undefined;
  const base = withoutDate(model);
  return base === model ? undefined : (lookup(own, base) ?? undefined);
}

/** MLflow's `mlflow.llm.cost` value for `usage` on `model`, or undefined for an unknown model. */
export function costOf(model: string, usage: ChatTokenUsage): { input_cost: number; output_cost: number; total_cost: number } | undefined {
  const price = getModelPricing(model);
  if (price === undefined) return undefined;
  const cached = Math.min(usage.cache_read_input_tokens ?? 0, usage.input_tokens);
  const input = ((usage.input_tokens - cached) * price.inputPerMillion + cached * (price.cachedInputPerMillion ?? price.inputPerMillion)) / 1e6;
  const output = (usage.output_tokens * price.outputPerMillion) / 1e6;
  return { input_cost: round(input), output_cost: round(output), total_cost: round(input + output) };
}
