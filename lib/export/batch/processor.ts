/**
 * The batcher between the tracing core and a `TraceClient`: it owns the bounded queue, the
 * batch timer, concurrency, timeouts, retries, drops, flush and shutdown. Clients only turn a batch
 * into requests. `enqueue` is O(1) and does no I/O; all work runs later, in the processor's own
 * ticks and timers, and nothing it does can throw into user code or leave a rejection unhandled.
 */
import { reportOnce } from "../../internal/diagnostics";
import { planRetry } from "./backoff";
import { resolveBatchOptions, type BatchProcessorOptions, type ExportableTrace, type ResolvedBatchOptions } from "./options";
import { ExportError, isDestinationUnreachable } from "../errors";
import { startExportCall, type CallOutcome } from "./export-call";
import { DropCounter } from "./drop-counter";
import { registerExitFlush } from "../../internal/exit-flush";
import { BatchQueue, type QueueEntry } from "./queue";
import { FlushWaiters, type FlushResult, type Outcome } from "./flush-waiters";
import type { ExportResult } from "../clients/trace-client";
import { FailedTraceKeeper, keeperOf } from "./failed-trace-keeper";
import { RetryWaitlist } from "./retry-waitlist";
import { groupByError, splitResult } from "./export-outcome";
import { isExportResult, isFinalError, type BatchExportClient, type BatchProcessorStats, type Job, type Settled } from "./types";

export type { BatchExportClient, BatchProcessorStats } from "./types";

/**
 * Batches completed traces and delivers them through a client, with bounded memory, retries and
 * acknowledged flushes.
 *
 * @example
 * const processor = new BatchProcessor(client, { maxBatchSize: 50 });
 * processor.enqueue(trace);                       // O(1), never throws
 * const { exported, failed } = await processor.flush();
 * await processor.shutdown();
 */
export class BatchProcessor<T extends ExportableTrace = ExportableTrace> {
  /** The resolved, frozen options. */
  readonly config: ResolvedBatchOptions<T>;
  private readonly client: BatchExportClient<T>;
  private readonly queue = new BatchQueue<T>();
  private readonly jobs = new Set<Job<T>>();
  private readonly waitlist = new RetryWaitlist<T>();
  private readonly waiters = new FlushWaiters((active) => this.onFlushActive(active));
  private held = 0;
  private bytes = 0;
  /** A measured trace waits for room in `maxQueueBytes`: export what is queued now, take no more. */
  private intakeBlocked = false;
  private inFlight = 0;
  private workScheduled = false;
  private drainDue = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private shutdownPromise: Promise<FlushResult> | undefined;
  private readonly unregisterExit: (() => void) | undefined;
  private readonly counts = { exported: 0, failed: 0, retries: 0 };
  /** Why the last retry was needed: the cause given for traces still undelivered at exit. */
  private lastRetryError: Error | undefined;
  /** Traces handed to `onDeliveryFailed` early by `spill`, not yet written. */
  private spilling = 0;
  /** Counts `flush()` calls: a trace that failed unreachable since the latest one records it. */
  private flushEpoch = 0;
  /** The flush count at the latest unreachable failure (-1: none yet). */
  private unreachableEpoch = -1;
  /** Failed traces no flush has reported yet: the next flush does. */
  private failedUnreported = 0;

  private readonly drops: DropCounter;
  private readonly keeper: FailedTraceKeeper<T>;

  /** Throws a `ConfigError` for bad options; nothing later throws. */
  constructor(client: BatchExportClient<T>, options: BatchProcessorOptions<T> = {}) {
    this.config = resolveBatchOptions(options);
    this.client = client;
    this.keeper = new FailedTraceKeeper(this.config.onDeliveryFailed ?? keeperOf(client));
    this.drops = new DropCounter(`maxQueueSize ${this.config.maxQueueSize} traces, maxQueueBytes ${this.config.maxQueueBytes} bytes`);
    this.unregisterExit = this.config.flushOnExit
      ? registerExitFlush({
          hasPendingWork: () => this.held + this.spilling > 0,
          flushAtExit: () =>
            this.flush({ timeoutMs: this.config.exitFlushTimeoutMs }).then((r) => {
              // Past the deadline, stop in-flight requests too: their sockets would hold the process open.
              if (r.pending > 0) this.abandonAtExit();
              return r.pending;
            }),
          abandonAtExit: () => this.abandonAtExit(),
        })
      : undefined;
  }

  /** Queues a completed trace for export. O(1); drops (and counts) it when the queue is full. */
  enqueue(trace: T): void {
    if (this.closed) return this.drops.closed();
    if (this.isFull()) {
      this.spill();
      if (this.isFull()) return this.drops.full();
    }
    this.held += 1;
    this.queue.push(trace);
    // Measuring and exporting wait for a full batch, a flush or the batch timer: a lone trace
    // costs the event loop nothing until then, and that work often lands while the app idles.
    if (this.queue.arrived + this.queue.waiting >= this.config.maxBatchSize || this.waiters.active || this.drainDue) this.scheduleWork();
    else this.armBatchTimer();
  }

  /**
   * Resolves when every trace enqueued before the call is acknowledged or has failed for good
   * (and `onDeliveryFailed` has finished keeping it), including traces waiting to retry (so it is
   * bounded by `retryBudgetMs` plus one `exportTimeoutMs`), or when `timeoutMs` passes, or when
   * all it still waits for back off from a destination that cannot be reached (`pending`). `failed`
   * also counts traces that failed before the call and no earlier flush reported. While it
   * waits, the processor's timers keep the process alive. Never rejects.
   */
  flush(options: { readonly timeoutMs?: number } = {}): Promise<FlushResult> {
    this.drops.summarise();
    const dropped = this.drops.takeSinceFlush();
    const failed = this.failedUnreported;
    this.failedUnreported = 0;
    if (this.held + this.spilling === 0) return Promise.resolve({ exported: 0, failed, dropped, pending: 0 });
    // Traces backing off from an unreachable destination are tried once more now, not after their
    // delay; the flush waits for that try (only failures from here on count as stalled for it).
    this.flushEpoch += 1;
    this.queue.retry(this.waitlist.take((e) => e.unreachableAt !== undefined));
    const waiting = this.waiters.wait({
      target: this.queue.seqAfterLast,
      remaining: this.held + this.spilling,
      dropped,
      failed,
      timeoutMs: options.timeoutMs,
    });
    this.scheduleWork();
    return waiting;
  }

  /**
   * Stops accepting traces, flushes (up to `timeoutMs`), hands what is still undelivered to
   * `onDeliveryFailed`, then shuts the client down. Runs once; later calls return the same promise.
   */
  shutdown(options: { readonly timeoutMs?: number } = {}): Promise<FlushResult> {
    this.shutdownPromise ??= this.runShutdown(options);
    return this.shutdownPromise;
  }

  /** Counters since creation, plus what is held right now. */
  getStats(): BatchProcessorStats {
    return { queued: this.held - this.inFlight, inFlight: this.inFlight, dropped: this.drops.total, ...this.counts };
  }

  /** The process is ending (`exit`): hand everything held to `onDeliveryFailed`, synchronously. */
  private abandonAtExit(): void {
    this.drops.summarise();
    this.keeper.redoAtExit();
    const lost = this.held;
    if (lost === 0) return;
    const cause = this.lastRetryError;
    this.keeper.quiet = true;
    this.abandonAll(new ExportError(`the process exited before ${lost} trace(s) were exported`, cause === undefined ? {} : { cause }));
    // With a hook, its owner reports what it kept; without one, these traces are gone.
    if (this.keeper.canKeep) return;
    reportOnce(
      "export.lost-at-exit",
      "warn",
      `${lost} trace(s) were not exported before the process exited and are lost (no onDeliveryFailed hook to keep them)`,
    );
  }

  private async runShutdown(options: { readonly timeoutMs?: number }): Promise<FlushResult> {
    this.closed = true;
    const result = await this.flush(options);
    let failed = result.failed;
    if (result.pending > 0) {
      failed += result.pending;
      this.abandonAll(new ExportError(`the processor shut down before ${result.pending} trace(s) were exported`));
    }
    this.clearBatchTimer();
    try {
      await this.config.runOutsideTracing(() => new Promise<void>((resolve) => resolve(this.client.shutdown())));
    } catch (error) {
      reportOnce("export.client-shutdown", "warn", "the trace client failed to shut down", error);
    }
    this.drops.summarise();
    this.leaveExitHooksWhenIdle();
    return { exported: result.exported, failed, dropped: result.dropped, pending: 0 };
  }

  /**
   * A shut-down processor leaves the exit hooks only once nothing it holds is unsettled: a
   * `process.exit()` while its shutdown still flushes (or keeps what failed) must hand those traces over.
   */
  private leaveExitHooksWhenIdle(): void {
    if (this.closed && this.held + this.spilling === 0) this.unregisterExit?.();
  }

  private scheduleWork(): void {
    if (this.workScheduled) return;
    this.workScheduled = true;
    setImmediate(this.runWork);
  }

  private readonly runWork = (): void => {
    this.workScheduled = false;
    try {
      this.pump();
    } catch (error) {
      reportOnce("export.internal", "error", "the batch processor hit an internal error", error);
    }
  };

  /**
   * Measures newly enqueued traces (off the hot path). One that does not fit in `maxQueueBytes`
   * waits for exports to free room (a trace bigger than the limit goes alone), and new traces are
   * dropped while it waits.
   */
  private intake(): void {
    this.intakeBlocked = !this.queue.intake(
      (trace) => this.measure(trace),
      (bytes) => {
        if (this.bytes > 0 && this.bytes + bytes > this.config.maxQueueBytes) return false;
        this.bytes += bytes;
        return true;
      },
    );
  }

  private measure(trace: T): number {
    try {
      const n = this.config.sizeOf(trace);
      return Number.isFinite(n) && n > 0 ? n : 0;
    } catch (error) {
      reportOnce("export.size-of", "warn", "sizeOf threw; the trace is counted as 0 bytes", error);
      return 0;
    }
  }

  /** Measures what arrived, starts exports while slots are free, arms the batch timer for a partial batch. */
  private pump(): void {
    this.intake();
    while (this.jobs.size < this.config.maxConcurrentExports) {
      const batch = this.takeBatch();
      if (batch === undefined) break;
      this.startExport(batch);
    }
    this.updateTimer();
  }

  private takeBatch(): QueueEntry<T>[] | undefined {
    return this.queue.take(this.config.maxBatchSize, this.drainDue || this.waiters.active || this.closed || this.intakeBlocked);
  }

  private updateTimer(): void {
    const waiting = this.queue.waiting + this.queue.arrived;
    if (waiting === 0) this.drainDue = false;
    if (waiting === 0 || this.drainDue || this.waiters.active || waiting >= this.config.maxBatchSize) {
      this.clearBatchTimer();
      return;
    }
    this.armBatchTimer();
  }

  private armBatchTimer(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drainDue = true;
      this.runWork();
    }, this.config.scheduledDelayMs);
    this.timer.unref();
  }

  private clearBatchTimer(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private startExport(entries: QueueEntry<T>[]): void {
    const now = Date.now();
    let attempt = 0;
    for (const e of entries) {
      if (e.attempts === 0) e.firstAttemptAt = now;
      e.attempts += 1;
      attempt = Math.max(attempt, e.attempts);
    }
    this.inFlight += entries.length;
    const job: Job<T> = { entries, call: undefined };
    this.jobs.add(job);
    const traces = entries.map((e) => e.trace);
    const { exportTimeoutMs: timeoutMs, runOutsideTracing } = this.config;
    job.call = startExportCall(
      (options) => this.client.export(traces, options),
      { timeoutMs, attempt, keepAlive: this.waiters.active, runOutsideTracing },
      (outcome) => this.finish(job, outcome),
    );
  }

  private finish(job: Job<T>, outcome: CallOutcome): void {
    if (!this.jobs.delete(job)) return;
    try {
      this.inFlight -= job.entries.length;
      let error = "error" in outcome ? outcome.error : undefined;
      if (error === undefined && !isExportResult("result" in outcome ? outcome.result : undefined)) {
        reportOnce("export.bad-result", "error", "the trace client returned something other than { failures: [] }");
        error = new ExportError("the trace client returned an invalid result");
      }
      if (error !== undefined) {
        const cause = error;
        const items = job.entries.map((entry) => ({ entry, error: cause }));
        if (isFinalError(cause)) this.fail(items);
        else this.retryOrFail(items);
      } else if ("result" in outcome) {
        this.applyResult(job.entries, outcome.result as ExportResult);
      }
      this.pump();
    } catch (internal) {
      reportOnce("export.internal", "error", "the batch processor hit an internal error", internal);
    }
  }

  private applyResult(entries: QueueEntry<T>[], result: ExportResult): void {
    const { ok, retry, final } = splitResult(entries, result);
    this.settle(ok, "exported");
    this.fail(final);
    this.retryOrFail(retry);
  }

  /** Schedules one retry for the group, or fails the traces out of attempts, budget or patience. */
  private retryOrFail(items: Settled<T>[]): void {
    if (items.length === 0) return;
    this.lastRetryError = items[items.length - 1]?.error;
    const { delayMs, retry, giveUp } = planRetry(items, this.config, Date.now());
    // Once a shutdown's flush is over, nothing may be scheduled any more.
    const stopped = this.closed && !this.waiters.active;
    this.fail(stopped ? items : giveUp);
    if (stopped || retry.length === 0) return;
    const again = retry.map((r) => r.entry);
    let unreachable = false;
    for (const r of retry) {
      const gone = isDestinationUnreachable(r.error);
      r.entry.unreachableAt = gone ? this.flushEpoch : undefined;
      unreachable ||= gone;
    }
    if (unreachable) this.unreachableEpoch = this.flushEpoch;
    this.counts.retries += again.length;
    this.waitlist.add(again, delayMs, this.waiters.active, (due) => {
      this.queue.retry(due);
      this.runWork();
    });
    if (unreachable) this.releaseStalledFlushes();
  }

  /**
   * Retrying a destination nobody answers at (connection refused, unknown host) within a flush
   * only makes the caller wait: a flush left waiting only for traces whose last attempt could not
   * reach it (backing off, queued for their retry or being retried) returns, them `pending`.
   */
  private releaseStalledFlushes(): void {
    // Only a flush that has seen an unreachable failure since it began can be waiting on stalled traces.
    if (!this.waiters.active || this.unreachableEpoch !== this.flushEpoch) return;
    this.waiters.releaseStalled((target) => {
      const stalled = (e: QueueEntry<T>): boolean => e.unreachableAt === this.flushEpoch && e.seq < target;
      let n = this.waitlist.count(stalled) + this.queue.countRetries(stalled);
      for (const job of this.jobs) for (const e of job.entries) if (stalled(e)) n += 1;
      return n;
    });
  }

  private fail(items: Settled<T>[]): void {
    for (const [error, entries] of groupByError(items)) this.settle(entries, "failed", error);
  }

  /**
   * Counts traces as exported or failed. A failed trace stays held (and keeps a flush waiting)
   * until `onDeliveryFailed` has kept it, so a flush never resolves before the fallback is written.
   */
  private settle(entries: QueueEntry<T>[], outcome: Exclude<Outcome, "dropped">, error?: Error): void {
    if (entries.length === 0) return;
    this.counts[outcome] += entries.length;
    const keeping =
      outcome === "failed"
        ? this.keeper.keep(
            entries.map((e) => e.trace),
            error ?? new ExportError("export failed"),
          )
        : undefined;
    if (keeping === undefined) this.release(entries, outcome);
    else void keeping.then(() => this.release(entries, outcome));
  }

  private release(entries: readonly QueueEntry<T>[], outcome: Exclude<Outcome, "dropped">): void {
    for (const e of entries) {
      this.held -= 1;
      this.bytes -= e.bytes;
    }
    this.credit(entries, outcome);
  }

  private credit(entries: readonly QueueEntry<T>[], outcome: Exclude<Outcome, "dropped">): void {
    for (const e of entries) if (!this.waiters.credit(e.seq, outcome) && outcome === "failed") this.failedUnreported += 1;
    this.waiters.resolveDone();
    this.releaseStalledFlushes();
    this.leaveExitHooksWhenIdle();
  }

  private isFull(): boolean {
    return this.held >= this.config.maxQueueSize || this.bytes >= this.config.maxQueueBytes || this.intakeBlocked;
  }

  /**
   * The queue is full while traces wait to retry (the server is down): rather than drop new
   * traces for the rest of the outage, the oldest group waiting to retry goes to
   * `onDeliveryFailed` (the local store) now. Its room is freed at once; one group at a time is
   * being written, so memory stays bounded by the queue plus one batch. Flushes still wait for
   * the write.
   */
  private spill(): void {
    if (this.spilling > 0 || !this.keeper.canKeep) return;
    const entries = this.waitlist.takeOldest();
    if (entries === undefined) return;
    for (const e of entries) {
      this.held -= 1;
      this.bytes -= e.bytes;
    }
    this.spilling += entries.length;
    this.counts.failed += entries.length;
    const cause = this.lastRetryError;
    const error = new ExportError(`the export queue is full while the destination is unreachable`, cause === undefined ? {} : { cause });
    const done = (): void => {
      this.spilling -= entries.length;
      this.credit(entries, "failed");
    };
    const keeping = this.keeper.keep(
      entries.map((e) => e.trace),
      error,
    );
    if (keeping === undefined) done();
    else void keeping.then(done);
  }

  private onFlushActive(active: boolean): void {
    this.setKeepAlive(active);
    if (!active) this.updateTimer();
  }

  /** Fails everything held, at once: in flight (aborted), waiting to retry, queued and unmeasured. */
  private abandonAll(error: ExportError): void {
    const entries: QueueEntry<T>[] = [];
    for (const job of this.jobs) {
      job.call?.abandon(error);
      this.inFlight -= job.entries.length;
      entries.push(...job.entries);
    }
    this.jobs.clear();
    entries.push(...this.waitlist.drain(), ...this.queue.drain());
    this.clearBatchTimer();
    this.settle(entries, "failed", error);
  }

  /** While a flush waits, the timers it waits on must keep the process alive; otherwise they must not. */
  private setKeepAlive(on: boolean): void {
    for (const job of this.jobs) job.call?.setKeepAlive(on);
    this.waitlist.setKeepAlive(on);
  }
}
