import { accumulateUsage } from "../../../../lib/haystack/components/agents/agent-step";

describe("accumulateUsage", () => {
  it("sums numeric leaves, nested details included, and keeps new keys as given", () => {
    const first = accumulateUsage({}, { prompt_tokens: 10, model: "m", cached: null, flag: true, details: { cached_tokens: 2 } });
    const second = accumulateUsage(first, { prompt_tokens: 5, model: "n", details: { cached_tokens: 3, audio_tokens: 1 } });
    expect(second).toEqual({ prompt_tokens: 15, model: "n", cached: null, flag: true, details: { cached_tokens: 5, audio_tokens: 1 } });
  });

  it("copies object values it takes over, so the reply's usage is never shared or changed", () => {
    const details = { cached_tokens: 2 };
    const usage = { prompt_tokens: 1, details };
    const sum = accumulateUsage({}, usage) as { details: unknown };
    expect(sum.details).toEqual(details);
    expect(sum.details).not.toBe(details);
    accumulateUsage(sum, usage);
    expect(usage).toEqual({ prompt_tokens: 1, details: { cached_tokens: 2 } });
  });

  it("copies nested objects, arrays and dates as structuredClone does", () => {
    const when = new Date(0);
    const usage = { deep: { inner: { n: 1 } }, list: [1, { n: 2 }], when, bare: Object.assign(Object.create(null) as object, { n: 3 }) };
    const sum = accumulateUsage({}, usage) as typeof usage;
    expect(sum).toEqual(structuredClone(usage));
    expect(sum.deep.inner).not.toBe(usage.deep.inner);
    expect(sum.when).not.toBe(when);
  });

  it("rejects values structuredClone cannot copy, as before", () => {
    expect(() => accumulateUsage({}, { callback: () => 1 })).toThrow();
    expect(() => accumulateUsage({}, { tag: Symbol("x") })).toThrow();
    expect(() => accumulateUsage({}, { details: { callback: () => 1 } })).toThrow();
  });
});
