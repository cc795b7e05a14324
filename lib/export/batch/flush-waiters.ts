/**
 * Bookkeeping of pending `flush()` calls. Every accepted trace has a sequence number; a flush
 * waits for the traces numbered below its target, however they end (exported, failed for good,
 * dropped when measured), and resolves with their counts.
 */

/** What a flush saw of the traces enqueued before it was called. */
export interface FlushResult {
  /** Acknowledged by the client. */
  readonly exported: number;
  /** Failed for good (and kept by `onDeliveryFailed`), including failures since the previous flush. */
  readonly failed: number;
  /** Refused since the previous flush: queue full, or enqueued after shutdown. */
  readonly dropped: number;
  /** Still unsettled when the flush's deadline passed (0 without a deadline). */
  readonly pending: number;
}

/** How a trace left the processor. */
export type Outcome = "exported" | "failed" | "dropped";

interface Waiter {
  readonly target: number;
  remaining: number;
  readonly counts: Record<Outcome, number>;
  deadline: NodeJS.Timeout | undefined;
  readonly resolve: (result: FlushResult) => void;
}

/**
 * The flushes in progress. `onActiveChange(true)` fires when the first one starts waiting and
 * `onActiveChange(false)` when the last one ends, so the processor can keep the process alive
 * only while someone waits.
 *
 * @example
 * const waiters = new FlushWaiters((active) => setKeepAlive(active));
 * const done = waiters.wait({ target: 10, remaining: 3, dropped: 0 });
 * waiters.credit(7, "exported"); waiters.resolveDone();
 */
export class FlushWaiters {
  private list: Waiter[] = [];

  constructor(private readonly onActiveChange: (active: boolean) => void) {}

  /** True while at least one flush waits. */
  get active(): boolean {
    return this.list.length > 0;
  }

  /** Waits for `remaining` traces numbered below `target`, or until `timeoutMs` passes. */
  wait(options: { target: number; remaining: number; dropped: number; failed?: number; timeoutMs?: number | undefined }): Promise<FlushResult> {
    return new Promise<FlushResult>((resolve) => {
      const waiter: Waiter = {
        target: options.target,
        remaining: options.remaining,
        counts: { exported: 0, failed: options.failed ?? 0, dropped: options.dropped },
        deadline: undefined,
        resolve,
      };
      this.list.push(waiter);
      if (this.list.length === 1) this.onActiveChange(true);
      const { timeoutMs } = options;
      if (timeoutMs !== undefined && Number.isFinite(timeoutMs) && timeoutMs >= 0) {
        // The deadline itself never holds the process open: what it waits on does.
        waiter.deadline = setTimeout(() => this.end(waiter), Math.min(timeoutMs, 2_147_483_647));
        waiter.deadline.unref();
      }
    });
  }

  /** Counts trace `seq` for every flush waiting for it; true if one was. Call `resolveDone` after. */
  credit(seq: number, outcome: Outcome): boolean {
    let credited = false;
    for (const w of this.list) {
      if (seq >= w.target) continue;
      w.remaining -= 1;
      w.counts[outcome] += 1;
      credited = true;
    }
    return credited;
  }

  /**
   * Resolves the flushes whose every remaining trace is stalled (backing off from a destination
   * that cannot be reached), those counted as `pending`; `stalledBelow(target)` counts the stalled
   * traces a flush with that target waits for.
   */
  releaseStalled(stalledBelow: (target: number) => number): void {
    for (const w of [...this.list]) if (w.remaining > 0 && stalledBelow(w.target) >= w.remaining) this.end(w);
  }

  /** Resolves the flushes with nothing left to wait for. */
  resolveDone(): void {
    for (const w of [...this.list]) if (w.remaining <= 0) this.end(w);
  }

  private end(waiter: Waiter): void {
    const index = this.list.indexOf(waiter);
    if (index === -1) return;
    this.list.splice(index, 1);
    clearTimeout(waiter.deadline);
    waiter.resolve({ ...waiter.counts, pending: Math.max(waiter.remaining, 0) });
    if (this.list.length === 0) this.onActiveChange(false);
  }
}
