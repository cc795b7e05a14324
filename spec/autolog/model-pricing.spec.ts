import { getModelPricing, setModelPricing } from "../../lib/index";
import { costOf } from "../../lib/autolog/model-pricing";

describe("model pricing", () => {
  const bundled = getModelPricing("gpt-4o-mini")!;
  afterEach(() => setModelPricing("gpt-4o-mini", bundled));

  it("prices a dated model by its base name and cached input tokens at the cached rate", () => {
    expect(getModelPricing("gpt-4o-mini-2024-07-18")).toEqual({ inputPerMillion: 0.15, cachedInputPerMillion: 0.075, outputPerMillion: 0.6 });
    expect(costOf("gpt-4o-mini", { input_tokens: 1_000_000, output_tokens: 1_000_000, total_tokens: 2_000_000, cache_read_input_tokens: 500_000 })).toEqual({
      input_cost: 0.1125,
      output_cost: 0.6,
      total_cost: 0.7125,
    });
  });

  it("prices OpenAI's embedding models (input tokens only)", () => {
    expect(costOf("text-embedding-3-small", { input_tokens: 1_000_000, output_tokens: 0, total_tokens: 1_000_000 })).toEqual({
      input_cost: 0.02,
      output_cost: 0,
      total_cost: 0.02,
    });
    expect(getModelPricing("text-embedding-3-large")?.inputPerMillion).toBe(0.13);
  });

  it("prices again when the price changes, by an override or in place", () => {
    const usage = { input_tokens: 1_000_000, output_tokens: 1_000_000, total_tokens: 2_000_000 };
    expect(costOf("gpt-4o-mini", usage)?.total_cost).toBe(0.75);
    setModelPricing("gpt-4o-mini", { inputPerMillion: 1, outputPerMillion: 2 });
    expect(costOf("gpt-4o-mini", usage)?.total_cost).toBe(3);
    getModelPricing("gpt-4o-mini")!.outputPerMillion = 4;
    expect(costOf("gpt-4o-mini", usage)).toEqual({ input_cost: 1, output_cost: 4, total_cost: 5 });
  });

  it("lets an override win, and undefined for a model nobody priced", () => {
    setModelPricing("gpt-4o-mini", { inputPerMillion: 1, outputPerMillion: 2 });
    expect(getModelPricing("gpt-4o-mini")).toEqual({ inputPerMillion: 1, outputPerMillion: 2 });
    expect(getModelPricing("my-local-llama")).toBeUndefined();
  });
});
