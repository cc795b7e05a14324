/**
 * Which trace files to remove: those older than the age limit, then the oldest beyond the count
 * limit. Traces still waiting for delivery are exempt from the count limit (never silently lost
 * while the server is down) but not from the age limit (the store stays bounded).
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
  limits: { readonly maxTraces: number; readonly maxAgeMs: number; readonly now: number },
): StoredFile[] {
  const cutoff = limits.now - limits.maxAgeMs;
  const doomed: StoredFile[] = [];
  const kept: StoredFile[] = [];
  for (const file of files) (file.requestTimeMs < cutoff ? doomed : kept).push(file);
  const countable = kept.filter((f) => !pendingIds.has(f.encodedId)).sort(byStart);
  const excess = countable.length - limits.maxTraces;
  if (excess > 0) doomed.push(...countable.slice(0, excess));
  return doomed;
}

/** Oldest first, by the start time encoded in the name. */
export function byStart(a: StoredFile, b: StoredFile): number {
  return a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
