/**
 * Runs an async job per item with at most `limit` running at once, for clients that write or send
 * a batch trace by trace (the local store, the MLflow REST client).
 */

/**
 * Calls `fn` for every item of `items` in order, at most `limit` at a time, and resolves when all
 * are done; the first rejection rejects the whole (`fn` is expected to catch its own failures).
 *
 * @example
 * await forEachLimited(traces, 4, async (trace) => write(trace));
 */
export async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
