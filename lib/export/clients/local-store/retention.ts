/**
 * Which trace files to remove: those older than the age limit, then the oldest beyond the count
 * limits. Traces still waiting for delivery have their own, larger limit (kept while the server is
 * down, but never without bound), and the age limit applies to them too.
 */

/** A trace file as named in the store. */
export interface StoredFile {
  readonly name: string;
  readonly requestTimeMs: number;
  readonly startNs: bigint;
  readonly encodedId: string;
}

/** The files to delete, given every stored file and the ids still pending delivery somewhere. */
export function planPrune(
  files: readonly StoredFile[],
  pendingIds: ReadonlySet<string>,
  limits: { readonly maxTraces: number; readonly maxPendingTraces: number; readonly maxAgeMs: number; readonly now: number },
): { doomed: StoredFile[]; pendingDropped: number } {
  const cutoff = limits.now - limits.maxAgeMs;
  const doomed: StoredFile[] = [];
  const delivered: StoredFile[] = [];
  const pending: StoredFile[] = [];
  for (const file of files) {
    if (file.requestTimeMs < cutoff) doomed.push(file);
    else (pendingIds.has(file.encodedId) ? pending : delivered).push(file);
  }
  const excess = delivered.length - limits.maxTraces;
  if (excess > 0) doomed.push(...delivered.sort(byStart).slice(0, excess));
  const pendingExcess = Math.max(0, pending.length - limits.maxPendingTraces);
  if (pendingExcess > 0) doomed.push(...pending.sort(byStart).slice(0, pendingExcess));
  return { doomed, pendingDropped: pendingExcess };
}

/** Oldest first, by the start time encoded in the name. */
export function byStart(a: StoredFile, b: StoredFile): number {
  return a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
