/**
 * Retry delays: exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff
 * and Jitter"), never shorter than what the server asked for with `Retry-After`.
 */

/** The backoff settings of a batch processor. */
export interface BackoffPolicy {
  /** Ceiling of the first retry's delay, ms. */
  readonly initialBackoffMs: number;
  /** Ceiling of any retry's delay, ms (before `Retry-After` is applied). */
  readonly maxBackoffMs: number;
}

/**
 * Delay before retry number `attempt` (1 = the first retry): a uniform random value in
 * `[0, min(maxBackoffMs, initialBackoffMs * 2^(attempt-1)))`, raised to `retryAfterMs` if the
 * server asked for longer.
 *
 * @example
 * retryDelay(3, undefined, { initialBackoffMs: 500, maxBackoffMs: 30_000 }); // somewhere in [0, 2000)
 * retryDelay(1, 5_000, { initialBackoffMs: 500, maxBackoffMs: 30_000 });    // at least 5000
 */
export function retryDelay(attempt: number, retryAfterMs: number | undefined, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceiling = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** exponent);
  const jittered = Math.floor(random() * ceiling);
  return retryAfterMs === undefined ? jittered : Math.max(jittered, Math.ceil(retryAfterMs));
}

/** The retry limits of a batch processor. */
export interface RetryLimits extends BackoffPolicy {
  /** Attempts per trace, the first included (`Infinity`: the budget alone decides). */
  readonly maxAttempts: number;
  /** No retry may start later than this after the trace's first attempt, ms. */
  readonly retryBudgetMs: number;
  /** A longer `Retry-After` makes the failure final rather than retrying before the server allows. */
  readonly maxRetryAfterMs: number;
}

/** A trace that failed retryably: how often it was tried, since when, and what the server asked. */
export interface RetryCandidate {
  readonly entry: { readonly attempts: number; readonly firstAttemptAt: number };
  readonly retryAfterMs?: number | undefined;
}

/**
 * Splits the retryable failures of one batch into traces to retry together after `delayMs` and
 * traces to give up on (out of attempts, out of budget, or asked to wait longer than allowed).
 * The group waits for its most-tried member's backoff and its longest `Retry-After`. A delay
 * drawn past the budget's end is shortened to end there, so every trace gets a last try when the
 * budget runs out instead of giving up early: an outage shorter than the budget loses nothing.
 *
 * @example
 * const { delayMs, retry, giveUp } = planRetry(failed, limits, Date.now());
 */
export function planRetry<C extends RetryCandidate>(
  items: readonly C[],
  limits: RetryLimits,
  now: number,
  random: () => number = Math.random,
): { delayMs: number; retry: C[]; giveUp: C[] } {
  let attempt = 0;
  let retryAfter: number | undefined;
  let budgetEnd = Number.POSITIVE_INFINITY;
  for (const { entry, retryAfterMs } of items) {
    attempt = Math.max(attempt, entry.attempts);
    if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs)) retryAfter = Math.max(retryAfter ?? 0, retryAfterMs);
    if (entry.attempts < limits.maxAttempts) budgetEnd = Math.min(budgetEnd, entry.firstAttemptAt + limits.retryBudgetMs);
  }
  const drawn = retryDelay(attempt, retryAfter, limits, random);
  const earliest = retryAfter === undefined ? 0 : Math.ceil(retryAfter);
  const delayMs = Math.min(drawn, Math.max(earliest, budgetEnd - now));
  const tooLong = retryAfter !== undefined && retryAfter > limits.maxRetryAfterMs;
  const retry: C[] = [];
  const giveUp: C[] = [];
  for (const item of items) {
    const { attempts, firstAttemptAt } = item.entry;
    const fits =
      !tooLong && attempts < limits.maxAttempts && now + delayMs - firstAttemptAt <= limits.retryBudgetMs && now - firstAttemptAt < limits.retryBudgetMs;
    (fits ? retry : giveUp).push(item);
  }
  return { delayMs, retry, giveUp };
}
