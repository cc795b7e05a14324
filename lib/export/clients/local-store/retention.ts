/**
 * The store's retention limits, applied by the writer every few dozen writes (so the store stays
 * bounded on disk with no one running a command: an app left running during a long outage keeps
 * writing undelivered traces) and on request by `traces prune`. Which files go: those older than
 * the age limit, then the oldest beyond the count limits. Traces still waiting for delivery have
 * their own, larger limit (kept while the server is down, but never without bound), and the age
 * limit applies to them too.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { TEMP_PREFIX, listDir, removeFile } from "./atomic-file";
import { knownDestinations, pendingIndex } from "./destinations";
import { byStart, type StoredFile } from "./location";
import type { LocalStoreReader } from "./reader";

/** Temp files older than this were left by a crashed writer. */
const STALE_TEMP_MS = 10 * 60 * 1000;

/** The limits of one store (see `LocalStoreOptions`). */
export interface RetentionLimits {
  readonly maxTraces: number;
  readonly maxPendingTraces: number;
  readonly maxAgeMs: number;
}

/** What one pass removed: every trace, and how many of them were still waiting for `traces sync`. */
export interface RetentionResult {
  readonly removed: number;
  readonly pendingDropped: number;
}

/** The files to delete, given every stored file and the ids still pending delivery somewhere. */
export function planPrune(
  files: readonly StoredFile[],
  pendingIds: ReadonlySet<string>,
  limits: RetentionLimits & { readonly now: number },
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

/**
 * Applies `limits` to the store now: removes the doomed trace files, their destination markers
 * and temp files a crashed writer left behind.
 *
 * @example
 * const { removed } = await enforceRetention(new LocalStoreReader(dir), { maxTraces: 1000, maxPendingTraces: 10_000, maxAgeMs: 30 * 86_400_000 });
 */
export async function enforceRetention(reader: LocalStoreReader, limits: RetentionLimits, now: number = Date.now()): Promise<RetentionResult> {
  const files = await reader.files();
  const pending = await pendingIndex(reader.dir);
  const { doomed, pendingDropped } = planPrune(files, new Set(pending.keys()), { ...limits, now });
  for (const f of doomed) await removeFile(join(reader.tracesDir, f.name));
  // Only the markers of traces removed here: another process may be writing a trace and its
  // marker right now, so "no file in my snapshot" does not mean "orphan".
  const removed = new Set(doomed.map((f) => f.encodedId));
  if (removed.size > 0) {
    for (const dest of await knownDestinations(reader.dir)) {
      for (const kind of ["pending", "sent", "inflight"] as const) {
        for (const name of await listDir(dest.folder(kind))) if (removed.has(name)) await removeFile(dest.marker(kind, name));
      }
    }
  }
  await removeStaleTemps(reader.tracesDir, now);
  return { removed: doomed.length, pendingDropped };
}

async function removeStaleTemps(tracesDir: string, now: number): Promise<void> {
  for (const name of await listDir(tracesDir)) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const path = join(tracesDir, name);
    const age = await stat(path).then(
      (s) => now - s.mtimeMs,
      () => 0,
    );
    if (age > STALE_TEMP_MS) await removeFile(path);
  }
}
