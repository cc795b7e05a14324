/**
 * Reading a client's answer for one batch: which traces landed, which may be retried, which
 * failed for good, and the failed ones grouped by error (one `onDeliveryFailed` call per error).
 */
import type { QueueEntry } from "./queue";
import { toError, type Settled } from "./types";
import type { ExportFailure, ExportResult } from "../clients/trace-client";

/**
 * Splits a batch by the client's per-trace failures (a trace not named in `failures` landed).
 *
 * @example
 * const { ok, retry, final } = splitResult(entries, await client.export(traces, { signal }));
 */
export function splitResult<T extends { readonly info: { readonly traceId: string } }>(
  entries: readonly QueueEntry<T>[],
  result: ExportResult,
): { ok: QueueEntry<T>[]; retry: Settled<T>[]; final: Settled<T>[] } {
  const byId = new Map<string, ExportFailure>();
  for (const f of result.failures) byId.set(f.traceId, f);
  const ok: QueueEntry<T>[] = [];
  const retry: Settled<T>[] = [];
  const final: Settled<T>[] = [];
  for (const entry of entries) {
    const f = byId.get(entry.trace.info.traceId);
    if (f === undefined) ok.push(entry);
    else (f.retryable ? retry : final).push({ entry, error: toError(f.error), retryAfterMs: f.retryAfterMs });
  }
  return { ok, retry, final };
}

/** Failed traces grouped by their error, in first-seen order. */
export function groupByError<T>(items: readonly Settled<T>[]): Map<Error, QueueEntry<T>[]> {
  const byError = new Map<Error, QueueEntry<T>[]>();
  for (const { entry, error } of items) {
    const list = byError.get(error);
    if (list === undefined) byError.set(error, [entry]);
    else list.push(entry);
  }
  return byError;
}
