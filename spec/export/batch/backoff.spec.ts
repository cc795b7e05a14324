import { planRetry, retryDelay } from "../../../lib/export/batch/backoff";

const policy = { initialBackoffMs: 500, maxBackoffMs: 30_000 };
const limits = { ...policy, maxAttempts: 5, retryBudgetMs: 60_000, maxRetryAfterMs: 60_000 };

describe("retryDelay", () => {
  it("draws uniformly below an exponential ceiling capped at maxBackoffMs (full jitter)", () => {
    expect(retryDelay(1, undefined, policy, () => 0.999)).toBe(499);
    expect(retryDelay(3, undefined, policy, () => 0.5)).toBe(1000);
    expect(retryDelay(20, undefined, policy, () => 0.5)).toBe(15_000);
    expect(retryDelay(1, undefined, policy, () => 0)).toBe(0);
  });

  it("never returns less than Retry-After", () => {
    expect(retryDelay(1, 7000, policy, () => 0)).toBe(7000);
    expect(retryDelay(8, 1000, policy, () => 0.5)).toBe(15_000);
  });
});

describe("planRetry", () => {
  const failed = (attempts: number, firstAttemptAt = 0, retryAfterMs?: number) => ({
    entry: { attempts, firstAttemptAt },
    retryAfterMs,
  });

  it("retries the group after its most-tried member's backoff and longest Retry-After", () => {
    const plan = planRetry([failed(1), failed(3, 0, 4000)], limits, 0, () => 0.5);
    expect(plan.delayMs).toBe(4000);
    expect(plan.retry).toHaveLength(2);
    expect(plan.giveUp).toHaveLength(0);
  });

  it("gives up on traces out of attempts or out of budget", () => {
    const plan = planRetry([failed(5), failed(2, -60_000), failed(1)], limits, 0, () => 0.5);
    expect(plan.giveUp.map((i) => i.entry.attempts)).toEqual([5, 2]);
    expect(plan.retry).toHaveLength(1);
  });

  it("shortens a delay drawn past the budget's end, so the group gets a last try when it ends", () => {
    const plan = planRetry([failed(1, -59_900), failed(1)], limits, 0, () => 0.5);
    expect(plan.delayMs).toBe(100);
    expect(plan.retry).toHaveLength(2);
  });

  it("retries without an attempt limit when maxAttempts is Infinity", () => {
    const plan = planRetry([failed(1000, 0)], { ...limits, maxAttempts: Number.POSITIVE_INFINITY }, 1000, () => 0.5);
    expect(plan.retry).toHaveLength(1);
  });

  it("gives up on everything when Retry-After is longer than maxRetryAfterMs", () => {
    const plan = planRetry([failed(1, 0, 120_000)], limits, 0);
    expect(plan.retry).toHaveLength(0);
    expect(plan.giveUp).toHaveLength(1);
  });
});
