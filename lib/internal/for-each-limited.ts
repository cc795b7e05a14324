/**
 * Runs an async job per item with at most `limit` running at once: clients that write or send a
 * batch trace by trace (the local store, the MLflow REST client), an agent's concurrent tool calls.
 */

/**
 * Calls `fn(item, index)` for every item of `items` in order, at most `limit` at a time, and
 * resolves when all are done; the first rejection rejects the whole (`fn` is expected to catch
 * its own failures).
 *
 * @example
 * await forEachLimited(traces, 4, async (trace) => write(trace));
 */
export async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
